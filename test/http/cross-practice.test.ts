import fc from 'fast-check';
import * as OTPAuth from 'otpauth';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../../src/domain/permissions.ts';
import { MAX_FAILURES_PER_ACCOUNT } from '../../src/modules/auth/auth.service.ts';
import type { Db } from '../../src/server/database.ts';
import { Browser, createTestApp } from '../support/app.ts';
import { createPractice, FIXTURE_PASSWORD } from '../support/fixtures.ts';
import { conforming, operations, querySchema, queryString, realistic, type Hints, type Operation } from '../support/openapi-arbitrary.ts';
import { seedWorld, type SeededWorld } from '../support/seeded-world.ts';

/**
 * Issue 8's security tests, over every route of the OpenAPI document, so a new route is
 * covered the day it is added. (test/http/permission-walk.test.ts walks every action of
 * one practice; src/modules/auth/auth.test.ts signs in, out, fixation and CSRF for one route.)
 */

/** Path parameters that name no object of a practice: the same value means the caller's own. */
const NOT_AN_ID: Record<string, string> = {
  token: 'an invite link is its own credential, whoever holds it',
  version: "a version number, of the caller's own policy or of the client named beside it",
  protocolKey: 'a protocol of the catalogue, the same in every practice',
  channel: 'voice, text or email',
};
/** Parameters naming something of a client's record: an outsider is told nothing exists (404). */
const OF_A_CLIENT = new Set(['clientId', 'contactId', 'appointmentId', 'sessionId', 'stepOutId', 'alertId', 'incidentId', 'runId', 'pageId',
  'followUpId', 'notificationId', 'caringContactId', 'seriesId', 'agendaItemId', 'reflectionId', 'referralId', 'requestId']);
/** Write routes open without a session (their own credential: a password, an invite token, Twilio's signature). */
const PUBLIC_WRITES = ['POST /api/setup', 'POST /api/auth/sign-in', 'POST /api/invites/{token}/accept', 'POST /api/webhooks/twilio/{practiceId}/status',
  'POST /api/webhooks/twilio/{practiceId}/inbound', 'POST /api/webhooks/twilio/{practiceId}/voice', 'POST /api/webhooks/twilio/{practiceId}/voice/gather',
  'POST /api/webhooks/twilio/{practiceId}/line-text',
  // The sign-in screen stops standing by with the standby cookie alone (SameSite=Strict: never sent cross-site).
  'POST /api/pager/standby/stop'];

async function businessDigest(db: Db): Promise<string> {
  const tables = (await sql<{ name: string }>`select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'
    and table_name not in ('audit_events', 'audit_chain', 'audit_heads', 'audit_pending', 'auth_sessions', 'sign_in_failures') and table_name not like 'kysely%' order by 1`.execute(db)).rows;
  const parts = sql.join(tables.map((t) => sql`(select ${t.name} || count(*) || md5(coalesce(string_agg(x::text, ',' order by x::text), '')) from ${sql.table(t.name)} x)`), sql`||`);
  return (await sql<{ d: string }>`select md5(${parts}) as d`.execute(db)).rows[0]!.d;
}

const label = (op: Operation) => `${op.method} ${op.path}`;

/** One request to the route with the world's ids in the path, and a body and query that pass validation. */
function requestFor(op: Operation, world: SeededWorld, seed: number) {
  const ids: Hints = (name) => (world.ids[name] ? fc.constantFrom(...world.ids[name]) : undefined);
  const hints: Hints = (name, fromSchema) => name === 'requireTotp' ? fc.constant(false) : ids(name, fromSchema) ?? realistic(name, fromSchema);
  const sample = <T>(arb: fc.Arbitrary<T>) => fc.sample(arb, { numRuns: 1, seed })[0]!;
  const url = op.params.reduce((path, p) => path.replace(`{${p.name}}`, encodeURIComponent(String(world.ids[p.name]![0]))), op.path)
    + (op.query.length ? queryString(sample(conforming(querySchema(op), hints)) as Record<string, unknown>) : '');
  return { url, body: op.body ? sample(conforming(op.body, hints)) : undefined };
}

