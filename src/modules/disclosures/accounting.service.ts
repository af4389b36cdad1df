/**
 * A client's accounting of disclosures (HIPAA 45 CFR 164.528): every disclosure made
 * outside treatment, payment and health care operations — to the police, a potential
 * victim, a family member in an emergency — with its date, the recipient's name and
 * address if known, what was disclosed, and its purpose and legal basis (164.528(b)(2)).
 * The `disclosures` table holds only such disclosures (incidents.service.ts writes them).
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../server/database.ts';
import { Problem } from '../../server/problems.ts';
import { localDate, localDayRange } from '../../domain/zoned-time.ts';
import { appendAuditEvent } from '../audit/audit.repository.ts';
import type { AuthContext, RequestMeta } from '../auth/auth.service.ts';
import { authorizeClient } from '../clients/client-access.ts';
import type { DisclosureRecipientKind } from '../incidents/incidents.table.ts';
import { defaultPeriod, periodProblem, recipientKindName } from './accounting-rules.ts';
import { toCsv } from './accounting-csv.ts';
import { renderAccountingPdf } from './accounting-pdf.ts';
import * as repo from './disclosures.repository.ts';

type Db = Kysely<Database>;
export type AccountingFormat = 'json' | 'csv' | 'pdf';

export interface AccountingEntry {
  id: string;
  disclosedAt: string;
  /** The day and time in the practice's time zone. */
  date: string;
  time: string;
  recipientName: string;
  recipientKind: DisclosureRecipientKind;
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

/** The period asked for, or the six years before today (164.528(a)); a period that cannot be is refused. */
export function resolvePeriod(query: { from?: string | undefined; to?: string | undefined }, timeZone: string, now = new Date()): { from: string; to: string } {
  const today = localDate(now, timeZone);
  const to = query.to ?? today;
  const period = { from: query.from ?? defaultPeriod(to).from, to };
  const problem = periodProblem(period, today);
  if (problem) throw new Problem('ACCOUNTING_PERIOD_INVALID', problem);
  return period;
}

export async function accountingOf(
  db: Db, auth: AuthContext, clientId: string, query: { from?: string | undefined; to?: string | undefined }, meta: RequestMeta, format: AccountingFormat,
): Promise<Accounting> {
  await authorizeClient(db, auth, clientId, 'client.disclosures.read', meta.ip);
  const timeZone = auth.practice.timeZone;
  const period = resolvePeriod(query, timeZone);
  const start = localDayRange(period.from, timeZone).start;
  const end = localDayRange(period.to, timeZone).end;
  const [names, rows] = await Promise.all([
    repo.findClientNames(db, auth.practice.id, clientId),
    repo.disclosuresBetween(db, auth.practice.id, clientId, start, end),
  ]);
  if (!names) throw new Problem('NOT_FOUND', 'No such client.');
  const clock = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  const entries = rows.map((d): AccountingEntry => ({
    id: d.id, disclosedAt: d.disclosed_at.toISOString(), date: localDate(d.disclosed_at, timeZone), time: clock.format(d.disclosed_at),
    recipientName: d.recipient_name, recipientKind: d.recipient_kind, recipientAddress: d.recipient_address, recipientContact: d.recipient_contact,
    whatWasDisclosed: d.what_was_said, purpose: d.purpose, legalBasis: d.legal_basis, incidentId: d.incident_id,
  }));
  // Every read of the accounting is on the client's audit trail: the format, the period, how many entries (not what they say).
  await appendAuditEvent(db, {
    practiceId: auth.practice.id, actorUserId: auth.user.id, actorRole: auth.user.role, action: 'client.disclosures.read',
    resourceType: 'accounting_of_disclosures', resourceId: clientId, clientId, ip: meta.ip, outcome: 'success',
    detail: { format, from: period.from, to: period.to, entries: entries.length },
  });
  return {
    client: { id: clientId, name: names.preferred_name ?? names.legal_name, legalName: names.legal_name },
    period, timeZone, generatedAt: new Date().toISOString(), entries,
  };
}

export const CSV_HEADER = [
  'Date', 'Time', 'Recipient', 'Recipient type', 'Recipient address', 'Recipient contact', 'What was disclosed', 'Purpose', 'Legal basis',
] as const;

export function accountingCsv(a: Accounting): string {
  return toCsv([
    CSV_HEADER,
    ...a.entries.map((e) => [
      e.date, e.time, e.recipientName, recipientKindName(e.recipientKind), e.recipientAddress, e.recipientContact, e.whatWasDisclosed, e.purpose, e.legalBasis,
    ]),
  ]);
}

export function accountingPdf(a: Accounting, practiceName: string, options: { compress?: boolean } = {}): Promise<Buffer> {
  return renderAccountingPdf(a, practiceName, options);
}

/** A file name that names the period, not the client (it shows in download lists). */
export function accountingFileName(a: Accounting, ext: 'csv' | 'pdf'): string {
  return `accounting-of-disclosures-${a.period.from}-to-${a.period.to}.${ext}`;
}
