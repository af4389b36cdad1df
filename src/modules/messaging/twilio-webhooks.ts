import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import twilio from 'twilio';
import type { Database } from '../../server/database.ts';
import { Problem } from '../../server/problems.ts';
import { localDate } from '../../domain/zoned-time.ts';
import { appendAuditEvent } from '../audit/audit.repository.ts';
import { stopSeries } from '../aftercare/caring-contacts.service.ts';
import { upsertChannelConsent } from '../clients/clients.repository.ts';
import type { Message, MessageStatus } from './messaging.table.ts';
import * as repo from './messaging.repository.ts';

type Db = Kysely<Database>;
export type TwilioParams = Record<string, string>;

/**
 * Twilio signs each webhook with the account's auth token over the public URL and the
 * form fields (X-Twilio-Signature). A request that does not verify changes nothing.
 */
export async function verifyTwilioRequest(db: Db, practiceId: string, signature: string | undefined, url: string, params: TwilioParams): Promise<void> {
  const settings = await repo.findSettings(db, practiceId);
  const token = settings?.twilio_auth_token;
  if (!token || !signature || !twilio.validateRequest(token, signature, url, params)) {
    throw new Problem('WEBHOOK_SIGNATURE_INVALID', 'The request is not signed with this practice’s Twilio auth token.');
  }
}

// --- delivery status ---------------------------------------------------------------------------

/** Twilio's MessageStatus in our words; 'queued'/'accepted'/'sending' are all "handed over" (sent) to us. */
const TWILIO_STATUS: Record<string, MessageStatus> = {
  accepted: 'sent', scheduled: 'sent', queued: 'sent', sending: 'sent', sent: 'sent',
  delivered: 'delivered', read: 'delivered', undelivered: 'undeliverable', failed: 'failed',
};
/** Callbacks may arrive out of order: a status only moves forward. */
const RANK: Partial<Record<MessageStatus, number>> = { queued: 0, sending: 1, sent: 2, delivered: 3, undeliverable: 3, failed: 3 };

export async function recordTwilioStatus(db: Db, practiceId: string, params: TwilioParams, at: Date): Promise<{ message: Message | null; changed: boolean }> {
  const sid = params.MessageSid ?? params.SmsSid;
  const ours = TWILIO_STATUS[(params.MessageStatus ?? params.SmsStatus ?? '').toLowerCase()];
  if (!sid || !ours) return { message: null, changed: false };
  return db.transaction().execute(async (trx) => {
    const message = await repo.lockMessageByProviderId(trx, practiceId, sid);
    if (!message) return { message: null, changed: false };
    const changed = (RANK[ours] ?? 0) > (RANK[message.status] ?? 99);
    const error = params.ErrorCode ? `Twilio error ${params.ErrorCode}` : null;
    if (changed) await repo.updateMessage(trx, practiceId, message.id, { status: ours, status_at: at, ...(error ? { last_error: error } : {}) });
    await repo.insertEvents(trx, [{ practiceId, messageId: message.id, at, status: ours, detail: `twilio: ${params.MessageStatus ?? params.SmsStatus}${error ? `, ${error}` : ''}${changed ? '' : ' (no change)'}` }]);
    await appendAuditEvent(trx, {
      practiceId, actorUserId: null, actorRole: 'system', action: 'message.status', resourceType: 'message', resourceId: message.id,
      clientId: message.client_id, ip: null, outcome: 'success', detail: { provider: 'twilio', status: ours, was: message.status, changed },
    });
    return { message: changed ? { ...message, status: ours } : message, changed };
  });
}

// --- inbound texts: STOP and START ----------------------------------------------------------------

