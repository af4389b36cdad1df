import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../server/database.ts';
import { Problem } from '../../server/problems.ts';
import { appendAuditEvent } from '../audit/audit.repository.ts';
import type { AuthContext } from '../auth/auth.service.ts';
import { authorizeClient } from '../clients/client-access.ts';
import type { RiskLevel } from '../clients/clients.table.ts';
import { crisisResourcesFor, type CrisisResources } from '../locations/locations.service.ts';
import * as scheduleRepo from '../schedule/schedule.repository.ts';
import { bookWithin } from '../schedule/schedule.service.ts';
import type { Modality } from '../schedule/schedule.table.ts';
import * as repo from './sessions.repository.ts';
import type { TherapySession } from './sessions.table.ts';
import { sessionAgenda, type AgendaItemView } from '../aftercare/aftercare.service.ts';

type Db = Kysely<Database>;

export interface StepOutView {
  id: string;
  reason: string;
  toldClient: string;
  leftAt: string;
  returnedAt: string | null;
  minutesAway: number | null;
}

export interface SessionView {
  id: string;
  appointmentId: string;
  startsAt: string;
  minutes: number;
  client: { id: string; name: string; riskLevel: RiskLevel | 'unknown'; phone: string | null; address: string | null };
  clinician: { id: string; name: string };
  modality: Modality;
  startedAt: string;
  endedAt: string | null;
  endedEarly: boolean | null;
  endReason: string | null;
  rescheduleAppointmentId: string | null;
  /** The practice location whose crisis resources apply. */
  location: { id: string; name: string; address: string } | null;
  clientLocation: string | null;
  callbackPhone: string | null;
  locationConfirmedAt: string | null;
  availabilityNotice: boolean;
  availabilityNoticeToldClient: boolean;
  crisisResources: CrisisResources | null;
  stepOuts: StepOutView[];
  incidents: { id: string; protocolKey: string; status: 'open' | 'closed'; openedAt: string }[];
  /** What to talk about: the client's open agenda items, and those marked discussed during this session. */
  agenda: AgendaItemView[];
}

/** An instant as the practice's clocks read it, for messages and the timeline. */
const wallTime = (auth: AuthContext, at: Date) =>
  new Intl.DateTimeFormat('en-US', { timeZone: auth.practice.timeZone, dateStyle: 'medium', timeStyle: 'short' }).format(at);

/** Time away, in whole minutes (DESIGN.md protocol 7: time away is logged). */
const minutesBetween = (from: Date, to: Date) => Math.round((to.getTime() - from.getTime()) / 60_000);

async function sessionView(db: Db, practiceId: string, sessionId: string): Promise<SessionView> {
  const s = await repo.findSessionDetail(db, practiceId, sessionId);
  if (!s) throw new Problem('NOT_FOUND', 'No such session.');
  const stepOuts = await repo.listStepOuts(db, practiceId, s.id);
  const incidents = await repo.listSessionIncidents(db, { practiceId, clientId: s.client_id, sessionId: s.id });
  const crisisResources = s.location_id ? await crisisResourcesFor(db, practiceId, s.location_id) : null;
  const agenda = await sessionAgenda(db, practiceId, s.client_id, s.started_at);
  return {
    id: s.id, appointmentId: s.appointment_id, startsAt: s.starts_at.toISOString(), minutes: s.minutes,
    client: { id: s.client_id, name: s.client_name, riskLevel: s.risk_level, phone: s.client_phone, address: s.client_address },
    clinician: { id: s.clinician_id, name: s.clinician_name },
    modality: s.modality,
    startedAt: s.started_at.toISOString(), endedAt: s.ended_at?.toISOString() ?? null, endedEarly: s.ended_early, endReason: s.end_reason,
    rescheduleAppointmentId: s.reschedule_appointment_id,
    location: s.location_id && s.location_name !== null && s.location_address !== null
      ? { id: s.location_id, name: s.location_name, address: s.location_address } : null,
    clientLocation: s.client_location, callbackPhone: s.callback_phone, locationConfirmedAt: s.location_confirmed_at?.toISOString() ?? null,
    availabilityNotice: s.availability_notice, availabilityNoticeToldClient: s.availability_notice_told_client,
    crisisResources,
    stepOuts: stepOuts.map((o) => ({
      id: o.id, reason: o.reason, toldClient: o.told_client, leftAt: o.left_at.toISOString(), returnedAt: o.returned_at?.toISOString() ?? null,
      minutesAway: o.returned_at ? minutesBetween(o.left_at, o.returned_at) : null,
    })),
    incidents: incidents.map((i) => ({ id: i.id, protocolKey: i.protocol_key, status: i.status, openedAt: i.opened_at.toISOString() })),
    agenda,
  };
}

