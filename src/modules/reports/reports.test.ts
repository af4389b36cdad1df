import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { insertUser, replaceSupervisees } from '../auth/auth.repository.ts';
import { hashPassword } from '../auth/auth.service.ts';
import { createTestApp, signedIn, type Browser } from '../../../test/support/app.ts';
import { createClient, createPractice, FIXTURE_PASSWORD } from '../../../test/support/fixtures.ts';
import { loadReportForExport } from './reports.service.ts';

const { app, db } = await createTestApp();

type Res = { statusCode: number; body: string; json(): any };
async function ok(res: Promise<Res>, status = 200) {
  const r = await res;
  expect(r.statusCode, r.body).toBe(status);
  return r.json();
}
async function refused(res: Promise<Res>, status: number, code: string) {
  const r = await res;
  expect(r.statusCode, r.body).toBe(status);
  expect(r.json().code).toBe(code);
}

async function openIncident(browser: Browser, clientId: string, protocolKey: string, extra: Record<string, unknown> = {}) {
  const ids = { id: randomUUID(), runId: randomUUID() };
  await ok(browser.post('/api/incidents', { ...ids, clientId, protocolKey, ...extra }), 201);
  const step = (action: Record<string, unknown>, more: Record<string, unknown> = {}) =>
    ok(browser.post(`/api/incidents/${ids.id}/runs/${ids.runId}/events`, { id: randomUUID(), action, ...more }));
  return { incidentId: ids.id, step };
}

/** Everything a report has written, to show that a refused request changed nothing. */
async function reportRows(incidentId: string) {
  const [report, addenda] = await Promise.all([
    db.selectFrom('incident_reports').selectAll().where('incident_id', '=', incidentId).execute(),
    db.selectFrom('incident_report_addenda').selectAll().where('incident_id', '=', incidentId).orderBy('id').execute(),
  ]);
  return JSON.stringify({ report, addenda });
}

/** A synthetic supervisor of the given clinicians, signed in. */
async function anotherSupervisor(practiceId: string, superviseeIds: string[]) {
  const user = { id: randomUUID(), email: `supervisor-${randomUUID()}@example.test`, role: 'supervisor' as const, name: 'Dr. Noor Synthetic' };
  await insertUser(db, { practiceId, id: user.id, email: user.email, name: user.name, role: 'supervisor', passwordHash: await hashPassword(FIXTURE_PASSWORD) });
  await replaceSupervisees(db, practiceId, user.id, superviseeIds);
  return { user, browser: await signedIn(app, user) };
}

