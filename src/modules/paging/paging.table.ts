import type { ColumnType, JSONColumnType, Selectable } from 'kysely';

/** Who a level pages: the requesting clinician's supervisors, the on-call clinicians, the owners. */
export type EscalationTarget = 'supervisor' | 'on_call' | 'owner';
export interface EscalationLevel { target: EscalationTarget; waitMinutes: number }

export interface EscalationPolicyTable {
  practice_id: string;
  levels: JSONColumnType<EscalationLevel[]>;
  rounds: number;
  on_call_user_ids: ColumnType<string[], string[] | undefined, string[]>;
  updated_by: string | null;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

export type PageStatus = 'open' | 'acknowledged' | 'exhausted' | 'cancelled';
export interface PageTable {
  practice_id: string;
  id: string;
  incident_id: string;
  requested_by: string;
  reason: string;
  status: ColumnType<PageStatus, PageStatus | undefined, PageStatus>;
  level: ColumnType<number, number | undefined, number>;
  round: ColumnType<number, number | undefined, number>;
  created_at: Date;
  next_escalation_at: Date | null;
  acknowledged_by: string | null;
  acknowledged_at: Date | null;
}
export type Page = Selectable<PageTable>;

export interface PageRecipientTable {
  practice_id: string;
  page_id: string;
  user_id: string;
  level: number;
  round: number;
  notified_at: Date;
}

/** A browser standing by for pages after its session ended (migration 0011). */
export interface PagerStandbyTable {
  token_hash: string;
  practice_id: string;
  user_id: string;
  created_at: ColumnType<Date, Date | undefined, never>;
  expires_at: Date;
}