function audit(db: Db, auth: AuthContext, s: { id: string; clientId: string }, action: string, ip: string | null, detail: Record<string, unknown> = {}) {
  return appendAuditEvent(db, {
    practiceId: auth.practice.id, actorUserId: auth.user.id, actorRole: auth.user.role, action, resourceType: 'therapy_session',
    resourceId: s.id, clientId: s.clientId, ip, outcome: 'success', detail,
  });
}

/**
 * The session, for its client's care team; a 404 (audited) to everyone else, in this
 * practice or another, so that neither the session nor the client is disclosed.
 */
async function sessionFor(db: Db, auth: AuthContext, sessionId: string, action: string, ip: string | null): Promise<TherapySession> {
  const found = await repo.findSession(db, auth.practice.id, sessionId);
  if (!found) {
    await appendAuditEvent(db, {
      practiceId: auth.practice.id, actorUserId: auth.user.id, actorRole: auth.user.role, action, resourceType: 'therapy_session',
      resourceId: sessionId, ip, outcome: 'denied', detail: { reason: 'no_such_session_in_practice' },
    });
    throw new Problem('NOT_FOUND', 'No such session.');
  }
  await authorizeClient(db, auth, found.client_id, 'session.run', ip);
  return found;
}

/** The locked session, refusing changes once it has ended. */
async function lockOpenSession(trx: Transaction<Database>, auth: AuthContext, sessionId: string): Promise<TherapySession> {
  const s = await repo.lockSession(trx, auth.practice.id, sessionId);
  if (!s) throw new Problem('NOT_FOUND', 'No such session.');
  if (s.ended_at) throw new Problem('SESSION_ENDED', `This session ended at ${wallTime(auth, s.ended_at)}.`);
  return s;
}

// --- starting ------------------------------------------------------------------------

export interface StartInput {
  locationId?: string | null | undefined;
  clientLocation?: string | undefined;
  callbackPhone?: string | undefined;
  availabilityNotice?: boolean | undefined;
  availabilityNoticeToldClient?: boolean | undefined;
}

/**
 * Starts the session of an appointment; starting it again answers the session already
 * started (a retried request, a second tab). Telehealth needs the client's current
 * location and a callback number confirmed now (DESIGN.md protocol 8: dispatch help to
 * the confirmed location, call the callback number).
 */
export async function startSession(db: Db, auth: AuthContext, appointmentId: string, input: StartInput, ip: string | null): Promise<{ session: SessionView; started: boolean }> {
  const practiceId = auth.practice.id;
  const found = await scheduleRepo.findAppointment(db, practiceId, appointmentId);
  if (!found) {
    await appendAuditEvent(db, {
      practiceId, actorUserId: auth.user.id, actorRole: auth.user.role, action: 'session.start', resourceType: 'appointment',
      resourceId: appointmentId, ip, outcome: 'denied', detail: { reason: 'no_such_appointment_in_practice' },
    });
    throw new Problem('NOT_FOUND', 'No such appointment.');
  }
  await authorizeClient(db, auth, found.client_id, 'session.run', ip);
  return db.transaction().execute(async (trx) => {
    const appointment = await scheduleRepo.lockAppointment(trx, practiceId, appointmentId);
    if (!appointment) throw new Problem('NOT_FOUND', 'No such appointment.');
    const existing = await repo.findSessionOfAppointment(trx, practiceId, appointmentId);
    if (existing) {
      await audit(trx, auth, { id: existing.id, clientId: existing.client_id }, 'session.start', ip, { appointmentId, alreadyStarted: true });
      return { session: await sessionView(trx, practiceId, existing.id), started: false };
    }
    if (appointment.status === 'cancelled') throw new Problem('APPOINTMENT_CANCELLED', 'A cancelled appointment cannot be started; book a new one.');

    const clientLocation = input.clientLocation || null;
    const callbackPhone = input.callbackPhone ?? null;
    if (appointment.modality === 'telehealth' && (clientLocation === null || callbackPhone === null)) {
      throw new Problem('TELEHEALTH_LOCATION_REQUIRED', 'Ask the client where they are right now and for a number to call back if the video drops.', {
        errors: [
          ...(clientLocation === null ? [{ path: 'body.clientLocation', message: "Enter where the client is right now" }] : []),
          ...(callbackPhone === null ? [{ path: 'body.callbackPhone', message: 'Enter a number to call the client back on' }] : []),
        ],
      });
    }
    const locationId = await locationThatApplies(trx, practiceId, input.locationId ?? null, appointment.location_id);
    const now = new Date();
    const id = randomUUID();
    await repo.insertSession(trx, {
      practice_id: practiceId, id, appointment_id: appointment.id, client_id: appointment.client_id, clinician_id: auth.user.id,
      modality: appointment.modality, location_id: locationId, started_at: now,
      client_location: clientLocation, callback_phone: callbackPhone, location_confirmed_at: clientLocation !== null ? now : null,
      availability_notice: input.availabilityNotice ?? false, availability_notice_told_client: input.availabilityNoticeToldClient ?? false,
      ended_at: null, ended_early: null, end_reason: null, reschedule_appointment_id: null,
    });
    await audit(trx, auth, { id, clientId: appointment.client_id }, 'session.start', ip, {
      appointmentId, modality: appointment.modality, locationId, locationConfirmed: clientLocation !== null,
      availabilityNotice: input.availabilityNotice ?? false,
    });
    return { session: await sessionView(trx, practiceId, id), started: true };
  });
}

