import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createTestApp, signedIn, type Browser } from '../../../test/support/app.ts';
import { createClient, createPractice } from '../../../test/support/fixtures.ts';
import { localDate } from '../../domain/zoned-time.ts';
import { shortDay } from './next-session.ts';

const { app, db } = await createTestApp();
const TZ = 'America/Los_Angeles';
const HOUR = 3_600_000;

async function setUp() {
  const practice = await createPractice(db);
  const client = await createClient(db, practice, { name: 'Jordan Reyes' });
  const clinician = await signedIn(app, practice.users.clinician);
  return { practice, client, clinician };
}

async function ok(res: Promise<{ statusCode: number; body: string; json(): any }>, status = 200) {
  const r = await res;
  expect(r.statusCode, r.body).toBe(status);
  return r.json();
}

/** A walkout with no danger signs where the client did not return, up to "Book the next session" marked done. */
async function walkoutAskingForNextSession(clinician: Browser, clientId: string) {
  const incidentId = randomUUID();
  const runId = randomUUID();
  await ok(clinician.post('/api/incidents', { id: incidentId, runId, clientId, protocolKey: 'client-walks-out' }), 201);
  const step = (action: Record<string, unknown>) => ok(clinician.post(`/api/incidents/${incidentId}/runs/${runId}/events`, { id: randomUUID(), action }));
  await step({ type: 'answer', stepId: 'danger-signs', value: 'no' });
  const detail = await step({ type: 'mark_done', stepId: 'next-session' });
  expect(detail.run.state.definition.version).toBe(2);
  return { incidentId, runId };
}

const book = (browser: Browser, clientId: string, clinicianId: string, startsAt: Date) =>
  browser.post('/api/appointments', { clientId, clinicianId, startsAt: startsAt.toISOString(), minutes: 50, modality: 'telehealth' });

