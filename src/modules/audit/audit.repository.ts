import { createHash } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../server/database.ts';
import type { AuditEvent, AuditOutcome } from './audit.table.ts';

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
export function auditPayload(e: {
  practice_id: string; at: Date; actor_user_id: string | null; actor_role: string | null; action: string;
  resource_type: string | null; resource_id: string | null; client_id: string | null; ip: string | null;
  outcome: string; detail: string;
}): string {
  return JSON.stringify([
    e.practice_id, e.at.toISOString(), e.actor_user_id, e.actor_role, e.action,
    e.resource_type, e.resource_id, e.client_id, e.ip, e.outcome, e.detail,
  ]);
}

export function chainHash(prevHash: string, seq: number, payload: string): string {
  return createHash('sha256').update(`${prevHash}|${seq}|${payload}`, 'utf8').digest('hex');
}

export async function createChain(db: Kysely<Database>, practiceId: string): Promise<void> {
  await db.insertInto('audit_heads').values({ practice_id: practiceId, seq: 0, hash: GENESIS_HASH })
    .onConflict((oc) => oc.column('practice_id').doNothing()).execute();
}

/**
 * Appends one event to its practice's chain in a single round trip. The head row is
 * locked until the caller's transaction commits, so call this last in a transaction.
 * The hash is computed by PostgreSQL exactly as `chainHash` computes it.
 */
export async function appendAuditEvent(trx: Transaction<Database> | Kysely<Database>, e: NewAuditEvent): Promise<number> {
  const row = {
    practice_id: e.practiceId, at: new Date(), actor_user_id: e.actorUserId, actor_role: e.actorRole,
    action: e.action, resource_type: e.resourceType ?? null, resource_id: e.resourceId ?? null,
    client_id: e.clientId ?? null, ip: e.ip, outcome: e.outcome, detail: JSON.stringify(e.detail ?? {}),
  };
  const payload = auditPayload(row);
  const result = await sql<{ seq: number }>`
    with prev as (
      select seq, hash from audit_heads where practice_id = ${row.practice_id} for update
    ), next as (
      select prev.seq + 1 as seq, prev.hash as prev_hash,
             encode(digest(prev.hash || '|' || (prev.seq + 1)::text || '|' || ${payload}::text, 'sha256'), 'hex') as hash
      from prev
    ), moved as (
      update audit_heads h set seq = next.seq, hash = next.hash from next
      where h.practice_id = ${row.practice_id} returning h.seq
    )
    insert into audit_events (practice_id, seq, at, actor_user_id, actor_role, action, resource_type,
                              resource_id, client_id, ip, outcome, detail, prev_hash, hash)
    select ${row.practice_id}, next.seq, ${row.at}, ${row.actor_user_id}, ${row.actor_role}, ${row.action},
           ${row.resource_type}, ${row.resource_id}, ${row.client_id}, ${row.ip}, ${row.outcome}, ${row.detail},
           next.prev_hash, next.hash
    from next, moved
    returning seq`.execute(trx);
  const seq = result.rows[0]?.seq;
  if (seq === undefined) throw new Error(`No audit chain for practice ${e.practiceId}`);
  return seq;
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

export async function* readChain(db: Kysely<Database>, practiceId: string, batch = 1000): AsyncGenerator<AuditEvent> {
  let after = 0;
  for (;;) {
    const rows = await db.selectFrom('audit_events').selectAll().where('practice_id', '=', practiceId)
      .where('seq', '>', after).orderBy('seq').limit(batch).execute();
    yield* rows;
    if (rows.length < batch) return;
    after = rows[rows.length - 1]!.seq;
  }
}

export async function listChains(db: Kysely<Database>): Promise<{ practiceId: string; seq: number; hash: string }[]> {
  const rows = await db.selectFrom('audit_heads').selectAll().orderBy('practice_id').execute();
  return rows.map((r) => ({ practiceId: r.practice_id, seq: r.seq, hash: r.hash }));
}