/**
 * The practice location whose crisis resources apply: the one chosen at the start (the
 * region a telehealth client is in), else the appointment's room, else the practice's
 * first location, so that some emergency numbers are always at hand.
 */
async function locationThatApplies(trx: Db, practiceId: string, chosen: string | null, appointments: string | null): Promise<string | null> {
  if (chosen !== null) {
    if (!(await scheduleRepo.locationExists(trx, practiceId, chosen))) throw new Problem('NOT_FOUND', 'No such location.');
    return chosen;
  }
  return appointments ?? repo.firstLocationId(trx, practiceId);
}

// --- reading -------------------------------------------------------------------------

export async function getSession(db: Db, auth: AuthContext, sessionId: string, ip: string | null): Promise<SessionView> {
  const s = await sessionFor(db, auth, sessionId, 'session.read', ip);
  const view = await sessionView(db, auth.practice.id, s.id);
  await audit(db, auth, { id: s.id, clientId: s.client_id }, 'session.read', ip);
  return view;
}

/** The caller's own session not yet ended, the latest if several (a session left open in another tab). */
export async function currentSession(db: Db, auth: AuthContext, ip: string | null): Promise<SessionView | null> {
  const id = await repo.findCurrentSessionId(db, auth.actor);
  if (id === undefined) return null;
  const view = await sessionView(db, auth.practice.id, id);
  await audit(db, auth, { id, clientId: view.client.id }, 'session.read', ip, { current: true });
  return view;
}

// --- during --------------------------------------------------------------------------

export interface AvailabilityInput {
  availabilityNotice?: boolean | undefined;
  availabilityNoticeToldClient?: boolean | undefined;
}

/** The availability notice (seed 000): the clinician may have to take an urgent call, and told the client in advance. */
export async function updateAvailability(db: Db, auth: AuthContext, sessionId: string, input: AvailabilityInput, ip: string | null): Promise<SessionView> {
  const practiceId = auth.practice.id;
  const found = await sessionFor(db, auth, sessionId, 'session.update', ip);
  return db.transaction().execute(async (trx) => {
    await lockOpenSession(trx, auth, found.id);
    await repo.updateSession(trx, practiceId, found.id, {
      ...(input.availabilityNotice !== undefined ? { availability_notice: input.availabilityNotice } : {}),
      ...(input.availabilityNoticeToldClient !== undefined ? { availability_notice_told_client: input.availabilityNoticeToldClient } : {}),
    });
    await audit(trx, auth, { id: found.id, clientId: found.client_id }, 'session.update', ip, { ...input });
    return sessionView(trx, practiceId, found.id);
  });
}

/**
 * Steps out of the session (DESIGN.md protocol 7: tell the client why, time away is
 * logged). One step-out at a time; the open incidents of the session note it.
 */
export async function stepOut(db: Db, auth: AuthContext, sessionId: string, input: { reason: string; toldClient: string }, ip: string | null): Promise<SessionView> {
  const practiceId = auth.practice.id;
  const found = await sessionFor(db, auth, sessionId, 'session.step_out', ip);
  return db.transaction().execute(async (trx) => {
    const s = await lockOpenSession(trx, auth, found.id);
    const open = await repo.findOpenStepOut(trx, practiceId, s.id);
    if (open) throw new Problem('STEP_OUT_UNDER_WAY', `You stepped out at ${wallTime(auth, open.left_at)}; return before stepping out again.`);
    const now = new Date();
    const id = randomUUID();
    await repo.insertStepOut(trx, { practice_id: practiceId, id, session_id: s.id, reason: input.reason, told_client: input.toldClient, left_at: now, returned_at: null });
    await repo.appendToOpenIncidents(trx, { practiceId, clientId: s.client_id, sessionId: s.id }, {
      at: now, actorUserId: auth.user.id, what: `Stepped out of the session: ${input.reason}. Told the client: "${input.toldClient}"`,
    });
    await audit(trx, auth, { id: s.id, clientId: s.client_id }, 'session.step_out', ip, { stepOutId: id });
    return sessionView(trx, practiceId, s.id);
  });
}

