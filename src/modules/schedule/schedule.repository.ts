import { sql, type Kysely, type NotNull, type Transaction } from 'kysely';
import type { Database } from '../../server/database.ts';
import type { Actor } from '../../domain/permissions.ts';
import { careTeamClientIds } from '../clients/client-access.ts';
import type { Modality } from './schedule.table.ts';

type Db = Kysely<Database>; // a Transaction is one too

/** The longest appointment the table allows (its `minutes` check); bounds the overlap search. */
export const MAX_APPOINTMENT_MINUTES = 480;

/** At the same start time, scheduled appointments come before cancelled ones. */
const activeFirst = sql<boolean>`a.status = 'cancelled'`;

export interface DayFilter {
  practiceId: string;
  start: Date;
  end: Date;
  /** One clinician's day, or null for everyone's. */
  clinicianId: string | null;
  /** Whose care team decides which rows may carry clinical fields; null: nobody's (front desk, admins). */
  careTeamOf: Actor | null;
}

/**
 * The appointments starting in [start, end), with the names the schedule shows. The
 * range is read from appointments_clinician_day_idx for one clinician, from
 * appointments_day_idx for everyone; each name is then one primary-key probe per row
 * (subqueries, so the plan stays that way for a busy front-desk day too).
 */
export async function findDayAppointments(db: Db, f: DayFilter) {
  let query = db.selectFrom('appointments as a')
    // At most one session per appointment (therapy_sessions unique (practice_id, appointment_id)).
    .leftJoin('therapy_sessions as ts', (j) => j.onRef('ts.practice_id', '=', 'a.practice_id').onRef('ts.appointment_id', '=', 'a.id'))
    .select(['ts.id as session_id', 'ts.started_at as session_started_at', 'ts.ended_at as session_ended_at'])
    .select((eb) => [
      'a.id', 'a.starts_at', 'a.minutes', 'a.modality', 'a.status', 'a.location_id', 'a.clinician_id', 'a.client_id',
      eb.selectFrom('clients as c').select('c.risk_level')
        .whereRef('c.practice_id', '=', 'a.practice_id').whereRef('c.id', '=', 'a.client_id').as('risk_level'),
      eb.selectFrom('clients as c').select(sql<string>`coalesce(c.preferred_name, c.legal_name)`.as('name'))
        .whereRef('c.practice_id', '=', 'a.practice_id').whereRef('c.id', '=', 'a.client_id').as('client_name'),
      eb.selectFrom('users as u').select('u.name')
        .whereRef('u.practice_id', '=', 'a.practice_id').whereRef('u.id', '=', 'a.clinician_id').as('clinician_name'),
      eb.selectFrom('locations as l').select('l.name')
        .whereRef('l.practice_id', '=', 'a.practice_id').whereRef('l.id', '=', 'a.location_id').as('location_name'),
      f.careTeamOf
        ? eb.exists(careTeamClientIds(db, f.careTeamOf).where('client_id', '=', sql.ref<string>('a.client_id'))).as('on_care_team')
        : sql<boolean>`false`.as('on_care_team'),
    ])
    // Both exist: the table's foreign keys say so.
    .$narrowType<{ client_name: NotNull; clinician_name: NotNull; risk_level: NotNull }>()
    .where('a.practice_id', '=', f.practiceId)
    .where('a.starts_at', '>=', f.start)
    .where('a.starts_at', '<', f.end);
  if (f.clinicianId !== null) query = query.where('a.clinician_id', '=', f.clinicianId);
  return query.orderBy('a.starts_at').orderBy(activeFirst).orderBy('a.id').execute();
}

/** A clinician (or supervisor) of the practice whose day may be shown, active or not. */
export async function findPracticeClinician(db: Db, practiceId: string, userId: string) {
  return db.selectFrom('users').select(['id', 'name']).where('practice_id', '=', practiceId).where('id', '=', userId)
    .where('role', 'in', ['clinician', 'supervisor']).executeTakeFirst();
}

/** A client's appointments from an instant on, soonest first (appointments_client_idx). */
export async function findClientAppointments(db: Db, practiceId: string, clientId: string, from: Date, limit: number) {
  return db.selectFrom('appointments as a')
    .innerJoin('users as u', (j) => j.onRef('u.practice_id', '=', 'a.practice_id').onRef('u.id', '=', 'a.clinician_id'))
    .leftJoin('locations as l', (j) => j.onRef('l.practice_id', '=', 'a.practice_id').onRef('l.id', '=', 'a.location_id'))
    .select([
      'a.id', 'a.starts_at', 'a.minutes', 'a.modality', 'a.status', 'a.location_id', 'l.name as location_name',
      'a.clinician_id', 'u.name as clinician_name',
    ])
    .where('a.practice_id', '=', practiceId).where('a.client_id', '=', clientId).where('a.starts_at', '>=', from)
    .orderBy('a.starts_at').orderBy(activeFirst).orderBy('a.id').limit(limit).execute();
}

/**
 * The client's next appointment from `from` on: scheduled, and not one whose session has
 * already started (the session the client just left is not the next one).
 */
