import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../server/database.ts';
import { decryptOptional, encryptOptional } from '../../server/field-crypto.ts';
import type { Channel } from '../clients/clients.table.ts';
import type { Insertable, Updateable } from 'kysely';
import type { Message, MessageStatus, MessageTable, MessagingSettings, MessagingSettingsTable } from './messaging.table.ts';

type Db = Kysely<Database> | Transaction<Database>;

/**
 * The practice's messaging settings, its SMTP password and Twilio auth token opened.
 * Both are credentials to the practice's accounts: encrypted at rest with the practice's
 * data key (HIPAA 45 CFR 164.312(a)(2)(iv)); rows written before that read as they are.
 */
export async function findSettings(db: Db, practiceId: string): Promise<MessagingSettings | undefined> {
  const row = await db.selectFrom('messaging_settings').selectAll().where('practice_id', '=', practiceId).executeTakeFirst();
  return row && openSecrets(db, row);
}

export async function saveSettings(db: Db, row: Insertable<MessagingSettingsTable> & { practice_id: string }): Promise<MessagingSettings> {
  const sealed = {
    ...row,
    smtp_password: await encryptOptional(db, row.practice_id, row.smtp_password ?? null),
    twilio_auth_token: await encryptOptional(db, row.practice_id, row.twilio_auth_token ?? null),
  };
  const { practice_id: _practiceId, ...changes } = sealed;
  const saved = await db.insertInto('messaging_settings').values(sealed)
    .onConflict((oc) => oc.column('practice_id').doUpdateSet(changes))
    .returningAll().executeTakeFirstOrThrow();
  return openSecrets(db, saved);
}

async function openSecrets(db: Db, row: MessagingSettings): Promise<MessagingSettings> {
  return {
    ...row,
    smtp_password: await decryptOptional(db, row.practice_id, row.smtp_password),
    twilio_auth_token: await decryptOptional(db, row.practice_id, row.twilio_auth_token),
  };
}

export function findPractice(db: Db, practiceId: string) {
  return db.selectFrom('practices').select(['id', 'name', 'time_zone']).where('id', '=', practiceId).executeTakeFirst();
}

/** The client, and their consent on one channel (null when never asked). */
export async function findClientAndConsent(db: Db, practiceId: string, clientId: string, channel: Channel) {
  const client = await db.selectFrom('clients').select(['id', 'legal_name', 'preferred_name', 'phone', 'email', 'archived_at'])
    .where('practice_id', '=', practiceId).where('id', '=', clientId).executeTakeFirst();
  if (!client) return null;
  const consent = await db.selectFrom('channel_consents').select(['consent', 'quiet_hours_start', 'quiet_hours_end'])
    .where('practice_id', '=', practiceId).where('client_id', '=', clientId).where('channel', '=', channel).executeTakeFirst();
  return { client, consent: consent ?? null };
}

/**
 * Who a message is from: the person who sent it; for a job, the follow-up's owner or the
 * caring-contact series' clinician; else the client's first assigned clinician.
 */
export async function findSenderName(db: Db, practiceId: string, clientId: string, who: { userId: string | null; followUpTaskId?: string | null; caringContactId?: string | null }): Promise<string | null> {
  const candidates = sql<string | null>`coalesce(
    ${who.userId}::uuid,
    (select assigned_to from follow_up_tasks where practice_id = ${practiceId} and id = ${who.followUpTaskId ?? null}::uuid),
    (select s.clinician_id from caring_contacts c join caring_contact_series s on s.practice_id = c.practice_id and s.id = c.series_id
      where c.practice_id = ${practiceId} and c.id = ${who.caringContactId ?? null}::uuid),
    (select clinician_id from client_clinicians where practice_id = ${practiceId} and client_id = ${clientId} order by assigned_at limit 1)
  )`;
  const row = await db.selectFrom('users').select('name').where('practice_id', '=', practiceId).where('id', '=', candidates).executeTakeFirst();
  return row?.name ?? null;
}

/** The client's next appointment (not one already under way), for the appointment template. */
export { findNextAppointment } from '../schedule/schedule.repository.ts';

/** Inserts the message unless one with its idempotency key (or id) exists; returns it when inserted. */
export function insertMessage(trx: Db, row: Insertable<MessageTable>): Promise<Message | undefined> {
  return trx.insertInto('messages').values(row).onConflict((oc) => oc.doNothing()).returningAll().executeTakeFirst();
}

