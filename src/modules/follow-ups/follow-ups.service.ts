/**
 * Follow-up tasks after an emergency or a session: made by protocols (with the owner and
 * due time from the protocol's windows) or by hand; every attempt to reach the client is
 * logged; after the set number of failed attempts the task becomes "unable to reach" and
 * escalates to the assignee's supervisors. Reminders and the overdue escalation are
 * pg-boss timers (follow-up-timers.ts). Every read and write of client data is audited
 * in the same transaction as the work.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../server/database.ts';
import type { JobQueue } from '../../server/jobs.ts';
import type { LiveHub, LiveMessage } from '../../server/live.ts';
import { Problem } from '../../server/problems.ts';
import type { FollowUpRequest } from '../../domain/protocols/run.ts';
import { appendAuditEvent } from '../audit/audit.repository.ts';
import type { AuthContext } from '../auth/auth.service.ts';
import { authorizeClient } from '../clients/client-access.ts';
import { insertTimeline } from '../incidents/incidents.repository.ts';
import type { FollowUpChannel, FollowUpTask } from '../incidents/incidents.table.ts';
import { queueMessage, type TemplateKey } from '../messaging/outbox.ts';
import { publishAll, systemClock, type Clock } from '../paging/paging.service.ts';
import type { AttemptOutcome, FollowUpAttempt } from './follow-ups.table.ts';
import { cancelTimers, scheduleTimers } from './follow-up-timers.ts';
import { notify } from './notifications.ts';
import * as repo from './follow-ups.repository.ts';

type Db = Kysely<Database>;
type Trx = Transaction<Database>;
type Named = { id: string; name: string };

export interface FollowUpDeps { db: Db; jobs: JobQueue; live: LiveHub; clock?: Clock }

/** Attempts that did not reach the client; they count toward "unable to reach". */
const FAILED: ReadonlySet<AttemptOutcome> = new Set(['no_answer', 'left_message', 'wrong_number']);
const ACTIVE = new Set(['open', 'unable_to_reach']);

const OUTCOME_LABELS: Record<AttemptOutcome, string> = {
  reached: 'reached', no_answer: 'no answer', left_message: 'left a message', wrong_number: 'wrong number',
};
const CHANNEL_LABELS: Record<FollowUpChannel, string> = { voice: 'call', text: 'text', email: 'email', in_person: 'in person' };

// --- views --------------------------------------------------------------------------

export interface AttemptView {
  id: string; channel: FollowUpChannel; outcome: AttemptOutcome; note: string; messageId: string | null; attemptedAt: string; recordedBy: Named;
}
export interface FollowUpItem {
  id: string; kind: string; title: string; status: string; source: 'protocol' | 'manual'; dueAt: string; overdue: boolean;
  channel: FollowUpChannel | null; attempts: { count: number; failed: number; max: number };
  escalationReason: 'overdue' | 'unable_to_reach' | null; client: Named; incidentId: string | null; assignedTo: Named;
}
export interface FollowUpDetail extends FollowUpItem {
  remindAt: string | null; remindedAt: string | null; escalatedAt: string | null; note: string | null;
  doneAt: string | null; doneBy: Named | null; createdAt: string; updatedAt: string; scheduleVersion: number;
  attemptLog: AttemptView[];
}

/** Past its due time, or escalated as overdue by its timer, and not yet closed. */
const isOverdue = (status: string, dueAt: Date, now: Date, reason: string | null = null) =>
  ACTIVE.has(status) && (dueAt.getTime() < now.getTime() || reason === 'overdue');

function itemView(r: repo.ListRow, now: Date): FollowUpItem {
  return {
    id: r.id, kind: r.kind, title: r.title, status: r.status, source: r.source, dueAt: r.due_at.toISOString(), overdue: isOverdue(r.status, r.due_at, now, r.escalation_reason),
    channel: r.channel, attempts: { count: r.attempt_count, failed: r.failed_attempts, max: r.max_attempts },
    escalationReason: r.escalation_reason, client: { id: r.client_id, name: r.client_name }, incidentId: r.incident_id,
    assignedTo: { id: r.assigned_to, name: r.assignee_name },
  };
}

