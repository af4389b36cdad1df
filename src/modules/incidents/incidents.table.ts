import type { ColumnType, Generated, JSONColumnType, Selectable } from 'kysely';
import type { RunAction, RunState } from '../../domain/protocols/run.ts';

export interface ProtocolParametersTable {
  practice_id: string;
  protocol_key: string;
  values: JSONColumnType<Record<string, number>>;
  updated_by: string;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

export interface IncidentTable {
  practice_id: string;
  id: string;
  client_id: string;
  session_id: string | null;
  protocol_key: string;
  discreet: ColumnType<boolean, boolean | undefined, boolean>;
  status: ColumnType<'open' | 'closed', 'open' | 'closed' | undefined, 'open' | 'closed'>;
  opened_by: string;
  opened_at: Date;
  closed_by: string | null;
  closed_at: Date | null;
}
export type Incident = Selectable<IncidentTable>;

export interface ProtocolRunTable {
  practice_id: string;
  id: string;
  incident_id: string;
  protocol_key: string;
  protocol_version: number;
  state: JSONColumnType<RunState>;
  status: 'open' | 'completed';
  started_at: Date;
  started_by: string;
  opened_by_step: string | null;
}
export type ProtocolRun = Selectable<ProtocolRunTable>;

export interface RunEventTable {
  practice_id: string;
  id: string;
  run_id: string;
  incident_id: string;
  actor_user_id: string;
  occurred_at: Date;
  received_at: ColumnType<Date, Date | undefined, never>;
  action: JSONColumnType<RunAction & { disclosure?: unknown }>;
}

export type TimelineKind = 'protocol' | 'page' | 'note' | 'session' | 'disclosure' | 'follow_up' | 'incident';
export interface IncidentTimelineTable {
  seq: Generated<number>;
  practice_id: string;
  incident_id: string;
  at: Date;
  actor_user_id: string | null;
  run_id: string | null;
  step_id: string | null;
  kind: TimelineKind;
  what: string;
  client_ref: ColumnType<string | null, string | null | undefined, never>;
}

export type DisclosureRecipientKind = 'victim' | 'law_enforcement' | 'emergency_contact' | 'emergency_services' | 'other';
export interface DisclosureTable {
  practice_id: string;
  id: string;
  client_id: string;
  incident_id: string | null;
  run_id: string | null;
  step_id: string | null;
  recipient_kind: DisclosureRecipientKind;
  recipient_name: string;
  recipient_contact: string | null;
  /** 164.528(b)(2)(ii): the recipient's address, if known (migration 0006). */
  recipient_address: ColumnType<string | null, string | null | undefined, string | null>;
  what_was_said: string;
  legal_basis: string;
  purpose: string;
  disclosed_at: Date;
  recorded_by: string;
  created_at: ColumnType<Date, Date | undefined, never>;
}
export type Disclosure = Selectable<DisclosureTable>;

export type FollowUpStatus = 'open' | 'done' | 'cancelled' | 'unable_to_reach';
export interface FollowUpTaskTable {
  practice_id: string;
  id: string;
  client_id: string;
  incident_id: string | null;
  run_id: string | null;
  step_id: string | null;
  kind: string;
  title: string;
  due_at: Date;
  assigned_to: string;
  status: ColumnType<FollowUpStatus, FollowUpStatus | undefined, FollowUpStatus>;
  done_at: Date | null;
  done_by: string | null;
  note: string | null;
  created_at: ColumnType<Date, Date | undefined, never>;
  source: ColumnType<'protocol' | 'manual', 'protocol' | 'manual' | undefined, never>;
  channel: ColumnType<FollowUpChannel | null, FollowUpChannel | null | undefined, FollowUpChannel | null>;
  /** Failed attempts before "unable to reach" (1–5, default 3). */
  max_attempts: ColumnType<number, number | undefined, number>;
  failed_attempts: ColumnType<number, number | undefined, number>;
  remind_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  reminded_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  escalated_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  escalation_reason: ColumnType<'overdue' | 'unable_to_reach' | null, 'overdue' | 'unable_to_reach' | null | undefined, 'overdue' | 'unable_to_reach' | null>;
  /** Bumped when the due time changes; a timer job carrying an older version does nothing. */
  schedule_version: ColumnType<number, number | undefined, number>;
  created_by: ColumnType<string | null, string | null | undefined, never>;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}
export type FollowUpTask = Selectable<FollowUpTaskTable>;
export type FollowUpChannel = 'voice' | 'text' | 'email' | 'in_person';
