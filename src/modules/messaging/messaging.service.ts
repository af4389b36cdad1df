import type { Kysely } from 'kysely';
import type { Database } from '../../server/database.ts';
import type { JobQueue } from '../../server/jobs.ts';
import { Problem, type FieldError } from '../../server/problems.ts';
import { appendAuditEvent } from '../audit/audit.repository.ts';
import type { AuthContext } from '../auth/auth.service.ts';
import { authorizeClient } from '../clients/client-access.ts';
import { systemClock, type Clock } from '../paging/paging.service.ts';
import type { MessageChannel, MessagingSettings, TextProvider } from './messaging.table.ts';
import * as repo from './messaging.repository.ts';
import { messageView, prepareMessage, queueMessage, renderMessage, type MessageView } from './outbox.ts';
import { TEMPLATE_PURPOSE, type TemplateKey } from './templates.ts';

type Db = Kysely<Database>;

// --- the practice's settings --------------------------------------------------------------------

/** The settings as the admin page sees them: secrets never leave the server, only whether one is set. */
export interface MessagingSettingsView {
  emailEnabled: boolean; smtpHost: string | null; smtpPort: number | null; smtpSecure: boolean; smtpUser: string | null;
  hasSmtpPassword: boolean; emailFrom: string | null;
  textProvider: TextProvider; twilioAccountSid: string | null; hasTwilioAuthToken: boolean; twilioFrom: string | null; twilioApiBaseUrl: string | null;
  quietHours: { start: string; end: string };
  updatedAt: string | null;
}

export interface MessagingSettingsInput {
  emailEnabled: boolean; smtpHost: string | null; smtpPort: number | null; smtpSecure: boolean; smtpUser: string | null;
  /** Absent: keep the stored one; null: remove it. */
  smtpPassword?: string | null;
  emailFrom: string | null;
  textProvider: TextProvider; twilioAccountSid: string | null;
  /** Absent: keep the stored one; null: remove it. */
  twilioAuthToken?: string | null;
  twilioFrom: string | null; twilioApiBaseUrl: string | null;
  quietHours: { start: string; end: string };
}

const hhmm = (t: string) => t.slice(0, 5);

export function settingsView(s: MessagingSettings | undefined): MessagingSettingsView {
  return {
    emailEnabled: s?.email_enabled ?? false, smtpHost: s?.smtp_host ?? null, smtpPort: s?.smtp_port ?? null, smtpSecure: s?.smtp_secure ?? false,
    smtpUser: s?.smtp_user ?? null, hasSmtpPassword: !!s?.smtp_password, emailFrom: s?.email_from ?? null,
    textProvider: s?.text_provider ?? 'development', twilioAccountSid: s?.twilio_account_sid ?? null, hasTwilioAuthToken: !!s?.twilio_auth_token,
    twilioFrom: s?.twilio_from ?? null, twilioApiBaseUrl: s?.twilio_api_base_url ?? null,
    quietHours: { start: hhmm(s?.quiet_hours_start ?? '21:00'), end: hhmm(s?.quiet_hours_end ?? '08:00') },
    updatedAt: s?.updated_at.toISOString() ?? null,
  };
}

export async function readSettings(db: Db, auth: AuthContext): Promise<MessagingSettingsView> {
  return settingsView(await repo.findSettings(db, auth.practice.id));
}

export async function saveSettings(db: Db, auth: AuthContext, input: MessagingSettingsInput, ip: string | null, clock: Clock = systemClock): Promise<MessagingSettingsView> {
  const practiceId = auth.practice.id;
  return db.transaction().execute(async (trx) => {
    const before = await repo.findSettings(trx, practiceId);
    const smtpPassword = input.smtpPassword === undefined ? (before?.smtp_password ?? null) : input.smtpPassword;
    const twilioAuthToken = input.twilioAuthToken === undefined ? (before?.twilio_auth_token ?? null) : input.twilioAuthToken;
    const missing: FieldError[] = [];
    const need = (ok: unknown, path: string, message: string) => { if (!ok) missing.push({ path: `body.${path}`, message }); };
    if (input.emailEnabled) {
      need(input.smtpHost, 'smtpHost', 'Enter the SMTP server to send email');
      need(input.emailFrom, 'emailFrom', 'Enter the address email comes from');
    }
    if (input.textProvider === 'twilio') {
      need(input.twilioAccountSid, 'twilioAccountSid', 'Enter the Twilio account SID');
      need(twilioAuthToken, 'twilioAuthToken', 'Enter the Twilio auth token');
      need(input.twilioFrom, 'twilioFrom', 'Enter the number texts come from');
    }
    if (missing.length) throw new Problem('MESSAGING_SETTINGS_INCOMPLETE', missing.map((m) => m.message).join('; '), { errors: missing });
    const saved = await repo.saveSettings(trx, {
      practice_id: practiceId, email_enabled: input.emailEnabled, smtp_host: input.smtpHost, smtp_port: input.smtpPort, smtp_secure: input.smtpSecure,
      smtp_user: input.smtpUser, smtp_password: smtpPassword, email_from: input.emailFrom, text_provider: input.textProvider,
      twilio_account_sid: input.twilioAccountSid, twilio_auth_token: twilioAuthToken, twilio_from: input.twilioFrom,
      twilio_api_base_url: input.twilioApiBaseUrl, quiet_hours_start: input.quietHours.start, quiet_hours_end: input.quietHours.end,
      updated_by: auth.user.id, updated_at: clock.now(),
    });
    const { hasSmtpPassword: _a, hasTwilioAuthToken: _b, updatedAt: _c, ...after } = settingsView(saved);
    await appendAuditEvent(trx, {
      practiceId, actorUserId: auth.user.id, actorRole: auth.user.role, action: 'messaging.settings.manage', resourceType: 'messaging_settings',
      resourceId: practiceId, ip, outcome: 'success',
      // Secrets are not written into the audit trail; only whether they changed.
      detail: { after, smtpPasswordChanged: input.smtpPassword !== undefined, twilioAuthTokenChanged: input.twilioAuthToken !== undefined },
    });
    return settingsView(saved);
  });
}