describe('the next session', () => {
  it('S1: the schedule warns until the next session is booked inside the 7-day window; booking it completes the follow-up', async () => {
    const { practice, client, clinician } = await setUp();
    const { incidentId } = await walkoutAskingForNextSession(clinician, client.id);
    const task = await db.selectFrom('follow_up_tasks').selectAll().where('incident_id', '=', incidentId).where('kind', '=', 'next-session').executeTakeFirstOrThrow();
    expect(task.due_at.getTime() - task.created_at.getTime()).toBeGreaterThan(168 * HOUR - 60_000);
    const message = `Next session for Jordan Reyes due by ${shortDay(task.due_at, TZ)} — none booked`;

    const today = localDate(new Date(), TZ);
    const day = await ok(clinician.get(`/api/schedule/day?date=${today}`));
    expect(day.nextSessionWarnings).toEqual([expect.objectContaining({ followUpId: task.id, client: { id: client.id, name: 'Jordan Reyes' }, message })]);
    const agenda = await ok(clinician.get(`/api/clients/${client.id}/agenda`));
    expect(agenda.nextSessionWarnings.map((w: { message: string }) => w.message)).toEqual([message]);
    // The front desk books, so their whole-practice day shows it too (no clinical detail in it).
    const frontDesk = await signedIn(app, practice.users.front_desk);
    expect((await ok(frontDesk.get(`/api/schedule/day?date=${today}`))).nextSessionWarnings.map((w: { followUpId: string }) => w.followUpId)).toContain(task.id);

    // Booked outside the window (10 days on): still warned, still open.
    await ok(book(clinician, client.id, practice.users.clinician.id, new Date(Date.now() + 240 * HOUR)), 201);
    expect((await ok(clinician.get(`/api/clients/${client.id}/agenda`))).nextSessionWarnings).toHaveLength(1);

    // Booked inside it (in 5 days): the warning goes and the follow-up is done, with the timeline told.
    const inside = new Date(Date.now() + 120 * HOUR);
    await ok(book(clinician, client.id, practice.users.clinician.id, inside), 201);
    expect((await ok(clinician.get(`/api/clients/${client.id}/agenda`))).nextSessionWarnings).toEqual([]);
    expect((await ok(clinician.get(`/api/schedule/day?date=${today}`))).nextSessionWarnings).toEqual([]);
    const done = await db.selectFrom('follow_up_tasks').selectAll().where('id', '=', task.id).executeTakeFirstOrThrow();
    expect(done).toMatchObject({ status: 'done', done_by: practice.users.clinician.id, note: `Booked for ${shortDay(inside, TZ)}` });
    const incident = await ok(clinician.get(`/api/incidents/${incidentId}`));
    expect(incident.timeline.map((t: { what: string }) => t.what)).toContain(`Follow-up done: Book the next session (Booked for ${shortDay(inside, TZ)})`);
  });

  it('the appointment whose session is under way is not the next one: the warning stays, the agenda waits for the next booking', async () => {
    const { practice, client, clinician } = await setUp();
    // The session began early (its appointment is still ahead), and the client walked out of it.
    const held = await ok(book(clinician, client.id, practice.users.clinician.id, new Date(Date.now() + 2 * HOUR)), 201);
    await ok(clinician.post(`/api/appointments/${held.id}/session`, { clientLocation: '12 Example Street, Oakland, CA', callbackPhone: '+15105550100' }), 201);
    const { incidentId } = await walkoutAskingForNextSession(clinician, client.id);
    const before = await ok(clinician.get(`/api/clients/${client.id}/agenda`));
    expect(before.nextAppointment).toBeNull();
    expect(before.nextSessionWarnings).toHaveLength(1);
    const waiting = await ok(clinician.post(`/api/clients/${client.id}/agenda`, { id: randomUUID(), text: 'Talk about leaving the session', incidentId }), 201);
    expect(waiting.appointmentId).toBeNull();

    const next = await ok(book(clinician, client.id, practice.users.clinician.id, new Date(Date.now() + 72 * HOUR)), 201);
    const after = await ok(clinician.get(`/api/clients/${client.id}/agenda`));
    expect(after.nextAppointment).toMatchObject({ id: next.id });
    expect(after.nextSessionWarnings).toEqual([]);
    const item = await ok(clinician.post(`/api/clients/${client.id}/agenda`, { id: randomUUID(), text: 'Family conflict: what helps' }), 201);
    expect(item.appointmentId).toBe(next.id);
  });

  it('already booked inside the window when the step is done: the follow-up is complete at once (it would otherwise escalate as overdue)', async () => {
    const { practice, client, clinician } = await setUp();
    const inside = new Date(Date.now() + 96 * HOUR);
    await ok(book(clinician, client.id, practice.users.clinician.id, inside), 201);
    const { incidentId } = await walkoutAskingForNextSession(clinician, client.id);
    const task = await db.selectFrom('follow_up_tasks').selectAll().where('incident_id', '=', incidentId).where('kind', '=', 'next-session').executeTakeFirstOrThrow();
    expect(task).toMatchObject({ status: 'done', note: `Already booked for ${shortDay(inside, TZ)}` });
    const timers = await db.selectFrom('pgboss.job' as any).select('id').where('singleton_key', 'like', `follow-up:${task.id}:%`)
      .where('state', 'in', ['created', 'retry']).execute();
    expect(timers).toEqual([]);
    expect((await ok(clinician.get(`/api/clients/${client.id}/agenda`))).nextSessionWarnings).toEqual([]);
  });

  it('moving an appointment into the window completes the follow-up too', async () => {
    const { practice, client, clinician } = await setUp();
    const { incidentId } = await walkoutAskingForNextSession(clinician, client.id);
    const booked = await ok(book(clinician, client.id, practice.users.clinician.id, new Date(Date.now() + 300 * HOUR)), 201);
    expect((await ok(clinician.get(`/api/clients/${client.id}/agenda`))).nextSessionWarnings).toHaveLength(1);
    await ok(clinician.request('PATCH', `/api/appointments/${booked.id}`, { startsAt: new Date(Date.now() + 48 * HOUR).toISOString() }));
    const task = await db.selectFrom('follow_up_tasks').select('status').where('incident_id', '=', incidentId).where('kind', '=', 'next-session').executeTakeFirstOrThrow();
    expect(task.status).toBe('done');
  });
});

