import type { Kysely, Transaction } from 'kysely';
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import type { Database } from '../../server/database.ts';
import { inTransaction, type JobQueue } from '../../server/jobs.ts';
import type { LiveHub } from '../../server/live.ts';
import { Problem } from '../../server/problems.ts';
import { quietHoursFor, whenMayMessageGo } from '../../domain/quiet-hours.ts';
import { appendAuditEvent } from '../audit/audit.repository.ts';
import { publishAll, systemClock, type Clock } from '../paging/paging.service.ts';
import type { Message, MessageChannel, MessagePurpose, MessageStatus, MessageTransport, MessagingSettings } from './messaging.table.ts';
import * as repo from './messaging.repository.ts';
import { firstNameOf, renderTemplate, type Rendered, type TemplateKey } from './templates.ts';
import { PermanentSendError, sendDevelopment, sendEmail, sendTwilioText, type Handed } from './transports.ts';

export type { TemplateKey } from './templates.ts';
type Db = Kysely<Database>;

export interface QueueMessageInput {
  practiceId: string; clientId: string; channel: MessageChannel; purpose: MessagePurpose;
  template: TemplateKey;
  /** For caring contacts: the clinician-edited text (still no clinical detail). Default: the template's. */
  body?: string;
  idempotencyKey: string;          // e.g. `follow-up:${taskId}:${messageId}`, `caring:${contactId}`
  messageId?: string;              // client-made id when the browser sends it
  createdBy: string | null;        // null when sent by a job
  followUpTaskId?: string | null; caringContactId?: string | null;
  now: Date;
}

export interface MessageView {
  id: string; channel: MessageChannel; toAddress: string; purpose: MessagePurpose; template: string;
  subject: string | null; body: string; status: MessageStatus; sendAfter: string; sentAt: string | null; statusAt: string | null;
  attempts: number; lastError: string | null; transport: MessageTransport; createdAt: string;
}

export function messageView(m: Message): MessageView {
  return {
    id: m.id, channel: m.channel, toAddress: m.to_address, purpose: m.purpose, template: m.template, subject: m.subject, body: m.body,
    status: m.status, sendAfter: m.send_after.toISOString(), sentAt: m.sent_at?.toISOString() ?? null, statusAt: m.status_at?.toISOString() ?? null,
    attempts: m.attempts, lastError: m.last_error, transport: m.transport, createdAt: m.created_at.toISOString(),
  };
}

// --- the queue ------------------------------------------------------------------------------

/** The pg-boss queue of sends: one job per message, retried with back-off. */
export const OUTBOX_QUEUE = 'message-send';
export interface SendJob { practiceId: string; messageId: string }

/** Retries: 8 with exponential back-off from 5 s (about 40 minutes in all) before a message is failed. */
export const OUTBOX_RETRY = { retryLimit: 8, retryDelay: 5, retryBackoff: true } as const;

export function ensureOutboxQueue(jobs: JobQueue): Promise<void> {
  return jobs.ensureQueue(OUTBOX_QUEUE, { ...OUTBOX_RETRY, expireInSeconds: 120 });
}

async function scheduleSend(trx: Transaction<Database>, jobs: JobQueue, job: SendJob, startAfter: Date | null): Promise<void> {
  await ensureOutboxQueue(jobs);
  await jobs.boss.send(OUTBOX_QUEUE, job, { ...(startAfter ? { startAfter } : {}), db: inTransaction(trx) });
}

// --- which transport ---------------------------------------------------------------------------

const smtpReady = (s: MessagingSettings) => s.email_enabled && !!s.smtp_host && !!s.email_from;
const twilioReady = (s: MessagingSettings) => !!s.twilio_account_sid && !!s.twilio_auth_token && !!s.twilio_from;

/**
 * How a channel is sent for a practice, or null when it cannot be.
 * Texts: the practice's text provider ('development' until it chooses; 'none' turns texts off).
 * Email: SMTP when the practice has enabled and set it up; otherwise, while the practice
 * is in development (its text provider is 'development'), the development outbox, so a
 * demo works end to end without a mail server; otherwise email is not configured.
 */
export function transportFor(settings: MessagingSettings | undefined, channel: MessageChannel): MessageTransport | null {
  const textProvider = settings?.text_provider ?? 'development';
  if (channel === 'text') {
    if (textProvider === 'twilio') return settings && twilioReady(settings) ? 'twilio' : null;
    return textProvider === 'development' ? 'development' : null;
  }
  if (settings && smtpReady(settings)) return 'smtp';
  return textProvider === 'development' ? 'development' : null;
}

