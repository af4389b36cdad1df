/**
 * A protocol run as a pure state machine. The state is plain JSON (stored with the
 * incident, rebuilt after a restart) and pins the definition it started with, so a new
 * catalog version never changes a run under way. Every accepted event yields timeline
 * entries; a rejected event throws a ProtocolError and changes nothing.
 */
import { checkCssrsAnswers, CSSRS_ITEMS, triageCssrs, type CssrsAnswers } from '../cssrs.ts';
import { dutyToProtectApplies, type ThreatSource } from '../duty-to-protect.ts';
import { conditionsOf, type Condition, type ProtocolDefinition, type StepDefinition } from './definition.ts';
import { ProtocolError } from './errors.ts';

export type StepStatus = 'pending' | 'running' | 'done' | 'skipped';

export interface StepState {
  status: StepStatus;
  at?: string;
  actor?: string;
  /** Answer (question), triage (assessment) or outcome (decision): what `when` compares. */
  value?: string | number;
  answers?: CssrsAnswers;
  text?: string;
  note?: string;
  reason?: string;
  timer?: { startedAt: string; dueAt: string; finishedAt?: string };
}

export interface RunState {
  definition: ProtocolDefinition;
  parameters: Record<string, number>;
  status: 'open' | 'completed';
  startedAt: string;
  startedBy: string;
  completedAt?: string;
  completedBy?: string;
  steps: Record<string, StepState>;
}

type Stamp = { at: string; actor: string };
/** What the clinician did; the server stamps it with the time and actor to make a RunEvent. */
export type RunAction =
  | { type: 'answer'; stepId: string; value: string | number }
  | { type: 'record_assessment'; stepId: string; answers: CssrsAnswers }
  | { type: 'mark_done'; stepId: string; note?: string }
  | { type: 'document'; stepId: string; text: string }
  | { type: 'start_timer'; stepId: string }
  | { type: 'finish_timer'; stepId: string }
  | { type: 'skip'; stepId: string; reason: string }
  | { type: 'complete' };
export type RunEvent = Stamp & RunAction;

export interface TimelineEntry { at: string; actor: string; stepId: string | null; what: string }

export interface FollowUpRequest { stepId: string; kind: string; title: string; dueAt: string }

export interface Applied { state: RunState; timeline: TimelineEntry[]; followUps: FollowUpRequest[] }

/** Starts a run with the practice's parameter values (defaults for the rest). */
export function startRun(definition: ProtocolDefinition, overrides: Record<string, number>, at: string, actor: string): Applied {
  const parameters = resolveParameters(definition, overrides);
  const steps: Record<string, StepState> = {};
  for (const step of definition.steps) steps[step.id] = { status: 'pending' };
  const state: RunState = { definition, parameters, status: 'open', startedAt: at, startedBy: actor, steps };
  const entry = { at, actor, stepId: null, what: `Started protocol: ${definition.title} (v${definition.version})` };
  return { state, timeline: [entry], followUps: [] };
}

export function resolveParameters(def: ProtocolDefinition, overrides: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, p] of Object.entries(def.parameters)) out[name] = p.default;
  for (const [name, v] of Object.entries(overrides)) {
    const p = def.parameters[name];
    if (!p) throw new ProtocolError('UNKNOWN_PARAMETER', `Protocol ${def.key} has no parameter "${name}"`);
    if (!Number.isFinite(v) || v < p.min || v > p.max) {
      throw new ProtocolError('PARAMETER_OUT_OF_RANGE', `${name} must be between ${p.min} and ${p.max} ${p.unit}; got ${v}`);
    }
    out[name] = v;
  }
  return out;
}

