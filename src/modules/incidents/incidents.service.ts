/**
 * What happens when the emergency button is pressed, and after: an incident opens with
 * its protocol run (src/domain/protocols/run.ts), help is paged when the protocol needs
 * it, each step the clinician takes is applied to the run under a row lock and lands on
 * the incident's timeline in the same transaction as its audit event. Step events carry
 * ids made by the browser, so a retried or offline-queued step is applied once.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../server/database.ts';
import type { JobQueue } from '../../server/jobs.ts';
import type { LiveHub, LiveMessage } from '../../server/live.ts';
import { Problem } from '../../server/problems.ts';
import { can, type Action } from '../../domain/permissions.ts';
import { builtInProtocol } from '../../domain/protocols/catalog.ts';
import type { ProtocolDefinition, StepDefinition } from '../../domain/protocols/definition.ts';
import { applyEvent, startRun, type RunAction, type RunState, type TimelineEntry } from '../../domain/protocols/run.ts';
import type { CssrsRisk } from '../../domain/cssrs.ts';
import { appendAuditEvent } from '../audit/audit.repository.ts';
import type { AuthContext } from '../auth/auth.service.ts';
import { authorizeClient } from '../clients/client-access.ts';
import { recordRisk } from '../clients/clients.repository.ts';
import { cancelIncidentPages, publishAll, requestPage, type PageRequested } from '../paging/paging.service.ts';
import { createFollowUpTasks } from '../follow-ups/follow-ups.service.ts';
import { completeIfAlreadyBooked } from '../aftercare/next-session.ts';
import * as repo from './incidents.repository.ts';
import { openEventText, openRunState, sealEventText, sealRunState } from './run-texts.ts';
import type { DisclosureRecipientKind, TimelineKind } from './incidents.table.ts';

type Db = Kysely<Database>;
type Trx = Transaction<Database>;

export interface IncidentDeps {
  db: Db;
  jobs: JobQueue;
  live: LiveHub;
}

/** A browser clock may be behind or ahead; an action reported this far in the future is refused. */
const MAX_CLOCK_SKEW_MS = 2 * 60_000;

// --- opening an incident ----------------------------------------------------------

export interface OpenIncidentInput {
  id: string;
  runId: string;
  clientId: string;
  sessionId?: string | null | undefined;
  protocolKey: string;
  discreet?: boolean | undefined;
  occurredAt?: string | undefined;
}

export interface IncidentOpened {
  id: string;
  runId: string;
  status: 'open' | 'closed';
  pageId: string | null;
}

/**
 * The emergency button. One transaction: the incident, its first protocol run, the
 * timeline, the audit event and, for protocols that need another person now, the page
 * with its escalation timer. The live announcements go out after the commit.
 */
