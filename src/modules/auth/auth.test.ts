import { describe, expect, it } from 'vitest';
import * as OTPAuth from 'otpauth';
import { Browser, createTestApp } from '../../../test/support/app.ts';
import { createPractice, FIXTURE_PASSWORD } from '../../../test/support/fixtures.ts';
import { isEncrypted } from '../../server/field-crypto.ts';
import { MAX_FAILURES_PER_ACCOUNT, MAX_FAILURES_PER_ADDRESS, sha256 } from './auth.service.ts';

describe('signing in and out', async () => {
  const { app, db } = await createTestApp();
  const practice = await createPractice(db);
  const clinician = practice.users.clinician;

  it('signs a clinician in with an httpOnly, SameSite=Strict cookie, and out again', async () => {
    const browser = new Browser(app);
    const res = await browser.signIn(clinician.email, FIXTURE_PASSWORD);
    expect(res.statusCode).toBe(200);
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/hs_session=/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    expect((await browser.get('/api/me')).json().user.email).toBe(clinician.email);

    expect((await browser.post('/api/auth/sign-out')).statusCode).toBe(204);
    const after = await browser.get('/api/me');
    expect(after.statusCode).toBe(401);
    expect(after.json().code).toBe('NOT_SIGNED_IN');
  });

  it('says the same thing for a wrong password and an unknown email, and audits both', async () => {
    const browser = new Browser(app, '10.0.0.1');
    const wrong = await browser.signIn(clinician.email, 'not the password at all');
    const unknown = await browser.signIn('nobody@example.test', 'not the password at all');
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json().code).toBe('INVALID_CREDENTIALS');
    expect(unknown.json().code).toBe('INVALID_CREDENTIALS');
    const failures = await db.selectFrom('audit_events').select(['practice_id', 'outcome', 'detail'])
      .where('action', '=', 'auth.sign_in').where('outcome', '=', 'failure').where('ip', '=', '10.0.0.1').execute();
    expect(failures.map((f) => JSON.parse(f.detail).reason).sort()).toEqual(['unknown_email', 'wrong_password']);
  });

  it('throttles an account after repeated failures, even with the right password', async () => {
    const target = practice.users.front_desk;
    for (let i = 0; i < MAX_FAILURES_PER_ACCOUNT; i++) {
      // from different addresses, so only the per-account limit applies
      expect((await new Browser(app, `10.1.0.${i}`).signIn(target.email, 'wrong password here')).statusCode).toBe(401);
    }
    const blocked = await new Browser(app, '10.1.1.1').signIn(target.email, FIXTURE_PASSWORD);
    expect(blocked.statusCode).toBe(429);
    expect(blocked.json().code).toBe('SIGN_IN_THROTTLED');
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    const denied = await db.selectFrom('audit_events').select('detail').where('action', '=', 'auth.sign_in')
      .where('outcome', '=', 'denied').where('actor_user_id', '=', target.id).execute();
    expect(denied.length).toBeGreaterThan(0);
  });

  it('throttles an address that tries many accounts', async () => {
    const browser = new Browser(app, '10.2.0.1');
    for (let i = 0; i < MAX_FAILURES_PER_ADDRESS; i++) {
      await browser.signIn(`guess-${i}@example.test`, 'wrong password here');
    }
    const blocked = await browser.signIn(practice.users.admin.email, FIXTURE_PASSWORD);
    expect(blocked.statusCode).toBe(429);
    // the same account from another address is fine
    expect((await new Browser(app, '10.2.0.2').signIn(practice.users.admin.email, FIXTURE_PASSWORD)).statusCode).toBe(200);
  });

  it('ends a session that sat idle past the timeout', async () => {
    const browser = new Browser(app);
    await browser.signIn(clinician.email, FIXTURE_PASSWORD);
    expect((await browser.get('/api/me')).statusCode).toBe(200);
    const token = browser.cookies.get('hs_session')!;
    await db.updateTable('auth_sessions').set({ last_seen_at: new Date(Date.now() - 31 * 60_000) })
      .where('token_hash', '=', sha256(token)).execute();
    const res = await browser.get('/api/me');
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('SESSION_EXPIRED');
    expect(await db.selectFrom('auth_sessions').selectAll().where('token_hash', '=', sha256(token)).execute()).toHaveLength(0);
  });

  it('keeps a session alive while it is used', async () => {
    const browser = new Browser(app);
    await browser.signIn(clinician.email, FIXTURE_PASSWORD);
    const token = browser.cookies.get('hs_session')!;
    await db.updateTable('auth_sessions').set({ last_seen_at: new Date(Date.now() - 29 * 60_000) })
      .where('token_hash', '=', sha256(token)).execute();
    expect((await browser.get('/api/me')).statusCode).toBe(200);
    const row = await db.selectFrom('auth_sessions').select('last_seen_at').where('token_hash', '=', sha256(token)).executeTakeFirstOrThrow();
    expect(Date.now() - row.last_seen_at.getTime()).toBeLessThan(60_000);
  });

  it('refuses a cookie-authenticated write without the CSRF token, and audits the refusal', async () => {
    const browser = new Browser(app);
    await browser.signIn(practice.users.owner.email, FIXTURE_PASSWORD);
    const forged = await browser.request('PUT', '/api/practice/security', { requireTotp: true }, { 'x-csrf-token': 'forged' });
    expect(forged.statusCode).toBe(403);
    expect(forged.json().code).toBe('CSRF_TOKEN_INVALID');
    const practiceRow = await db.selectFrom('practices').select('require_totp').where('id', '=', practice.practiceId).executeTakeFirstOrThrow();
    expect(practiceRow.require_totp).toBe(false);
    const refusal = await db.selectFrom('audit_events').select('detail').where('practice_id', '=', practice.practiceId)
      .where('outcome', '=', 'denied').where('action', '=', 'practice.security.update').execute();
    expect(refusal.map((r) => JSON.parse(r.detail).reason)).toContain('csrf');
  });

  it('never promotes a session id planted before sign-in (fixation)', async () => {
    const browser = new Browser(app);
    browser.cookies.set('hs_session', 'planted-by-an-attacker');
    await browser.signIn(clinician.email, FIXTURE_PASSWORD);
    expect(browser.cookies.get('hs_session')).not.toBe('planted-by-an-attacker');
    const first = browser.cookies.get('hs_session');
    await browser.signIn(clinician.email, FIXTURE_PASSWORD);
    expect(browser.cookies.get('hs_session')).not.toBe(first);
    expect(await db.selectFrom('auth_sessions').selectAll().where('token_hash', '=', sha256(first!)).execute()).toHaveLength(0);
  });
});

