import type { ColumnType, Selectable } from 'kysely';

export interface LocationTable {
  practice_id: string;
  id: string;
  name: string;
  address: string;
  time_zone: string | null;
  emergency_number: ColumnType<string, string | undefined, string>;
  crisis_line: ColumnType<string, string | undefined, string>;
  mobile_crisis_name: string | null;
  mobile_crisis_phone: string | null;
  emergency_department_name: string | null;
  emergency_department_address: string | null;
  emergency_department_phone: string | null;
  poison_control_phone: ColumnType<string, string | undefined, string>;
  created_at: ColumnType<Date, Date | undefined, never>;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}
export type Location = Selectable<LocationTable>;
