// The accounting of disclosures (HIPAA 45 CFR 164.528) as the API returns it.

export type RecipientKind = 'victim' | 'law_enforcement' | 'emergency_contact' | 'emergency_services' | 'other';

export interface AccountingEntry {
  id: string;
  disclosedAt: string;
  date: string;
  time: string;
  recipientName: string;
  recipientKind: RecipientKind;
  recipientAddress: string | null;
  recipientContact: string | null;
  whatWasDisclosed: string;
  purpose: string;
  legalBasis: string;
  incidentId: string | null;
}

export interface Accounting {
  client: { id: string; name: string; legalName: string };
  period: { from: string; to: string };
  timeZone: string;
  generatedAt: string;
  entries: AccountingEntry[];
}

export type RequestVia = 'in_writing' | 'in_person' | 'phone' | 'email' | 'portal';

export interface AccountingRequest {
  id: string;
  requestedBy: string;
  receivedOn: string;
  receivedVia: RequestVia;
  receivedByName: string | null;
  period: { from: string; to: string };
  dueOn: string;
  deadline: string;
  daysLeft: number | null;
  extension: { dueOn: string; reason: string; byName: string | null; at: string } | null;
  status: 'open' | 'extended' | 'provided';
  provided: { at: string; byName: string | null; period: { from: string; to: string } } | null;
}

export interface OpenAccountingRequest {
  id: string;
  clientId: string;
  clientName: string;
  receivedOn: string;
  deadline: string;
  daysLeft: number;
  status: 'open' | 'extended';
}

export const RECIPIENT_KINDS: Record<RecipientKind, string> = {
  victim: 'Potential victim',
  law_enforcement: 'Law enforcement',
  emergency_contact: 'Emergency contact',
  emergency_services: 'Emergency services',
  other: 'Other',
};

export const VIA_NAMES: Record<RequestVia, string> = {
  in_writing: 'In writing',
  in_person: 'In person',
  phone: 'By phone',
  email: 'By email',
  portal: 'Through the portal',
};

/** "50 days left", "Due today", "3 days overdue". */
export function daysLeftText(days: number): string {
  if (days === 0) return 'Due today';
  if (days < 0) return `${-days} ${days === -1 ? 'day' : 'days'} overdue`;
  return `${days} ${days === 1 ? 'day' : 'days'} left`;
}

export function accountingUrl(clientId: string, suffix: '' | '.csv' | '.pdf', period: { from: string; to: string } | null): string {
  const query = period ? `?from=${period.from}&to=${period.to}` : '';
  return `/api/clients/${clientId}/accounting${suffix}${query}`;
}
