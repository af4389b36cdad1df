import { describe, expect, it } from 'vitest';
import { Browser, createTestApp } from '../../../test/support/app.ts';

const owner = {
  practiceName: 'Harbor Counseling (synthetic)', timeZone: 'America/Los_Angeles',
  ownerName: 'Olivia Ortega', email: 'olivia.owner@example.test', password: 'a long synthetic passphrase',
};

describe('first-run practice setup', async () => {
  const { app, db } = await createTestApp();
  const browser = new Browser(app);

  it('refuses a bad setup and changes nothing', async () => {
    for (const body of [
      { ...owner, password: 'short' },
      { ...owner, timeZone: 'Mars/Olympus' },
      { ...owner, email: 'not-an-email' },
      { ...owner, extra: 'unknown field' },
      { ...owner, practiceName: 42 },
    ]) {
      const res = await browser.post('/api/setup', body);
      expect(res.statusCode).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json().code).toBe('VALIDATION_FAILED');
    }
    expect((await browser.get('/api/setup')).json()).toEqual({ setupRequired: true });
    expect(await db.selectFrom('practices').selectAll().execute()).toHaveLength(0);
  });

  let winner = owner;
  it('sets the practice up once: of two racing setups exactly one wins', async () => {
    const rival = { ...owner, email: 'someone.else@example.test', ownerName: 'Olivia Rival', practiceName: 'Other' };
    const [a, b] = await Promise.all([browser.post('/api/setup', owner), browser.post('/api/setup', rival)]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([201, 409]);
    if (b.statusCode === 201) winner = rival;
    expect([a, b].find((r) => r.statusCode === 409)!.json().code).toBe('SETUP_ALREADY_DONE');
    expect(await db.selectFrom('practices').selectAll().execute()).toHaveLength(1);
    expect((await browser.get('/api/setup')).json()).toEqual({ setupRequired: false });
  });

  it('refuses setup ever after, and the owner can sign in', async () => {
    const again = await browser.post('/api/setup', { ...owner, email: 'late@example.test' });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('SETUP_ALREADY_DONE');
    const signedIn = await browser.signIn(winner.email, winner.password);
    expect(signedIn.statusCode).toBe(200);
    expect(signedIn.json().user).toMatchObject({ role: 'owner', name: winner.ownerName });
    expect(signedIn.json().practice.timeZone).toBe('America/Los_Angeles');
  });

  it('records the setup on the new practice audit chain', async () => {
    const events = await db.selectFrom('audit_events').selectAll().where('action', '=', 'practice.setup').execute();
    expect(events).toHaveLength(1);
    expect(events[0]!.outcome).toBe('success');
  });
});
