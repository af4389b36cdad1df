import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../server/database.ts';
import { Problem } from '../../server/problems.ts';
import type { Actor } from '../../domain/permissions.ts';
import { appendAuditEvent } from '../audit/audit.repository.ts';
import type { AuthContext } from '../auth/auth.service.ts';
import type { RiskLevel } from '../clients/clients.table.ts';
import { authorizeClient } from '../clients/client-access.ts';
import * as repo from './schedule.repository.ts';
import { localDate, localDayRange } from '../../domain/zoned-time.ts';
import { clientReadiness, type ClientReadiness } from '../clients/readiness.repository.ts';
import type { Appointment, Modality } from './schedule.table.ts';
import { completeNextSessionFollowUps, nextSessionWarnings, type NextSessionWarning } from '../aftercare/next-session.ts';

type Db = Kysely<Database>;

// --- reading the schedule ---------------------------------------------------------

const isClinician = (actor: Actor) => actor.role === 'clinician' || actor.role === 'supervisor';

/** A row of the day: the appointment, and for the care team the client's risk and readiness (minimum necessary). */
export interface DayAppointment extends ClientAppointment {
  client: { id: string; name: string; riskLevel?: RiskLevel | 'unknown'; readiness?: ClientReadiness };
  /** The session started from the appointment (care team only). */
  session?: DaySession | null;
}

export interface DaySession {
  id: string;
  startedAt: string;
  endedAt: string | null;
}

export interface ScheduleDay {
  date: string;
  timeZone: string;
  clinicianId: string | null;
  appointments: DayAppointment[];
  /** Protocol windows ("next session within N hours") with no appointment booked inside them yet. */
  nextSessionWarnings: NextSessionWarning[];
}

/**
 * One day of the schedule in the practice's time zone: one clinician's, or everyone's
 * for the front desk and admins. Two queries whatever the day holds: the rows, then the
 * readiness of the clients whose care team the reader is on.
 */
export async function readDay(db: Db, auth: AuthContext, query: { date: string; clinicianId?: string | undefined }, ip: string | null): Promise<ScheduleDay> {
  const practiceId = auth.practice.id;
  const timeZone = auth.practice.timeZone;
  const clinicianId = await clinicianForDay(db, auth, query.clinicianId, ip);
  const { start, end } = localDayRange(query.date, timeZone);
  const rows = await repo.findDayAppointments(db, { practiceId, start, end, clinicianId, careTeamOf: isClinician(auth.actor) ? auth.actor : null });

  const careTeamClientIds = [...new Set(rows.filter((r) => r.on_care_team).map((r) => r.client_id))];
  const readiness = await clientReadiness(db, practiceId, careTeamClientIds, localDate(new Date(), timeZone));
  const clinical = new Map(rows.filter((r) => r.on_care_team).map((r) => [r.client_id, { riskLevel: r.risk_level, readiness: readiness.get(r.client_id)! }] as const));
  // A clinician's day: the windows they own; the front desk's whole-practice day: everyone's (they book).
  const warnings = await nextSessionWarnings(db, practiceId, timeZone, { assignedTo: clinicianId });

  await appendAuditEvent(db, {
    practiceId, actorUserId: auth.user.id, actorRole: auth.user.role, action: 'schedule.read', resourceType: 'schedule_day',
    resourceId: clinicianId, ip, outcome: 'success',
    detail: {
      date: query.date, clinicianId, count: rows.length, clientIds: [...new Set(rows.map((r) => r.client_id))], withReadiness: clinical.size,
      nextSessionWarnings: warnings.map((w) => w.client.id),
    },
  });
  return {
    date: query.date, timeZone, clinicianId, nextSessionWarnings: warnings,
    appointments: rows.map((r) => ({
      id: r.id, startsAt: r.starts_at.toISOString(), minutes: r.minutes, modality: r.modality, status: r.status,
      location: r.location_id && r.location_name !== null ? { id: r.location_id, name: r.location_name } : null,
      clinician: { id: r.clinician_id, name: r.clinician_name },
      client: { id: r.client_id, name: r.client_name, ...clinical.get(r.client_id) },
      // Whether the session ran: for the care team only, like the clinical fields.
      ...(r.on_care_team ? { session: sessionOf(r) } : {}),
    })),
  };
}