describe("the next session's agenda", () => {
  it('an item goes on the next appointment and shows when that session starts; it can be marked discussed', async () => {
    const { practice, client, clinician } = await setUp();
    const { incidentId } = await walkoutAskingForNextSession(clinician, client.id);
    // None booked yet: the item waits for the next appointment.
    const early = await ok(clinician.post(`/api/clients/${client.id}/agenda`, { id: randomUUID(), text: 'Talk about leaving the session', incidentId }), 201);
    expect(early).toMatchObject({ appointmentId: null, incidentId });
    const appointment = await ok(book(clinician, client.id, practice.users.clinician.id, new Date(Date.now() + 2 * HOUR)), 201);
    const itemId = randomUUID();
    const item = await ok(clinician.post(`/api/clients/${client.id}/agenda`, { id: itemId, text: 'Family conflict: what helps' }), 201);
    expect(item.appointmentId).toBe(appointment.id);
    // Sent again (the browser retried): written once.
    expect((await clinician.post(`/api/clients/${client.id}/agenda`, { id: itemId, text: 'Family conflict: what helps' })).statusCode).toBe(200);

    const session = await ok(clinician.post(`/api/appointments/${appointment.id}/session`, { clientLocation: '12 Example Street, Oakland, CA', callbackPhone: '+15105550100' }), 201);
    expect(session.agenda.map((a: { text: string }) => a.text)).toEqual(['Talk about leaving the session', 'Family conflict: what helps']);

    const discussed = await ok(clinician.request('PATCH', `/api/agenda-items/${early.id}`, { discussed: true }));
    expect(discussed.discussedBy).toBe(practice.users.clinician.id);
    // Still shown in this session, as discussed; gone from the next one's open items.
    const reread = await ok(clinician.get(`/api/sessions/${session.id}`));
    expect(reread.agenda.find((a: { id: string }) => a.id === early.id).discussedAt).not.toBeNull();
    const agenda = await ok(clinician.get(`/api/clients/${client.id}/agenda`));
    expect(agenda.items.filter((a: { discussedAt: string | null }) => a.discussedAt === null).map((a: { id: string }) => a.id)).toEqual([itemId]);
  });

  it('bad input changes nothing: empty text, unknown client, an incident of another client, an outsider', async () => {
    const { practice, client, clinician } = await setUp();
    const other = await createClient(db, practice, { name: 'Alex Kim' });
    const { incidentId } = await walkoutAskingForNextSession(clinician, other.id);
    expect((await clinician.post(`/api/clients/${client.id}/agenda`, { id: randomUUID(), text: '  ' })).statusCode).toBe(400);
    expect((await clinician.post(`/api/clients/${randomUUID()}/agenda`, { id: randomUUID(), text: 'Hello' })).statusCode).toBe(404);
    const wrongIncident = await clinician.post(`/api/clients/${client.id}/agenda`, { id: randomUUID(), text: 'Hello', incidentId });
    expect(wrongIncident.statusCode).toBe(422);
    expect(wrongIncident.json().code).toBe('INCIDENT_NOT_FOR_CLIENT');
    const frontDesk = await signedIn(app, practice.users.front_desk);
    expect((await frontDesk.post(`/api/clients/${client.id}/agenda`, { id: randomUUID(), text: 'Hello' })).statusCode).toBe(404);
    expect((await clinician.request('PATCH', `/api/agenda-items/${randomUUID()}`, { discussed: true })).statusCode).toBe(404);
    const rows = await db.selectFrom('agenda_items').select('id').where('client_id', '=', client.id).execute();
    expect(rows).toEqual([]);
  });
});

