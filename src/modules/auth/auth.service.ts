import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import * as OTPAuth from 'otpauth';
import type { Kysely } from 'kysely';
import type { Database } from '../../server/database.ts';
import { Problem } from '../../server/problems.ts';
import { decryptText, encryptText } from '../../server/field-crypto.ts';
import { allowedActions, type Actor, type Role } from '../../domain/permissions.ts';
import { appendAuditEvent, SYSTEM_CHAIN } from '../audit/audit.repository.ts';
import * as repo from './auth.repository.ts';

type Db = Kysely<Database>;

export interface RequestMeta {
  ip: string | null;
  userAgent: string | null;
}

/** Who is signed in on this request. */
export interface AuthContext {
  tokenHash: string;
  csrfToken: string;
  actor: Actor;
  user: { id: string; name: string; email: string; role: Role; totpEnabled: boolean };
  /** For a supervisor: the clinicians they supervise. */
  supervisees: { id: string; name: string }[];
  practice: { id: string; name: string; timeZone: string; requireTotp: boolean };
  /** The practice requires a second factor and this person has none yet. */
  mustEnrollTotp: boolean;
}

// OWASP Authentication Cheat Sheet: lock out per account and slow down per address.
export const THROTTLE_WINDOW_MINUTES = 15;
export const MAX_FAILURES_PER_ACCOUNT = 5;
export const MAX_FAILURES_PER_ADDRESS = 20;
export const INVITE_TTL_HOURS = 72;

export const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const newToken = () => randomBytes(32).toString('base64url');
export const hashPassword = (password: string) => hash(password); // argon2id, OWASP parameters (19 MiB, t=2)

let dummyHash: Promise<string> | undefined;
/** Verifying against a throwaway hash keeps unknown emails as slow as known ones. */
const dummyPasswordHash = () => (dummyHash ??= hash(randomBytes(16).toString('hex')));

export function totpFor(email: string, secret: string): OTPAuth.TOTP {
  return new OTPAuth.TOTP({ issuer: 'Holdspace', label: email, algorithm: 'SHA1', digits: 6, period: 30, secret: OTPAuth.Secret.fromBase32(secret) });
}

/** The 30-second step a code belongs to, or null; a step at or before `lastStep` is a replay. */
function acceptedTotpStep(totp: OTPAuth.TOTP, code: string, lastStep: number | null, now = Date.now()): number | null {
  const delta = totp.validate({ token: code, window: 1, timestamp: now });
  if (delta === null) return null;
  const step = Math.floor(now / 1000 / 30) + delta;
  return lastStep !== null && step <= lastStep ? null : step;
}

export interface SignInInput {
  email: string;
  password: string;
  totpCode?: string | undefined;
}

