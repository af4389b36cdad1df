import type { ColumnType, JSONColumnType, Selectable } from 'kysely';
import type { BreakthroughReason, LabelledNumber, OtherwiseRoute } from '../../domain/call-gate.ts';

export type EmergencyNumberKind = 'hospital' | 'police' | 'school' | 'other';
export interface EmergencyNumber extends LabelledNumber { kind: EmergencyNumberKind }

/** A clinician's line and gate (issue 7). */
export interface CallGateSettingsTable {
  practice_id: string;
  user_id: string;
  enabled: ColumnType<boolean, boolean | undefined, boolean>;
  direct_number: string | null;
  forward_to: string | null;
  otherwise: ColumnType<OtherwiseRoute, OtherwiseRoute | undefined, OtherwiseRoute>;
  breakthrough_numbers: JSONColumnType<LabelledNumber[]>;
  updated_by: string | null;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}
export type CallGateSettings = Selectable<CallGateSettingsTable>;

export interface PracticeCallGateSettingsTable {
  practice_id: string;
  repeat_call_minutes: ColumnType<number, number | undefined, number>;
  press_one_enabled: ColumnType<boolean, boolean | undefined, boolean>;
  front_desk_number: string | null;
  emergency_numbers: JSONColumnType<EmergencyNumber[]>;
  updated_by: string | null;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}
export type PracticeCallGateSettings = Selectable<PracticeCallGateSettingsTable>;

export type AlertSource = 'call' | 'text' | 'front_desk';
export type AlertWhy = BreakthroughReason | 'front_desk';
export type AlertKind = 'personal' | 'facility';
export type AlertStatus = 'open' | 'stepped_out' | 'texted_back' | 'declined';

export interface SessionAlertTable {
  practice_id: string;
  id: string;
  session_id: string;
  clinician_id: string;
  source: AlertSource;
  from_number: string | null;
  who: string;
  why: AlertWhy;
  message: string | null;
  kind: AlertKind;
  status: ColumnType<AlertStatus, AlertStatus | undefined, AlertStatus>;
  created_by: string | null;
  created_at: Date;
  decided_by: string | null;
  decided_at: Date | null;
  minutes: number | null;
  incident_id: string | null;
  message_id: string | null;
}
export type SessionAlert = Selectable<SessionAlertTable>;

export type CallOutcome = 'breakthrough' | 'voicemail' | 'front_desk' | 'on_call' | 'normal' | 'asked_press_1';
export type CallStep = 'voice' | 'gather' | 'text';

export interface CallEventTable {
  practice_id: string;
  id: string;
  clinician_id: string;
  session_id: string | null;
  channel: 'call' | 'text';
  provider_sid: string;
  step: CallStep;
  from_number: string;
  to_number: string;
  at: Date;
  outcome: CallOutcome;
  why: BreakthroughReason | null;
  who: string;
  alert_id: string | null;
  response: string;
}
export type CallEvent = Selectable<CallEventTable>;