/** Applies one event. Throws ProtocolError on bad input; the given state is never mutated. */
export function applyEvent(state: RunState, event: RunEvent): Applied {
  if (state.status !== 'open') throw new ProtocolError('RUN_CLOSED', 'This protocol run is already completed');
  const next = structuredClone(state);
  const stamp = { at: event.at, actor: event.actor };
  if (event.type === 'complete') {
    const open = openRequiredSteps(next);
    if (open.length) throw new ProtocolError('REQUIRED_STEPS_OPEN', `Required steps still open: ${open.map((s) => s.id).join(', ')}`);
    next.status = 'completed';
    next.completedAt = event.at;
    next.completedBy = event.actor;
    return { state: next, timeline: [{ ...stamp, stepId: null, what: 'Protocol completed' }], followUps: [] };
  }
  const step = applicableStep(next, event.stepId);
  const current = next.steps[step.id]!;
  const timeline: TimelineEntry[] = [];
  const followUps: FollowUpRequest[] = [];
  const finish = (patch: Partial<StepState>, what: string) => {
    Object.assign(current, { status: 'done', ...stamp }, patch);
    timeline.push({ ...stamp, stepId: step.id, what });
    const fu = followUpOf(next, step);
    if (fu) {
      followUps.push(fu);
      timeline.push({ ...stamp, stepId: step.id, what: `Follow-up requested: ${fu.title}, due ${fu.dueAt}` });
    }
  };
  switch (event.type) {
    case 'skip': {
      const reason = event.reason?.trim();
      if (!reason) throw new ProtocolError('SKIP_REASON_REQUIRED', `Skipping "${step.title}" needs a reason`);
      if (current.status === 'running') delete current.timer;
      Object.assign(current, { status: 'skipped', reason, ...stamp });
      timeline.push({ ...stamp, stepId: step.id, what: `Skipped: ${step.title} (reason: ${reason})` });
      break;
    }
    case 'answer': {
      if (step.kind !== 'question') throw wrongKind(step, 'answered');
      checkAnswer(step, event.value);
      finish({ value: event.value }, `${step.title}: ${labelOf(step, event.value)}`);
      break;
    }
    case 'record_assessment': {
      if (step.kind !== 'assessment') throw wrongKind(step, 'scored as an assessment');
      const answers = checkCssrs(event.answers);
      const risk = triageCssrs(answers);
      finish({ value: risk, answers }, `${step.title}: C-SSRS screener risk ${risk}`);
      break;
    }
    case 'document': {
      if (step.kind !== 'documentation') throw wrongKind(step, 'documented');
      const words = event.text?.trim();
      if (!words) throw new ProtocolError('TEXT_REQUIRED', `"${step.title}" needs the text to record`);
      finish({ text: words }, `Documented: ${step.title}`);
      break;
    }
    case 'mark_done': {
      if (step.kind !== 'check' && step.kind !== 'action') throw wrongKind(step, 'marked done (answer, document or time it instead)');
      const basis = step.kind === 'action' && step.legalBasis ? ` (legal basis: ${step.legalBasis})` : '';
      finish(event.note ? { note: event.note } : {}, `Done: ${step.title}${basis}`);
      break;
    }
    case 'start_timer': {
      if (step.kind !== 'timer') throw wrongKind(step, 'timed');
      if (current.status === 'running') throw new ProtocolError('TIMER_ALREADY_STARTED', `"${step.title}" is already running`);
      const minutes = next.parameters[step.minutes]!;
      const dueAt = new Date(Date.parse(event.at) + minutes * 60_000).toISOString();
      Object.assign(current, { status: 'running', ...stamp, timer: { startedAt: event.at, dueAt } });
      timeline.push({ ...stamp, stepId: step.id, what: `Timer started: ${step.title} (${minutes} min, until ${dueAt})` });
      break;
    }
    case 'finish_timer': {
      if (step.kind !== 'timer') throw wrongKind(step, 'timed');
      if (current.status !== 'running' || !current.timer) throw new ProtocolError('TIMER_NOT_STARTED', `"${step.title}" has not been started`);
      const away = Math.round((Date.parse(event.at) - Date.parse(current.timer.startedAt)) / 60_000);
      finish({ timer: { ...current.timer, finishedAt: event.at } }, `Timer finished: ${step.title} (after ${away} min)`);
      break;
    }
  }
  timeline.push(...resolveDecisions(next, stamp));
  return { state: next, timeline, followUps };
}

/** Rebuilds a run from its start and events, e.g. after a restart. */
export function replay(definition: ProtocolDefinition, overrides: Record<string, number>, at: string, actor: string, events: RunEvent[]): RunState {
  return events.reduce((s, e) => applyEvent(s, e).state, startRun(definition, overrides, at, actor).state);
}

export interface VisibleStep { definition: StepDefinition; state: StepState }

/** Steps whose conditions hold, in protocol order. */
export function visibleSteps(state: RunState): VisibleStep[] {
  return state.definition.steps
    .filter((step) => isVisible(state, step))
    .map((step) => ({ definition: step, state: state.steps[step.id]! }));
}

/** The next thing to do: the first open required step, else the first open optional one. */
export function nextStep(state: RunState): VisibleStep | undefined {
  // A completed run asks for nothing more (its optional steps left open stay as they were).
  if (state.status !== 'open') return undefined;
  const open = visibleSteps(state).filter((s) => isOpen(s.state));
  return open.find((s) => s.definition.required) ?? open[0];
}

export function canComplete(state: RunState): boolean {
  return state.status === 'open' && openRequiredSteps(state).length === 0;
}

/** Every follow-up the run has asked for so far, with its due time. */
export function followUpsRequested(state: RunState): FollowUpRequest[] {
  return state.definition.steps
    .filter((step) => state.steps[step.id]?.status === 'done')
    .map((step) => followUpOf(state, step))
    .filter((f): f is FollowUpRequest => f !== undefined);
}

/** Follow-ups whose due time has come by `at`. */
export function followUpsDue(state: RunState, at: string): FollowUpRequest[] {
  return followUpsRequested(state).filter((f) => Date.parse(f.dueAt) <= Date.parse(at));
}

function isOpen(s: StepState): boolean {
  return s.status === 'pending' || s.status === 'running';
}

