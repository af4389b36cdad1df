import { randomUUID } from 'node:crypto';
import twilio from 'twilio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, listen, openLiveStream, signedIn, type Browser, type LiveStream } from '../../../test/support/app.ts';
import { createClient, createPractice } from '../../../test/support/fixtures.ts';
import type { Clock } from '../paging/paging.service.ts';
import { sendQueuedMessage } from '../messaging/outbox.ts';
import { receiveCall } from './call-gate.webhooks.ts';

// Synthetic numbers only (555-01xx is reserved for fiction).
const PUBLIC_URL = 'https://holdspace.example.test';
const TOKEN = 'synthetic-twilio-auth-token';
const LINE = '+15105550150';        // the clinician's direct line (a Twilio number)
const CELL = '+15105550151';        // the clinician's own phone
const SCHOOL = '+15105550152';      // on the clinician's list
const CONTACT = '+15105550153';     // the client's emergency contact
const HOSPITAL = '+15105550154';    // the practice's emergency number
const FRONT = '+15105550155';       // the front desk
const SUP_LINE = '+15105550156';    // the supervisor's line (no session)
const SUP_CELL = '+15105550157';    // the supervisor's phone (on call)
let strangers = 60;
const stranger = () => `+151055501${strangers++}`;

describe('the urgent-call gate', async () => {
  const { app, db, jobs, live } = await createTestApp({ HOLDSPACE_PUBLIC_URL: PUBLIC_URL });
  const base = await listen(app);
  const practice = await createPractice(db, 'Harbor Counseling');
  const other = await createPractice(db, 'Elsewhere');
  const [admin, clinician, supervisor, frontDesk, otherClinician, otherFrontDesk] = await Promise.all([
    signedIn(app, practice.users.admin), signedIn(app, practice.users.clinician), signedIn(app, practice.users.supervisor),
    signedIn(app, practice.users.front_desk), signedIn(app, other.users.clinician), signedIn(app, other.users.front_desk),
  ]);
  const client = await createClient(db, practice, { name: 'Jordan Reyes' });
  const streams: LiveStream[] = [];
  afterAll(() => { for (const s of streams) s.close(); });

  const path = (p: string, practiceId = practice.practiceId) => `/api/webhooks/twilio/${practiceId}/${p}`;
  const twilioPost = (p: string, params: Record<string, string>, signature = twilio.getExpectedTwilioSignature(TOKEN, `${PUBLIC_URL}${p}`, params)) =>
    app.inject({ method: 'POST', url: p, headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature }, payload: new URLSearchParams(params).toString() });
  const call = (from: string, to = LINE, sid = newSid()) => twilioPost(path('voice'), { CallSid: sid, From: from, To: to, CallStatus: 'ringing' });
  const gather = (sid: string, from: string, digits?: string) => twilioPost(path('voice/gather'), { CallSid: sid, From: from, To: LINE, ...(digits === undefined ? {} : { Digits: digits }) });
  const count = async (table: 'call_events' | 'session_alerts' | 'audit_events' | 'messages' | 'incidents') =>
    Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<string>().as('n')).where('practice_id', '=', practice.practiceId).executeTakeFirstOrThrow()).n);
  const gate = { enabled: true, directNumber: LINE, forwardTo: CELL, otherwise: 'voicemail', breakthroughNumbers: [{ label: "Sam's school", number: SCHOOL }] };
  const setGate = async (change: Record<string, unknown> = {}) => {
    const res = await clinician.put('/api/me/call-gate', { ...gate, ...change });
    expect(res.statusCode, res.body).toBe(200);
  };
  /** The alert a call or text made (by its CallSid or MessageSid). */
  const alertOf = async (sid: string) => {
    const event = await db.selectFrom('call_events').select('alert_id').where('practice_id', '=', practice.practiceId).where('provider_sid', '=', sid)
      .where('alert_id', 'is not', null).executeTakeFirstOrThrow();
    return db.selectFrom('session_alerts').selectAll().where('practice_id', '=', practice.practiceId).where('id', '=', event.alert_id!).executeTakeFirstOrThrow();
  };
  const alertById = (id: string) => db.selectFrom('session_alerts').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const newSid = (prefix = 'CA') => `${prefix}${randomUUID().replace(/-/g, '')}`;

  const telehealth = { clientLocation: '12 Example Street, Oakland, CA', callbackPhone: '+15105550199' };
  let sessionId = '';
  let clinicianStream: LiveStream;
  let supervisorStream: LiveStream;

  beforeAll(async () => {
    // The practice's Twilio auth token signs the webhooks; texts go through the development transport.
    const messaging = await admin.put('/api/practice/messaging', {
      emailEnabled: false, smtpHost: null, smtpPort: null, smtpSecure: false, smtpUser: null, emailFrom: null, textProvider: 'development',
      twilioAccountSid: null, twilioAuthToken: TOKEN, twilioFrom: null, twilioApiBaseUrl: null, quietHours: { start: '00:00', end: '00:00' },
    });
    expect(messaging.statusCode, messaging.body).toBe(200);
    const practiceGate = await admin.put('/api/practice/call-gate', {
      repeatCallMinutes: 5, pressOneEnabled: true, frontDeskNumber: FRONT, emergencyNumbers: [{ label: 'Highland Hospital', kind: 'hospital', number: HOSPITAL }],
    });
    expect(practiceGate.statusCode, practiceGate.body).toBe(200);
    await setGate();
    const sup = await supervisor.put('/api/me/call-gate', { enabled: true, directNumber: SUP_LINE, forwardTo: SUP_CELL, otherwise: 'voicemail', breakthroughNumbers: [] });
    expect(sup.statusCode, sup.body).toBe(200);
    await db.insertInto('emergency_contacts').values({
      practice_id: practice.practiceId, id: randomUUID(), client_id: client.id, name: 'Alex Reyes', relationship: 'sibling', phones: [CONTACT],
      priority: 1, may_be_told: 'That Jordan needs them', consent_scope: 'emergency', consent_given_on: '2026-01-02', consent_expires_on: null,
    }).execute();
    const booked = await clinician.post('/api/appointments', { clientId: client.id, clinicianId: practice.users.clinician.id, startsAt: new Date().toISOString(), minutes: 50, modality: 'telehealth' });
    expect(booked.statusCode, booked.body).toBe(201);
    const started = await clinician.post(`/api/appointments/${booked.json().id}/session`, telehealth);
    expect(started.statusCode, started.body).toBe(201);
    sessionId = started.json().id;
    clinicianStream = await openLiveStream(base, clinician);
    supervisorStream = await openLiveStream(base, supervisor);
    streams.push(clinicianStream, supervisorStream);
  });

  describe('the signature', () => {
    it('a forged or tampered request is refused with a 403 problem and writes nothing', async () => {
      const before = await Promise.all([count('call_events'), count('session_alerts'), count('audit_events')]);
      const params = { CallSid: 'CAforged', From: SCHOOL, To: LINE };
      const forged = await twilioPost(path('voice'), params, 'bm90IGEgc2lnbmF0dXJl');
      expect(forged.statusCode).toBe(403);
      expect(forged.headers['content-type']).toContain('application/problem+json');
      expect(forged.json().code).toBe('WEBHOOK_SIGNATURE_INVALID');
      // Signed for other fields than those sent.
      const tampered = await twilioPost(path('voice'), { ...params, From: HOSPITAL }, twilio.getExpectedTwilioSignature(TOKEN, `${PUBLIC_URL}${path('voice')}`, params));
      expect(tampered.statusCode).toBe(403);
      // Signed with another token; no signature at all; the text and gather webhooks too.
      expect((await twilioPost(path('line-text'), { MessageSid: 'SMforged', From: SCHOOL, To: LINE, Body: 'hi' }, twilio.getExpectedTwilioSignature('another-token', `${PUBLIC_URL}${path('line-text')}`, { MessageSid: 'SMforged', From: SCHOOL, To: LINE, Body: 'hi' }))).statusCode).toBe(403);
      expect((await app.inject({ method: 'POST', url: path('voice/gather'), headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'CallSid=CAx&Digits=1' })).statusCode).toBe(403);
      // Another practice's webhook URL with this practice's signature: that practice has no token.
      expect((await twilioPost(path('voice', other.practiceId), params)).statusCode).toBe(403);
      expect(await Promise.all([count('call_events'), count('session_alerts'), count('audit_events')])).toEqual(before);
    });
  });

  describe('in session, each reason breaks through', () => {
    const expectBreakthrough = async (sid: string, res: Awaited<ReturnType<typeof call>>, why: string, who: string) => {
      expect(res.statusCode, res.body).toBe(200);
      expect(res.headers['content-type']).toContain('text/xml');
      expect(res.body).toContain('Please hold');
      expect(res.body).toMatch(new RegExp(`<Dial[^>]*><Number>\\${CELL}</Number></Dial>`));
      const alert = await alertOf(sid);
      expect(alert).toMatchObject({ session_id: sessionId, why, who, status: 'open', kind: 'personal', clinician_id: practice.users.clinician.id });
      // The clinician is told live; ids only.
      const event = await clinicianStream.next('session.alert', (d) => d.alertId === alert.id);
      expect(event.data).toEqual({ sessionId, alertId: alert.id });
      return alert;
    };

    it('a number on the clinician\'s list', async () => {
      const sid = newSid();
      await expectBreakthrough(sid, await call(SCHOOL, LINE, sid), 'on_list', "Sam's school");
    });

    it("an emergency contact of the client in the room", async () => {
      const sid = newSid();
      await expectBreakthrough(sid, await call(CONTACT, LINE, sid), 'emergency_contact', 'Emergency contact of the client');
    });

    it("one of the practice's emergency numbers", async () => {
      const sid = newSid();
      await expectBreakthrough(sid, await call(HOSPITAL, LINE, sid), 'emergency_number', 'Highland Hospital');
    });

    it('an unknown caller is asked to press 1, presses it, and breaks through', async () => {
      const from = stranger();
      const sid = newSid();
      const first = await call(from, LINE, sid);
      expect(first.body).toContain('<Gather');
      expect(first.body).toContain('If this is an emergency, press 1.');
      expect(first.body).toContain(`action="${PUBLIC_URL}${path('voice/gather')}"`);
      const alertsBefore = await count('session_alerts');
      await expectBreakthrough(sid, await gather(sid, from, '1'), 'pressed_1', from);
      expect(await count('session_alerts')).toBe(alertsBefore + 1);
    });

    it('the same number calling again within N minutes (the first time unanswered)', async () => {
      const from = stranger();
      const sid = newSid();
      await call(from, LINE, sid);
      const notPressed = await gather(sid, from);
      expect(notPressed.body).toContain('<Record');
      const again = newSid();
      await expectBreakthrough(again, await call(from, LINE, again), 'repeat_call', from);
    });

    it('a text from a number on the list: an alert with the text, the sender thanked, the phone gets it', async () => {
      const sid = newSid('SM');
      const res = await twilioPost(path('line-text'), { MessageSid: sid, From: SCHOOL, To: LINE, Body: 'Sam has a fever, please call.' });
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain('Your message has been passed on now.');
      expect(res.body).toContain(`<Message to="${CELL}">From ${SCHOOL}: Sam has a fever, please call.</Message>`);
      const alert = await alertOf(sid);
      expect(alert).toMatchObject({ source: 'text', why: 'on_list', message: 'Sam has a fever, please call.' });
      await clinicianStream.next('session.alert', (d) => d.alertId === alert.id);
    });

    it('only the session\'s clinician is told', async () => {
      await new Promise((r) => setTimeout(r, 300));
      expect(clinicianStream.events.filter((e) => e.type === 'session.alert').length).toBeGreaterThanOrEqual(6);
      expect(supervisorStream.events.filter((e) => e.type === 'session.alert')).toEqual([]);
    });
  });

  describe('everyone else', () => {
    it("goes by the clinician's otherwise: voicemail, the front desk, the on-call clinician", async () => {
      const alerts = await count('session_alerts');
      const voicemail = await gather('CAvm', stranger(), '');
      expect(voicemail.body).toContain('<Record');
      expect(voicemail.body).toContain(`action="${PUBLIC_URL}${path('voice/gather')}?after=record"`);

      await setGate({ otherwise: 'front_desk' });
      const desk = await gather('CAdesk', stranger(), '2');
      expect(desk.body).toContain(`<Number>${FRONT}</Number>`);

      // On call: the escalation policy's list; the supervisor is on call and has a phone to ring.
      const policy = await admin.put('/api/practice/escalation-policy', { levels: [{ target: 'supervisor', waitMinutes: 2 }], rounds: 1, onCallUserIds: [practice.users.supervisor.id] });
      expect(policy.statusCode, policy.body).toBe(200);
      await setGate({ otherwise: 'on_call' });
      const onCall = await gather('CAoncall', stranger(), '');
      expect(onCall.body).toContain(`<Number>${SUP_CELL}</Number>`);
      await setGate();
      expect(await count('session_alerts')).toBe(alerts);
      const outcomes = await db.selectFrom('call_events').select(['provider_sid', 'outcome']).where('practice_id', '=', practice.practiceId)
        .where('provider_sid', 'in', ['CAvm', 'CAdesk', 'CAoncall']).orderBy('provider_sid').execute();
      expect(outcomes).toEqual([{ provider_sid: 'CAdesk', outcome: 'front_desk' }, { provider_sid: 'CAoncall', outcome: 'on_call' }, { provider_sid: 'CAvm', outcome: 'voicemail' }]);
    });

    it('nobody answered a call we routed: a message is taken; the end of the message hangs up; nothing written', async () => {
      const events = await count('call_events');
      const unanswered = await twilioPost(`${path('voice/gather')}?after=dial`, { CallSid: 'CAafter', From: SCHOOL, To: LINE, DialCallStatus: 'no-answer' });
      expect(unanswered.body).toContain('<Record');
      const answered = await twilioPost(`${path('voice/gather')}?after=dial`, { CallSid: 'CAafter', From: SCHOOL, To: LINE, DialCallStatus: 'completed' });
      expect(answered.body).toContain('<Hangup/>');
      expect(await count('call_events')).toBe(events);
    });
  });

  describe('outside a session, or with the gate off', () => {
    it('a clinician with no session under way: normal routing, even for a listed hospital number', async () => {
      const alerts = await count('session_alerts');
      const res = await call(HOSPITAL, SUP_LINE);
      expect(res.body).toMatch(new RegExp(`<Dial[^>]*><Number>\\${SUP_CELL}</Number></Dial>`));
      expect(res.body).not.toContain('Please hold');
      expect(await count('session_alerts')).toBe(alerts);
    });

    it('the gate off: normal routing in session too', async () => {
      await setGate({ enabled: false });
      const alerts = await count('session_alerts');
      const res = await call(SCHOOL);
      expect(res.body).toMatch(new RegExp(`<Dial[^>]*><Number>\\${CELL}</Number></Dial>`));
      expect(res.body).not.toContain('<Gather');
      expect(await count('session_alerts')).toBe(alerts);
      await setGate();
    });
  });

  it('a repeated call, with a controlled clock: within N minutes it breaks through, after N it does not', async () => {
    let now = new Date('2031-05-06T17:00:00Z');
    const clock: Clock = { now: () => now };
    const deps = { db, live, clock, baseUrl: PUBLIC_URL };
    const twice = async (minutesApart: number) => {
      const from = stranger();
      now = new Date('2031-05-06T17:00:00Z');
      const first = await receiveCall(deps, practice.practiceId, { CallSid: `CA1${from}`, From: from, To: LINE }, 'voice');
      expect(first).toContain('<Gather');
      now = new Date(now.getTime() + minutesApart * 60_000);
      return receiveCall(deps, practice.practiceId, { CallSid: `CA2${from}`, From: from, To: LINE }, 'voice');
    };
    expect(await twice(4)).toContain('Please hold');
    expect(await twice(5)).toContain('Please hold');
    const later = await twice(6);
    expect(later).toContain('<Gather');
    expect(later).not.toContain('Please hold');
  });

  it('a redelivered webhook does nothing twice', async () => {
    const sid = newSid();
    const before = await Promise.all([count('call_events'), count('session_alerts'), count('audit_events')]);
    const first = await call(SCHOOL, LINE, sid);
    const again = await call(SCHOOL, LINE, sid);
    expect(again.statusCode).toBe(200);
    expect(again.body).toBe(first.body);
    expect(await Promise.all([count('call_events'), count('session_alerts'), count('audit_events')])).toEqual([before[0] + 1, before[1] + 1, before[2] + 1]);
    const textSid = newSid('SM');
    const t1 = await twilioPost(path('line-text'), { MessageSid: textSid, From: CONTACT, To: LINE, Body: 'Call me' });
    const t2 = await twilioPost(path('line-text'), { MessageSid: textSid, From: CONTACT, To: LINE, Body: 'Call me' });
    expect(t2.body).toBe(t1.body);
    expect(await count('session_alerts')).toBe(before[1] + 2);
  });

  describe('the front desk raises an alert', () => {
    it('201, a retry 200 with the same alert, the clinician told live; no clinical detail in the answer', async () => {
      const id = randomUUID();
      const body = { id, who: 'A delivery driver', message: 'A parcel for you needs a signature now.', kind: 'facility' };
      const res = await frontDesk.post(`/api/sessions/${sessionId}/alerts`, body);
      expect(res.statusCode, res.body).toBe(201);
      expect(Object.keys(res.json())).toEqual(['alert']);
      expect(res.json().alert).toMatchObject({ id, sessionId, source: 'front_desk', why: 'front_desk', who: 'A delivery driver', from: null, kind: 'facility', status: 'open' });
      expect(JSON.stringify(res.json())).not.toContain(client.name);
      await clinicianStream.next('session.alert', (d) => d.alertId === id);
      const retry = await frontDesk.post(`/api/sessions/${sessionId}/alerts`, body);
      expect(retry.statusCode).toBe(200);
      expect(retry.json().alert.id).toBe(id);
      expect(await db.selectFrom('session_alerts').select('id').where('id', '=', id).execute()).toHaveLength(1);
    });

    it('the front desk sees which sessions run (ids and times, no client); clinicians do not ask', async () => {
      const res = await frontDesk.get('/api/sessions/running');
      expect(res.statusCode, res.body).toBe(200);
      const sessions = res.json().sessions as Record<string, unknown>[];
      expect(sessions).toEqual([expect.objectContaining({ id: sessionId, clinicianId: practice.users.clinician.id })]);
      expect(Object.keys(sessions[0]!).sort()).toEqual(['appointmentId', 'clinicianId', 'id', 'startedAt']);
      expect((await otherFrontDesk.get('/api/sessions/running')).json().sessions).toEqual([]);
      expect((await clinician.get('/api/sessions/running')).statusCode).toBe(403);
    });

    it('404 for a session not running, not this practice\'s, or from a clinician of another practice; nothing written', async () => {
      const ended = await clinician.post('/api/appointments', { clientId: client.id, clinicianId: practice.users.clinician.id, startsAt: '2026-03-02T17:00:00Z', minutes: 50, modality: 'telehealth' });
      const endedSession = await clinician.post(`/api/appointments/${ended.json().id}/session`, telehealth);
      expect(endedSession.statusCode, endedSession.body).toBe(201);
      expect((await clinician.post(`/api/sessions/${endedSession.json().id}/end`, {})).statusCode).toBe(200);
      const alerts = await count('session_alerts');
      const body = () => ({ id: randomUUID(), who: 'Someone', message: 'Urgent.', kind: 'personal' });
      expect((await frontDesk.post(`/api/sessions/${endedSession.json().id}/alerts`, body())).statusCode).toBe(404);
      expect((await frontDesk.post(`/api/sessions/${randomUUID()}/alerts`, body())).statusCode).toBe(404);
      expect((await otherFrontDesk.post(`/api/sessions/${sessionId}/alerts`, body())).statusCode).toBe(404);
      expect((await otherClinician.post(`/api/sessions/${sessionId}/alerts`, body())).statusCode).toBe(404);
      expect((await clinician.post(`/api/sessions/${sessionId}/alerts`, body())).statusCode).toBe(404);
      expect((await frontDesk.post(`/api/sessions/${sessionId}/alerts`, { ...body(), message: '' })).statusCode).toBe(400);
      expect(await count('session_alerts')).toBe(alerts);
    });
  });

  describe("the clinician's answer", () => {
    const raise = async (kind: 'personal' | 'facility') => {
      const id = randomUUID();
      expect((await frontDesk.post(`/api/sessions/${sessionId}/alerts`, { id, who: 'Reception', message: 'Someone is here for you.', kind })).statusCode).toBe(201);
      return id;
    };
    const callAlert = async () => {
      const sid = newSid();
      await call(SCHOOL, LINE, sid);
      return (await alertOf(sid)).id;
    };
    const decide = (alertId: string, body: unknown, who: Browser = clinician) => who.post(`/api/sessions/${sessionId}/alerts/${alertId}/decision`, body);
    const audited = (alertId: string) => db.selectFrom('audit_events').select(['action', 'detail']).where('practice_id', '=', practice.practiceId)
      .where('resource_id', '=', alertId).where('action', '=', 'session.alert.decide').execute();

    it('step out of a call: the clinician-emergency protocol opens for the client in the room', async () => {
      const alertId = await callAlert();
      const incidentId = randomUUID();
      const res = await decide(alertId, { choice: 'step_out', incidentId, runId: randomUUID() });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ incidentId, alert: { id: alertId, status: 'stepped_out', incidentId } });
      const incident = await db.selectFrom('incidents').select(['protocol_key', 'client_id', 'session_id']).where('id', '=', incidentId).executeTakeFirstOrThrow();
      expect(incident).toEqual({ protocol_key: 'clinician-emergency', client_id: client.id, session_id: sessionId });
      expect(await audited(alertId)).toHaveLength(1);
    });

    it('step out for something at the door: the stepping-out protocol', async () => {
      const alertId = await raise('facility');
      const incidentId = randomUUID();
      expect((await decide(alertId, { choice: 'step_out', incidentId, runId: randomUUID() })).statusCode).toBe(200);
      expect((await db.selectFrom('incidents').select('protocol_key').where('id', '=', incidentId).executeTakeFirstOrThrow()).protocol_key).toBe('stepping-out');
    });

    it('text back: "I will call you in N minutes." queued to the caller (no client), and sent', async () => {
      const alertId = await callAlert();
      const res = await decide(alertId, { choice: 'text_back', minutes: 10 });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().alert).toMatchObject({ status: 'texted_back', minutes: 10 });
      const message = await db.selectFrom('messages').selectAll().where('practice_id', '=', practice.practiceId).where('purpose', '=', 'call_back')
        .orderBy('created_at', 'desc').limit(1).executeTakeFirstOrThrow();
      expect(message).toMatchObject({ client_id: null, channel: 'text', to_address: SCHOOL, body: 'I will call you in 10 minutes.', status: 'queued', created_by: practice.users.clinician.id });
      const sent = await sendQueuedMessage({ db, jobs, clock: { now: () => new Date() } }, { practiceId: practice.practiceId, messageId: message.id });
      expect(sent.outcome).toBe('delivered');
      // The outbox lists it, without a client.
      const outbox = await admin.get('/api/messaging/outbox');
      expect(outbox.statusCode, outbox.body).toBe(200);
      expect(outbox.json().messages.find((m: { id: string }) => m.id === message.id)).toMatchObject({ clientId: null, clientName: null, purpose: 'call_back' });
      const decisions = await audited(alertId);
      expect(decisions).toHaveLength(1);
      expect(JSON.parse(String(decisions[0]!.detail))).toMatchObject({ sessionId, choice: 'text_back', minutes: 10, messageId: message.id });
    });

    it('text back to a front desk alert: 409 NO_NUMBER_TO_TEXT, nothing changed', async () => {
      const alertId = await raise('personal');
      const messages = await count('messages');
      const res = await decide(alertId, { choice: 'text_back', minutes: 5 });
      expect(res.statusCode).toBe(409);
      expect(res.json().code).toBe('NO_NUMBER_TO_TEXT');
      expect(await count('messages')).toBe(messages);
      expect((await alertById(alertId)).status).toBe('open');
    });

    it('decline; answered twice → 409 ALERT_ALREADY_DECIDED; bad input and other people change nothing', async () => {
      const alertId = await callAlert();
      const incidents = await count('incidents');
      for (const bad of [{ choice: 'text_back', minutes: 0 }, { choice: 'text_back', minutes: 121 }, { choice: 'snooze' }, { choice: 'step_out', incidentId: 'x', runId: randomUUID() }, { choice: 'decline', extra: 1 }]) {
        expect((await decide(alertId, bad)).statusCode, JSON.stringify(bad)).toBe(400);
      }
      expect((await decide(randomUUID(), { choice: 'decline' })).statusCode).toBe(404);
      // Not even the clinician's supervisor answers their calls; the front desk neither.
      expect((await decide(alertId, { choice: 'decline' }, supervisor)).statusCode).toBe(404);
      expect((await decide(alertId, { choice: 'decline' }, frontDesk)).statusCode).toBe(404);
      expect((await db.selectFrom('session_alerts').select('status').where('id', '=', alertId).executeTakeFirstOrThrow()).status).toBe('open');
      expect(await audited(alertId)).toEqual([]);

      const declined = await decide(alertId, { choice: 'decline' });
      expect(declined.statusCode).toBe(200);
      expect(declined.json().alert).toMatchObject({ status: 'declined' });
      expect(declined.json().alert.decidedAt).not.toBeNull();
      for (const again of [{ choice: 'decline' }, { choice: 'text_back', minutes: 5 }, { choice: 'step_out', incidentId: randomUUID(), runId: randomUUID() }]) {
        const res = await decide(alertId, again);
        expect(res.statusCode).toBe(409);
        expect(res.json().code).toBe('ALERT_ALREADY_DECIDED');
      }
      expect(await count('incidents')).toBe(incidents);
      expect(await audited(alertId)).toHaveLength(1);
    });

    it('lists the alerts for the clinician only: open first, newest first', async () => {
      const res = await clinician.get(`/api/sessions/${sessionId}/alerts`);
      expect(res.statusCode).toBe(200);
      const alerts = res.json().alerts as { status: string; createdAt: string }[];
      const firstDecided = alerts.findIndex((a) => a.status !== 'open');
      expect(firstDecided).toBeGreaterThan(0);
      expect(alerts.slice(firstDecided).every((a) => a.status !== 'open')).toBe(true);
      const open = alerts.slice(0, firstDecided).map((a) => a.createdAt);
      expect(open).toEqual([...open].sort().reverse());
      expect((await supervisor.get(`/api/sessions/${sessionId}/alerts`)).statusCode).toBe(404);
      expect((await frontDesk.get(`/api/sessions/${sessionId}/alerts`)).statusCode).toBe(404);
      expect((await otherClinician.get(`/api/sessions/${sessionId}/alerts`)).statusCode).toBe(404);
    });
  });

  describe('settings and the record', () => {
    it('GET /api/me/calls: the clinician\'s calls and texts, newest first, without the "press 1" prompts', async () => {
      const res = await clinician.get('/api/me/calls?limit=200');
      expect(res.statusCode).toBe(200);
      const calls = res.json().calls as { at: string; outcome: string; why: string | null; channel: string; sessionId: string | null }[];
      expect(new Set(calls.map((c) => c.outcome))).toEqual(new Set(['breakthrough', 'voicemail', 'front_desk', 'on_call', 'normal']));
      expect(new Set(calls.map((c) => c.why).filter(Boolean))).toEqual(new Set(['on_list', 'emergency_contact', 'emergency_number', 'repeat_call', 'pressed_1']));
      expect(calls.some((c) => c.channel === 'text')).toBe(true);
      expect(calls.map((c) => c.at)).toEqual(calls.map((c) => c.at).sort().reverse());
      // The supervisor's own line: only the call to it.
      const theirs = (await supervisor.get('/api/me/calls')).json().calls as { outcome: string; sessionId: string | null }[];
      expect(theirs).toEqual([expect.objectContaining({ outcome: 'normal', sessionId: null })]);
      expect((await frontDesk.get('/api/me/calls')).statusCode).toBe(403);
    });

    it('bad settings are refused and change nothing; a line is one clinician\'s', async () => {
      const before = (await clinician.get('/api/me/call-gate')).json();
      expect(before).toEqual(gate);
      for (const bad of [
        { ...gate, directNumber: '5105550150' }, { ...gate, forwardTo: '+1510' }, { ...gate, otherwise: 'nobody' },
        { ...gate, breakthroughNumbers: [{ label: '', number: SCHOOL }] }, { ...gate, breakthroughNumbers: [{ label: 'x'.repeat(81), number: SCHOOL }] },
        { ...gate, breakthroughNumbers: Array.from({ length: 21 }, (_, i) => ({ label: `N${i}`, number: `+1510555${String(1000 + i)}` })) },
      ]) {
        expect((await clinician.put('/api/me/call-gate', bad)).statusCode, JSON.stringify(bad).slice(0, 80)).toBe(400);
      }
      const taken = await clinician.put('/api/me/call-gate', { ...gate, directNumber: SUP_LINE });
      expect(taken.statusCode).toBe(409);
      expect(taken.json().code).toBe('DIRECT_NUMBER_IN_USE');
      expect((await clinician.get('/api/me/call-gate')).json()).toEqual(before);
      expect((await admin.put('/api/practice/call-gate', { repeatCallMinutes: 61, pressOneEnabled: true, frontDeskNumber: null, emergencyNumbers: [] })).statusCode).toBe(400);
      expect((await admin.put('/api/practice/call-gate', { repeatCallMinutes: 5, pressOneEnabled: true, frontDeskNumber: null, emergencyNumbers: [{ label: 'Fire', kind: 'fire', number: HOSPITAL }] })).statusCode).toBe(400);
      expect((await admin.get('/api/practice/call-gate')).json()).toMatchObject({ repeatCallMinutes: 5, frontDeskNumber: FRONT });
      expect((await frontDesk.get('/api/me/call-gate')).statusCode).toBe(403);
      expect((await clinician.get('/api/practice/call-gate')).statusCode).toBe(403);
    });
  });
});