async function detailView(db: Db | Trx, practiceId: string, task: FollowUpTask, now: Date): Promise<FollowUpDetail> {
  const attempts = await repo.findAttempts(db, practiceId, task.id);
  const names = await repo.userNames(db, practiceId, [task.assigned_to, task.done_by, ...attempts.map((a) => a.recorded_by)]);
  const named = (id: string): Named => ({ id, name: names.get(id) ?? 'Someone' });
  return {
    id: task.id, kind: task.kind, title: task.title, status: task.status, source: task.source, dueAt: task.due_at.toISOString(),
    overdue: isOverdue(task.status, task.due_at, now, task.escalation_reason), channel: task.channel,
    attempts: { count: attempts.length, failed: task.failed_attempts, max: task.max_attempts },
    escalationReason: task.escalation_reason, client: { id: task.client_id, name: await repo.clientName(db, practiceId, task.client_id) },
    incidentId: task.incident_id, assignedTo: named(task.assigned_to),
    remindAt: task.remind_at?.toISOString() ?? null, remindedAt: task.reminded_at?.toISOString() ?? null, escalatedAt: task.escalated_at?.toISOString() ?? null,
    note: task.note, doneAt: task.done_at?.toISOString() ?? null, doneBy: task.done_by ? named(task.done_by) : null,
    createdAt: task.created_at.toISOString(), updatedAt: task.updated_at.toISOString(), scheduleVersion: task.schedule_version,
    attemptLog: attempts.map((a) => attemptView(a, named)),
  };
}

function attemptView(a: FollowUpAttempt, named: (id: string) => Named): AttemptView {
  return { id: a.id, channel: a.channel, outcome: a.outcome, note: a.note, messageId: a.message_id, attemptedAt: a.attempted_at.toISOString(), recordedBy: named(a.recorded_by) };
}

/** When the reminder goes: the practice's lead time before the due time. */
const remindAtFor = (dueAt: Date, leadMinutes: number) => new Date(dueAt.getTime() - leadMinutes * 60_000);

// --- created by protocols ---------------------------------------------------------------

/** Channels in the order a reach-out tries them (a call first when the client agreed to calls). */
const REACH_OUT_ORDER = ['voice', 'text', 'email'] as const;

/**
 * The channel the client agreed to be reached on (seed 003: "reach out by the agreed
 * channel"; SCENARIOS S1: by text, the channel Jordan consented to), or null when none.
 */
async function agreedChannel(trx: Trx, practiceId: string, clientId: string): Promise<FollowUpChannel | null> {
  const given = await trx.selectFrom('channel_consents').select('channel').where('practice_id', '=', practiceId)
    .where('client_id', '=', clientId).where('consent', '=', 'given').execute();
  return REACH_OUT_ORDER.find((c) => given.some((g) => g.channel === c)) ?? null;
}

/**
 * The follow-ups a protocol step asks for, inside the step's transaction: owned by whoever
 * opened the incident, due by the protocol's window, with the practice's number of
 * attempts and reminder lead time; their timers are queued in the same transaction.
 * A step applied again adds nothing (unique per run and step).
 */
export async function createFollowUpTasks(trx: Trx, jobs: JobQueue, input: {
  practiceId: string; clientId: string; incidentId: string | null; runId: string | null; assignedTo: string; createdBy: string | null;
  requests: readonly FollowUpRequest[]; now: Date;
}): Promise<FollowUpTask[]> {
  if (input.requests.length === 0) return [];
  const settings = await repo.findSettings(trx, input.practiceId);
  const channel = await agreedChannel(trx, input.practiceId, input.clientId);
  const inserted = await trx.insertInto('follow_up_tasks').values(input.requests.map((f) => {
    const dueAt = new Date(f.dueAt);
    return {
      practice_id: input.practiceId, id: randomUUID(), client_id: input.clientId, incident_id: input.incidentId, run_id: input.runId, step_id: f.stepId,
      kind: f.kind, title: f.title, due_at: dueAt, assigned_to: input.assignedTo, done_at: null, done_by: null, note: null,
      source: 'protocol' as const, channel, max_attempts: settings.defaultMaxAttempts, remind_at: remindAtFor(dueAt, settings.reminderLeadMinutes),
      created_by: input.createdBy, updated_at: input.now,
    };
  })).onConflict((oc) => oc.doNothing()).returningAll().execute();
  await scheduleTimers(trx, jobs, inserted.map(scheduleOf), input.now);
  return inserted;
}

