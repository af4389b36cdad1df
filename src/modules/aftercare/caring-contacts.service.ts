/**
 * Caring contacts (Motto & Bostrom 2001): a series of short messages from the clinician
 * that ask nothing, on a thinning cadence. Each contact is a pg-boss job due at 10:00
 * practice time on its day; the job hands the (possibly edited) text to the outbox,
 * which enforces consent and quiet hours. The client's opt-out or the clinician stops
 * the series; every step is audited.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../server/database.ts';
import { inTransaction, type JobQueue } from '../../server/jobs.ts';
import { Problem } from '../../server/problems.ts';
import { addMonths, caringContactSchedule, CARING_CONTACT_SEND_TIME, DEFAULT_CARING_CONTACT_COUNT } from '../../domain/caring-contacts.ts';
import { localDate, localTimeToInstant } from '../../domain/zoned-time.ts';
import { appendAuditEvent } from '../audit/audit.repository.ts';
import type { AuthContext } from '../auth/auth.service.ts';
import { authorizeClient } from '../clients/client-access.ts';
import { queueMessage } from '../messaging/outbox.ts';
import { clinicalWordsIn, firstNameOf, renderTemplate } from '../messaging/templates.ts';
import { type Clock, systemClock } from '../paging/paging.service.ts';
import type { CaringContact, CaringContactSeries, CaringContactStatus } from './aftercare.table.ts';

type Db = Kysely<Database>;
type Trx = Transaction<Database>;

export const CARING_CONTACT_QUEUE = 'caring-contact';
export interface CaringContactJob { practiceId: string; contactId: string }
export const caringContactJobKey = (contactId: string) => `caring-contact:${contactId}`;

export function ensureCaringContactQueue(jobs: JobQueue): Promise<void> {
  return jobs.ensureQueue(CARING_CONTACT_QUEUE, { policy: 'short', retryLimit: 5, retryDelay: 30, retryBackoff: true, expireInSeconds: 120 });
}

// --- views ---------------------------------------------------------------------------------

export interface CaringContactView {
  id: string;
  seq: number;
  dueOn: string;
  /** When its job runs (10:00 practice time on dueOn); quiet hours may hold it later. */
  sendAt: string;
  body: string;
  status: CaringContactStatus;
  notSentReason: string | null;
  editedAt: string | null;
  editedBy: string | null;
  messageId: string | null;
  messageStatus: string | null;
}

export interface CaringContactSeriesView {
  id: string;
  clientId: string;
  channel: 'text' | 'email';
  status: 'active' | 'stopped' | 'completed';
  startsOn: string;
  count: number;
  clinician: { id: string; name: string };
  stoppedAt: string | null;
  stopReason: 'client_opt_out' | 'clinician' | null;
  createdAt: string;
  contacts: CaringContactView[];
}

async function seriesViews(db: Db | Trx, practiceId: string, timeZone: string, series: CaringContactSeries[]): Promise<CaringContactSeriesView[]> {
  if (series.length === 0) return [];
  const ids = series.map((s) => s.id);
  const contacts = await db.selectFrom('caring_contacts as cc')
    .leftJoin('messages as m', (j) => j.onRef('m.practice_id', '=', 'cc.practice_id').onRef('m.id', '=', 'cc.message_id'))
    .selectAll('cc').select('m.status as message_status')
    .where('cc.practice_id', '=', practiceId).where('cc.series_id', 'in', ids).orderBy('cc.seq').execute();
  const clinicians = new Map((await db.selectFrom('users').select(['id', 'name']).where('practice_id', '=', practiceId)
    .where('id', 'in', [...new Set(series.map((s) => s.clinician_id))]).execute()).map((u) => [u.id, u.name]));
  return series.map((s) => ({
    id: s.id, clientId: s.client_id, channel: s.channel, status: s.status, startsOn: s.starts_on, count: s.contact_count,
    clinician: { id: s.clinician_id, name: clinicians.get(s.clinician_id) ?? '' },
    stoppedAt: s.stopped_at?.toISOString() ?? null, stopReason: s.stop_reason, createdAt: s.created_at.toISOString(),
    contacts: contacts.filter((c) => c.series_id === s.id).map((c) => contactView(c, timeZone, c.message_status ?? null)),
  }));
}

