import type { ColumnType, Selectable } from 'kysely';
import type { FollowUpChannel } from '../incidents/incidents.table.ts';

type Created = ColumnType<Date, Date | undefined, never>;

export type AttemptOutcome = 'reached' | 'no_answer' | 'left_message' | 'wrong_number';

export interface FollowUpAttemptTable {
  practice_id: string;
  id: string;
  task_id: string;
  client_id: string;
  channel: FollowUpChannel;
  outcome: AttemptOutcome;
  note: ColumnType<string, string | undefined, string>;
  message_id: string | null;
  attempted_at: Date;
  recorded_by: string;
}
export type FollowUpAttempt = Selectable<FollowUpAttemptTable>;

export interface FollowUpSettingsTable {
  practice_id: string;
  reminder_lead_minutes: ColumnType<number, number | undefined, number>;
  default_max_attempts: ColumnType<number, number | undefined, number>;
  updated_by: string | null;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

export interface NotificationTable {
  practice_id: string;
  id: string;
  user_id: string;
  kind: string;
  /** No clinical detail: it may show on a locked screen or in a tab title. */
  title: string;
  client_id: string | null;
  follow_up_task_id: string | null;
  dedupe_key: string;
  created_at: Created;
  read_at: Date | null;
}
export type Notification = Selectable<NotificationTable>;

