import { describe, expect, it } from 'vitest';
import { ACTIONS, can, ROLES, type Action } from '../../src/domain/permissions.ts';
import { Browser, createTestApp } from '../support/app.ts';
import { createPractice, FIXTURE_PASSWORD, type FixturePractice } from '../support/fixtures.ts';

type Call = { method: 'GET' | 'POST' | 'PUT'; url: string; body?: unknown };

/** One real request per action; the walk fails if an action has no request here. */
const CALLS: Record<Action, (p: FixturePractice) => Call> = {
  'me.read': () => ({ method: 'GET', url: '/api/me' }),
  'me.totp.enroll': () => ({ method: 'POST', url: '/api/me/totp' }),
  'auth.sign_out': () => ({ method: 'POST', url: '/api/auth/sign-out' }),
  'users.list': () => ({ method: 'GET', url: '/api/users' }),
  'users.invite': () => ({ method: 'POST', url: '/api/users/invites', body: { email: `walk-${Math.random()}@example.test`, name: 'Walk', role: 'clinician' } }),
  'users.supervisees.update': (p) => ({ method: 'PUT', url: `/api/users/${p.users.supervisor.id}/supervisees`, body: { clinicianIds: [p.users.clinician.id] } }),
  'practice.security.update': () => ({ method: 'PUT', url: '/api/practice/security', body: { requireTotp: false } }),
  'audit.browse': () => ({ method: 'GET', url: '/api/audit/events' }),
  'audit.verify': () => ({ method: 'GET', url: '/api/audit/verify' }),
};

describe('every role through every action, over HTTP', async () => {
  const { app, db } = await createTestApp();
  const practice = await createPractice(db);
  const other = await createPractice(db, 'Other');

  it('has a request for every action', () => {
    expect(Object.keys(CALLS).sort()).toEqual([...ACTIONS].sort());
  });

  for (const role of ROLES) {
    it(`${role}: allowed actions succeed, the rest are refused with 403 and audited`, async () => {
      const refused: string[] = [];
      for (const action of ACTIONS) {
        const browser = new Browser(app);
        await browser.signIn(practice.users[role].email, FIXTURE_PASSWORD);
        const call = CALLS[action](practice);
        const res = await browser.request(call.method, call.url, call.body);
        if (can(action, { role, userId: practice.users[role].id, practiceId: practice.practiceId })) {
          expect(res.statusCode, `${role} ${action}`).toBeLessThan(300);
        } else {
          expect(res.statusCode, `${role} ${action}`).toBe(403);
          expect(res.json().code).toBe('FORBIDDEN');
          refused.push(action);
        }
      }
      const audited = await db.selectFrom('audit_events').select('action').where('practice_id', '=', practice.practiceId)
        .where('actor_user_id', '=', practice.users[role].id).where('outcome', '=', 'denied').execute();
      expect(audited.map((e) => e.action).sort()).toEqual(refused.sort());
    });
  }

  it("an admin cannot reach another practice's people by their ids", async () => {
    const admin = new Browser(app);
    await admin.signIn(practice.users.admin.email, FIXTURE_PASSWORD);
    const res = await admin.put(`/api/users/${other.users.supervisor.id}/supervisees`, { clinicianIds: [other.users.clinician.id] });
    expect(res.statusCode).toBe(404);
    const users = (await admin.get('/api/users')).json().users as { id: string }[];
    expect(users.some((u) => Object.values(other.users).some((o) => o.id === u.id))).toBe(false);
  });

  it('without signing in, every action is refused with 401', async () => {
    for (const action of ACTIONS) {
      const call = CALLS[action](practice);
      const res = await new Browser(app).request(call.method, call.url, call.body);
      expect(res.statusCode, action).toBe(401);
    }
  });
});
