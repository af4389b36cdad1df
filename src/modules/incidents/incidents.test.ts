import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { Db } from '../../server/database.ts';
import { buildApp } from '../../server/app.ts';
import { loadConfig } from '../../server/config.ts';
import { createTestApp, signedIn, type Browser } from '../../../test/support/app.ts';
import { createClient, createPractice, type FixturePractice } from '../../../test/support/fixtures.ts';

const { app, db, jobs, live } = await createTestApp();

async function openIncident(browser: Browser, clientId: string, protocolKey: string, extra: Record<string, unknown> = {}) {
  const body = { id: randomUUID(), runId: randomUUID(), clientId, protocolKey, ...extra };
  const res = await browser.post('/api/incidents', body);
  expect(res.statusCode, res.body).toBe(201);
  return { incidentId: body.id, runId: body.runId, opened: res.json() as { pageId: string | null } };
}

function stepper(browser: Browser, incidentId: string, runId: string) {
  return async (action: Record<string, unknown>, extra: Record<string, unknown> = {}) => {
    const res = await browser.post(`/api/incidents/${incidentId}/runs/${runId}/events`, { id: randomUUID(), action, ...extra });
    return res;
  };
}

async function ok(res: Promise<{ statusCode: number; body: string; json(): any }>) {
  const r = await res;
  expect(r.statusCode, r.body).toBe(200);
  return r.json();
}

/** Everything an incident has written, to show that a refused request changed nothing. */
async function snapshot(db: Db, incidentId: string) {
  const [runs, timeline, events, disclosures, followUps, pages] = await Promise.all([
    db.selectFrom('protocol_runs').select(['id', 'state', 'status']).where('incident_id', '=', incidentId).orderBy('id').execute(),
    db.selectFrom('incident_timeline').select((eb) => eb.fn.countAll<number>().as('n')).where('incident_id', '=', incidentId).executeTakeFirstOrThrow(),
    db.selectFrom('run_events').select((eb) => eb.fn.countAll<number>().as('n')).where('incident_id', '=', incidentId).executeTakeFirstOrThrow(),
    db.selectFrom('disclosures').select((eb) => eb.fn.countAll<number>().as('n')).where('incident_id', '=', incidentId).executeTakeFirstOrThrow(),
    db.selectFrom('follow_up_tasks').select((eb) => eb.fn.countAll<number>().as('n')).where('incident_id', '=', incidentId).executeTakeFirstOrThrow(),
    db.selectFrom('pages').select((eb) => eb.fn.countAll<number>().as('n')).where('incident_id', '=', incidentId).executeTakeFirstOrThrow(),
  ]);
  return JSON.stringify({ runs, timeline, events, disclosures, followUps, pages });
}

async function setUp(): Promise<{ practice: FixturePractice; clinician: Browser; client: { id: string; name: string } }> {
  const practice = await createPractice(db);
  const client = await createClient(db, practice, { name: 'Jordan Reyes' });
  return { practice, clinician: await signedIn(app, practice.users.clinician), client };
}

