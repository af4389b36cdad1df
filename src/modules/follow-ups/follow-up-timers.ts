/**
 * The timers of follow-up tasks, as pg-boss jobs: a reminder to the assignee before the
 * due time, and at the due time, if the task is still open, a notice to the assignee and
 * an escalation to their supervisor(s). Each task has at most one pending job of each
 * kind, keyed `follow-up:<task>:<kind>`: rescheduling deletes the pending ones in the
 * same transaction and queues new ones, and a job carrying an older schedule_version
 * does nothing. Jobs are handled in batches, one statement per kind and batch, so the
 * cost per task does not grow with the number scheduled.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../server/database.ts';
import { inTransaction, type JobQueue } from '../../server/jobs.ts';
import type { LiveHub, LiveMessage } from '../../server/live.ts';
import { publishAll, type Clock } from '../paging/paging.service.ts';
import { notificationMessage } from './notifications.ts';

type Db = Kysely<Database>;
type Trx = Transaction<Database>;

export const FOLLOW_UP_TIMER_QUEUE = 'follow-up-timer';
export type TimerKind = 'remind' | 'overdue';
export interface FollowUpTimerJob { practiceId: string; taskId: string; scheduleVersion: number; kind: TimerKind }
export const timerJobKey = (taskId: string, kind: TimerKind) => `follow-up:${taskId}:${kind}`;
/**
 * How many due timers one worker takes at a time (one statement per kind and batch).
 * pg-boss sorts every due job to pick a batch, so under a backlog each fetch costs about
 * the backlog's size: large batches keep that per timer small (a minute of 100,000 due
 * timers drained at ~700/s with batches of 200).
 */
export const TIMER_BATCH_SIZE = 1000;

/** Creates the queue ('short': at most one waiting job per key, so a task never has two pending reminders). */
export function ensureFollowUpTimerQueue(jobs: JobQueue): Promise<void> {
  return jobs.ensureQueue(FOLLOW_UP_TIMER_QUEUE, { policy: 'short', retryLimit: 5, retryDelay: 5, retryBackoff: true, expireInSeconds: 120 });
}

export interface TaskSchedule { practiceId: string; taskId: string; scheduleVersion: number; remindAt: Date | null; dueAt: Date }

/**
 * Replaces the pending timers of these tasks inside the caller's transaction: the old
 * ones are deleted, a reminder (when its time is still ahead) and an overdue check are
 * queued. They exist exactly when the change that needs them commits.
 */
export async function scheduleTimers(trx: Trx, jobs: JobQueue, tasks: TaskSchedule[], now: Date): Promise<void> {
  if (tasks.length === 0) return;
  await ensureFollowUpTimerQueue(jobs);
  await cancelTimers(trx, tasks.map((t) => t.taskId));
  const inserts = tasks.flatMap((t) => {
    const data = (kind: TimerKind): FollowUpTimerJob => ({ practiceId: t.practiceId, taskId: t.taskId, scheduleVersion: t.scheduleVersion, kind });
    return [
      ...(t.remindAt && t.remindAt.getTime() > now.getTime()
        ? [{ name: FOLLOW_UP_TIMER_QUEUE, data: data('remind'), startAfter: t.remindAt.toISOString(), singletonKey: timerJobKey(t.taskId, 'remind') }]
        : []),
      { name: FOLLOW_UP_TIMER_QUEUE, data: data('overdue'), startAfter: t.dueAt.toISOString(), singletonKey: timerJobKey(t.taskId, 'overdue') },
    ];
  });
  await jobs.boss.insert(inserts, { db: inTransaction(trx) });
}

/**
 * Deletes the waiting timers of these tasks. A job already running, or waiting to be
 * retried, finds its version stale or its task closed and does nothing. The condition is
 * that of pg-boss's unique index for 'short' queues (job_i1), so it is an index lookup
 * however many timers are scheduled.
 */
export async function cancelTimers(trx: Trx, taskIds: string[]): Promise<void> {
  if (taskIds.length === 0) return;
  const keys = taskIds.flatMap((id) => [timerJobKey(id, 'remind'), timerJobKey(id, 'overdue')]);
  await sql`delete from pgboss.job
    where name = ${FOLLOW_UP_TIMER_QUEUE} and coalesce(singleton_key, '') = any(${keys}::text[]) and state = 'created' and policy = 'short'`.execute(trx);
}

export interface TimerBatchResult { reminded: string[]; escalated: string[]; messages: LiveMessage[] }

