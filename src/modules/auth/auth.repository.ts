import { sql, type Kysely } from 'kysely';
import type { Database } from '../../server/database.ts';
import type { Role } from '../../domain/permissions.ts';

type Db = Kysely<Database>;

export async function findUserByEmail(db: Db, email: string) {
  return db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();
}

export async function findUser(db: Db, practiceId: string, userId: string) {
  return db.selectFrom('users').selectAll().where('practice_id', '=', practiceId).where('id', '=', userId).executeTakeFirst();
}

export async function countUsers(db: Db): Promise<number> {
  const row = await db.selectFrom('users').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function insertUser(db: Db, u: { practiceId: string; id: string; email: string; name: string; role: Role; passwordHash: string }) {
  await db.insertInto('users').values({
    practice_id: u.practiceId, id: u.id, email: u.email, name: u.name, role: u.role, password_hash: u.passwordHash,
    totp_secret: null, totp_last_step: null,
  }).execute();
}

export async function listUsers(db: Db, practiceId: string) {
  const users = await db.selectFrom('users').select(['id', 'name', 'email', 'role', 'active', 'totp_enabled'])
    .where('practice_id', '=', practiceId).orderBy('name').execute();
  const links = await db.selectFrom('supervision').select(['supervisor_id', 'clinician_id'])
    .where('practice_id', '=', practiceId).execute();
  return users.map((u) => ({ ...u, supervisee_ids: links.filter((l) => l.supervisor_id === u.id).map((l) => l.clinician_id) }));
}

export async function replaceSupervisees(db: Db, practiceId: string, supervisorId: string, clinicianIds: string[]) {
  await db.deleteFrom('supervision').where('practice_id', '=', practiceId).where('supervisor_id', '=', supervisorId).execute();
  if (clinicianIds.length === 0) return;
  await db.insertInto('supervision')
    .values(clinicianIds.map((id) => ({ practice_id: practiceId, supervisor_id: supervisorId, clinician_id: id }))).execute();
}

// --- sign-in sessions -------------------------------------------------------

export async function insertSession(db: Db, s: { tokenHash: string; practiceId: string; userId: string; csrfToken: string; mfaVerified: boolean; ip: string | null; userAgent: string | null }) {
  await db.insertInto('auth_sessions').values({
    token_hash: s.tokenHash, practice_id: s.practiceId, user_id: s.userId, csrf_token: s.csrfToken,
    mfa_verified: s.mfaVerified, ip: s.ip, user_agent: s.userAgent,
  }).execute();
}

/** The session with its person and practice, and whether it has sat idle too long. */
export async function findSession(db: Db, tokenHash: string, idleMinutes: number) {
  return db.selectFrom('auth_sessions as s')
    .innerJoin('users as u', (j) => j.onRef('u.practice_id', '=', 's.practice_id').onRef('u.id', '=', 's.user_id'))
    .innerJoin('practices as p', 'p.id', 's.practice_id')
    .select([
      's.token_hash', 's.practice_id', 's.user_id', 's.csrf_token', 's.mfa_verified', 's.last_seen_at',
      'u.name as user_name', 'u.email as user_email', 'u.role as user_role', 'u.active as user_active', 'u.totp_enabled',
      'p.name as practice_name', 'p.time_zone', 'p.require_totp',
      sql<boolean>`s.last_seen_at < now() - make_interval(mins => ${idleMinutes})`.as('idle_expired'),
      sql<boolean>`s.last_seen_at < now() - interval '1 minute'`.as('needs_touch'),
      sql<{ id: string; name: string }[]>`coalesce((select json_agg(json_build_object('id', c.id, 'name', c.name) order by c.name)
        from supervision v join users c on c.practice_id = v.practice_id and c.id = v.clinician_id
        where v.practice_id = s.practice_id and v.supervisor_id = s.user_id), '[]'::json)`.as('supervisees'),
    ])
    .where('s.token_hash', '=', tokenHash).executeTakeFirst();
}

export async function touchSession(db: Db, tokenHash: string) {
  await db.updateTable('auth_sessions').set({ last_seen_at: sql<Date>`now()` }).where('token_hash', '=', tokenHash).execute();
}

export async function deleteSession(db: Db, tokenHash: string) {
  await db.deleteFrom('auth_sessions').where('token_hash', '=', tokenHash).execute();
}

// --- throttling of failed sign-ins ------------------------------------------

export async function countRecentFailures(db: Db, key: string, windowMinutes: number): Promise<{ count: number; oldest: Date | null }> {
  const row = await db.selectFrom('sign_in_failures')
    .select((eb) => [eb.fn.countAll<string>().as('n'), eb.fn.min('at').as('oldest')])
    .where('key', '=', key).where('at', '>', sql<Date>`now() - make_interval(mins => ${windowMinutes})`)
    .executeTakeFirstOrThrow();
  return { count: Number(row.n), oldest: row.oldest ? new Date(row.oldest) : null };
}

export async function recordFailure(db: Db, keys: string[]) {
  await db.insertInto('sign_in_failures').values(keys.map((key) => ({ key }))).execute();
}

export async function clearFailures(db: Db, key: string) {
  await db.deleteFrom('sign_in_failures').where('key', '=', key).execute();
}

// --- invites ------------------------------------------------------------------

export async function findInviteByToken(db: Db, tokenHash: string) {
  return db.selectFrom('invites as i').innerJoin('practices as p', 'p.id', 'i.practice_id')
    .selectAll('i').select('p.name as practice_name')
    .where('i.token_hash', '=', tokenHash).executeTakeFirst();
}