export async function signIn(db: Db, input: SignInInput, meta: RequestMeta, previousTokenHash?: string) {
  const email = input.email.trim().toLowerCase();
  const accountKey = `account:${email}`;
  const addressKey = `address:${meta.ip ?? 'unknown'}`;
  const user = await repo.findUserByEmail(db, email);
  const chain = user?.practice_id ?? SYSTEM_CHAIN;
  const audit = (outcome: 'success' | 'denied' | 'failure', reason?: string) => ({
    practiceId: chain, actorUserId: user?.id ?? null, actorRole: user?.role ?? null, action: 'auth.sign_in',
    resourceType: 'user', resourceId: user?.id ?? null, ip: meta.ip, outcome, detail: reason ? { email, reason } : { email },
  });

  const [account, address] = await Promise.all([
    repo.countRecentFailures(db, accountKey, THROTTLE_WINDOW_MINUTES),
    repo.countRecentFailures(db, addressKey, THROTTLE_WINDOW_MINUTES),
  ]);
  const blocked = account.count >= MAX_FAILURES_PER_ACCOUNT ? account : address.count >= MAX_FAILURES_PER_ADDRESS ? address : null;
  if (blocked) {
    await appendAuditEvent(db, audit('denied', 'throttled'));
    const retryAt = (blocked.oldest?.getTime() ?? Date.now()) + THROTTLE_WINDOW_MINUTES * 60_000;
    const retryAfter = Math.max(1, Math.ceil((retryAt - Date.now()) / 1000));
    throw new Problem('SIGN_IN_THROTTLED', `Too many failed sign-ins. Try again in ${Math.ceil(retryAfter / 60)} minutes.`, {
      headers: { 'retry-after': String(retryAfter) },
    });
  }

  const passwordOk = await verify(user?.password_hash ?? (await dummyPasswordHash()), input.password).catch(() => false);
  const fail = async (reason: string, code: 'INVALID_CREDENTIALS' | 'TOTP_INVALID'): Promise<never> => {
    await db.transaction().execute(async (trx) => {
      await repo.recordFailure(trx, [accountKey, addressKey]);
      await appendAuditEvent(trx, audit('failure', reason));
    });
    throw new Problem(code);
  };
  if (!user || !passwordOk) return fail(user ? 'wrong_password' : 'unknown_email', 'INVALID_CREDENTIALS');
  if (!user.active) return fail('inactive_account', 'INVALID_CREDENTIALS');

  let totpStep: number | null = null;
  if (user.totp_enabled && user.totp_secret) {
    if (!input.totpCode) throw new Problem('TOTP_REQUIRED');
    totpStep = acceptedTotpStep(totpFor(email, await decryptText(db, user.practice_id, user.totp_secret)), input.totpCode, user.totp_last_step);
    if (totpStep === null) return fail('wrong_totp', 'TOTP_INVALID');
  }

  const token = newToken();
  await db.transaction().execute(async (trx) => {
    // A new token at every sign-in: a session id planted before sign-in is never promoted.
    if (previousTokenHash) await repo.deleteSession(trx, previousTokenHash);
    await repo.clearFailures(trx, accountKey);
    if (totpStep !== null) {
      await trx.updateTable('users').set({ totp_last_step: totpStep })
        .where('practice_id', '=', user.practice_id).where('id', '=', user.id).execute();
    }
    await repo.insertSession(trx, {
      tokenHash: sha256(token), practiceId: user.practice_id, userId: user.id, csrfToken: newToken(),
      mfaVerified: totpStep !== null, ip: meta.ip, userAgent: meta.userAgent,
    });
    await appendAuditEvent(trx, audit('success'));
  });
  const context = await loadSession(db, token, 1); // created this instant: never idle
  if (context.kind !== 'ok') throw new Error('The new session could not be read back');
  return { token, context: context.auth };
}

export type SessionLookup = { kind: 'ok'; auth: AuthContext } | { kind: 'none' } | { kind: 'expired' };

export async function loadSession(db: Db, token: string, idleMinutes: number): Promise<SessionLookup> {
  const tokenHash = sha256(token);
  const s = await repo.findSession(db, tokenHash, idleMinutes);
  if (!s || !s.user_active) return { kind: 'none' };
  if (s.idle_expired) {
    await repo.deleteSession(db, tokenHash);
    return { kind: 'expired' };
  }
  if (s.needs_touch) await repo.touchSession(db, tokenHash);
  return {
    kind: 'ok',
    auth: {
      tokenHash,
      csrfToken: s.csrf_token,
      actor: { userId: s.user_id, practiceId: s.practice_id, role: s.user_role, superviseeIds: s.supervisees.map((c) => c.id) },
      supervisees: s.supervisees,
      user: { id: s.user_id, name: s.user_name, email: s.user_email, role: s.user_role, totpEnabled: s.totp_enabled },
      practice: { id: s.practice_id, name: s.practice_name, timeZone: s.time_zone, requireTotp: s.require_totp },
      mustEnrollTotp: s.require_totp && !s.totp_enabled,
    },
  };
}

export function csrfTokenMatches(auth: AuthContext, presented: string | undefined): boolean {
  if (!presented) return false;
  const a = Buffer.from(auth.csrfToken);
  const b = Buffer.from(presented);
  return a.length === b.length && timingSafeEqual(a, b);
}

export async function signOut(db: Db, auth: AuthContext, meta: RequestMeta) {
  await db.transaction().execute(async (trx) => {
    await repo.deleteSession(trx, auth.tokenHash);
    await appendAuditEvent(trx, {
      practiceId: auth.practice.id, actorUserId: auth.user.id, actorRole: auth.user.role, action: 'auth.sign_out',
      resourceType: 'user', resourceId: auth.user.id, ip: meta.ip, outcome: 'success',
    });
  });
}

