/**
 * A protocol is data: an ordered checklist of steps, versioned and validated at load.
 * Branching is done with `when` conditions on later steps: a step shows only when the
 * answer (question), result (assessment) or outcome (decision) of an earlier step matches.
 * Practices change the numbers (waits, follow-up windows) through `parameters`, not code.
 */
import { z } from 'zod';
import type { CssrsRisk } from '../cssrs.ts';
import { ProtocolError } from './errors.ts';

const id = z.string().regex(/^[a-z][a-z0-9-]*$/, 'ids are lower-case words joined by hyphens');
const text = z.string().trim().min(1);
const value = z.union([z.string().min(1), z.number()]);

export const ConditionSchema = z.union([
  z.strictObject({ step: id, equals: value }),
  z.strictObject({ step: id, in: z.array(value).min(1) }),
]);
export type Condition = z.infer<typeof ConditionSchema>;

export const ParameterSchema = z.strictObject({
  default: z.number(),
  min: z.number(),
  max: z.number(),
  unit: z.enum(['minutes', 'hours', 'days']),
  description: text,
}).refine((p) => p.min <= p.default && p.default <= p.max, 'default must lie between min and max');
export type ParameterDefinition = z.infer<typeof ParameterSchema>;

export const ACTIONS = [
  'call_emergency_services', 'page_supervisor', 'contact_emergency_contact', 'record_disclosure',
  'notify', 'create_follow_up', 'start_protocol', 'contact_client', 'schedule_next_session',
] as const;
export type ActionKind = (typeof ACTIONS)[number];

/** A follow-up task the step asks for; hours are a number or the name of a parameter. */
export const FollowUpSchema = z.strictObject({
  kind: id,
  title: text,
  dueInHours: z.union([z.number().positive(), z.string().min(1)]),
  /** Count from the run's start (legal deadlines) or from when the step is done (default). */
  from: z.enum(['run_start', 'step_done']).default('step_done'),
});
export type FollowUpDefinition = z.infer<typeof FollowUpSchema>;

const base = {
  id,
  title: text,
  discreetTitle: text.optional(),
  required: z.boolean(),
  source: text,
  when: z.union([ConditionSchema, z.array(ConditionSchema).min(1)]).optional(),
  detail: text.optional(),
};

export const StepSchema = z.discriminatedUnion('kind', [
  z.strictObject({ ...base, kind: z.literal('check') }),
  z.strictObject({
    ...base,
    kind: z.literal('question'),
    options: z.array(z.strictObject({ value: z.string().min(1), label: text })).min(2).optional(),
    scale: z.strictObject({ min: z.number().int(), max: z.number().int() }).optional(),
  }).refine((s) => (s.options === undefined) !== (s.scale === undefined), 'a question has options or a scale, not both'),
  z.strictObject({
    ...base,
    kind: z.literal('decision'),
    rule: z.literal('duty_to_protect'),
    inputs: z.strictObject({ seriousThreat: id, identifiableVictim: id, communicatedBy: id }),
  }),
  z.strictObject({
    ...base,
    kind: z.literal('action'),
    action: z.enum(ACTIONS),
    recipient: z.enum(['victim', 'law_enforcement']).optional(),
    legalBasis: text.optional(),
    protocol: id.optional(),
    followUp: FollowUpSchema.optional(),
  }),
  z.strictObject({ ...base, kind: z.literal('timer'), minutes: z.string().min(1) }),
  z.strictObject({ ...base, kind: z.literal('documentation'), prompt: text, field: z.enum(['exact_words', 'notes']) }),
  z.strictObject({ ...base, kind: z.literal('assessment'), instrument: z.literal('cssrs') }),
]);
export type StepDefinition = z.infer<typeof StepSchema>;
export type StepKind = StepDefinition['kind'];

