import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { createInstance, createTestApp, listen, openLiveStream, signedIn, type LiveStream } from '../../../test/support/app.ts';
import { createClient, createPractice, FIXTURE_PASSWORD, type FixturePractice, type FixtureUser } from '../../../test/support/fixtures.ts';
import type { Db } from '../../server/database.ts';
import type { LiveHub, LiveMessage } from '../../server/live.ts';
import { JobQueue as JobQueueClass, type JobQueue } from '../../server/jobs.ts';
import { createTestDatabase } from '../../../test/support/database.ts';
import { insertUser } from '../auth/auth.repository.ts';
import { hashPassword } from '../auth/auth.service.ts';
import {
  cancelIncidentPages, ensureEscalationQueue, escalatePage, ESCALATION_QUEUE, incidentPages, publishAll, requestPage, startEscalationWorker, systemClock, type Clock, type EscalationJob,
} from './paging.service.ts';

const { app, db, url, jobs, live } = await createTestApp();
const baseA = await listen(app);

/** A clock the test sets by hand. */
class TestClock implements Clock {
  constructor(public t: Date) {}
  now() { return this.t; }
  at(iso: string | Date) { this.t = new Date(iso); return this; }
}
const minutesAfter = (t: Date, m: number) => new Date(t.getTime() + m * 60_000);
/** Far enough ahead that no running worker finds these timers due: the test plays the timer itself. */
const T = new Date('2031-03-04T17:00:00.000Z');

const passwordHash = hashPassword(FIXTURE_PASSWORD);
async function addUser(practice: FixturePractice, role: 'clinician' | 'supervisor' | 'front_desk', name: string): Promise<FixtureUser> {
  const user = { id: randomUUID(), email: `${role}-${randomUUID()}@example.test`, role, name };
  await insertUser(db, { practiceId: practice.practiceId, id: user.id, email: user.email, name, role, passwordHash: await passwordHash });
  return user;
}

/** A practice whose on-call clinician is Dr. On Call, with a client of the clinician's and an open incident. */
async function world(label = 'Paging') {
  const practice = await createPractice(db, label);
  const onCall = await addUser(practice, 'clinician', 'Dr. On Call');
  const client = await createClient(db, practice, { name: 'Riley Synthetic' });
  const admin = await signedIn(app, practice.users.admin);
  const saved = await admin.put('/api/practice/escalation-policy', {
    levels: [{ target: 'supervisor', waitMinutes: 2 }, { target: 'on_call', waitMinutes: 3 }, { target: 'owner', waitMinutes: 5 }],
    rounds: 2, onCallUserIds: [onCall.id],
  });
  expect(saved.statusCode, saved.body).toBe(200);
  return { practice, onCall, client, u: practice.users, incidentId: await openIncident(practice, client.id) };
}

/** The incidents API is written beside this module: an incident row is enough for paging. */
async function openIncident(practice: FixturePractice, clientId: string, openedBy = practice.users.clinician.id) {
  const id = randomUUID();
  await db.insertInto('incidents').values({
    practice_id: practice.practiceId, id, client_id: clientId, session_id: null, protocol_key: 'imminent-risk-to-self',
    opened_by: openedBy, opened_at: T, closed_by: null, closed_at: null,
  }).execute();
  return id;
}

async function page(practiceId: string, incidentId: string, requestedBy: string, at: Date, via: { db: Db; jobs: JobQueue; live: typeof live } = { db, jobs, live }) {
  const requested = await via.db.transaction().execute((trx) => requestPage(trx, via.jobs, { practiceId, incidentId, requestedBy, reason: 'Client at imminent risk', at }));
  await publishAll(via.live, via.db, requested.messages);
  return requested;
}

const pageRow = (pageId: string) => db.selectFrom('pages').selectAll().where('id', '=', pageId).executeTakeFirstOrThrow();

/** The escalation timers pg-boss holds for a page, oldest first. */
async function timers(pageId: string) {
  const { rows } = await sql<{ id: string; data: EscalationJob; start_after: Date; singleton_key: string; state: string }>`
    select id, data, start_after, singleton_key, state from pgboss.job
    where name = ${ESCALATION_QUEUE} and data->>'pageId' = ${pageId} order by created_on, start_after`.execute(db);
  return rows;
}
async function pendingTimer(pageId: string) {
  const pending = (await timers(pageId)).filter((j) => j.state === 'created');
  expect(pending).toHaveLength(1);
  return pending[0]!;
}