export function describeMe(auth: AuthContext) {
  return {
    user: auth.user,
    practice: auth.practice,
    supervisees: auth.supervisees,
    csrfToken: auth.csrfToken,
    mustEnrollTotp: auth.mustEnrollTotp,
    allowed: allowedActions(auth.actor),
  };
}

// --- second factor ----------------------------------------------------------------

export async function startTotpEnrollment(db: Db, auth: AuthContext, meta: RequestMeta) {
  const secret = new OTPAuth.Secret({ size: 20 }).base32;
  await db.transaction().execute(async (trx) => {
    // The shared secret is a credential: stored encrypted like the narrative fields (HIPAA 45 CFR 164.312(a)(2)(iv)).
    await trx.updateTable('users').set({ totp_secret: await encryptText(trx, auth.practice.id, secret), totp_enabled: false })
      .where('practice_id', '=', auth.practice.id).where('id', '=', auth.user.id).execute();
    await appendAuditEvent(trx, {
      practiceId: auth.practice.id, actorUserId: auth.user.id, actorRole: auth.user.role, action: 'auth.totp.start',
      resourceType: 'user', resourceId: auth.user.id, ip: meta.ip, outcome: 'success',
    });
  });
  return { secret, otpauthUri: totpFor(auth.user.email, secret).toString() };
}

export async function confirmTotpEnrollment(db: Db, auth: AuthContext, code: string, meta: RequestMeta) {
  const user = await repo.findUser(db, auth.practice.id, auth.user.id);
  if (!user?.totp_secret) throw new Problem('TOTP_NOT_STARTED');
  const step = acceptedTotpStep(totpFor(user.email, await decryptText(db, user.practice_id, user.totp_secret)), code, user.totp_last_step);
  await db.transaction().execute(async (trx) => {
    if (step !== null) {
      await trx.updateTable('users').set({ totp_enabled: true, totp_last_step: step })
        .where('practice_id', '=', user.practice_id).where('id', '=', user.id).execute();
      await trx.updateTable('auth_sessions').set({ mfa_verified: true }).where('token_hash', '=', auth.tokenHash).execute();
    }
    await appendAuditEvent(trx, {
      practiceId: auth.practice.id, actorUserId: user.id, actorRole: user.role, action: 'auth.totp.confirm',
      resourceType: 'user', resourceId: user.id, ip: meta.ip, outcome: step === null ? 'failure' : 'success',
    });
  });
  if (step === null) throw new Problem('TOTP_INVALID');
}

// --- people ---------------------------------------------------------------------------

export interface InviteInput {
  email: string;
  name: string;
  role: Exclude<Role, 'owner'>;
  superviseeIds?: string[] | undefined;
}

export async function inviteUser(db: Db, auth: AuthContext, input: InviteInput, meta: RequestMeta) {
  const email = input.email.trim().toLowerCase();
  const superviseeIds = input.role === 'supervisor' ? (input.superviseeIds ?? []) : [];
  const token = newToken();
  const expiresAt = new Date(Date.now() + INVITE_TTL_HOURS * 3_600_000);
  await db.transaction().execute(async (trx) => {
    if (await repo.findUserByEmail(trx, email)) throw new Problem('EMAIL_IN_USE');
    await assertClinicians(trx, auth.practice.id, superviseeIds);
    const id = randomUUID();
    await trx.insertInto('invites').values({
      practice_id: auth.practice.id, id, token_hash: sha256(token), email, name: input.name.trim(), role: input.role,
      supervisee_ids: superviseeIds, invited_by: auth.user.id, expires_at: expiresAt, accepted_at: null,
    }).execute();
    await appendAuditEvent(trx, {
      practiceId: auth.practice.id, actorUserId: auth.user.id, actorRole: auth.user.role, action: 'users.invite',
      resourceType: 'invite', resourceId: id, ip: meta.ip, outcome: 'success', detail: { email, role: input.role },
    });
  });
  return { token, expiresAt };
}