describe('reflection: a psychotherapy note only its author reads', () => {
  it('the supervisor and another clinician of the care team get nothing; the note is in no other view', async () => {
    const { practice, client, clinician } = await setUp();
    const colleagueId = randomUUID();
    await db.insertInto('users').values({ practice_id: practice.practiceId, id: colleagueId, email: `colleague-${colleagueId}@example.test`, name: 'Dr. Sam Patel', role: 'clinician', password_hash: (await db.selectFrom('users').select('password_hash').where('id', '=', practice.users.clinician.id).executeTakeFirstOrThrow()).password_hash }).execute();
    await db.insertInto('client_clinicians').values({ practice_id: practice.practiceId, client_id: client.id, clinician_id: colleagueId }).execute();
    const colleague = await signedIn(app, { email: `colleague-${colleagueId}@example.test` });
    const supervisor = await signedIn(app, practice.users.supervisor);

    const noteId = randomUUID();
    const body = 'I pushed on the family conflict too early; Jordan shut down before leaving.';
    await ok(clinician.post(`/api/clients/${client.id}/reflections`, { id: noteId, body }), 201);
    expect((await ok(clinician.get(`/api/reflections/${noteId}`))).body).toBe(body);
    expect((await ok(clinician.get(`/api/clients/${client.id}/reflections`))).reflections.map((r: { id: string }) => r.id)).toEqual([noteId]);

    for (const other of [supervisor, colleague]) {
      expect((await other.get(`/api/reflections/${noteId}`)).statusCode).toBe(404);
      expect((await ok(other.get(`/api/clients/${client.id}/reflections`))).reflections).toEqual([]);
      // Reusing the id tells them nothing either.
      expect((await other.post(`/api/clients/${client.id}/reflections`, { id: noteId, body: 'x' })).statusCode).toBe(409);
    }
    const owner = await signedIn(app, practice.users.owner);
    expect((await owner.get(`/api/reflections/${noteId}`)).statusCode).toBe(404);
    // The colleague's own note is theirs alone.
    const theirs = randomUUID();
    await ok(colleague.post(`/api/clients/${client.id}/reflections`, { id: theirs, body: 'My own thoughts.' }), 201);
    expect((await ok(clinician.get(`/api/clients/${client.id}/reflections`))).reflections.map((r: { id: string }) => r.id)).toEqual([noteId]);

    // Not in the client record, the agenda, the incident list or the audit trail's details.
    for (const url of [`/api/clients/${client.id}`, `/api/clients/${client.id}/agenda`, `/api/clients/${client.id}/approach-notes`]) {
      expect((await clinician.get(url)).body).not.toContain('pushed on the family conflict');
    }
    const audit = await db.selectFrom('audit_events').select(['action', 'outcome', 'detail']).where('resource_id', '=', noteId).orderBy('seq').execute();
    expect(JSON.stringify(audit)).not.toContain('pushed');
    // The supervisor's and the colleague's refusals (the owner's is refused, and audited, at the route: not a clinician).
    expect(audit.filter((a) => a.outcome === 'denied').map((a) => a.action)).toEqual(['reflection.read', 'reflection.read']);
  });
});

describe('approach and fit', () => {
  it('notes an adjustment and a fit assessment; the fit needs its rating and decision', async () => {
    const { practice, client, clinician } = await setUp();
    await ok(clinician.post(`/api/clients/${client.id}/approach-notes`, { id: randomUUID(), kind: 'adjustment', body: 'Slower pace around family topics; check in on distress.' }), 201);
    await ok(clinician.post(`/api/clients/${client.id}/approach-notes`, { id: randomUUID(), kind: 'fit', body: 'Alliance holds.', fit: 'uncertain', decision: 'adjust' }), 201);
    expect((await clinician.post(`/api/clients/${client.id}/approach-notes`, { id: randomUUID(), kind: 'fit', body: 'No rating' })).statusCode).toBe(400);
    expect((await clinician.post(`/api/clients/${client.id}/approach-notes`, { id: randomUUID(), kind: 'adjustment', body: 'x', fit: 'good' })).statusCode).toBe(400);
    const supervisor = await signedIn(app, practice.users.supervisor);
    const notes = (await ok(supervisor.get(`/api/clients/${client.id}/approach-notes`))).notes;
    expect(notes.map((n: { kind: string; fit: string | null }) => [n.kind, n.fit])).toEqual([['fit', 'uncertain'], ['adjustment', null]]);
  });
});