const scheduleOf = (t: FollowUpTask) => ({ practiceId: t.practice_id, taskId: t.id, scheduleVersion: t.schedule_version, remindAt: t.remind_at, dueAt: t.due_at });

// --- by hand ------------------------------------------------------------------------

export interface CreateFollowUpInput {
  id: string; title: string; kind?: string | undefined; dueAt: string; channel?: FollowUpChannel | undefined;
  assignedTo?: string | undefined; maxAttempts?: number | undefined;
}

/** A follow-up by hand for a client of my care team (idempotent on the client-made id). */
export async function createFollowUp(deps: FollowUpDeps, auth: AuthContext, clientId: string, input: CreateFollowUpInput, ip: string | null): Promise<{ created: boolean; followUp: FollowUpDetail }> {
  const { db } = deps;
  const now = (deps.clock ?? systemClock).now();
  const practiceId = auth.practice.id;
  const { assignedClinicianIds } = await authorizeClient(db, auth, clientId, 'follow_up.create', ip);
  const assignedTo = input.assignedTo ?? auth.user.id;
  // The assignee: a clinician on the client's care team, or me (a supervisor may keep one for themselves).
  if (assignedTo !== auth.user.id && !assignedClinicianIds.includes(assignedTo)) {
    throw new Problem('CLINICIAN_NOT_ON_CARE_TEAM', "Assign the follow-up to a clinician on this client's care team.");
  }
  const dueAt = new Date(input.dueAt);
  const outcome = await db.transaction().execute(async (trx) => {
    const settings = await repo.findSettings(trx, practiceId);
    const inserted = await trx.insertInto('follow_up_tasks').values({
      practice_id: practiceId, id: input.id, client_id: clientId, incident_id: null, run_id: null, step_id: null,
      kind: input.kind ?? 'check-in', title: input.title, due_at: dueAt, assigned_to: assignedTo, done_at: null, done_by: null, note: null,
      source: 'manual', channel: input.channel ?? null, max_attempts: input.maxAttempts ?? settings.defaultMaxAttempts,
      remind_at: remindAtFor(dueAt, settings.reminderLeadMinutes), created_by: auth.user.id, updated_at: now,
    }).onConflict((oc) => oc.columns(['practice_id', 'id']).doNothing()).returningAll().executeTakeFirst();
    if (!inserted) {
      const earlier = await repo.findTask(trx, practiceId, input.id);
      if (!earlier || earlier.client_id !== clientId || earlier.created_by !== auth.user.id || earlier.title !== input.title) {
        throw new Problem('FOLLOW_UP_ID_REUSED', 'That follow-up id was already used. Make a new id.');
      }
      return { created: false, task: earlier, messages: [] as LiveMessage[] };
    }
    await scheduleTimers(trx, deps.jobs, [scheduleOf(inserted)], now);
    const messages = assignedTo === auth.user.id ? [] : await notify(trx, {
      practiceId, userIds: [assignedTo], kind: 'follow_up.assigned', title: 'A follow-up was assigned to you', clientId, followUpTaskId: inserted.id,
      dedupeKey: `follow-up:${inserted.id}:assigned:${assignedTo}`, at: now,
    });
    await appendAuditEvent(trx, {
      practiceId, actorUserId: auth.user.id, actorRole: auth.user.role, action: 'follow_up.create', resourceType: 'follow_up', resourceId: inserted.id,
      clientId, ip, outcome: 'success', detail: { dueAt: inserted.due_at.toISOString(), assignedTo, maxAttempts: inserted.max_attempts, channel: inserted.channel },
    });
    return { created: true, task: inserted, messages };
  });
  await publishAll(deps.live, db, outcome.messages);
  return { created: outcome.created, followUp: await detailView(db, practiceId, outcome.task, now) };
}

/**
 * The gate to one follow-up: its client's care team (and, to read it, a break-glass grant on the client). A follow-up of another practice, or
 * of a client outside my care team, answers 404 (audited), as for a client's record.
 */
