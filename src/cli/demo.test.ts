import { describe, expect, it } from 'vitest';
import { Browser, createTestApp } from '../../test/support/app.ts';
import { DEMO_PASSWORD, DEMO_PEOPLE, seedDemoPractice } from './demo-seed.ts';

describe('the demo practice', async () => {
  const { app, db } = await createTestApp();

  it('seeds people in every role, who can sign in, with the supervisor over the clinicians', async () => {
    await seedDemoPractice(db);
    const supervisor = DEMO_PEOPLE.find((p) => p.role === 'supervisor')!;
    const owner = new Browser(app);
    expect((await owner.signIn(DEMO_PEOPLE[0]!.email, DEMO_PASSWORD)).statusCode).toBe(200);
    const users = (await owner.get('/api/users')).json().users as { email: string; role: string; superviseeIds: string[] }[];
    expect(users.map((u) => u.email).sort()).toEqual(DEMO_PEOPLE.map((p) => p.email).sort());
    expect(users.find((u) => u.email === supervisor.email)!.superviseeIds).toHaveLength(DEMO_PEOPLE.filter((p) => p.role === 'clinician').length);
    expect((await new Browser(app).signIn(supervisor.email, DEMO_PASSWORD)).statusCode).toBe(200);
  });
});
