import { describe, expect, it } from 'vitest';
import { createTestApp, signedIn } from '../../../test/support/app.ts';
import { createClient, createPractice } from '../../../test/support/fixtures.ts';

describe('clients and their safety net', async () => {
  const { app, db } = await createTestApp();
  const practice = await createPractice(db);
  const other = await createPractice(db, 'Other');
  const as = (person: { email: string }) => signedIn(app, person);
  const mei = await as(practice.users.clinician); // the clinician
  const amara = await as(practice.users.supervisor); // supervises the clinician
  const owner = await as(practice.users.owner);
  const frontDesk = await as(practice.users.front_desk);
  let jordanId = '';

  it('a clinician adds a client, with a phone number stored in E.164, and is on the care team', async () => {
    const res = await mei.post('/api/clients', {
      legalName: 'Jordan Reyes', preferredName: null, pronouns: 'they/them', dateOfBirth: '1994-05-17',
      phone: '(415) 555-0142', email: 'jordan.reyes@example.test', address: '12 Example Street, Oakland, CA',
    });
    expect(res.statusCode).toBe(201);
    jordanId = res.json().id;
    const page = (await mei.get(`/api/clients/${jordanId}`)).json();
    expect(page.client).toMatchObject({ name: 'Jordan Reyes', phone: '+14155550142', dateOfBirth: '1994-05-17', riskLevel: 'unknown' });
    expect(page.careTeam.map((c: { id: string }) => c.id)).toEqual([practice.users.clinician.id]);
    expect(page.readiness.gaps).toEqual(['no_safety_plan', 'no_emergency_contact']);
  });

  it('records an emergency contact with consent, and a text channel with quiet hours', async () => {
    const contact = await mei.post(`/api/clients/${jordanId}/emergency-contacts`, {
      name: 'Ana Reyes', relationship: 'sister', phones: ['415-555-0199'], priority: 1,
      mayBeTold: 'That Jordan is safe or needs support; no session content.', consentScope: 'emergency', consentGivenOn: '2026-01-10',
    });
    expect(contact.statusCode).toBe(201);
    expect((await mei.put(`/api/clients/${jordanId}/channels/text`, { consent: 'given', decidedOn: '2026-01-10', quietHours: { start: '21:00', end: '08:00' }, mayLeaveMessage: true })).statusCode).toBe(204);
    expect((await mei.put(`/api/clients/${jordanId}/channels/voice`, { consent: 'refused', decidedOn: '2026-01-10', mayLeaveMessage: true })).statusCode).toBe(204);
    const page = (await mei.get(`/api/clients/${jordanId}`)).json();
    expect(page.emergencyContacts).toEqual([expect.objectContaining({ name: 'Ana Reyes', phones: ['+14155550199'], callableInEmergency: true, consentScope: 'emergency' })]);
    expect(page.channels).toEqual([
      { channel: 'text', consent: 'given', decidedOn: '2026-01-10', quietHours: { start: '21:00', end: '08:00' }, mayLeaveMessage: true },
      // no message may be left on a channel the client refused
      { channel: 'voice', consent: 'refused', decidedOn: '2026-01-10', quietHours: null, mayLeaveMessage: false },
    ]);
    expect(page.readiness.gaps).toEqual(['no_safety_plan']);
  });

  it('an expired consent no longer counts as a contact to call', async () => {
    const page = (await mei.get(`/api/clients/${jordanId}`)).json();
    const contactId = page.emergencyContacts[0].id;
    expect((await mei.request('PATCH', `/api/clients/${jordanId}/emergency-contacts/${contactId}`, { consentExpiresOn: '2026-02-01' })).statusCode).toBe(204);
    const after = (await mei.get(`/api/clients/${jordanId}`)).json();
    expect(after.emergencyContacts[0].callableInEmergency).toBe(false);
    expect(after.readiness.gaps).toContain('no_emergency_contact');
    expect((await mei.request('PATCH', `/api/clients/${jordanId}/emergency-contacts/${contactId}`, { consentExpiresOn: null })).statusCode).toBe(204);
  });

  it('keeps the risk history and shows the current level', async () => {
    expect((await mei.post(`/api/clients/${jordanId}/risk`, { level: 'low', justification: 'Passive thoughts last month, none now; strong supports.' })).statusCode).toBe(201);
    expect((await mei.post(`/api/clients/${jordanId}/risk`, { level: 'moderate', justification: 'Stressors increased; safety plan reviewed.' })).statusCode).toBe(201);
    const page = (await mei.get(`/api/clients/${jordanId}`)).json();
    expect(page.client.riskLevel).toBe('moderate');
    expect(page.riskHistory.map((r: { level: string }) => r.level)).toEqual(['moderate', 'low']);
    expect(page.riskHistory[0]).toMatchObject({ source: 'clinical_judgement', assessedByName: 'Test clinician' });
  });

  it("is open to the clinician's supervisor, and to no one else: every other role and practice gets 404", async () => {
    expect((await amara.get(`/api/clients/${jordanId}`)).statusCode).toBe(200);
    const outsider = await createClient(db, practice, { clinicianIds: [practice.users.supervisor.id] });
    // the supervisor's own client is not the clinician's
    expect((await mei.get(`/api/clients/${outsider.id}`)).statusCode).toBe(404);
    for (const browser of [owner, frontDesk, await as(practice.users.admin), await as(other.users.clinician), await as(other.users.owner)]) {
      const res = await browser.get(`/api/clients/${jordanId}`);
      expect(res.statusCode).toBe(404);
      expect(res.json().code).toBe('NOT_FOUND');
      expect((await browser.post(`/api/clients/${jordanId}/risk`, { level: 'high', justification: 'x' })).statusCode).toBe(404);
    }
    const refusals = await db.selectFrom('audit_events').select(['action', 'outcome']).where('practice_id', '=', practice.practiceId)
      .where('resource_id', 'in', [jordanId, outsider.id, `GET /api/clients/:clientId`]).where('outcome', '=', 'denied').execute();
    expect(refusals.length).toBeGreaterThanOrEqual(4);
    const client = await db.selectFrom('clients').select('risk_level').where('id', '=', jordanId).executeTakeFirstOrThrow();
    expect(client.risk_level).toBe('moderate');
  });

  it('audits every read and write of the client, naming the client', async () => {
    const events = await db.selectFrom('audit_events').select('action').where('practice_id', '=', practice.practiceId)
      .where('client_id', '=', jordanId).where('outcome', '=', 'success').execute();
    const actions = new Set(events.map((e) => e.action));
    for (const action of ['clients.create', 'client.read', 'client.contact.add', 'client.contact.update', 'client.channel.set', 'client.risk.record']) {
      expect(actions, action).toContain(action);
    }
  });

  it('refuses bad input with a problem that names the field, and writes nothing', async () => {
    const before = await db.selectFrom('clients').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    const badPhone = await mei.post('/api/clients', { legalName: 'Nobody Real', phone: '555' });
    expect(badPhone.statusCode).toBe(400);
    expect(badPhone.json().errors[0].path).toBe('body.phone');
    expect((await mei.post('/api/clients', { legalName: 'Nobody Real', email: 'not-an-email' })).statusCode).toBe(400);
    expect((await mei.post('/api/clients', { legalName: '', phone: null })).statusCode).toBe(400);
    expect((await mei.post('/api/clients', { legalName: 'x'.repeat(201) })).statusCode).toBe(400);
    expect((await mei.post('/api/clients', { legalName: 'Nobody Real', dateOfBirth: '1990-02-30' })).statusCode).toBe(400);
    // an admin adding a client must name its clinicians
    expect((await owner.post('/api/clients', { legalName: 'Nobody Real' })).statusCode).toBe(400);
    expect((await owner.post('/api/clients', { legalName: 'Nobody Real', clinicianIds: [other.users.clinician.id] })).statusCode).toBe(422);
    const after = await db.selectFrom('clients').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);

    const contacts = await db.selectFrom('emergency_contacts').selectAll().where('client_id', '=', jordanId).execute();
    expect((await mei.post(`/api/clients/${jordanId}/emergency-contacts`, { name: 'A', relationship: 'friend', phones: ['123'], priority: 1, consentScope: 'none' })).statusCode).toBe(400);
    expect((await mei.post(`/api/clients/${jordanId}/emergency-contacts`, { name: 'A', relationship: 'friend', phones: ['+14155550100'], priority: 1, consentScope: 'emergency' })).json().code).toBe('VALIDATION_FAILED');
    expect((await mei.put(`/api/clients/${jordanId}/channels/pigeon`, { consent: 'given', decidedOn: '2026-01-01' })).statusCode).toBe(400);
    expect((await mei.put(`/api/clients/${jordanId}/channels/text`, { consent: 'given', decidedOn: '2026-01-01', quietHours: { start: '25:00', end: '08:00' } })).statusCode).toBe(400);
    expect(await db.selectFrom('emergency_contacts').selectAll().where('client_id', '=', jordanId).execute()).toEqual(contacts);
  });

  it('lists a clinician their own clients with risk and readiness, and the front desk names only', async () => {
    const riley = await createClient(db, practice, { name: 'Riley Okafor' });
    await createClient(db, other, { name: 'Elsewhere Person' });
    const mine = (await mei.get('/api/clients')).json().clients as { id: string; name: string; riskLevel?: string; readiness?: unknown }[];
    expect(mine.map((c) => c.name)).toEqual(['Jordan Reyes', 'Riley Okafor']);
    expect(mine[0]).toMatchObject({ riskLevel: 'moderate', readiness: { gaps: ['no_safety_plan'] } });

    const directory = (await frontDesk.get('/api/clients')).json().clients as Record<string, unknown>[];
    expect(directory.map((c) => c.name)).toContain('Riley Okafor');
    expect(directory.map((c) => c.name)).not.toContain('Elsewhere Person');
    for (const row of directory) expect(Object.keys(row).sort()).toEqual(['archived', 'id', 'name']);
    expect(riley.id).toBeTruthy();
  });

  it('pages through the list by name and searches', async () => {
    for (const name of ['Alex Kim', 'Casey Morgan', 'Sam Whitfield', 'Taylor Brooks']) await createClient(db, practice, { name });
    const first = (await mei.get('/api/clients?limit=3')).json();
    expect(first.clients.map((c: { name: string }) => c.name)).toEqual(['Alex Kim', 'Casey Morgan', 'Jordan Reyes']);
    const second = (await mei.get(`/api/clients?limit=3&afterName=${encodeURIComponent(first.next.afterName)}&afterId=${first.next.afterId}`)).json();
    expect(second.clients.map((c: { name: string }) => c.name)).toEqual(['Riley Okafor', 'Sam Whitfield', 'Taylor Brooks']);
    expect((await mei.get('/api/clients?search=whit')).json().clients.map((c: { name: string }) => c.name)).toEqual(['Sam Whitfield']);
  });

  it('archives a client out of the list, and the supervisor can change the care team', async () => {
    expect((await owner.post(`/api/clients/${jordanId}/archive`, { archived: true })).statusCode).toBe(204);
    expect((await mei.get('/api/clients')).json().clients.map((c: { name: string }) => c.name)).not.toContain('Jordan Reyes');
    expect((await mei.get('/api/clients?includeArchived=true')).json().clients.map((c: { name: string }) => c.name)).toContain('Jordan Reyes');
    expect((await amara.put(`/api/clients/${jordanId}/clinicians`, { clinicianIds: [practice.users.supervisor.id] })).statusCode).toBe(204);
    expect((await mei.get(`/api/clients/${jordanId}`)).statusCode).toBe(404);
    expect((await amara.get(`/api/clients/${jordanId}`)).statusCode).toBe(200);
  });
});