async function authorizeTask(db: Db, auth: AuthContext, taskId: string, action: 'follow_up.attempt' | 'follow_up.update' | 'follow_up.complete' | 'client.read', ip: string | null): Promise<FollowUpTask> {
  const task = await repo.findTask(db, auth.practice.id, taskId);
  if (!task) {
    await appendAuditEvent(db, {
      practiceId: auth.practice.id, actorUserId: auth.user.id, actorRole: auth.user.role, action, resourceType: 'follow_up', resourceId: taskId,
      ip, outcome: 'denied', detail: { reason: 'no_such_follow_up_in_practice' },
    });
    throw new Problem('NOT_FOUND', 'No such follow-up.');
  }
  // Under break-glass (client.read only) the read is audited naming this follow-up.
  await authorizeClient(db, auth, task.client_id, action, ip, { type: 'follow_up', id: taskId });
  return task;
}

export interface UpdateFollowUpInput {
  dueAt?: string | undefined; assignedTo?: string | undefined; maxAttempts?: number | undefined; channel?: FollowUpChannel | null | undefined;
  title?: string | undefined; cancel?: { reason: string } | undefined;
}

/**
 * Reschedules, reassigns, changes the number of attempts, or cancels (with a reason).
 * A new due time bumps schedule_version and replaces the pending timers (no duplicates).
 */
export async function updateFollowUp(deps: FollowUpDeps, auth: AuthContext, taskId: string, input: UpdateFollowUpInput, ip: string | null): Promise<FollowUpDetail> {
  const { db } = deps;
  const now = (deps.clock ?? systemClock).now();
  const practiceId = auth.practice.id;
  const found = await authorizeTask(db, auth, taskId, 'follow_up.update', ip);
  let careTeam: string[] | null = null;
  if (input.assignedTo !== undefined && input.assignedTo !== auth.user.id) {
    careTeam = (await db.selectFrom('client_clinicians').select('clinician_id').where('practice_id', '=', practiceId).where('client_id', '=', found.client_id).execute())
      .map((r) => r.clinician_id);
    if (!careTeam.includes(input.assignedTo)) throw new Problem('CLINICIAN_NOT_ON_CARE_TEAM', "Assign the follow-up to a clinician on this client's care team.");
  }
  const outcome = await db.transaction().execute(async (trx) => {
    const task = (await repo.lockTask(trx, practiceId, taskId))!;
    if (!ACTIVE.has(task.status)) throw new Problem('FOLLOW_UP_CLOSED', `This follow-up is ${task.status}; it can no longer be changed.`);
    const changes: string[] = [];
    const set: Partial<Record<string, unknown>> = { updated_at: now };
    let reschedule = false;
    if (input.cancel) {
      set.status = 'cancelled';
      set.note = input.cancel.reason;
      set.done_at = now;
      set.done_by = auth.user.id;
      changes.push(`cancelled (${input.cancel.reason})`);
    } else {
      if (input.maxAttempts !== undefined && input.maxAttempts !== task.max_attempts) {
        if (input.maxAttempts <= task.failed_attempts && task.status === 'open') {
          throw new Problem('MAX_ATTEMPTS_TOO_LOW', `${task.failed_attempts} attempts have already failed; allow more than that.`);
        }
        set.max_attempts = input.maxAttempts;
        changes.push(`attempts allowed: ${input.maxAttempts}`);
      }
      if (input.title !== undefined && input.title !== task.title) { set.title = input.title; changes.push(`title: ${input.title}`); }
      if (input.channel !== undefined && input.channel !== task.channel) { set.channel = input.channel; changes.push(`channel: ${input.channel ?? 'any'}`); }
      if (input.assignedTo !== undefined && input.assignedTo !== task.assigned_to) { set.assigned_to = input.assignedTo; changes.push('reassigned'); }
      if (input.dueAt !== undefined && new Date(input.dueAt).getTime() !== task.due_at.getTime()) {
        const dueAt = new Date(input.dueAt);
        const settings = await repo.findSettings(trx, practiceId);
        set.due_at = dueAt;
        set.remind_at = remindAtFor(dueAt, settings.reminderLeadMinutes);
        set.reminded_at = null;
        set.schedule_version = task.schedule_version + 1;
        if (task.escalation_reason === 'overdue') { set.escalated_at = null; set.escalation_reason = null; }
        reschedule = true;
        changes.push(`due ${dueAt.toISOString()}`);
      }
    }
    if (changes.length === 0) return { task, messages: [] as LiveMessage[] };
    const updated = await trx.updateTable('follow_up_tasks').set(set as never).where('practice_id', '=', practiceId).where('id', '=', taskId)
      .returningAll().executeTakeFirstOrThrow();
    if (input.cancel) await cancelTimers(trx, [taskId]);
    else if (reschedule && updated.status === 'open') await scheduleTimers(trx, deps.jobs, [scheduleOf(updated)], now);
    const messages = input.assignedTo !== undefined && input.assignedTo !== task.assigned_to && input.assignedTo !== auth.user.id
      ? await notify(trx, {
        practiceId, userIds: [input.assignedTo], kind: 'follow_up.assigned', title: 'A follow-up was assigned to you', clientId: task.client_id,
        followUpTaskId: taskId, dedupeKey: `follow-up:${taskId}:assigned:${input.assignedTo}:${now.getTime()}`, at: now,
      })
      : [];
    if (task.incident_id) {
      await insertTimeline(trx, practiceId, task.incident_id, [{
        at: now, actorUserId: auth.user.id, runId: task.run_id, stepId: task.step_id, kind: 'follow_up',
        what: input.cancel ? `Follow-up cancelled: ${task.title} (${input.cancel.reason})` : `Follow-up changed: ${task.title}; ${changes.join('; ')}`,
      }]);
    }
    await appendAuditEvent(trx, {
      practiceId, actorUserId: auth.user.id, actorRole: auth.user.role, action: 'follow_up.update', resourceType: 'follow_up', resourceId: taskId,
      clientId: task.client_id, ip, outcome: 'success',
      detail: { changes, scheduleVersion: updated.schedule_version, ...(input.assignedTo ? { assignedTo: input.assignedTo } : {}) },
    });
    return { task: updated, messages };
  });
  await publishAll(deps.live, db, outcome.messages);
  return detailView(db, practiceId, outcome.task, now);
}

