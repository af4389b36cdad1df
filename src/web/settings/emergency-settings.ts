/**
 * The paging and protocol settings as plain data: the escalation policy in words, the
 * form drafts and their checks. No DOM; unit-tested.
 */
import {
  MAX_LEVELS, MAX_ROUNDS, MAX_WAIT_MINUTES, type EscalationPolicy, type EscalationTarget,
} from '../../domain/escalation.ts';

export { MAX_LEVELS, MAX_ROUNDS, MAX_WAIT_MINUTES, type EscalationPolicy, type EscalationTarget };

/** GET/PUT /api/practice/escalation-policy. */
export type EscalationPolicyView = EscalationPolicy & { onCall: { id: string; name: string }[] };

/** GET/PUT /api/practice/protocol-parameters. */
export interface ParameterDefinition {
  default: number;
  min: number;
  max: number;
  unit: 'minutes' | 'hours' | 'days';
  description: string;
}
export interface ProtocolParameters {
  key: string;
  title: string;
  parameters: Record<string, ParameterDefinition>;
  values: Record<string, number>;
}

export const TARGET_CHOICES: { value: EscalationTarget; label: string }[] = [
  { value: 'supervisor', label: "The clinician's supervisor" },
  { value: 'on_call', label: 'The on-call clinicians' },
  { value: 'owner', label: 'The practice owner' },
];

export function targetLabel(target: EscalationTarget): string {
  return TARGET_CHOICES.find((c) => c.value === target)?.label ?? target;
}

/** "A", "A and B", "A, B and C". */
export function listWords(items: string[]): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

export function minutesText(n: number): string {
  return n === 1 ? '1 minute' : `${n} minutes`;
}

/** A value with its unit: "1 hour", "10 minutes". */
export function amountText(n: number, unit: ParameterDefinition['unit']): string {
  return `${n} ${n === 1 ? unit.replace(/s$/, '') : unit}`;
}

function whom(target: EscalationTarget, onCallNames: string[]): string {
  switch (target) {
    case 'supervisor':
      return "the clinician's supervisor";
    case 'owner':
      return 'the practice owner';
    case 'on_call':
      return onCallNames.length === 0 ? 'the on-call clinicians (nobody is on call now)' : `the on-call ${onCallNames.length === 1 ? 'clinician' : 'clinicians'} (${listWords(onCallNames)})`;
  }
}

/**
 * The policy in plain words, one sentence a line: "A page goes to the clinician's
 * supervisor; if nobody acknowledges within 2 minutes, to the on-call clinicians; …".
 * Follows src/domain/escalation.ts: levels in order, then the whole sequence again for
 * each round; levels that would page nobody are passed over.
 */
export function describePolicy(policy: Pick<EscalationPolicy, 'levels' | 'rounds'>, onCallNames: string[]): string[] {
  const [first, ...rest] = policy.levels;
  if (!first) return ['No levels: a page would reach nobody. Add at least one level.'];
  let path = `A page goes to ${whom(first.target, onCallNames)}`;
  let previous = first;
  for (const level of rest) {
    path += `; if nobody acknowledges within ${minutesText(previous.waitMinutes)}, to ${whom(level.target, onCallNames)}`;
    previous = level;
  }
  const sentences = [`${path}.`];
  const last = previous.waitMinutes;
  if (policy.rounds > 1) {
    const again = policy.rounds === 2 ? 'once more' : `${policy.rounds - 1} more times`;
    sentences.push(`If nobody acknowledges within ${minutesText(last)} of the last level, the sequence starts again from the beginning, ${again} (${policy.rounds} rounds in all).`);
    sentences.push('If nobody has acknowledged after the last round, paging stops and the page is marked unanswered; it can still be acknowledged.');
  } else {
    sentences.push(`If nobody acknowledges within ${minutesText(last)} of the last level, paging stops and the page is marked unanswered; it can still be acknowledged.`);
  }
  const total = policy.levels.reduce((sum, l) => sum + l.waitMinutes, 0) * policy.rounds;
  sentences.push(`Everyone paged keeps the alert on screen until someone acknowledges it. Paging runs for up to ${minutesText(total)} in all.`);
  const unreachable = policy.levels.some((l) => l.target === 'on_call') && onCallNames.length === 0;
  if (unreachable) sentences.push('While nobody is on call, the on-call level is passed over.');
  return sentences;
}

// --- the escalation policy form ---------------------------------------------------------------

export interface LevelDraft {
  /** Stable key for the list (levels move up and down). */
  key: number;
  target: EscalationTarget;
  waitMinutes: string;
}
export interface PolicyDraft {
  levels: LevelDraft[];
  rounds: string;
  onCallUserIds: string[];
}

let nextKey = 1;
export function newLevelKey(): number {
  return nextKey++;
}

export function policyDraft(policy: EscalationPolicy): PolicyDraft {
  return {
    levels: policy.levels.map((l) => ({ key: newLevelKey(), target: l.target, waitMinutes: String(l.waitMinutes) })),
    rounds: String(policy.rounds),
    onCallUserIds: [...policy.onCallUserIds],
  };
}

function wholeNumber(text: string): number | null {
  const t = text.trim();
  return /^\d+$/.test(t) ? Number(t) : null;
}

