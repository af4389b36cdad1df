/**
 * A client's requests for an accounting of disclosures (HIPAA 45 CFR 164.528(c)):
 * received on a day, by someone, in some way; answered within 60 days, or within one
 * extension of 30 more days given in writing, with its reasons, before the 60 days run
 * out (164.528(c)(1)(ii)). The record of a request holds dates and names, no clinical
 * detail: the care team and administrators (who often receive it) keep it.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../server/database.ts';
import { Problem } from '../../server/problems.ts';
import { localDate } from '../../domain/zoned-time.ts';
import { appendAuditEvent } from '../audit/audit.repository.ts';
import type { AuthContext, RequestMeta } from '../auth/auth.service.ts';
import { authorizeClient } from '../clients/client-access.ts';
import { daysBetween, defaultPeriod, extendedDueOn, periodProblem, responseDueOn } from './accounting-rules.ts';
import * as repo from './disclosures.repository.ts';
import type { AccountingRequest, AccountingRequestStatus, AccountingRequestVia } from './disclosures.table.ts';

type Db = Kysely<Database>;
const ACTION = 'client.accounting_requests.manage';

export interface AccountingRequestView {
  id: string;
  clientId: string;
  requestedBy: string;
  receivedOn: string;
  receivedVia: AccountingRequestVia;
  receivedByName: string | null;
  period: { from: string; to: string };
  dueOn: string;
  /** The deadline in force: the extended one once extended. */
  deadline: string;
  /** Days from today to the deadline; negative once overdue. Null once provided. */
  daysLeft: number | null;
  extension: { dueOn: string; reason: string; byName: string | null; at: string } | null;
  status: AccountingRequestStatus;
  provided: { at: string; byName: string | null; period: { from: string; to: string } } | null;
}

export interface NewAccountingRequest {
  requestedBy: string;
  receivedOn: string;
  receivedVia: AccountingRequestVia;
  periodFrom?: string | undefined;
  periodTo?: string | undefined;
}

const deadlineOf = (r: Pick<AccountingRequest, 'due_on' | 'extended_due_on'>) => r.extended_due_on ?? r.due_on;

function view(r: AccountingRequest, names: Map<string, string>, today: string): AccountingRequestView {
  return {
    id: r.id, clientId: r.client_id, requestedBy: r.requested_by, receivedOn: r.received_on, receivedVia: r.received_via,
    receivedByName: names.get(r.received_by) ?? null, period: { from: r.period_from, to: r.period_to },
    dueOn: r.due_on, deadline: deadlineOf(r), daysLeft: r.status === 'provided' ? null : daysBetween(today, deadlineOf(r)),
    extension: r.extended_due_on && r.extension_reason && r.extended_at
      ? { dueOn: r.extended_due_on, reason: r.extension_reason, byName: names.get(r.extended_by ?? '') ?? null, at: r.extended_at.toISOString() }
      : null,
    status: r.status,
    provided: r.provided_at && r.provided_from && r.provided_to
      ? { at: r.provided_at.toISOString(), byName: names.get(r.provided_by ?? '') ?? null, period: { from: r.provided_from, to: r.provided_to } }
      : null,
  };
}

async function views(db: Db, practiceId: string, rows: AccountingRequest[], today: string): Promise<AccountingRequestView[]> {
  const users = await repo.userNames(db, practiceId, rows.flatMap((r) => [r.received_by, r.extended_by, r.provided_by].filter((id): id is string => id !== null)));
  const names = new Map(users.map((u) => [u.id, u.name]));
  return rows.map((r) => view(r, names, today));
}

const todayOf = (auth: AuthContext) => localDate(new Date(), auth.practice.timeZone);

function audit(db: Db, auth: AuthContext, clientId: string, meta: RequestMeta, requestId: string | null, detail: Record<string, unknown>) {
  return appendAuditEvent(db, {
    practiceId: auth.practice.id, actorUserId: auth.user.id, actorRole: auth.user.role, action: ACTION,
    resourceType: 'accounting_request', resourceId: requestId ?? clientId, clientId, ip: meta.ip, outcome: 'success', detail,
  });
}

export async function clientAccountingRequests(db: Db, auth: AuthContext, clientId: string, meta: RequestMeta): Promise<AccountingRequestView[]> {
  await authorizeClient(db, auth, clientId, ACTION, meta.ip);
  const rows = await repo.clientRequests(db, auth.practice.id, clientId);
  await audit(db, auth, clientId, meta, null, { read: 'requests', count: rows.length });
  return views(db, auth.practice.id, rows, todayOf(auth));
}