// --- attempts -------------------------------------------------------------------------

export interface AttemptInput { id: string; channel: FollowUpChannel; outcome: AttemptOutcome; note?: string | undefined }

/**
 * Logs one attempt to reach the client. Reaching the client does not close the task (the
 * clinician marks it done); a failed attempt counts, and at the set number the task is
 * "unable to reach" and the assignee's supervisors are told (DESIGN.md "After": 3–5
 * attempts before treating the client as lost to contact; seed 001).
 */
export async function recordAttempt(deps: FollowUpDeps, auth: AuthContext, taskId: string, input: AttemptInput, ip: string | null): Promise<{ created: boolean; followUp: FollowUpDetail }> {
  const { db } = deps;
  const now = (deps.clock ?? systemClock).now();
  await authorizeTask(db, auth, taskId, 'follow_up.attempt', ip);
  const outcome = await db.transaction().execute((trx) => attemptInTrx(trx, auth, taskId, { ...input, messageId: null }, ip, now));
  await publishAll(deps.live, db, outcome.messages);
  return { created: outcome.created, followUp: await detailView(db, auth.practice.id, outcome.task, now) };
}

async function attemptInTrx(trx: Trx, auth: AuthContext, taskId: string, input: AttemptInput & { messageId: string | null }, ip: string | null, now: Date): Promise<{ created: boolean; task: FollowUpTask; messages: LiveMessage[] }> {
  const practiceId = auth.practice.id;
  const task = await repo.lockTask(trx, practiceId, taskId);
  if (!task) throw new Problem('NOT_FOUND', 'No such follow-up.');
  const earlier = await trx.selectFrom('follow_up_attempts').selectAll().where('practice_id', '=', practiceId).where('id', '=', input.id).executeTakeFirst();
  if (earlier) {
    if (earlier.task_id !== taskId || earlier.recorded_by !== auth.user.id || earlier.outcome !== input.outcome || earlier.channel !== input.channel) {
      throw new Problem('ATTEMPT_ID_REUSED', 'That attempt id was already used for another attempt. Make a new id.');
    }
    return { created: false, task, messages: [] };
  }
  if (!ACTIVE.has(task.status)) throw new Problem('FOLLOW_UP_CLOSED', `This follow-up is ${task.status}; attempts can no longer be logged on it.`);
  await trx.insertInto('follow_up_attempts').values({
    practice_id: practiceId, id: input.id, task_id: taskId, client_id: task.client_id, channel: input.channel, outcome: input.outcome,
    note: input.note ?? '', message_id: input.messageId, attempted_at: now, recorded_by: auth.user.id,
  }).execute();
  const failed = FAILED.has(input.outcome);
  const failedAttempts = task.failed_attempts + (failed ? 1 : 0);
  const unreachable = task.status === 'open' && failedAttempts >= task.max_attempts;
  const updated = await trx.updateTable('follow_up_tasks').set({
    failed_attempts: failedAttempts, updated_at: now,
    ...(unreachable ? { status: 'unable_to_reach' as const, escalated_at: now, escalation_reason: 'unable_to_reach' as const } : {}),
  }).where('practice_id', '=', practiceId).where('id', '=', taskId).returningAll().executeTakeFirstOrThrow();

  let messages: LiveMessage[] = [];
  if (unreachable) {
    // No more reminders or overdue notices: the supervisors decide what happens next.
    await cancelTimers(trx, [taskId]);
    const [supervisors, names] = await Promise.all([
      repo.supervisorsOf(trx, practiceId, task.assigned_to), repo.userNames(trx, practiceId, [task.assigned_to]),
    ]);
    messages = await notify(trx, {
      practiceId, userIds: supervisors, kind: 'follow_up.unable_to_reach', title: `Unable to reach a client: follow-up of ${names.get(task.assigned_to) ?? 'a clinician'}`,
      clientId: task.client_id, followUpTaskId: taskId, dedupeKey: `follow-up:${taskId}:unable_to_reach`, at: now,
    });
  }
  if (task.incident_id) {
    const what = `Attempt to reach the client (${CHANNEL_LABELS[input.channel]}): ${OUTCOME_LABELS[input.outcome]}`
      + (failed ? ` — ${failedAttempts} of ${task.max_attempts} failed` : '') + (input.note ? ` (${input.note})` : '');
    await insertTimeline(trx, practiceId, task.incident_id, [
      { at: now, actorUserId: auth.user.id, runId: task.run_id, stepId: task.step_id, kind: 'follow_up', what },
      ...(unreachable ? [{
        at: now, actorUserId: null, runId: task.run_id, stepId: task.step_id, kind: 'follow_up' as const,
        what: `Unable to reach the client after ${failedAttempts} attempts; supervisor told: ${task.title}`,
      }] : []),
    ]);
  }
  await appendAuditEvent(trx, {
    practiceId, actorUserId: auth.user.id, actorRole: auth.user.role, action: 'follow_up.attempt', resourceType: 'follow_up', resourceId: taskId,
    clientId: task.client_id, ip, outcome: 'success',
    detail: { attemptId: input.id, channel: input.channel, outcome: input.outcome, failedAttempts, maxAttempts: task.max_attempts, unableToReach: unreachable, messageId: input.messageId },
  });
  return { created: true, task: updated, messages };
}