export interface FieldError {
  path: string;
  message: string;
}

/** Checks a draft before sending; paths as the API names them (levels.0.waitMinutes, rounds). */
export function checkPolicy(draft: PolicyDraft): FieldError[] {
  const errors: FieldError[] = [];
  if (draft.levels.length === 0) errors.push({ path: 'levels', message: 'Add at least one level.' });
  if (draft.levels.length > MAX_LEVELS) errors.push({ path: 'levels', message: `Use at most ${MAX_LEVELS} levels.` });
  draft.levels.forEach((l, i) => {
    const n = wholeNumber(l.waitMinutes);
    if (n === null || n < 1 || n > MAX_WAIT_MINUTES) {
      errors.push({ path: `levels.${i}.waitMinutes`, message: `Enter whole minutes from 1 to ${MAX_WAIT_MINUTES}.` });
    }
  });
  const rounds = wholeNumber(draft.rounds);
  if (rounds === null || rounds < 1 || rounds > MAX_ROUNDS) errors.push({ path: 'rounds', message: `Enter a number of rounds from 1 to ${MAX_ROUNDS}.` });
  return errors;
}

/** The PUT body; only call after checkPolicy found nothing. */
export function policyBody(draft: PolicyDraft): EscalationPolicy {
  return {
    levels: draft.levels.map((l) => ({ target: l.target, waitMinutes: Number(l.waitMinutes.trim()) })),
    rounds: Number(draft.rounds.trim()),
    onCallUserIds: draft.onCallUserIds,
  };
}

/** The draft as a policy for the preview, while some numbers may still be half typed. */
export function previewPolicy(draft: PolicyDraft): Pick<EscalationPolicy, 'levels' | 'rounds'> {
  return {
    levels: draft.levels.map((l) => ({ target: l.target, waitMinutes: wholeNumber(l.waitMinutes) ?? 0 })),
    rounds: Math.max(1, wholeNumber(draft.rounds) ?? 1),
  };
}

export function samePolicy(a: EscalationPolicy, b: EscalationPolicy): boolean {
  return (
    a.rounds === b.rounds &&
    a.levels.length === b.levels.length &&
    a.levels.every((l, i) => l.target === b.levels[i]?.target && l.waitMinutes === b.levels[i]?.waitMinutes) &&
    a.onCallUserIds.length === b.onCallUserIds.length &&
    a.onCallUserIds.every((id) => b.onCallUserIds.includes(id))
  );
}

/** Moves item `from` by one place up (-1) or down (+1). */
export function moved<T>(items: T[], from: number, by: -1 | 1): T[] {
  const to = from + by;
  if (to < 0 || to >= items.length) return items;
  const next = [...items];
  [next[from], next[to]] = [next[to]!, next[from]!];
  return next;
}

// --- protocol parameters ------------------------------------------------------------------------

export type ParameterDraft = Record<string, string>;

export function parameterDraft(p: ProtocolParameters): ParameterDraft {
  return Object.fromEntries(Object.entries(p.parameters).map(([name, def]) => [name, String(p.values[name] ?? def.default)]));
}

export function defaultsDraft(p: ProtocolParameters): ParameterDraft {
  return Object.fromEntries(Object.entries(p.parameters).map(([name, def]) => [name, String(def.default)]));
}

function parseNumber(text: string): number | null {
  const t = text.trim();
  if (t === '') return null;
  const n = Number(t);
  return Number.isFinite(n) ? n : null;
}

/** Checks each value against its definition's range; paths as the API names them (values.name). */
export function checkParameters(p: ProtocolParameters, draft: ParameterDraft): FieldError[] {
  const errors: FieldError[] = [];
  for (const [name, def] of Object.entries(p.parameters)) {
    const n = parseNumber(draft[name] ?? '');
    if (n === null || n < def.min || n > def.max) {
      errors.push({ path: `values.${name}`, message: `Enter a number from ${def.min} to ${def.max} (${def.unit}).` });
    }
  }
  return errors;
}

/**
 * The PUT body: only the values that differ from the protocol's own default, so a
 * default that changes in a later version of the protocol applies unless overridden.
 */
export function parametersBody(p: ProtocolParameters, draft: ParameterDraft): { values: Record<string, number> } {
  const values: Record<string, number> = {};
  for (const [name, def] of Object.entries(p.parameters)) {
    const n = parseNumber(draft[name] ?? '');
    if (n !== null && n !== def.default) values[name] = n;
  }
  return { values };
}

export function sameParameters(p: ProtocolParameters, draft: ParameterDraft): boolean {
  return Object.keys(p.parameters).every((name) => parseNumber(draft[name] ?? '') === (p.values[name] ?? p.parameters[name]?.default));
}

/** The API names a parameter by its key ("walkoutWaitMinutes must be between…"); say it in words. */
export function parameterProblemText(p: ProtocolParameters, detail: string): { detail: string; names: string[] } {
  const names = Object.keys(p.parameters).filter((name) => new RegExp(`\\b${name}\\b`).test(detail));
  let text = detail;
  for (const name of names) text = text.replace(new RegExp(`\\b${name}\\b`, 'g'), `"${p.parameters[name]!.description}"`);
  return { detail: text, names };
}
