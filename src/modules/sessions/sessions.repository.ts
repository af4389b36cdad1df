import { sql, type Insertable, type Kysely, type NotNull, type Transaction, type Updateable } from 'kysely';
import type { Database } from '../../server/database.ts';
import type { Actor } from '../../domain/permissions.ts';
import { careTeamClientIds } from '../clients/client-access.ts';
import type { SessionStepOutTable, TherapySession, TherapySessionTable } from './sessions.table.ts';

type Db = Kysely<Database>; // a Transaction is one too

export async function findSession(db: Db, practiceId: string, id: string): Promise<TherapySession | undefined> {
  return db.selectFrom('therapy_sessions').selectAll().where('practice_id', '=', practiceId).where('id', '=', id).executeTakeFirst();
}

/** The session started from an appointment (unique per appointment). */
export async function findSessionOfAppointment(db: Db, practiceId: string, appointmentId: string): Promise<TherapySession | undefined> {
  return db.selectFrom('therapy_sessions').selectAll().where('practice_id', '=', practiceId).where('appointment_id', '=', appointmentId)
    .executeTakeFirst();
}

/** Serializes changes to one session (step out, return, end) until the transaction ends. */
export async function lockSession(trx: Transaction<Database>, practiceId: string, id: string): Promise<TherapySession | undefined> {
  return trx.selectFrom('therapy_sessions').selectAll().where('practice_id', '=', practiceId).where('id', '=', id)
    .forUpdate().executeTakeFirst();
}

export async function insertSession(trx: Transaction<Database>, row: Insertable<TherapySessionTable>): Promise<void> {
  await trx.insertInto('therapy_sessions').values(row).execute();
}

export async function updateSession(trx: Transaction<Database>, practiceId: string, id: string, changes: Updateable<TherapySessionTable>): Promise<void> {
  await trx.updateTable('therapy_sessions').set(changes).where('practice_id', '=', practiceId).where('id', '=', id).execute();
}

/**
 * The latest session the actor runs that has not ended, for a client whose care team
 * they are still on (therapy_sessions_clinician_idx).
 */
export async function findCurrentSessionId(db: Db, actor: Actor): Promise<string | undefined> {
  const row = await db.selectFrom('therapy_sessions').select('id')
    .where('practice_id', '=', actor.practiceId).where('clinician_id', '=', actor.userId).where('ended_at', 'is', null)
    .where('client_id', 'in', careTeamClientIds(db, actor))
    .orderBy('started_at', 'desc').orderBy('id').limit(1).executeTakeFirst();
  return row?.id;
}

/** The session with what its view shows of the appointment, client, clinician and location. */
export async function findSessionDetail(db: Db, practiceId: string, id: string) {
  return db.selectFrom('therapy_sessions as s')
    .innerJoin('appointments as a', (j) => j.onRef('a.practice_id', '=', 's.practice_id').onRef('a.id', '=', 's.appointment_id'))
    .innerJoin('clients as c', (j) => j.onRef('c.practice_id', '=', 's.practice_id').onRef('c.id', '=', 's.client_id'))
    .innerJoin('users as u', (j) => j.onRef('u.practice_id', '=', 's.practice_id').onRef('u.id', '=', 's.clinician_id'))
    .leftJoin('locations as l', (j) => j.onRef('l.practice_id', '=', 's.practice_id').onRef('l.id', '=', 's.location_id'))
    .selectAll('s')
    .select([
      'a.starts_at', 'a.minutes',
      sql<string>`coalesce(c.preferred_name, c.legal_name)`.as('client_name'), 'c.risk_level', 'c.phone as client_phone', 'c.address as client_address',
      'u.name as clinician_name', 'l.name as location_name', 'l.address as location_address',
    ])
    .$narrowType<{ client_name: NotNull }>()
    .where('s.practice_id', '=', practiceId).where('s.id', '=', id)
    .executeTakeFirst();
}
export type SessionDetail = NonNullable<Awaited<ReturnType<typeof findSessionDetail>>>;

export async function listStepOuts(db: Db, practiceId: string, sessionId: string) {
  return db.selectFrom('session_step_outs').selectAll().where('practice_id', '=', practiceId).where('session_id', '=', sessionId)
    .orderBy('left_at').orderBy('id').execute();
}

/** The step-out under way, if any (session_step_outs_open_idx allows one). */
export async function findOpenStepOut(db: Db, practiceId: string, sessionId: string) {
  return db.selectFrom('session_step_outs').selectAll().where('practice_id', '=', practiceId).where('session_id', '=', sessionId)
    .where('returned_at', 'is', null).executeTakeFirst();
}

export async function findStepOut(db: Db, practiceId: string, sessionId: string, id: string) {
  return db.selectFrom('session_step_outs').selectAll().where('practice_id', '=', practiceId).where('session_id', '=', sessionId)
    .where('id', '=', id).executeTakeFirst();
}

export async function insertStepOut(trx: Transaction<Database>, row: Insertable<SessionStepOutTable>): Promise<void> {
  await trx.insertInto('session_step_outs').values(row).execute();
}

export async function markReturned(trx: Transaction<Database>, practiceId: string, id: string, at: Date): Promise<void> {
  await trx.updateTable('session_step_outs').set({ returned_at: at }).where('practice_id', '=', practiceId).where('id', '=', id).execute();
}

/** The session's incidents; read through the client's incidents (incidents_client_idx), which are few. */
export async function listSessionIncidents(db: Db, s: { practiceId: string; clientId: string; sessionId: string }) {
  return db.selectFrom('incidents').select(['id', 'protocol_key', 'status', 'opened_at'])
    .where('practice_id', '=', s.practiceId).where('client_id', '=', s.clientId).where('session_id', '=', s.sessionId).orderBy('opened_at').orderBy('id').execute();
}

/** Adds one 'session' entry to the timeline of each open incident of the session. */
export async function appendToOpenIncidents(trx: Transaction<Database>, s: { practiceId: string; clientId: string; sessionId: string }, entry: { at: Date; actorUserId: string; what: string }): Promise<number> {
  const practiceId = s.practiceId;
  const open = await trx.selectFrom('incidents').select('id')
    .where('practice_id', '=', practiceId).where('client_id', '=', s.clientId).where('session_id', '=', s.sessionId)
    .where('status', '=', 'open').execute();
  if (open.length === 0) return 0;
  await trx.insertInto('incident_timeline').values(open.map((i) => ({
    practice_id: practiceId, incident_id: i.id, at: entry.at, actor_user_id: entry.actorUserId, run_id: null, step_id: null,
    kind: 'session' as const, what: entry.what,
  }))).execute();
  return open.length;
}

/** The practice's first location by name: whose crisis resources apply when nothing more specific is known. */
export async function firstLocationId(db: Db, practiceId: string): Promise<string | null> {
  const row = await db.selectFrom('locations').select('id').where('practice_id', '=', practiceId).orderBy('name').orderBy('id').limit(1)
    .executeTakeFirst();
  return row?.id ?? null;
}