describe('the second factor', async () => {
  const { app, db } = await createTestApp();
  const practice = await createPractice(db);

  it('lets a person enrol an authenticator and then requires its code, refusing a replayed one', async () => {
    const person = practice.users.supervisor;
    const browser = new Browser(app);
    await browser.signIn(person.email, FIXTURE_PASSWORD);
    const { secret } = (await browser.post('/api/me/totp')).json();
    const totp = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret), digits: 6, period: 30 });
    // The shared secret is kept encrypted: the database holds ciphertext, never the secret itself.
    const stored = await db.selectFrom('users').select('totp_secret').where('id', '=', person.id).executeTakeFirstOrThrow();
    expect(isEncrypted(stored.totp_secret ?? '')).toBe(true);
    expect(stored.totp_secret).not.toContain(secret);
    expect((await browser.post('/api/me/totp/confirm', { code: '000000' === totp.generate() ? '111111' : '000000' })).json().code).toBe('TOTP_INVALID');
    expect((await browser.post('/api/me/totp/confirm', { code: totp.generate() })).statusCode).toBe(204);

    const next = new Browser(app);
    expect((await next.signIn(person.email, FIXTURE_PASSWORD)).json().code).toBe('TOTP_REQUIRED');
    // the code used to confirm cannot be used again
    expect((await next.signIn(person.email, FIXTURE_PASSWORD, totp.generate())).json().code).toBe('TOTP_INVALID');
    const nextStep = totp.generate({ timestamp: Date.now() + 30_000 });
    expect((await next.signIn(person.email, FIXTURE_PASSWORD, nextStep)).statusCode).toBe(200);
  });

  it('when the owner requires it, holds everyone without one at the enrolment step', async () => {
    const owner = new Browser(app);
    await owner.signIn(practice.users.owner.email, FIXTURE_PASSWORD);
    const tooSoon = await owner.put('/api/practice/security', { requireTotp: true });
    expect(tooSoon.json().code).toBe('TOTP_ENROLLMENT_REQUIRED');
    const ownerSecret = (await owner.post('/api/me/totp')).json().secret as string;
    const ownerCode = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(ownerSecret) }).generate();
    expect((await owner.post('/api/me/totp/confirm', { code: ownerCode })).statusCode).toBe(204);
    // the session's view of the owner is read afresh on every request
    expect((await owner.put('/api/practice/security', { requireTotp: true })).statusCode).toBe(200);

    const admin = new Browser(app);
    const me = (await admin.signIn(practice.users.admin.email, FIXTURE_PASSWORD)).json();
    expect(me.mustEnrollTotp).toBe(true);
    const held = await admin.get('/api/users');
    expect(held.statusCode).toBe(403);
    expect(held.json().code).toBe('TOTP_ENROLLMENT_REQUIRED');
    const { secret } = (await admin.post('/api/me/totp')).json();
    const code = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret) }).generate();
    expect((await admin.post('/api/me/totp/confirm', { code })).statusCode).toBe(204);
    expect((await admin.get('/api/users')).statusCode).toBe(200);
    expect((await owner.put('/api/practice/security', { requireTotp: false })).statusCode).toBe(200);
  });
});

