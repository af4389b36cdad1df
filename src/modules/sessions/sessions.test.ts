import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { createTestApp, signedIn, type Browser } from '../../../test/support/app.ts';
import { createClient, createPractice } from '../../../test/support/fixtures.ts';
import type { Db } from '../../server/database.ts';
import type { SessionView } from './sessions.service.ts';

async function createLocation(db: Db, practiceId: string, name: string, extra: { mobile_crisis_name?: string; mobile_crisis_phone?: string } = {}) {
  const id = randomUUID();
  await db.insertInto('locations').values({ practice_id: practiceId, id, name, address: `${name}, 1 Synthetic Street`, ...extra }).execute();
  return id;
}

const appointmentsDigest = async (db: Db) => (await sql<{ d: string }>`
  select md5(coalesce(string_agg(a::text, ',' order by a::text), '')) as d from appointments a`.execute(db)).rows[0]!.d;
const sessionsDigest = async (db: Db) => (await sql<{ d: string }>`
  select md5(coalesce((select string_agg(s::text, ',' order by s::text) from therapy_sessions s), '')
    || coalesce((select string_agg(o::text, ',' order by o::text) from session_step_outs o), '')) as d`.execute(db)).rows[0]!.d;

describe('therapy sessions', async () => {
  const { app, db } = await createTestApp();
  const practice = await createPractice(db);
  const other = await createPractice(db, 'Other');
  const { clinician, supervisor, front_desk: desk } = practice.users;
  // The practice's first location by name is the fallback for crisis resources.
  const office = await createLocation(db, practice.practiceId, 'Alder office');
  const bayRegion = await createLocation(db, practice.practiceId, 'Bay region (telehealth)', {
    mobile_crisis_name: 'Synthetic County Mobile Crisis', mobile_crisis_phone: '+14155550199',
  });
  const riley = await createClient(db, practice, { name: 'Riley Synthetic' });
  await db.updateTable('clients').set({ address: '12 Synthetic Lane, Oakland', phone: '+14155550142', risk_level: 'moderate' })
    .where('id', '=', riley.id).execute();
  const alex = await createClient(db, practice, { name: 'Alex Synthetic' });
  // The supervisor's own client: the clinician is not on this care team.
  const supervisorsOwn = await createClient(db, practice, { name: 'Sol Synthetic', clinicianIds: [supervisor.id] });

  const frontDesk = await signedIn(app, desk);
  const lin = await signedIn(app, clinician);
  const singh = await signedIn(app, supervisor);
  const outsider = await signedIn(app, other.users.clinician);

  let day = 0;
  /** A fresh morning for each appointment, so that no two overlap unless a test says so. */
  const nextMorning = () => `2026-07-${String(++day).padStart(2, '0')}T10:00:00-07:00`;
  const book = async (body: Record<string, unknown>) => {
    const res = await frontDesk.post('/api/appointments', {
      clientId: riley.id, clinicianId: clinician.id, minutes: 50, modality: 'telehealth', startsAt: nextMorning(), ...body,
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().id as string;
  };
  const start = (browser: Browser, appointmentId: string, body: Record<string, unknown> = {}) =>
    browser.post(`/api/appointments/${appointmentId}/session`, body);
  const started = async (browser: Browser, appointmentId: string, body: Record<string, unknown> = {}) => {
    const res = await start(browser, appointmentId, body);
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as SessionView;
  };
  const inPerson = async (body: Record<string, unknown> = {}) =>
    started(lin, await book({ clientId: alex.id, modality: 'in_person', locationId: office }), body);
  const audits = (resourceId: string) => db.selectFrom('audit_events').selectAll().where('practice_id', '=', practice.practiceId)
    .where('resource_id', '=', resourceId).orderBy('seq').execute();

  it("S2: a telehealth session starts only once the client's location and a callback number are confirmed", async () => {
    const appointmentId = await book({});
    const before = await sessionsDigest(db);

    const neither = await start(lin, appointmentId, {});
    expect(neither.statusCode).toBe(422);
    expect(neither.json().code).toBe('TELEHEALTH_LOCATION_REQUIRED');
    expect(neither.json().errors.map((e: { path: string }) => e.path)).toEqual(['body.clientLocation', 'body.callbackPhone']);
    const noCallback = await start(lin, appointmentId, { clientLocation: 'At home' });
    expect(noCallback.statusCode).toBe(422);
    expect(noCallback.json().errors.map((e: { path: string }) => e.path)).toEqual(['body.callbackPhone']);
    const badPhone = await start(lin, appointmentId, { clientLocation: 'At home', callbackPhone: 'call me maybe' });
    expect(badPhone.statusCode).toBe(400);
    // The refused starts changed nothing.
    expect(await sessionsDigest(db)).toBe(before);

    // Dr. Lin confirms Riley is at home, with a callback number, in the Bay region.
    const res = await start(lin, appointmentId, { clientLocation: 'At home, 12 Synthetic Lane', callbackPhone: '(415) 555-0134', locationId: bayRegion });
    expect(res.statusCode, res.body).toBe(201);
    const session = res.json() as SessionView;
    expect(session).toMatchObject({
      appointmentId, modality: 'telehealth', minutes: 50, endedAt: null, endedEarly: null, stepOuts: [], incidents: [],
      clientLocation: 'At home, 12 Synthetic Lane', callbackPhone: '+14155550134',
      client: { id: riley.id, name: 'Riley Synthetic', riskLevel: 'moderate', address: '12 Synthetic Lane, Oakland', phone: '+14155550142' },
      clinician: { id: clinician.id, name: clinician.name },
      location: { id: bayRegion, name: 'Bay region (telehealth)' },
    });
    expect(session.locationConfirmedAt).toBe(session.startedAt);
    // The crisis resources for Riley's location, the mobile crisis team among them.
    expect(session.crisisResources?.locationId).toBe(bayRegion);
    expect(session.crisisResources?.resources).toContainEqual({ kind: 'mobile_crisis', label: 'Synthetic County Mobile Crisis', phone: '+14155550199', address: null });
    expect(session.crisisResources?.resources.map((r) => r.kind)).toEqual(['emergency', 'crisis_line', 'mobile_crisis', 'poison_control']);
  });

  it("falls back to the practice's first location for the crisis resources of a telehealth session that names none", async () => {
    const session = await started(lin, await book({}), { clientLocation: 'At work', callbackPhone: '+14155550134' });
    expect(session.location?.id).toBe(office);
    expect(session.crisisResources?.locationName).toBe('Alder office');
  });

  it('starts an in-person session in its room; starting it again answers the same session', async () => {
    const appointmentId = await book({ clientId: alex.id, modality: 'in_person', locationId: office });
    const first = await started(lin, appointmentId);
    expect(first).toMatchObject({
      modality: 'in_person', location: { id: office }, clientLocation: null, callbackPhone: null, locationConfirmedAt: null,
      availabilityNotice: false, availabilityNoticeToldClient: false, crisisResources: { locationId: office },
    });

    // A second tab, or a retried request: the session already started, unchanged.
    const again = await start(lin, appointmentId, { availabilityNotice: true });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual(first);
    const rows = await db.selectFrom('therapy_sessions').select('id').where('appointment_id', '=', appointmentId).execute();
    expect(rows).toEqual([{ id: first.id }]);
  });

  it('refuses to start a cancelled appointment', async () => {
    const appointmentId = await book({});
    expect((await frontDesk.post(`/api/appointments/${appointmentId}/cancel`)).statusCode).toBe(200);
    const res = await start(lin, appointmentId, { clientLocation: 'At home', callbackPhone: '+14155550134' });
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('APPOINTMENT_CANCELLED');
    expect(await db.selectFrom('therapy_sessions').select('id').where('appointment_id', '=', appointmentId).execute()).toEqual([]);
  });

  it('S3: records the availability notice given at the start, and changes to it', async () => {
    const session = await inPerson({ availabilityNotice: true, availabilityNoticeToldClient: true });
    expect(session).toMatchObject({ availabilityNotice: true, availabilityNoticeToldClient: true });

    const changed = await lin.request('PATCH', `/api/sessions/${session.id}`, { availabilityNoticeToldClient: false });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json()).toMatchObject({ availabilityNotice: true, availabilityNoticeToldClient: false });
    expect((await lin.request('PATCH', `/api/sessions/${session.id}`, {})).statusCode).toBe(400);
    expect((await lin.request('PATCH', `/api/sessions/${session.id}`, { availabilityNotice: 'yes' })).statusCode).toBe(400);
  });

  it('S7: steps out and back, one step-out at a time, with the time away and what the client was told', async () => {
    const session = await inPerson();
    const out = await lin.post(`/api/sessions/${session.id}/step-outs`, {
      reason: "The building's alarm panel is beeping", toldClient: "I need to check the alarm panel; I'll be right back.",
    });
    expect(out.statusCode, out.body).toBe(201);
    const stepOut = (out.json() as SessionView).stepOuts[0]!;
    expect(stepOut).toMatchObject({ reason: "The building's alarm panel is beeping", returnedAt: null, minutesAway: null });

    // Stepping out again before returning is refused and records nothing.
    const before = await sessionsDigest(db);
    const twice = await lin.post(`/api/sessions/${session.id}/step-outs`, { reason: 'Again', toldClient: 'Again' });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().code).toBe('STEP_OUT_UNDER_WAY');
    expect(await sessionsDigest(db)).toBe(before);

    // Dr. Patel is away four minutes.
    await db.updateTable('session_step_outs').set({ left_at: new Date(Date.now() - 4 * 60_000) }).where('id', '=', stepOut.id).execute();
    const back = await lin.post(`/api/sessions/${session.id}/step-outs/${stepOut.id}/return`);
    expect(back.statusCode, back.body).toBe(200);
    expect((back.json() as SessionView).stepOuts).toEqual([expect.objectContaining({
      id: stepOut.id, toldClient: "I need to check the alarm panel; I'll be right back.", minutesAway: 4, returnedAt: expect.any(String),
    })]);
    const returnedAgain = await lin.post(`/api/sessions/${session.id}/step-outs/${stepOut.id}/return`);
    expect(returnedAgain.statusCode).toBe(409);
    expect(returnedAgain.json().code).toBe('STEP_OUT_ALREADY_RETURNED');
    expect((await lin.post(`/api/sessions/${session.id}/step-outs/${randomUUID()}/return`)).statusCode).toBe(404);
    expect((await lin.post(`/api/sessions/${session.id}/step-outs`, { reason: '', toldClient: 'Something' })).statusCode).toBe(400);

    // The time away and what the client was told are on the session record.
    const read = (await lin.get(`/api/sessions/${session.id}`)).json() as SessionView;
    expect(read.stepOuts).toHaveLength(1);
    expect(read.stepOuts[0]!.minutesAway).toBe(4);
  });

  it("notes a step-out and the return on the session's open incident", async () => {
    const session = await inPerson();
    const incidentId = randomUUID();
    await db.insertInto('incidents').values({
      practice_id: practice.practiceId, id: incidentId, client_id: alex.id, session_id: session.id, protocol_key: 'stepping-out',
      opened_by: clinician.id, opened_at: new Date(),
    }).execute();

    const out = (await lin.post(`/api/sessions/${session.id}/step-outs`, { reason: 'Fire alarm test', toldClient: 'A fire alarm test; back shortly.' })).json() as SessionView;
    expect(out.incidents).toEqual([expect.objectContaining({ id: incidentId, protocolKey: 'stepping-out', status: 'open' })]);
    await lin.post(`/api/sessions/${session.id}/step-outs/${out.stepOuts[0]!.id}/return`);

    const timeline = await db.selectFrom('incident_timeline').selectAll().where('incident_id', '=', incidentId).orderBy('seq').execute();
    expect(timeline.map((t) => [t.kind, t.actor_user_id])).toEqual([['session', clinician.id], ['session', clinician.id]]);
    expect(timeline[0]!.what).toContain('Fire alarm test');
    expect(timeline[0]!.what).toContain('A fire alarm test; back shortly.');
    expect(timeline[1]!.what).toMatch(/^Returned to the session after \d+ min away$/);
  });

  it('S3: ends early with a reason and a priority reschedule for the same client, clinician, modality and place', async () => {
    const session = await inPerson({ availabilityNotice: true, availabilityNoticeToldClient: true });
    const res = await lin.post(`/api/sessions/${session.id}/end`, {
      early: { reason: "The clinician's own family emergency", reschedule: { startsAt: '2026-08-20T09:00:00-07:00' } },
    });
    expect(res.statusCode, res.body).toBe(200);
    const ended = res.json() as SessionView;
    expect(ended).toMatchObject({ endedEarly: true, endReason: "The clinician's own family emergency", endedAt: expect.any(String) });

    const rebooked = await db.selectFrom('appointments').selectAll().where('id', '=', ended.rescheduleAppointmentId!).executeTakeFirstOrThrow();
    expect(rebooked).toMatchObject({
      client_id: alex.id, clinician_id: clinician.id, modality: 'in_person', location_id: office, minutes: 50, status: 'scheduled',
      starts_at: new Date('2026-08-20T16:00:00Z'), created_by: clinician.id,
    });
    const booking = await audits(rebooked.id);
    expect(booking.map((e) => [e.action, e.client_id])).toEqual([['appointments.book', alex.id]]);
    expect(JSON.parse(booking[0]!.detail)).toMatchObject({ rescheduleOf: session.appointmentId, sessionId: session.id });

    // An ended session stays ended: no second end, no step-out, no changes.
    for (const [res, what] of [
      [await lin.post(`/api/sessions/${session.id}/end`, {}), 'end'],
      [await lin.post(`/api/sessions/${session.id}/step-outs`, { reason: 'Phone', toldClient: 'Back soon' }), 'step out'],
      [await lin.request('PATCH', `/api/sessions/${session.id}`, { availabilityNotice: false }), 'patch'],
    ] as const) {
      expect(res.statusCode, what).toBe(409);
      expect(res.json().code, what).toBe('SESSION_ENDED');
    }
    expect((await lin.get(`/api/sessions/${session.id}`)).json()).toEqual(ended);
  });

  it('books the reschedule for the minutes asked, and refuses a slot the clinician has taken, changing nothing', async () => {
    const session = await inPerson();
    const taken = nextMorning();
    await book({ clientId: alex.id, startsAt: taken });
    const appointments = await appointmentsDigest(db);
    const sessions = await sessionsDigest(db);

    const clash = await lin.post(`/api/sessions/${session.id}/end`, { early: { reason: 'Fire alarm', reschedule: { startsAt: taken.replace('10:00', '10:30') } } });
    expect(clash.statusCode).toBe(409);
    expect(clash.json().code).toBe('APPOINTMENT_OVERLAPS');
    expect(await appointmentsDigest(db)).toBe(appointments);
    expect(await sessionsDigest(db)).toBe(sessions);
    expect(((await lin.get(`/api/sessions/${session.id}`)).json() as SessionView).endedAt).toBeNull();

    expect((await lin.post(`/api/sessions/${session.id}/end`, { early: { reason: '' } })).statusCode).toBe(400);
    expect((await lin.post(`/api/sessions/${session.id}/end`, { early: { reason: 'Alarm', reschedule: { startsAt: '2026-08-21 09:00' } } })).statusCode).toBe(400);
    expect(await sessionsDigest(db)).toBe(sessions);

    const ok = await lin.post(`/api/sessions/${session.id}/end`, { early: { reason: 'Fire alarm', reschedule: { startsAt: taken.replace('10:00', '11:00'), minutes: 30 } } });
    expect(ok.statusCode, ok.body).toBe(200);
    const rebooked = await db.selectFrom('appointments').select('minutes').where('id', '=', ok.json().rescheduleAppointmentId).executeTakeFirstOrThrow();
    expect(rebooked.minutes).toBe(30);
  });

  it('ends a session plainly, ending a step-out still under way with it', async () => {
    const session = await inPerson();
    const out = (await lin.post(`/api/sessions/${session.id}/step-outs`, { reason: 'Door', toldClient: 'Someone is at the door.' })).json() as SessionView;
    const res = await lin.post(`/api/sessions/${session.id}/end`);
    expect(res.statusCode, res.body).toBe(200);
    const ended = res.json() as SessionView;
    expect(ended).toMatchObject({ endedEarly: false, endReason: null, rescheduleAppointmentId: null });
    expect(ended.stepOuts).toEqual([expect.objectContaining({ id: out.stepOuts[0]!.id, returnedAt: ended.endedAt })]);
    const again = await lin.post(`/api/sessions/${session.id}/end`);
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('SESSION_ENDED');
  });

  it("answers the caller's own session not yet ended as the current one", async () => {
    // The supervisor runs a session for their own client; the clinician's sessions are not theirs.
    expect((await singh.get('/api/sessions/current')).json()).toEqual({ session: null });
    const appointmentId = await book({ clientId: supervisorsOwn.id, clinicianId: supervisor.id, modality: 'in_person', locationId: office });
    const session = await started(singh, appointmentId);
    const current = await singh.get('/api/sessions/current');
    expect(current.statusCode).toBe(200);
    expect(current.json()).toEqual({ session });
    expect(((await lin.get('/api/sessions/current')).json() as { session: SessionView | null }).session?.id).not.toBe(session.id);

    await singh.post(`/api/sessions/${session.id}/end`, {});
    expect((await singh.get('/api/sessions/current')).json()).toEqual({ session: null });
  });

  it("answers 404 to clinicians outside the client's care team, in other practices, and to the front desk, and records the refusals", async () => {
    const session = await inPerson();
    const theirs = await book({ clientId: supervisorsOwn.id, clinicianId: supervisor.id, modality: 'in_person', locationId: office });

    // Dr. Lin is not on Sol's care team: neither the appointment nor its session exists for her.
    expect((await start(lin, theirs)).statusCode).toBe(404);
    const solsSession = await started(singh, theirs);
    for (const res of [await lin.get(`/api/sessions/${solsSession.id}`), await lin.post(`/api/sessions/${solsSession.id}/end`, {})]) {
      expect(res.statusCode).toBe(404);
    }
    // Another practice's clinician.
    for (const res of [
      await outsider.get(`/api/sessions/${session.id}`),
      await start(outsider, session.appointmentId),
      await outsider.post(`/api/sessions/${session.id}/step-outs`, { reason: 'x', toldClient: 'y' }),
    ]) expect(res.statusCode).toBe(404);
    // The front desk books sessions but does not run them: refused by role, as not found (nothing about the client is disclosed).
    for (const res of [await frontDesk.get(`/api/sessions/${session.id}`), await start(frontDesk, session.appointmentId)]) {
      expect(res.statusCode).toBe(404);
    }
    // The supervisor of Dr. Lin is on Alex's care team.
    expect((await singh.get(`/api/sessions/${session.id}`)).statusCode).toBe(200);

    const rows = await db.selectFrom('therapy_sessions').select('id').where('appointment_id', '=', theirs).execute();
    expect(rows).toEqual([{ id: solsSession.id }]);
    const denied = await db.selectFrom('audit_events').selectAll().where('outcome', '=', 'denied')
      .where('actor_user_id', 'in', [clinician.id, other.users.clinician.id, desk.id]).orderBy('seq').execute();
    expect(denied.filter((e) => e.actor_user_id === clinician.id && e.client_id === supervisorsOwn.id).map((e) => e.action))
      .toEqual(['session.run', 'session.run', 'session.run']);
    expect(denied.filter((e) => e.actor_user_id === other.users.clinician.id).map((e) => [e.action, e.resource_type]))
      .toEqual([['session.read', 'therapy_session'], ['session.start', 'appointment'], ['session.step_out', 'therapy_session']]);
    expect(denied.filter((e) => e.actor_user_id === desk.id).map((e) => e.action)).toEqual(['session.run', 'session.run']);
  });

  it('audits every read and write of a session, with its client', async () => {
    const session = await inPerson();
    const out = (await lin.post(`/api/sessions/${session.id}/step-outs`, { reason: 'Alarm', toldClient: 'Back soon.' })).json() as SessionView;
    await lin.post(`/api/sessions/${session.id}/step-outs/${out.stepOuts[0]!.id}/return`);
    await lin.request('PATCH', `/api/sessions/${session.id}`, { availabilityNotice: true });
    await lin.get(`/api/sessions/${session.id}`);
    await lin.post(`/api/sessions/${session.id}/end`, {});

    const events = await audits(session.id);
    expect(events.map((e) => e.action)).toEqual(['session.start', 'session.step_out', 'session.return', 'session.update', 'session.read', 'session.end']);
    for (const e of events) {
      expect(e).toMatchObject({ resource_type: 'therapy_session', client_id: alex.id, actor_user_id: clinician.id, outcome: 'success' });
    }
  });

  it("shows the care team each appointment's session on the day's schedule, and the front desk nothing of it", async () => {
    const startsAt = nextMorning();
    const date = startsAt.slice(0, 10);
    const runId = await book({ clientId: alex.id, modality: 'in_person', locationId: office, startsAt });
    const notYet = await book({ clientId: alex.id, startsAt: startsAt.replace('10:00', '14:00') });
    const session = await started(lin, runId);

    const clinicianDay = (await lin.get(`/api/schedule/day?date=${date}`)).json() as { appointments: { id: string; session?: unknown }[] };
    expect(clinicianDay.appointments.map((a) => [a.id, a.session])).toEqual([
      [runId, { id: session.id, startedAt: session.startedAt, endedAt: null }],
      [notYet, null],
    ]);
    const ended = (await lin.post(`/api/sessions/${session.id}/end`, {})).json() as SessionView;
    const afterwards = (await lin.get(`/api/schedule/day?date=${date}`)).json() as { appointments: { id: string; session?: { endedAt: string | null } | null }[] };
    expect(afterwards.appointments[0]!.session?.endedAt).toBe(ended.endedAt);

    const deskDay = await frontDesk.get(`/api/schedule/day?date=${date}&clinicianId=${clinician.id}`);
    expect(deskDay.statusCode).toBe(200);
    expect(deskDay.json().appointments).toHaveLength(2);
    expect(deskDay.body).not.toContain('"session"');
  });
});