describe('S1: the walkout', () => {
  it('walks the protocol, asks for a reach-out the same day, and closes only after the follow-up is done', async () => {
    const { practice, clinician, client } = await setUp();
    // First, Dr. Lin presses the emergency control and picks "client walked out".
    const { incidentId, runId, opened } = await openIncident(clinician, client.id, 'client-walks-out');
    expect(opened.pageId).toBeNull(); // a walkout does not page by itself
    const step = stepper(clinician, incidentId, runId);

    await ok(step({ type: 'answer', stepId: 'danger-signs', value: 'no' }));
    const timer = await ok(step({ type: 'start_timer', stepId: 'wait' }));
    const wait = timer.run.state.steps.wait.timer;
    expect(Date.parse(wait.dueAt) - Date.parse(wait.startedAt)).toBe(10 * 60_000); // the default walkout wait
    await ok(step({ type: 'finish_timer', stepId: 'wait' }));
    await ok(step({ type: 'answer', stepId: 'returned', value: 'no' }));
    const reachOut = await ok(step({ type: 'mark_done', stepId: 'reach-out', note: 'By text, the channel Jordan consented to' }));
    expect(reachOut.timeline.map((t: { what: string }) => t.what).join('\n')).toMatch(/Follow-up requested: Reach out to the client today/);
    await ok(step({ type: 'document', stepId: 'reflect', text: 'We touched on the family conflict just before.' }));
    await ok(step({ type: 'mark_done', stepId: 'agenda' }));

    // An optional step may stay open; the run completes.
    const done = await ok(step({ type: 'complete' }));
    expect(done.run.status).toBe('completed');

    // The incident cannot close while the reach-out is owed.
    const early = await clinician.post(`/api/incidents/${incidentId}/close`);
    expect(early.statusCode).toBe(409);
    expect(early.json().code).toBe('FOLLOW_UPS_OPEN');

    const mine = (await clinician.get('/api/follow-ups')).json().followUps as { id: string; title: string; dueAt: string; incidentId: string }[];
    const followUp = mine.find((f) => f.incidentId === incidentId)!;
    expect(followUp.title).toBe('Reach out to the client today');
    const detail = (await clinician.get(`/api/incidents/${incidentId}`)).json();
    const reachOutAt = Date.parse(detail.runs[0].state.steps['reach-out'].at);
    expect(Date.parse(followUp.dueAt) - reachOutAt).toBe(8 * 3_600_000);

    await ok(clinician.post(`/api/follow-ups/${followUp.id}/complete`, { note: 'Check-in text sent' }));
    const closed = await ok(clinician.post(`/api/incidents/${incidentId}/close`));
    expect(closed.status).toBe('closed');
    expect(closed.timeline.map((t: { kind: string; what: string }) => t.what)).toEqual(expect.arrayContaining([
      'Incident opened: Client walks out', 'Did the client come back?: No', 'Follow-up done: Reach out to the client today (Check-in text sent)', 'Incident closed',
    ]));
    // Every entry says who and when.
    for (const entry of closed.timeline) {
      expect(entry.at).toMatch(/^\d{4}-/);
      if (entry.kind !== 'page') expect(entry.actor?.id).toBe(practice.users.clinician.id);
    }

    // Nothing more can be recorded on a closed incident, and the refusal changes nothing.
    const before = await snapshot(db, incidentId);
    const late = await step({ type: 'mark_done', stepId: 'approach' });
    expect(late.statusCode).toBe(409);
    expect(late.json().code).toBe('INCIDENT_ALREADY_CLOSED');
    expect(await snapshot(db, incidentId)).toBe(before);
  });

  it('switches to the imminent-risk protocol when the client left in danger, and pages at once', async () => {
    const { practice, clinician, client } = await setUp();
    const { incidentId, runId } = await openIncident(clinician, client.id, 'client-walks-out');
    const step = stepper(clinician, incidentId, runId);
    await ok(step({ type: 'answer', stepId: 'danger-signs', value: 'yes' }));
    const switched = await ok(step({ type: 'mark_done', stepId: 'imminent-risk' }));
    expect(switched.openedRunId).toMatch(/^[0-9a-f-]{36}$/);

    const detail = (await clinician.get(`/api/incidents/${incidentId}`)).json();
    expect(detail.runs.map((r: { protocolKey: string; openedByStep: string | null }) => [r.protocolKey, r.openedByStep])).toEqual([
      ['client-walks-out', null], ['imminent-risk-to-self', 'imminent-risk'],
    ]);
    expect(detail.pages).toHaveLength(1);
    expect(detail.pages[0].recipients.map((r: { user: { id: string } }) => r.user.id)).toEqual([practice.users.supervisor.id]);
  });
});

