import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestApp, listen, openLiveStream, signedIn } from '../../../test/support/app.ts';
import { createClient, createPractice, type FixturePractice } from '../../../test/support/fixtures.ts';
import { emptySafetyPlan } from '../../domain/safety-plan.ts';

describe('break-glass: emergency access outside the care team', async () => {
  const { app, db } = await createTestApp();
  const base = await listen(app);
  const practice = await createPractice(db);
  const client = await createClient(db, practice, { name: 'Casey Morgan' });

  /** Another clinician of the practice, not on the client's care team. */
  async function addClinician(p: FixturePractice, name: string) {
    const id = randomUUID();
    const email = `bg-${id}@example.test`;
    const hash = (await db.selectFrom('users').select('password_hash').where('id', '=', p.users.clinician.id).executeTakeFirstOrThrow()).password_hash;
    await db.insertInto('users').values({ practice_id: p.practiceId, id, email, name, role: 'clinician', password_hash: hash }).execute();
    return { id, email, name };
  }
  const onCall = await addClinician(practice, 'Dr. Ravi Okafor');
  const onCallBrowser = await signedIn(app, onCall);
  const url = `/api/clients/${client.id}/break-glass`;
  const grants = () => db.selectFrom('break_glass_grants').selectAll().where('practice_id', '=', practice.practiceId).execute();

  // The care team writes a safety plan first (encrypted at rest).
  const assigned = await signedIn(app, practice.users.clinician);
  expect((await assigned.put(`/api/clients/${client.id}/safety-plan`, {
    content: { ...emptySafetyPlan(), warningSigns: ['Stops answering texts'] }, basedOnVersion: null,
  })).statusCode).toBe(201);

  it('without a grant the record is not found; a reason is required and nothing is granted without one', async () => {
    expect((await onCallBrowser.get(`/api/clients/${client.id}`)).statusCode).toBe(404);
    expect((await onCallBrowser.get(url)).statusCode).toBe(404);
    for (const body of [{}, { reason: '' }, { reason: 'urgent' }, { reason: '          ' }, { reason: 'x'.repeat(2001) }, { reason: 'A real reason here', extra: 1 }]) {
      const res = await onCallBrowser.post(url, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().code).toBe('VALIDATION_FAILED');
    }
    expect(await grants()).toEqual([]);
  });

  it('grants time-limited read access, audited with the reason; the assigned clinician and their supervisor are told, live too', async () => {
    const clinicianStream = await openLiveStream(base, assigned);
    const supervisorStream = await openLiveStream(base, await signedIn(app, practice.users.supervisor));
    try {
      const reason = 'Client called the after-hours line in crisis; Dr. Lin is unreachable.';
      const res = await onCallBrowser.post(url, { reason });
      expect(res.statusCode, res.body).toBe(201);
      const { grant } = res.json();
      expect(grant).toMatchObject({ clientId: client.id, reason });
      const minutes = (Date.parse(grant.expiresAt) - Date.parse(grant.grantedAt)) / 60_000;
      expect(minutes).toBe(60);

      const [row] = await grants();
      expect(row).toMatchObject({ id: grant.id, user_id: onCall.id, client_id: client.id, reason });
      const audit = await db.selectFrom('audit_events').selectAll().where('practice_id', '=', practice.practiceId)
        .where('action', '=', 'client.break_glass').where('outcome', '=', 'success').execute();
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({ actor_user_id: onCall.id, client_id: client.id });
      expect(detailOf(audit[0]!.detail)).toMatchObject({ grantId: grant.id, reason });

      for (const [person, stream] of [[practice.users.clinician, clinicianStream], [practice.users.supervisor, supervisorStream]] as const) {
        const notes = (await (await signedIn(app, person)).get('/api/notifications')).json().notifications as { kind: string; title: string; clientId: string }[];
        expect(notes.filter((n) => n.kind === 'break_glass')).toEqual([
          expect.objectContaining({ title: "Dr. Ravi Okafor used break-glass access to a client's record", clientId: client.id }),
        ]);
        expect(notes.find((n) => n.kind === 'break_glass')!.title).not.toContain('Casey');
        await stream.next('notification', (d) => d.kind === 'break_glass' && d.clientId === client.id);
      }
      // Nobody else was told (the front desk, the owner, the clinician who broke the glass).
      const told = await db.selectFrom('notifications').select('user_id').where('practice_id', '=', practice.practiceId).where('kind', '=', 'break_glass').execute();
      expect(told.map((t) => t.user_id).sort()).toEqual([practice.users.clinician.id, practice.users.supervisor.id].sort());
    } finally {
      clinicianStream.close();
      supervisorStream.close();
    }
  });

  it('while the grant lasts: reads succeed and each is audited as a break-glass read; the record cannot be changed', async () => {
    const before = await breakGlassReads();
    const record = await onCallBrowser.get(`/api/clients/${client.id}`);
    expect(record.statusCode, record.body).toBe(200);
    const plan = await onCallBrowser.get(`/api/clients/${client.id}/safety-plan`);
    expect(plan.statusCode).toBe(200);
    expect(plan.json().current.content.warningSigns).toEqual(['Stops answering texts']);
    const reads = await breakGlassReads();
    expect(reads.length - before.length).toBe(2);
    expect(reads.slice(before.length).map((r) => detailOf(r.detail).as)).toEqual(['client.read', 'client.read']);
    expect(reads.every((r) => r.actor_user_id === onCall.id && r.client_id === client.id)).toBe(true);
    // The ordinary read events are there too.
    const ordinary = await db.selectFrom('audit_events').select('action').where('practice_id', '=', practice.practiceId)
      .where('actor_user_id', '=', onCall.id).where('action', '=', 'client.read').where('outcome', '=', 'success').execute();
    expect(ordinary.length).toBeGreaterThanOrEqual(2);
    expect((await onCallBrowser.get(url)).json().grant.clientId).toBe(client.id);

    // Read-only: no changes to the plan, the record or the care team.
    expect((await onCallBrowser.put(`/api/clients/${client.id}/safety-plan`, { content: emptySafetyPlan(), basedOnVersion: 1 })).statusCode).toBe(404);
    expect((await onCallBrowser.post(`/api/clients/${client.id}/reflections`, { id: randomUUID(), body: 'Not allowed here.' })).statusCode).toBe(404);
    const careTeam = await db.selectFrom('client_clinicians').select('clinician_id').where('client_id', '=', client.id).execute();
    expect(careTeam.map((c) => c.clinician_id)).toEqual([practice.users.clinician.id]);
    expect(await db.selectFrom('safety_plans').select('version').where('client_id', '=', client.id).execute()).toHaveLength(1);
  });

  it('once expired, the record is not found again', async () => {
    await sql`update break_glass_grants set granted_at = now() - interval '2 hours', expires_at = now() - interval '1 minute'
      where practice_id = ${practice.practiceId} and user_id = ${onCall.id}`.execute(db);
    expect((await onCallBrowser.get(`/api/clients/${client.id}`)).statusCode).toBe(404);
    expect((await onCallBrowser.get(`/api/clients/${client.id}/safety-plan`)).statusCode).toBe(404);
    expect((await onCallBrowser.get(url)).statusCode).toBe(404);
    const denied = await db.selectFrom('audit_events').select('detail').where('practice_id', '=', practice.practiceId)
      .where('actor_user_id', '=', onCall.id).where('action', '=', 'client.read').where('outcome', '=', 'denied').execute();
    expect(detailOf(denied.at(-1)!.detail)).toMatchObject({ reason: 'not_on_care_team' });
  });

  it('the front desk and administrators cannot break the glass; the care team need not', async () => {
    for (const role of ['front_desk', 'admin', 'owner'] as const) {
      const res = await (await signedIn(app, practice.users[role])).post(url, { reason: 'I need to see this record now.' });
      expect(res.statusCode, role).toBe(404);
    }
    const own = await assigned.post(url, { reason: 'I am already on the care team.' });
    expect(own.statusCode).toBe(200);
    expect(own.json()).toEqual({ grant: null, onCareTeam: true });
    expect((await grants()).map((g) => g.user_id)).toEqual([onCall.id]);
    const denied = await db.selectFrom('audit_events').select(['actor_role']).where('practice_id', '=', practice.practiceId)
      .where('action', '=', 'client.break_glass').where('outcome', '=', 'denied').execute();
    expect(denied.map((d) => d.actor_role).sort()).toEqual(['admin', 'front_desk', 'owner']);
  });

  it("a clinician of another practice cannot reach this practice's client, and no grant is made", async () => {
    const other = await createPractice(db, 'Other');
    const outsider = await signedIn(app, other.users.clinician);
    const res = await outsider.post(url, { reason: 'Trying to reach a client of another practice.' });
    expect(res.statusCode).toBe(404);
    expect((await outsider.get(`/api/clients/${client.id}`)).statusCode).toBe(404);
    expect(await db.selectFrom('break_glass_grants').select('id').where('practice_id', '=', other.practiceId).execute()).toEqual([]);
    expect((await grants()).map((g) => g.user_id)).toEqual([onCall.id]);
    // A client id that does not exist at all: the same answer.
    expect((await onCallBrowser.post(`/api/clients/${randomUUID()}/break-glass`, { reason: 'No such client exists here.' })).statusCode).toBe(404);
  });

  // audit_events.detail is stored as JSON text.
  function detailOf(detail: unknown): Record<string, unknown> {
    return typeof detail === 'string' ? JSON.parse(detail) as Record<string, unknown> : detail as Record<string, unknown>;
  }

  async function breakGlassReads() {
    return db.selectFrom('audit_events').selectAll().where('practice_id', '=', practice.practiceId)
      .where('action', '=', 'client.break_glass.read').orderBy('seq').execute();
  }
});

