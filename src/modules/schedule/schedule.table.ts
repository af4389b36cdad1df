import type { ColumnType, Selectable } from 'kysely';

export type Modality = 'in_person' | 'telehealth';

export interface AppointmentTable {
  practice_id: string;
  id: string;
  client_id: string;
  clinician_id: string;
  starts_at: Date;
  minutes: number;
  modality: Modality;
  location_id: string | null;
  status: ColumnType<'scheduled' | 'cancelled', 'scheduled' | 'cancelled' | undefined, 'scheduled' | 'cancelled'>;
  created_by: string;
  created_at: ColumnType<Date, Date | undefined, never>;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}
export type Appointment = Selectable<AppointmentTable>;