function sessionOf(r: { session_id: string | null; session_started_at: Date | null; session_ended_at: Date | null }): DaySession | null {
  return r.session_id !== null && r.session_started_at !== null
    ? { id: r.session_id, startedAt: r.session_started_at.toISOString(), endedAt: r.session_ended_at?.toISOString() ?? null }
    : null;
}

/**
 * Whose day may be read. Minimum necessary (DESIGN.md, "Who uses it"): a clinician sees
 * their own day, a supervisor also their supervisees'; the front desk and admins anyone's.
 */
async function clinicianForDay(db: Db, auth: AuthContext, requested: string | undefined, ip: string | null): Promise<string | null> {
  const actor = auth.actor;
  if (isClinician(actor)) {
    const wanted = requested ?? actor.userId;
    if (wanted === actor.userId || (actor.role === 'supervisor' && (actor.superviseeIds ?? []).includes(wanted))) return wanted;
    await appendAuditEvent(db, {
      practiceId: auth.practice.id, actorUserId: auth.user.id, actorRole: auth.user.role, action: 'schedule.read',
      resourceType: 'schedule_day', resourceId: wanted, ip, outcome: 'denied', detail: { reason: 'not_own_schedule' },
    });
    throw new Problem('FORBIDDEN', actor.role === 'supervisor'
      ? 'You can see your own schedule and those of the clinicians you supervise.'
      : 'You can see your own schedule only.');
  }
  if (requested === undefined) return null;
  if (await repo.findPracticeClinician(db, auth.practice.id, requested)) return requested;
  throw new Problem('NOT_FOUND', 'No such clinician.');
}

export interface ClientAppointment {
  id: string;
  startsAt: string;
  minutes: number;
  modality: Modality;
  status: 'scheduled' | 'cancelled';
  location: { id: string; name: string } | null;
  clinician: { id: string; name: string };
}

/** A client's appointments from an instant on: names and times, for the care team and for those who book. */
export async function listClientAppointments(db: Db, auth: AuthContext, clientId: string, query: { from: Date; limit: number }, ip: string | null): Promise<ClientAppointment[]> {
  // Clinicians: the care team only. Front desk and admins book, so they may see times (names and times only).
  await authorizeClient(db, auth, clientId, isClinician(auth.actor) ? 'client.read' : 'schedule.read', ip);
  const rows = await repo.findClientAppointments(db, auth.practice.id, clientId, query.from, query.limit);
  await appendAuditEvent(db, {
    practiceId: auth.practice.id, actorUserId: auth.user.id, actorRole: auth.user.role, action: 'schedule.read',
    resourceType: 'client_appointments', resourceId: clientId, clientId, ip, outcome: 'success',
    detail: { from: query.from.toISOString(), count: rows.length },
  });
  return rows.map((r) => ({
    id: r.id, startsAt: r.starts_at.toISOString(), minutes: r.minutes, modality: r.modality, status: r.status,
    location: r.location_id && r.location_name !== null ? { id: r.location_id, name: r.location_name } : null,
    clinician: { id: r.clinician_id, name: r.clinician_name },
  }));
}

// --- booking, moving, cancelling -----------------------------------------------------

export interface AppointmentView {
  id: string;
  clientId: string;
  clinicianId: string;
  startsAt: string;
  minutes: number;
  modality: Modality;
  locationId: string | null;
  status: 'scheduled' | 'cancelled';
}

function appointmentView(a: Appointment): AppointmentView {
  return {
    id: a.id, clientId: a.client_id, clinicianId: a.clinician_id, startsAt: a.starts_at.toISOString(), minutes: a.minutes,
    modality: a.modality, locationId: a.location_id, status: a.status,
  };
}

export interface BookingInput {
  clientId: string;
  clinicianId: string;
  /** ISO 8601 with an offset. */
  startsAt: string;
  minutes: number;
  modality: Modality;
  locationId?: string | null | undefined;
}

export async function bookAppointment(db: Db, auth: AuthContext, input: BookingInput, ip: string | null): Promise<{ id: string }> {
  await authorizeClient(db, auth, input.clientId, 'appointments.book', ip);
  const slot: repo.AppointmentSlot = {
    clinicianId: input.clinicianId, startsAt: new Date(input.startsAt), minutes: input.minutes, modality: input.modality,
    locationId: input.locationId ?? null,
  };
  requireLocationWhenInPerson(slot);
  return db.transaction().execute((trx) => bookWithin(trx, auth, input.clientId, slot, ip));
}