// --- the outbox page ----------------------------------------------------------------------------

/** clientId and clientName are null for a text back to a caller (purpose 'call_back'). */
export type OutboxEntry = MessageView & { clientId: string | null; clientName: string | null };

/** The practice's messages, newest first, with the development transport's among them. */
export async function listOutbox(db: Db, auth: AuthContext, limit: number, ip: string | null): Promise<OutboxEntry[]> {
  const rows = await repo.listOutbox(db, auth.practice.id, limit);
  await appendAuditEvent(db, {
    practiceId: auth.practice.id, actorUserId: auth.user.id, actorRole: auth.user.role, action: 'outbox.read', resourceType: 'outbox',
    resourceId: auth.practice.id, ip, outcome: 'success', detail: { messageIds: rows.map((r) => r.id), clientIds: [...new Set(rows.flatMap((r) => (r.client_id ? [r.client_id] : [])))] },
  });
  return rows.map((r) => ({ ...messageView(r), clientId: r.client_id, clientName: r.client_name }));
}

// --- a client's messages --------------------------------------------------------------------------

export async function listClientMessages(db: Db, auth: AuthContext, clientId: string, ip: string | null): Promise<MessageView[]> {
  await authorizeClient(db, auth, clientId, 'client.messages.read', ip);
  const rows = await repo.listClientMessages(db, auth.practice.id, clientId);
  await appendAuditEvent(db, {
    practiceId: auth.practice.id, actorUserId: auth.user.id, actorRole: auth.user.role, action: 'client.messages.read', resourceType: 'client',
    resourceId: clientId, clientId, ip, outcome: 'success', detail: { messageIds: rows.map((r) => r.id) },
  });
  return rows.map(messageView);
}

export interface MessagePreview {
  subject: string | null; body: string; toAddress: string | null; sendAfter: string | null; heldForQuietHours: boolean;
  /** Why it could not be sent now (NO_CONSENT_FOR_CHANNEL, NO_ADDRESS_FOR_CHANNEL, CHANNEL_NOT_CONFIGURED), or null. */
  blockedBy: { code: string; detail: string } | null;
}

const BLOCKING = new Set(['NO_CONSENT_FOR_CHANNEL', 'NO_ADDRESS_FOR_CHANNEL', 'CHANNEL_NOT_CONFIGURED']);

/** What a message would say and when it would go, before it is sent; writes nothing but the audit event. */
export async function previewMessage(db: Db, auth: AuthContext, clientId: string, input: { channel: MessageChannel; template: TemplateKey }, ip: string | null, clock: Clock = systemClock): Promise<MessagePreview> {
  await authorizeClient(db, auth, clientId, 'client.message.send', ip);
  const base = { practiceId: auth.practice.id, clientId, channel: input.channel, template: input.template, createdBy: auth.user.id, now: clock.now() };
  let preview: MessagePreview;
  try {
    const p = await prepareMessage(db, base);
    preview = { ...p.rendered, toAddress: p.toAddress, sendAfter: p.sendAfter.toISOString(), heldForQuietHours: p.held, blockedBy: null };
  } catch (err) {
    if (!(err instanceof Problem) || !BLOCKING.has(err.code)) throw err;
    const rendered = await renderMessage(db, base);
    preview = { ...rendered, toAddress: null, sendAfter: null, heldForQuietHours: false, blockedBy: { code: err.code, detail: err.message } };
  }
  await appendAuditEvent(db, {
    practiceId: auth.practice.id, actorUserId: auth.user.id, actorRole: auth.user.role, action: 'client.message.preview', resourceType: 'client',
    resourceId: clientId, clientId, ip, outcome: 'success', detail: { channel: input.channel, template: input.template, blockedBy: preview.blockedBy?.code ?? null },
  });
  return preview;
}

/**
 * A message the clinician sends by hand. The browser makes the id, so a retried request
 * answers the message already queued (`created: false`) instead of sending a second.
 */
export async function sendClientMessage(
  db: Db, jobs: JobQueue, auth: AuthContext, clientId: string, input: { id: string; channel: MessageChannel; template: TemplateKey }, ip: string | null, clock: Clock = systemClock,
): Promise<{ message: MessageView; created: boolean; heldForQuietHours: boolean }> {
  await authorizeClient(db, auth, clientId, 'client.message.send', ip);
  const practiceId = auth.practice.id;
  const idempotencyKey = `manual:${input.id}`;
  return db.transaction().execute(async (trx) => {
    const before = await repo.findMessageByKey(trx, practiceId, idempotencyKey);
    if (before && before.client_id !== clientId) throw new Problem('MESSAGE_ID_REUSED', 'That message id belongs to another message.');
    const { message, heldForQuietHours } = await queueMessage(trx, jobs, {
      practiceId, clientId, channel: input.channel, purpose: TEMPLATE_PURPOSE[input.template], template: input.template,
      idempotencyKey, messageId: input.id, createdBy: auth.user.id, now: clock.now(),
    });
    if (!before) {
      await appendAuditEvent(trx, {
        practiceId, actorUserId: auth.user.id, actorRole: auth.user.role, action: 'client.message.send', resourceType: 'message',
        resourceId: message.id, clientId, ip, outcome: 'success',
        detail: { channel: message.channel, template: message.template, transport: message.transport, sendAfter: message.send_after.toISOString() },
      });
    }
    return { message: messageView(message), created: !before, heldForQuietHours };
  });
}