/**
 * Handles a batch of due timers: one statement for the reminders, one for the overdue
 * checks. A timer whose task is no longer open, was already handled, or was rescheduled
 * since (an older schedule_version) does nothing. Publish the messages after it returns.
 */
export async function handleTimerBatch(db: Db, batch: readonly FollowUpTimerJob[], clock: Clock): Promise<TimerBatchResult> {
  const now = clock.now();
  const remind = batch.filter((j) => j.kind === 'remind');
  const overdue = batch.filter((j) => j.kind === 'overdue');
  return db.transaction().execute(async (trx) => {
    const reminded = remind.length ? await remindDue(trx, remind, now) : { taskIds: [], notes: [] };
    const escalated = overdue.length ? await escalateOverdue(trx, overdue, now) : { taskIds: [], notes: [] };
    return {
      reminded: reminded.taskIds, escalated: escalated.taskIds,
      messages: [...reminded.notes, ...escalated.notes].map((n) => notificationMessage(n.practice_id, n)),
    };
  });
}

interface NotificationRow {
  practice_id: string; id: string; user_id: string; kind: string; title: string; client_id: string | null; follow_up_task_id: string | null; created_at: Date;
}

const arrays = (jobs: readonly FollowUpTimerJob[]) => ({
  practiceIds: jobs.map((j) => j.practiceId), taskIds: jobs.map((j) => j.taskId), versions: jobs.map((j) => j.scheduleVersion),
});

/** Marks the tasks reminded and tells each assignee when it is due (the time only: no client, no clinical detail). */
async function remindDue(trx: Trx, jobs: readonly FollowUpTimerJob[], now: Date): Promise<{ taskIds: string[]; notes: NotificationRow[] }> {
  const a = arrays(jobs);
  const { rows } = await sql<NotificationRow & { task_id: string | null }>`
    with due as (
      select * from unnest(${a.practiceIds}::uuid[], ${a.taskIds}::uuid[], ${a.versions}::int[]) as d(practice_id, task_id, version)
    ), reminded as (
      update follow_up_tasks t set reminded_at = ${now}, updated_at = ${now}
      from due
      where t.practice_id = due.practice_id and t.id = due.task_id and t.schedule_version = due.version
        and t.status = 'open' and t.reminded_at is null
      returning t.practice_id, t.id, t.client_id, t.assigned_to, t.due_at, t.schedule_version
    ), notified as (
      insert into notifications (practice_id, id, user_id, kind, title, client_id, follow_up_task_id, dedupe_key, created_at)
      select r.practice_id, gen_random_uuid(), r.assigned_to, 'follow_up.reminder',
        case when (r.due_at at time zone p.time_zone)::date = (${now}::timestamptz at time zone p.time_zone)::date
          then 'Follow-up due at ' || to_char(r.due_at at time zone p.time_zone, 'FMHH12:MI am')
          else 'Follow-up due ' || to_char(r.due_at at time zone p.time_zone, 'Dy FMMon FMDD, FMHH12:MI am') end,
        r.client_id, r.id, 'follow-up:' || r.id || ':v' || r.schedule_version || ':remind', ${now}
      from reminded r join practices p on p.id = r.practice_id
      on conflict (practice_id, user_id, dedupe_key) do nothing
      returning practice_id, id, user_id, kind, title, client_id, follow_up_task_id, created_at
    ), audited as (
      insert into audit_events (practice_id, at, actor_user_id, actor_role, action, resource_type, resource_id, client_id, ip, outcome, detail)
      select practice_id, ${now}, null, null, 'follow_up.remind', 'follow_up_list', null, null, null, 'success',
        json_build_object('taskIds', json_agg(id order by id), 'clientIds', json_agg(distinct client_id))::text
      from reminded group by practice_id
      returning practice_id, seq
    ), pending as (
      insert into audit_pending (practice_id, seq) select practice_id, seq from audited
    )
    select n.*, null::uuid as task_id from notified n
    union all
    select r.practice_id, null, null, null, null, null, null, null, r.id from reminded r`.execute(trx);
  return { taskIds: rows.flatMap((r) => (r.task_id ? [r.task_id] : [])), notes: rows.filter((r) => r.id !== null) };
}

/**
 * Still open at the due time: the assignee is told, and so are their supervisors
 * (DESIGN.md "After": an overdue follow-up escalates to the supervisor); the incident's
 * timeline records it.
 */
