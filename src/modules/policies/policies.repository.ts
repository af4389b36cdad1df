import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../server/database.ts';
import type { AcknowledgementMethod } from './policies.table.ts';

type Db = Kysely<Database> | Transaction<Database>;

/**
 * Serializes publishers within a practice: whoever holds this lock computes the next
 * version. NO KEY UPDATE so that inserts referencing the practice are not blocked.
 */
export async function lockPracticeForPublishing(trx: Transaction<Database>, practiceId: string): Promise<void> {
  await trx.selectFrom('practices').select('id').where('id', '=', practiceId).forNoKeyUpdate().executeTakeFirstOrThrow();
}

/** The practice's current policy version (the highest published), or null when none was published. */
export async function currentPolicyVersion(db: Db, practiceId: string): Promise<number | null> {
  const row = await db.selectFrom('policies').select((eb) => eb.fn.max('version').as('version'))
    .where('practice_id', '=', practiceId).executeTakeFirst();
  return row?.version ?? null;
}

export async function insertPolicy(trx: Transaction<Database>, p: { practiceId: string; version: number; title: string; bodyMarkdown: string; publishedBy: string }) {
  await trx.insertInto('policies').values({
    practice_id: p.practiceId, version: p.version, title: p.title, body_markdown: p.bodyMarkdown, published_by: p.publishedBy,
  }).execute();
}

function policiesWithPublisher(db: Db, practiceId: string) {
  return db.selectFrom('policies as p')
    .leftJoin('users as u', (j) => j.onRef('u.practice_id', '=', 'p.practice_id').onRef('u.id', '=', 'p.published_by'))
    .where('p.practice_id', '=', practiceId);
}

/** One version of the policy with its text, or the current one when no version is given. */
export async function findPolicy(db: Db, practiceId: string, version?: number) {
  let q = policiesWithPublisher(db, practiceId)
    .select(['p.version', 'p.title', 'p.body_markdown', 'p.published_at', 'u.name as published_by_name']);
  q = version === undefined ? q.orderBy('p.version', 'desc').limit(1) : q.where('p.version', '=', version);
  return q.executeTakeFirst();
}

export async function listPolicyVersions(db: Db, practiceId: string) {
  return policiesWithPublisher(db, practiceId)
    .select(['p.version', 'p.title', 'p.published_at', 'u.name as published_by_name'])
    .orderBy('p.version', 'desc').execute();
}

// --- acknowledgements -------------------------------------------------------

export async function insertAcknowledgement(trx: Transaction<Database>, a: {
  practiceId: string; id: string; clientId: string; version: number; acknowledgedOn: string; method: AcknowledgementMethod; recordedBy: string;
}) {
  await trx.insertInto('policy_acknowledgements').values({
    practice_id: a.practiceId, id: a.id, client_id: a.clientId, policy_version: a.version,
    acknowledged_on: a.acknowledgedOn, method: a.method, recorded_by: a.recordedBy,
  }).execute();
}

/** A client's acknowledgements, the latest version first. */
export async function listAcknowledgements(db: Db, practiceId: string, clientId: string) {
  return db.selectFrom('policy_acknowledgements as a')
    .leftJoin('users as u', (j) => j.onRef('u.practice_id', '=', 'a.practice_id').onRef('u.id', '=', 'a.recorded_by'))
    .select(['a.id', 'a.policy_version', 'a.acknowledged_on', 'a.method', 'a.recorded_at', 'u.name as recorded_by_name'])
    .where('a.practice_id', '=', practiceId).where('a.client_id', '=', clientId)
    .orderBy('a.policy_version', 'desc').orderBy('a.acknowledged_on', 'desc').orderBy('a.recorded_at', 'desc')
    .execute();
}

/**
 * Each client's latest acknowledged version, as a subquery (client_id, version) that a
 * list query can join; uses policy_acknowledgements_client_idx.
 */
export function latestAcknowledgedVersionQuery(db: Db, practiceId: string) {
  return db.selectFrom('policy_acknowledgements')
    .select(['client_id', (eb) => eb.fn.max('policy_version').as('version')])
    .where('practice_id', '=', practiceId).groupBy('client_id');
}

/** For a set of clients, each one's latest acknowledged version; clients with none are absent. */
export async function latestAcknowledgedVersions(db: Db, practiceId: string, clientIds: readonly string[]): Promise<Map<string, number>> {
  if (clientIds.length === 0) return new Map();
  const rows = await latestAcknowledgedVersionQuery(db, practiceId).where('client_id', 'in', [...clientIds]).execute();
  return new Map(rows.map((r) => [r.client_id, r.version]));
}
