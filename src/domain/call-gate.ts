/**
 * The urgent-call gate: who reaches a clinician while their session runs. Therapists keep
 * their phones silent in session and answer only when "their calling system allows them to
 * filter calls or the situation is such that immediate response is critical" (seed 000,
 * "Emergency Protocols and Direct Interventions"). This is that filter, as one pure rule.
 */

export const BREAKTHROUGH_REASONS = ['on_list', 'emergency_contact', 'emergency_number', 'repeat_call', 'pressed_1'] as const;
export type BreakthroughReason = (typeof BREAKTHROUGH_REASONS)[number];
export const OTHERWISE_ROUTES = ['voicemail', 'front_desk', 'on_call'] as const;
export type OtherwiseRoute = (typeof OTHERWISE_ROUTES)[number];
export const EMERGENCY_NUMBER_KINDS = ['hospital', 'police', 'school', 'other'] as const;

export interface LabelledNumber { label: string; number: string }

export interface GateInput {
  channel: 'call' | 'text';
  /** The caller's number as the carrier gives it (E.164, or a word such as "anonymous"). */
  from: string;
  /** A session of this clinician has started and not ended. */
  inSession: boolean;
  /** The clinician turned their gate on. */
  enabled: boolean;
  /** The clinician's own list (a child's school, a family member…). */
  list: readonly LabelledNumber[];
  /** The phone numbers of the emergency contacts of the client in the room. */
  emergencyContactNumbers: readonly string[];
  /** The practice's hospital, police, school… numbers. */
  emergencyNumbers: readonly LabelledNumber[];
  /** When this number last called or texted this clinician (not counting this call), if ever. */
  lastContactAt: Date | null;
  now: Date;
  repeatCallMinutes: number;
  pressOneEnabled: boolean;
  /**
   * Voice only. Undefined: the caller has not been asked yet; a string: what they pressed
   * after "If this is an emergency, press 1" ('' when nothing).
   */
  digits?: string | undefined;
  otherwise: OtherwiseRoute;
}

export type GateDecision =
  /** No session under way, or the gate is off: the practice's normal routing. */
  | { route: 'normal' }
  | { route: 'breakthrough'; why: BreakthroughReason; who: string }
  /** An unknown caller: ask "If this is an emergency, press 1", then decide again. */
  | { route: 'ask_press_1' }
  | { route: OtherwiseRoute; who: string };

export const EMERGENCY_CONTACT_WHO = 'Emergency contact of the client';

/** A dialable number in E.164; "anonymous", "restricted" and the like are not. */
export function isDialable(number: string): boolean {
  return /^\+[1-9]\d{7,14}$/.test(number.trim());
}

/** The same line, whatever the punctuation ("+1 (510) 555-0100" is "+15105550100"). */
export function sameNumber(a: string, b: string): boolean {
  const digits = (n: string) => n.replace(/\D/g, '');
  return isDialable(a) && digits(a).length > 0 && digits(a) === digits(b);
}

/**
 * Decides what happens to one call or text. In order: not in session or gate off → normal
 * routing; the clinician's list; the emergency contacts of the client in the room; the
 * practice's emergency numbers; the same number again within N minutes; pressed 1 (voice,
 * when the practice offers it); everyone else → the clinician's `otherwise`.
 */
export function decideCall(input: GateInput): GateDecision {
  if (!input.inSession || !input.enabled) return { route: 'normal' };
  const from = input.from.trim();
  const listed = input.list.find((n) => sameNumber(from, n.number));
  if (listed) return { route: 'breakthrough', why: 'on_list', who: listed.label };
  if (input.emergencyContactNumbers.some((n) => sameNumber(from, n))) return { route: 'breakthrough', why: 'emergency_contact', who: EMERGENCY_CONTACT_WHO };
  const emergency = input.emergencyNumbers.find((n) => sameNumber(from, n.number));
  if (emergency) return { route: 'breakthrough', why: 'emergency_number', who: emergency.label };
  // A withheld number is not "the same number": every anonymous caller would count as one.
  if (isDialable(from) && input.lastContactAt && input.now.getTime() - input.lastContactAt.getTime() <= input.repeatCallMinutes * 60_000
    && input.lastContactAt.getTime() <= input.now.getTime()) {
    return { route: 'breakthrough', why: 'repeat_call', who: from };
  }
  if (input.channel === 'call' && input.pressOneEnabled) {
    if (input.digits === undefined) return { route: 'ask_press_1' };
    if (input.digits.trim() === '1') return { route: 'breakthrough', why: 'pressed_1', who: from || 'Unknown caller' };
  }
  return { route: input.otherwise, who: from || 'Unknown caller' };
}