async function escalateOverdue(trx: Trx, jobs: readonly FollowUpTimerJob[], now: Date): Promise<{ taskIds: string[]; notes: NotificationRow[] }> {
  const a = arrays(jobs);
  const { rows } = await sql<NotificationRow & { task_id: string | null }>`
    with due as (
      select * from unnest(${a.practiceIds}::uuid[], ${a.taskIds}::uuid[], ${a.versions}::int[]) as d(practice_id, task_id, version)
    ), escalated as (
      update follow_up_tasks t set escalated_at = ${now}, escalation_reason = 'overdue', updated_at = ${now}
      from due
      where t.practice_id = due.practice_id and t.id = due.task_id and t.schedule_version = due.version
        and t.status = 'open' and t.escalated_at is null
      returning t.practice_id, t.id, t.client_id, t.assigned_to, t.incident_id, t.run_id, t.step_id, t.title, t.schedule_version
    ), recipients as (
      select e.practice_id, e.id, e.client_id, e.assigned_to as user_id, 'follow_up.overdue' as kind, 'A follow-up is overdue' as title,
        'follow-up:' || e.id || ':v' || e.schedule_version || ':overdue' as dedupe_key
      from escalated e
      union all
      select e.practice_id, e.id, e.client_id, s.supervisor_id, 'follow_up.escalated', 'Overdue follow-up: ' || u.name,
        'follow-up:' || e.id || ':v' || e.schedule_version || ':overdue'
      from escalated e
      join supervision s on s.practice_id = e.practice_id and s.clinician_id = e.assigned_to
      join users sup on sup.practice_id = s.practice_id and sup.id = s.supervisor_id and sup.active
      join users u on u.practice_id = e.practice_id and u.id = e.assigned_to
    ), notified as (
      insert into notifications (practice_id, id, user_id, kind, title, client_id, follow_up_task_id, dedupe_key, created_at)
      select practice_id, gen_random_uuid(), user_id, kind, title, client_id, id, dedupe_key, ${now} from recipients
      on conflict (practice_id, user_id, dedupe_key) do nothing
      returning practice_id, id, user_id, kind, title, client_id, follow_up_task_id, created_at
    ), timeline as (
      insert into incident_timeline (practice_id, incident_id, at, actor_user_id, run_id, step_id, kind, what)
      select practice_id, incident_id, ${now}, null, run_id, step_id, 'follow_up', 'Follow-up overdue, supervisor told: ' || title
      from escalated where incident_id is not null
    ), audited as (
      insert into audit_events (practice_id, at, actor_user_id, actor_role, action, resource_type, resource_id, client_id, ip, outcome, detail)
      select practice_id, ${now}, null, null, 'follow_up.escalate', 'follow_up_list', null, null, null, 'success',
        json_build_object('reason', 'overdue', 'taskIds', json_agg(id order by id), 'clientIds', json_agg(distinct client_id))::text
      from escalated group by practice_id
      returning practice_id, seq
    ), pending as (
      insert into audit_pending (practice_id, seq) select practice_id, seq from audited
    )
    select n.*, null::uuid as task_id from notified n
    union all
    select e.practice_id, null, null, null, null, null, null, null, e.id from escalated e`.execute(trx);
  return { taskIds: rows.flatMap((r) => (r.task_id ? [r.task_id] : [])), notes: rows.filter((r) => r.id !== null) };
}

/**
 * Runs the follow-up timers of this instance: pg-boss hands each batch of due jobs to
 * one instance; a failed batch is retried (its transaction rolled back). Returns how to stop.
 */
export async function startFollowUpTimers(deps: { db: Db; jobs: JobQueue; live: LiveHub; clock: Clock }): Promise<{ stop(): Promise<void> }> {
  await ensureFollowUpTimerQueue(deps.jobs);
  // Two side by side, each taking the next batch at once while timers are due (a backlog drains at the handler's pace).
  // Every timer has the same priority: without it pg-boss sorts due jobs by creation alone.
  const ids = await deps.jobs.workContinuously<FollowUpTimerJob>(FOLLOW_UP_TIMER_QUEUE, { pollingIntervalSeconds: 1, batchSize: TIMER_BATCH_SIZE, priority: false }, async (batch) => {
    if (batch.length === 0) return;
    const result = await handleTimerBatch(deps.db, batch.map((j) => j.data), deps.clock);
    await publishAll(deps.live, deps.db, result.messages);
  }, 2);
  return { stop: async () => { for (const id of ids) await deps.jobs.boss.offWork({ id }); } };
}