// The carriers' standard opt-out and opt-in keywords (CTIA Messaging Principles; Twilio's defaults).
// "YES" is left out: a client may well answer a check-in with it.
const OPT_OUT = new Set(['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'OPTOUT', 'REVOKE']);
const OPT_IN = new Set(['START', 'UNSTOP']);

export function inboundAction(body: string): 'opt_out' | 'opt_in' | 'none' {
  const word = body.trim().toUpperCase().replace(/[^A-Z]/g, '');
  return OPT_OUT.has(word) ? 'opt_out' : OPT_IN.has(word) ? 'opt_in' : 'none';
}

/**
 * An inbound text. STOP: every client of the practice with that number is opted out of
 * texts (consent refused), their queued texts are cancelled and their text caring-contact
 * series stopped. START: consent to texts is given again. Both are recorded and audited;
 * a redelivered webhook (same MessageSid) does nothing more.
 */
export async function receiveInboundText(db: Db, practiceId: string, params: TwilioParams, at: Date): Promise<{ action: 'opt_out' | 'opt_in' | 'none'; clientIds: string[]; duplicate: boolean }> {
  const from = params.From ?? '';
  const body = params.Body ?? '';
  const action = inboundAction(body);
  return db.transaction().execute(async (trx) => {
    const clients = from ? await repo.findClientsByPhone(trx, practiceId, from) : [];
    const inserted = await trx.insertInto('inbound_messages').values({
      practice_id: practiceId, id: randomUUID(), provider_message_id: params.MessageSid ?? params.SmsSid ?? null, from_address: from,
      to_address: params.To ?? '', body: body.slice(0, 2000), client_id: clients[0]?.id ?? null, action, received_at: at,
    }).onConflict((oc) => oc.doNothing()).returning('id').executeTakeFirst();
    if (!inserted) return { action, clientIds: [], duplicate: true };
    if (action === 'none') return { action, clientIds: clients.map((c) => c.id), duplicate: false };
    const practice = await repo.findPractice(trx, practiceId);
    const today = localDate(at, practice?.time_zone ?? 'UTC');
    for (const { id: clientId } of clients) {
      const detail = action === 'opt_out' ? await optOut(trx, practiceId, clientId, today, at) : await optIn(trx, practiceId, clientId, today);
      await appendAuditEvent(trx, {
        practiceId, actorUserId: null, actorRole: 'client', action: action === 'opt_out' ? 'client.channel.opt_out' : 'client.channel.opt_in',
        resourceType: 'channel_consent', resourceId: 'text', clientId, ip: null, outcome: 'success', detail: { keyword: body.trim().slice(0, 20), ...detail },
      });
    }
    return { action, clientIds: clients.map((c) => c.id), duplicate: false };
  });
}

async function currentTextConsent(trx: Transaction<Database>, practiceId: string, clientId: string) {
  return trx.selectFrom('channel_consents').select(['quiet_hours_start', 'quiet_hours_end']).where('practice_id', '=', practiceId)
    .where('client_id', '=', clientId).where('channel', '=', 'text').executeTakeFirst();
}

async function optOut(trx: Transaction<Database>, practiceId: string, clientId: string, today: string, at: Date) {
  const current = await currentTextConsent(trx, practiceId, clientId);
  await upsertChannelConsent(trx, {
    practiceId, clientId, channel: 'text', consent: 'refused', decidedOn: today,
    quietHoursStart: current?.quiet_hours_start ?? null, quietHoursEnd: current?.quiet_hours_end ?? null, mayLeaveMessage: false,
  });
  const queued = (await repo.lockQueuedMessages(trx, practiceId, clientId, 'text')).map((m) => m.id);
  await repo.setMessagesStatus(trx, practiceId, queued, 'cancelled', at);
  await repo.insertEvents(trx, queued.map((messageId) => ({ practiceId, messageId, at, status: 'cancelled', detail: 'the client replied STOP' })));
  const series = await trx.selectFrom('caring_contact_series').select('id').where('practice_id', '=', practiceId).where('client_id', '=', clientId)
    .where('channel', '=', 'text').where('status', '=', 'active').execute();
  for (const s of series) await stopSeries(trx, practiceId, s.id, 'client_opt_out', null, at);
  return { cancelledMessageIds: queued, stoppedSeriesIds: series.map((s) => s.id) };
}

async function optIn(trx: Transaction<Database>, practiceId: string, clientId: string, today: string) {
  const current = await currentTextConsent(trx, practiceId, clientId);
  await upsertChannelConsent(trx, {
    practiceId, clientId, channel: 'text', consent: 'given', decidedOn: today,
    quietHoursStart: current?.quiet_hours_start ?? null, quietHoursEnd: current?.quiet_hours_end ?? null, mayLeaveMessage: false,
  });
  return {};
}