describe('S2: Dr. Lin signs the incident report, it locks, she adds an addendum, Dr. Singh co-signs', async () => {
  const practice = await createPractice(db);
  const { clinician, supervisor } = practice.users;
  const riley = await createClient(db, practice, { name: 'Riley Okafor' });
  const lin = await signedIn(app, clinician);
  const singh = await signedIn(app, supervisor);
  const owner = await signedIn(app, practice.users.owner);

  // The emergency: imminent risk, the C-SSRS screener high (items 1–4 yes, 5 and 6 no), the sister called.
  const { incidentId, step } = await openIncident(lin, riley.id, 'imminent-risk-to-self');
  await step({ type: 'mark_done', stepId: 'stay' });
  await step({ type: 'record_assessment', stepId: 'cssrs', answers: { q1: true, q2: true, q3: true, q4: true, q5: false, q6: false } });
  await step({ type: 'mark_done', stepId: 'emergency-services' });
  await step({ type: 'mark_done', stepId: 'not-alone' });
  await step({ type: 'mark_done', stepId: 'emergency-contact-high' }, {
    disclosure: { recipientName: 'Dana Okafor', recipientContact: '+15105550134', whatWasSaid: 'Riley is not safe alone tonight.' },
  });
  await ok(singh.post(`/api/incidents/${incidentId}/notes`, { text: 'Joining the call now.' }), 201);
  const path = `/api/incidents/${incidentId}/report`;

  it('builds the draft from the incident: risk prefilled from the C-SSRS, who was contacted, disclosures, follow-ups', async () => {
    const report = await ok(lin.get(path));
    expect(report).toMatchObject({ status: 'draft', version: 0, kind: 'client', protocolTitle: 'Imminent risk to self', client: { name: 'Riley Okafor' } });
    expect(report.fields.riskLevel).toBe('high');
    expect(report.fields.riskJustification).toBe('C-SSRS screener (recent): items 1 yes, 2 yes, 3 yes, 4 yes, 5 no, 6 no; triage high.');
    expect(report.cssrs).toMatchObject({ risk: 'high', answers: { q1: true, q5: false } });
    expect(report.facts.contacted.pages[0]).toMatchObject({ notified: ['Test supervisor'] });
    expect(report.facts.contacted.emergencyContacts).toEqual([expect.objectContaining({ name: 'Dana Okafor', whatWasSaid: 'Riley is not safe alone tonight.' })]);
    expect(report.facts.disclosures[0]).toMatchObject({ recipientKind: 'emergency_contact', legalBasis: expect.stringMatching(/164\.510\(b\)\(3\)/) });
    expect(report.facts.actions.map((a: { what: string }) => a.what)).toContain('Joining the call now.');
    expect(report.viewer).toMatchObject({ canEdit: true, canSign: true });
    // Nothing is stored until the first save.
    expect(await db.selectFrom('incident_reports').selectAll().where('incident_id', '=', incidentId).execute()).toEqual([]);
  });

  it('refuses bad drafts and changes nothing', async () => {
    const before = await reportRows(incidentId);
    const good = { basedOnVersion: 0, whatHappened: 'x' };
    for (const bad of [
      { ...good, riskLevel: 'extreme' },
      { ...good, surprise: true },
      { ...good, basedOnVersion: -1 },
      { ...good, whatHappened: 'x'.repeat(20_001) },
      { basedOnVersion: 0 },
    ]) {
      expect((await lin.put(path, bad)).statusCode, JSON.stringify(bad).slice(0, 80)).toBe(400);
    }
    await refused(lin.put(path, { ...good, basedOnVersion: 3 }), 409, 'REPORT_CHANGED');
    await refused(lin.post(`${path}/sign`, { version: 1 }), 409, 'REPORT_NOT_SAVED');
    await refused(lin.post(`${path}/addenda`, { text: 'Too early' }), 409, 'REPORT_NOT_SIGNED');
    // Outside the care team: not found, whatever the role.
    expect((await owner.get(path)).statusCode).toBe(404);
    expect((await owner.put(path, good)).statusCode).toBe(404);
    expect(await reportRows(incidentId)).toBe(before);
  });

  it('saves the draft with the narrative and exact words encrypted at rest', async () => {
    const saved = await ok(lin.put(path, {
      basedOnVersion: 0,
      whatHappened: 'During a video session Riley said they had thought about how they would end their life and intended to.',
      exactWords: "I've thought about how I'd do it, and I mean to.",
      riskLevel: 'high',
      riskJustification: 'C-SSRS screener items 1–4 yes: intent with method. Isolated at home tonight.',
      mitigationPlan: '',
    }));
    expect(saved).toMatchObject({ status: 'draft', version: 1, fields: { mitigationPlan: null } });
    expect(saved.viewer.canSign).toBe(true);
    const row = await db.selectFrom('incident_reports').selectAll().where('incident_id', '=', incidentId).executeTakeFirstOrThrow();
    for (const column of [row.what_happened, row.exact_words, row.risk_justification]) {
      expect(column).toMatch(/^hsenc:v1:/);
      expect(column).not.toContain('Riley');
    }
    // The supervisor (care team) may read it; signing is the assigned clinician's.
    expect((await ok(singh.get(path))).viewer).toMatchObject({ canEdit: true, canSign: false });
  });

  it('signs only a complete report of the version read, by the assigned clinician', async () => {
    const before = await reportRows(incidentId);
    await refused(lin.post(`${path}/sign`, { version: 1 }), 422, 'REPORT_INCOMPLETE'); // NPSG 15.01.01: no mitigation plan yet
    await refused(lin.post(`${path}/sign`, { version: 2 }), 409, 'REPORT_CHANGED');
    expect((await singh.post(`${path}/sign`, { version: 1 })).statusCode).toBe(404);
    expect(await reportRows(incidentId)).toBe(before);

    const current = await ok(lin.get(path));
    await ok(lin.put(path, { ...current.fields, basedOnVersion: 1, mitigationPlan: 'Mobile crisis team on the way; sister staying with Riley; contact within 24 hours; next session within 72 hours.' }));
    const signed = await ok(lin.post(`${path}/sign`, { version: 2 }));
    expect(signed.status).toBe('awaiting_review');
    expect(signed.signature).toMatchObject({ by: { id: clinician.id }, verified: true, contentHash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(signed.viewer).toMatchObject({ canEdit: false, canSign: false, canAddAddendum: true, canCosign: false });
    expect(signed.facts.actions.map((a: { what: string }) => a.what)).not.toContain('Incident report signed by Test clinician');
    const timeline = await db.selectFrom('incident_timeline').select('what').where('incident_id', '=', incidentId).execute();
    expect(timeline.map((t) => t.what)).toContain('Incident report signed by Test clinician');
    const row = await db.selectFrom('incident_reports').select(['facts', 'signed_at']).where('incident_id', '=', incidentId).executeTakeFirstOrThrow();
    expect(row.facts).toMatch(/^hsenc:v1:/);
  });

  it('is locked once signed: every route refuses with 409 REPORT_SIGNED, and so does the database', async () => {
    const before = await reportRows(incidentId);
    await refused(lin.put(path, { basedOnVersion: 2, whatHappened: 'Rewritten.' }), 409, 'REPORT_SIGNED');
    await refused(lin.post(`${path}/sign`, { version: 2 }), 409, 'REPORT_SIGNED');
    // Direct SQL as the application's database user: the trigger refuses.
    const where = sql`where incident_id = ${incidentId}`;
    await expect(sql`update incident_reports set what_happened = 'tampered' ${where}`.execute(db)).rejects.toThrow(/signed and locked/);
    await expect(sql`update incident_reports set risk_level = 'low' ${where}`.execute(db)).rejects.toThrow(/signed and locked/);
    await expect(sql`update incident_reports set status = 'draft', signed_at = null, signed_by = null, content_hash = null, facts = null ${where}`.execute(db))
      .rejects.toThrow(/signed and locked/);
    await expect(sql`delete from incident_reports ${where}`.execute(db)).rejects.toThrow(/cannot be deleted/);
    await expect(sql`truncate incident_reports cascade`.execute(db)).rejects.toThrow(/cannot be changed/);
    expect(await reportRows(incidentId)).toBe(before);
  });

  it('takes later changes as addenda, each signed by its author, never changed', async () => {
    const addendumId = randomUUID();
    const text = 'Next morning: Riley was seen by the mobile crisis team and is safe at their sister’s.';
    const added = await ok(lin.post(`${path}/addenda`, { id: addendumId, text }), 201);
    expect(added.addenda).toEqual([expect.objectContaining({ id: addendumId, text, author: { id: clinician.id, name: 'Test clinician' }, verified: true })]);
    // Resent (offline queue): the same addendum, not a second one; the same id for other words is refused.
    expect((await ok(lin.post(`${path}/addenda`, { id: addendumId, text }), 201)).addenda).toHaveLength(1);
    await refused(lin.post(`${path}/addenda`, { id: addendumId, text: 'Other words' }), 409, 'RECORD_ID_REUSED');
    expect((await lin.post(`${path}/addenda`, { text: '   ' })).statusCode).toBe(400);

    const row = await db.selectFrom('incident_report_addenda').selectAll().where('id', '=', addendumId).executeTakeFirstOrThrow();
    expect(row.body).toMatch(/^hsenc:v1:/);
    await expect(sql`update incident_report_addenda set body = 'tampered' where id = ${addendumId}`.execute(db)).rejects.toThrow(/cannot be changed/);
    await expect(sql`delete from incident_report_addenda where id = ${addendumId}`.execute(db)).rejects.toThrow(/cannot be changed/);
    // An addendum only to a signed report, even by SQL.
    const { incidentId: other } = await openIncident(lin, riley.id, 'client-walks-out');
    await ok(lin.put(`/api/incidents/${other}/report`, { basedOnVersion: 0, whatHappened: 'Draft.' }));
    await expect(sql`insert into incident_report_addenda (practice_id, id, incident_id, body, author_id, signed_at, content_hash)
      values (${practice.practiceId}, ${randomUUID()}, ${other}, 'x', ${clinician.id}, now(), ${'0'.repeat(64)})`.execute(db)).rejects.toThrow(/needs a signed report/);
  });

  it("is co-signed only by a supervisor of the clinician who signed; then closed", async () => {
    // Dr. Noor supervises another clinician on Riley's care team, not Dr. Lin; a third supervises nobody here.
    const otherClinician = { id: randomUUID() };
    await insertUser(db, { practiceId: practice.practiceId, id: otherClinician.id, email: `c-${randomUUID()}@example.test`, name: 'Dr. Other', role: 'clinician', passwordHash: 'x' });
    await db.insertInto('client_clinicians').values({ practice_id: practice.practiceId, client_id: riley.id, clinician_id: otherClinician.id }).execute();
    const noor = await anotherSupervisor(practice.practiceId, [otherClinician.id]);
    const stranger = await anotherSupervisor(practice.practiceId, []);

    // Reviews waiting: Dr. Singh's list has it; the others' do not.
    const waiting = await ok(singh.get('/api/reports?status=awaiting_review'));
    expect(waiting.reports).toEqual([expect.objectContaining({ incidentId, client: { id: riley.id, name: 'Riley Okafor' }, signedBy: { id: clinician.id, name: 'Test clinician' }, addenda: 1 })]);
    expect((await ok(noor.browser.get('/api/reports'))).reports).toEqual([]);
    expect((await lin.get('/api/reports')).statusCode).toBe(403);
    expect((await singh.get('/api/reports?status=draft')).statusCode).toBe(400);

    const before = await reportRows(incidentId);
    expect((await ok(noor.browser.get(`/api/incidents/${incidentId}/report`))).viewer.canCosign).toBe(false);
    expect((await noor.browser.post(`${path}/cosign`, { note: 'Looks fine' })).statusCode).toBe(404);
    expect((await stranger.browser.post(`${path}/cosign`, {})).statusCode).toBe(404);
    expect((await stranger.browser.get(path)).statusCode).toBe(404);
    expect((await lin.post(`${path}/cosign`, {})).statusCode).toBe(404);
    await refused(singh.post(`${path}/close`, {}), 409, 'REPORT_NOT_REVIEWED');
    expect((await singh.post(`${path}/cosign`, { note: 'x'.repeat(5001) })).statusCode).toBe(400);
    expect(await reportRows(incidentId)).toBe(before);

    expect((await ok(singh.get(path))).viewer.canCosign).toBe(true);
    const cosigned = await ok(singh.post(`${path}/cosign`, { note: 'Reviewed with Dr. Lin; plan agreed.' }));
    expect(cosigned.status).toBe('reviewed');
    expect(cosigned.cosignature).toMatchObject({ by: { id: supervisor.id }, note: 'Reviewed with Dr. Lin; plan agreed.', contentHash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    await refused(singh.post(`${path}/cosign`, {}), 409, 'REPORT_ALREADY_REVIEWED');
    expect((await ok(singh.get('/api/reports'))).reports).toEqual([]);
    await expect(sql`update incident_reports set cosign_note = 'changed' where incident_id = ${incidentId}`.execute(db)).rejects.toThrow(/already co-signed/);

    const closed = await ok(singh.post(`${path}/close`));
    expect(closed.status).toBe('closed');
    expect(closed.closed).toMatchObject({ by: { id: supervisor.id } });
    await refused(singh.post(`${path}/close`, {}), 409, 'REPORT_ALREADY_CLOSED');
    await expect(sql`update incident_reports set status = 'reviewed', closed_at = null, closed_by = null where incident_id = ${incidentId}`.execute(db)).rejects.toThrow(/already closed/);
    // Later changes are still addenda.
    expect((await ok(lin.post(`${path}/addenda`, { text: 'Riley attended the next session.' }), 201)).addenda).toHaveLength(2);
  });

  it('audits every read and transition', async () => {
    const events = await db.selectFrom('audit_events').select(['action', 'outcome', 'actor_user_id', 'client_id']).where('practice_id', '=', practice.practiceId)
      .where('action', 'like', 'incident.report.%').where('outcome', '=', 'success').orderBy('seq').execute();
    const actions = events.map((e) => e.action);
    for (const a of ['incident.report.read', 'incident.report.write', 'incident.report.sign', 'incident.report.cosign']) expect(actions).toContain(a);
    expect(events.every((e) => e.client_id === riley.id)).toBe(true);
    expect(events.filter((e) => e.action === 'incident.report.cosign').map((e) => e.actor_user_id)).toEqual([supervisor.id, supervisor.id]);
    const denied = await db.selectFrom('audit_events').select('action').where('practice_id', '=', practice.practiceId)
      .where('action', 'like', 'incident.report.%').where('outcome', '=', 'denied').execute();
    expect(denied.length).toBeGreaterThanOrEqual(5);
  });

  it('exports the signed report with its addenda (for PDF and FHIR), and nothing for a draft', async () => {
    const exported = await loadReportForExport(db, practice.practiceId, incidentId);
    expect(exported).toMatchObject({ status: 'closed', fields: { exactWords: "I've thought about how I'd do it, and I mean to." }, signature: { verified: true } });
    expect(exported!.addenda.map((a) => a.text)).toEqual([expect.stringMatching(/^Next morning/), 'Riley attended the next session.']);
    const { incidentId: draftOnly } = await openIncident(lin, riley.id, 'client-walks-out');
    expect(await loadReportForExport(db, practice.practiceId, draftOnly)).toBeNull();
    expect(await loadReportForExport(db, randomUUID(), incidentId)).toBeNull();
  });
});

describe("S3: the report of the clinician's own emergency holds none of the client's clinical detail", async () => {
  const practice = await createPractice(db);
  const alex = await createClient(db, practice, { name: 'Alex Kim' });
  const patel = await signedIn(app, practice.users.clinician);
  const booked = await ok(patel.post('/api/appointments', {
    clientId: alex.id, clinicianId: practice.users.clinician.id, startsAt: '2026-09-14T21:00:00Z', minutes: 50, modality: 'telehealth',
  }), 201);
  const session = await ok(patel.post(`/api/appointments/${booked.id}/session`, { clientLocation: '7 Example Road, Oakland, CA', callbackPhone: '+15105550177' }), 201);
  const { incidentId, step } = await openIncident(patel, alex.id, 'clinician-emergency', { sessionId: session.id, discreet: true });
  await step({ type: 'answer', stepId: 'can-wait', value: 'no' });
  await step({ type: 'mark_done', stepId: 'excuse' });
  await ok(patel.post(`/api/incidents/${incidentId}/notes`, { text: 'Alex had been talking about panic attacks at work.' }), 201);
  await ok(patel.post(`/api/sessions/${session.id}/end`, { early: { reason: "The clinician's own family emergency", reschedule: { startsAt: '2026-09-15T17:00:00Z' } } }));
  await step({ type: 'document', stepId: 'notes', text: 'A call from the hospital about my father; I ended the session early.' });
  const path = `/api/incidents/${incidentId}/report`;

  it('says what happened to the session, with no exact words, risk, C-SSRS, disclosures or notes', async () => {
    const report = await ok(patel.get(path));
    expect(report).toMatchObject({ kind: 'clinician_emergency', cssrs: null, fields: { exactWords: null, riskLevel: null, riskJustification: null, mitigationPlan: null } });
    expect(report.fields.whatHappened).toMatch(/The session ended early at .*A priority reschedule was booked for .*A call from the hospital/);
    expect(report.facts.session).toMatchObject({ endedEarly: true, rescheduledTo: '2026-09-15T17:00:00.000Z' });
    expect(report.facts.disclosures).toEqual([]);
    expect(report.facts.contacted.emergencyContacts).toEqual([]);
    expect(JSON.stringify(report.facts)).not.toContain('panic attacks');
  });

  it('refuses client detail in the draft, and the schema refuses it too', async () => {
    const before = await reportRows(incidentId);
    const base = { basedOnVersion: 0, whatHappened: 'Ended early for my own emergency.' };
    for (const detail of [{ exactWords: 'Something Alex said' }, { riskLevel: 'low' }, { riskJustification: 'Calm' }, { mitigationPlan: 'Check in' }]) {
      await refused(patel.put(path, { ...base, ...detail }), 422, 'REPORT_NO_CLIENT_DETAIL');
    }
    expect(await reportRows(incidentId)).toBe(before);

    const saved = await ok(patel.put(path, { ...base, exactWords: null, riskLevel: null }));
    expect(saved.version).toBe(1);
    await expect(sql`update incident_reports set risk_level = 'low' where incident_id = ${incidentId}`.execute(db)).rejects.toThrow(/check constraint/);
    await expect(sql`update incident_reports set exact_words = 'words' where incident_id = ${incidentId}`.execute(db)).rejects.toThrow(/check constraint/);
    await expect(sql`update incident_reports set cssrs = '{"risk":"low","answers":{}}' where incident_id = ${incidentId}`.execute(db)).rejects.toThrow(/check constraint/);
  });

  it('signs without risk fields, its facts free of the client', async () => {
    const signed = await ok(patel.post(`${path}/sign`, { version: 1 }));
    expect(signed).toMatchObject({ status: 'awaiting_review', cssrs: null, fields: { exactWords: null, riskLevel: null } });
    const exported = await loadReportForExport(db, practice.practiceId, incidentId);
    expect(JSON.stringify(exported)).not.toContain('panic attacks');
    expect(exported!.facts.actions.some((a) => a.what.startsWith('Incident opened'))).toBe(true);
  });
});
