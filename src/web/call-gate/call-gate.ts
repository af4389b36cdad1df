// The urgent-call gate (issue 7) as the browser sees it: what the /api/sessions/:id/alerts,
// /api/me/call-gate, /api/practice/call-gate and /api/me/calls endpoints send, and the
// words we show for them. Discreet mode (a client may see the screen) keeps them neutral.
import { formatPhone } from '../clients/format.ts';

export type AlertWhy = 'on_list' | 'emergency_contact' | 'emergency_number' | 'repeat_call' | 'pressed_1' | 'front_desk';
export type AlertStatus = 'open' | 'stepped_out' | 'texted_back' | 'declined';
export type AlertKind = 'personal' | 'facility';

export interface SessionAlert {
  id: string;
  sessionId: string;
  source: 'call' | 'text' | 'front_desk';
  from: string | null;
  who: string;
  why: AlertWhy;
  message: string | null;
  kind: AlertKind;
  status: AlertStatus;
  createdAt: string;
  decidedAt: string | null;
  minutes: number | null;
  incidentId: string | null;
}

export type Otherwise = 'voicemail' | 'front_desk' | 'on_call';

export interface LabelledNumber {
  label: string;
  number: string;
}

/** GET/PUT /api/me/call-gate */
export interface MyCallGate {
  enabled: boolean;
  directNumber: string | null;
  forwardTo: string | null;
  otherwise: Otherwise;
  breakthroughNumbers: LabelledNumber[];
}

export type EmergencyKind = 'hospital' | 'police' | 'school' | 'other';

/** GET/PUT /api/practice/call-gate */
export interface PracticeCallGate {
  repeatCallMinutes: number;
  pressOneEnabled: boolean;
  frontDeskNumber: string | null;
  emergencyNumbers: (LabelledNumber & { kind: EmergencyKind })[];
}

export type CallOutcome = 'breakthrough' | 'voicemail' | 'front_desk' | 'on_call' | 'normal';

/** One row of GET /api/me/calls */
export interface CallRecord {
  at: string;
  from: string;
  who: string;
  channel: 'call' | 'text';
  sessionId: string | null;
  outcome: CallOutcome;
  why: AlertWhy | null;
}

/** A running session, for the front desk's "Let the clinician know" (GET /api/sessions/running). */
export interface RunningSession {
  id: string;
  appointmentId: string | null;
  clinicianId: string;
  startedAt: string;
}

export const TEXT_BACK_MINUTES = [5, 10, 15] as const;
export const DEFAULT_TEXT_BACK_MINUTES = 10;
/** The contract's limits: 8–15 digits after a plus (E.164), at most 20 numbers on a list. */
export const E164 = /^\+[1-9]\d{7,14}$/;
export const MAX_NUMBERS = 20;

export function alertsPath(sessionId: string, rest = ''): string {
  return `/api/sessions/${encodeURIComponent(sessionId)}/alerts${rest}`;
}

export function decisionPath(sessionId: string, alertId: string): string {
  return alertsPath(sessionId, `/${encodeURIComponent(alertId)}/decision`);
}

/** Open alerts first, then the newest. */
export function sortAlerts(alerts: SessionAlert[]): SessionAlert[] {
  return [...alerts].sort((a, b) => (a.status === 'open') !== (b.status === 'open') ? (a.status === 'open' ? -1 : 1) : b.createdAt.localeCompare(a.createdAt));
}

/** A number as people read it; anything else (a label, a name) as it is. */
export function showWho(who: string): string {
  return E164.test(who) ? formatPhone(who) : who;
}

const WHY: Record<AlertWhy, string> = {
  on_list: 'On your breakthrough list',
  emergency_contact: 'An emergency contact of your client',
  emergency_number: "One of the practice's emergency numbers",
  repeat_call: 'Called again within a few minutes',
  pressed_1: 'The caller pressed 1: an emergency',
  front_desk: 'From the front desk',
};

export function whyWords(why: AlertWhy): string {
  return WHY[why];
}

/** The banner's first line: who, and how they reached out. Discreet: the same words for everyone. */
export function alertHeadline(a: SessionAlert, discreet: boolean): string {
  const who = showWho(a.who);
  if (discreet) return `Someone is trying to reach you: ${who}`;
  if (a.source === 'front_desk') return a.kind === 'facility' ? `The front desk, about the building: ${who}` : `The front desk: ${who}`;
  return a.source === 'text' ? `Urgent text from ${who}` : `Urgent call from ${who}`;
}

export function textBackWords(minutes: number): string {
  return `I will call you in ${minutes} minutes.`;
}

/** What was decided, in one line for the record under the banner. */
export function decisionWords(a: SessionAlert, discreet: boolean): string {
  const who = showWho(a.who);
  switch (a.status) {
    case 'texted_back':
      return `${who}: texted back “${textBackWords(a.minutes ?? DEFAULT_TEXT_BACK_MINUTES)}”`;
    case 'stepped_out':
      return discreet ? `${who}: you stepped out` : `${who}: you stepped out; the protocol was opened`;
    case 'declined':
      return `${who}: declined`;
    default:
      return who;
  }
}

const OUTCOME: Record<CallOutcome, string> = {
  breakthrough: 'Broke through',
  voicemail: 'Voicemail',
  front_desk: 'Sent to the front desk',
  on_call: 'Sent to the on-call clinician',
  normal: 'Rang your phone (not in session)',
};

export function outcomeWords(o: CallOutcome): string {
  return OUTCOME[o];
}

export const OTHERWISE_WORDS: Record<Otherwise, string> = {
  voicemail: 'Voicemail',
  front_desk: 'The front desk',
  on_call: 'The on-call clinician',
};

export const EMERGENCY_KIND_WORDS: Record<EmergencyKind, string> = {
  hospital: 'Hospital',
  police: 'Police',
  school: 'School',
  other: 'Other',
};

/** "(510) 555-0123", "+44 …" or "5105550123" → E.164 when we can tell; US numbers may omit +1. */
export function toE164(typed: string): string {
  const t = typed.trim();
  const digits = t.replace(/[^\d]/g, '');
  if (t.startsWith('+')) return `+${digits}`;
  if (digits.length === 10) return `+1${digits}`;
  if (digits.length === 11 && digits.startsWith('1')) return `+${digits}`;
  return t;
}
