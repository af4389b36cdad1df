import type { ColumnType, JSONColumnType, Selectable } from 'kysely';

type Created = ColumnType<Date, Date | undefined, never>;

export interface CaringContactSeriesTable {
  practice_id: string;
  id: string;
  client_id: string;
  clinician_id: string;
  channel: 'text' | 'email';
  status: ColumnType<'active' | 'stopped' | 'completed', 'active' | 'stopped' | 'completed' | undefined, 'active' | 'stopped' | 'completed'>;
  /** 'YYYY-MM-DD' */
  starts_on: string;
  contact_count: number;
  stopped_at: Date | null;
  stopped_by: string | null;
  stop_reason: 'client_opt_out' | 'clinician' | null;
  created_by: string;
  created_at: Created;
}
export type CaringContactSeries = Selectable<CaringContactSeriesTable>;

export type CaringContactStatus = 'scheduled' | 'sent' | 'cancelled' | 'not_sent';
export interface CaringContactTable {
  practice_id: string;
  id: string;
  series_id: string;
  client_id: string;
  seq: number;
  /** 'YYYY-MM-DD' */
  due_on: string;
  body: string;
  edited_by: string | null;
  edited_at: Date | null;
  status: ColumnType<CaringContactStatus, CaringContactStatus | undefined, CaringContactStatus>;
  /** Why the outbox could not take it (status 'not_sent'): a Problem code such as NO_ADDRESS_FOR_CHANNEL. */
  not_sent_reason: ColumnType<string | null, string | null | undefined, string | null>;
  message_id: string | null;
}
export type CaringContact = Selectable<CaringContactTable>;

export interface AgendaItemTable {
  practice_id: string;
  id: string;
  client_id: string;
  appointment_id: string | null;
  incident_id: string | null;
  text: string;
  created_by: string;
  created_at: Created;
  discussed_at: Date | null;
  discussed_by: string | null;
}
export type AgendaItem = Selectable<AgendaItemTable>;

/** A psychotherapy note (HIPAA 45 CFR 164.501): its author alone reads it; never in ordinary exports. */
export interface ReflectionNoteTable {
  practice_id: string;
  id: string;
  client_id: string;
  incident_id: string | null;
  author_id: string;
  body: string;
  created_at: Created;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}
export type ReflectionNote = Selectable<ReflectionNoteTable>;

export interface ApproachNoteTable {
  practice_id: string;
  id: string;
  client_id: string;
  incident_id: string | null;
  kind: 'adjustment' | 'fit';
  body: string;
  fit: 'good' | 'uncertain' | 'poor' | null;
  decision: 'continue' | 'adjust' | 'refer' | null;
  author_id: string;
  created_at: Created;
}
export type ApproachNote = Selectable<ApproachNoteTable>;

export type ReferralStatus = 'proposed' | 'contacted' | 'accepted' | 'completed' | 'declined' | 'cancelled';
export interface HandoffItem { key: string; label: string; doneAt: string | null; doneBy: string | null }

export interface ReferralTable {
  practice_id: string;
  id: string;
  client_id: string;
  incident_id: string | null;
  to_kind: 'internal' | 'external';
  to_user_id: string | null;
  to_name: string;
  to_contact: ColumnType<string, string | undefined, string>;
  reason: string;
  status: ColumnType<ReferralStatus, ReferralStatus | undefined, ReferralStatus>;
  handoff: JSONColumnType<HandoffItem[]>;
  created_by: string;
  created_at: Created;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}
export type Referral = Selectable<ReferralTable>;