/**
 * Books inside the caller's transaction, with the checks, schedule lock and audit event
 * of any booking (ending a session early books its reschedule this way). The caller
 * has authorized the booking for this client.
 */
export async function bookWithin(trx: Transaction<Database>, auth: AuthContext, clientId: string, slot: repo.AppointmentSlot, ip: string | null, detail: Record<string, unknown> = {}): Promise<{ id: string }> {
  const practiceId = auth.practice.id;
  requireLocationWhenInPerson(slot);
  await checkSlot(trx, auth, clientId, slot, null);
  const id = randomUUID();
  await repo.insertAppointment(trx, { ...slot, practiceId, id, clientId, createdBy: auth.user.id });
  const nextSessionDone = await completeNextSessionFollowUps(trx, {
    practiceId, clientId, appointmentId: id, startsAt: slot.startsAt, by: { id: auth.user.id, role: auth.user.role }, at: new Date(), ip, timeZone: auth.practice.timeZone,
  });
  await appendAuditEvent(trx, {
    practiceId, actorUserId: auth.user.id, actorRole: auth.user.role, action: 'appointments.book', resourceType: 'appointment',
    resourceId: id, clientId, ip, outcome: 'success',
    detail: { clinicianId: slot.clinicianId, startsAt: slot.startsAt.toISOString(), minutes: slot.minutes, modality: slot.modality, locationId: slot.locationId, nextSessionDone, ...detail },
  });
  return { id };
}

export interface MoveInput {
  clinicianId?: string | undefined;
  startsAt?: string | undefined;
  minutes?: number | undefined;
  modality?: Modality | undefined;
  /** null takes the appointment off any location (telehealth only). */
  locationId?: string | null | undefined;
}

/** Moves an appointment in time, to another clinician of the care team, place or modality. */
export async function moveAppointment(db: Db, auth: AuthContext, appointmentId: string, input: MoveInput, ip: string | null): Promise<AppointmentView> {
  const practiceId = auth.practice.id;
  const found = await findAppointmentFor(db, auth, appointmentId, 'appointments.move', ip);
  await authorizeClient(db, auth, found.client_id, 'appointments.book', ip);
  return db.transaction().execute(async (trx) => {
    const current = await repo.lockAppointment(trx, practiceId, appointmentId);
    if (!current) throw new Problem('NOT_FOUND', 'No such appointment.');
    if (current.status === 'cancelled') throw new Problem('APPOINTMENT_CANCELLED', 'A cancelled appointment cannot be moved; book a new one.');
    const slot: repo.AppointmentSlot = {
      clinicianId: input.clinicianId ?? current.clinician_id,
      startsAt: input.startsAt !== undefined ? new Date(input.startsAt) : current.starts_at,
      minutes: input.minutes ?? current.minutes,
      modality: input.modality ?? current.modality,
      locationId: input.locationId !== undefined ? input.locationId : current.location_id,
    };
    requireLocationWhenInPerson(slot);
    await checkSlot(trx, auth, current.client_id, slot, current.id);
    const changed = changedFields(current, slot);
    const updated = await repo.updateAppointment(trx, practiceId, current.id, slot);
    // Moved into a next-session window: that follow-up is done too.
    await completeNextSessionFollowUps(trx, {
      practiceId, clientId: current.client_id, appointmentId: current.id, startsAt: slot.startsAt, by: { id: auth.user.id, role: auth.user.role }, at: new Date(), ip, timeZone: auth.practice.timeZone,
    });
    await appendAuditEvent(trx, {
      practiceId, actorUserId: auth.user.id, actorRole: auth.user.role, action: 'appointments.move', resourceType: 'appointment',
      resourceId: current.id, clientId: current.client_id, ip, outcome: 'success',
      detail: { changed, clinicianId: slot.clinicianId, startsAt: slot.startsAt.toISOString(), previousStartsAt: current.starts_at.toISOString() },
    });
    return appointmentView(updated);
  });
}

