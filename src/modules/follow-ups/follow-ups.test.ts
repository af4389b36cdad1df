import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { createTestApp, signedIn, type Browser } from '../../../test/support/app.ts';
import { createClient, createPractice, type FixturePractice } from '../../../test/support/fixtures.ts';
import { systemClock, type Clock } from '../paging/paging.service.ts';
import { createFollowUpTasks } from './follow-ups.service.ts';
import { FOLLOW_UP_TIMER_QUEUE, handleTimerBatch, startFollowUpTimers, type FollowUpTimerJob } from './follow-up-timers.ts';

const { app, db, jobs, live } = await createTestApp();

class TestClock implements Clock {
  constructor(public t: Date) {}
  now() { return this.t; }
  at(iso: string | Date) { this.t = new Date(iso); return this; }
}
const minutes = (t: Date, m: number) => new Date(t.getTime() + m * 60_000);
/** 3:00 pm in the practice's time zone (America/Los_Angeles, PST), far enough ahead that no worker finds these timers due. */
const DUE = new Date('2031-03-04T23:00:00.000Z');

async function world(label = 'Follow-ups') {
  const practice = await createPractice(db, label);
  const client = await createClient(db, practice, { name: 'Jordan Reyes' });
  const clinician = await signedIn(app, practice.users.clinician);
  return { practice, client, clinician, u: practice.users };
}

async function createTask(browser: Browser, clientId: string, body: Record<string, unknown> = {}) {
  const res = await browser.post(`/api/clients/${clientId}/follow-ups`, { id: randomUUID(), title: 'Call Jordan to check in', dueAt: DUE.toISOString(), ...body });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().followUp as { id: string; [k: string]: any };
}

const attempt = (browser: Browser, taskId: string, outcome: string, channel = 'voice') =>
  browser.post(`/api/follow-ups/${taskId}/attempts`, { id: randomUUID(), channel, outcome });

const taskRow = (id: string) => db.selectFrom('follow_up_tasks').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const notificationsOf = (userId: string) => db.selectFrom('notifications').selectAll().where('user_id', '=', userId).orderBy('created_at').orderBy('kind').execute();

