import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Browser, createTestApp, listen, openLiveStream, signedIn } from '../../../test/support/app.ts';
import { createClient, createPractice, type FixturePractice } from '../../../test/support/fixtures.ts';
import { sha256 } from '../auth/auth.service.ts';
import { STANDBY_COOKIE, STANDBY_HOURS } from './standby.service.ts';

const { app, db } = await createTestApp();
const base = await listen(app);

/** The session of a browser ends as after the idle timeout: its row says it was last seen long ago. */
async function idleOut(browser: Browser) {
  const tokenHash = sha256(browser.cookies.get('hs_session')!);
  await db.updateTable('auth_sessions').set({ last_seen_at: new Date(Date.now() - 6 * 3_600_000) }).where('token_hash', '=', tokenHash).execute();
}

/** What a browser still holds after its session ended: the standby cookie alone. */
function standbyOnly(browser: Browser): Browser {
  const left = new Browser(app);
  left.cookies.set(STANDBY_COOKIE, browser.cookies.get(STANDBY_COOKIE)!);
  return left;
}

async function openIncident(practice: FixturePractice, clientId: string) {
  const clinician = await signedIn(app, practice.users.clinician);
  const res = await clinician.post('/api/incidents', { id: randomUUID(), runId: randomUUID(), clientId, protocolKey: 'imminent-risk-to-self' });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; pageId: string };
}