export async function openIncident(deps: IncidentDeps, auth: AuthContext, input: OpenIncidentInput, ip: string | null): Promise<{ created: boolean; incident: IncidentOpened }> {
  const { db } = deps;
  const practiceId = auth.practice.id;
  const definition = builtInProtocol(input.protocolKey);
  if (!definition) throw new Problem('UNKNOWN_PROTOCOL', `There is no protocol "${input.protocolKey}".`);
  await authorizeClient(db, auth, input.clientId, 'incident.open', ip);
  const at = occurredAt(input.occurredAt, null);
  const { overrides, session } = await repo.openingContext(db, practiceId, definition.key, input.sessionId || null);
  if (input.sessionId && session?.client_id !== input.clientId) {
    throw new Problem('SESSION_NOT_FOR_CLIENT', 'That session is not with this client.');
  }

  const started = startRun(definition, overrides, at.toISOString(), auth.user.id);
  const outcome = await db.transaction().execute(async (trx) => {
    // The incident, its run and its timeline in one statement (nothing when the id exists: a retried press).
    const inserted = await repo.insertIncident(trx, {
      practiceId, id: input.id, clientId: input.clientId, sessionId: input.sessionId ?? null, protocolKey: definition.key,
      discreet: input.discreet ?? false, openedBy: auth.user.id, openedAt: at,
      run: { id: input.runId, protocolVersion: started.state.definition.version, state: JSON.stringify(started.state), status: started.state.status, startedAt: new Date(started.state.startedAt) },
      timeline: [
        { at, actorUserId: auth.user.id, runId: null, stepId: null, kind: 'incident', what: `Incident opened: ${definition.title}` },
        ...toEntries(started.timeline, input.runId),
      ],
    });
    if (!inserted.created) return { created: false as const };

    const page = definition.pagesAtOnce
      ? await requestPage(trx, deps.jobs, {
        practiceId, incidentId: input.id, requestedBy: auth.user.id, reason: definition.title, at,
        newIncident: true,
        incident: {
          clientId: input.clientId, protocolKey: definition.key, requester: { role: auth.user.role, name: auth.user.name },
          where: { modality: inserted.modality, locationName: inserted.location_name, locationAddress: inserted.location_address },
          careTeam: inserted.care_team,
        },
      })
      : null;
    await appendAuditEvent(trx, {
      practiceId, actorUserId: auth.user.id, actorRole: auth.user.role, action: 'incident.open', resourceType: 'incident', resourceId: input.id,
      clientId: input.clientId, ip, outcome: 'success',
      detail: { protocol: definition.key, version: definition.version, runId: input.runId, sessionId: input.sessionId ?? null, paged: page?.notifiedUserIds ?? [] },
    });
    // Who follows the incident live, as read in this transaction: nobody but its care team until someone is paged.
    return { created: true as const, page, audience: page?.audience ?? inserted.care_team };
  }).catch((err: unknown) => {
    // A new incident id sent with the run id of an earlier incident's run: refused, and the transaction wrote nothing.
    const failed = err as { code?: string; constraint?: string };
    if (failed.code === '23505' && failed.constraint === 'protocol_runs_pkey') {
      throw new Problem('RUN_ID_REUSED', 'That protocol run id was already used for another run. Make a new id.');
    }
    throw err;
  });

  if (!outcome.created) return { created: false, incident: await sameIncidentAgain(db, auth, input) };
  await announce(deps, practiceId, input.id, outcome.page?.messages ?? [], outcome.audience);
  return { created: true, incident: { id: input.id, runId: input.runId, status: 'open', pageId: outcome.page?.pageId ?? null } };
}

/** A retried press (same incident id): the incident it opened, if it is the same request. */
async function sameIncidentAgain(db: Db, auth: AuthContext, input: OpenIncidentInput): Promise<IncidentOpened> {
  const existing = await db.selectFrom('incidents').select(['id', 'client_id', 'opened_by', 'status', 'protocol_key'])
    .where('practice_id', '=', auth.practice.id).where('id', '=', input.id).executeTakeFirst();
  const run = await db.selectFrom('protocol_runs').select('id').where('practice_id', '=', auth.practice.id)
    .where('incident_id', '=', input.id).where('id', '=', input.runId).executeTakeFirst();
  if (!existing || !run || existing.client_id !== input.clientId || existing.opened_by !== auth.user.id || existing.protocol_key !== input.protocolKey) {
    throw new Problem('INCIDENT_ID_REUSED', 'That incident id was already used for another incident. Make a new id.');
  }
  const page = await db.selectFrom('pages').select('id').where('practice_id', '=', auth.practice.id).where('incident_id', '=', input.id)
    .orderBy('created_at').executeTakeFirst();
  return { id: existing.id, runId: run.id, status: existing.status, pageId: page?.id ?? null };
}

// --- who may see and act on an incident ------------------------------------------

export interface IncidentAccess extends repo.IncidentAccessRow {
  canAct: boolean;
}

/**
 * The gate to one incident: its client's care team, and whoever was paged for it
 * (`incident.read` / `incident.note`); acting on the protocol is the care team's.
 * Everyone else gets 404, audited, as for a client's record.
 */
