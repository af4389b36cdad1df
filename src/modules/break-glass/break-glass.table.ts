import type { ColumnType, Selectable } from 'kysely';

/** A clinician's emergency access to a client outside their care team: time-limited, with the reason given. */
export interface BreakGlassGrantTable {
  practice_id: string;
  id: string;
  client_id: string;
  user_id: string;
  reason: string;
  granted_at: ColumnType<Date, Date | undefined, never>;
  expires_at: Date;
}
export type BreakGlassGrant = Selectable<BreakGlassGrantTable>;
