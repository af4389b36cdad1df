/**
 * Pager standby. The idle timeout ends a session (HIPAA 45 CFR 164.312(a)(2)(iii),
 * automatic logoff) and with it the live stream, so a supervisor on call who leaves
 * Holdspace open at night would stop hearing pages. At sign-in the browser of anyone an
 * escalation policy can page is also given a standby: a second credential that reads
 * nothing and only opens a stream saying "you are being paged" (no client, protocol or
 * place: minimum necessary, 164.502(b)). The person signs in to see the page.
 *
 * A standby lasts a shift (12 hours, renewed while the app is open) and ends at an
 * explicit sign-out, when it is stopped from the sign-in screen, or when the person is
 * deactivated. Only the token's hash is stored.
 */
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../server/database.ts';
import { appendAuditEvent } from '../audit/audit.repository.ts';
import { sha256, type AuthContext } from '../auth/auth.service.ts';

type Db = Kysely<Database>;

export const STANDBY_COOKIE = 'hs_pager';
export const STANDBY_HOURS = 12;

export interface StandbyHolder {
  tokenHash: string;
  practiceId: string;
  userId: string;
  name: string;
  expiresAt: Date;
}

/**
 * A standby given or renewed less than this long ago is kept as it is when asked again
 * (each load of the app asks); the app's hourly renewal, well past it, always renews.
 */
const RENEW_AFTER_MS = 30 * 60_000;

/**
 * Gives this browser a standby (or renews it: the token it already holds is replaced).
 * Returns the token for the cookie and until when it lasts. Asked again within half an
 * hour by the same person, the browser's standby stands unchanged: nothing is written or audited.
 */
export async function standBy(db: Db, auth: AuthContext, previousToken: string | undefined, ip: string | null): Promise<{ token: string; until: Date }> {
  const current = await findStandby(db, previousToken);
  if (previousToken && current && current.practiceId === auth.practice.id && current.userId === auth.user.id
    && current.expiresAt.getTime() > Date.now() + STANDBY_HOURS * 3_600_000 - RENEW_AFTER_MS) {
    return { token: previousToken, until: current.expiresAt };
  }
  const token = randomBytes(32).toString('base64url');
  return db.transaction().execute(async (trx) => {
    // The browser's earlier standby (renewal), and any of this person's that have lapsed.
    await trx.deleteFrom('pager_standby').where('practice_id', '=', auth.practice.id).where('user_id', '=', auth.user.id)
      .where((eb) => eb.or([
        eb('expires_at', '<', new Date()),
        ...(previousToken ? [eb('token_hash', '=', sha256(previousToken))] : []),
      ])).execute();
    const { expires_at: until } = await trx.insertInto('pager_standby').values({
      token_hash: sha256(token), practice_id: auth.practice.id, user_id: auth.user.id,
      expires_at: new Date(Date.now() + STANDBY_HOURS * 3_600_000),
    }).returning('expires_at').executeTakeFirstOrThrow();
    await appendAuditEvent(trx, {
      practiceId: auth.practice.id, actorUserId: auth.user.id, actorRole: auth.user.role, action: 'pager.standby',
      resourceType: 'user', resourceId: auth.user.id, ip, outcome: 'success', detail: { until: until.toISOString() },
    });
    return { token, until };
  });
}

/** The standby a token stands for, while it lasts and its person is active; otherwise null. */
export async function findStandby(db: Db, token: string | undefined): Promise<StandbyHolder | null> {
  if (!token) return null;
  const row = await db.selectFrom('pager_standby as s')
    .innerJoin('users as u', (j) => j.onRef('u.practice_id', '=', 's.practice_id').onRef('u.id', '=', 's.user_id'))
    .select(['s.token_hash', 's.practice_id', 's.user_id', 's.expires_at', 'u.name', 'u.active', 'u.role'])
    .where('s.token_hash', '=', sha256(token)).executeTakeFirst();
  // A person moved to a role nobody pages (the front desk) no longer stands by.
  const pageable = row && (row.role === 'owner' || row.role === 'clinician' || row.role === 'supervisor');
  if (!row || !row.active || !pageable || row.expires_at.getTime() <= Date.now()) return null;
  return { tokenHash: row.token_hash, practiceId: row.practice_id, userId: row.user_id, name: row.name, expiresAt: row.expires_at };
}

/** Ends the standby a token stands for (stopped from the sign-in screen, or an explicit sign-out). */
export async function endStandby(db: Db, token: string | undefined, ip: string | null, why: 'stopped' | 'signed_out'): Promise<void> {
  if (!token) return;
  const ended = await db.deleteFrom('pager_standby').where('token_hash', '=', sha256(token))
    .returning(['practice_id', 'user_id']).executeTakeFirst();
  if (!ended) return;
  const user = await db.selectFrom('users').select('role').where('practice_id', '=', ended.practice_id).where('id', '=', ended.user_id).executeTakeFirst();
  await appendAuditEvent(db, {
    practiceId: ended.practice_id, actorUserId: ended.user_id, actorRole: user?.role ?? null, action: 'pager.standby_end',
    resourceType: 'user', resourceId: ended.user_id, ip, outcome: 'success', detail: { why },
  });
}

/**
 * The pages that are waiting for this person now (open, and they were notified): told
 * at once when a standby stream opens or reconnects, so a page sent while the screen was
 * loading is heard too. Ids and times only.
 */
export async function openPagesFor(db: Db, holder: StandbyHolder): Promise<{ pageId: string; at: Date }[]> {
  const rows = await db.selectFrom('page_recipients as r')
    .innerJoin('pages as p', (j) => j.onRef('p.practice_id', '=', 'r.practice_id').onRef('p.id', '=', 'r.page_id'))
    .select(['p.id', (eb) => eb.fn.max('r.notified_at').as('at')])
    .where('r.practice_id', '=', holder.practiceId).where('r.user_id', '=', holder.userId).where('p.status', '=', 'open')
    .groupBy('p.id').orderBy('at').execute();
  return rows.map((r) => ({ pageId: r.id, at: r.at }));
}
