import type { Generated, Selectable } from 'kysely';

export type AuditOutcome = 'success' | 'denied' | 'failure';

export interface AuditEventTable {
  practice_id: string;
  /** Insertion number, unique across practices; the chain orders events by position. */
  seq: Generated<number>;
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
}
export type AuditEvent = Selectable<AuditEventTable>;

export interface AuditPendingTable {
  practice_id: string;
  seq: number;
}

export interface AuditChainTable {
  practice_id: string;
  position: number;
  seq: number;
  prev_hash: string;
  hash: string;
  sealed_at: Generated<Date>;
}

export interface AuditHeadTable {
  practice_id: string;
  position: number;
  hash: string;
}