/** Cancels an appointment; cancelling it again answers the same (a retried request is harmless). */
export async function cancelAppointment(db: Db, auth: AuthContext, appointmentId: string, ip: string | null): Promise<AppointmentView> {
  const practiceId = auth.practice.id;
  const found = await findAppointmentFor(db, auth, appointmentId, 'appointments.cancel', ip);
  await authorizeClient(db, auth, found.client_id, 'appointments.book', ip);
  return db.transaction().execute(async (trx) => {
    const current = await repo.lockAppointment(trx, practiceId, appointmentId);
    if (!current) throw new Problem('NOT_FOUND', 'No such appointment.');
    const alreadyCancelled = current.status === 'cancelled';
    const updated = alreadyCancelled ? current : await repo.updateAppointment(trx, practiceId, current.id, { status: 'cancelled' });
    await appendAuditEvent(trx, {
      practiceId, actorUserId: auth.user.id, actorRole: auth.user.role, action: 'appointments.cancel', resourceType: 'appointment',
      resourceId: current.id, clientId: current.client_id, ip, outcome: 'success',
      detail: { clinicianId: current.clinician_id, startsAt: current.starts_at.toISOString(), alreadyCancelled },
    });
    return appointmentView(updated);
  });
}

/** The appointment in this practice, or a 404 (audited) that says nothing about other practices. */
async function findAppointmentFor(db: Db, auth: AuthContext, appointmentId: string, action: string, ip: string | null): Promise<Appointment> {
  const found = await repo.findAppointment(db, auth.practice.id, appointmentId);
  if (found) return found;
  await appendAuditEvent(db, {
    practiceId: auth.practice.id, actorUserId: auth.user.id, actorRole: auth.user.role, action, resourceType: 'appointment',
    resourceId: appointmentId, ip, outcome: 'denied', detail: { reason: 'no_such_appointment_in_practice' },
  });
  throw new Problem('NOT_FOUND', 'No such appointment.');
}

/** An in-person session needs its place: the crisis resources at hand are that location's (DESIGN.md, "Before"). */
function requireLocationWhenInPerson(slot: repo.AppointmentSlot) {
  if (slot.modality === 'in_person' && slot.locationId === null) {
    throw new Problem('VALIDATION_FAILED', 'An in-person appointment needs a location.', {
      errors: [{ path: 'body.locationId', message: 'Choose the location of an in-person appointment' }],
    });
  }
}

/**
 * Whether the slot may be booked: the client is active, the clinician is on the care
 * team, the location is the practice's, and the clinician is free. The schedule lock
 * is held to the end of the transaction, so the free slot stays free until written.
 */
async function checkSlot(trx: Transaction<Database>, auth: AuthContext, clientId: string, slot: repo.AppointmentSlot, excludeId: string | null) {
  const practiceId = auth.practice.id;
  if (await repo.findClientArchivedAt(trx, practiceId, clientId)) {
    throw new Problem('BOOKING_CLIENT_ARCHIVED', "Restore the client's record before booking for them.");
  }
  if (!(await repo.isBookableClinician(trx, practiceId, clientId, slot.clinicianId))) {
    throw new Problem('CLINICIAN_NOT_ON_CARE_TEAM', 'Book with an active clinician assigned to this client, or assign the clinician first.');
  }
  if (slot.locationId !== null && !(await repo.locationExists(trx, practiceId, slot.locationId))) {
    throw new Problem('NOT_FOUND', 'No such location.');
  }
  await repo.lockClinicianSchedule(trx, practiceId, slot.clinicianId);
  const clash = await repo.findOverlap(trx, { practiceId, clinicianId: slot.clinicianId, startsAt: slot.startsAt, minutes: slot.minutes, excludeId });
  if (clash) {
    const at = new Intl.DateTimeFormat('en-US', { timeZone: auth.practice.timeZone, dateStyle: 'medium', timeStyle: 'short' }).format(clash.starts_at);
    throw new Problem('APPOINTMENT_OVERLAPS', `The clinician has a ${clash.minutes}-minute appointment at ${at}.`);
  }
}

function changedFields(current: Appointment, slot: repo.AppointmentSlot): string[] {
  const changed: string[] = [];
  if (slot.clinicianId !== current.clinician_id) changed.push('clinicianId');
  if (slot.startsAt.getTime() !== current.starts_at.getTime()) changed.push('startsAt');
  if (slot.minutes !== current.minutes) changed.push('minutes');
  if (slot.modality !== current.modality) changed.push('modality');
  if (slot.locationId !== current.location_id) changed.push('locationId');
  return changed;
}
