/**
 * What the incident screen shows, as plain functions: the incident as last known (the
 * server's answer, or the one made in this browser before the server has seen it), with
 * the writes still waiting in the outbox applied on top by the same protocol engine the
 * server runs. The server's state always wins; a queued event it already applied is
 * refused by the engine (already done, already running) and simply not shown twice.
 */
import type { ProtocolDefinition } from '../../domain/protocols/definition.ts';
import { ProtocolError } from '../../domain/protocols/errors.ts';
import { applyEvent, startRun, type RunState } from '../../domain/protocols/run.ts';
import type { Problem } from '../api.ts';
import type { OutboxItem } from '../offline/outbox-queue.ts';
import type {
  DisclosureView, FollowUpView, IncidentDetail, Named, OpenIncidentBody, RunEventBody, RunEventResult, TimelineEntry, TimelineKind,
} from './incident-types.ts';

/** A timeline line on screen; `pending` lines are waiting in the outbox. */
export interface ViewEntry {
  key: string;
  at: string;
  actor: Named | null;
  runId: string | null;
  stepId: string | null;
  kind: TimelineKind;
  what: string;
  pending: boolean;
}

export interface IncidentView {
  /** The incident with queued protocol events applied to its runs. */
  detail: IncidentDetail;
  timeline: ViewEntry[];
  disclosures: (DisclosureView & { pending: boolean })[];
  followUps: (FollowUpView & { pending: boolean })[];
  /** Writes for this incident still waiting to be sent. */
  queued: number;
}

const INCIDENT_PATH = /^\/api\/incidents\/([^/]+)(?:\/(.*))?$/;
const EVENTS_PATH = /^runs\/([^/]+)\/events$/;

/** The incident an outbox item is about, if any. */
export function incidentIdOf(item: OutboxItem): string | null {
  if (item.path === '/api/incidents') return (item.body as Partial<OpenIncidentBody> | undefined)?.id ?? null;
  return INCIDENT_PATH.exec(item.path)?.[1] ?? null;
}

type Queued =
  | { kind: 'event'; runId: string; body: RunEventBody; item: OutboxItem }
  | { kind: 'note'; text: string; item: OutboxItem }
  | { kind: 'help'; reason: string; item: OutboxItem }
  | { kind: 'other'; item: OutboxItem };

function describe(item: OutboxItem): Queued {
  const rest = INCIDENT_PATH.exec(item.path)?.[2] ?? '';
  const events = EVENTS_PATH.exec(rest);
  if (events) return { kind: 'event', runId: events[1]!, body: item.body as RunEventBody, item };
  if (rest === 'notes') return { kind: 'note', text: String((item.body as { text?: unknown })?.text ?? ''), item };
  if (rest === 'pages') return { kind: 'help', reason: String((item.body as { reason?: unknown })?.reason ?? ''), item };
  return { kind: 'other', item };
}

/** The outbox items of one incident, in queue order. */
export function queuedFor(items: readonly OutboxItem[], incidentId: string): OutboxItem[] {
  return items.filter((i) => incidentIdOf(i) === incidentId);
}

/** The incident as the browser makes it before the server has answered: one run, just started. */
export function provisionalIncident(input: OpenIncidentBody, protocol: ProtocolDefinition, actor: Named): IncidentDetail {
  const started = startRun(protocol, {}, input.occurredAt, actor.id);
  return {
    id: input.id,
    status: 'open',
    protocolKey: input.protocolKey,
    discreet: input.discreet,
    openedAt: input.occurredAt,
    openedBy: actor,
    closedAt: null,
    client: { id: input.clientId, name: '' },
    sessionId: input.sessionId,
    session: null,
    crisisResources: null,
    runs: [{ id: input.runId, protocolKey: input.protocolKey, status: 'open', startedAt: input.occurredAt, openedByStep: null, state: started.state }],
    timeline: started.timeline.map((t, i) => ({ seq: -1 - i, at: t.at, actor, runId: input.runId, stepId: t.stepId, kind: 'protocol', what: t.what })),
    pages: [],
    disclosures: [],
    followUps: [],
    emergencyContacts: [],
    viewer: { canAct: true },
  };
}

/** The last known incident with an accepted event's answer folded in. */
export function withEventResult(detail: IncidentDetail, result: RunEventResult): IncidentDetail {
  const runs = detail.runs.map((r) => (r.id === result.run.id ? { ...r, status: result.run.status, state: result.run.state } : r));
  const known = new Set(detail.timeline.map((t) => t.seq));
  const timeline = [...detail.timeline, ...result.timeline.filter((t) => !known.has(t.seq))].sort((a, b) => a.seq - b.seq);
  return { ...detail, runs, timeline };
}