describe('referral with a warm hand-off', () => {
  it('refers to a colleague, who is notified; the checklist and status move; completing adds them to the care team', async () => {
    const { practice, client, clinician } = await setUp();
    const receiverId = randomUUID();
    const hash = (await db.selectFrom('users').select('password_hash').where('id', '=', practice.users.clinician.id).executeTakeFirstOrThrow()).password_hash;
    await db.insertInto('users').values({ practice_id: practice.practiceId, id: receiverId, email: `receiver-${receiverId}@example.test`, name: 'Dr. Ana Torres', role: 'clinician', password_hash: hash }).execute();

    const id = randomUUID();
    const made = await ok(clinician.post(`/api/clients/${client.id}/referrals`, { id, toKind: 'internal', toUserId: receiverId, reason: 'Family-systems work is her specialty.' }), 201);
    expect(made).toMatchObject({ toName: 'Dr. Ana Torres', status: 'proposed' });
    expect(made.handoff.map((i: { key: string }) => i.key)).toEqual(['discuss', 'consent', 'contact', 'summary', 'introduction', 'attended']);
    const notes = await db.selectFrom('notifications').select(['kind', 'title', 'client_id']).where('user_id', '=', receiverId).execute();
    expect(notes).toEqual([{ kind: 'referral', title: 'Test clinician would like to refer a client to you', client_id: client.id }]);

    const ticked = await ok(clinician.request('PATCH', `/api/referrals/${id}`, { item: { key: 'consent', done: true }, status: 'contacted' }));
    expect(ticked.status).toBe('contacted');
    expect(ticked.handoff.find((i: { key: string }) => i.key === 'consent').doneBy).toBe(practice.users.clinician.id);
    const unticked = await ok(clinician.request('PATCH', `/api/referrals/${id}`, { item: { key: 'consent', done: false } }));
    expect(unticked.handoff.find((i: { key: string }) => i.key === 'consent').doneAt).toBeNull();
    expect((await clinician.request('PATCH', `/api/referrals/${id}`, { item: { key: 'dance', done: true } })).statusCode).toBe(400);

    expect((await db.selectFrom('client_clinicians').select('clinician_id').where('client_id', '=', client.id).execute()).map((r) => r.clinician_id)).not.toContain(receiverId);
    await ok(clinician.request('PATCH', `/api/referrals/${id}`, { status: 'completed' }));
    const team = (await db.selectFrom('client_clinicians').select('clinician_id').where('client_id', '=', client.id).execute()).map((r) => r.clinician_id);
    expect(team.sort()).toEqual([practice.users.clinician.id, receiverId].sort());
    const closed = await clinician.request('PATCH', `/api/referrals/${id}`, { status: 'proposed' });
    expect(closed.statusCode).toBe(409);
    expect(closed.json().code).toBe('REFERRAL_CLOSED');
  });

  it('an outside provider needs a name; a referral to someone who is not a clinician here is refused; nothing is written', async () => {
    const { practice, client, clinician } = await setUp();
    expect((await clinician.post(`/api/clients/${client.id}/referrals`, { id: randomUUID(), toKind: 'external', reason: 'x' })).statusCode).toBe(400);
    const toFrontDesk = await clinician.post(`/api/clients/${client.id}/referrals`, { id: randomUUID(), toKind: 'internal', toUserId: practice.users.front_desk.id, reason: 'x' });
    expect(toFrontDesk.statusCode).toBe(422);
    expect(toFrontDesk.json().code).toBe('REFERRAL_CLINICIAN_INVALID');
    expect((await clinician.post(`/api/clients/${client.id}/referrals`, { id: randomUUID(), toKind: 'external', toName: 'Bay Family Clinic', reason: '  ' })).statusCode).toBe(400);
    expect((await db.selectFrom('referrals').select('id').where('client_id', '=', client.id).execute())).toEqual([]);
    const made = await ok(clinician.post(`/api/clients/${client.id}/referrals`, { id: randomUUID(), toKind: 'external', toName: 'Bay Family Clinic', toContact: '+15105550177', reason: 'Intensive outpatient' }), 201);
    expect(made).toMatchObject({ toKind: 'external', toUserId: null, status: 'proposed' });
    const list = await ok(clinician.get(`/api/clients/${client.id}/referrals`));
    expect(list.referrals).toHaveLength(1);
  });
});