function openRequiredSteps(state: RunState): StepDefinition[] {
  return visibleSteps(state).filter((s) => s.definition.required && isOpen(s.state)).map((s) => s.definition);
}

function holds(state: RunState, c: Condition): boolean {
  const target = state.steps[c.step];
  if (target?.status !== 'done' || target.value === undefined) return false;
  return 'equals' in c ? target.value === c.equals : c.in.includes(target.value);
}

function isVisible(state: RunState, step: StepDefinition): boolean {
  return conditionsOf(step).every((c) => holds(state, c));
}

function applicableStep(state: RunState, stepId: string): StepDefinition {
  const step = state.definition.steps.find((s) => s.id === stepId);
  if (!step) throw new ProtocolError('UNKNOWN_STEP', `Protocol ${state.definition.key} has no step "${stepId}"`);
  const s = state.steps[step.id]!;
  if (s.status === 'done' || s.status === 'skipped') {
    throw new ProtocolError('STEP_ALREADY_DONE', `"${step.title}" was already ${s.status} at ${s.at} by ${s.actor}`);
  }
  if (!isVisible(state, step)) throw new ProtocolError('STEP_NOT_APPLICABLE', `"${step.title}" does not apply given the answers so far`);
  return step;
}

function wrongKind(step: StepDefinition, verb: string): ProtocolError {
  return new ProtocolError('WRONG_STEP_KIND', `"${step.title}" is a ${step.kind} step and cannot be ${verb}`);
}

function checkAnswer(step: Extract<StepDefinition, { kind: 'question' }>, v: string | number): void {
  const ok = step.options
    ? step.options.some((o) => o.value === v)
    : typeof v === 'number' && Number.isInteger(v) && v >= step.scale!.min && v <= step.scale!.max;
  if (!ok) {
    const allowed = step.options ? step.options.map((o) => o.value).join(', ') : `a whole number ${step.scale!.min}–${step.scale!.max}`;
    throw new ProtocolError('ANSWER_OUT_OF_RANGE', `"${String(v)}" is not an answer to "${step.title}"; expected ${allowed}`);
  }
}

function labelOf(step: Extract<StepDefinition, { kind: 'question' }>, v: string | number): string {
  return step.options?.find((o) => o.value === v)?.label ?? String(v);
}

function checkCssrs(raw: unknown): CssrsAnswers {
  const keys = new Set<string>(CSSRS_ITEMS.map((i) => i.key));
  if (typeof raw !== 'object' || raw === null) throw new ProtocolError('ANSWER_OUT_OF_RANGE', 'C-SSRS answers must be an object of yes/no answers');
  for (const [k, v] of Object.entries(raw)) {
    if (!keys.has(k) || typeof v !== 'boolean') throw new ProtocolError('ANSWER_OUT_OF_RANGE', `C-SSRS item "${k}" must be a known item answered yes or no`);
  }
  const answers = raw as CssrsAnswers;
  const check = checkCssrsAnswers(answers);
  if (!check.ok) throw new ProtocolError('ASSESSMENT_INCOMPLETE', `C-SSRS screener: ${check.problems.join('; ')}`);
  return answers;
}

function followUpOf(state: RunState, step: StepDefinition): FollowUpRequest | undefined {
  if (step.kind !== 'action' || !step.followUp) return undefined;
  const { kind, title, dueInHours, from } = step.followUp;
  const hours = typeof dueInHours === 'number' ? dueInHours : state.parameters[dueInHours]!;
  const start = from === 'run_start' ? state.startedAt : state.steps[step.id]!.at!;
  return { stepId: step.id, kind, title, dueAt: new Date(Date.parse(start) + hours * 3_600_000).toISOString() };
}

/** Decisions decide themselves once their inputs are answered (Cal. Civ. Code 43.92 via dutyToProtectApplies). */
function resolveDecisions(state: RunState, stamp: Stamp): TimelineEntry[] {
  const entries: TimelineEntry[] = [];
  for (const step of state.definition.steps) {
    const s = state.steps[step.id]!;
    if (step.kind !== 'decision' || s.status !== 'pending' || !isVisible(state, step)) continue;
    const [serious, victim, source] = [step.inputs.seriousThreat, step.inputs.identifiableVictim, step.inputs.communicatedBy]
      .map((id) => state.steps[id]);
    if (serious?.status !== 'done' || victim?.status !== 'done' || source?.status !== 'done') continue;
    const applies = dutyToProtectApplies({
      seriousThreatOfPhysicalViolence: serious.value === 'yes',
      reasonablyIdentifiableVictim: victim.value === 'yes',
      communicatedBy: source.value as ThreatSource,
    });
    Object.assign(s, { status: 'done', ...stamp, value: applies ? 'applies' : 'does_not_apply' });
    entries.push({ ...stamp, stepId: step.id, what: `${step.title}: ${applies ? 'the duty to protect applies' : 'the duty to protect does not apply'}` });
  }
  return entries;
}
