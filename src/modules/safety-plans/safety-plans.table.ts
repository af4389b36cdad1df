import type { ColumnType, Selectable } from 'kysely';

export interface SafetyPlanTable {
  practice_id: string;
  client_id: string;
  version: number;
  /** The plan as JSON text (SafetyPlanContent); encrypted at rest in a later step. */
  content: string;
  saved_by: string;
  saved_at: ColumnType<Date, Date | undefined, never>;
}
export type SafetyPlanRow = Selectable<SafetyPlanTable>;
