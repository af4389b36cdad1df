import type { ColumnType, Selectable } from 'kysely';

export interface PracticeTable {
  id: string;
  name: string;
  time_zone: string;
  require_totp: ColumnType<boolean, boolean | undefined, boolean>;
  created_at: ColumnType<Date, Date | undefined, never>;
}
export type Practice = Selectable<PracticeTable>;