/** The screen's view: the last known incident plus what is still waiting in the outbox. */
export function incidentView(detail: IncidentDetail, queued: readonly OutboxItem[], me: Named): IncidentView {
  const runs = detail.runs.map((r) => ({ ...r }));
  const timeline: ViewEntry[] = detail.timeline.map((t) => entryOf(t));
  const disclosures = detail.disclosures.map((d) => ({ ...d, pending: false }));
  const followUps = detail.followUps.map((f) => ({ ...f, pending: false }));

  for (const q of queued.map(describe)) {
    const at = q.kind === 'event' ? q.body.occurredAt : q.item.createdAt;
    const pendingEntry = (what: string, kind: TimelineKind, stepId: string | null, runId: string | null): ViewEntry => ({
      key: `${q.item.id}:${timeline.length}`, at, actor: me, runId, stepId, kind, what, pending: true,
    });
    if (q.kind === 'note') timeline.push(pendingEntry(`Note: ${q.text}`, 'note', null, null));
    if (q.kind === 'help') timeline.push(pendingEntry(`Asked for help: ${q.reason}`, 'page', null, null));
    if (q.kind !== 'event') continue;
    const run = runs.find((r) => r.id === q.runId);
    if (!run) continue;
    const applied = tryApply(run.state, q.body, me.id);
    if (!applied) continue;
    run.state = applied.state;
    run.status = applied.state.status;
    for (const t of applied.timeline) timeline.push(pendingEntry(t.what, 'protocol', t.stepId, run.id));
    for (const f of applied.followUps) {
      followUps.push({ id: `${q.item.id}:${f.stepId}`, kind: f.kind, title: f.title, dueAt: f.dueAt, status: 'open', stepId: f.stepId, assignedTo: me, pending: true });
    }
    const { disclosure, action: done } = q.body;
    if (disclosure && done.type !== 'complete') {
      const step = run.state.definition.steps.find((s) => s.id === done.stepId);
      const action = step?.kind === 'action' ? step : undefined;
      disclosures.push({
        id: q.item.id,
        recipientKind: action?.recipient ?? 'other',
        recipientName: disclosure.recipientName,
        recipientContact: disclosure.recipientContact ?? null,
        whatWasSaid: disclosure.whatWasSaid,
        legalBasis: action?.legalBasis ?? '',
        purpose: action?.title ?? '',
        disclosedAt: q.body.occurredAt,
        stepId: step?.id ?? null,
        pending: true,
      });
    }
  }
  timeline.sort((a, b) => Date.parse(a.at) - Date.parse(b.at) || Number(a.pending) - Number(b.pending));
  return { detail: { ...detail, runs }, timeline, disclosures, followUps, queued: queued.length };
}

function entryOf(t: TimelineEntry): ViewEntry {
  return { key: `seq:${t.seq}`, at: t.at, actor: t.actor, runId: t.runId, stepId: t.stepId, kind: t.kind, what: t.what, pending: false };
}

/** Applies a queued event; null when the engine refuses it (already applied by the server, or no longer possible). */
export function tryApply(state: RunState, body: RunEventBody, actorId: string): ReturnType<typeof applyEvent> | null {
  try {
    return applyEvent(state, { ...body.action, at: body.occurredAt, actor: actorId });
  } catch {
    return null;
  }
}

/**
 * Checks an event against the run as shown before it is queued, with the same engine the
 * server runs: a refusal the browser can already see (a step done twice, no reason for a
 * skip, a missing disclosure) is shown at once instead of after a round trip.
 */
export function refusalOf(state: RunState, body: RunEventBody, actorId: string): Problem | null {
  try {
    applyEvent(state, { ...body.action, at: body.occurredAt, actor: actorId });
  } catch (err) {
    if (err instanceof ProtocolError) return { status: err.status, code: err.code, detail: err.message };
    throw err;
  }
  const { action } = body;
  const step = action.type === 'complete' ? undefined : state.definition.steps.find((s) => s.id === action.stepId);
  const d = body.disclosure;
  if (step?.kind === 'action' && step.action === 'record_disclosure' && action.type === 'mark_done') {
    if (!d || !d.recipientName.trim() || !d.whatWasSaid.trim()) {
      return { status: 422, code: 'DISCLOSURE_REQUIRED', detail: 'Record who was told, and what was said.' };
    }
  }
  return null;
}