describe('inviting people', async () => {
  const { app, db } = await createTestApp();
  const practice = await createPractice(db);

  it('an admin invites a supervisor of named clinicians, who accepts and signs in', async () => {
    const admin = new Browser(app);
    await admin.signIn(practice.users.admin.email, FIXTURE_PASSWORD);
    const res = await admin.post('/api/users/invites', {
      email: 'new.supervisor@example.test', name: 'Dr. Nia Synthetic', role: 'supervisor', superviseeIds: [practice.users.clinician.id],
    });
    expect(res.statusCode).toBe(201);
    const token = new URL(res.json().inviteUrl).pathname.split('/').pop()!;
    const guest = new Browser(app);
    expect((await guest.get(`/api/invites/${token}`)).json()).toMatchObject({ role: 'supervisor', email: 'new.supervisor@example.test' });
    expect((await guest.post(`/api/invites/${token}/accept`, { password: 'short' })).statusCode).toBe(400);
    expect((await guest.post(`/api/invites/${token}/accept`, { password: 'another synthetic passphrase' })).statusCode).toBe(201);
    expect((await guest.post(`/api/invites/${token}/accept`, { password: 'another synthetic passphrase' })).json().code).toBe('INVITE_ALREADY_USED');
    expect((await guest.signIn('new.supervisor@example.test', 'another synthetic passphrase')).statusCode).toBe(200);
    const users = (await admin.get('/api/users')).json().users as { email: string; superviseeIds: string[] }[];
    expect(users.find((u) => u.email === 'new.supervisor@example.test')!.superviseeIds).toEqual([practice.users.clinician.id]);
  });

  it('refuses an expired invite', async () => {
    const admin = new Browser(app);
    await admin.signIn(practice.users.owner.email, FIXTURE_PASSWORD);
    const res = await admin.post('/api/users/invites', { email: 'late.clinician@example.test', name: 'Late Clinician', role: 'clinician' });
    const token = new URL(res.json().inviteUrl).pathname.split('/').pop()!;
    await db.updateTable('invites').set({ expires_at: new Date(Date.now() - 1000) }).where('token_hash', '=', sha256(token)).execute();
    const accept = await new Browser(app).post(`/api/invites/${token}/accept`, { password: 'another synthetic passphrase' });
    expect(accept.statusCode).toBe(410);
    expect(accept.json().code).toBe('INVITE_EXPIRED');
    expect(await db.selectFrom('users').selectAll().where('email', '=', 'late.clinician@example.test').execute()).toHaveLength(0);
  });

  it('lists the active clinicians by name for the front desk, and nothing else about anyone', async () => {
    const frontDesk = new Browser(app);
    await frontDesk.signIn(practice.users.front_desk.email, FIXTURE_PASSWORD);
    const res = (await frontDesk.get('/api/clinicians')).json();
    const ids = res.clinicians.map((c: { id: string }) => c.id);
    expect(ids).toContain(practice.users.clinician.id);
    expect(ids).toContain(practice.users.supervisor.id);
    expect(ids).not.toContain(practice.users.owner.id);
    for (const c of res.clinicians) expect(Object.keys(c).sort()).toEqual(['id', 'name', 'role']);
  });

  it('refuses supervisees from another practice', async () => {
    const other = await createPractice(db, 'Other');
    const admin = new Browser(app);
    await admin.signIn(practice.users.admin.email, FIXTURE_PASSWORD);
    const res = await admin.put(`/api/users/${practice.users.supervisor.id}/supervisees`, { clinicianIds: [other.users.clinician.id] });
    expect(res.statusCode).toBe(422);
    const foreign = await admin.put(`/api/users/${other.users.supervisor.id}/supervisees`, { clinicianIds: [] });
    expect(foreign.statusCode).toBe(404);
    const links = await db.selectFrom('supervision').selectAll().where('supervisor_id', '=', other.users.supervisor.id).execute();
    expect(links).toHaveLength(1);
  });
});