describe('S2: a client at high risk', () => {
  it('pages the supervisor at once, triages the C-SSRS high, sets the risk status and records the call to the emergency contact as a disclosure', async () => {
    const { practice, clinician, client } = await setUp();
    const { incidentId, runId, opened } = await openIncident(clinician, client.id, 'imminent-risk-to-self');
    expect(opened.pageId).not.toBeNull();
    const recipients = await db.selectFrom('page_recipients').select(['user_id', 'level']).where('page_id', '=', opened.pageId!).execute();
    expect(recipients).toEqual([{ user_id: practice.users.supervisor.id, level: 0 }]);

    const step = stepper(clinician, incidentId, runId);
    await ok(step({ type: 'mark_done', stepId: 'stay' }));
    // Items 1–4 yes, 5 no, 6 no: high (item 4, active ideation with some intent).
    const triaged = await ok(step({ type: 'record_assessment', stepId: 'cssrs', answers: {
      q1: true, q2: true, q3: true, q4: true, q5: false, q6: false,
    } }));
    expect(triaged.run.state.steps.cssrs.value).toBe('high');
    const risk = await db.selectFrom('clients').select('risk_level').where('id', '=', client.id).executeTakeFirstOrThrow();
    expect(risk.risk_level).toBe('high');
    const assessment = await db.selectFrom('risk_assessments').select(['level', 'source']).where('client_id', '=', client.id).executeTakeFirstOrThrow();
    expect(assessment).toEqual({ level: 'high', source: 'cssrs' });

    await ok(step({ type: 'mark_done', stepId: 'emergency-contact-high' }, {
      disclosure: { recipientName: 'Dana Okafor (sister)', recipientContact: '+15105550134', whatWasSaid: 'Riley is at risk; crisis team on the way.' },
    }));
    const accounting = (await clinician.get(`/api/clients/${client.id}/disclosures`)).json().disclosures;
    expect(accounting).toHaveLength(1);
    expect(accounting[0]).toMatchObject({ recipientKind: 'emergency_contact', recipientName: 'Dana Okafor (sister)', incidentId });
    expect(accounting[0].legalBasis).toMatch(/164\.510\(b\)/);

    // The page step of the high branch reuses the open page: the supervisor is not paged twice.
    await ok(step({ type: 'mark_done', stepId: 'page-supervisor-high' }));
    const pages = await db.selectFrom('pages').select('id').where('incident_id', '=', incidentId).execute();
    expect(pages).toHaveLength(1);

    await ok(step({ type: 'mark_done', stepId: 'contact-high' }));
    const followUps = await db.selectFrom('follow_up_tasks').select(['kind', 'step_id', 'assigned_to']).where('incident_id', '=', incidentId).execute();
    expect(followUps).toEqual([{ kind: 'contact-client', step_id: 'contact-high', assigned_to: practice.users.clinician.id }]);
  });

  it('lets the paged supervisor watch live and add notes, but not act on the protocol', async () => {
    const { practice, clinician, client } = await setUp();
    const { incidentId, runId } = await openIncident(clinician, client.id, 'medical-emergency');
    // An on-call clinician off the care team, paged at the next level, may read; here the supervisor (level 0) is on it.
    const supervisor = await signedIn(app, practice.users.supervisor);
    const seen = await supervisor.get(`/api/incidents/${incidentId}`);
    expect(seen.statusCode).toBe(200);
    expect(seen.json().viewer.canAct).toBe(true); // the supervisor of the assigned clinician is on the care team

    // The owner is not on the care team and was not paged: the incident does not exist for them.
    const owner = await signedIn(app, practice.users.owner);
    expect((await owner.get(`/api/incidents/${incidentId}`)).statusCode).toBe(404);
    // Once the owner is paged (the last level), they may read it and add a note, not act.
    const page = await db.selectFrom('pages').select('id').where('incident_id', '=', incidentId).executeTakeFirstOrThrow();
    await db.insertInto('page_recipients').values({ practice_id: practice.practiceId, page_id: page.id, user_id: practice.users.owner.id, level: 2, round: 1, notified_at: new Date() }).execute();
    const asResponder = await owner.get(`/api/incidents/${incidentId}`);
    expect(asResponder.statusCode).toBe(200);
    expect(asResponder.json().viewer.canAct).toBe(false);
    expect(asResponder.json().emergencyContacts).toEqual([]);
    const note = await owner.post(`/api/incidents/${incidentId}/notes`, { text: 'On my way to the office.' });
    expect(note.statusCode).toBe(201);
    const act = await owner.post(`/api/incidents/${incidentId}/runs/${runId}/events`, { id: randomUUID(), action: { type: 'mark_done', stepId: 'stay' } });
    expect(act.statusCode).toBe(404);

    const denied = await db.selectFrom('audit_events').select(['action', 'outcome']).where('actor_user_id', '=', practice.users.owner.id)
      .where('outcome', '=', 'denied').execute();
    expect(denied.map((d) => d.action).sort()).toEqual(['incident.act', 'incident.read']);
  });
});