export async function authorizeIncident(db: Db, auth: AuthContext, incidentId: string, action: Action, ip: string | null): Promise<IncidentAccess> {
  const row = await repo.findIncidentForAccess(db, auth.practice.id, incidentId);
  const resource = row && { practiceId: auth.practice.id, assignedClinicianIds: row.assigned, pagedUserIds: row.paged };
  if (row && resource && can(action, auth.actor, resource)) {
    return { ...row, canAct: can('incident.act', auth.actor, resource) };
  }
  await appendAuditEvent(db, {
    practiceId: auth.practice.id, actorUserId: auth.user.id, actorRole: auth.user.role, action, resourceType: 'incident', resourceId: incidentId,
    clientId: row?.client_id ?? null, ip, outcome: 'denied', detail: { reason: row ? 'not_care_team_or_paged' : 'no_such_incident_in_practice' },
  });
  throw new Problem('NOT_FOUND', 'No such incident.');
}

// --- a step of the protocol --------------------------------------------------------

export interface DisclosureInput {
  recipientName: string;
  recipientContact?: string | undefined;
  /** For the accounting of disclosures (164.528(b)(2)(ii)): the recipient's address, if known. */
  recipientAddress?: string | undefined;
  whatWasSaid: string;
}

export interface StepEventInput {
  id: string;
  occurredAt?: string | undefined;
  action: RunAction;
  disclosure?: DisclosureInput | undefined;
}

export interface StepEventResult {
  run: { id: string; status: 'open' | 'completed'; state: RunState };
  timeline: TimelineView[];
  replayed: boolean;
  openedRunId: string | null;
}

/**
 * Applies one step event to a run: checked by the pure engine, then its consequences
 * (a page, a new run, a disclosure, follow-up tasks, the client's risk status) in the
 * same transaction. A rejected event changes nothing.
 */
export async function recordStepEvent(deps: IncidentDeps, auth: AuthContext, incidentId: string, runId: string, input: StepEventInput, ip: string | null): Promise<StepEventResult> {
  const { db } = deps;
  const practiceId = auth.practice.id;
  const access = await authorizeIncident(db, auth, incidentId, 'incident.act', ip);
  const at = occurredAt(input.occurredAt, access.opened_at);

  const outcome = await db.transaction().execute(async (trx) => {
    const incident = await repo.lockIncident(trx, practiceId, incidentId);
    const locked = await repo.lockRun(trx, practiceId, incidentId, runId);
    if (!incident || !locked) throw new Problem('NOT_FOUND', 'This incident has no such protocol run.');
    const run = { ...locked, state: await openRunState(trx, practiceId, locked.state) };
    const earlier = await repo.findRunEvent(trx, practiceId, input.id);
    if (earlier) {
      if (earlier.run_id !== runId || earlier.actor_user_id !== auth.user.id || !sameAction(await openEventText(trx, practiceId, earlier.action), input)) {
        throw new Problem('EVENT_ID_REUSED', 'That step id was already used for a different action. Make a new id.');
      }
      return { replayed: true as const, run, timeline: [], openedRunId: null, messages: [] };
    }
    if (incident.status === 'closed') throw new Problem('INCIDENT_ALREADY_CLOSED', 'This incident is closed; nothing more can be recorded on its protocol.');

    const applied = applyEvent(run.state, { ...input.action, at: at.toISOString(), actor: auth.user.id } as Parameters<typeof applyEvent>[1]);
    const stepId = input.action.type === 'complete' ? undefined : input.action.stepId;
    const step = stepId === undefined ? undefined : run.state.definition.steps.find((s) => s.id === stepId);
    const entries: repo.NewTimelineEntry[] = toEntries(applied.timeline, runId);
    const consequences = await stepConsequences(trx, deps, auth, { incident, runId, step, input, at, state: applied.state });
    entries.push(...consequences.entries);

    // Owned by whoever opened the incident, due by the protocol's window; reminders and the overdue escalation are queued with them.
    const followUps = await createFollowUpTasks(trx, deps.jobs, {
      practiceId, clientId: incident.client_id, incidentId, runId, assignedTo: incident.opened_by, createdBy: auth.user.id,
      requests: applied.followUps, now: new Date(),
    });
    // Documented words are stored encrypted (run-texts.ts); the engine and the answer work on plain text.
    await trx.updateTable('protocol_runs').set({ state: JSON.stringify(await sealRunState(trx, practiceId, applied.state)), status: applied.state.status })
      .where('practice_id', '=', practiceId).where('id', '=', runId).execute();
    await trx.insertInto('run_events').values({
      practice_id: practiceId, id: input.id, run_id: runId, incident_id: incidentId, actor_user_id: auth.user.id, occurred_at: at,
      action: JSON.stringify(await sealEventText(trx, practiceId, { ...input.action, ...(input.disclosure ? { disclosure: input.disclosure } : {}) })),
    }).execute();
    const written = await repo.insertTimeline(trx, practiceId, incidentId, entries);
    await completeIfAlreadyBooked(trx, { practiceId, tasks: followUps, by: auth.user, at, ip, timeZone: auth.practice.timeZone });
    await appendAuditEvent(trx, {
      practiceId, actorUserId: auth.user.id, actorRole: auth.user.role, action: 'incident.act', resourceType: 'protocol_run', resourceId: runId,
      clientId: incident.client_id, ip, outcome: 'success',
      detail: { incidentId, eventId: input.id, type: input.action.type, stepId: step?.id ?? null, openedRunId: consequences.openedRunId },
    });
    return {
      replayed: false as const, run: { ...run, state: applied.state, status: applied.state.status },
      timeline: written, openedRunId: consequences.openedRunId, messages: consequences.messages,
    };
  });

  if (!outcome.replayed) await announce(deps, practiceId, incidentId, outcome.messages);
  const names = await userNames(db, practiceId, outcome.timeline.map((t) => t.actor_user_id));
  return {
    run: { id: runId, status: outcome.run.status, state: outcome.run.state },
    timeline: outcome.timeline.map((t) => timelineView(t, names)),
    replayed: outcome.replayed,
    openedRunId: outcome.openedRunId,
  };
}