/** What pg-boss records when a worker has run a timer (here the test ran it, on its own clock). */
async function completed(timer: { id: string }) {
  await sql`update pgboss.job set state = 'completed', completed_on = now() where name = ${ESCALATION_QUEUE} and id = ${timer.id}`.execute(db);
}

/** The timer comes due: the clock is set to its time and it runs, as a worker would. */
async function fire(timer: { id: string; data: EscalationJob; start_after: Date }, clock: TestClock) {
  const result = await escalatePage(db, jobs, timer.data, clock.at(timer.start_after));
  await completed(timer);
  return result;
}

async function timeline(incidentId: string) {
  return (await db.selectFrom('incident_timeline').select(['what', 'at', 'kind', 'actor_user_id']).where('incident_id', '=', incidentId).orderBy('seq').execute());
}
async function recipients(pageId: string) {
  return db.selectFrom('page_recipients').select(['user_id', 'level', 'round', 'notified_at']).where('page_id', '=', pageId)
    .orderBy('notified_at').orderBy('round').orderBy('level').execute();
}

describe('escalation, on a clock the test controls', () => {
  it('pages the supervisor at once, then on call, then the owner, for two rounds; then the page is exhausted but can still be acknowledged', async () => {
    const { practice, onCall, u, incidentId } = await world();
    const clock = new TestClock(T);

    const requested = await page(practice.practiceId, incidentId, u.clinician.id, clock.now());
    expect(requested.created).toBe(true);
    expect(requested.notifiedUserIds).toEqual([u.supervisor.id]);
    // The alert goes to the supervisor; the care team (the clinician, the supervisor) hears the incident changed.
    expect(requested.messages.map((m) => [m.type, [...m.userIds].sort()])).toEqual([
      ['page', [u.supervisor.id]], ['incident.updated', [u.clinician.id, u.supervisor.id].sort()],
    ]);
    let row = await pageRow(requested.pageId);
    expect(row).toMatchObject({ status: 'open', level: 0, round: 1, created_at: T, next_escalation_at: minutesAfter(T, 2) });
    let timer = await pendingTimer(requested.pageId);
    expect(timer.start_after).toEqual(minutesAfter(T, 2));
    expect(timer.singleton_key).toBe(`page-escalation:${requested.pageId}:0:1`);
    expect(timer.data).toEqual({ practiceId: practice.practiceId, pageId: requested.pageId, level: 0, round: 1 });

    // Each timer fires when its wait is over: 2, 3, 5 minutes; then again.
    const expected = [
      { at: 2, who: onCall.id, level: 1, round: 1, next: 5 },
      { at: 5, who: u.owner.id, level: 2, round: 1, next: 10 },
      { at: 10, who: u.supervisor.id, level: 0, round: 2, next: 12 },
      { at: 12, who: onCall.id, level: 1, round: 2, next: 15 },
      { at: 15, who: u.owner.id, level: 2, round: 2, next: 20 },
    ];
    for (const step of expected) {
      timer = await pendingTimer(requested.pageId);
      expect(timer.start_after).toEqual(minutesAfter(T, step.at));
      const result = await fire(timer, clock);
      expect(result).toMatchObject({ outcome: 'escalated', notifiedUserIds: [step.who] });
      row = await pageRow(requested.pageId);
      expect(row).toMatchObject({ status: 'open', level: step.level, round: step.round, next_escalation_at: minutesAfter(T, step.next) });
    }

    timer = await pendingTimer(requested.pageId);
    expect(timer.start_after).toEqual(minutesAfter(T, 20));
    const last = await fire(timer, clock);
    expect(last.outcome).toBe('exhausted');
    expect(last.messages.map((m) => [m.type, [...m.userIds].sort(), m.data.status])).toEqual([
      ['page.updated', [u.clinician.id, u.supervisor.id, onCall.id, u.owner.id].sort(), 'exhausted'],
      ['incident.updated', [u.clinician.id, u.supervisor.id, onCall.id, u.owner.id].sort(), undefined],
    ]);
    row = await pageRow(requested.pageId);
    expect(row).toMatchObject({ status: 'exhausted', level: 2, round: 2, next_escalation_at: null });
    expect((await timers(requested.pageId)).filter((j) => j.state === 'created')).toEqual([]);

    expect((await recipients(requested.pageId)).map((r) => [r.user_id, r.level, r.round, r.notified_at.toISOString()])).toEqual([
      [u.supervisor.id, 0, 1, T.toISOString()],
      [onCall.id, 1, 1, minutesAfter(T, 2).toISOString()],
      [u.owner.id, 2, 1, minutesAfter(T, 5).toISOString()],
      [u.supervisor.id, 0, 2, minutesAfter(T, 10).toISOString()],
      [onCall.id, 1, 2, minutesAfter(T, 12).toISOString()],
      [u.owner.id, 2, 2, minutesAfter(T, 15).toISOString()],
    ]);
    const entries = await timeline(incidentId);
    expect(entries.map((e) => e.what)).toEqual([
      'Paged Test supervisor (supervisor), level 1 of 3, round 1 of 2',
      'Paged Dr. On Call (on call), level 2 of 3, round 1 of 2',
      'Paged Test owner (owner), level 3 of 3, round 1 of 2',
      'Paged Test supervisor (supervisor), level 1 of 3, round 2 of 2',
      'Paged Dr. On Call (on call), level 2 of 3, round 2 of 2',
      'Paged Test owner (owner), level 3 of 3, round 2 of 2',
      'Nobody acknowledged after 2 rounds; anyone paged can still acknowledge',
    ]);
    expect(entries.every((e) => e.kind === 'page')).toBe(true);
    expect(entries[0]!.actor_user_id).toBe(u.clinician.id); // the request; the timer acts as nobody
    expect(entries.slice(1).every((e) => e.actor_user_id === null)).toBe(true);

    // Exhausted is not the end: whoever was paged can still say "I'm on it".
    const owner = await signedIn(app, u.owner);
    expect((await owner.get('/api/pages')).json().pages.map((p: { id: string; status: string }) => [p.id, p.status])).toEqual([[requested.pageId, 'exhausted']]);
    const ack = await owner.post(`/api/pages/${requested.pageId}/acknowledge`);
    expect(ack.statusCode, ack.body).toBe(200);
    expect(ack.json().page).toMatchObject({ status: 'acknowledged', acknowledgedBy: { id: u.owner.id, name: 'Test owner' } });
  });

  it('ignores a timer that is stale (the page moved on) or repeated, and changes nothing', async () => {
    const { practice, u, incidentId } = await world();
    const clock = new TestClock(T);
    const { pageId } = await page(practice.practiceId, incidentId, u.clinician.id, T);
    const first = await pendingTimer(pageId);
    expect((await escalatePage(db, jobs, first.data, clock.at(minutesAfter(T, 2)))).outcome).toBe('escalated');
    const before = { page: await pageRow(pageId), recipients: await recipients(pageId), timeline: await timeline(incidentId), timers: await timers(pageId) };

    // The same timer again (a retry after a crash), and one for a step the page never was at.
    for (const job of [first.data, { ...first.data, level: 2 }, { ...first.data, round: 2 }, { ...first.data, pageId: randomUUID() }]) {
      const again = await escalatePage(db, jobs, job, clock.at(minutesAfter(T, 4)));
      expect(again).toEqual({ outcome: 'stale', notifiedUserIds: [], messages: [] });
    }
    expect({ page: await pageRow(pageId), recipients: await recipients(pageId), timeline: await timeline(incidentId), timers: await timers(pageId) }).toEqual(before);
  });

  it('skips levels that would page nobody, and never pages the person asking for help', async () => {
    const practice = await createPractice(db, 'Skips');
    // A clinician nobody supervises, who is also the only one on call.
    const alone = await addUser(practice, 'clinician', 'Dr. Unsupervised');
    const client = await createClient(db, practice, { clinicianIds: [alone.id] });
    const admin = await signedIn(app, practice.users.admin);
    expect((await admin.put('/api/practice/escalation-policy', {
      levels: [{ target: 'supervisor', waitMinutes: 2 }, { target: 'on_call', waitMinutes: 3 }, { target: 'owner', waitMinutes: 5 }],
      rounds: 2, onCallUserIds: [alone.id],
    })).statusCode).toBe(200);
    const incidentId = await openIncident(practice, client.id, alone.id);
    const clock = new TestClock(T);

    const { pageId, notifiedUserIds } = await page(practice.practiceId, incidentId, alone.id, T);
    expect(notifiedUserIds).toEqual([practice.users.owner.id]);
    expect(await pageRow(pageId)).toMatchObject({ status: 'open', level: 2, round: 1, next_escalation_at: minutesAfter(T, 5) });
    let timer = await pendingTimer(pageId);
    expect(timer.start_after).toEqual(minutesAfter(T, 5)); // the owner's wait: the skipped levels wait for nobody

    const round2 = await fire(timer, clock);
    expect(round2).toMatchObject({ outcome: 'escalated', notifiedUserIds: [practice.users.owner.id] });
    expect(await pageRow(pageId)).toMatchObject({ level: 2, round: 2 });
    timer = await pendingTimer(pageId);
    expect((await fire(timer, clock)).outcome).toBe('exhausted');

    expect((await timeline(incidentId)).map((e) => e.what)).toEqual([
      'Nobody to page at level 1 of 3, round 1 of 2 (supervisor): skipped',
      'Nobody to page at level 2 of 3, round 1 of 2 (on call): skipped',
      'Paged Test owner (owner), level 3 of 3, round 1 of 2',
      'Nobody to page at level 1 of 3, round 2 of 2 (supervisor): skipped',
      'Nobody to page at level 2 of 3, round 2 of 2 (on call): skipped',
      'Paged Test owner (owner), level 3 of 3, round 2 of 2',
      'Nobody acknowledged after 2 rounds; anyone paged can still acknowledge',
    ]);
    expect((await recipients(pageId)).map((r) => r.user_id)).not.toContain(alone.id);
  });

  it('pressing twice does not page twice: the open page is returned', async () => {
    const { practice, u, incidentId } = await world();
    const first = await page(practice.practiceId, incidentId, u.clinician.id, T);
    const second = await page(practice.practiceId, incidentId, u.clinician.id, minutesAfter(T, 1));
    expect(second).toEqual({ pageId: first.pageId, created: false, notifiedUserIds: [u.supervisor.id], messages: [] });
    expect(await db.selectFrom('pages').select('id').where('incident_id', '=', incidentId).execute()).toEqual([{ id: first.pageId }]);
    expect(await recipients(first.pageId)).toHaveLength(1);
    expect(await timers(first.pageId)).toHaveLength(1);
  });
});

