import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createTestApp, signedIn } from '../../../test/support/app.ts';
import { createClient, createPractice } from '../../../test/support/fixtures.ts';

const { app, db } = await createTestApp();

describe("the client's full record (right of access, HIPAA 45 CFR 164.524)", () => {
  it('is one JSON document: the FHIR bundle, the accounting of disclosures and the documents list; no psychotherapy notes; audited', async () => {
    const practice = await createPractice(db);
    const client = await createClient(db, practice, { name: 'Casey Morgan' });
    const clinician = await signedIn(app, practice.users.clinician);
    const incidentId = randomUUID();
    const runId = randomUUID();
    expect((await clinician.post('/api/incidents', { id: incidentId, runId, clientId: client.id, protocolKey: 'imminent-risk-to-self' })).statusCode).toBe(201);
    const step = (action: unknown, extra: object = {}) => clinician.post(`/api/incidents/${incidentId}/runs/${runId}/events`, { id: randomUUID(), action, ...extra });
    expect((await step({ type: 'record_assessment', stepId: 'cssrs', answers: { q1: true, q2: true, q3: true, q4: true, q5: false, q6: false } })).statusCode).toBe(200);
    expect((await step({ type: 'mark_done', stepId: 'emergency-services' }, {
      disclosure: { recipientName: 'Alameda County mobile crisis', recipientContact: '911', whatWasSaid: 'Client at high risk at home.' },
    })).statusCode).toBe(200);
    const note = `Reflection ${randomUUID()}`;
    expect((await clinician.post(`/api/clients/${client.id}/reflections`, { id: randomUUID(), body: note })).statusCode).toBe(201);

    const res = await clinician.get(`/api/clients/${client.id}/export`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="client-record-[0-9a-f]{8}-\d{4}-\d{2}-\d{2}\.json"$/);
    const record = res.json();
    expect(record.kind).toBe('holdspace.client-record');
    expect(record.client).toEqual({ id: client.id, name: 'Casey Morgan' });
    expect(record.fhir).toMatchObject({ resourceType: 'Bundle', type: 'searchset' });
    const types = record.fhir.entry.map((e: { resource: { resourceType: string } }) => e.resource.resourceType);
    expect(types).toEqual(expect.arrayContaining(['Patient', 'Encounter', 'QuestionnaireResponse', 'RiskAssessment', 'AuditEvent']));
    expect(record.accountingOfDisclosures.entries).toHaveLength(1);
    expect(record.accountingOfDisclosures.entries[0]).toMatchObject({ recipientName: 'Alameda County mobile crisis', incidentId });
    expect(record.documents.map((d: { url: string }) => d.url)).toEqual(expect.arrayContaining([
      expect.stringMatching(new RegExp(`/api/clients/${client.id}/accounting\\.pdf$`)),
    ]));
    expect(record.excluded.join(' ')).toMatch(/Psychotherapy notes/);
    expect(res.body).not.toContain(note);

    const audited = await db.selectFrom('audit_events').select(['actor_user_id', 'detail']).where('practice_id', '=', practice.practiceId)
      .where('action', '=', 'client.export').where('outcome', '=', 'success').execute();
    expect(audited).toHaveLength(1);
    expect(JSON.parse(audited[0]!.detail)).toMatchObject({ basis: '45 CFR 164.524', disclosures: 1 });
  });

  it('answers 404 to anyone outside the care team (audited), and 404 for no such client', async () => {
    const practice = await createPractice(db);
    const client = await createClient(db, practice);
    for (const who of [practice.users.owner, practice.users.front_desk]) {
      const res = await (await signedIn(app, who)).get(`/api/clients/${client.id}/export`);
      expect(res.statusCode, who.role).toBe(404);
    }
    const offTeam = await createClient(db, practice, { clinicianIds: [] });
    const clinician = await signedIn(app, practice.users.clinician);
    expect((await clinician.get(`/api/clients/${offTeam.id}/export`)).statusCode).toBe(404);
    expect((await clinician.get(`/api/clients/${randomUUID()}/export`)).statusCode).toBe(404);
    const denied = await db.selectFrom('audit_events').select('actor_user_id').where('practice_id', '=', practice.practiceId)
      .where('action', '=', 'client.export').where('outcome', '=', 'denied').execute();
    expect(denied).toHaveLength(4);
  });
});

describe('record retention per practice', () => {
  it('defaults to 7 years; an administrator sets it, audited; out-of-range values change nothing', async () => {
    const practice = await createPractice(db);
    const admin = await signedIn(app, practice.users.admin);
    const initial = (await admin.get('/api/practice/retention')).json();
    expect(initial).toMatchObject({ yearsAfterLastContact: 7, isDefault: true, defaultYears: 7, minimumYears: 6, automaticDeletion: false, updatedBy: null });

    const saved = await admin.put('/api/practice/retention', { yearsAfterLastContact: 10 });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json()).toMatchObject({ yearsAfterLastContact: 10, isDefault: false, updatedBy: { id: practice.users.admin.id } });

    for (const body of [{ yearsAfterLastContact: 5 }, { yearsAfterLastContact: 101 }, { yearsAfterLastContact: 7.5 }, { yearsAfterLastContact: '8' }, {}, { yearsAfterLastContact: 8, extra: true }]) {
      const res = await admin.put('/api/practice/retention', body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().code).toBe('VALIDATION_FAILED');
    }
    expect((await admin.get('/api/practice/retention')).json().yearsAfterLastContact).toBe(10);

    const audited = await db.selectFrom('audit_events').select('detail').where('practice_id', '=', practice.practiceId)
      .where('action', '=', 'retention.manage').where('outcome', '=', 'success').execute();
    expect(audited.map((a) => JSON.parse(a.detail))).toEqual([{ from: 7, to: 10 }]);

    // Another practice keeps its own setting.
    const other = await createPractice(db, 'Other');
    expect((await (await signedIn(app, other.users.owner)).get('/api/practice/retention')).json().yearsAfterLastContact).toBe(7);
  });

  it('is for administrators only', async () => {
    const practice = await createPractice(db);
    for (const who of [practice.users.clinician, practice.users.supervisor, practice.users.front_desk]) {
      const browser = await signedIn(app, who);
      expect((await browser.get('/api/practice/retention')).statusCode, who.role).toBe(403);
      expect((await browser.put('/api/practice/retention', { yearsAfterLastContact: 9 })).statusCode, who.role).toBe(403);
    }
    expect((await (await signedIn(app, practice.users.owner)).put('/api/practice/retention', { yearsAfterLastContact: 9 })).statusCode).toBe(200);
  });
});
