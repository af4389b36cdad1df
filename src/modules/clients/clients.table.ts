import type { ColumnType, Selectable } from 'kysely';

export type RiskLevel = 'none' | 'low' | 'moderate' | 'high';
export type ConsentScope = 'emergency' | 'ask_at_time' | 'none';
export type Channel = 'voice' | 'text' | 'email';

type Created = ColumnType<Date, Date | undefined, never>;
type Updated = ColumnType<Date, Date | undefined, Date>;

export interface ClientTable {
  practice_id: string;
  id: string;
  legal_name: string;
  preferred_name: string | null;
  pronouns: string | null;
  /** A calendar date, kept as 'YYYY-MM-DD' text (see the date parser in database.ts). */
  date_of_birth: string | null;
  phone: string | null;
  email: string | null;
  address: string | null;
  risk_level: ColumnType<RiskLevel | 'unknown', RiskLevel | 'unknown' | undefined, RiskLevel | 'unknown'>;
  risk_assessed_at: Date | null;
  archived_at: Date | null;
  created_at: Created;
  updated_at: Updated;
}
export type Client = Selectable<ClientTable>;

export interface ClientClinicianTable {
  practice_id: string;
  client_id: string;
  clinician_id: string;
  assigned_at: Created;
}

export interface EmergencyContactTable {
  practice_id: string;
  id: string;
  client_id: string;
  name: string;
  relationship: string;
  phones: string[];
  priority: number;
  may_be_told: string;
  consent_scope: ConsentScope;
  consent_given_on: string | null;
  consent_expires_on: string | null;
  created_at: Created;
  updated_at: Updated;
}
export type EmergencyContact = Selectable<EmergencyContactTable>;

export interface ChannelConsentTable {
  practice_id: string;
  client_id: string;
  channel: Channel;
  consent: 'given' | 'refused';
  decided_on: string;
  /** 'HH:MM:SS' in the practice's time zone. */
  quiet_hours_start: string | null;
  quiet_hours_end: string | null;
  may_leave_message: boolean;
  updated_at: Updated;
}
export type ChannelConsent = Selectable<ChannelConsentTable>;

export interface RiskAssessmentTable {
  practice_id: string;
  id: string;
  client_id: string;
  level: RiskLevel;
  source: 'cssrs' | 'clinical_judgement';
  justification: string;
  assessed_by: string;
  assessed_at: Created;
}