describe('pages by text', () => {
  const pageTexts = (practiceId: string) => db.selectFrom('messages').select(['to_address', 'body', 'purpose', 'client_id', 'idempotency_key', 'status'])
    .where('practice_id', '=', practiceId).where('purpose', '=', 'page').orderBy('created_at').orderBy('to_address').execute();

  it('texts each person paged who gave a number, once per level and round, saying nothing of the client; the page goes on without a number', async () => {
    const { practice, onCall, u, incidentId } = await world('Paging by text');
    const supervisor = await signedIn(app, u.supervisor);
    expect((await supervisor.put('/api/me/page-phone', { phone: '(510) 555-0142' })).json()).toEqual({ phone: '+15105550142' });
    expect((await supervisor.get('/api/me/page-phone')).json()).toEqual({ phone: '+15105550142' });
    const owner = await signedIn(app, u.owner);
    expect((await owner.put('/api/me/page-phone', { phone: '+15105550199' })).statusCode).toBe(200);
    // A bad number is refused and changes nothing.
    const bad = await owner.put('/api/me/page-phone', { phone: 'call me maybe' });
    expect(bad.statusCode).toBe(400);
    expect((await owner.get('/api/me/page-phone')).json()).toEqual({ phone: '+15105550199' });

    const clock = new TestClock(T);
    const requested = await page(practice.practiceId, incidentId, u.clinician.id, clock.now());
    let texts = await pageTexts(practice.practiceId);
    expect(texts).toEqual([expect.objectContaining({
      to_address: '+15105550142', purpose: 'page', client_id: null, status: 'queued', idempotency_key: `page:${requested.pageId}:0:1:${u.supervisor.id}`,
    })]);
    // The lock screen shows it: no client, no protocol, no risk words.
    expect(texts[0]!.body).toContain('Open Holdspace');
    expect(texts[0]!.body).not.toMatch(/Riley|risk|suicid|imminent|harm/i);

    // On call (no number) is paged in the browser only; then the owner is texted too.
    await fire(await pendingTimer(requested.pageId), clock);
    await fire(await pendingTimer(requested.pageId), clock);
    texts = await pageTexts(practice.practiceId);
    expect(texts.map((t) => t.to_address)).toEqual(['+15105550142', '+15105550199']);
    expect((await recipients(requested.pageId)).map((r) => r.user_id)).toEqual([u.supervisor.id, onCall.id, u.owner.id]);
    // Each text goes through the outbox's send job.
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from pgboss.job where name = 'message-send'
      and data->>'messageId' in (select id::text from messages where practice_id = ${practice.practiceId} and purpose = 'page')`.execute(db);
    expect(rows[0]!.n).toBe(2);
    const audited = await db.selectFrom('audit_events').select('detail').where('practice_id', '=', practice.practiceId).where('action', '=', 'me.page_phone').execute();
    expect(audited).toHaveLength(2);
  });
});

describe('closing an incident', () => {
  it("cancels its waiting pages: their timers then do nothing, and the incident view lists who was paged", async () => {
    const { practice, u, incidentId } = await world();
    const clock = new TestClock(T);
    const { pageId } = await page(practice.practiceId, incidentId, u.clinician.id, T);
    const timer = await pendingTimer(pageId);
    const messages = await db.transaction().execute((trx) => cancelIncidentPages(trx, {
      practiceId: practice.practiceId, incidentId, by: u.clinician.id, at: minutesAfter(T, 1), why: 'the incident was closed',
    }));
    expect(messages.map((m) => [m.type, m.data.status])).toEqual([['page.updated', 'cancelled'], ['incident.updated', undefined]]);
    expect((await fire(timer, clock)).outcome).toBe('stale');
    expect(await incidentPages(db, practice.practiceId, incidentId)).toEqual([expect.objectContaining({
      id: pageId, status: 'cancelled', level: 0, round: 1, nextEscalationAt: null, acknowledgedBy: null,
      recipients: [{ user: { id: u.supervisor.id, name: 'Test supervisor' }, level: 0, round: 1, notifiedAt: T.toISOString() }],
    })]);
    expect((await timeline(incidentId)).map((e) => e.what).at(-1)).toBe('Page cancelled: the incident was closed');
    // Nothing waits for an answer any more.
    expect((await (await signedIn(app, u.supervisor)).get('/api/pages')).json().pages).toEqual([]);
  });
});

describe('acknowledging', () => {
  it('the first acknowledgement stops the escalation; a later one answers the page unchanged', async () => {
    const { practice, onCall, u, incidentId } = await world();
    const clock = new TestClock(T);
    const { pageId } = await page(practice.practiceId, incidentId, u.clinician.id, T);
    await fire(await pendingTimer(pageId), clock); // now the supervisor and Dr. On Call were paged
    const toOwner = await pendingTimer(pageId);

    const supervisor = await signedIn(app, u.supervisor);
    const doctor = await signedIn(app, onCall);
    expect((await doctor.get('/api/pages')).json().pages).toMatchObject([{
      id: pageId, incidentId, status: 'open', reason: 'Client at imminent risk', requestedBy: { id: u.clinician.id, name: 'Test clinician' },
      protocolTitle: expect.any(String), discreetTitle: expect.any(String), where: null, level: 1, round: 1, acknowledgedBy: null,
    }]);

    const ack = await doctor.post(`/api/pages/${pageId}/acknowledge`);
    expect(ack.statusCode, ack.body).toBe(200);
    expect(ack.json().page).toMatchObject({ id: pageId, status: 'acknowledged', acknowledgedBy: { id: onCall.id, name: 'Dr. On Call' } });
    const acknowledged = await pageRow(pageId);
    expect(acknowledged).toMatchObject({ status: 'acknowledged', acknowledged_by: onCall.id, next_escalation_at: null });

    // The supervisor answers a moment later: the first answer stands.
    const late = await supervisor.post(`/api/pages/${pageId}/acknowledge`);
    expect(late.statusCode).toBe(200);
    expect(late.json().page).toMatchObject({ status: 'acknowledged', acknowledgedBy: { id: onCall.id } });
    expect(await pageRow(pageId)).toEqual(acknowledged);

    // The owner's timer comes due: nothing happens.
    expect((await fire(toOwner, clock)).outcome).toBe('stale');
    expect((await recipients(pageId)).map((r) => r.user_id)).toEqual([u.supervisor.id, onCall.id]);
    expect((await timeline(incidentId)).map((e) => e.what).filter((w) => w.startsWith('Acknowledged'))).toEqual(['Acknowledged by Dr. On Call']);
    expect((await doctor.get('/api/pages')).json().pages).toEqual([]);
    expect((await supervisor.get('/api/pages')).json().pages).toEqual([]);

    const audited = await db.selectFrom('audit_events').select(['actor_user_id', 'outcome', 'detail']).where('action', '=', 'pages.acknowledge')
      .where('resource_id', '=', pageId).orderBy('seq').execute();
    expect(audited.map((a) => [a.actor_user_id, a.outcome])).toEqual([[onCall.id, 'success'], [u.supervisor.id, 'success']]);
  });

  it('answers 404, audited, to anyone not notified for the page, and changes nothing', async () => {
    const { practice, u, incidentId } = await world();
    const other = await createPractice(db, 'Elsewhere');
    const { pageId } = await page(practice.practiceId, incidentId, u.clinician.id, T);
    const before = await pageRow(pageId);
    // The owner is paged only at level 3; the requester, the front desk and another practice's supervisor never are.
    for (const person of [u.owner, u.clinician, u.front_desk, u.admin, other.users.supervisor]) {
      const browser = await signedIn(app, person);
      const res = await browser.post(`/api/pages/${pageId}/acknowledge`);
      expect(res.statusCode, person.role).toBe(404);
      expect(res.json().code).toBe('NOT_FOUND');
    }
    const unknown = await (await signedIn(app, u.supervisor)).post(`/api/pages/${randomUUID()}/acknowledge`);
    expect(unknown.statusCode).toBe(404);
    expect(await pageRow(pageId)).toEqual(before);
    const denied = await db.selectFrom('audit_events').select(['actor_user_id', 'detail']).where('action', '=', 'pages.acknowledge')
      .where('outcome', '=', 'denied').where('practice_id', 'in', [practice.practiceId, other.practiceId]).execute();
    expect(denied.map((d) => `${d.actor_user_id} ${(JSON.parse(d.detail) as { reason: string }).reason}`).sort()).toEqual([
      `${u.owner.id} not_notified`, `${u.clinician.id} not_notified`, `${u.front_desk.id} not_notified`, `${u.admin.id} not_notified`,
      `${other.users.supervisor.id} no_such_page`, `${u.supervisor.id} no_such_page`,
    ].sort());
  });
});

describe('the escalation policy', () => {
  it('is the default until saved; a bad policy gets a 4xx and changes nothing; a good one is saved and audited', async () => {
    const practice = await createPractice(db, 'Policy');
    const other = await createPractice(db, 'Other');
    const onCall = await addUser(practice, 'supervisor', 'Dr. Night');
    const admin = await signedIn(app, practice.users.admin);
    const clinician = await signedIn(app, practice.users.clinician);
    const defaults = {
      levels: [{ target: 'supervisor', waitMinutes: 2 }, { target: 'on_call', waitMinutes: 3 }, { target: 'owner', waitMinutes: 5 }],
      rounds: 2, onCallUserIds: [], onCall: [],
    };
    expect((await clinician.get('/api/practice/escalation-policy')).json()).toEqual(defaults);

    const good = { levels: [{ target: 'on_call', waitMinutes: 1 }, { target: 'owner', waitMinutes: 10 }], rounds: 3, onCallUserIds: [onCall.id, practice.users.clinician.id] };
    const bad: [unknown, number, string][] = [
      [{ ...good, onCallUserIds: [practice.users.front_desk.id] }, 422, 'ON_CALL_NOT_CLINICIAN'],
      [{ ...good, onCallUserIds: [practice.users.owner.id] }, 422, 'ON_CALL_NOT_CLINICIAN'],
      [{ ...good, onCallUserIds: [other.users.clinician.id] }, 422, 'ON_CALL_NOT_CLINICIAN'],
      [{ ...good, onCallUserIds: [randomUUID()] }, 422, 'ON_CALL_NOT_CLINICIAN'],
      [{ ...good, rounds: 0 }, 400, 'VALIDATION_FAILED'],
      [{ ...good, levels: [] }, 400, 'VALIDATION_FAILED'],
      [{ ...good, levels: [{ target: 'police', waitMinutes: 2 }] }, 400, 'VALIDATION_FAILED'],
      [{ ...good, levels: [{ target: 'owner', waitMinutes: 90 }] }, 400, 'VALIDATION_FAILED'],
      [{ ...good, onCallUserIds: [onCall.id, onCall.id] }, 400, 'VALIDATION_FAILED'],
      [{ ...good, extra: true }, 400, 'VALIDATION_FAILED'],
    ];
    for (const [body, status, code] of bad) {
      const res = await admin.put('/api/practice/escalation-policy', body);
      expect(res.statusCode, JSON.stringify(body)).toBe(status);
      expect(res.json().code).toBe(code);
    }
    expect(await db.selectFrom('escalation_policies').selectAll().where('practice_id', '=', practice.practiceId).execute()).toEqual([]);
    expect((await clinician.put('/api/practice/escalation-policy', good)).statusCode).toBe(403);

    const saved = await admin.put('/api/practice/escalation-policy', good);
    expect(saved.statusCode, saved.body).toBe(200);
    const view = { ...good, onCall: [{ id: onCall.id, name: 'Dr. Night' }, { id: practice.users.clinician.id, name: 'Test clinician' }] };
    expect(saved.json()).toEqual(view);
    expect((await clinician.get('/api/practice/escalation-policy')).json()).toEqual(view);
    const audited = await db.selectFrom('audit_events').select(['actor_user_id', 'detail']).where('practice_id', '=', practice.practiceId)
      .where('action', '=', 'escalation.manage').where('outcome', '=', 'success').execute();
    expect(audited.map((a) => ({ ...a, detail: JSON.parse(a.detail) }))).toEqual([
      { actor_user_id: practice.users.admin.id, detail: { before: { levels: defaults.levels, rounds: 2, onCallUserIds: [] }, after: good } },
    ]);
  });
});

describe('two server instances', async () => {
  const b = await createInstance(url);
  const baseB = await listen(b.app);
  const streams: LiveStream[] = [];
  afterAll(() => { for (const s of streams) s.close(); });
  const stream = async (base: string, browser: Awaited<ReturnType<typeof signedIn>>) => {
    const s = await openLiveStream(base, browser);
    streams.push(s);
    await s.next('ready');
    return s;
  };

  it('a page requested through A reaches a stream on B; acknowledged through B, it stops the escalation A started', async () => {
    const { practice, u, incidentId } = await world('Two instances');
    const clock = new TestClock(T);
    const supervisorOnB = await stream(baseB, await signedIn(b.app, u.supervisor));
    const clinicianOnA = await stream(baseA, await signedIn(app, u.clinician));

    const requested = await page(practice.practiceId, incidentId, u.clinician.id, T, { db, jobs, live });
    const paged = await supervisorOnB.next('page', (d) => d.id === requested.pageId);
    expect(paged.data).toMatchObject({ id: requested.pageId, incidentId, status: 'open', level: 0, round: 1, requestedBy: { id: u.clinician.id } });
    await clinicianOnA.next('incident.updated', (d) => d.incidentId === incidentId);

    const ack = await (await signedIn(b.app, u.supervisor)).post(`/api/pages/${requested.pageId}/acknowledge`);
    expect(ack.statusCode, ack.body).toBe(200);
    const updated = { pageId: requested.pageId, incidentId, status: 'acknowledged', acknowledgedBy: { id: u.supervisor.id, name: 'Test supervisor' } };
    expect((await clinicianOnA.next('page.updated', (d) => d.pageId === requested.pageId)).data).toEqual(updated);
    expect((await supervisorOnB.next('page.updated', (d) => d.pageId === requested.pageId)).data).toEqual(updated);

    // A's timer comes due: it finds the page acknowledged and pages nobody.
    const timer = await pendingTimer(requested.pageId);
    expect(await fire(timer, clock)).toEqual({ outcome: 'stale', notifiedUserIds: [], messages: [] });
    expect((await recipients(requested.pageId)).map((r) => r.user_id)).toEqual([u.supervisor.id]);
    expect(await pageRow(requested.pageId)).toMatchObject({ status: 'acknowledged', acknowledged_by: u.supervisor.id, level: 0, round: 1 });
  });

  it('a page whose announcement fails once (a connection lost that instant) is announced on the retry', async () => {
    const { practice, u, incidentId } = await world('Announced on retry');
    const supervisorOnB = await stream(baseB, await signedIn(b.app, u.supervisor));
    let failures = 0;
    const failingOnce = Object.create(live, {
      publishAll: { value: async (db: Db, messages: LiveMessage[]) => {
        if (failures++ === 0) throw new Error('Connection terminated unexpectedly');
        return live.publishAll(db, messages);
      } },
    }) as LiveHub;
    const requested = await page(practice.practiceId, incidentId, u.clinician.id, T, { db, jobs, live: failingOnce });
    expect(failures).toBe(2);
    expect((await supervisorOnB.next('page', (d) => d.id === requested.pageId)).data).toMatchObject({ id: requested.pageId, incidentId });
  });

  it("a real pg-boss worker on A runs a due timer: B's stream hears the next level", async () => {
    const { practice, onCall, u, incidentId } = await world('Worker');
    const onCallOnB = await stream(baseB, await signedIn(b.app, onCall));
    // Asked for help ten minutes ago: the supervisor's two minutes are long over.
    const tenMinutesAgo = new Date(Date.now() - 10 * 60_000);
    const { pageId } = await page(practice.practiceId, incidentId, u.clinician.id, tenMinutesAgo);
    const worker = await startEscalationWorker({ db, jobs, live, clock: systemClock });
    try {
      const escalated = await onCallOnB.next('page', (d) => d.id === pageId, 15_000);
      expect(escalated.data).toMatchObject({ id: pageId, level: 1, round: 1, status: 'open' });
    } finally {
      await worker.stop();
    }
    const row = await pageRow(pageId);
    expect(row).toMatchObject({ status: 'open', level: 1, round: 1 });
    // The next timer is set from the worker's clock (now), three minutes on: not due yet.
    expect(row.next_escalation_at!.getTime()).toBeGreaterThan(Date.now());
    expect((await recipients(pageId)).map((r) => r.user_id)).toEqual([u.supervisor.id, onCall.id]);
  });

  it('GET /api/live?probe=1 answers 204; the stream opens with ready and needs a session', async () => {
    const { u } = await world('Probe');
    const probe = await (await signedIn(b.app, u.owner)).get('/api/live?probe=1');
    expect(probe.statusCode).toBe(204);
    const anonymous = await b.app.inject({ method: 'GET', url: '/api/live' });
    expect(anonymous.statusCode).toBe(401);
    const s = await stream(baseB, await signedIn(b.app, u.owner));
    expect(s.events[0]).toEqual({ type: 'ready', data: { userId: u.owner.id, listening: true } });
  });
});

describe('two instances starting together', () => {
  it('both create the escalation queue, although pg-boss deadlocks one of them on its DDL (it retries)', async () => {
    for (let i = 0; i < 3; i++) {
      const fresh = await createTestDatabase();
      const [a, b] = [new JobQueueClass(fresh.url), new JobQueueClass(fresh.url)];
      try {
        await Promise.all([a.start(), b.start()]);
        await Promise.all([ensureEscalationQueue(a), ensureEscalationQueue(b)]);
        const queues = await a.boss.getQueues();
        expect(queues.filter((q) => q.name === ESCALATION_QUEUE)).toHaveLength(1);
      } finally {
        await Promise.all([a.stop(), b.stop()]);
        await fresh.db.destroy();
      }
    }
  });
});