function contactView(c: CaringContact, timeZone: string, messageStatus: string | null): CaringContactView {
  return {
    id: c.id, seq: c.seq, dueOn: c.due_on, sendAt: sendAt(c.due_on, timeZone).toISOString(), body: c.body, status: c.status,
    notSentReason: c.not_sent_reason, editedAt: c.edited_at?.toISOString() ?? null, editedBy: c.edited_by, messageId: c.message_id, messageStatus,
  };
}

const sendAt = (dueOn: string, timeZone: string) => localTimeToInstant(dueOn, CARING_CONTACT_SEND_TIME, timeZone);

function audit(db: Db | Trx, auth: AuthContext, clientId: string, action: string, resourceType: string, resourceId: string, ip: string | null, detail: Record<string, unknown> = {}) {
  return appendAuditEvent(db, {
    practiceId: auth.practice.id, actorUserId: auth.user.id, actorRole: auth.user.role, action, resourceType, resourceId, clientId, ip, outcome: 'success', detail,
  });
}

// --- the clinician's side ------------------------------------------------------------------

export interface SeriesInput { channel: 'text' | 'email'; startsOn?: string | undefined; count?: number | undefined }

/**
 * Starts a series: one active per client (409), on a channel the client consented to
 * (422 NO_CONSENT_FOR_CHANNEL, nothing written). The first contact is due on startsOn,
 * by default a month from today (Motto's first letter came a month after discharge).
 */
export async function startSeries(db: Db, jobs: JobQueue, auth: AuthContext, clientId: string, input: SeriesInput, ip: string | null, clock: Clock = systemClock): Promise<CaringContactSeriesView> {
  const practiceId = auth.practice.id;
  const timeZone = auth.practice.timeZone;
  await authorizeClient(db, auth, clientId, 'client.caring_contacts.manage', ip);
  await ensureCaringContactQueue(jobs);
  const now = clock.now();
  const startsOn = input.startsOn ?? addMonths(localDate(now, timeZone), 1);
  const dates = caringContactSchedule(startsOn, input.count ?? DEFAULT_CARING_CONTACT_COUNT);
  try {
    return await db.transaction().execute(async (trx) => {
      const client = await trx.selectFrom('clients').select(['legal_name', 'preferred_name']).where('practice_id', '=', practiceId).where('id', '=', clientId)
        .forUpdate().executeTakeFirstOrThrow();
      const consent = await trx.selectFrom('channel_consents').select('consent').where('practice_id', '=', practiceId)
        .where('client_id', '=', clientId).where('channel', '=', input.channel).executeTakeFirst();
      if (consent?.consent !== 'given') {
        throw new Problem('NO_CONSENT_FOR_CHANNEL', `The client has not consented to ${input.channel === 'text' ? 'text messages' : 'email'}; record their consent first or choose another channel.`);
      }
      const active = await trx.selectFrom('caring_contact_series').select('id').where('practice_id', '=', practiceId)
        .where('client_id', '=', clientId).where('status', '=', 'active').executeTakeFirst();
      if (active) throw new Problem('CARING_CONTACTS_ACTIVE', 'This client already has caring contacts under way; stop that series first.');
      const body = renderTemplate('caring_contact', input.channel, {
        clientFirstName: firstNameOf(client), senderName: auth.user.name, practiceName: auth.practice.name, nextAppointment: null,
      }).body;
      const seriesId = randomUUID();
      const series = await trx.insertInto('caring_contact_series').values({
        practice_id: practiceId, id: seriesId, client_id: clientId, clinician_id: auth.user.id, channel: input.channel, starts_on: startsOn,
        contact_count: dates.length, stopped_at: null, stopped_by: null, stop_reason: null, created_by: auth.user.id, created_at: now,
      }).returningAll().executeTakeFirstOrThrow();
      const contacts = dates.map((dueOn, i) => ({
        practice_id: practiceId, id: randomUUID(), series_id: seriesId, client_id: clientId, seq: i + 1, due_on: dueOn, body,
        edited_by: null, edited_at: null, message_id: null,
      }));
      await trx.insertInto('caring_contacts').values(contacts).execute();
      for (const c of contacts) {
        await jobs.boss.send(CARING_CONTACT_QUEUE, { practiceId, contactId: c.id } satisfies CaringContactJob, {
          startAfter: sendAt(c.due_on, timeZone), singletonKey: caringContactJobKey(c.id), db: inTransaction(trx),
        });
      }
      await audit(trx, auth, clientId, 'client.caring_contacts.manage', 'caring_contact_series', seriesId, ip, {
        event: 'started', channel: input.channel, startsOn, count: dates.length, lastDueOn: dates.at(-1),
      });
      return (await seriesViews(trx, practiceId, timeZone, [series]))[0]!;
    });
  } catch (err) {
    // Two requests at once: the unique index on the active series answers for the second.
    if ((err as { code?: string }).code === '23505') throw new Problem('CARING_CONTACTS_ACTIVE', 'This client already has caring contacts under way; stop that series first.');
    throw err;
  }
}