describe('security over every route of the OpenAPI document', async () => {
  const { app, db, jobs } = await createTestApp();
  const a = await createPractice(db, 'Alpha');
  const b = await createPractice(db, 'Bravo');
  const ours = await seedWorld(app, db, a, 'Alpha');
  const theirs = await seedWorld(app, db, b, 'Bravo');
  // Background jobs (escalations, the outbox) would change the tables between two digests.
  for (const queue of await jobs.boss.getQueues()) await jobs.boss.offWork(queue.name);
  const signedIn = async (role: Role, ip: string) => {
    const browser = new Browser(app, ip);
    expect((await browser.signIn(a.users[role].email, FIXTURE_PASSWORD)).statusCode).toBe(200);
    return browser;
  };
  const owner = await signedIn('owner', '10.7.0.1');
  const routes = operations((await owner.get('/api/openapi.json')).json()).filter((op) => op.path !== '/api/auth/sign-out' && op.path !== '/api/live' && op.path !== '/api/pager/stream');
  const send = (browser: Browser, op: Operation, url: string, body: unknown, headers: Record<string, string> = {}) =>
    browser.request(op.method, url, body === undefined ? undefined : JSON.stringify(body), body === undefined ? headers : { 'content-type': 'application/json', ...headers });

  /** Sends samples until one passes a rule its schema cannot express (a phone number's validity, "cancel on its own" …), at most 8. */
  const sendValid = async (browser: Browser, op: Operation, world: SeededWorld, seed: number) => {
    for (let attempt = 0; ; attempt++) {
      const { url, body } = requestFor(op, world, seed * 100 + attempt);
      const res = await send(browser, op, url, body);
      if (attempt === 7 || res.statusCode !== 400 || res.json().code !== 'VALIDATION_FAILED') return { url, body, res };
    }
  };

  it("every role of one practice, on every route with a path parameter, with another practice's real ids: never 2xx, nothing of theirs in the answer, nothing changed", async () => {
    const withIds = routes.filter((op) => op.params.length);
    expect(withIds.length).toBeGreaterThanOrEqual(80);
    // Coverage cannot shrink silently: every parameter has a seeded id of the other practice (or names none).
    expect(withIds.flatMap((op) => op.params.filter((p) => !theirs.ids[p.name] && !NOT_AN_ID[p.name]).map((p) => `${label(op)} {${p.name}}`))).toEqual([]);
    const crossing = withIds.filter((op) => op.params.some((p) => !NOT_AN_ID[p.name]));
    // Their ids, and every text they wrote, must never come back (each request's own ids aside).
    const secrets = [theirs.client.name, 'Bravo Contact', 'Bravo incident note', 'Bravo agenda item', 'Bravo reflection', 'Bravo referral', 'Bravo follow-up',
      ...Object.values(b.users).map((u) => u.email), ...Object.values(theirs.ids).flat().filter((v) => typeof v === 'string' && v.length === 36) as string[]];
    const before = await businessDigest(db);
    const answers: string[] = [];
    for (const [i, role] of ROLES.entries()) {
      const browser = await signedIn(role, `10.7.1.${i + 1}`);
      for (const op of crossing) {
        const { url, body, res } = await sendValid(browser, op, theirs, i);
        const what = `${role} ${op.method} ${url} ${JSON.stringify(body)?.slice(0, 300)} → ${res.statusCode} ${res.body.slice(0, 300)}`;
        answers.push(`${res.statusCode} ${res.statusCode < 500 && res.statusCode >= 400 ? (res.json().code ?? '') : ''}`);
        expect(res.statusCode, what).toBeGreaterThanOrEqual(400);
        expect(res.statusCode, what).toBeLessThan(500);
        // 404 (nothing disclosed), or 400 when no sample passed a rule the schema cannot express, refused before any lookup
        if (op.params.some((p) => OF_A_CLIENT.has(p.name))) expect(res.statusCode === 400 ? res.json().code : res.statusCode, `${what}: a client's record answers 404 to outsiders`).toBeOneOf([404, 'VALIDATION_FAILED']);
        const leaked = secrets.filter((s) => !url.includes(s) && !JSON.stringify(body ?? '').includes(s) && res.body.includes(s));
        expect(leaked, what).toEqual([]);
      }
    }
    expect(await businessDigest(db)).toBe(before);
    // The requests were refused by what they named, not by validation: else they would prove nothing.
    expect(answers.filter((s) => s.includes('VALIDATION_FAILED')).length).toBeLessThan(answers.length / 10);
  }, 120_000);

  it('a cookie-authenticated write without the CSRF token, or with a wrong one, is refused on every write route and changes nothing', async () => {
    const writes = routes.filter((op) => op.method !== 'GET');
    const publicWrites: string[] = [];
    for (const op of writes) {
      // Open without a session: then it needs no anti-forgery token either.
      const { url, body, res: anonymous } = await sendValid(new Browser(app, '10.7.2.1'), op, ours, 7);
      if (anonymous.statusCode !== 401 || anonymous.json().code !== 'NOT_SIGNED_IN') {
        publicWrites.push(`${label(op)}${anonymous.statusCode === 400 ? ` (${anonymous.body.slice(0, 200)})` : ''}`);
        continue;
      }
      const before = await businessDigest(db);
      for (const token of [undefined, 'forged-token', `${owner.csrfToken}x`]) {
        const headers: Record<string, string> = token === undefined ? {} : { 'x-csrf-token': token };
        const saved = owner.csrfToken;
        owner.csrfToken = undefined; // the browser helper would add the real one
        const res = await send(owner, op, url, body, headers);
        owner.csrfToken = saved;
        expect({ status: res.statusCode, code: res.json().code }, `${label(op)} with ${token ?? 'no'} token`).toEqual({ status: 403, code: 'CSRF_TOKEN_INVALID' });
      }
      expect(await businessDigest(db), label(op)).toBe(before);
    }
    expect(publicWrites.sort()).toEqual([...PUBLIC_WRITES].sort());
    // Another session's token does not do either.
    const other = await signedIn('owner', '10.7.2.2');
    const res = await owner.request('PUT', '/api/practice/retention', { yearsAfterLastContact: 9 }, { 'x-csrf-token': other.csrfToken! });
    expect(res.statusCode).toBe(403);
  });

  it("a valid session planted in the victim's browser is replaced at sign-in, and never becomes the victim's", async () => {
    const attacker = await signedIn('front_desk', '10.7.3.1');
    const planted = attacker.cookies.get('hs_session')!;
    const victim = new Browser(app, '10.7.3.2');
    victim.cookies.set('hs_session', planted);
    expect((await victim.signIn(a.users.owner.email, FIXTURE_PASSWORD)).statusCode).toBe(200);
    expect(victim.cookies.get('hs_session')).not.toBe(planted);
    expect((await victim.get('/api/me')).json().user.role).toBe('owner');
    // The attacker's cookie never carries the owner's identity.
    const me = await attacker.get('/api/me');
    expect(me.statusCode === 401 || me.json().user.email === a.users.front_desk.email, me.body).toBe(true);
  });

  it('guessing the second factor is throttled like a password (429 with Retry-After), and so is any spelling of the email', async () => {
    const person = a.users.supervisor;
    const browser = await signedIn('supervisor', '10.7.4.1');
    const secret = (await browser.post('/api/me/totp')).json().secret as string;
    const totp = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret), digits: 6, period: 30 });
    expect((await browser.post('/api/me/totp/confirm', { code: totp.generate() })).statusCode).toBe(204);
    const wrongCode = totp.generate() === '000000' ? '111111' : '000000';
    for (let i = 0; i < MAX_FAILURES_PER_ACCOUNT; i++) {
      // the right password, a wrong code, from a different address each time, the email spelt differently
      const spelling = i % 2 ? person.email.toUpperCase() : ` ${person.email} `;
      expect((await new Browser(app, `10.7.5.${i}`).signIn(spelling, FIXTURE_PASSWORD, wrongCode)).json().code).toBe('TOTP_INVALID');
    }
    const blocked = await new Browser(app, '10.7.6.1').signIn(person.email, FIXTURE_PASSWORD, totp.generate());
    expect(blocked.statusCode).toBe(429);
    expect(blocked.json().code).toBe('SIGN_IN_THROTTLED');
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    // An unknown account is throttled the same way, so the answer tells nobody which emails exist.
    for (let i = 0; i < MAX_FAILURES_PER_ACCOUNT; i++) await new Browser(app, `10.7.7.${i}`).signIn('nobody-here@example.test', 'wrong password here');
    const unknown = await new Browser(app, '10.7.8.1').signIn('nobody-here@example.test', 'wrong password here');
    expect({ status: unknown.statusCode, code: unknown.json().code, retry: Number(unknown.headers['retry-after']) > 0 }).toEqual({ status: 429, code: 'SIGN_IN_THROTTLED', retry: true });
  });
});
