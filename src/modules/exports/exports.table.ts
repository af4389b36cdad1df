import type { ColumnType } from 'kysely';

export interface RetentionSettingsTable {
  practice_id: string;
  years_after_last_contact: ColumnType<number, number | undefined, number>;
  updated_by: string | null;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}