describe('S5: a threat against someone else (Cal. Civ. Code 43.92)', () => {
  it('requires both disclosures, each with its legal basis, and makes the WIC 8105(c) report due within 24 hours', async () => {
    const { practice, client } = await setUp();
    const patel = await signedIn(app, practice.users.clinician);
    const { incidentId, runId } = await openIncident(patel, client.id, 'threat-to-others');
    const step = stepper(patel, incidentId, runId);
    const run = await db.selectFrom('protocol_runs').select('started_at').where('id', '=', runId).executeTakeFirstOrThrow();

    await ok(step({ type: 'document', stepId: 'exact-words', text: 'I will make Dave from the warehouse pay — I know where he parks.' }));
    await ok(step({ type: 'answer', stepId: 'serious-threat', value: 'yes' }));
    await ok(step({ type: 'answer', stepId: 'identifiable-victim', value: 'yes' }));
    const decided = await ok(step({ type: 'answer', stepId: 'communicated-by', value: 'client' }));
    expect(decided.run.state.steps.duty.value).toBe('applies');

    // A disclosure step cannot be ticked off without saying who was told what; nothing changes.
    const before = await snapshot(db, incidentId);
    const bare = await step({ type: 'mark_done', stepId: 'warn-victim' });
    expect(bare.statusCode).toBe(422);
    expect(bare.json().code).toBe('DISCLOSURE_REQUIRED');
    expect(await snapshot(db, incidentId)).toBe(before);

    await ok(step({ type: 'mark_done', stepId: 'warn-victim' }, { disclosure: { recipientName: 'Dave (warehouse), through his employer', recipientContact: '+15105550177', whatWasSaid: 'A client made a threat against you.' } }));
    await ok(step({ type: 'mark_done', stepId: 'notify-police' }, { disclosure: { recipientName: 'Oakland Police Department', whatWasSaid: 'Threat of violence against an identifiable person.' } }));
    await ok(step({ type: 'mark_done', stepId: 'wic-8105-report' }));

    const accounting = (await patel.get(`/api/clients/${client.id}/disclosures`)).json().disclosures as { recipientKind: string; legalBasis: string }[];
    expect(accounting.map((d) => d.recipientKind)).toEqual(['victim', 'law_enforcement']);
    for (const d of accounting) expect(d.legalBasis).toMatch(/43\.92\(b\)/);

    const report = await db.selectFrom('follow_up_tasks').select(['kind', 'due_at']).where('incident_id', '=', incidentId).executeTakeFirstOrThrow();
    expect(report.kind).toBe('wic-8105-report');
    // Welf. & Inst. Code 8105(c): 24 hours from when the threat was communicated (the run's start).
    expect(report.due_at.getTime() - run.started_at.getTime()).toBe(24 * 3_600_000);
  });
});