export async function recordAccountingRequest(db: Db, auth: AuthContext, clientId: string, input: NewAccountingRequest, meta: RequestMeta): Promise<AccountingRequestView> {
  await authorizeClient(db, auth, clientId, ACTION, meta.ip);
  const today = todayOf(auth);
  if (input.receivedOn > today) throw new Problem('ACCOUNTING_REQUEST_DATE_INVALID', 'A request cannot have been received after today.');
  // 164.528(a)(3): the client may ask for less than six years; unless they do, the six years before the request.
  const fallback = defaultPeriod(input.receivedOn);
  const period = { from: input.periodFrom ?? fallback.from, to: input.periodTo ?? fallback.to };
  const problem = periodProblem(period, today);
  if (problem) throw new Problem('ACCOUNTING_PERIOD_INVALID', problem);
  if (period.from < defaultPeriod(input.receivedOn).from) {
    throw new Problem('ACCOUNTING_PERIOD_INVALID', 'An accounting covers at most the six years before the request (HIPAA 45 CFR 164.528(a)).');
  }
  const row = await db.transaction().execute(async (trx) => {
    const inserted = await repo.insertRequest(trx, {
      practice_id: auth.practice.id, id: randomUUID(), client_id: clientId, requested_by: input.requestedBy,
      received_on: input.receivedOn, received_via: input.receivedVia, received_by: auth.user.id,
      period_from: period.from, period_to: period.to, due_on: responseDueOn(input.receivedOn),
      extended_due_on: null, extension_reason: null, extended_by: null, extended_at: null,
      provided_at: null, provided_by: null, provided_from: null, provided_to: null,
    });
    await audit(trx, auth, clientId, meta, inserted.id, { recorded: 'request', receivedOn: inserted.received_on, dueOn: inserted.due_on });
    return inserted;
  });
  return (await views(db, auth.practice.id, [row], today))[0]!;
}

/** One extension of 30 days, with its reasons, given before the first 60 days run out (164.528(c)(1)(ii)). */
export async function extendAccountingRequest(db: Db, auth: AuthContext, clientId: string, requestId: string, reason: string, meta: RequestMeta): Promise<AccountingRequestView> {
  await authorizeClient(db, auth, clientId, ACTION, meta.ip);
  const today = todayOf(auth);
  const row = await db.transaction().execute(async (trx) => {
    const r = await repo.lockRequest(trx, auth.practice.id, clientId, requestId);
    if (!r) throw new Problem('NOT_FOUND', 'This client has no such request.');
    if (r.status === 'provided') throw new Problem('ACCOUNTING_REQUEST_PROVIDED', 'This accounting has already been provided.');
    if (r.extended_due_on !== null) throw new Problem('ACCOUNTING_REQUEST_ALREADY_EXTENDED', 'The deadline can be extended once only.');
    if (today > r.due_on) throw new Problem('ACCOUNTING_EXTENSION_TOO_LATE', `The 60 days ran out on ${r.due_on}; an extension had to be given before then.`);
    const updated = await repo.updateRequest(trx, auth.practice.id, requestId, {
      status: 'extended', extended_due_on: extendedDueOn(r.due_on), extension_reason: reason, extended_by: auth.user.id, extended_at: new Date(),
    });
    await audit(trx, auth, clientId, meta, requestId, { extended: 'request', dueOn: updated.extended_due_on });
    return updated;
  });
  return (await views(db, auth.practice.id, [row], today))[0]!;
}

/** The accounting was given to the client, covering this period. */
export async function markAccountingProvided(
  db: Db, auth: AuthContext, clientId: string, requestId: string, period: { from: string; to: string }, meta: RequestMeta,
): Promise<AccountingRequestView> {
  await authorizeClient(db, auth, clientId, ACTION, meta.ip);
  const today = todayOf(auth);
  const problem = periodProblem(period, today);
  if (problem) throw new Problem('ACCOUNTING_PERIOD_INVALID', problem);
  const row = await db.transaction().execute(async (trx) => {
    const r = await repo.lockRequest(trx, auth.practice.id, clientId, requestId);
    if (!r) throw new Problem('NOT_FOUND', 'This client has no such request.');
    if (r.status === 'provided') throw new Problem('ACCOUNTING_REQUEST_PROVIDED', 'This accounting has already been provided.');
    const updated = await repo.updateRequest(trx, auth.practice.id, requestId, {
      status: 'provided', provided_at: new Date(), provided_by: auth.user.id, provided_from: period.from, provided_to: period.to,
    });
    await audit(trx, auth, clientId, meta, requestId, { provided: 'request', from: period.from, to: period.to });
    return updated;
  });
  return (await views(db, auth.practice.id, [row], today))[0]!;
}

export interface OpenAccountingRequest {
  id: string; clientId: string; clientName: string; receivedOn: string; deadline: string; daysLeft: number; status: 'open' | 'extended';
}

/** Every request still to answer in the practice, overdue first, then by deadline: names and dates only. */
export async function openAccountingRequests(db: Db, auth: AuthContext, meta: RequestMeta): Promise<OpenAccountingRequest[]> {
  const today = todayOf(auth);
  const rows = await repo.openRequests(db, auth.practice.id);
  const list = rows.map((r) => ({
    id: r.id, clientId: r.client_id, clientName: r.preferred_name ?? r.legal_name, receivedOn: r.received_on,
    deadline: deadlineOf(r), daysLeft: daysBetween(today, deadlineOf(r)), status: r.status as 'open' | 'extended',
  })).sort((x, y) => x.daysLeft - y.daysLeft || x.receivedOn.localeCompare(y.receivedOn));
  await appendAuditEvent(db, {
    practiceId: auth.practice.id, actorUserId: auth.user.id, actorRole: auth.user.role, action: 'accounting_requests.list',
    resourceType: 'accounting_request', ip: meta.ip, outcome: 'success', detail: { count: list.length },
  });
  return list;
}