const DISCLOSURE_ACTIONS = new Set(['record_disclosure', 'call_emergency_services', 'contact_emergency_contact']);

/** HIPAA's permission for each kind of disclosure an emergency makes (for the accounting, 164.528). */
const LEGAL_BASIS_BY_ACTION: Record<string, { kind: DisclosureRecipientKind; basis: string; purpose: string }> = {
  call_emergency_services: {
    kind: 'emergency_services',
    basis: 'HIPAA 45 CFR 164.512(j)(1)(i): to prevent or lessen a serious and imminent threat to health or safety',
    purpose: 'Emergency services called during the session',
  },
  contact_emergency_contact: {
    kind: 'emergency_contact',
    basis: "HIPAA 45 CFR 164.510(b)(3) (emergency; the client's emergency contact) and 164.512(j)(1)(i)",
    purpose: "The client's emergency contact told of the emergency",
  },
};

async function stepConsequences(trx: Trx, deps: IncidentDeps, auth: AuthContext, c: {
  incident: { id: string; client_id: string; opened_by: string };
  runId: string; step: StepDefinition | undefined; input: StepEventInput; at: Date; state: RunState;
}): Promise<{ entries: repo.NewTimelineEntry[]; openedRunId: string | null; messages: LiveMessage[] }> {
  const practiceId = auth.practice.id;
  const entries: repo.NewTimelineEntry[] = [];
  const messages: LiveMessage[] = [];
  let openedRunId: string | null = null;
  const { step, input, at } = c;
  const stamp = { at, actorUserId: auth.user.id, runId: c.runId, stepId: step?.id ?? null };

  if (step?.kind === 'assessment' && input.action.type === 'record_assessment') {
    // The screener's triage becomes the client's current risk status (C-SSRS screener, recent).
    const risk = c.state.steps[step.id]!.value as CssrsRisk;
    await recordRisk(trx, {
      practiceId, id: randomUUID(), clientId: c.incident.client_id, level: risk, source: 'cssrs', assessedBy: auth.user.id,
      justification: `C-SSRS screener during incident ${c.incident.id}`,
    });
    entries.push({ ...stamp, kind: 'protocol', what: `Client's risk status set to ${risk} (C-SSRS screener)` });
  }
  if (step?.kind !== 'action' || input.action.type !== 'mark_done') {
    if (input.disclosure) throw new Problem('VALIDATION_FAILED', 'A disclosure can be recorded only with a step that discloses.');
    return { entries, openedRunId, messages };
  }

  if (DISCLOSURE_ACTIONS.has(step.action)) {
    if (step.action === 'record_disclosure' && !input.disclosure) {
      throw new Problem('DISCLOSURE_REQUIRED', `"${step.title}" needs who was told, how to reach them and what was said.`);
    }
    if (input.disclosure) {
      const known = LEGAL_BASIS_BY_ACTION[step.action];
      const kind = step.recipient ?? known?.kind ?? 'other';
      const basis = step.legalBasis ?? known?.basis ?? 'Recorded by the clinician';
      await trx.insertInto('disclosures').values({
        practice_id: practiceId, id: randomUUID(), client_id: c.incident.client_id, incident_id: c.incident.id, run_id: c.runId, step_id: step.id,
        recipient_kind: kind, recipient_name: input.disclosure.recipientName, recipient_contact: input.disclosure.recipientContact ?? null,
        recipient_address: input.disclosure.recipientAddress ?? null,
        what_was_said: input.disclosure.whatWasSaid, legal_basis: basis, purpose: known?.purpose ?? step.title, disclosed_at: at, recorded_by: auth.user.id,
      }).execute();
      entries.push({ ...stamp, kind: 'disclosure', what: `Disclosure recorded: ${input.disclosure.recipientName} (${kind.replace('_', ' ')}); legal basis: ${basis}` });
    }
  } else if (input.disclosure) {
    throw new Problem('VALIDATION_FAILED', 'A disclosure can be recorded only with a step that discloses.');
  }

  if (step.action === 'page_supervisor') {
    const page: PageRequested = await requestPage(trx, deps.jobs, { practiceId, incidentId: c.incident.id, requestedBy: auth.user.id, reason: step.title, at });
    messages.push(...page.messages);
  }
  if (step.action === 'start_protocol' && step.protocol) {
    const definition = builtInProtocol(step.protocol) as ProtocolDefinition;
    openedRunId = randomUUID();
    const overrides = await repo.overridesFor(trx, practiceId, definition.key);
    const started = startRun(definition, overrides, at.toISOString(), auth.user.id);
    await insertRun(trx, practiceId, c.incident.id, openedRunId, started.state, auth.user.id, step.id);
    entries.push(...toEntries(started.timeline, openedRunId));
    if (definition.pagesAtOnce) {
      const page = await requestPage(trx, deps.jobs, { practiceId, incidentId: c.incident.id, requestedBy: auth.user.id, reason: definition.title, at });
      messages.push(...page.messages);
    }
  }
  return { entries, openedRunId, messages };
}