export async function findNextAppointment(db: Db | Transaction<Database>, practiceId: string, clientId: string, from: Date) {
  return db.selectFrom('appointments as a').select(['a.id', 'a.starts_at', 'a.clinician_id']).where('a.practice_id', '=', practiceId).where('a.client_id', '=', clientId)
    .where('a.status', '=', 'scheduled').where('a.starts_at', '>=', from)
    .where(({ not, exists, selectFrom }) => not(exists(selectFrom('therapy_sessions as s').select('s.id')
      .whereRef('s.practice_id', '=', 'a.practice_id').whereRef('s.appointment_id', '=', 'a.id'))))
    .orderBy('a.starts_at').limit(1).executeTakeFirst();
}

export async function findAppointment(db: Db, practiceId: string, id: string) {
  return db.selectFrom('appointments').selectAll().where('practice_id', '=', practiceId).where('id', '=', id).executeTakeFirst();
}

export async function lockAppointment(trx: Transaction<Database>, practiceId: string, id: string) {
  return trx.selectFrom('appointments').selectAll().where('practice_id', '=', practiceId).where('id', '=', id)
    .forUpdate().executeTakeFirst();
}

/**
 * Serializes bookings onto one clinician's schedule until the transaction ends, so two
 * front-desk staff cannot both fill the same slot (the overlap check reads, then writes).
 */
export async function lockClinicianSchedule(trx: Transaction<Database>, practiceId: string, clinicianId: string) {
  await sql`select pg_advisory_xact_lock(hashtext('holdspace:appointments'), hashtext(${practiceId} || ':' || ${clinicianId}))`.execute(trx);
}

/** The clinician's scheduled appointment that overlaps [startsAt, startsAt + minutes), if any. */
export async function findOverlap(trx: Db, o: { practiceId: string; clinicianId: string; startsAt: Date; minutes: number; excludeId: string | null }) {
  const end = new Date(o.startsAt.getTime() + o.minutes * 60_000);
  // The lower bound keeps the search an index range scan on appointments_clinician_day_idx.
  const earliest = new Date(o.startsAt.getTime() - MAX_APPOINTMENT_MINUTES * 60_000);
  let query = trx.selectFrom('appointments').select(['id', 'starts_at', 'minutes'])
    .where('practice_id', '=', o.practiceId).where('clinician_id', '=', o.clinicianId)
    .where('starts_at', '>', earliest).where('starts_at', '<', end)
    .where(sql<boolean>`starts_at + make_interval(mins => minutes) > ${o.startsAt}`)
    .where('status', '=', 'scheduled');
  if (o.excludeId !== null) query = query.where('id', '<>', o.excludeId);
  return query.orderBy('starts_at').limit(1).executeTakeFirst();
}

/** Whether the user is an active clinician or supervisor of the practice assigned to the client. */
export async function isBookableClinician(trx: Db, practiceId: string, clientId: string, clinicianId: string): Promise<boolean> {
  const row = await trx.selectFrom('client_clinicians as cc')
    .innerJoin('users as u', (j) => j.onRef('u.practice_id', '=', 'cc.practice_id').onRef('u.id', '=', 'cc.clinician_id'))
    .select('u.id')
    .where('cc.practice_id', '=', practiceId).where('cc.client_id', '=', clientId).where('cc.clinician_id', '=', clinicianId)
    .where('u.role', 'in', ['clinician', 'supervisor']).where('u.active', '=', true)
    .executeTakeFirst();
  return row !== undefined;
}

export async function findClientArchivedAt(trx: Db, practiceId: string, clientId: string) {
  const row = await trx.selectFrom('clients').select('archived_at').where('practice_id', '=', practiceId).where('id', '=', clientId)
    .executeTakeFirst();
  return row?.archived_at ?? null;
}

export async function locationExists(trx: Db, practiceId: string, locationId: string): Promise<boolean> {
  const row = await trx.selectFrom('locations').select('id').where('practice_id', '=', practiceId).where('id', '=', locationId)
    .executeTakeFirst();
  return row !== undefined;
}

export interface AppointmentSlot {
  clinicianId: string;
  startsAt: Date;
  minutes: number;
  modality: Modality;
  locationId: string | null;
}

export async function insertAppointment(trx: Transaction<Database>, a: AppointmentSlot & { practiceId: string; id: string; clientId: string; createdBy: string }) {
  await trx.insertInto('appointments').values({
    practice_id: a.practiceId, id: a.id, client_id: a.clientId, clinician_id: a.clinicianId, starts_at: a.startsAt,
    minutes: a.minutes, modality: a.modality, location_id: a.locationId, created_by: a.createdBy,
  }).execute();
}

export async function updateAppointment(trx: Transaction<Database>, practiceId: string, id: string, changes: Partial<AppointmentSlot> & { status?: 'cancelled' }) {
  return trx.updateTable('appointments')
    .set({
      ...(changes.clinicianId !== undefined ? { clinician_id: changes.clinicianId } : {}),
      ...(changes.startsAt !== undefined ? { starts_at: changes.startsAt } : {}),
      ...(changes.minutes !== undefined ? { minutes: changes.minutes } : {}),
      ...(changes.modality !== undefined ? { modality: changes.modality } : {}),
      ...(changes.locationId !== undefined ? { location_id: changes.locationId } : {}),
      ...(changes.status !== undefined ? { status: changes.status } : {}),
      updated_at: new Date(),
    })
    .where('practice_id', '=', practiceId).where('id', '=', id)
    .returningAll().executeTakeFirstOrThrow();
}