export interface CheckInInput { messageId: string; channel: 'text' | 'email'; template: TemplateKey }

/**
 * "Send a check-in": the message is queued in the outbox and logged as an attempt
 * (left a message) in one transaction. No consent for the channel, no address: 422 and
 * nothing is written.
 */
export async function sendCheckIn(deps: FollowUpDeps, auth: AuthContext, taskId: string, input: CheckInInput, ip: string | null): Promise<{ created: boolean; followUp: FollowUpDetail; message: { id: string; status: string; sendAfter: string; heldForQuietHours: boolean } }> {
  const { db } = deps;
  const now = (deps.clock ?? systemClock).now();
  const practiceId = auth.practice.id;
  const found = await authorizeTask(db, auth, taskId, 'follow_up.attempt', ip);
  const outcome = await db.transaction().execute(async (trx) => {
    const task = await repo.lockTask(trx, practiceId, taskId);
    if (!task || !ACTIVE.has(task.status)) throw new Problem('FOLLOW_UP_CLOSED', `This follow-up is ${task?.status ?? 'closed'}; a check-in can no longer be sent from it.`);
    const queued = await queueMessage(trx, deps.jobs, {
      practiceId, clientId: found.client_id, channel: input.channel, purpose: 'check_in', template: input.template,
      idempotencyKey: `follow-up:${taskId}:${input.messageId}`, messageId: input.messageId, createdBy: auth.user.id, followUpTaskId: taskId, now,
    });
    const attempt = await attemptInTrx(trx, auth, taskId, {
      id: input.messageId, channel: input.channel, outcome: 'left_message', note: `Check-in sent by ${input.channel}`, messageId: queued.message.id,
    }, ip, now);
    return { ...attempt, message: queued.message, held: queued.heldForQuietHours };
  });
  await publishAll(deps.live, db, outcome.messages);
  return {
    created: outcome.created, followUp: await detailView(db, practiceId, outcome.task, now),
    message: { id: outcome.message.id, status: outcome.message.status, sendAfter: outcome.message.send_after.toISOString(), heldForQuietHours: outcome.held },
  };
}