// --- notes, asking for help, closing ----------------------------------------------

/**
 * A note on the timeline: the clinician, or a supervisor watching live. With the id the
 * browser made, a note resent from the offline queue is answered with the one written.
 */
export async function addNote(deps: IncidentDeps, auth: AuthContext, incidentId: string, input: { text: string; id?: string | undefined }, ip: string | null): Promise<{ entry: TimelineView; created: boolean }> {
  const access = await authorizeIncident(deps.db, auth, incidentId, 'incident.note', ip);
  const outcome = await deps.db.transaction().execute(async (trx) => {
    const inserted = await trx.insertInto('incident_timeline').values({
      practice_id: auth.practice.id, incident_id: incidentId, at: new Date(), actor_user_id: auth.user.id, run_id: null, step_id: null,
      kind: 'note', what: input.text, client_ref: input.id ?? null,
    }).onConflict((oc) => oc.columns(['practice_id', 'client_ref']).where('client_ref', 'is not', null).doNothing())
      .returning(['seq', 'at', 'actor_user_id', 'run_id', 'step_id', 'kind', 'what']).executeTakeFirst();
    if (!inserted) {
      const earlier = await trx.selectFrom('incident_timeline').select(['seq', 'at', 'actor_user_id', 'run_id', 'step_id', 'kind', 'what', 'incident_id'])
        .where('practice_id', '=', auth.practice.id).where('client_ref', '=', input.id!).executeTakeFirstOrThrow();
      if (earlier.incident_id !== incidentId || earlier.actor_user_id !== auth.user.id || earlier.what !== input.text) {
        throw new Problem('EVENT_ID_REUSED', 'That note id was already used for another note. Make a new id.');
      }
      return { entry: earlier, created: false };
    }
    await appendAuditEvent(trx, {
      practiceId: auth.practice.id, actorUserId: auth.user.id, actorRole: auth.user.role, action: 'incident.note', resourceType: 'incident',
      resourceId: incidentId, clientId: access.client_id, ip, outcome: 'success', detail: { seq: inserted.seq },
    });
    return { entry: inserted, created: true };
  });
  if (outcome.created) await announce(deps, auth.practice.id, incidentId, []);
  return { entry: timelineView(outcome.entry, new Map([[auth.user.id, auth.user.name]])), created: outcome.created };
}

