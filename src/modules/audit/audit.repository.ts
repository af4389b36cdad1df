import { createHash } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../server/database.ts';
import type { AuditEvent, AuditOutcome } from './audit.table.ts';

type Db = Kysely<Database> | Transaction<Database>;

/** Audit events that belong to no practice (a failed sign-in for an unknown email). */
export const SYSTEM_CHAIN = '00000000-0000-0000-0000-000000000000';
export const GENESIS_HASH = '0'.repeat(64);

export interface NewAuditEvent {
  practiceId: string;
  actorUserId: string | null;
  actorRole: string | null;
  action: string;
  resourceType?: string | null;
  resourceId?: string | null;
  clientId?: string | null;
  ip: string | null;
  outcome: AuditOutcome;
  detail?: Record<string, unknown>;
}

/** The exact text hashed for an event; verification rebuilds it from the stored columns. */
export function auditPayload(e: Omit<AuditEvent, 'seq'> & { seq: number }): string {
  return JSON.stringify([
    e.practice_id, e.seq, e.at.toISOString(), e.actor_user_id, e.actor_role, e.action,
    e.resource_type, e.resource_id, e.client_id, e.ip, e.outcome, e.detail,
  ]);
}

export function chainHash(prevHash: string, position: number, payload: string): string {
  return createHash('sha256').update(`${prevHash}|${position}|${payload}`, 'utf8').digest('hex');
}

export async function createChain(db: Db, practiceId: string): Promise<void> {
  await db.insertInto('audit_heads').values({ practice_id: practiceId, position: 0, hash: GENESIS_HASH })
    .onConflict((oc) => oc.column('practice_id').doNothing()).execute();
}

/**
 * Records one event inside the caller's transaction, so it commits or rolls back with
 * the work it describes. One round trip; takes no lock. The sealer chains it after commit.
 * (No NOTIFY here: PostgreSQL serialises the commits of notifying transactions, which
 * would queue every audited request behind one another.)
 */
export async function appendAuditEvent(db: Db, e: NewAuditEvent): Promise<number> {
  const result = await sql<{ seq: number }>`
    with event as (
      insert into audit_events (practice_id, at, actor_user_id, actor_role, action, resource_type, resource_id, client_id, ip, outcome, detail)
      values (${e.practiceId}, ${new Date()}, ${e.actorUserId}, ${e.actorRole}, ${e.action}, ${e.resourceType ?? null},
              ${e.resourceId ?? null}, ${e.clientId ?? null}, ${e.ip}, ${e.outcome}, ${JSON.stringify(e.detail ?? {})})
      returning practice_id, seq
    ), queued as (
      insert into audit_pending (practice_id, seq) select practice_id, seq from event
    )
    select seq from event`.execute(db);
  return result.rows[0]!.seq;
}

/**
 * Links a practice's pending events into its chain, in batches. Returns how many were
 * sealed. When another sealer holds the chain's head, returns 0 at once: that sealer
 * will see the same events.
 */
export async function sealPending(db: Kysely<Database>, practiceId: string, batch = 500): Promise<number> {
  let sealed = 0;
  for (;;) {
    const n = await db.transaction().execute(async (trx) => {
      const head = await trx.selectFrom('audit_heads').selectAll().where('practice_id', '=', practiceId)
        .forUpdate().skipLocked().executeTakeFirst();
      if (!head) return 0;
      const taken = await sql<{ seq: number }>`
        delete from audit_pending where (practice_id, seq) in (
          select practice_id, seq from audit_pending where practice_id = ${practiceId} order by seq limit ${batch}
        ) returning seq`.execute(trx);
      if (taken.rows.length === 0) return 0;
      const events = await trx.selectFrom('audit_events').selectAll().where('practice_id', '=', practiceId)
        .where('seq', 'in', taken.rows.map((r) => r.seq)).orderBy('seq').execute();
      let { position, hash } = head;
      const links = events.map((event) => {
        position += 1;
        const link = { practice_id: practiceId, position, seq: event.seq, prev_hash: hash, hash: chainHash(hash, position, auditPayload(event)) };
        hash = link.hash;
        return link;
      });
      await trx.insertInto('audit_chain').values(links).execute();
      await trx.updateTable('audit_heads').set({ position, hash }).where('practice_id', '=', practiceId).execute();
      return links.length;
    });
    sealed += n;
    if (n < batch) return sealed;
  }
}

export async function practicesWithPendingEvents(db: Kysely<Database>): Promise<string[]> {
  const rows = await db.selectFrom('audit_pending').select('practice_id').distinct().execute();
  return rows.map((r) => r.practice_id);
}

export interface AuditFilter {
  practiceId: string;
  action?: string | undefined;
  actorUserId?: string | undefined;
  outcome?: AuditOutcome | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
  beforeSeq?: number | undefined;
  limit: number;
}

export async function findAuditEvents(db: Kysely<Database>, f: AuditFilter) {
  let q = db.selectFrom('audit_events as e')
    .leftJoin('users as u', (j) => j.onRef('u.practice_id', '=', 'e.practice_id').onRef('u.id', '=', 'e.actor_user_id'))
    .selectAll('e').select('u.name as actor_name')
    .where('e.practice_id', '=', f.practiceId);
  if (f.action) q = q.where('e.action', 'like', `${f.action.replace(/[\\%_]/g, '\\$&')}%`);
  if (f.actorUserId) q = q.where('e.actor_user_id', '=', f.actorUserId);
  if (f.outcome) q = q.where('e.outcome', '=', f.outcome);
  if (f.from) q = q.where('e.at', '>=', f.from);
  if (f.to) q = q.where('e.at', '<', f.to);
  if (f.beforeSeq !== undefined) q = q.where('e.seq', '<', f.beforeSeq);
  return q.orderBy('e.seq', 'desc').limit(f.limit).execute();
}

/** The chain in order, each link with its event (null when the event row is gone). */
export async function* readChain(db: Kysely<Database>, practiceId: string, batch = 1000) {
  let after = 0;
  for (;;) {
    const rows = await db.selectFrom('audit_chain as c')
      .leftJoin('audit_events as e', (j) => j.onRef('e.practice_id', '=', 'c.practice_id').onRef('e.seq', '=', 'c.seq'))
      .select(['c.position', 'c.seq as link_seq', 'c.prev_hash', 'c.hash'])
      .select(['e.seq', 'e.practice_id', 'e.at', 'e.actor_user_id', 'e.actor_role', 'e.action', 'e.resource_type', 'e.resource_id', 'e.client_id', 'e.ip', 'e.outcome', 'e.detail'])
      .where('c.practice_id', '=', practiceId).where('c.position', '>', after).orderBy('c.position').limit(batch).execute();
    yield* rows;
    if (rows.length < batch) return;
    after = rows[rows.length - 1]!.position;
  }
}

export async function chainCounts(db: Kysely<Database>, practiceId: string) {
  const row = await db.selectNoFrom([
    sql<number>`(select count(*) from audit_events where practice_id = ${practiceId})::int`.as('events'),
    sql<number>`(select count(*) from audit_pending where practice_id = ${practiceId})::int`.as('pending'),
  ]).executeTakeFirstOrThrow();
  const head = await db.selectFrom('audit_heads').selectAll().where('practice_id', '=', practiceId).executeTakeFirst();
  return { ...row, head };
}

export async function listChains(db: Kysely<Database>): Promise<string[]> {
  const rows = await db.selectFrom('audit_heads').select('practice_id').orderBy('practice_id').execute();
  return rows.map((r) => r.practice_id);
}