/** The client's series, newest first, each with its contacts and their messages' delivery status. */
export async function listSeries(db: Db, auth: AuthContext, clientId: string, ip: string | null): Promise<CaringContactSeriesView[]> {
  await authorizeClient(db, auth, clientId, 'client.caring_contacts.manage', ip);
  const series = await db.selectFrom('caring_contact_series').selectAll().where('practice_id', '=', auth.practice.id)
    .where('client_id', '=', clientId).orderBy('created_at', 'desc').orderBy('id').execute();
  await audit(db, auth, clientId, 'client.caring_contacts.read', 'caring_contact_series', clientId, ip, { seriesIds: series.map((s) => s.id) });
  return seriesViews(db, auth.practice.id, auth.practice.timeZone, series);
}

/** The contact's client for the care-team gate; a 404 (audited) when there is no such contact here. */
async function contactClient(db: Db, auth: AuthContext, contactId: string, ip: string | null): Promise<string> {
  const found = await db.selectFrom('caring_contacts').select('client_id').where('practice_id', '=', auth.practice.id).where('id', '=', contactId).executeTakeFirst();
  if (!found) {
    await appendAuditEvent(db, {
      practiceId: auth.practice.id, actorUserId: auth.user.id, actorRole: auth.user.role, action: 'client.caring_contacts.manage',
      resourceType: 'caring_contact', resourceId: contactId, ip, outcome: 'denied', detail: { reason: 'no_such_caring_contact_in_practice' },
    });
    throw new Problem('NOT_FOUND', 'No such caring contact.');
  }
  await authorizeClient(db, auth, found.client_id, 'client.caring_contacts.manage', ip);
  return found.client_id;
}

/** Edits one contact before it goes. Its words stay free of clinical detail (422), like the templates. */
export async function editContact(db: Db, auth: AuthContext, contactId: string, body: string, ip: string | null, clock: Clock = systemClock): Promise<CaringContactView> {
  const clientId = await contactClient(db, auth, contactId, ip);
  const clinical = clinicalWordsIn(body);
  if (clinical.length) {
    throw new Problem('MESSAGE_HAS_CLINICAL_DETAIL', `Anyone who sees the client's phone or inbox may read this; leave out: ${clinical.join(', ')}.`, {
      errors: [{ path: 'body.body', message: `Leave out: ${clinical.join(', ')}` }],
    });
  }
  return db.transaction().execute(async (trx) => {
    const c = await trx.selectFrom('caring_contacts').selectAll().where('practice_id', '=', auth.practice.id).where('id', '=', contactId).forUpdate().executeTakeFirstOrThrow();
    if (c.status !== 'scheduled') throw new Problem('CARING_CONTACT_NOT_EDITABLE', `This caring contact is ${c.status.replace('_', ' ')} and can no longer be changed.`);
    const now = clock.now();
    const updated = await trx.updateTable('caring_contacts').set({ body, edited_by: auth.user.id, edited_at: now })
      .where('practice_id', '=', auth.practice.id).where('id', '=', contactId).returningAll().executeTakeFirstOrThrow();
    await audit(trx, auth, clientId, 'client.caring_contacts.manage', 'caring_contact', contactId, ip, {
      event: 'edited', seriesId: c.series_id, seq: c.seq, dueOn: c.due_on, previousBody: c.body,
    });
    return contactView(updated, auth.practice.timeZone, null);
  });
}

