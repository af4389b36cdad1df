import type { ColumnType, Selectable } from 'kysely';
import type { Modality } from '../schedule/schedule.table.ts';

export interface TherapySessionTable {
  practice_id: string;
  id: string;
  appointment_id: string;
  client_id: string;
  clinician_id: string;
  modality: Modality;
  location_id: string | null;
  started_at: Date;
  client_location: string | null;
  callback_phone: string | null;
  location_confirmed_at: Date | null;
  availability_notice: ColumnType<boolean, boolean | undefined, boolean>;
  availability_notice_told_client: ColumnType<boolean, boolean | undefined, boolean>;
  ended_at: Date | null;
  ended_early: boolean | null;
  end_reason: string | null;
  reschedule_appointment_id: string | null;
  created_at: ColumnType<Date, Date | undefined, never>;
}
export type TherapySession = Selectable<TherapySessionTable>;

export interface SessionStepOutTable {
  practice_id: string;
  id: string;
  session_id: string;
  reason: string;
  told_client: string;
  left_at: Date;
  returned_at: Date | null;
}
export type SessionStepOut = Selectable<SessionStepOutTable>;