describe('a step sent twice, or badly', () => {
  it('applies a retried step once, and refuses an id reused for another action', async () => {
    const { clinician, client } = await setUp();
    const { incidentId, runId } = await openIncident(clinician, client.id, 'client-leaves-triggered');
    const body = { id: randomUUID(), action: { type: 'answer', stepId: 'distress-before', value: 8 } };
    const url = `/api/incidents/${incidentId}/runs/${runId}/events`;
    const first = await ok(clinician.post(url, body));
    expect(first.replayed).toBe(false);
    const again = await ok(clinician.post(url, body));
    expect(again.replayed).toBe(true);
    expect(again.run.state).toEqual(first.run.state);
    const events = await db.selectFrom('run_events').select('id').where('incident_id', '=', incidentId).execute();
    expect(events).toHaveLength(1);

    const reused = await clinician.post(url, { ...body, action: { type: 'answer', stepId: 'distress-before', value: 5 } });
    expect(reused.statusCode).toBe(409);
    expect(reused.json().code).toBe('EVENT_ID_REUSED');
  });

  it("keeps the client's exact words encrypted at rest; a resent step with them replays, other words are refused", async () => {
    const { clinician, client } = await setUp();
    const { incidentId, runId } = await openIncident(clinician, client.id, 'threat-to-others');
    const words = 'I will make Dave from the warehouse pay — I know where he parks.';
    const body = { id: randomUUID(), action: { type: 'document', stepId: 'exact-words', text: words } };
    const url = `/api/incidents/${incidentId}/runs/${runId}/events`;
    expect((await ok(clinician.post(url, body))).run.state.steps['exact-words'].text).toBe(words);

    // In the database: ciphertext only, in the run's state and in the step event kept for replay.
    const stored = await db.selectFrom('protocol_runs').select(sql<string>`state::text`.as('state')).where('id', '=', runId).executeTakeFirstOrThrow();
    const event = await db.selectFrom('run_events').select(sql<string>`action::text`.as('action')).where('id', '=', body.id).executeTakeFirstOrThrow();
    for (const raw of [stored.state, event.action]) {
      expect(raw).not.toContain('warehouse');
      expect(raw).toContain('hsenc:v1:');
    }
    // Through the API, readable.
    const read = await ok(clinician.get(`/api/incidents/${incidentId}`));
    expect(read.runs[0].state.steps['exact-words'].text).toBe(words);
    const again = await ok(clinician.post(url, body));
    expect(again.replayed).toBe(true);
    expect(again.run.state.steps['exact-words'].text).toBe(words);
    const other = await clinician.post(url, { ...body, action: { ...body.action, text: 'Something else.' } });
    expect(other.statusCode).toBe(409);
    expect(other.json().code).toBe('EVENT_ID_REUSED');
  });

  it('writes a note resent with the same id once', async () => {
    const { clinician, client } = await setUp();
    const { incidentId } = await openIncident(clinician, client.id, 'client-walks-out');
    const note = { id: randomUUID(), text: 'Jordan texted back: safe at home.' };
    const first = await clinician.post(`/api/incidents/${incidentId}/notes`, note);
    const again = await clinician.post(`/api/incidents/${incidentId}/notes`, note);
    expect([first.statusCode, again.statusCode]).toEqual([201, 200]);
    expect(again.json().entry.seq).toBe(first.json().entry.seq);
    const notes = await db.selectFrom('incident_timeline').select('what').where('incident_id', '=', incidentId).where('kind', '=', 'note').execute();
    expect(notes).toEqual([{ what: note.text }]);
    const reused = await clinician.post(`/api/incidents/${incidentId}/notes`, { ...note, text: 'Something else' });
    expect(reused.statusCode).toBe(409);
    expect(reused.json().code).toBe('EVENT_ID_REUSED');
  });

  it('opens an incident once when the button press is retried', async () => {
    const { clinician, client } = await setUp();
    const body = { id: randomUUID(), runId: randomUUID(), clientId: client.id, protocolKey: 'imminent-risk-to-self' };
    const first = await clinician.post('/api/incidents', body);
    const second = await clinician.post('/api/incidents', body);
    expect([first.statusCode, second.statusCode]).toEqual([201, 200]);
    expect(second.json()).toEqual(first.json());
    const pages = await db.selectFrom('pages').select('id').where('incident_id', '=', body.id).execute();
    expect(pages).toHaveLength(1);
    const reused = await clinician.post('/api/incidents', { ...body, protocolKey: 'client-walks-out' });
    expect(reused.statusCode).toBe(409);
    expect(reused.json().code).toBe('INCIDENT_ID_REUSED');

    // A new incident id with the run id of that incident's run: 409, and no incident without its run is left behind.
    const newId = randomUUID();
    const runReused = await clinician.post('/api/incidents', { ...body, id: newId });
    expect(runReused.statusCode, runReused.body).toBe(409);
    expect(runReused.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(runReused.json().code).toBe('RUN_ID_REUSED');
    expect(await db.selectFrom('incidents').select('id').where('id', '=', newId).execute()).toEqual([]);
  });

  it('answers an unknown step, a step done twice, an answer out of range and a premature completion with a 4xx, changing nothing', async () => {
    const { clinician, client } = await setUp();
    const { incidentId, runId } = await openIncident(clinician, client.id, 'client-walks-out');
    const step = stepper(clinician, incidentId, runId);
    await ok(step({ type: 'answer', stepId: 'danger-signs', value: 'no' }));
    const before = await snapshot(db, incidentId);
    const cases: [Record<string, unknown>, number, string][] = [
      [{ type: 'mark_done', stepId: 'no-such-step' }, 404, 'UNKNOWN_STEP'],
      [{ type: 'answer', stepId: 'danger-signs', value: 'yes' }, 409, 'STEP_ALREADY_DONE'],
      [{ type: 'answer', stepId: 'returned', value: 'maybe' }, 422, 'ANSWER_OUT_OF_RANGE'],
      [{ type: 'mark_done', stepId: 'imminent-risk' }, 409, 'STEP_NOT_APPLICABLE'],
      [{ type: 'mark_done', stepId: 'wait' }, 422, 'WRONG_STEP_KIND'],
      [{ type: 'finish_timer', stepId: 'wait' }, 409, 'TIMER_NOT_STARTED'],
      [{ type: 'skip', stepId: 'agenda', reason: '   ' }, 400, 'VALIDATION_FAILED'],
      [{ type: 'complete' }, 409, 'REQUIRED_STEPS_OPEN'],
      [{ type: 'answer', stepId: 'returned' }, 400, 'VALIDATION_FAILED'],
      [{ type: 'explode', stepId: 'returned' }, 400, 'VALIDATION_FAILED'],
    ];
    for (const [action, status, code] of cases) {
      const res = await step(action);
      expect(res.statusCode, JSON.stringify(action)).toBe(status);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.json().code, JSON.stringify(action)).toBe(code);
    }
    const future = await step({ type: 'mark_done', stepId: 'agenda' }, { occurredAt: new Date(Date.now() + 3_600_000).toISOString() });
    expect(future.json().code).toBe('OCCURRED_AT_INVALID');
    const wrongRun = await clinician.post(`/api/incidents/${incidentId}/runs/${randomUUID()}/events`, { id: randomUUID(), action: { type: 'mark_done', stepId: 'agenda' } });
    expect(wrongRun.statusCode).toBe(404);
    expect(await snapshot(db, incidentId)).toBe(before);
  });

  it('keeps the time a step was done offline', async () => {
    const { clinician, client } = await setUp();
    const { incidentId, runId } = await openIncident(clinician, client.id, 'client-walks-out', { occurredAt: new Date(Date.now() - 10 * 60_000).toISOString() });
    const doneAt = new Date(Date.now() - 5 * 60_000).toISOString();
    const res = await ok(stepper(clinician, incidentId, runId)({ type: 'answer', stepId: 'danger-signs', value: 'no' }, { occurredAt: doneAt }));
    expect(res.run.state.steps['danger-signs'].at).toBe(doneAt);
    expect(res.timeline[0].at).toBe(doneAt);
  });
});