export async function returnFromStepOut(db: Db, auth: AuthContext, sessionId: string, stepOutId: string, ip: string | null): Promise<SessionView> {
  const practiceId = auth.practice.id;
  const found = await sessionFor(db, auth, sessionId, 'session.return', ip);
  return db.transaction().execute(async (trx) => {
    const s = await repo.lockSession(trx, practiceId, found.id);
    if (!s) throw new Problem('NOT_FOUND', 'No such session.');
    const out = await repo.findStepOut(trx, practiceId, s.id, stepOutId);
    if (!out) throw new Problem('NOT_FOUND', 'No such step-out in this session.');
    if (out.returned_at) throw new Problem('STEP_OUT_ALREADY_RETURNED', `The return was recorded at ${wallTime(auth, out.returned_at)}.`);
    const now = new Date();
    const minutesAway = minutesBetween(out.left_at, now);
    await repo.markReturned(trx, practiceId, out.id, now);
    await repo.appendToOpenIncidents(trx, { practiceId, clientId: s.client_id, sessionId: s.id }, {
      at: now, actorUserId: auth.user.id, what: `Returned to the session after ${minutesAway} min away`,
    });
    await audit(trx, auth, { id: s.id, clientId: s.client_id }, 'session.return', ip, { stepOutId: out.id, minutesAway });
    return sessionView(trx, practiceId, s.id);
  });
}

// --- ending --------------------------------------------------------------------------

export interface EndInput {
  early?: { reason: string; reschedule?: { startsAt: string; minutes?: number | undefined } | undefined } | undefined;
}

/**
 * Ends the session, or ends it early with a reason and, if offered, a new appointment
 * (DESIGN.md protocol 6: end and reschedule with priority). The reschedule is booked in
 * the same transaction, with the same checks as any booking: if the slot is taken,
 * nothing changes. A step-out still under way ends with the session.
 */
export async function endSession(db: Db, auth: AuthContext, sessionId: string, input: EndInput, ip: string | null): Promise<SessionView> {
  const practiceId = auth.practice.id;
  // The care team may book for its client ('appointments.book' includes CARE_TEAM), so 'session.run' covers the reschedule.
  const found = await sessionFor(db, auth, sessionId, 'session.end', ip);
  return db.transaction().execute(async (trx) => {
    const s = await lockOpenSession(trx, auth, found.id);
    const now = new Date();
    const open = await repo.findOpenStepOut(trx, practiceId, s.id);
    if (open) await repo.markReturned(trx, practiceId, open.id, now);

    let rescheduleId: string | null = null;
    const reschedule = input.early?.reschedule;
    if (reschedule) {
      const original = await scheduleRepo.findAppointment(trx, practiceId, s.appointment_id);
      if (!original) throw new Problem('NOT_FOUND', 'No such appointment.');
      const booked = await bookWithin(trx, auth, s.client_id, {
        clinicianId: original.clinician_id, startsAt: new Date(reschedule.startsAt), minutes: reschedule.minutes ?? original.minutes,
        modality: original.modality, locationId: original.location_id,
      }, ip, { rescheduleOf: original.id, sessionId: s.id });
      rescheduleId = booked.id;
    }
    await repo.updateSession(trx, practiceId, s.id, {
      ended_at: now, ended_early: input.early !== undefined, end_reason: input.early?.reason ?? null, reschedule_appointment_id: rescheduleId,
    });
    await repo.appendToOpenIncidents(trx, { practiceId, clientId: s.client_id, sessionId: s.id }, {
      at: now, actorUserId: auth.user.id,
      what: input.early
        ? `Session ended early: ${input.early.reason.replace(/[.\s]+$/, '')}${rescheduleId ? `. Rescheduled to ${wallTime(auth, new Date(reschedule!.startsAt))}` : ''}`
        : 'Session ended',
    });
    await audit(trx, auth, { id: s.id, clientId: s.client_id }, 'session.end', ip, {
      early: input.early !== undefined, rescheduleAppointmentId: rescheduleId, stepOutEnded: open?.id ?? null,
    });
    return sessionView(trx, practiceId, s.id);
  });
}
