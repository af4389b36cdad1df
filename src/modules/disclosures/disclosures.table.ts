import type { ColumnType, Generated, Selectable } from 'kysely';

export type AccountingRequestVia = 'in_writing' | 'in_person' | 'phone' | 'email' | 'portal';
export type AccountingRequestStatus = 'open' | 'extended' | 'provided';

/** A client's request for an accounting of disclosures (HIPAA 45 CFR 164.528(c)). Dates are 'YYYY-MM-DD'. */
export interface AccountingRequestTable {
  practice_id: string;
  id: string;
  client_id: string;
  requested_by: string;
  received_on: string;
  received_via: AccountingRequestVia;
  received_by: string;
  period_from: string;
  period_to: string;
  due_on: string;
  extended_due_on: string | null;
  extension_reason: string | null;
  extended_by: string | null;
  extended_at: Date | null;
  status: ColumnType<AccountingRequestStatus, AccountingRequestStatus | undefined, AccountingRequestStatus>;
  provided_at: Date | null;
  provided_by: string | null;
  provided_from: string | null;
  provided_to: string | null;
  created_at: Generated<Date>;
}
export type AccountingRequest = Selectable<AccountingRequestTable>;
