// Messages to clients as the API returns them, and their words on screen.

export type MessageChannel = 'text' | 'email';
export type TemplateKey = 'check_in' | 'appointment_reminder' | 'caring_contact';
export type MessageStatus = 'queued' | 'sending' | 'sent' | 'delivered' | 'failed' | 'undeliverable' | 'cancelled';

export interface MessageView {
  id: string;
  channel: MessageChannel;
  toAddress: string;
  purpose: string;
  template: string;
  subject: string | null;
  body: string;
  status: MessageStatus;
  sendAfter: string;
  sentAt: string | null;
  statusAt: string | null;
  attempts: number;
  lastError: string | null;
  transport: 'development' | 'smtp' | 'twilio';
  createdAt: string;
}

export interface OutboxEntry extends MessageView {
  clientId: string;
  clientName: string;
}

export interface MessagePreview {
  subject: string | null;
  body: string;
  toAddress: string | null;
  sendAfter: string | null;
  heldForQuietHours: boolean;
  blockedBy: { code: string; detail: string } | null;
}

export interface MessagingSettingsView {
  emailEnabled: boolean;
  smtpHost: string | null;
  smtpPort: number | null;
  smtpSecure: boolean;
  smtpUser: string | null;
  hasSmtpPassword: boolean;
  emailFrom: string | null;
  textProvider: 'none' | 'development' | 'twilio';
  twilioAccountSid: string | null;
  hasTwilioAuthToken: boolean;
  twilioFrom: string | null;
  twilioApiBaseUrl: string | null;
  quietHours: { start: string; end: string };
  updatedAt: string | null;
}

export const CHANNEL_NAMES: Record<MessageChannel, string> = { text: 'Text message', email: 'Email' };

export const TEMPLATE_NAMES: Record<string, string> = {
  check_in: 'Check-in',
  appointment_reminder: 'Appointment reminder',
  caring_contact: 'Caring contact',
  call_back: 'Text back to a caller',
  page: 'Page by text',
};

export const STATUS_WORDS: Record<MessageStatus, string> = {
  queued: 'Waiting to send',
  sending: 'Sending',
  sent: 'Sent',
  delivered: 'Delivered',
  failed: 'Could not be sent',
  undeliverable: 'Not delivered',
  cancelled: 'Cancelled',
};

/** "Waiting to send (held for quiet hours until …)", "Sent", "Waiting to send (tried 2 times)" */
export function statusText(m: MessageView, formatTime: (iso: string) => string, now = new Date()): string {
  const base = STATUS_WORDS[m.status];
  if (m.status !== 'queued') return base;
  if (new Date(m.sendAfter) > now) return `${base} (held for quiet hours until ${formatTime(m.sendAfter)})`;
  if (m.attempts > 0) return `${base} (tried ${m.attempts} time${m.attempts === 1 ? '' : 's'})`;
  return base;
}
