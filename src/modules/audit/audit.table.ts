import type { Selectable } from 'kysely';

export type AuditOutcome = 'success' | 'denied' | 'failure';

export interface AuditEventTable {
  practice_id: string;
  seq: number;
  at: Date;
  actor_user_id: string | null;
  actor_role: string | null;
  action: string;
  resource_type: string | null;
  resource_id: string | null;
  client_id: string | null;
  ip: string | null;
  outcome: AuditOutcome;
  /** JSON text, hashed exactly as stored. */
  detail: string;
  prev_hash: string;
  hash: string;
}
export type AuditEvent = Selectable<AuditEventTable>;

export interface AuditHeadTable {
  practice_id: string;
  seq: number;
  hash: string;
}