describe('who may open and see an incident', () => {
  it('answers 404 to a clinician off the care team, the front desk, and another practice, and audits each refusal', async () => {
    const { practice, clinician, client } = await setUp();
    const { incidentId } = await openIncident(clinician, client.id, 'client-walks-out');
    const other = await createPractice(db, 'Other');
    const stranger = await signedIn(app, other.users.clinician);
    const frontDesk = await signedIn(app, practice.users.front_desk);
    for (const browser of [stranger, frontDesk]) {
      expect((await browser.get(`/api/incidents/${incidentId}`)).statusCode).toBe(404);
    }
    expect((await stranger.post('/api/incidents', { id: randomUUID(), runId: randomUUID(), clientId: client.id, protocolKey: 'client-walks-out' })).statusCode).toBe(404);
    const offTeam = await createClient(db, practice, { name: 'Off Team', clinicianIds: [] });
    expect((await clinician.post('/api/incidents', { id: randomUUID(), runId: randomUUID(), clientId: offTeam.id, protocolKey: 'client-walks-out' })).statusCode).toBe(404);
    const refusals = await db.selectFrom('audit_events').select('action').where('outcome', '=', 'denied')
      .where('actor_user_id', 'in', [other.users.clinician.id, practice.users.front_desk.id, practice.users.clinician.id]).execute();
    expect(refusals.length).toBeGreaterThanOrEqual(4);
    expect((await frontDesk.get('/api/incidents')).json().incidents).toEqual([]);
    const listed = (await clinician.get('/api/incidents')).json().incidents as { id: string }[];
    expect(listed.map((i) => i.id)).toContain(incidentId);
  });

  it('refuses an unknown protocol and a session of another client', async () => {
    const { practice, clinician, client } = await setUp();
    const unknown = await clinician.post('/api/incidents', { id: randomUUID(), runId: randomUUID(), clientId: client.id, protocolKey: 'no-such-protocol' });
    expect(unknown.json().code).toBe('UNKNOWN_PROTOCOL');
    const sessionOfNobody = await clinician.post('/api/incidents', { id: randomUUID(), runId: randomUUID(), clientId: client.id, sessionId: randomUUID(), protocolKey: 'client-walks-out' });
    expect(sessionOfNobody.statusCode).toBe(422);
    expect(sessionOfNobody.json().code).toBe('SESSION_NOT_FOR_CLIENT');
    const count = await db.selectFrom('incidents').select((eb) => eb.fn.countAll<number>().as('n')).where('practice_id', '=', practice.practiceId).executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(0);
  });
});

