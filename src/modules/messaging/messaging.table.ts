import type { ColumnType, Generated, Selectable } from 'kysely';

type Created = ColumnType<Date, Date | undefined, never>;

export type TextProvider = 'none' | 'development' | 'twilio';
export type MessageChannel = 'text' | 'email';
// 'call_back': a text back to someone who called a clinician's line in session (src/modules/call-gate); no client.
export type MessagePurpose = 'check_in' | 'appointment' | 'caring_contact' | 'call_back' | 'page';
export type MessageTransport = 'development' | 'smtp' | 'twilio';
export type MessageStatus = 'queued' | 'sending' | 'sent' | 'delivered' | 'failed' | 'undeliverable' | 'cancelled';

export interface MessagingSettingsTable {
  practice_id: string;
  email_enabled: ColumnType<boolean, boolean | undefined, boolean>;
  smtp_host: string | null;
  smtp_port: number | null;
  smtp_secure: ColumnType<boolean, boolean | undefined, boolean>;
  smtp_user: string | null;
  smtp_password: string | null;
  email_from: string | null;
  text_provider: ColumnType<TextProvider, TextProvider | undefined, TextProvider>;
  twilio_account_sid: string | null;
  twilio_auth_token: string | null;
  twilio_from: string | null;
  twilio_api_base_url: string | null;
  /** 'HH:MM:SS' in the practice's time zone. */
  quiet_hours_start: ColumnType<string, string | undefined, string>;
  quiet_hours_end: ColumnType<string, string | undefined, string>;
  updated_by: string | null;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}
export type MessagingSettings = Selectable<MessagingSettingsTable>;

export interface MessageTable {
  practice_id: string;
  id: string;
  /** Null only for a text back to a caller (purpose 'call_back'): they need not be a client. */
  client_id: string | null;
  channel: MessageChannel;
  to_address: string;
  purpose: MessagePurpose;
  template: string;
  subject: string | null;
  body: string;
  transport: MessageTransport;
  status: ColumnType<MessageStatus, MessageStatus | undefined, MessageStatus>;
  send_after: Date;
  idempotency_key: string;
  attempts: ColumnType<number, number | undefined, number>;
  last_error: string | null;
  provider_message_id: string | null;
  follow_up_task_id: string | null;
  caring_contact_id: string | null;
  created_by: string | null;
  created_at: Created;
  sent_at: Date | null;
  status_at: Date | null;
}
export type Message = Selectable<MessageTable>;

export interface MessageEventTable {
  practice_id: string;
  seq: Generated<string>;
  message_id: string;
  at: Created;
  status: string;
  detail: ColumnType<string, string | undefined, never>;
}

export interface InboundMessageTable {
  practice_id: string;
  id: string;
  provider_message_id: string | null;
  from_address: string;
  to_address: string;
  body: string;
  client_id: string | null;
  action: ColumnType<'none' | 'opt_out' | 'opt_in', 'none' | 'opt_out' | 'opt_in' | undefined, never>;
  received_at: Created;
}
