import nodemailer, { type Transporter } from 'nodemailer';
import type { Message, MessageStatus, MessagingSettings } from './messaging.table.ts';

/** What a transport reports after handing a message over. */
export interface Handed {
  providerMessageId: string;
  /** 'delivered' when the transport itself is the destination (development); otherwise 'sent'. */
  status: Extract<MessageStatus, 'sent' | 'delivered'>;
}

/** A refusal that will not change by trying again (a bad address, a refused sender): no retries. */
export class PermanentSendError extends Error {}

export interface SendContext {
  /** Where Twilio posts delivery status; absent → no status callbacks. */
  statusCallbackUrl: string | null;
}

// --- email over SMTP -------------------------------------------------------------------------

const transporters = new Map<string, { version: number; transporter: Transporter }>();

/** One SMTP transport per practice, rebuilt when its settings change (their updated_at). */
function smtpTransport(settings: MessagingSettings): Transporter {
  const version = settings.updated_at.getTime();
  const cached = transporters.get(settings.practice_id);
  if (cached && cached.version === version) return cached.transporter;
  cached?.transporter.close();
  const transporter = nodemailer.createTransport({
    host: settings.smtp_host ?? undefined,
    port: settings.smtp_port ?? (settings.smtp_secure ? 465 : 587),
    secure: settings.smtp_secure,
    ...(settings.smtp_user ? { auth: { user: settings.smtp_user, pass: settings.smtp_password ?? '' } } : {}),
    // A server that is down should fail the attempt quickly; the outbox tries again later.
    connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000,
  });
  transporters.set(settings.practice_id, { version, transporter });
  return transporter;
}

/** The Message-ID of an email: derived from the message id, so a resend is recognisably the same email. */
export function emailMessageId(message: Pick<Message, 'id'>, from: string): string {
  const domain = /@([^>\s]+)>?$/.exec(from)?.[1] ?? 'holdspace.invalid';
  return `<${message.id}@${domain}>`;
}

export async function sendEmail(message: Message, settings: MessagingSettings): Promise<Handed> {
  const from = settings.email_from ?? '';
  const messageId = emailMessageId(message, from);
  try {
    await smtpTransport(settings).sendMail({ from, to: message.to_address, subject: message.subject ?? '', text: message.body, messageId });
  } catch (err) {
    const code = (err as { responseCode?: number }).responseCode;
    // SMTP 5xx: the server refuses this message for good (RFC 5321 4.2.1).
    if (typeof code === 'number' && code >= 500) throw new PermanentSendError(`SMTP ${code}: ${(err as Error).message}`);
    throw err;
  }
  return { providerMessageId: messageId, status: 'sent' };
}

// --- texts through Twilio's REST API ---------------------------------------------------------------

export async function sendTwilioText(message: Message, settings: MessagingSettings, ctx: SendContext): Promise<Handed> {
  const sid = settings.twilio_account_sid ?? '';
  const base = (settings.twilio_api_base_url ?? 'https://api.twilio.com').replace(/\/$/, '');
  const form = new URLSearchParams({ To: message.to_address, From: settings.twilio_from ?? '', Body: message.body });
  if (ctx.statusCallbackUrl) form.set('StatusCallback', ctx.statusCallbackUrl);
  const res = await fetch(`${base}/2010-04-01/Accounts/${encodeURIComponent(sid)}/Messages.json`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${sid}:${settings.twilio_auth_token ?? ''}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'application/json',
      // Twilio sends a retried request only once (its idempotency token).
      'i-twilio-idempotency-token': message.id,
    },
    body: form.toString(),
    signal: AbortSignal.timeout(15_000),
  });
  const data = (await res.json().catch(() => ({}))) as { sid?: string; code?: number; message?: string };
  if (!res.ok) {
    const why = `Twilio ${res.status}${data.code ? ` (${data.code})` : ''}: ${data.message ?? res.statusText}`;
    // 4xx other than throttling: the request itself is refused (a bad number, an unverified sender).
    if (res.status >= 400 && res.status < 500 && res.status !== 429) throw new PermanentSendError(why);
    throw new Error(why);
  }
  if (!data.sid) throw new Error('Twilio answered without a message sid');
  return { providerMessageId: data.sid, status: 'sent' };
}

// --- development ---------------------------------------------------------------------------

/** Nothing leaves the building: the message is "delivered" to the outbox page at once. */
export function sendDevelopment(message: Message): Handed {
  return { providerMessageId: `development-${message.id}`, status: 'delivered' };
}
