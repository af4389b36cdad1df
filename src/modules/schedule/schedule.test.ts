import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { Browser, createTestApp } from '../../../test/support/app.ts';
import { createClient, createPractice, FIXTURE_PASSWORD, type FixturePractice } from '../../../test/support/fixtures.ts';
import type { Db } from '../../server/database.ts';
import { insertUser } from '../auth/auth.repository.ts';
import { localDate, localDayRange } from '../../domain/zoned-time.ts';

const ZONE = 'America/Los_Angeles'; // the fixtures' practice time zone

async function createLocation(db: Db, practiceId: string, name = 'Synthetic Street office') {
  const id = randomUUID();
  await db.insertInto('locations').values({ practice_id: practiceId, id, name, address: '1 Synthetic Street' }).execute();
  return id;
}

async function signedIn(app: FastifyInstance, email: string) {
  const browser = new Browser(app);
  expect((await browser.signIn(email, FIXTURE_PASSWORD)).statusCode).toBe(200);
  return browser;
}

async function day(browser: Browser, date: string, clinicianId?: string) {
  const res = await browser.get(`/api/schedule/day?date=${date}${clinicianId ? `&clinicianId=${clinicianId}` : ''}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { date: string; timeZone: string; clinicianId: string | null; appointments: DayRow[] };
}

interface DayRow {
  id: string; startsAt: string; minutes: number; modality: string; status: string;
  location: { id: string; name: string } | null; clinician: { id: string; name: string };
  client: { id: string; name: string; riskLevel?: string; readiness?: { safetyPlan: boolean; callableEmergencyContact: boolean; policy: string; gaps: string[] } };
}

const appointmentsDigest = async (db: Db) => (await sql<{ d: string }>`
  select md5(coalesce(string_agg(a::text, ',' order by a::text), '')) as d from appointments a`.execute(db)).rows[0]!.d;

describe('the calendar day of a time zone', () => {
  it.each([
    // date, zone, start, end, hours
    ['2026-03-08', ZONE, '2026-03-08T08:00:00.000Z', '2026-03-09T07:00:00.000Z', 23],
    ['2026-11-01', ZONE, '2026-11-01T07:00:00.000Z', '2026-11-02T08:00:00.000Z', 25],
    ['2026-06-15', ZONE, '2026-06-15T07:00:00.000Z', '2026-06-16T07:00:00.000Z', 24],
    ['2026-03-29', 'Europe/London', '2026-03-29T00:00:00.000Z', '2026-03-29T23:00:00.000Z', 23],
    // Chile starts summer time at midnight: there is no 00:00 that day, it begins at 01:00.
    ['2024-09-08', 'America/Santiago', '2024-09-08T04:00:00.000Z', '2024-09-09T03:00:00.000Z', 23],
    ['2026-01-01', 'Asia/Kolkata', '2025-12-31T18:30:00.000Z', '2026-01-01T18:30:00.000Z', 24],
  ])('%s in %s', (date, zone, start, end, hours) => {
    const range = localDayRange(date, zone);
    expect(range.start.toISOString()).toBe(start);
    expect(range.end.toISOString()).toBe(end);
    expect((range.end.getTime() - range.start.getTime()) / 3_600_000).toBe(hours);
  });

  it('reads the local date of an instant', () => {
    expect(localDate(new Date('2026-11-02T07:30:00Z'), ZONE)).toBe('2026-11-01');
    expect(localDate(new Date('2026-11-02T08:00:00Z'), ZONE)).toBe('2026-11-02');
  });
});

describe('the schedule', async () => {
  const { app, db } = await createTestApp();
  const practice = await createPractice(db);
  const other = await createPractice(db, 'Other');
  const { clinician, supervisor, front_desk: desk, admin } = practice.users;
  const office = await createLocation(db, practice.practiceId);
  const client = await createClient(db, practice, { name: 'Avery Synthetic' });
  await db.updateTable('clients').set({ preferred_name: 'Ave' }).where('id', '=', client.id).execute();

  const frontDesk = await signedIn(app, desk.email);
  const clinicianBrowser = await signedIn(app, clinician.email);

  const book = (browser: Browser, body: Record<string, unknown>) => browser.post('/api/appointments', {
    clientId: client.id, clinicianId: clinician.id, minutes: 50, modality: 'telehealth', ...body,
  });
  const bookOk = async (browser: Browser, body: Record<string, unknown>) => {
    const res = await book(browser, body);
    expect(res.statusCode, res.body).toBe(201);
    return res.json().id as string;
  };
  const events = (action: string, resourceId?: string) => {
    let q = db.selectFrom('audit_events').selectAll().where('practice_id', '=', practice.practiceId).where('action', '=', action);
    if (resourceId) q = q.where('resource_id', '=', resourceId);
    return q.orderBy('seq').execute();
  };

  it("lets the front desk book an appointment that shows on the clinician's day in the practice's time zone", async () => {
    // First, the front desk books 23:30 on the day summer time starts (23 hours long).
    const lateId = await bookOk(frontDesk, { startsAt: '2026-03-08T23:30:00-07:00', modality: 'in_person', locationId: office });
    const earlyNextId = await bookOk(frontDesk, { startsAt: '2026-03-09T00:30:00-07:00' });
    const lateBeforeId = await bookOk(frontDesk, { startsAt: '2026-03-07T23:30:00-08:00' });

    // The clinician opens Today for that day: their own day, by default.
    const today = await day(clinicianBrowser, '2026-03-08');
    expect(today.timeZone).toBe(ZONE);
    expect(today.clinicianId).toBe(clinician.id);
    expect(today.appointments.map((a) => a.id)).toEqual([lateId]);
    const row = today.appointments[0]!;
    expect(row).toMatchObject({
      startsAt: '2026-03-09T06:30:00.000Z', minutes: 50, modality: 'in_person', status: 'scheduled',
      location: { id: office, name: 'Synthetic Street office' },
      clinician: { id: clinician.id, name: clinician.name },
      client: { id: client.id, name: 'Ave', riskLevel: 'unknown' },
    });
    expect(row.client.readiness?.gaps).toEqual(['no_safety_plan', 'no_emergency_contact']);

    expect((await day(clinicianBrowser, '2026-03-09')).appointments.map((a) => a.id)).toEqual([earlyNextId]);
    expect((await day(clinicianBrowser, '2026-03-07')).appointments.map((a) => a.id)).toEqual([lateBeforeId]);

    const booked = await events('appointments.book', lateId);
    expect(booked).toHaveLength(1);
    expect(booked[0]).toMatchObject({ client_id: client.id, actor_user_id: desk.id, outcome: 'success' });
    const reads = await events('schedule.read');
    expect(JSON.parse(reads.at(-1)!.detail)).toMatchObject({ date: '2026-03-07', count: 1, clinicianId: clinician.id });
  });

  it('puts 23:30 on the day summer time ends (25 hours long) on that day, not the next', async () => {
    const lateId = await bookOk(frontDesk, { startsAt: '2026-11-01T23:30:00-08:00' });
    const earlyId = await bookOk(frontDesk, { startsAt: '2026-11-01T00:15:00-07:00' });
    const nov1 = await day(clinicianBrowser, '2026-11-01');
    expect(nov1.appointments.map((a) => [a.id, a.startsAt])).toEqual([[earlyId, '2026-11-01T07:15:00.000Z'], [lateId, '2026-11-02T07:30:00.000Z']]);
    expect((await day(clinicianBrowser, '2026-11-02')).appointments).toEqual([]);
    expect((await day(clinicianBrowser, '2026-10-31')).appointments).toEqual([]);
  });

  it('lets the front desk move an appointment to another day, time and length', async () => {
    const id = await bookOk(frontDesk, { startsAt: '2026-04-14T09:00:00-07:00' });
    const res = await frontDesk.request('PATCH', `/api/appointments/${id}`, { startsAt: '2026-04-15T13:00:00-07:00', minutes: 80, modality: 'in_person', locationId: office });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({
      id, clientId: client.id, clinicianId: clinician.id, startsAt: '2026-04-15T20:00:00.000Z', minutes: 80,
      modality: 'in_person', locationId: office, status: 'scheduled',
    });
    expect((await day(clinicianBrowser, '2026-04-14')).appointments).toEqual([]);
    expect((await day(clinicianBrowser, '2026-04-15')).appointments.map((a) => [a.id, a.minutes])).toEqual([[id, 80]]);

    const [moved] = await events('appointments.move', id);
    expect(moved).toMatchObject({ client_id: client.id, actor_user_id: desk.id });
    expect(JSON.parse(moved!.detail).changed).toEqual(['startsAt', 'minutes', 'modality', 'locationId']);

    // Telehealth again, off the location.
    const back = await frontDesk.request('PATCH', `/api/appointments/${id}`, { modality: 'telehealth', locationId: null });
    expect(back.json()).toMatchObject({ modality: 'telehealth', locationId: null });
  });

  it("refuses to double-book a clinician, and frees the slot when an appointment is cancelled", async () => {
    const first = await bookOk(frontDesk, { startsAt: '2026-05-04T10:00:00-07:00', minutes: 50 });
    const before = await appointmentsDigest(db);
    const clash = await book(frontDesk, { startsAt: '2026-05-04T10:30:00-07:00' });
    expect(clash.statusCode).toBe(409);
    expect(clash.json().code).toBe('APPOINTMENT_OVERLAPS');
    // A long session that started earlier and runs into the slot clashes too.
    expect((await book(frontDesk, { startsAt: '2026-05-04T06:00:00-07:00', minutes: 241 })).json().code).toBe('APPOINTMENT_OVERLAPS');
    expect(await appointmentsDigest(db)).toBe(before);

    // Back to back is fine.
    const second = await bookOk(frontDesk, { startsAt: '2026-05-04T10:50:00-07:00' });
    const moveIntoFirst = await frontDesk.request('PATCH', `/api/appointments/${second}`, { startsAt: '2026-05-04T10:20:00-07:00' });
    expect(moveIntoFirst.statusCode).toBe(409);
    expect(moveIntoFirst.json().code).toBe('APPOINTMENT_OVERLAPS');

    const cancelled = await frontDesk.post(`/api/appointments/${first}/cancel`);
    expect(cancelled.statusCode).toBe(200);
    expect(cancelled.json()).toMatchObject({ id: first, status: 'cancelled' });
    // Cancelling again changes nothing; moving a cancelled appointment is refused.
    expect((await frontDesk.post(`/api/appointments/${first}/cancel`)).json().status).toBe('cancelled');
    expect((await frontDesk.request('PATCH', `/api/appointments/${first}`, { minutes: 30 })).json().code).toBe('APPOINTMENT_CANCELLED');

    await bookOk(frontDesk, { startsAt: '2026-05-04T10:00:00-07:00', minutes: 50 });
    const may4 = await day(frontDesk, '2026-05-04', clinician.id);
    expect(may4.appointments.map((a) => a.status)).toEqual(['scheduled', 'cancelled', 'scheduled']);
    expect(await events('appointments.cancel', first)).toHaveLength(2);
  });

  it('lets only one of two simultaneous bookings of the same slot through', async () => {
    const results = await Promise.all([0, 1, 2].map(() => book(frontDesk, { startsAt: '2026-05-05T09:00:00-07:00' })));
    expect(results.map((r) => r.statusCode).sort()).toEqual([201, 409, 409]);
  });

  it("refuses a clinician who is not on the client's care team", async () => {
    const before = await appointmentsDigest(db);
    for (const clinicianId of [supervisor.id, admin.id, desk.id, randomUUID(), other.users.clinician.id]) {
      const res = await book(frontDesk, { clinicianId, startsAt: '2026-05-06T09:00:00-07:00' });
      expect(res.statusCode, clinicianId).toBe(422);
      expect(res.json().code).toBe('CLINICIAN_NOT_ON_CARE_TEAM');
    }
    const id = await bookOk(frontDesk, { startsAt: '2026-05-06T09:00:00-07:00' });
    const moved = await frontDesk.request('PATCH', `/api/appointments/${id}`, { clinicianId: supervisor.id });
    expect(moved.json().code).toBe('CLINICIAN_NOT_ON_CARE_TEAM');

    // Once the supervisor is assigned too, the appointment may move to them.
    await db.insertInto('client_clinicians').values({ practice_id: practice.practiceId, client_id: client.id, clinician_id: supervisor.id }).execute();
    expect((await frontDesk.request('PATCH', `/api/appointments/${id}`, { clinicianId: supervisor.id })).json().clinicianId).toBe(supervisor.id);
    await db.deleteFrom('client_clinicians').where('client_id', '=', client.id).where('clinician_id', '=', supervisor.id).execute();
    expect(await appointmentsDigest(db)).not.toBe(before);
  });

  it("keeps a clinician to their own day; a supervisor may read their supervisees'", async () => {
    const outsider = { id: randomUUID(), email: `clinician-${randomUUID()}@example.test` };
    await insertUser(db, { practiceId: practice.practiceId, id: outsider.id, email: outsider.email, name: 'Unsupervised Clinician', role: 'clinician', passwordHash: 'x' });

    const refused = await clinicianBrowser.get(`/api/schedule/day?date=2026-05-06&clinicianId=${supervisor.id}`);
    expect(refused.statusCode).toBe(403);
    expect(refused.json().code).toBe('FORBIDDEN');
    const denied = await db.selectFrom('audit_events').selectAll().where('practice_id', '=', practice.practiceId)
      .where('actor_user_id', '=', clinician.id).where('outcome', '=', 'denied').where('action', '=', 'schedule.read').execute();
    expect(denied.map((e) => e.resource_id)).toContain(supervisor.id);

    const supervisorBrowser = await signedIn(app, supervisor.email);
    expect((await day(supervisorBrowser, '2026-03-08', clinician.id)).appointments).toHaveLength(1);
    const own = await day(supervisorBrowser, '2026-05-06'); // the appointment moved to them above
    expect(own.clinicianId).toBe(supervisor.id);
    expect(own.appointments.map((a) => a.clinician.id)).toEqual([supervisor.id]);
    expect((await supervisorBrowser.get(`/api/schedule/day?date=2026-05-06&clinicianId=${outsider.id}`)).statusCode).toBe(403);
  });

  it('shows the front desk and admins names and times only, for one clinician or everyone', async () => {
    for (const browser of [frontDesk, await signedIn(app, admin.email)]) {
      const everyone = await day(browser, '2026-03-08');
      expect(everyone.clinicianId).toBeNull();
      expect(everyone.appointments).toHaveLength(1);
      expect(everyone.appointments[0]!.client).toEqual({ id: client.id, name: 'Ave' });
      const one = await browser.get(`/api/schedule/day?date=2026-03-08&clinicianId=${clinician.id}`);
      expect(one.body).not.toMatch(/riskLevel|readiness|gaps/);
      expect(one.json().appointments).toHaveLength(1);
    }
  });

  it("lists a client's upcoming appointments for the care team and for the front desk", async () => {
    const list = await frontDesk.get(`/api/clients/${client.id}/appointments?from=2026-05-04T00:00:00-07:00&limit=3`);
    expect(list.statusCode, list.body).toBe(200);
    const rows = list.json().appointments as { startsAt: string; clinician: { id: string } }[];
    expect(rows).toHaveLength(3);
    expect(rows.map((r) => r.startsAt)).toEqual([...rows.map((r) => r.startsAt)].sort());
    expect(rows[1]).toMatchObject({ startsAt: '2026-05-04T17:00:00.000Z', status: 'cancelled', clinician: { id: clinician.id }, location: null });
    expect((await clinicianBrowser.get(`/api/clients/${client.id}/appointments?from=2026-05-04T00:00:00Z`)).statusCode).toBe(200);

    const reads = await db.selectFrom('audit_events').selectAll().where('practice_id', '=', practice.practiceId)
      .where('action', '=', 'schedule.read').where('client_id', '=', client.id).orderBy('seq').execute();
    expect(reads.map((e) => e.actor_user_id)).toEqual([desk.id, clinician.id]);
    expect(JSON.parse(reads[0]!.detail)).toEqual({ from: '2026-05-04T07:00:00.000Z', count: 3 });
  });

  it("answers 404 to a clinician who is not on the client's care team", async () => {
    const theirs = await createClient(db, practice, { clinicianIds: [supervisor.id] });
    const before = await appointmentsDigest(db);
    expect((await clinicianBrowser.get(`/api/clients/${theirs.id}/appointments`)).statusCode).toBe(404);
    const booking = await clinicianBrowser.post('/api/appointments', { clientId: theirs.id, clinicianId: supervisor.id, startsAt: '2026-07-01T09:00:00-07:00', minutes: 50, modality: 'telehealth' });
    expect(booking.statusCode).toBe(404);
    expect(booking.json().code).toBe('NOT_FOUND');

    const supervisorBrowser = await signedIn(app, supervisor.email);
    const theirAppointment = (await supervisorBrowser.post('/api/appointments', { clientId: theirs.id, clinicianId: supervisor.id, startsAt: '2026-07-01T09:00:00-07:00', minutes: 50, modality: 'telehealth' })).json().id as string;
    expect((await clinicianBrowser.request('PATCH', `/api/appointments/${theirAppointment}`, { minutes: 30 })).statusCode).toBe(404);
    expect((await clinicianBrowser.post(`/api/appointments/${theirAppointment}/cancel`)).statusCode).toBe(404);
    expect(await db.selectFrom('appointments').select('minutes').where('id', '=', theirAppointment).executeTakeFirstOrThrow()).toEqual({ minutes: 50 });

    // Their own client, though, a clinician books for themself.
    await bookOk(clinicianBrowser, { startsAt: '2026-07-01T09:00:00-07:00' });
    expect(await appointmentsDigest(db)).not.toBe(before);
    const denied = await db.selectFrom('audit_events').select('client_id').where('practice_id', '=', practice.practiceId)
      .where('actor_user_id', '=', clinician.id).where('outcome', '=', 'denied').where('client_id', '=', theirs.id).execute();
    expect(denied.length).toBeGreaterThanOrEqual(4);
  });

  it("answers 404 for another practice's client, location, appointment and clinician", async () => {
    const theirClient = await createClient(db, other);
    const theirLocation = await createLocation(db, other.practiceId);
    const theirDesk = await signedIn(app, other.users.front_desk.email);
    const theirAppointment = (await theirDesk.post('/api/appointments', { clientId: theirClient.id, clinicianId: other.users.clinician.id, startsAt: '2026-08-03T09:00:00-07:00', minutes: 50, modality: 'telehealth' })).json().id as string;
    const before = await appointmentsDigest(db);

    const expect404 = async (res: { statusCode: number; json: () => { code: string } }) => {
      expect(res.statusCode).toBe(404);
      expect(res.json().code).toBe('NOT_FOUND');
    };
    await expect404(await book(frontDesk, { clientId: theirClient.id, startsAt: '2026-08-03T09:00:00-07:00' }));
    await expect404(await book(frontDesk, { startsAt: '2026-08-03T09:00:00-07:00', modality: 'in_person', locationId: theirLocation }));
    await expect404(await frontDesk.request('PATCH', `/api/appointments/${theirAppointment}`, { minutes: 30 }));
    await expect404(await frontDesk.post(`/api/appointments/${theirAppointment}/cancel`));
    await expect404(await frontDesk.get(`/api/clients/${theirClient.id}/appointments`));
    await expect404(await frontDesk.get(`/api/schedule/day?date=2026-08-03&clinicianId=${other.users.clinician.id}`));
    expect(await appointmentsDigest(db)).toBe(before);
    // Their day does not leak into ours.
    expect((await day(frontDesk, '2026-08-03')).appointments).toEqual([]);
  });

  it('answers bad input with 400 and writes nothing', async () => {
    const before = await appointmentsDigest(db);
    const bad: Record<string, unknown>[] = [
      { startsAt: '2026-09-01T09:00:00' }, // no offset
      { startsAt: '2026-09-31T09:00:00-07:00' },
      { startsAt: '1999-12-31T09:00:00Z' },
      { startsAt: '2026-09-01T09:00:00-07:00', minutes: 4 },
      { startsAt: '2026-09-01T09:00:00-07:00', minutes: 481 },
      { startsAt: '2026-09-01T09:00:00-07:00', minutes: 50.5 },
      { startsAt: '2026-09-01T09:00:00-07:00', modality: 'phone' },
      { startsAt: '2026-09-01T09:00:00-07:00', clientId: 'not-a-uuid' },
      { startsAt: '2026-09-01T09:00:00-07:00', status: 'cancelled' }, // unknown field
      { startsAt: '2026-09-01T09:00:00-07:00', modality: 'in_person' }, // needs a location
    ];
    for (const body of bad) {
      const res = await book(frontDesk, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().code).toBe('VALIDATION_FAILED');
    }
    expect((await book(frontDesk, { startsAt: '2026-09-01T09:00:00-07:00', modality: 'in_person' })).json().errors).toEqual([expect.objectContaining({ path: 'body.locationId' })]);

    const id = await bookOk(frontDesk, { startsAt: '2026-09-01T09:00:00-07:00' });
    const booked = await appointmentsDigest(db);
    for (const body of [{}, { minutes: 0 }, { startsAt: 'tomorrow' }, { modality: 'in_person' }, { clientId: client.id }]) {
      const res = await frontDesk.request('PATCH', `/api/appointments/${id}`, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
    }
    expect((await frontDesk.request('PATCH', '/api/appointments/not-a-uuid', { minutes: 30 })).statusCode).toBe(400);
    expect((await frontDesk.post('/api/appointments/not-a-uuid/cancel')).statusCode).toBe(400);
    expect(await appointmentsDigest(db)).toBe(booked);
    expect(booked).not.toBe(before);

    for (const query of ['', 'date=2026-02-30', 'date=03/08/2026', 'date=2026-03-08&clinicianId=nope', 'date=2026-03-08&extra=1']) {
      expect((await frontDesk.get(`/api/schedule/day?${query}`)).statusCode, query).toBe(400);
    }
    expect((await frontDesk.get(`/api/clients/${client.id}/appointments?limit=1000`)).statusCode).toBe(400);
  });

  it('refuses to book for an archived client', async () => {
    const archived = await createClient(db, practice);
    await db.updateTable('clients').set({ archived_at: new Date() }).where('id', '=', archived.id).execute();
    const res = await book(frontDesk, { clientId: archived.id, startsAt: '2026-09-02T09:00:00-07:00' });
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('BOOKING_CLIENT_ARCHIVED');
  });
});

describe("the care team's view of readiness", async () => {
  const { app, db } = await createTestApp();
  const practice: FixturePractice = await createPractice(db, 'Readiness');
  const { clinician, supervisor, admin } = practice.users;
  const today = localDate(new Date(), ZONE);
  const yesterday = new Date(Date.parse(`${today}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);

  const ready = await createClient(db, practice, { name: 'Ready Synthetic' });
  const stale = await createClient(db, practice, { name: 'Stale Synthetic' });
  const expiring = await createClient(db, practice, { name: 'Expiring Synthetic' });
  const bare = await createClient(db, practice, { name: 'Bare Synthetic' });
  const supervisorsOwn = await createClient(db, practice, { name: 'Supervisors Synthetic', clinicianIds: [supervisor.id] });

  const contact = (clientId: string, consentScope: 'emergency' | 'ask_at_time' | 'none', consentExpiresOn: string | null) => db.insertInto('emergency_contacts').values({
    practice_id: practice.practiceId, id: randomUUID(), client_id: clientId, name: 'Synthetic Contact', relationship: 'sibling',
    phones: ['+14155550100'], priority: 1, may_be_told: '', consent_scope: consentScope, consent_given_on: null, consent_expires_on: consentExpiresOn,
  }).execute();
  await db.insertInto('safety_plans').values({ practice_id: practice.practiceId, client_id: ready.id, version: 1, content: '{}', saved_by: clinician.id }).execute();
  await db.updateTable('clients').set({ risk_level: 'high' }).where('id', '=', ready.id).execute();
  await contact(ready.id, 'emergency', null);
  await contact(stale.id, 'emergency', yesterday);
  await contact(stale.id, 'ask_at_time', null);
  await contact(expiring.id, 'emergency', today);

  const frontDesk = await signedIn(app, practice.users.front_desk.email);
  const clinicianBrowser = await signedIn(app, clinician.email);
  const hours = ['09', '10', '11', '12'];
  for (const [i, c] of [ready, stale, expiring, bare].entries()) {
    const res = await frontDesk.post('/api/appointments', { clientId: c.id, clinicianId: clinician.id, startsAt: `2026-06-15T${hours[i]}:00:00-07:00`, minutes: 50, modality: 'telehealth' });
    expect(res.statusCode, res.body).toBe(201);
  }
  // Booked before the client moved to the supervisor's care: still on the clinician's day.
  await db.insertInto('appointments').values({
    practice_id: practice.practiceId, id: randomUUID(), client_id: supervisorsOwn.id, clinician_id: clinician.id,
    starts_at: new Date('2026-06-15T20:00:00Z'), minutes: 50, modality: 'telehealth', location_id: null, created_by: admin.id,
  }).execute();

  const byClient = async (browser: Browser, clinicianId?: string) =>
    new Map((await day(browser, '2026-06-15', clinicianId)).appointments.map((a) => [a.client.id, a.client]));

  it('says there is no policy to acknowledge before the practice has one', async () => {
    const rows = await byClient(clinicianBrowser);
    expect(rows.get(bare.id)).toEqual({
      id: bare.id, name: 'Bare Synthetic', riskLevel: 'unknown',
      readiness: { safetyPlan: false, callableEmergencyContact: false, policy: 'no_policy', gaps: ['no_safety_plan', 'no_emergency_contact'] },
    });
  });

  it("shows each care-team client's risk and readiness gaps", async () => {
    for (const version of [1, 2]) {
      await db.insertInto('policies').values({ practice_id: practice.practiceId, version, title: 'Emergencies', body_markdown: 'Synthetic', published_by: admin.id }).execute();
    }
    const ack = (clientId: string, version: number) => db.insertInto('policy_acknowledgements').values({
      practice_id: practice.practiceId, id: randomUUID(), client_id: clientId, policy_version: version, acknowledged_on: '2026-01-05',
      method: 'signed_in_person', recorded_by: clinician.id,
    }).execute();
    await ack(ready.id, 1);
    await ack(ready.id, 2);
    await ack(stale.id, 1);

    const rows = await byClient(clinicianBrowser);
    expect(rows.get(ready.id)).toMatchObject({ riskLevel: 'high', readiness: { safetyPlan: true, callableEmergencyContact: true, policy: 'current', gaps: [] } });
    expect(rows.get(stale.id)?.readiness).toEqual({ safetyPlan: false, callableEmergencyContact: false, policy: 'outdated', gaps: ['no_safety_plan', 'no_emergency_contact', 'policy_outdated'] });
    expect(rows.get(expiring.id)?.readiness).toEqual({ safetyPlan: false, callableEmergencyContact: true, policy: 'missing', gaps: ['no_safety_plan', 'policy_missing'] });
    expect(rows.get(bare.id)?.readiness?.gaps).toEqual(['no_safety_plan', 'no_emergency_contact', 'policy_missing']);
    // On the clinician's day, but not their client: names and times only.
    expect(rows.get(supervisorsOwn.id)).toEqual({ id: supervisorsOwn.id, name: 'Supervisors Synthetic' });

    const read = await db.selectFrom('audit_events').select('detail').where('practice_id', '=', practice.practiceId)
      .where('action', '=', 'schedule.read').where('actor_user_id', '=', clinician.id).orderBy('seq', 'desc').executeTakeFirstOrThrow();
    expect(JSON.parse(read.detail)).toMatchObject({ date: '2026-06-15', count: 5, withReadiness: 4 });
  });

  it("gives the supervisor readiness for their supervisee's clients and their own", async () => {
    const rows = await byClient(await signedIn(app, supervisor.email), clinician.id);
    expect([...rows.values()].every((c) => c.readiness !== undefined)).toBe(true);
    expect(rows.get(supervisorsOwn.id)?.readiness?.policy).toBe('missing');
  });

  it('never gives the front desk risk or readiness', async () => {
    const res = await frontDesk.get('/api/schedule/day?date=2026-06-15');
    expect(res.json().appointments).toHaveLength(5);
    expect(res.body).not.toMatch(/riskLevel|readiness|gaps|high/);
  });
});
