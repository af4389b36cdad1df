import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../server/database.ts';
import { decryptText, encryptText } from '../../server/field-crypto.ts';

type Db = Kysely<Database> | Transaction<Database>;

/**
 * Serializes saves of one client's plan: whoever holds the client's row computes the
 * next version. NO KEY UPDATE so that rows referencing the client are not blocked.
 */
export async function lockClientForPlanSave(trx: Transaction<Database>, practiceId: string, clientId: string): Promise<void> {
  await trx.selectFrom('clients').select('id').where('practice_id', '=', practiceId).where('id', '=', clientId)
    .forNoKeyUpdate().executeTakeFirstOrThrow();
}

function plansWithAuthor(db: Db, practiceId: string, clientId: string) {
  return db.selectFrom('safety_plans as s')
    .leftJoin('users as u', (j) => j.onRef('u.practice_id', '=', 's.practice_id').onRef('u.id', '=', 's.saved_by'))
    .where('s.practice_id', '=', practiceId).where('s.client_id', '=', clientId);
}

/** One version of a client's plan, or the latest when no version is given; its content decrypted. */
export async function findPlan(db: Db, practiceId: string, clientId: string, version?: number) {
  let q = plansWithAuthor(db, practiceId, clientId)
    .select(['s.version', 's.content', 's.saved_by', 's.saved_at', 'u.name as saved_by_name']);
  q = version === undefined ? q.orderBy('s.version', 'desc').limit(1) : q.where('s.version', '=', version);
  const row = await q.executeTakeFirst();
  return row && { ...row, content: await decryptText(db, practiceId, row.content) };
}

export async function listPlanVersions(db: Db, practiceId: string, clientId: string) {
  return plansWithAuthor(db, practiceId, clientId)
    .select(['s.version', 's.saved_at', 'u.name as saved_by_name'])
    .orderBy('s.version', 'desc').execute();
}

export async function insertPlanVersion(trx: Transaction<Database>, p: { practiceId: string; clientId: string; version: number; content: string; savedBy: string }) {
  await trx.insertInto('safety_plans').values({
    // Encrypted at rest (issue 6): the plan names people, places and reasons for living.
    practice_id: p.practiceId, client_id: p.clientId, version: p.version, content: await encryptText(trx, p.practiceId, p.content), saved_by: p.savedBy,
  }).execute();
}

/**
 * For a set of clients (a list, the day's sessions), each one's latest plan version and
 * when it was saved; clients without a plan are absent. Walks the primary key.
 */
export async function latestSafetyPlanVersions(db: Db, practiceId: string, clientIds: readonly string[]): Promise<Map<string, { version: number; savedAt: Date }>> {
  if (clientIds.length === 0) return new Map();
  const rows = await db.selectFrom('safety_plans').distinctOn('client_id')
    .select(['client_id', 'version', 'saved_at'])
    .where('practice_id', '=', practiceId).where('client_id', 'in', [...clientIds])
    .orderBy('client_id').orderBy('version', 'desc').execute();
  return new Map(rows.map((r) => [r.client_id, { version: r.version, savedAt: r.saved_at }]));
}

/** The name a client goes by, for the printed plan. */
export async function findClientName(db: Db, practiceId: string, clientId: string): Promise<string | undefined> {
  const row = await db.selectFrom('clients').select(['preferred_name', 'legal_name'])
    .where('practice_id', '=', practiceId).where('id', '=', clientId).executeTakeFirst();
  return row ? (row.preferred_name?.trim() || row.legal_name) : undefined;
}
