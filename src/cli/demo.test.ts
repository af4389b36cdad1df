import { describe, expect, it } from 'vitest';
import { Browser, createTestApp } from '../../test/support/app.ts';
import { DEMO_PASSWORD, DEMO_PEOPLE, DEMO_TIME_ZONE, seedDemoPractice } from './demo-seed.ts';
import { DEMO_CLIENTS } from './demo-clients.ts';
import { localDate } from '../domain/zoned-time.ts';

describe('the demo practice', async () => {
  const { app, db } = await createTestApp();

  it('seeds people in every role, who can sign in, with the supervisor over the clinicians', async () => {
    await seedDemoPractice(db);
    const supervisor = DEMO_PEOPLE.find((p) => p.role === 'supervisor')!;
    const owner = new Browser(app);
    expect((await owner.signIn(DEMO_PEOPLE[0]!.email, DEMO_PASSWORD)).statusCode).toBe(200);
    const users = (await owner.get('/api/users')).json().users as { email: string; role: string; superviseeIds: string[] }[];
    expect(users.map((u) => u.email).sort()).toEqual(DEMO_PEOPLE.map((p) => p.email).sort());
    expect(DEMO_CLIENTS.length).toBeGreaterThanOrEqual(20);
    expect(users.find((u) => u.email === supervisor.email)!.superviseeIds).toHaveLength(DEMO_PEOPLE.filter((p) => p.role === 'clinician').length);
    expect((await new Browser(app).signIn(supervisor.email, DEMO_PASSWORD)).statusCode).toBe(200);
  });

  it('gives Dr. Mei Lin a day of sessions and clients in varied states of readiness', async () => {
    const mei = new Browser(app);
    await mei.signIn('mei.lin@demo.holdspace.test', DEMO_PASSWORD);
    const day = (await mei.get(`/api/schedule/day?date=${localDate(new Date(), DEMO_TIME_ZONE)}`)).json();
    expect(day.appointments.map((a: { client: { name: string } }) => a.client.name)).toEqual(['Jordan Reyes', 'Riley Okafor', 'Sam Whitfield', 'Taylor Brooks']);
    const list = (await mei.get('/api/clients?limit=200')).json().clients as { name: string; riskLevel: string; readiness: { gaps: string[] } }[];
    expect(list).toHaveLength(DEMO_CLIENTS.filter((c) => c.clinician === 'mei').length);
    const gaps = new Set(list.flatMap((c) => c.readiness.gaps));
    for (const gap of ['no_safety_plan', 'no_emergency_contact', 'policy_missing', 'policy_outdated']) expect(gaps, gap).toContain(gap);
    expect(list.some((c) => c.riskLevel === 'high')).toBe(true);
    expect(list.find((c) => c.name === 'Jordan Reyes')!.readiness.gaps).toEqual([]);
    const total = (await new Browser(app).signIn('frontdesk@demo.holdspace.test', DEMO_PASSWORD)).statusCode;
    expect(total).toBe(200);
  });
});