export async function describeInvite(db: Db, token: string) {
  const invite = await repo.findInviteByToken(db, sha256(token));
  if (!invite) throw new Problem('INVITE_NOT_FOUND');
  if (invite.accepted_at) throw new Problem('INVITE_ALREADY_USED');
  if (invite.expires_at.getTime() < Date.now()) throw new Problem('INVITE_EXPIRED');
  return invite;
}

export async function acceptInvite(db: Db, token: string, password: string, meta: RequestMeta) {
  const passwordHash = await hashPassword(password);
  return db.transaction().execute(async (trx) => {
    const invite = await trx.selectFrom('invites').selectAll().where('token_hash', '=', sha256(token)).forUpdate().executeTakeFirst();
    if (!invite) throw new Problem('INVITE_NOT_FOUND');
    if (invite.accepted_at) throw new Problem('INVITE_ALREADY_USED');
    if (invite.expires_at.getTime() < Date.now()) throw new Problem('INVITE_EXPIRED');
    if (await repo.findUserByEmail(trx, invite.email)) throw new Problem('EMAIL_IN_USE');
    const userId = randomUUID();
    await repo.insertUser(trx, { practiceId: invite.practice_id, id: userId, email: invite.email, name: invite.name, role: invite.role, passwordHash });
    await repo.replaceSupervisees(trx, invite.practice_id, userId, invite.supervisee_ids);
    await trx.updateTable('invites').set({ accepted_at: new Date() })
      .where('practice_id', '=', invite.practice_id).where('id', '=', invite.id).execute();
    await appendAuditEvent(trx, {
      practiceId: invite.practice_id, actorUserId: userId, actorRole: invite.role, action: 'users.invite.accept',
      resourceType: 'user', resourceId: userId, ip: meta.ip, outcome: 'success',
    });
    return { userId };
  });
}

async function assertClinicians(db: Db, practiceId: string, ids: string[]) {
  if (ids.length === 0) return;
  const found = await db.selectFrom('users').select('id').where('practice_id', '=', practiceId)
    .where('id', 'in', ids).where('role', 'in', ['clinician', 'supervisor']).execute();
  if (found.length !== new Set(ids).size) throw new Problem('NOT_A_CLINICIAN', 'Every supervisee must be a clinician of this practice.');
}

export async function setSupervisees(db: Db, auth: AuthContext, supervisorId: string, clinicianIds: string[], meta: RequestMeta) {
  await db.transaction().execute(async (trx) => {
    const supervisor = await repo.findUser(trx, auth.practice.id, supervisorId);
    if (!supervisor) throw new Problem('NOT_FOUND', 'No such person in this practice.');
    if (supervisor.role !== 'supervisor') throw new Problem('VALIDATION_FAILED', 'Only a supervisor can have supervisees.');
    if (clinicianIds.includes(supervisorId)) throw new Problem('VALIDATION_FAILED', 'A supervisor cannot supervise themselves.');
    await assertClinicians(trx, auth.practice.id, clinicianIds);
    await repo.replaceSupervisees(trx, auth.practice.id, supervisorId, [...new Set(clinicianIds)]);
    await appendAuditEvent(trx, {
      practiceId: auth.practice.id, actorUserId: auth.user.id, actorRole: auth.user.role, action: 'users.supervisees.update',
      resourceType: 'user', resourceId: supervisorId, ip: meta.ip, outcome: 'success', detail: { clinicianIds },
    });
  });
}

export async function setPracticeRequiresTotp(db: Db, auth: AuthContext, requireTotp: boolean, meta: RequestMeta) {
  // An owner without a second factor would lock themselves out of settings.
  if (requireTotp && !auth.user.totpEnabled) {
    throw new Problem('TOTP_ENROLLMENT_REQUIRED', 'Set up your own authenticator app before requiring one for everyone.');
  }
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('practices').set({ require_totp: requireTotp }).where('id', '=', auth.practice.id).execute();
    await appendAuditEvent(trx, {
      practiceId: auth.practice.id, actorUserId: auth.user.id, actorRole: auth.user.role, action: 'practice.security.update',
      resourceType: 'practice', resourceId: auth.practice.id, ip: meta.ip, outcome: 'success', detail: { requireTotp },
    });
  });
}