/** The address a channel goes to: the client's mobile number in E.164, or their email. */
function addressFor(client: { phone: string | null; email: string | null }, channel: MessageChannel): string | null {
  if (channel === 'email') return client.email?.trim() || null;
  const phone = client.phone ? parsePhoneNumberFromString(client.phone, 'US') : undefined;
  return phone?.isValid() ? phone.number : null;
}

// --- queueing ---------------------------------------------------------------------------------

export interface Prepared {
  toAddress: string; transport: MessageTransport; rendered: Rendered; sendAfter: Date; held: boolean;
}

/**
 * Everything a message needs before it can be queued, or the reason it cannot be:
 * consent on exactly this channel (voice consent does not cover texts), an address,
 * a transport, and the time it may go (quiet hours). Writes nothing.
 */
export async function prepareMessage(db: Db | Transaction<Database>, input: Omit<QueueMessageInput, 'idempotencyKey' | 'messageId' | 'purpose'>): Promise<Prepared> {
  const found = await repo.findClientAndConsent(db, input.practiceId, input.clientId, input.channel);
  if (!found) throw new Problem('NOT_FOUND', 'No such client.');
  if (found.consent?.consent !== 'given') {
    throw new Problem('NO_CONSENT_FOR_CHANNEL', `The client has not consented to follow-up by ${input.channel === 'text' ? 'text message' : 'email'}.`);
  }
  const toAddress = addressFor(found.client, input.channel);
  if (!toAddress) {
    throw new Problem('NO_ADDRESS_FOR_CHANNEL', input.channel === 'text' ? 'The client has no valid mobile number on file.' : 'The client has no email address on file.');
  }
  const [settings, practice] = await Promise.all([repo.findSettings(db, input.practiceId), repo.findPractice(db, input.practiceId)]);
  const transport = transportFor(settings, input.channel);
  if (!transport || !practice) {
    throw new Problem('CHANNEL_NOT_CONFIGURED', input.channel === 'text' ? 'Text messages are not set up for this practice.' : 'Email is not set up for this practice.');
  }
  const quiet = quietHoursFor(
    { start: found.consent.quiet_hours_start, end: found.consent.quiet_hours_end },
    settings ? { start: settings.quiet_hours_start, end: settings.quiet_hours_end } : null,
  );
  const { sendAt, held } = whenMayMessageGo(input.now, quiet, practice.time_zone);
  const rendered = await render(db, input, found.client, practice);
  return { toAddress, transport, rendered, sendAfter: sendAt, held };
}

/** The template filled in for a client, whatever their consent (a preview of a message that cannot go yet). */
export async function renderMessage(db: Db | Transaction<Database>, input: Omit<QueueMessageInput, 'idempotencyKey' | 'messageId' | 'purpose'>): Promise<Rendered> {
  const [found, practice] = await Promise.all([
    repo.findClientAndConsent(db, input.practiceId, input.clientId, input.channel), repo.findPractice(db, input.practiceId),
  ]);
  if (!found || !practice) throw new Problem('NOT_FOUND', 'No such client.');
  return render(db, input, found.client, practice);
}