/** "Ask for help": pages by the practice's escalation policy (one open page per incident). */
export async function askForHelp(deps: IncidentDeps, auth: AuthContext, incidentId: string, reason: string, ip: string | null): Promise<{ pageId: string }> {
  const access = await authorizeIncident(deps.db, auth, incidentId, 'incident.act', ip);
  if (access.status === 'closed') throw new Problem('INCIDENT_ALREADY_CLOSED', 'This incident is closed.');
  const page = await deps.db.transaction().execute(async (trx) => {
    const requested = await requestPage(trx, deps.jobs, { practiceId: auth.practice.id, incidentId, requestedBy: auth.user.id, reason, at: new Date() });
    await appendAuditEvent(trx, {
      practiceId: auth.practice.id, actorUserId: auth.user.id, actorRole: auth.user.role, action: 'incident.act', resourceType: 'page',
      resourceId: requested.pageId, clientId: access.client_id, ip, outcome: 'success', detail: { incidentId, reason, notified: requested.notifiedUserIds },
    });
    return requested;
  });
  await announce(deps, auth.practice.id, incidentId, page.messages);
  return { pageId: page.pageId };
}

/**
 * Closes an incident once every protocol run is completed and its follow-ups are done
 * (SCENARIOS S1: the incident closes only after the follow-up is done).
 */
export async function closeIncident(deps: IncidentDeps, auth: AuthContext, incidentId: string, ip: string | null): Promise<void> {
  const access = await authorizeIncident(deps.db, auth, incidentId, 'incident.act', ip);
  const messages = await deps.db.transaction().execute(async (trx) => {
    const incident = await repo.lockIncident(trx, auth.practice.id, incidentId);
    if (incident?.status === 'closed') throw new Problem('INCIDENT_ALREADY_CLOSED', 'This incident is already closed.');
    const openRuns = await trx.selectFrom('protocol_runs').select('protocol_key').where('practice_id', '=', auth.practice.id)
      .where('incident_id', '=', incidentId).where('status', '=', 'open').execute();
    if (openRuns.length) throw new Problem('RUNS_OPEN', `Complete the protocol first: ${openRuns.map((r) => builtInProtocol(r.protocol_key)?.title ?? r.protocol_key).join(', ')}.`);
    // "Unable to reach" is not closed either: the supervisor decides what happens next (issue 5, item 7).
    const openFollowUps = await trx.selectFrom('follow_up_tasks').select(['title', 'due_at']).where('practice_id', '=', auth.practice.id)
      .where('incident_id', '=', incidentId).where('status', 'in', ['open', 'unable_to_reach']).orderBy('due_at').execute();
    if (openFollowUps.length) {
      throw new Problem('FOLLOW_UPS_OPEN', `Still to do before closing: ${openFollowUps.map((f) => f.title).join('; ')}.`);
    }
    const now = new Date();
    await trx.updateTable('incidents').set({ status: 'closed', closed_at: now, closed_by: auth.user.id })
      .where('practice_id', '=', auth.practice.id).where('id', '=', incidentId).execute();
    const cancelled = await cancelIncidentPages(trx, { practiceId: auth.practice.id, incidentId, by: auth.user.id, at: now, why: 'the incident was closed' });
    await repo.insertTimeline(trx, auth.practice.id, incidentId, [{ at: now, actorUserId: auth.user.id, runId: null, stepId: null, kind: 'incident', what: 'Incident closed' }]);
    await appendAuditEvent(trx, {
      practiceId: auth.practice.id, actorUserId: auth.user.id, actorRole: auth.user.role, action: 'incident.act', resourceType: 'incident',
      resourceId: incidentId, clientId: access.client_id, ip, outcome: 'success', detail: { closed: true },
    });
    return cancelled;
  });
  await announce(deps, auth.practice.id, incidentId, messages);
}