/** The clinician stops the series: the contacts not yet sent are cancelled (their jobs then do nothing). Stopping again changes nothing. */
export async function stopSeriesByClinician(db: Db, auth: AuthContext, seriesId: string, ip: string | null, clock: Clock = systemClock): Promise<CaringContactSeriesView> {
  const found = await db.selectFrom('caring_contact_series').select('client_id').where('practice_id', '=', auth.practice.id).where('id', '=', seriesId).executeTakeFirst();
  if (!found) {
    await appendAuditEvent(db, {
      practiceId: auth.practice.id, actorUserId: auth.user.id, actorRole: auth.user.role, action: 'client.caring_contacts.manage',
      resourceType: 'caring_contact_series', resourceId: seriesId, ip, outcome: 'denied', detail: { reason: 'no_such_series_in_practice' },
    });
    throw new Problem('NOT_FOUND', 'No such caring-contact series.');
  }
  await authorizeClient(db, auth, found.client_id, 'client.caring_contacts.manage', ip);
  return db.transaction().execute(async (trx) => {
    const cancelled = await stopSeries(trx, auth.practice.id, seriesId, 'clinician', auth.user.id, clock.now());
    await audit(trx, auth, found.client_id, 'client.caring_contacts.manage', 'caring_contact_series', seriesId, ip, { event: 'stopped', reason: 'clinician', cancelled });
    const series = await trx.selectFrom('caring_contact_series').selectAll().where('practice_id', '=', auth.practice.id).where('id', '=', seriesId).executeTakeFirstOrThrow();
    return (await seriesViews(trx, auth.practice.id, auth.practice.timeZone, [series]))[0]!;
  });
}

/**
 * Stops an active series and cancels its scheduled contacts; returns how many were
 * cancelled (0 when it had stopped or completed already). Exported for the inbound STOP.
 */
export async function stopSeries(trx: Trx, practiceId: string, seriesId: string, reason: 'client_opt_out' | 'clinician', by: string | null, at: Date): Promise<number> {
  const stopped = await trx.updateTable('caring_contact_series').set({ status: 'stopped', stopped_at: at, stopped_by: by, stop_reason: reason })
    .where('practice_id', '=', practiceId).where('id', '=', seriesId).where('status', '=', 'active').returning('id').executeTakeFirst();
  if (!stopped) return 0;
  const cancelled = await trx.updateTable('caring_contacts').set({ status: 'cancelled' })
    .where('practice_id', '=', practiceId).where('series_id', '=', seriesId).where('status', '=', 'scheduled').returning('id').execute();
  return cancelled.length;
}

// --- the job -------------------------------------------------------------------------------

export type SendOutcome = 'sent' | 'not_due' | 'skipped' | 'opted_out' | 'not_sent';

/**
 * Sends one caring contact when its time has come: hands the text to the outbox
 * (`caring:<contactId>` makes a repeated job harmless) and marks it sent. If the client
 * has opted out of the channel, the series stops ('client_opt_out'). A contact that was
 * cancelled, sent already, or belongs to a stopped series is left alone.
 */