export function findMessageByKey(db: Db, practiceId: string, idempotencyKey: string): Promise<Message | undefined> {
  return db.selectFrom('messages').selectAll().where('practice_id', '=', practiceId).where('idempotency_key', '=', idempotencyKey).executeTakeFirst();
}

export function findMessage(db: Db, practiceId: string, id: string): Promise<Message | undefined> {
  return db.selectFrom('messages').selectAll().where('practice_id', '=', practiceId).where('id', '=', id).executeTakeFirst();
}

export function lockMessage(trx: Transaction<Database>, practiceId: string, id: string): Promise<Message | undefined> {
  return trx.selectFrom('messages').selectAll().where('practice_id', '=', practiceId).where('id', '=', id).forUpdate().executeTakeFirst();
}

/** Finds a message by the provider's id (a status callback), locked. */
export function lockMessageByProviderId(trx: Transaction<Database>, practiceId: string, providerMessageId: string): Promise<Message | undefined> {
  return trx.selectFrom('messages').selectAll().where('practice_id', '=', practiceId).where('provider_message_id', '=', providerMessageId)
    .forUpdate().executeTakeFirst();
}

export type MessageChanges = Pick<Updateable<MessageTable>, 'status' | 'attempts' | 'last_error' | 'provider_message_id' | 'sent_at' | 'status_at'>;

export async function updateMessage(trx: Db, practiceId: string, id: string, changes: MessageChanges): Promise<void> {
  await trx.updateTable('messages').set(changes).where('practice_id', '=', practiceId).where('id', '=', id).execute();
}

export async function insertEvents(trx: Db, events: { practiceId: string; messageId: string; at: Date; status: string; detail?: string }[]): Promise<void> {
  if (events.length === 0) return;
  await trx.insertInto('message_events')
    .values(events.map((e) => ({ practice_id: e.practiceId, message_id: e.messageId, at: e.at, status: e.status, detail: e.detail ?? '' })))
    .execute();
}

export function listClientMessages(db: Db, practiceId: string, clientId: string, limit = 100): Promise<Message[]> {
  return db.selectFrom('messages').selectAll().where('practice_id', '=', practiceId).where('client_id', '=', clientId)
    .orderBy('created_at', 'desc').orderBy('id').limit(limit).execute();
}

export function listOutbox(db: Db, practiceId: string, limit: number): Promise<(Message & { client_name: string | null })[]> {
  return db.selectFrom('messages as m')
    // A text back to a caller has no client (purpose 'call_back').
    .leftJoin('clients as c', (j) => j.onRef('c.practice_id', '=', 'm.practice_id').onRef('c.id', '=', 'm.client_id'))
    .selectAll('m').select(sql<string | null>`coalesce(c.preferred_name, c.legal_name)`.as('client_name'))
    .where('m.practice_id', '=', practiceId).orderBy('m.created_at', 'desc').orderBy('m.id').limit(limit).execute();
}

/** The clients of a practice whose phone is this number (a family may share one). */
export function findClientsByPhone(db: Db, practiceId: string, phone: string) {
  return db.selectFrom('clients').select(['id']).where('practice_id', '=', practiceId).where('phone', '=', phone).execute();
}

/** Queued messages of a client on a channel, locked, to cancel them. */
export function lockQueuedMessages(trx: Transaction<Database>, practiceId: string, clientId: string, channel: 'text' | 'email') {
  return trx.selectFrom('messages').select(['id']).where('practice_id', '=', practiceId).where('client_id', '=', clientId)
    .where('channel', '=', channel).where('status', '=', 'queued').forUpdate().execute();
}

export async function setMessagesStatus(trx: Db, practiceId: string, ids: string[], status: MessageStatus, at: Date): Promise<void> {
  if (ids.length === 0) return;
  await trx.updateTable('messages').set({ status, status_at: at }).where('practice_id', '=', practiceId).where('id', 'in', ids).execute();
}

/**
 * Whether a number's last STOP or START to this practice was STOP: a text back to a caller
 * (who need not be a client) is not sent to a number that opted out (CTIA Messaging Principles).
 */
export async function numberOptedOut(db: Db, practiceId: string, phone: string): Promise<boolean> {
  const last = await db.selectFrom('inbound_messages').select('action').where('practice_id', '=', practiceId).where('from_address', '=', phone)
    .where('action', '!=', 'none').orderBy('received_at', 'desc').limit(1).executeTakeFirst();
  return last?.action === 'opt_out';
}
