import { z } from 'zod';

/**
 * A practice's escalation policy (DESIGN.md, "During": paging): who is paged in what
 * order, how many minutes each level has to acknowledge before the next is paged, and
 * how many times the whole sequence repeats. Pure: no clock, no database.
 */
export const ESCALATION_TARGETS = ['supervisor', 'on_call', 'owner'] as const;
export type EscalationTarget = (typeof ESCALATION_TARGETS)[number];

export const MAX_LEVELS = 5;
export const MAX_ROUNDS = 10;
export const MAX_WAIT_MINUTES = 60;
export const MAX_ON_CALL = 50;

export const EscalationLevelSchema = z.strictObject({
  target: z.enum(ESCALATION_TARGETS),
  waitMinutes: z.number().int().min(1).max(MAX_WAIT_MINUTES),
});
export type EscalationLevel = z.infer<typeof EscalationLevelSchema>;

export const EscalationPolicySchema = z.strictObject({
  levels: z.array(EscalationLevelSchema).min(1, 'Add at least one level').max(MAX_LEVELS),
  rounds: z.number().int().min(1).max(MAX_ROUNDS),
  onCallUserIds: z.array(z.string().uuid()).max(MAX_ON_CALL)
    .refine((ids) => new Set(ids).size === ids.length, 'List each on-call clinician once'),
});
export type EscalationPolicy = z.infer<typeof EscalationPolicySchema>;

/** Until a practice saves its own: the supervisor, then whoever is on call, then the owner; twice. */
export const DEFAULT_ESCALATION_POLICY: EscalationPolicy = Object.freeze({
  levels: [
    { target: 'supervisor', waitMinutes: 2 },
    { target: 'on_call', waitMinutes: 3 },
    { target: 'owner', waitMinutes: 5 },
  ],
  rounds: 2,
  onCallUserIds: [],
}) as EscalationPolicy;

/** Where an escalation stands: `level` counts from 0, `round` from 1 (as stored on a page). */
export interface EscalationStep { level: number; round: number }

/**
 * The step after `level` of `round`: the next level of the same round, else the first
 * level of the next round, else 'exhausted'. A position the policy no longer has (the
 * policy was shortened while a page was open) counts as the end of its round.
 */
export function nextEscalation(policy: Pick<EscalationPolicy, 'levels' | 'rounds'>, level: number, round: number): EscalationStep | 'exhausted' {
  if (level + 1 < policy.levels.length && round <= policy.rounds) return { level: level + 1, round };
  if (round < policy.rounds) return { level: 0, round: round + 1 };
  return 'exhausted';
}

/** Minutes the given level has before the next is paged (the last level's, for a position the policy no longer has). */
export function waitMinutesAt(policy: Pick<EscalationPolicy, 'levels'>, level: number): number {
  const at = policy.levels[Math.min(level, policy.levels.length - 1)];
  return at?.waitMinutes ?? DEFAULT_ESCALATION_POLICY.levels[0]!.waitMinutes;
}

/** Every step of a policy in order, starting at (0, 1): what a page goes through when nobody answers. */
export function escalationSteps(policy: Pick<EscalationPolicy, 'levels' | 'rounds'>): EscalationStep[] {
  const steps: EscalationStep[] = [{ level: 0, round: 1 }];
  for (let s = nextEscalation(policy, 0, 1); s !== 'exhausted'; s = nextEscalation(policy, s.level, s.round)) steps.push(s);
  return steps;
}

export const TARGET_LABELS: Record<EscalationTarget, string> = { supervisor: 'supervisor', on_call: 'on call', owner: 'owner' };

/**
 * The first step after `after` (or the very first step, for a new page) whose level
 * would page somebody, and the steps passed over because their level would page
 * nobody (no supervisor on record, nobody on call). 'exhausted' when no step is left.
 */
export function nextReachable(
  policy: Pick<EscalationPolicy, 'levels' | 'rounds'>,
  after: EscalationStep | null,
  reachable: (target: EscalationTarget) => boolean,
): { step: EscalationStep | 'exhausted'; skipped: EscalationStep[] } {
  const skipped: EscalationStep[] = [];
  let step: EscalationStep | 'exhausted' = after ? nextEscalation(policy, after.level, after.round) : { level: 0, round: 1 };
  while (step !== 'exhausted') {
    const level = policy.levels[step.level];
    if (level && reachable(level.target)) return { step, skipped };
    skipped.push(step);
    step = nextEscalation(policy, step.level, step.round);
  }
  return { step, skipped };
}