/** The timers pg-boss holds for a task. */
async function timers(taskId: string) {
  const { rows } = await sql<{ id: string; data: FollowUpTimerJob; start_after: Date; singleton_key: string; state: string }>`
    select id, data, start_after, singleton_key, state from pgboss.job
    where name = ${FOLLOW_UP_TIMER_QUEUE} and data->>'taskId' = ${taskId} order by created_on, start_after`.execute(db);
  return rows;
}
const pending = async (taskId: string) => (await timers(taskId)).filter((j) => j.state === 'created');
const counts = async (practiceId: string) => {
  const one = async (table: 'follow_up_tasks' | 'follow_up_attempts' | 'notifications') =>
    Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<string>().as('n')).where('practice_id', '=', practiceId).executeTakeFirstOrThrow()).n);
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from pgboss.job where name = ${FOLLOW_UP_TIMER_QUEUE} and data->>'practiceId' = ${practiceId}`.execute(db);
  return { tasks: await one('follow_up_tasks'), attempts: await one('follow_up_attempts'), notifications: await one('notifications'), jobs: rows[0]!.n };
};

async function openIncident(practice: FixturePractice, clientId: string) {
  const id = randomUUID();
  await db.insertInto('incidents').values({
    practice_id: practice.practiceId, id, client_id: clientId, session_id: null, protocol_key: 'client-walks-out',
    opened_by: practice.users.clinician.id, opened_at: new Date(), closed_by: null, closed_at: null,
  }).execute();
  return id;
}

describe('follow-ups by hand', () => {
  it('are made with the practice defaults (3 attempts, a reminder an hour before) and one timer of each kind', async () => {
    const { client, clinician, u } = await world();
    const task = await createTask(clinician, client.id, { channel: 'voice' });
    expect(task).toMatchObject({
      title: 'Call Jordan to check in', status: 'open', source: 'manual', channel: 'voice', dueAt: DUE.toISOString(),
      remindAt: minutes(DUE, -60).toISOString(), attempts: { count: 0, failed: 0, max: 3 }, assignedTo: { id: u.clinician.id }, client: { id: client.id, name: 'Jordan Reyes' },
    });
    const jobsNow = await pending(task.id);
    expect(jobsNow.map((j) => [j.data.kind, j.start_after.toISOString(), j.singleton_key]).sort()).toEqual([
      ['overdue', DUE.toISOString(), `follow-up:${task.id}:overdue`],
      ['remind', minutes(DUE, -60).toISOString(), `follow-up:${task.id}:remind`],
    ]);
    const audit = await db.selectFrom('audit_events').select(['action', 'client_id']).where('resource_id', '=', task.id).execute();
    expect(audit).toEqual([{ action: 'follow_up.create', client_id: client.id }]);
  });

  it('bad input changes nothing: an unknown client (404), attempts out of range (400), an assignee off the care team (422)', async () => {
    const { practice, client, clinician, u } = await world();
    const before = await counts(practice.practiceId);
    const unknown = await clinician.post(`/api/clients/${randomUUID()}/follow-ups`, { id: randomUUID(), title: 'Call', dueAt: DUE.toISOString() });
    expect(unknown.statusCode).toBe(404);
    for (const maxAttempts of [0, 6, 2.5]) {
      const res = await clinician.post(`/api/clients/${client.id}/follow-ups`, { id: randomUUID(), title: 'Call', dueAt: DUE.toISOString(), maxAttempts });
      expect(res.statusCode, String(maxAttempts)).toBe(400);
      expect(res.json().code).toBe('VALIDATION_FAILED');
    }
    const offTeam = await clinician.post(`/api/clients/${client.id}/follow-ups`, { id: randomUUID(), title: 'Call', dueAt: DUE.toISOString(), assignedTo: u.admin.id });
    expect(offTeam.statusCode).toBe(422);
    expect(offTeam.json().code).toBe('CLINICIAN_NOT_ON_CARE_TEAM');
    expect(await counts(practice.practiceId)).toEqual(before);
  });

  it('the same id sent again is answered with the follow-up already made', async () => {
    const { practice, client, clinician } = await world();
    const body = { id: randomUUID(), title: 'Call Jordan', dueAt: DUE.toISOString() };
    expect((await clinician.post(`/api/clients/${client.id}/follow-ups`, body)).statusCode).toBe(201);
    const again = await clinician.post(`/api/clients/${client.id}/follow-ups`, body);
    expect(again.statusCode).toBe(200);
    expect(again.json().followUp.id).toBe(body.id);
    expect((await counts(practice.practiceId)).tasks).toBe(1);
    expect(await pending(body.id)).toHaveLength(2);
  });
});

describe('rescheduling', () => {
  it('replaces the pending timers rather than adding to them, and a timer of an older schedule does nothing', async () => {
    const { client, clinician, u } = await world();
    const task = await createTask(clinician, client.id);
    const first = await pending(task.id);
    let due = DUE;
    for (let n = 1; n <= 5; n++) {
      due = minutes(due, 90);
      const res = await clinician.request('PATCH', `/api/follow-ups/${task.id}`, { dueAt: due.toISOString() });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().followUp).toMatchObject({ scheduleVersion: 1 + n, dueAt: due.toISOString(), remindAt: minutes(due, -60).toISOString() });
    }
    const now = await pending(task.id);
    expect(now.filter((j) => j.data.kind === 'remind')).toHaveLength(1);
    expect(now.filter((j) => j.data.kind === 'overdue')).toHaveLength(1);
    expect(now.map((j) => j.data.scheduleVersion)).toEqual([6, 6]);
    expect(now.find((j) => j.data.kind === 'overdue')!.start_after).toEqual(due);
    // Every job ever queued for the task is either one of these two or gone.
    expect((await timers(task.id)).length).toBe(2);

    // A job of the first schedule, had it already been running, finds its version stale.
    const stale = await handleTimerBatch(db, first.map((j) => j.data), new TestClock(DUE));
    expect(stale).toEqual({ reminded: [], escalated: [], messages: [] });
    expect(await notificationsOf(u.clinician.id)).toEqual([]);
    expect((await taskRow(task.id)).reminded_at).toBeNull();
  });

  it('reassigns to a clinician of the care team (who is told), and cancels with a reason (its timers removed)', async () => {
    const { practice, u } = await world();
    const { insertUser } = await import('../auth/auth.repository.ts');
    const colleague = { id: randomUUID(), email: `colleague-${randomUUID()}@example.test` };
    const existing = await db.selectFrom('users').select('password_hash').where('id', '=', u.clinician.id).executeTakeFirstOrThrow();
    await insertUser(db, { practiceId: practice.practiceId, id: colleague.id, email: colleague.email, name: 'Dr. Sam Okafor', role: 'clinician', passwordHash: existing.password_hash });
    const shared = await createClient(db, practice, { name: 'Avery Lin', clinicianIds: [u.clinician.id, colleague.id] });
    const clinician = await signedIn(app, u.clinician);
    const task = await createTask(clinician, shared.id);
    const moved = await clinician.request('PATCH', `/api/follow-ups/${task.id}`, { assignedTo: colleague.id });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json().followUp.assignedTo).toEqual({ id: colleague.id, name: 'Dr. Sam Okafor' });
    expect((await notificationsOf(colleague.id)).map((n) => [n.kind, n.title])).toEqual([['follow_up.assigned', 'A follow-up was assigned to you']]);

    const cancelled = await clinician.request('PATCH', `/api/follow-ups/${task.id}`, { cancel: { reason: 'Client moved away; care transferred' } });
    expect(cancelled.statusCode).toBe(200);
    expect(cancelled.json().followUp).toMatchObject({ status: 'cancelled', note: 'Client moved away; care transferred' });
    expect(await pending(task.id)).toEqual([]);
    const again = await clinician.request('PATCH', `/api/follow-ups/${task.id}`, { dueAt: DUE.toISOString() });
    expect(again.statusCode).toBe(409);
  });
});

describe('attempts', () => {
  it('after 3 failed attempts (the default) the task is "unable to reach" and the supervisor is told; reaching the client does not count', async () => {
    const { practice, client, clinician, u } = await world();
    const task = await createTask(clinician, client.id);
    const reached = await attempt(clinician, task.id, 'reached');
    expect(reached.statusCode).toBe(201);
    expect(reached.json().followUp).toMatchObject({ status: 'open', attempts: { count: 1, failed: 0, max: 3 } });
    for (const outcome of ['no_answer', 'left_message']) {
      const res = await attempt(clinician, task.id, outcome);
      expect(res.json().followUp.status).toBe('open');
    }
    expect(await notificationsOf(u.supervisor.id)).toEqual([]);
    const third = await attempt(clinician, task.id, 'wrong_number', 'text');
    expect(third.json().followUp).toMatchObject({ status: 'unable_to_reach', escalationReason: 'unable_to_reach', attempts: { count: 4, failed: 3, max: 3 } });
    expect(third.json().followUp.attemptLog.map((a: { outcome: string }) => a.outcome)).toEqual(['reached', 'no_answer', 'left_message', 'wrong_number']);
    const told = await notificationsOf(u.supervisor.id);
    expect(told.map((n) => [n.kind, n.title, n.follow_up_task_id])).toEqual([
      ['follow_up.unable_to_reach', 'Unable to reach a client: follow-up of Test clinician', task.id],
    ]);
    expect(told[0]!.title).not.toContain('Jordan');
    // No more reminders or overdue notices for it.
    expect(await pending(task.id)).toEqual([]);
    // It stays in the clinician's inbox until someone decides.
    const inbox = (await clinician.get('/api/follow-ups')).json().followUps;
    expect(inbox.map((f: { id: string; status: string }) => [f.id, f.status])).toEqual([[task.id, 'unable_to_reach']]);
    const audited = await db.selectFrom('audit_events').select('action').where('practice_id', '=', practice.practiceId).where('resource_id', '=', task.id).execute();
    expect(audited.filter((a) => a.action === 'follow_up.attempt')).toHaveLength(4);
  });

  it('a practice that allows 5 attempts escalates at the fifth; protocol tasks take the practice settings too', async () => {
    const { practice, client, clinician, u } = await world();
    const admin = await signedIn(app, u.admin);
    const saved = await admin.put('/api/practice/follow-up-settings', { reminderLeadMinutes: 30, defaultMaxAttempts: 5 });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json()).toMatchObject({ reminderLeadMinutes: 30, defaultMaxAttempts: 5 });
    expect((await admin.put('/api/practice/follow-up-settings', { reminderLeadMinutes: 30, defaultMaxAttempts: 6 })).statusCode).toBe(400);
    expect((await clinician.get('/api/practice/follow-up-settings')).statusCode).toBe(403);

    const task = await createTask(clinician, client.id);
    expect(task.attempts.max).toBe(5);
    for (let n = 1; n <= 4; n++) expect((await attempt(clinician, task.id, 'no_answer')).json().followUp.status).toBe('open');
    expect((await attempt(clinician, task.id, 'no_answer')).json().followUp.status).toBe('unable_to_reach');
    expect((await notificationsOf(u.supervisor.id)).map((n) => n.kind)).toEqual(['follow_up.unable_to_reach']);

    const incidentId = await openIncident(practice, client.id);
    const [made] = await db.transaction().execute((trx) => createFollowUpTasks(trx, jobs, {
      practiceId: practice.practiceId, clientId: client.id, incidentId, runId: randomUUID(), assignedTo: u.clinician.id, createdBy: u.clinician.id,
      requests: [{ stepId: 'reach-out', kind: 'reach-out', title: 'Reach out to the client today', dueAt: DUE.toISOString() }], now: new Date(),
    }));
    expect(made).toMatchObject({ source: 'protocol', max_attempts: 5, remind_at: minutes(DUE, -30), due_at: DUE, schedule_version: 1, channel: null });
    expect((await pending(made!.id)).map((j) => j.data.kind).sort()).toEqual(['overdue', 'remind']);

    // By the channel the client agreed to (S1: Jordan consented to texts only; voice refused).
    await db.insertInto('channel_consents').values([
      { practice_id: practice.practiceId, client_id: client.id, channel: 'voice', consent: 'refused', decided_on: '2026-11-02', quiet_hours_start: null, quiet_hours_end: null, may_leave_message: false },
      { practice_id: practice.practiceId, client_id: client.id, channel: 'text', consent: 'given', decided_on: '2026-11-02', quiet_hours_start: null, quiet_hours_end: null, may_leave_message: false },
    ]).execute();
    const [byText] = await db.transaction().execute((trx) => createFollowUpTasks(trx, jobs, {
      practiceId: practice.practiceId, clientId: client.id, incidentId, runId: randomUUID(), assignedTo: u.clinician.id, createdBy: u.clinician.id,
      requests: [{ stepId: 'reach-out', kind: 'reach-out', title: 'Reach out to the client today', dueAt: DUE.toISOString() }], now: new Date(),
    }));
    expect(byText).toMatchObject({ channel: 'text' });
  });

  it('an attempt on a done or cancelled task is refused (409) and changes nothing', async () => {
    const { practice, client, clinician } = await world();
    const done = await createTask(clinician, client.id);
    expect((await clinician.post(`/api/follow-ups/${done.id}/complete`, { note: 'Spoke with Jordan; safe and coming Thursday' })).statusCode).toBe(200);
    const cancelled = await createTask(clinician, client.id);
    expect((await clinician.request('PATCH', `/api/follow-ups/${cancelled.id}`, { cancel: { reason: 'Duplicate' } })).statusCode).toBe(200);
    const before = await counts(practice.practiceId);
    const timelineBefore = await db.selectFrom('audit_events').select((eb) => eb.fn.countAll<string>().as('n')).where('practice_id', '=', practice.practiceId).where('action', '=', 'follow_up.attempt').executeTakeFirstOrThrow();
    for (const task of [done, cancelled]) {
      const res = await attempt(clinician, task.id, 'no_answer');
      expect(res.statusCode).toBe(409);
      expect(res.json().code).toBe('FOLLOW_UP_CLOSED');
    }
    expect(await counts(practice.practiceId)).toEqual(before);
    const timelineAfter = await db.selectFrom('audit_events').select((eb) => eb.fn.countAll<string>().as('n')).where('practice_id', '=', practice.practiceId).where('action', '=', 'follow_up.attempt').executeTakeFirstOrThrow();
    expect(timelineAfter.n).toBe(timelineBefore.n);
  });

  it('a check-in to a channel without consent is refused (422) and nothing is written', async () => {
    const { practice, client, clinician } = await world();
    const task = await createTask(clinician, client.id);
    const before = await counts(practice.practiceId);
    const res = await clinician.post(`/api/follow-ups/${task.id}/check-in`, { messageId: randomUUID(), channel: 'text', template: 'check_in' });
    expect(res.statusCode, res.body).toBe(422);
    expect(await counts(practice.practiceId)).toEqual(before);
    const messages = await db.selectFrom('messages').select('id').where('practice_id', '=', practice.practiceId).execute();
    expect(messages).toEqual([]);
  });

  it("nobody outside the client's care team reaches a follow-up (404)", async () => {
    const { client, clinician } = await world();
    const task = await createTask(clinician, client.id);
    const other = await world('Other');
    for (const [method, url, body] of [
      ['GET', `/api/follow-ups/${task.id}`, undefined],
      ['POST', `/api/follow-ups/${task.id}/attempts`, { id: randomUUID(), channel: 'voice', outcome: 'no_answer' }],
      ['PATCH', `/api/follow-ups/${task.id}`, { dueAt: DUE.toISOString() }],
      ['POST', `/api/follow-ups/${task.id}/complete`, {}],
    ] as const) {
      const res = await other.clinician.request(method, url, body);
      expect(res.statusCode, `${method} ${url}`).toBe(404);
    }
    expect((await taskRow(task.id))).toMatchObject({ status: 'open', failed_attempts: 0, schedule_version: 1 });
  });
});

describe('timers, on a clock the test controls', () => {
  it('reminds the assignee before the due time (the time only), then at the due time tells them and their supervisor it is overdue', async () => {
    const { practice, client, clinician, u } = await world();
    const task = await createTask(clinician, client.id);
    const clock = new TestClock(minutes(DUE, -60));
    const timersNow = await pending(task.id);
    const remindJob = timersNow.find((j) => j.data.kind === 'remind');
    const overdueJob = timersNow.find((j) => j.data.kind === 'overdue');
    expect(remindJob!.data).toEqual({ practiceId: practice.practiceId, taskId: task.id, scheduleVersion: 1, kind: 'remind' });

    const reminded = await handleTimerBatch(db, [remindJob!.data], clock);
    expect(reminded.reminded).toEqual([task.id]);
    expect(reminded.messages.map((m) => [m.type, m.userIds, m.data.title])).toEqual([['notification', [u.clinician.id], 'Follow-up due at 3:00 pm']]);
    expect((await taskRow(task.id)).reminded_at).toEqual(clock.now());
    // Run again (a retried job): nothing more.
    expect((await handleTimerBatch(db, [remindJob!.data], clock.at(minutes(DUE, -59)))).messages).toEqual([]);
    expect((await notificationsOf(u.clinician.id)).map((n) => n.title)).toEqual(['Follow-up due at 3:00 pm']);
    expect((await notificationsOf(u.supervisor.id))).toEqual([]);

    clock.at(DUE);
    const escalated = await handleTimerBatch(db, [overdueJob!.data], clock);
    expect(escalated.escalated).toEqual([task.id]);
    expect(escalated.messages.map((m) => [m.userIds[0], m.data.kind, m.data.title]).sort()).toEqual([
      [u.clinician.id, 'follow_up.overdue', 'A follow-up is overdue'],
      [u.supervisor.id, 'follow_up.escalated', 'Overdue follow-up: Test clinician'],
    ].sort());
    expect(await taskRow(task.id)).toMatchObject({ status: 'open', escalated_at: DUE, escalation_reason: 'overdue' });
    expect((await handleTimerBatch(db, [overdueJob!.data], clock.at(minutes(DUE, 1)))).messages).toEqual([]);
    // No client name or clinical detail in any title.
    for (const n of await db.selectFrom('notifications').select('title').where('practice_id', '=', practice.practiceId).execute()) {
      expect(n.title).not.toMatch(/Jordan|Reyes|suicid|risk/i);
    }

    // The supervisor's view shows it overdue; the clinician's inbox puts it first.
    const later = await createTask(clinician, client.id, { title: 'Second call', dueAt: minutes(DUE, 24 * 60).toISOString() });
    const supervisor = await signedIn(app, u.supervisor);
    const team = await supervisor.get('/api/follow-ups/team?filter=overdue');
    expect(team.statusCode).toBe(200);
    expect(team.json().followUps.map((f: { id: string }) => f.id)).toEqual([task.id]);
    expect(team.json().clinicians.find((c: { id: string }) => c.id === u.clinician.id)).toMatchObject({ overdue: 1 });
    expect((await clinician.get('/api/follow-ups/team')).statusCode).toBe(403);
    const inbox = (await clinician.get('/api/follow-ups')).json().followUps;
    expect(inbox.map((f: { id: string }) => f.id)).toEqual([task.id, later.id]);

    // Notifications: mine, newest first, with the unread count.
    const mine = await clinician.get('/api/notifications');
    expect(mine.json().unread).toBe(2);
    expect(mine.json().notifications.map((n: { kind: string }) => n.kind)).toEqual(['follow_up.overdue', 'follow_up.reminder']);
    const read = await clinician.post(`/api/notifications/${mine.json().notifications[0].id}/read`);
    expect(read.statusCode).toBe(200);
    expect((await clinician.get('/api/notifications')).json().unread).toBe(1);
    expect((await supervisor.post(`/api/notifications/${mine.json().notifications[1].id}/read`)).statusCode).toBe(404);
  });

  it('a task done before its due time is neither reminded nor escalated', async () => {
    const { client, clinician, u } = await world();
    const task = await createTask(clinician, client.id);
    const jobsBefore = await pending(task.id);
    await clinician.post(`/api/follow-ups/${task.id}/complete`, {});
    expect(await pending(task.id)).toEqual([]);
    const result = await handleTimerBatch(db, jobsBefore.map((j) => j.data), new TestClock(DUE));
    expect(result).toEqual({ reminded: [], escalated: [], messages: [] });
    expect(await notificationsOf(u.supervisor.id)).toEqual([]);
  });
});

describe('closing an incident', () => {
  it('is refused while a follow-up is open or unable to reach, and allowed once it is done', async () => {
    const { practice, client, clinician, u } = await world();
    const incidentId = await openIncident(practice, client.id);
    const [task] = await db.transaction().execute((trx) => createFollowUpTasks(trx, jobs, {
      practiceId: practice.practiceId, clientId: client.id, incidentId, runId: null, assignedTo: u.clinician.id, createdBy: u.clinician.id,
      requests: [{ stepId: 'reach-out', kind: 'reach-out', title: 'Reach out to the client today', dueAt: DUE.toISOString() }], now: new Date(),
    }));
    const refused = await clinician.post(`/api/incidents/${incidentId}/close`);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().code).toBe('FOLLOW_UPS_OPEN');
    for (let n = 0; n < 3; n++) await attempt(clinician, task!.id, 'no_answer');
    expect((await taskRow(task!.id)).status).toBe('unable_to_reach');
    const stillRefused = await clinician.post(`/api/incidents/${incidentId}/close`);
    expect(stillRefused.statusCode).toBe(409);
    expect((await db.selectFrom('incidents').select('status').where('id', '=', incidentId).executeTakeFirstOrThrow()).status).toBe('open');
    // The attempts are on the incident's timeline.
    const timeline = await db.selectFrom('incident_timeline').select('what').where('incident_id', '=', incidentId).orderBy('seq').execute();
    expect(timeline.map((t) => t.what)).toEqual([
      'Attempt to reach the client (call): no answer — 1 of 3 failed',
      'Attempt to reach the client (call): no answer — 2 of 3 failed',
      'Attempt to reach the client (call): no answer — 3 of 3 failed',
      'Unable to reach the client after 3 attempts; supervisor told: Reach out to the client today',
    ]);

    expect((await clinician.post(`/api/follow-ups/${task!.id}/complete`, { note: 'Reached the emergency contact; Jordan is safe' })).statusCode).toBe(200);
    const closed = await clinician.post(`/api/incidents/${incidentId}/close`);
    expect(closed.statusCode, closed.body).toBe(200);
    expect(closed.json().status).toBe('closed');
  });
});

describe('timers through a real pg-boss worker', () => {
  it('reminds and escalates when the jobs come due', async () => {
    const { practice, client, clinician, u } = await world('Worker');
    const admin = await signedIn(app, u.admin);
    // The reminder 1 minute ahead: with the task due in 65 s it goes in 5 s.
    expect((await admin.put('/api/practice/follow-up-settings', { reminderLeadMinutes: 1, defaultMaxAttempts: 3 })).statusCode).toBe(200);
    const worker = await startFollowUpTimers({ db, jobs, live, clock: systemClock });
    try {
      const task = await createTask(clinician, client.id, { dueAt: new Date(Date.now() + 65_000).toISOString() });
      const deadline = Date.now() + 30_000;
      while (!(await taskRow(task.id)).reminded_at && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
      expect((await taskRow(task.id)).reminded_at).not.toBeNull();
      expect((await notificationsOf(u.clinician.id)).map((n) => n.kind)).toEqual(['follow_up.reminder']);
      // The overdue timer, brought forward (as if the minute had passed), is run by the worker too.
      await sql`update pgboss.job set start_after = now() where name = ${FOLLOW_UP_TIMER_QUEUE} and singleton_key = ${`follow-up:${task.id}:overdue`} and state = 'created'`.execute(db);
      while (!(await taskRow(task.id)).escalated_at && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
      expect(await taskRow(task.id)).toMatchObject({ escalation_reason: 'overdue' });
      expect((await notificationsOf(u.supervisor.id)).map((n) => n.kind)).toEqual(['follow_up.escalated']);
      expect(practice.practiceId).toBeTruthy();
    } finally {
      await worker.stop();
    }
  }, 45_000);
});
