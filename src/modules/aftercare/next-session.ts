/**
 * The next session inside a protocol's window ("next session within 72 hours"; the
 * walkout's 7 days, SCENARIOS S1). A follow-up of kind 'next-session' stays open until an
 * appointment for the client is booked inside its window; meanwhile the schedule and
 * the client page warn. Booking inside the window completes it, in the booking's
 * transaction.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../server/database.ts';
import { appendAuditEvent } from '../audit/audit.repository.ts';
import { completeFollowUpInTrx } from '../follow-ups/follow-ups.service.ts';

type Db = Kysely<Database> | Transaction<Database>;

export const NEXT_SESSION_KIND = 'next-session';

export interface NextSessionWarning {
  followUpId: string;
  client: { id: string; name: string };
  clinician: { id: string; name: string };
  dueAt: string;
  /** "Next session for Jordan Reyes due by Mon 30 Nov — none booked": no clinical detail (the front desk books too). */
  message: string;
}

/** "Mon 30 Nov" in the practice's time zone. */
export function shortDay(at: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'short', day: 'numeric', month: 'short' }).formatToParts(at);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('weekday')} ${part('day')} ${part('month')}`;
}

/**
 * Open next-session follow-ups with no scheduled appointment for the client between the
 * follow-up's creation and its due time (other than one already held). Filter by client, by owner (a clinician's day),
 * or neither (the front desk's day: everyone's).
 */
export async function nextSessionWarnings(db: Db, practiceId: string, timeZone: string, filter: { clientId?: string; assignedTo?: string | null }): Promise<NextSessionWarning[]> {
  let query = db.selectFrom('follow_up_tasks as f')
    .innerJoin('clients as c', (j) => j.onRef('c.practice_id', '=', 'f.practice_id').onRef('c.id', '=', 'f.client_id'))
    .innerJoin('users as u', (j) => j.onRef('u.practice_id', '=', 'f.practice_id').onRef('u.id', '=', 'f.assigned_to'))
    .select(['f.id', 'f.client_id', 'f.due_at', 'f.assigned_to', 'u.name as clinician_name', sql<string>`coalesce(c.preferred_name, c.legal_name)`.as('client_name')])
    .where('f.practice_id', '=', practiceId).where('f.kind', '=', NEXT_SESSION_KIND).where('f.status', 'in', ['open', 'unable_to_reach'])
    .where('c.archived_at', 'is', null)
    .where(({ not, exists, selectFrom }) => not(exists(selectFrom('appointments as a').select('a.id')
      .whereRef('a.practice_id', '=', 'f.practice_id').whereRef('a.client_id', '=', 'f.client_id')
      .where('a.status', '=', 'scheduled').whereRef('a.starts_at', '>=', 'f.created_at').whereRef('a.starts_at', '<=', 'f.due_at')
      // an appointment whose session has already started (the one the client walked out of) is not the next session
      .where(({ not: notIn, exists: existsIn, selectFrom: from }) => notIn(existsIn(from('therapy_sessions as s').select('s.id')
        .whereRef('s.practice_id', '=', 'a.practice_id').whereRef('s.appointment_id', '=', 'a.id')))))))
    .orderBy('f.due_at').orderBy('f.id');
  if (filter.clientId) query = query.where('f.client_id', '=', filter.clientId);
  if (filter.assignedTo) query = query.where('f.assigned_to', '=', filter.assignedTo);
  const rows = await query.execute();
  return rows.map((r) => ({
    followUpId: r.id, client: { id: r.client_id, name: r.client_name }, clinician: { id: r.assigned_to, name: r.clinician_name },
    dueAt: r.due_at.toISOString(),
    message: `Next session for ${r.client_name} due by ${shortDay(r.due_at, timeZone)} — none booked`,
  }));
}

/**
 * Completes the client's open next-session follow-ups whose window holds the appointment
 * just booked (or moved), inside the booking's transaction (helper B's `completeFollowUpInTrx`:
 * timers removed, the incident's timeline told), with an audit event each. Returns the ids completed.
 */
export async function completeNextSessionFollowUps(trx: Transaction<Database>, input: {
  practiceId: string; clientId: string; appointmentId: string; startsAt: Date; by: { id: string; role: string }; at: Date; ip: string | null; timeZone: string;
}): Promise<string[]> {
  const note = `Booked for ${shortDay(input.startsAt, input.timeZone)}`;
  const inWindow = await trx.selectFrom('follow_up_tasks').select('id')
    .where('practice_id', '=', input.practiceId).where('client_id', '=', input.clientId)
    .where('kind', '=', NEXT_SESSION_KIND).where('status', 'in', ['open', 'unable_to_reach'])
    .where('created_at', '<=', input.startsAt).where('due_at', '>=', input.startsAt).orderBy('id').execute();
  const done: { id: string; incident_id: string | null }[] = [];
  for (const { id } of inWindow) {
    // Helper B's completion: its timers go, the incident's timeline records it.
    const task = await completeFollowUpInTrx(trx, { practiceId: input.practiceId, taskId: id, by: input.by.id, note, at: input.at });
    if (!task) continue;
    done.push(task);
    await appendAuditEvent(trx, {
      practiceId: input.practiceId, actorUserId: input.by.id, actorRole: input.by.role, action: 'follow_up.complete', resourceType: 'follow_up',
      resourceId: task.id, clientId: input.clientId, ip: input.ip, outcome: 'success',
      detail: { incidentId: task.incident_id, byBooking: input.appointmentId },
    });
  }
  return done.map((t) => t.id);
}

/**
 * A next-session follow-up made when the next session is already booked inside its
 * window (booked before the protocol step was done) is complete at once: otherwise it
 * would sit open, block closing the incident and escalate as overdue. The appointment
 * must not have started (the session the client left is not the next one).
 */
export async function completeIfAlreadyBooked(trx: Transaction<Database>, input: {
  practiceId: string; tasks: readonly { id: string; client_id: string; kind: string; created_at: Date; due_at: Date }[];
  by: { id: string; role: string }; at: Date; ip: string | null; timeZone: string;
}): Promise<string[]> {
  const done: string[] = [];
  for (const task of input.tasks.filter((t) => t.kind === NEXT_SESSION_KIND)) {
    const booked = await trx.selectFrom('appointments as a').select(['a.id', 'a.starts_at'])
      .where('a.practice_id', '=', input.practiceId).where('a.client_id', '=', task.client_id).where('a.status', '=', 'scheduled')
      .where('a.starts_at', '>=', task.created_at).where('a.starts_at', '<=', task.due_at)
      .where(({ not, exists, selectFrom }) => not(exists(selectFrom('therapy_sessions as s').select('s.id')
        .whereRef('s.practice_id', '=', 'a.practice_id').whereRef('s.appointment_id', '=', 'a.id'))))
      .orderBy('a.starts_at').executeTakeFirst();
    if (!booked) continue;
    const completed = await completeFollowUpInTrx(trx, {
      practiceId: input.practiceId, taskId: task.id, by: input.by.id, note: `Already booked for ${shortDay(booked.starts_at, input.timeZone)}`, at: input.at,
    });
    if (!completed) continue;
    done.push(completed.id);
    await appendAuditEvent(trx, {
      practiceId: input.practiceId, actorUserId: input.by.id, actorRole: input.by.role, action: 'follow_up.complete', resourceType: 'follow_up',
      resourceId: completed.id, clientId: task.client_id, ip: input.ip, outcome: 'success',
      detail: { incidentId: completed.incident_id, byBooking: booked.id },
    });
  }
  return done;
}