async function render(
  db: Db | Transaction<Database>, input: Omit<QueueMessageInput, 'idempotencyKey' | 'messageId' | 'purpose'>,
  client: { preferred_name: string | null; legal_name: string }, practice: { name: string; time_zone: string },
): Promise<Rendered> {
  const [senderName, next] = await Promise.all([
    repo.findSenderName(db, input.practiceId, input.clientId, { userId: input.createdBy, followUpTaskId: input.followUpTaskId, caringContactId: input.caringContactId }),
    input.template === 'appointment_reminder' ? repo.findNextAppointment(db, input.practiceId, input.clientId, input.now) : undefined,
  ]);
  const rendered = renderTemplate(input.template, input.channel, {
    clientFirstName: firstNameOf(client),
    senderName: senderName ?? practice.name,
    practiceName: practice.name,
    nextAppointment: next ? new Intl.DateTimeFormat('en-US', { timeZone: practice.time_zone, weekday: 'short', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' }).format(next.starts_at).replace(/, (\d+:)/, ' at $1') : null,
  });
  return input.body !== undefined ? { ...rendered, body: input.body } : rendered;
}

/**
 * Inside the caller's transaction: checks consent, address and transport; holds for quiet
 * hours (send_after); writes messages + message_events; queues the send job. Idempotent on
 * idempotencyKey (returns the existing message). Throws Problem NO_CONSENT_FOR_CHANNEL,
 * NO_ADDRESS_FOR_CHANNEL, CHANNEL_NOT_CONFIGURED (all 422), MESSAGE_ID_REUSED (409) for a
 * messageId that names another message. Does NOT audit (caller audits).
 */
export async function queueMessage(trx: Transaction<Database>, jobs: JobQueue, input: QueueMessageInput): Promise<{ message: Message; heldForQuietHours: boolean }> {
  const existing = await repo.findMessageByKey(trx, input.practiceId, input.idempotencyKey);
  if (existing) return { message: existing, heldForQuietHours: existing.send_after > existing.created_at };
  const p = await prepareMessage(trx, input);
  const message = await repo.insertMessage(trx, {
    practice_id: input.practiceId, id: input.messageId ?? crypto.randomUUID(), client_id: input.clientId, channel: input.channel,
    to_address: p.toAddress, purpose: input.purpose, template: input.template, subject: p.rendered.subject, body: p.rendered.body,
    transport: p.transport, send_after: p.sendAfter, idempotency_key: input.idempotencyKey, last_error: null, provider_message_id: null,
    follow_up_task_id: input.followUpTaskId ?? null, caring_contact_id: input.caringContactId ?? null, created_by: input.createdBy,
    created_at: input.now, sent_at: null, status_at: input.now,
  });
  if (!message) {
    // Someone else inserted it meanwhile (the same key), or the id belongs to another message.
    const raced = await repo.findMessageByKey(trx, input.practiceId, input.idempotencyKey);
    if (raced) return { message: raced, heldForQuietHours: raced.send_after > raced.created_at };
    throw new Problem('MESSAGE_ID_REUSED', 'That message id belongs to another message.');
  }
  await repo.insertEvents(trx, [{
    practiceId: input.practiceId, messageId: message.id, at: input.now, status: 'queued',
    detail: p.held ? `held for quiet hours until ${p.sendAfter.toISOString()}` : '',
  }]);
  await scheduleSend(trx, jobs, { practiceId: input.practiceId, messageId: message.id }, p.held ? p.sendAfter : null);
  return { message, heldForQuietHours: p.held };
}

export interface QueueCallBackInput {
  practiceId: string;
  /** The caller's number (E.164), as Twilio gave it. */
  toAddress: string;
  body: string;
  idempotencyKey: string;          // e.g. `call-back:${alertId}`
  createdBy: string;
  now: Date;
}

/**
 * A text back to someone who called or texted a clinician's line ("I will call you in 10
 * minutes."): inside the caller's transaction, like queueMessage, but to a number and
 * with no client, so no client consent or quiet hours apply. TCPA (47 U.S.C. 227(b)(1)(A);
 * a text is a call): one informational reply to a person who has just contacted this very
 * number, answering their own call, nothing more (FCC 15-72 (2015) on one-time on-demand
 * replies); a number whose last word to the practice was STOP is not texted. Throws
 * CHANNEL_NOT_CONFIGURED, NO_CONSENT_FOR_CHANNEL (the number opted out). Does NOT audit.
 */
export async function queueCallBack(trx: Transaction<Database>, jobs: JobQueue, input: QueueCallBackInput): Promise<Message> {
  const transport = transportFor(await repo.findSettings(trx, input.practiceId), 'text');
  if (!transport) throw new Problem('CHANNEL_NOT_CONFIGURED', 'Text messages are not set up for this practice.');
  if (await repo.numberOptedOut(trx, input.practiceId, input.toAddress)) {
    throw new Problem('NO_CONSENT_FOR_CHANNEL', 'That number has asked this practice to stop texting it (STOP).');
  }
  return queueTextToNumber(trx, jobs, { ...input, transport, purpose: 'call_back', detail: 'a text back to a caller' });
}

/**
 * A page by text to a member of staff at the number they gave for it (users.page_phone):
 * in the transaction that pages them, at once whatever the hour (it is their pager), and
 * saying only that help is asked for — no client, no protocol (HIPAA 45 CFR 164.502(b),
 * minimum necessary: a phone's lock screen shows it). Nothing is queued, and the page goes
 * on regardless, when the practice has no text transport or the number texted STOP.
 */
export async function queuePageText(
  trx: Transaction<Database>, jobs: JobQueue,
  input: { practiceId: string; toAddress: string; practiceName: string; idempotencyKey: string; now: Date },
): Promise<Message | null> {
  const transport = transportFor(await repo.findSettings(trx, input.practiceId), 'text');
  if (!transport || (await repo.numberOptedOut(trx, input.practiceId, input.toAddress))) return null;
  const body = `${input.practiceName}: you are paged — a colleague needs help now. Open Holdspace to see the page and acknowledge it.`;
  return queueTextToNumber(trx, jobs, { ...input, body, transport, createdBy: null, purpose: 'page', detail: 'a page by text' });
}

/** A text to a number rather than to a client: no client consent or quiet hours; sent at once through the outbox. */
async function queueTextToNumber(
  trx: Transaction<Database>, jobs: JobQueue,
  input: { practiceId: string; toAddress: string; body: string; idempotencyKey: string; createdBy: string | null; now: Date;
    transport: MessageTransport; purpose: 'call_back' | 'page'; detail: string },
): Promise<Message> {
  const existing = await repo.findMessageByKey(trx, input.practiceId, input.idempotencyKey);
  if (existing) return existing;
  const message = await repo.insertMessage(trx, {
    practice_id: input.practiceId, id: crypto.randomUUID(), client_id: null, channel: 'text', to_address: input.toAddress, purpose: input.purpose,
    template: input.purpose, subject: null, body: input.body, transport: input.transport, send_after: input.now, idempotency_key: input.idempotencyKey, last_error: null,
    provider_message_id: null, follow_up_task_id: null, caring_contact_id: null, created_by: input.createdBy, created_at: input.now, sent_at: null, status_at: input.now,
  });
  if (!message) {
    const raced = await repo.findMessageByKey(trx, input.practiceId, input.idempotencyKey);
    if (raced) return raced;
    throw new Problem('MESSAGE_ID_REUSED', 'That message id belongs to another message.');
  }
  await repo.insertEvents(trx, [{ practiceId: input.practiceId, messageId: message.id, at: input.now, status: 'queued', detail: input.detail }]);
  await scheduleSend(trx, jobs, { practiceId: input.practiceId, messageId: message.id }, null);
  return message;
}

// --- sending ----------------------------------------------------------------------------------

export interface SendDeps {
  db: Db;
  jobs: JobQueue;
  clock: Clock;
  /** The server's public address, for Twilio's status callbacks; none → no callbacks. */
  publicUrl?: string | null;
}

export type SendOutcome =
  | { outcome: 'sent' | 'delivered'; message: Message }
  | { outcome: 'skipped' | 'cancelled' | 'rescheduled'; message: Message | null }
  | { outcome: 'retry' | 'failed' | 'undeliverable'; message: Message; error: string };

/**
 * Sends one queued message, holding its row lock while the transport is called, so a
 * redelivered job waits and then finds it no longer queued (never sent twice by us; the
 * Message-ID and Twilio's idempotency token cover a crash between hand-over and commit).
 * Consent is checked again: an opt-out meanwhile cancels it. A failure is recorded on the
 * message; `retry` means the job should throw so pg-boss tries again, and on the last
 * try (`isLastTry`) the message is failed instead.
 */
export async function sendQueuedMessage(deps: SendDeps, job: SendJob, isLastTry = false): Promise<SendOutcome> {
  const { db, clock } = deps;
  return db.transaction().execute(async (trx): Promise<SendOutcome> => {
    const message = await repo.lockMessage(trx, job.practiceId, job.messageId);
    if (!message || message.status !== 'queued') return { outcome: 'skipped', message: message ?? null };
    const now = clock.now();
    if (message.send_after > now) {
      // Early (a clock set back, or a job moved): go again when the message may go.
      await scheduleSend(trx, deps.jobs, job, message.send_after);
      return { outcome: 'rescheduled', message };
    }
    // A client's consent on the channel; a caller's text back: that their number has not texted STOP since.
    const consented = message.client_id
      ? (await repo.findClientAndConsent(trx, job.practiceId, message.client_id, message.channel))?.consent?.consent === 'given'
      : !(await repo.numberOptedOut(trx, job.practiceId, message.to_address));
    if (!consented) {
      await finish(trx, message, { status: 'cancelled', status_at: now }, 'cancelled', 'consent withdrawn before sending', now);
      return { outcome: 'cancelled', message: { ...message, status: 'cancelled' } };
    }
    const settings = await repo.findSettings(trx, job.practiceId);
    const attempts = message.attempts + 1;
    let handed: Handed;
    try {
      handed = await hand(message, settings, deps.publicUrl ?? null);
    } catch (err) {
      const error = String((err as Error).message ?? err).slice(0, 500);
      const permanent = err instanceof PermanentSendError;
      const status: 'queued' | 'failed' | 'undeliverable' = permanent ? 'undeliverable' : isLastTry ? 'failed' : 'queued';
      await finish(trx, message, { status, attempts, last_error: error, status_at: now }, permanent || isLastTry ? status : 'attempt_failed', error, now);
      const after = { ...message, status, attempts, last_error: error };
      return { outcome: permanent ? 'undeliverable' : isLastTry ? 'failed' : 'retry', message: after, error };
    }
    const changes = { status: handed.status as MessageStatus, attempts, last_error: null, provider_message_id: handed.providerMessageId, sent_at: now, status_at: now };
    await finish(trx, message, changes, handed.status, `via ${message.transport}`, now);
    return { outcome: handed.status, message: { ...message, ...changes } };
  });
}

async function finish(trx: Transaction<Database>, message: Message, changes: repo.MessageChanges, event: string, detail: string, at: Date) {
  await repo.updateMessage(trx, message.practice_id, message.id, changes);
  await repo.insertEvents(trx, [{ practiceId: message.practice_id, messageId: message.id, at, status: event, detail }]);
  // Sending to a client is a disclosure of their contact details to the carrier: recorded.
  await appendAuditEvent(trx, {
    practiceId: message.practice_id, actorUserId: null, actorRole: 'system', action: 'message.send', resourceType: 'message',
    resourceId: message.id, clientId: message.client_id, ip: null, outcome: 'success', detail: { event, transport: message.transport, detail },
  });
}

function hand(message: Message, settings: MessagingSettings | undefined, publicUrl: string | null): Promise<Handed> {
  switch (message.transport) {
    case 'development':
      return Promise.resolve(sendDevelopment(message));
    case 'smtp':
      if (!settings || !smtpReady(settings)) return Promise.reject(new Error('Email over SMTP is no longer set up for this practice'));
      return sendEmail(message, settings);
    case 'twilio':
      if (!settings || !twilioReady(settings)) return Promise.reject(new Error('Twilio is no longer set up for this practice'));
      return sendTwilioText(message, settings, {
        statusCallbackUrl: publicUrl ? `${publicUrl.replace(/\/$/, '')}/api/webhooks/twilio/${message.practice_id}/status` : null,
      });
  }
}

/**
 * Starts sending: a failed send throws so pg-boss retries it with back-off; the last
 * try fails the message. `retryDelaySeconds` (tests) changes the back-off's first step
 * for messages queued from then on.
 */
export async function startOutboxWorker(deps: {
  db: Db; jobs: JobQueue; live: LiveHub; clock?: Clock; publicUrl?: string | null; retryDelaySeconds?: number;
}): Promise<{ stop(): Promise<void> }> {
  const send: SendDeps = { db: deps.db, jobs: deps.jobs, clock: deps.clock ?? systemClock, publicUrl: deps.publicUrl ?? null };
  await ensureOutboxQueue(deps.jobs);
  if (deps.retryDelaySeconds !== undefined) {
    await deps.jobs.boss.updateQueue(OUTBOX_QUEUE, { name: OUTBOX_QUEUE, ...OUTBOX_RETRY, retryDelay: deps.retryDelaySeconds });
  }
  // Two side by side, each asking again at once while messages wait (one slow mail server does not hold up the rest).
  const ids = await deps.jobs.workContinuously<SendJob>(OUTBOX_QUEUE, { pollingIntervalSeconds: 1 }, async ([job]) => {
    if (!job) return;
    const result = await sendQueuedMessage(send, job.data, job.retryCount >= job.retryLimit);
    // Whoever sent it sees its status move without reloading (no clinical detail: ids and status only).
    const m = result.outcome === 'skipped' || result.outcome === 'rescheduled' ? null : result.message;
    if (m?.created_by) {
      await publishAll(deps.live, deps.db, [{
        type: 'message.updated', practiceId: m.practice_id, userIds: [m.created_by!], data: { messageId: m.id, clientId: m.client_id, status: m.status },
      }]);
    }
    if (result.outcome === 'retry') throw new Error(result.error);
  }, 2);
  return { stop: async () => { for (const id of ids) await deps.jobs.boss.offWork({ id }); } };
}