describe('pager standby', () => {
  it('is given at sign-in to whoever can be paged, lasts 12 hours, and is audited; asked again within half an hour it stands unchanged; the front desk and admins get none', async () => {
    const practice = await createPractice(db, 'Standby given');
    const supervisor = await signedIn(app, practice.users.supervisor);
    const res = await supervisor.post('/api/pager/standby');
    expect(res.statusCode, res.body).toBe(200);
    const until = new Date(res.json().until).getTime();
    expect(Math.abs(until - (Date.now() + STANDBY_HOURS * 3_600_000))).toBeLessThan(60_000);
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(new RegExp(`${STANDBY_COOKIE}=[A-Za-z0-9_-]{43};`));
    expect(cookie).toMatch(/Path=\/api;/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    // Only the token's hash is stored.
    const stored = await db.selectFrom('pager_standby').select('token_hash').where('user_id', '=', practice.users.supervisor.id).execute();
    expect(stored).toHaveLength(1);
    expect(stored[0]!.token_hash).not.toBe(supervisor.cookies.get(STANDBY_COOKIE));
    const audited = () => db.selectFrom('audit_events').select(['actor_user_id', 'outcome']).where('practice_id', '=', practice.practiceId)
      .where('action', '=', 'pager.standby').where('actor_user_id', '=', practice.users.supervisor.id).execute();
    expect(await audited()).toEqual([{ actor_user_id: practice.users.supervisor.id, outcome: 'success' }]);

    // Asked again within half an hour (the app loaded again): the same standby, nothing written or audited.
    const token = supervisor.cookies.get(STANDBY_COOKIE);
    const again = await supervisor.post('/api/pager/standby');
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json().until).toBe(res.json().until);
    expect(supervisor.cookies.get(STANDBY_COOKIE)).toBe(token);
    expect(await audited()).toHaveLength(1);

    for (const role of ['owner', 'clinician'] as const) {
      expect((await (await signedIn(app, practice.users[role])).post('/api/pager/standby')).statusCode).toBe(200);
    }
    for (const role of ['front_desk', 'admin'] as const) {
      const refused = await (await signedIn(app, practice.users[role])).post('/api/pager/standby');
      expect(refused.statusCode).toBe(403);
      expect(refused.json().code).toBe('FORBIDDEN');
    }
    // An hour on, asking renews it: a new token replaces this browser's standby, and the old one no longer opens the stream.
    await db.updateTable('pager_standby').set({ expires_at: new Date(Date.now() + STANDBY_HOURS * 3_600_000 - 3_600_000 - 60_000) })
      .where('user_id', '=', practice.users.supervisor.id).execute();
    const before = standbyOnly(supervisor);
    const renewed = await supervisor.post('/api/pager/standby');
    expect(renewed.statusCode).toBe(200);
    expect(new Date(renewed.json().until).getTime()).toBeGreaterThan(until);
    expect(supervisor.cookies.get(STANDBY_COOKIE)).not.toBe(token);
    expect((await before.get('/api/pager/stream')).json().code).toBe('STANDBY_ENDED');
    expect(await db.selectFrom('pager_standby').select('token_hash').where('user_id', '=', practice.users.supervisor.id).execute()).toHaveLength(1);
    expect(await audited()).toHaveLength(2);
  });

  it("after the idle timeout, the sign-in screen still hears the page, and nothing about the client; a colleague not paged hears nothing", async () => {
    const practice = await createPractice(db, 'Standby heard');
    const client = await createClient(db, practice, { name: 'Riley Standbytest' });
    const supervisor = await signedIn(app, practice.users.supervisor);
    expect((await supervisor.post('/api/pager/standby')).statusCode).toBe(200);
    const owner = await signedIn(app, practice.users.owner);
    expect((await owner.post('/api/pager/standby')).statusCode).toBe(200);

    await idleOut(supervisor);
    expect((await supervisor.get('/api/me')).json().code).toBe('SESSION_EXPIRED');
    const stream = await openLiveStream(base, standbyOnly(supervisor), '/api/pager/stream');
    const ownerStream = await openLiveStream(base, standbyOnly(owner), '/api/pager/stream');
    try {
      const ready = await stream.next('ready');
      expect(ready.data).toEqual({ until: expect.any(String), name: 'Test supervisor' });

      const incident = await openIncident(practice, client.id);
      const paged = await stream.next('paged');
      expect(paged.data).toEqual({ pageId: incident.pageId, at: expect.any(String) });
      const heard = JSON.stringify(stream.events);
      expect(heard).not.toContain('Riley');
      expect(heard).not.toContain(incident.id);
      expect(heard).not.toMatch(/risk|suicid|imminent|Test clinician/i);
      // The owner is the last level: not paged yet.
      await ownerStream.next('ready');
      expect(ownerStream.events.map((e) => e.type)).toEqual(['ready']);
    } finally {
      stream.close();
      ownerStream.close();
    }

    // Opened while the page still waits (the screen was reloading): told at once.
    const again = await openLiveStream(base, standbyOnly(supervisor), '/api/pager/stream');
    try {
      expect((await again.next('paged')).data.pageId).toBe(
        (await db.selectFrom('pages').select('id').where('practice_id', '=', practice.practiceId).executeTakeFirstOrThrow()).id);
    } finally {
      again.close();
    }
    // The standby reads nothing else: not the page, not the client, not the live stream.
    const only = standbyOnly(supervisor);
    for (const url of ['/api/pages', `/api/clients/${client.id}`, '/api/live?probe=1', '/api/me']) {
      expect((await only.get(url)).statusCode).toBe(401);
    }
  });

  it('once the page is acknowledged, a new standby stream is quiet', async () => {
    const practice = await createPractice(db, 'Standby quiet');
    const client = await createClient(db, practice);
    const supervisor = await signedIn(app, practice.users.supervisor);
    expect((await supervisor.post('/api/pager/standby')).statusCode).toBe(200);
    const incident = await openIncident(practice, client.id);
    expect((await supervisor.post(`/api/pages/${incident.pageId}/acknowledge`)).statusCode).toBe(200);
    const stream = await openLiveStream(base, standbyOnly(supervisor), '/api/pager/stream');
    try {
      await stream.next('ready');
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(stream.events.map((e) => e.type)).toEqual(['ready']);
    } finally {
      stream.close();
    }
  });

  it('ends when stopped from the sign-in screen, at an explicit sign-out, when it lapses or the person is deactivated; never without its cookie', async () => {
    const practice = await createPractice(db, 'Standby ended');
    const ended = async (browser: Browser) => {
      const res = await browser.get('/api/pager/stream');
      expect(res.statusCode).toBe(401);
      expect(res.headers['content-type']).toContain('application/problem+json');
      return res.json().code as string;
    };
    expect(await ended(new Browser(app))).toBe('STANDBY_ENDED');
    const stranger = new Browser(app);
    stranger.cookies.set(STANDBY_COOKIE, 'not-a-standby-token');
    expect(await ended(stranger)).toBe('STANDBY_ENDED');

    // Stopped from the sign-in screen: no session needed.
    const supervisor = await signedIn(app, practice.users.supervisor);
    await supervisor.post('/api/pager/standby');
    const screen = standbyOnly(supervisor);
    const stopped = await screen.post('/api/pager/standby/stop');
    expect(stopped.statusCode).toBe(204);
    expect(screen.cookies.has(STANDBY_COOKIE)).toBe(false);
    expect(await ended(standbyOnly(supervisor))).toBe('STANDBY_ENDED');

    // An explicit sign-out ends it (an idle timeout does not: the test above).
    await supervisor.post('/api/pager/standby');
    const kept = standbyOnly(supervisor);
    expect((await supervisor.post('/api/auth/sign-out')).statusCode).toBe(204);
    expect(await ended(kept)).toBe('STANDBY_ENDED');

    // It lapses after its 12 hours.
    const owner = await signedIn(app, practice.users.owner);
    await owner.post('/api/pager/standby');
    await db.updateTable('pager_standby').set({ expires_at: new Date(Date.now() - 1000) }).where('user_id', '=', practice.users.owner.id).execute();
    expect(await ended(standbyOnly(owner))).toBe('STANDBY_ENDED');

    // A person deactivated stops standing by at once.
    const clinician = await signedIn(app, practice.users.clinician);
    await clinician.post('/api/pager/standby');
    await db.updateTable('users').set({ active: false }).where('id', '=', practice.users.clinician.id).execute();
    expect(await ended(standbyOnly(clinician))).toBe('STANDBY_ENDED');

    const audited = await db.selectFrom('audit_events').select(['action', 'detail']).where('practice_id', '=', practice.practiceId)
      .where('action', '=', 'pager.standby_end').orderBy('seq').execute();
    expect(audited.map((a) => (JSON.parse(String(a.detail)) as { why: string }).why)).toEqual(['stopped', 'signed_out']);
  });
});