// --- done -------------------------------------------------------------------------------

/**
 * Marks a follow-up done inside the caller's transaction (also for the schedule, when the
 * next session is booked inside the window): its timers are removed and the incident's
 * timeline records it. Returns null when the task is not open or unable to reach.
 */
export async function completeFollowUpInTrx(trx: Trx, input: { practiceId: string; taskId: string; by: string | null; note?: string | null; at: Date }): Promise<FollowUpTask | null> {
  const row = await repo.lockTask(trx, input.practiceId, input.taskId);
  if (!row || !ACTIVE.has(row.status)) return null;
  const note = input.note ?? null;
  const updated = await trx.updateTable('follow_up_tasks').set({ status: 'done', done_at: input.at, done_by: input.by, note, updated_at: input.at })
    .where('practice_id', '=', input.practiceId).where('id', '=', input.taskId).returningAll().executeTakeFirstOrThrow();
  await cancelTimers(trx, [input.taskId]);
  if (row.incident_id) {
    await insertTimeline(trx, input.practiceId, row.incident_id, [
      { at: input.at, actorUserId: input.by, runId: row.run_id, stepId: row.step_id, kind: 'follow_up', what: `Follow-up done: ${row.title}${note ? ` (${note})` : ''}` },
    ]);
  }
  return updated;
}

/** The incident view's shape of a follow-up (kept for the incident page). */
export interface FollowUpView { id: string; kind: string; title: string; dueAt: string; status: string; stepId: string | null; assignedTo: Named }

/** Marks a follow-up done (the care team of its client); the incident's timeline records it. */
export async function completeFollowUp(deps: FollowUpDeps, auth: AuthContext, followUpId: string, note: string | undefined, ip: string | null): Promise<FollowUpView> {
  const { db } = deps;
  const now = (deps.clock ?? systemClock).now();
  await authorizeTask(db, auth, followUpId, 'follow_up.complete', ip);
  const done = await db.transaction().execute(async (trx) => {
    const row = (await repo.lockTask(trx, auth.practice.id, followUpId))!;
    const updated = await completeFollowUpInTrx(trx, { practiceId: auth.practice.id, taskId: followUpId, by: auth.user.id, note: note ?? null, at: now });
    if (!updated) throw new Problem('FOLLOW_UP_NOT_OPEN', `This follow-up is already ${row.status.replaceAll('_', ' ')}.`);
    await appendAuditEvent(trx, {
      practiceId: auth.practice.id, actorUserId: auth.user.id, actorRole: auth.user.role, action: 'follow_up.complete', resourceType: 'follow_up',
      resourceId: followUpId, clientId: row.client_id, ip, outcome: 'success', detail: { incidentId: row.incident_id },
    });
    return updated;
  });
  const names = await repo.userNames(db, auth.practice.id, [done.assigned_to]);
  return {
    id: done.id, kind: done.kind, title: done.title, dueAt: done.due_at.toISOString(), status: done.status, stepId: done.step_id,
    assignedTo: { id: done.assigned_to, name: names.get(done.assigned_to) ?? 'Someone' },
  };
}

// --- where the work shows ------------------------------------------------------------------

