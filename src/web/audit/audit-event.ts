export type Outcome = 'success' | 'denied' | 'failure';

export interface AuditEvent {
  seq: number;
  at: string;
  actorUserId: string | null;
  actorName: string | null;
  action: string;
  resourceType: string | null;
  resourceId: string | null;
  outcome: string;
  ip: string | null;
  detail: Record<string, unknown> | null;
}

export interface AuditPage {
  events: AuditEvent[];
  nextBefore: number | null;
}

export interface AuditFilters {
  action: string;
  actorId: string;
  outcome: '' | Outcome;
  from: string; // yyyy-mm-dd, practice time zone
  to: string;
}

export const NO_FILTERS: AuditFilters = { action: '', actorId: '', outcome: '', from: '', to: '' };

export const OUTCOME_NAMES: Record<string, string> = {
  success: 'Success',
  denied: 'Denied',
  failure: 'Failed',
};
