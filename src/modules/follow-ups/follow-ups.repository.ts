import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../server/database.ts';
import type { FollowUpChannel, FollowUpStatus, FollowUpTask } from '../incidents/incidents.table.ts';
import type { FollowUpAttempt } from './follow-ups.table.ts';

type Db = Kysely<Database> | Transaction<Database>;

export const DEFAULT_SETTINGS = { reminderLeadMinutes: 60, defaultMaxAttempts: 3 } as const;
export interface FollowUpSettings { reminderLeadMinutes: number; defaultMaxAttempts: number; updatedAt: Date | null }

export async function findSettings(db: Db, practiceId: string): Promise<FollowUpSettings> {
  const row = await db.selectFrom('follow_up_settings').selectAll().where('practice_id', '=', practiceId).executeTakeFirst();
  return row
    ? { reminderLeadMinutes: row.reminder_lead_minutes, defaultMaxAttempts: row.default_max_attempts, updatedAt: row.updated_at }
    : { ...DEFAULT_SETTINGS, updatedAt: null };
}

export async function upsertSettings(db: Db, practiceId: string, s: { reminderLeadMinutes: number; defaultMaxAttempts: number }, by: string, at: Date) {
  await db.insertInto('follow_up_settings').values({
    practice_id: practiceId, reminder_lead_minutes: s.reminderLeadMinutes, default_max_attempts: s.defaultMaxAttempts, updated_by: by, updated_at: at,
  }).onConflict((oc) => oc.column('practice_id').doUpdateSet({
    reminder_lead_minutes: s.reminderLeadMinutes, default_max_attempts: s.defaultMaxAttempts, updated_by: by, updated_at: at,
  })).execute();
}

export function findTask(db: Db, practiceId: string, taskId: string): Promise<FollowUpTask | undefined> {
  return db.selectFrom('follow_up_tasks').selectAll().where('practice_id', '=', practiceId).where('id', '=', taskId).executeTakeFirst();
}

export function lockTask(trx: Transaction<Database>, practiceId: string, taskId: string): Promise<FollowUpTask | undefined> {
  return trx.selectFrom('follow_up_tasks').selectAll().where('practice_id', '=', practiceId).where('id', '=', taskId).forUpdate().executeTakeFirst();
}

export function findAttempts(db: Db, practiceId: string, taskId: string): Promise<FollowUpAttempt[]> {
  return db.selectFrom('follow_up_attempts').selectAll().where('practice_id', '=', practiceId).where('task_id', '=', taskId)
    .orderBy('attempted_at').orderBy('id').execute();
}

/** The active supervisors of a clinician (the supervision table). */
export async function supervisorsOf(db: Db, practiceId: string, clinicianId: string): Promise<string[]> {
  const rows = await db.selectFrom('supervision as s')
    .innerJoin('users as u', (j) => j.onRef('u.practice_id', '=', 's.practice_id').onRef('u.id', '=', 's.supervisor_id'))
    .select('s.supervisor_id').where('s.practice_id', '=', practiceId).where('s.clinician_id', '=', clinicianId).where('u.active', '=', true)
    .execute();
  return rows.map((r) => r.supervisor_id);
}

export async function userNames(db: Db, practiceId: string, ids: (string | null)[]): Promise<Map<string, string>> {
  const wanted = [...new Set(ids.filter((x): x is string => x !== null))];
  if (!wanted.length) return new Map();
  const rows = await db.selectFrom('users').select(['id', 'name']).where('practice_id', '=', practiceId).where('id', 'in', wanted).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}

export async function clientName(db: Db, practiceId: string, clientId: string): Promise<string> {
  const row = await db.selectFrom('clients').select(sql<string>`coalesce(preferred_name, legal_name)`.as('name'))
    .where('practice_id', '=', practiceId).where('id', '=', clientId).executeTakeFirst();
  return row?.name ?? 'Client';
}

export interface ListRow {
  id: string; kind: string; title: string; status: FollowUpStatus; due_at: Date; channel: FollowUpChannel | null;
  max_attempts: number; failed_attempts: number; attempt_count: number; escalation_reason: 'overdue' | 'unable_to_reach' | null;
  client_id: string; client_name: string; incident_id: string | null; assigned_to: string; assignee_name: string; source: 'protocol' | 'manual';
}

/**
 * Follow-ups assigned to these people: the active ones (open or unable to reach), or done,
 * or all; the most urgent first (overdue, then soonest due).
 */
export async function listAssigned(db: Db, practiceId: string, assignees: string[], status: 'open' | 'done' | 'all', now: Date, limit = 500): Promise<ListRow[]> {
  const { rows } = await sql<ListRow>`
    select f.id, f.kind, f.title, f.status, f.due_at, f.channel, f.max_attempts, f.failed_attempts, f.escalation_reason, f.source,
      f.client_id, coalesce(c.preferred_name, c.legal_name) as client_name, f.incident_id, f.assigned_to, u.name as assignee_name,
      (select count(*) from follow_up_attempts a where a.practice_id = f.practice_id and a.task_id = f.id)::int as attempt_count
    from follow_up_tasks f
    join clients c on c.practice_id = f.practice_id and c.id = f.client_id
    join users u on u.practice_id = f.practice_id and u.id = f.assigned_to
    where f.practice_id = ${practiceId} and f.assigned_to = any(${assignees}::uuid[])
      and (${status} = 'all'
        or (${status} = 'open' and f.status in ('open', 'unable_to_reach'))
        or (${status} = 'done' and f.status = 'done'))
    order by (f.status in ('open', 'unable_to_reach') and (f.due_at < ${now} or f.escalation_reason is not distinct from 'overdue')) desc, f.due_at, f.id
    limit ${limit}`.execute(db);
  return rows;
}