export async function sendCaringContact(deps: { db: Db; jobs: JobQueue }, job: CaringContactJob, clock: Clock = systemClock): Promise<SendOutcome> {
  const { db, jobs } = deps;
  const now = clock.now();
  try {
    return await db.transaction().execute(async (trx) => {
      const c = await trx.selectFrom('caring_contacts').selectAll().where('practice_id', '=', job.practiceId).where('id', '=', job.contactId).forUpdate().executeTakeFirst();
      if (!c || c.status !== 'scheduled') return 'skipped';
      const series = await trx.selectFrom('caring_contact_series').selectAll().where('practice_id', '=', job.practiceId).where('id', '=', c.series_id).forUpdate().executeTakeFirstOrThrow();
      if (series.status !== 'active') return 'skipped';
      const practice = await trx.selectFrom('practices').select('time_zone').where('id', '=', job.practiceId).executeTakeFirstOrThrow();
      if (now < sendAt(c.due_on, practice.time_zone)) return 'not_due';
      const { message } = await queueMessage(trx, jobs, {
        practiceId: job.practiceId, clientId: c.client_id, channel: series.channel, purpose: 'caring_contact', template: 'caring_contact',
        body: c.body, idempotencyKey: `caring:${c.id}`, createdBy: null, caringContactId: c.id, now,
      });
      await trx.updateTable('caring_contacts').set({ status: 'sent', message_id: message.id }).where('practice_id', '=', job.practiceId).where('id', '=', c.id).execute();
      await completeWhenDone(trx, job.practiceId, series.id);
      await systemAudit(trx, job.practiceId, c, 'success', { event: 'sent', messageId: message.id, seriesId: series.id, seq: c.seq });
      return 'sent';
    });
  } catch (err) {
    if (!(err instanceof Problem)) throw err; // the database or the queue: pg-boss retries
    const problem = err;
    return db.transaction().execute(async (trx) => {
      const c = await trx.selectFrom('caring_contacts').selectAll().where('practice_id', '=', job.practiceId).where('id', '=', job.contactId).forUpdate().executeTakeFirstOrThrow();
      if (problem.code === 'NO_CONSENT_FOR_CHANNEL') {
        // The client said stop (an inbound STOP, or consent withdrawn): no more caring contacts on this series.
        const cancelled = await stopSeries(trx, job.practiceId, c.series_id, 'client_opt_out', null, now);
        await systemAudit(trx, job.practiceId, c, 'failure', { event: 'stopped', reason: 'client_opt_out', seriesId: c.series_id, cancelled });
        return 'opted_out';
      }
      // No address or no transport: this one cannot go; the rest may once the practice fixes it.
      await trx.updateTable('caring_contacts').set({ status: 'not_sent', not_sent_reason: problem.code }).where('practice_id', '=', job.practiceId).where('id', '=', c.id).execute();
      await completeWhenDone(trx, job.practiceId, c.series_id);
      await systemAudit(trx, job.practiceId, c, 'failure', { event: 'not_sent', reason: problem.code, seriesId: c.series_id, seq: c.seq });
      return 'not_sent';
    });
  }
}

/** The series is completed once none of its contacts is left to send. */
async function completeWhenDone(trx: Trx, practiceId: string, seriesId: string) {
  const left = await trx.selectFrom('caring_contacts').select('id').where('practice_id', '=', practiceId).where('series_id', '=', seriesId)
    .where('status', '=', 'scheduled').limit(1).executeTakeFirst();
  if (!left) {
    await trx.updateTable('caring_contact_series').set({ status: 'completed' }).where('practice_id', '=', practiceId)
      .where('id', '=', seriesId).where('status', '=', 'active').execute();
  }
}

function systemAudit(trx: Trx, practiceId: string, c: CaringContact, outcome: 'success' | 'failure', detail: Record<string, unknown>) {
  return appendAuditEvent(trx, {
    practiceId, actorUserId: null, actorRole: 'system', action: 'caring_contact.send', resourceType: 'caring_contact', resourceId: c.id,
    clientId: c.client_id, ip: null, outcome, detail,
  });
}

export async function startCaringContactWorker(deps: { db: Db; jobs: JobQueue; clock: Clock }): Promise<{ stop(): Promise<void> }> {
  await ensureCaringContactQueue(deps.jobs);
  const ids = await deps.jobs.workContinuously<CaringContactJob>(CARING_CONTACT_QUEUE, { pollingIntervalSeconds: 5 }, async ([job]) => {
    if (job) await sendCaringContact(deps, job.data, deps.clock);
  });
  return { stop: async () => { for (const id of ids) await deps.jobs.boss.offWork({ id }); } };
}
