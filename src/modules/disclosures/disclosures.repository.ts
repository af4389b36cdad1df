import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../server/database.ts';
import type { AccountingRequest, AccountingRequestTable } from './disclosures.table.ts';
import type { Insertable, Updateable } from 'kysely';

type Db = Kysely<Database>;
type Trx = Transaction<Database>;

/** The disclosures of one client made in [start, end), oldest first. Uses disclosures_client_idx. */
export function disclosuresBetween(db: Db, practiceId: string, clientId: string, start: Date, end: Date) {
  return db.selectFrom('disclosures').selectAll()
    .where('practice_id', '=', practiceId).where('client_id', '=', clientId)
    .where('disclosed_at', '>=', start).where('disclosed_at', '<', end)
    .orderBy('disclosed_at').orderBy('id').execute();
}

export function findClientNames(db: Db, practiceId: string, clientId: string) {
  return db.selectFrom('clients').select(['legal_name', 'preferred_name'])
    .where('practice_id', '=', practiceId).where('id', '=', clientId).executeTakeFirst();
}

export function clientRequests(db: Db, practiceId: string, clientId: string) {
  return db.selectFrom('accounting_requests').selectAll()
    .where('practice_id', '=', practiceId).where('client_id', '=', clientId)
    .orderBy('received_on', 'desc').orderBy('created_at', 'desc').execute();
}

export function lockRequest(trx: Trx, practiceId: string, clientId: string, requestId: string): Promise<AccountingRequest | undefined> {
  return trx.selectFrom('accounting_requests').selectAll()
    .where('practice_id', '=', practiceId).where('client_id', '=', clientId).where('id', '=', requestId)
    .forUpdate().executeTakeFirst();
}

export async function insertRequest(trx: Trx, row: Insertable<AccountingRequestTable>): Promise<AccountingRequest> {
  return trx.insertInto('accounting_requests').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function updateRequest(trx: Trx, practiceId: string, requestId: string, set: Updateable<AccountingRequestTable>): Promise<AccountingRequest> {
  return trx.updateTable('accounting_requests').set(set).where('practice_id', '=', practiceId).where('id', '=', requestId)
    .returningAll().executeTakeFirstOrThrow();
}

/** Requests not yet answered, practice-wide, with the client's name. Uses accounting_requests_open_idx. */
export function openRequests(db: Db, practiceId: string) {
  return db.selectFrom('accounting_requests as r')
    .innerJoin('clients as c', (j) => j.onRef('c.practice_id', '=', 'r.practice_id').onRef('c.id', '=', 'r.client_id'))
    .select(['r.id', 'r.client_id', 'r.received_on', 'r.due_on', 'r.extended_due_on', 'r.status', 'c.legal_name', 'c.preferred_name'])
    .where('r.practice_id', '=', practiceId).where('r.status', '<>', 'provided')
    .orderBy('r.due_on').execute();
}

export function userNames(db: Db, practiceId: string, ids: string[]) {
  if (ids.length === 0) return Promise.resolve([] as { id: string; name: string }[]);
  return db.selectFrom('users').select(['id', 'name']).where('practice_id', '=', practiceId).where('id', 'in', [...new Set(ids)]).execute();
}