export const ProtocolSchema = z.strictObject({
  key: id,
  version: z.number().int().positive(),
  title: text,
  discreetTitle: text,
  source: text,
  /** Help is paged the moment the protocol opens (DESIGN.md "Paging"), not only when a step asks. */
  pagesAtOnce: z.boolean().default(false),
  parameters: z.record(z.string().regex(/^[a-z][A-Za-z0-9]*$/), ParameterSchema).default({}),
  steps: z.array(StepSchema).min(1),
});
export type ProtocolDefinition = z.infer<typeof ProtocolSchema>;
export type ProtocolInput = z.input<typeof ProtocolSchema>;

const CSSRS_RESULTS: readonly CssrsRisk[] = ['none', 'low', 'moderate', 'high'];
export const DUTY_OUTCOMES = ['applies', 'does_not_apply'] as const;

export function conditionsOf(step: StepDefinition): Condition[] {
  if (step.when === undefined) return [];
  return Array.isArray(step.when) ? step.when : [step.when];
}

/** The values a step can produce, for checking conditions at load; undefined: not branchable. */
function possibleValues(step: StepDefinition): (string | number)[] | undefined {
  switch (step.kind) {
    case 'question':
      if (step.options) return step.options.map((o) => o.value);
      if (step.scale) return Array.from({ length: step.scale.max - step.scale.min + 1 }, (_, i) => step.scale!.min + i);
      return undefined;
    case 'assessment': return [...CSSRS_RESULTS];
    case 'decision': return [...DUTY_OUTCOMES];
    default: return undefined;
  }
}

/** Validates a definition and its cross-references; throws INVALID_DEFINITION listing every problem. */
export function loadProtocol(json: unknown): ProtocolDefinition {
  const parsed = ProtocolSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new ProtocolError('INVALID_DEFINITION', `Protocol definition is invalid: ${problems.join('; ')}`);
  }
  const def = parsed.data;
  const problems = crossReferenceProblems(def);
  if (problems.length) {
    throw new ProtocolError('INVALID_DEFINITION', `Protocol ${def.key} v${def.version} is invalid: ${problems.join('; ')}`);
  }
  return def;
}

function crossReferenceProblems(def: ProtocolDefinition): string[] {
  const problems: string[] = [];
  const earlier = new Map<string, StepDefinition>();
  const param = (name: string, where: string) => {
    if (!(name in def.parameters)) problems.push(`${where} refers to unknown parameter "${name}"`);
  };
  for (const step of def.steps) {
    if (earlier.has(step.id)) problems.push(`step id "${step.id}" is used twice`);
    for (const c of conditionsOf(step)) {
      const target = earlier.get(c.step);
      const values = target && possibleValues(target);
      if (!target) problems.push(`step "${step.id}" depends on "${c.step}", which is not an earlier step`);
      else if (!values) problems.push(`step "${step.id}" depends on "${c.step}", which has no answer to branch on`);
      else {
        const wanted = 'equals' in c ? [c.equals] : c.in;
        for (const w of wanted) if (!values.includes(w)) problems.push(`step "${step.id}" expects "${w}" from "${c.step}", which cannot produce it`);
      }
    }
    if (step.kind === 'timer') param(step.minutes, `timer "${step.id}"`);
    if (step.kind === 'action' && step.followUp && typeof step.followUp.dueInHours === 'string') {
      param(step.followUp.dueInHours, `follow-up of "${step.id}"`);
    }
    if (step.kind === 'action' && step.action === 'record_disclosure' && (!step.recipient || !step.legalBasis)) {
      problems.push(`disclosure "${step.id}" needs a recipient and its legal basis`);
    }
    if (step.kind === 'action' && step.action === 'start_protocol' && !step.protocol) {
      problems.push(`action "${step.id}" must name the protocol it starts`);
    }
    if (step.kind === 'decision') {
      for (const input of Object.values(step.inputs)) {
        if (earlier.get(input)?.kind !== 'question') problems.push(`decision "${step.id}" needs earlier question "${input}"`);
      }
    }
    earlier.set(step.id, step);
  }
  return problems;
}