/** My follow-ups: the active ones (open, unable to reach) by default, most urgent first. */
export async function listMyFollowUps(db: Db, auth: AuthContext, status: 'open' | 'done' | 'all', ip: string | null, clock: Clock = systemClock): Promise<FollowUpItem[]> {
  const now = clock.now();
  const rows = await repo.listAssigned(db, auth.practice.id, [auth.user.id], status, now);
  await appendAuditEvent(db, {
    practiceId: auth.practice.id, actorUserId: auth.user.id, actorRole: auth.user.role, action: 'follow_ups.read', resourceType: 'follow_up_list',
    resourceId: null, ip, outcome: 'success', detail: { status, count: rows.length, clientIds: [...new Set(rows.map((r) => r.client_id))] },
  });
  return rows.map((r) => itemView(r, now));
}

export interface TeamFollowUps {
  clinicians: { id: string; name: string; open: number; overdue: number; unableToReach: number }[];
  followUps: FollowUpItem[];
}

/** A supervisor's view: the open and overdue follow-ups of their supervisees and their own, by clinician. */
export async function listTeamFollowUps(db: Db, auth: AuthContext, filter: 'active' | 'overdue', ip: string | null, clock: Clock = systemClock): Promise<TeamFollowUps> {
  const now = clock.now();
  const team = [auth.user.id, ...auth.supervisees.map((s) => s.id)];
  const rows = (await repo.listAssigned(db, auth.practice.id, team, 'open', now, 1000))
    .filter((r) => filter === 'active' || isOverdue(r.status, r.due_at, now, r.escalation_reason) || r.status === 'unable_to_reach');
  await appendAuditEvent(db, {
    practiceId: auth.practice.id, actorUserId: auth.user.id, actorRole: auth.user.role, action: 'follow_ups.team', resourceType: 'follow_up_list',
    resourceId: null, ip, outcome: 'success', detail: { filter, count: rows.length, clientIds: [...new Set(rows.map((r) => r.client_id))] },
  });
  const items = rows.map((r) => itemView(r, now));
  const people = [{ id: auth.user.id, name: auth.user.name }, ...auth.supervisees];
  return {
    clinicians: people.map((p) => {
      const mine = items.filter((i) => i.assignedTo.id === p.id);
      return { id: p.id, name: p.name, open: mine.length, overdue: mine.filter((i) => i.overdue).length, unableToReach: mine.filter((i) => i.status === 'unable_to_reach').length };
    }),
    followUps: items,
  };
}

/** One follow-up with its attempts (its client's care team). */
export async function readFollowUp(db: Db, auth: AuthContext, taskId: string, ip: string | null, clock: Clock = systemClock): Promise<FollowUpDetail> {
  const task = await authorizeTask(db, auth, taskId, 'client.read', ip);
  await appendAuditEvent(db, {
    practiceId: auth.practice.id, actorUserId: auth.user.id, actorRole: auth.user.role, action: 'follow_up.read', resourceType: 'follow_up',
    resourceId: taskId, clientId: task.client_id, ip, outcome: 'success', detail: {},
  });
  return detailView(db, auth.practice.id, task, clock.now());
}

// --- the practice's settings -------------------------------------------------------------------

export interface FollowUpSettingsView { reminderLeadMinutes: number; defaultMaxAttempts: number; updatedAt: string | null }

export async function readSettings(db: Db, auth: AuthContext): Promise<FollowUpSettingsView> {
  const s = await repo.findSettings(db, auth.practice.id);
  return { reminderLeadMinutes: s.reminderLeadMinutes, defaultMaxAttempts: s.defaultMaxAttempts, updatedAt: s.updatedAt?.toISOString() ?? null };
}

/** The reminder lead time and the default number of attempts; applies to follow-ups made from now on. */
export async function saveSettings(db: Db, auth: AuthContext, input: { reminderLeadMinutes: number; defaultMaxAttempts: number }, ip: string | null): Promise<FollowUpSettingsView> {
  await db.transaction().execute(async (trx) => {
    await repo.upsertSettings(trx, auth.practice.id, input, auth.user.id, new Date());
    await appendAuditEvent(trx, {
      practiceId: auth.practice.id, actorUserId: auth.user.id, actorRole: auth.user.role, action: 'follow_ups.settings', resourceType: 'practice',
      resourceId: auth.practice.id, ip, outcome: 'success', detail: input,
    });
  });
  return readSettings(db, auth);
}