describe("break-glass beyond the record: the client's incidents, reports and follow-ups, read-only", async () => {
  const { app, db } = await createTestApp();
  const practice = await createPractice(db);
  const client = await createClient(db, practice, { name: 'Avery Quinn' });
  const team = await signedIn(app, practice.users.clinician);

  // The care team's record of a walkout: an incident with a signed report, a follow-up, a reflection.
  const incidentId = randomUUID();
  const runId = randomUUID();
  expect((await team.post('/api/incidents', { id: incidentId, runId, clientId: client.id, protocolKey: 'client-walks-out' })).statusCode).toBe(201);
  expect((await team.post(`/api/incidents/${incidentId}/notes`, { text: 'Avery left mid-session; called twice.' })).statusCode).toBe(201);
  expect((await team.put(`/api/incidents/${incidentId}/report`, {
    basedOnVersion: 0, whatHappened: 'Avery walked out of the session.', riskLevel: 'low', riskJustification: 'No plan or intent stated.', mitigationPlan: 'Call back tonight.',
  })).statusCode).toBe(200);
  expect((await team.post(`/api/incidents/${incidentId}/report/sign`, { version: 1 })).statusCode).toBe(200);
  const followUpId = randomUUID();
  expect((await team.post(`/api/clients/${client.id}/follow-ups`, { id: followUpId, title: 'Call Avery back', dueAt: '2031-03-04T23:00:00Z' })).statusCode).toBe(201);
  const reflectionId = randomUUID();
  expect((await team.post(`/api/clients/${client.id}/reflections`, { id: reflectionId, body: 'My own unease after the session.' })).statusCode).toBe(201);

  const onCall = await addClinician(db, practice, 'Dr. Sam Iyer');
  const reader = await signedIn(app, onCall);
  const reads = [
    ['incident', `/api/incidents/${incidentId}`],
    ['incident_report', `/api/incidents/${incidentId}/report`],
    ['incident_report', `/api/incidents/${incidentId}/report.pdf`],
    ['client', `/api/clients/${client.id}/disclosures`],
    ['client_incidents', `/api/clients/${client.id}/incidents`],
    ['follow_up', `/api/follow-ups/${followUpId}`],
    ['agenda', `/api/clients/${client.id}/agenda`],
    ['client', `/api/clients/${client.id}/messages`],
  ] as const;

  it('without a grant, none of it opens', async () => {
    for (const [, url] of reads) expect((await reader.get(url)).statusCode, url).toBe(404);
  });

  it('under a grant each read answers, audited as a break-glass read naming the grant and what was read', async () => {
    const { grant } = (await reader.post(`/api/clients/${client.id}/break-glass`, { reason: 'Avery called the crisis line; Dr. Lin is on a flight.' })).json();
    for (const [type, url] of reads) {
      const before = await breakGlassReads(db, practice.practiceId);
      const res = await reader.get(url);
      expect(res.statusCode, `${url}: ${res.body.slice(0, 200)}`).toBe(200);
      const after = await breakGlassReads(db, practice.practiceId);
      const made = after.slice(before.length);
      expect(made.length, url).toBeGreaterThanOrEqual(1);
      expect(made.some((e) => e.resource_type === type), url).toBe(true);
      expect(made.every((e) => e.actor_user_id === onCall.id && e.client_id === client.id && detailOf(e.detail).grantId === grant.id), url).toBe(true);
    }
    const incident = (await reader.get(`/api/incidents/${incidentId}`)).json();
    expect(incident.viewer).toEqual({ canAct: false, canNote: false, breakGlass: true });
    expect(incident.timeline.map((t: { what: string }) => t.what)).toContain('Avery left mid-session; called twice.');
    expect(incident.emergencyContacts).toEqual([]);
    const report = (await reader.get(`/api/incidents/${incidentId}/report`)).json();
    expect(report.fields.whatHappened).toBe('Avery walked out of the session.');
    expect(report.viewer).toEqual({ canEdit: false, canSign: false, canAddAddendum: false, canCosign: false, canClose: false });
    expect((await reader.get(`/api/follow-ups/${followUpId}`)).json().followUp.title).toBe('Call Avery back');
    expect((await reader.get(`/api/clients/${client.id}/incidents`)).json().incidents.map((i: { id: string }) => i.id)).toEqual([incidentId]);
    const seen = await db.selectFrom('audit_events').select('detail').where('practice_id', '=', practice.practiceId)
      .where('actor_user_id', '=', onCall.id).where('action', '=', 'incident.read').where('outcome', '=', 'success').execute();
    expect(seen.map((e) => detailOf(e.detail))).toContainEqual(expect.objectContaining({ as: 'break_glass', grantId: grant.id }));
  });

  it('under a grant every write is refused as not found, and nothing changes', async () => {
    const counts = () => Promise.all([
      db.selectFrom('incident_timeline').select('seq').where('practice_id', '=', practice.practiceId).where('incident_id', '=', incidentId).execute(),
      db.selectFrom('incident_report_addenda').select('id').where('practice_id', '=', practice.practiceId).where('incident_id', '=', incidentId).execute(),
      db.selectFrom('pages').select('id').where('practice_id', '=', practice.practiceId).where('incident_id', '=', incidentId).execute(),
      db.selectFrom('follow_up_tasks').select(['id', 'due_at', 'status']).where('practice_id', '=', practice.practiceId).where('client_id', '=', client.id).execute(),
      db.selectFrom('follow_up_attempts').select('id').where('practice_id', '=', practice.practiceId).execute(),
      db.selectFrom('agenda_items').select('id').where('practice_id', '=', practice.practiceId).execute(),
      db.selectFrom('incidents').select(['status']).where('practice_id', '=', practice.practiceId).execute(),
    ].map((q) => q.then((rows) => JSON.stringify(rows))));
    const before = await counts();
    const writes = [
      ['POST', `/api/incidents/${incidentId}/notes`, { text: 'A note under break-glass.' }],
      ['POST', `/api/incidents/${incidentId}/runs/${runId}/events`, { id: randomUUID(), action: { type: 'complete' } }],
      ['POST', `/api/incidents/${incidentId}/pages`, { reason: 'Help under break-glass' }],
      ['POST', `/api/incidents/${incidentId}/close`, undefined],
      ['POST', `/api/incidents/${incidentId}/report/addenda`, { text: 'An addendum under break-glass.' }],
      ['POST', `/api/follow-ups/${followUpId}/attempts`, { id: randomUUID(), channel: 'voice', outcome: 'reached' }],
      ['PATCH', `/api/follow-ups/${followUpId}`, { dueAt: '2031-03-05T23:00:00Z' }],
      ['POST', `/api/follow-ups/${followUpId}/complete`, { note: 'Done under break-glass.' }],
      ['POST', `/api/clients/${client.id}/follow-ups`, { id: randomUUID(), title: 'Another call', dueAt: '2031-03-04T23:00:00Z' }],
      ['POST', `/api/clients/${client.id}/agenda`, { id: randomUUID(), text: 'Talk about the walkout' }],
    ] as const;
    for (const [method, url, body] of writes) {
      const res = await reader.request(method, url, body);
      expect(res.statusCode, `${method} ${url}: ${res.body.slice(0, 200)}`).toBe(404);
    }
    expect(await counts()).toEqual(before);
  });

  it("a clinician's own emergency is not the client's record: not listed, not opened under the grant", async () => {
    const ownId = randomUUID();
    const opened = await team.post('/api/incidents', { id: ownId, runId: randomUUID(), clientId: client.id, protocolKey: 'clinician-emergency' });
    expect(opened.statusCode, opened.body).toBe(201);
    expect((await team.get(`/api/clients/${client.id}/incidents`)).json().incidents.map((i: { id: string }) => i.id)).toContain(ownId);
    expect((await reader.get(`/api/clients/${client.id}/incidents`)).json().incidents.map((i: { id: string }) => i.id)).toEqual([incidentId]);
    expect((await reader.get(`/api/incidents/${ownId}`)).statusCode).toBe(404);
    expect((await reader.get(`/api/incidents/${ownId}/report`)).statusCode).toBe(404);
  });

  it('psychotherapy notes are never read under break-glass', async () => {
    expect((await reader.get(`/api/clients/${client.id}/reflections`)).statusCode).toBe(404);
    expect((await reader.get(`/api/reflections/${reflectionId}`)).statusCode).toBe(404);
    expect((await reader.post(`/api/clients/${client.id}/reflections`, { id: randomUUID(), body: 'Not mine to write.' })).statusCode).toBe(404);
    expect((await db.selectFrom('reflection_notes').select('id').where('client_id', '=', client.id).execute()).map((r) => r.id)).toEqual([reflectionId]);
  });

  it('once the grant has expired, the incidents, reports and follow-ups are closed again', async () => {
    await sql`update break_glass_grants set granted_at = now() - interval '2 hours', expires_at = now() - interval '1 second'
      where practice_id = ${practice.practiceId} and user_id = ${onCall.id}`.execute(db);
    const before = await breakGlassReads(db, practice.practiceId);
    for (const [, url] of reads) expect((await reader.get(url)).statusCode, url).toBe(404);
    expect(await breakGlassReads(db, practice.practiceId)).toHaveLength(before.length);
  });
});

/** Another clinician of the practice, not on any client's care team. */
async function addClinician(db: Awaited<ReturnType<typeof createTestApp>>['db'], p: FixturePractice, name: string) {
  const id = randomUUID();
  const email = `bg-${id}@example.test`;
  const hash = (await db.selectFrom('users').select('password_hash').where('id', '=', p.users.clinician.id).executeTakeFirstOrThrow()).password_hash;
  await db.insertInto('users').values({ practice_id: p.practiceId, id, email, name, role: 'clinician', password_hash: hash }).execute();
  return { id, email, name };
}

function breakGlassReads(db: Awaited<ReturnType<typeof createTestApp>>['db'], practiceId: string) {
  return db.selectFrom('audit_events').selectAll().where('practice_id', '=', practiceId).where('action', '=', 'client.break_glass.read').orderBy('seq').execute();
}

function detailOf(detail: unknown): Record<string, unknown> {
  return typeof detail === 'string' ? JSON.parse(detail) as Record<string, unknown> : detail as Record<string, unknown>;
}