describe("a practice's own protocol numbers", () => {
  it('sets the walkout wait without code; new runs use it; out-of-range values change nothing', async () => {
    const { practice, clinician, client } = await setUp();
    const owner = await signedIn(app, practice.users.owner);
    const set = await owner.put('/api/practice/protocol-parameters/client-walks-out', { values: { walkoutWaitMinutes: 15 } });
    expect(set.statusCode, set.body).toBe(200);
    const bad = await owner.put('/api/practice/protocol-parameters/client-walks-out', { values: { walkoutWaitMinutes: 500 } });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().code).toBe('PARAMETER_OUT_OF_RANGE');
    const unknown = await owner.put('/api/practice/protocol-parameters/client-walks-out', { values: { nonsense: 1 } });
    expect(unknown.json().code).toBe('UNKNOWN_PARAMETER');
    expect((await clinician.put('/api/practice/protocol-parameters/client-walks-out', { values: { walkoutWaitMinutes: 1 } })).statusCode).toBe(403);

    const catalog = (await clinician.get('/api/protocols')).json().protocols as { key: string; parameters: Record<string, { default: number }> }[];
    expect(catalog.find((p) => p.key === 'client-walks-out')!.parameters.walkoutWaitMinutes!.default).toBe(15);

    const { incidentId, runId } = await openIncident(clinician, client.id, 'client-walks-out');
    const step = stepper(clinician, incidentId, runId);
    await ok(step({ type: 'answer', stepId: 'danger-signs', value: 'no' }));
    const timer = await ok(step({ type: 'start_timer', stepId: 'wait' }));
    const wait = timer.run.state.steps.wait.timer;
    expect(Date.parse(wait.dueAt) - Date.parse(wait.startedAt)).toBe(15 * 60_000);
  });
});

describe('surviving a restart', () => {
  it('continues a run through another server on the same database: the state lives in PostgreSQL', async () => {
    const { practice, clinician, client } = await setUp();
    const { incidentId, runId } = await openIncident(clinician, client.id, 'clinician-emergency');
    await ok(stepper(clinician, incidentId, runId)({ type: 'answer', stepId: 'can-wait', value: 'no' }));

    const restarted = await buildApp({ db, jobs, live, config: loadConfig({ HOLDSPACE_LOG_LEVEL: 'silent' }) });
    try {
      const again = await signedIn(restarted, practice.users.clinician);
      const detail = (await again.get(`/api/incidents/${incidentId}`)).json();
      expect(detail.runs[0].state.steps['can-wait']).toMatchObject({ status: 'done', value: 'no' });
      const next = await ok(stepper(again, incidentId, runId)({ type: 'mark_done', stepId: 'excuse' }));
      expect(next.run.state.steps.excuse.status).toBe('done');
    } finally {
      await restarted.close();
    }
  });
});