// --- helpers -----------------------------------------------------------------------

async function insertRun(trx: Trx, practiceId: string, incidentId: string, runId: string, state: RunState, actor: string, openedByStep: string | null) {
  await trx.insertInto('protocol_runs').values({
    practice_id: practiceId, id: runId, incident_id: incidentId, protocol_key: state.definition.key, protocol_version: state.definition.version,
    state: JSON.stringify(state), status: state.status, started_at: new Date(state.startedAt), started_by: actor, opened_by_step: openedByStep,
  }).execute();
}

function toEntries(timeline: TimelineEntry[], runId: string): repo.NewTimelineEntry[] {
  return timeline.map((t) => ({ at: new Date(t.at), actorUserId: t.actor, runId, stepId: t.stepId, kind: 'protocol' as TimelineKind, what: t.what }));
}

/** When the clinician did it: now, or the browser's time for an action queued while offline. */
function occurredAt(value: string | undefined, notBefore: Date | null): Date {
  const now = Date.now();
  if (value === undefined) return new Date(now);
  const at = new Date(value);
  if (at.getTime() > now + MAX_CLOCK_SKEW_MS) throw new Problem('OCCURRED_AT_INVALID', 'That time is in the future; check the device clock.');
  if (notBefore && at.getTime() < notBefore.getTime() - MAX_CLOCK_SKEW_MS) throw new Problem('OCCURRED_AT_INVALID', 'That time is before the incident was opened.');
  return at;
}

function sameAction(stored: unknown, input: StepEventInput): boolean {
  const { disclosure, ...action } = stored as RunAction & { disclosure?: unknown };
  return canonical(action) === canonical(input.action) && canonical(disclosure ?? null) === canonical(input.disclosure ?? null);
}

function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => (v && typeof v === 'object' && !Array.isArray(v)
    ? Object.fromEntries(Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined).sort(([a], [b]) => a.localeCompare(b)))
    : v));
}

/** Publishes `messages` and tells the incident's audience it changed (`audience`: already read, else read now). */
async function announce(deps: IncidentDeps, practiceId: string, incidentId: string, messages: LiveMessage[], known?: string[]) {
  try {
    // Paging already announces the incident to its whole audience when it pages: once is enough.
    const announced = messages.some((m) => m.type === 'incident.updated' && m.data.incidentId === incidentId);
    const audience = announced ? [] : known ?? await repo.incidentAudience(deps.db, practiceId, incidentId);
    await publishAll(deps.live, deps.db, announced ? messages : [...messages, { type: 'incident.updated', practiceId, userIds: audience, data: { incidentId } }]);
  } catch {
    // Live updates are a convenience on top of committed data: browsers refetch on reconnect.
  }
}

export interface TimelineView {
  seq: number;
  at: string;
  actor: { id: string; name: string } | null;
  runId: string | null;
  stepId: string | null;
  kind: string;
  what: string;
}

export function timelineView(t: { seq: number; at: Date; actor_user_id: string | null; run_id: string | null; step_id: string | null; kind: string; what: string }, names: Map<string, string>): TimelineView {
  return {
    seq: t.seq, at: t.at.toISOString(), actor: t.actor_user_id ? { id: t.actor_user_id, name: names.get(t.actor_user_id) ?? 'Someone' } : null,
    runId: t.run_id, stepId: t.step_id, kind: t.kind, what: t.what,
  };
}

async function userNames(db: Db, practiceId: string, ids: (string | null)[]): Promise<Map<string, string>> {
  const wanted = [...new Set(ids.filter((x): x is string => x !== null))];
  if (!wanted.length) return new Map();
  const rows = await db.selectFrom('users').select(['id', 'name']).where('practice_id', '=', practiceId).where('id', 'in', wanted).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}
