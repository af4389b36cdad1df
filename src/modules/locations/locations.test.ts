import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { createTestApp, signedIn } from '../../../test/support/app.ts';
import { createPractice, type FixturePractice } from '../../../test/support/fixtures.ts';
import type { Role } from '../../domain/permissions.ts';
import { crisisResourcesFor } from './locations.service.ts';

describe('practice locations and their crisis resources', async () => {
  const { app, db } = await createTestApp();
  const practice = await createPractice(db);
  const other = await createPractice(db, 'Other');
  const as = (p: FixturePractice, role: Role) => signedIn(app, p.users[role]);
  const admin = await as(practice, 'admin');
  const owner = await as(practice, 'owner');
  const clinician = await as(practice, 'clinician');
  const frontDesk = await as(practice, 'front_desk');
  const theirAdmin = await as(other, 'admin');

  const locationsDigest = async () => (await sql<{ d: string }>`select md5(coalesce(string_agg(l::text, ',' order by l::text), '')) as d from locations l`.execute(db)).rows[0]!.d;
  let downtown = '';

  it('an admin adds a location with just a name and address; 911, 988 and Poison Help are filled in', async () => {
    const res = await admin.post('/api/locations', { name: 'Downtown office', address: '100 Example Street, Springfield' });
    expect(res.statusCode).toBe(201);
    const { location } = res.json();
    downtown = location.id;
    expect(location).toMatchObject({
      name: 'Downtown office', address: '100 Example Street, Springfield', timeZone: null,
      emergencyNumber: '911', crisisLine: '988', poisonControlPhone: '+18002221222',
      mobileCrisisName: null, mobileCrisisPhone: null, emergencyDepartmentName: null,
    });
    expect(location.crisisResources).toEqual([
      { kind: 'emergency', label: 'Emergency services', phone: '911', address: null },
      { kind: 'crisis_line', label: '988 Suicide & Crisis Lifeline (call or text)', phone: '988', address: null },
      { kind: 'poison_control', label: 'Poison Help', phone: '+18002221222', address: null },
    ]);
    const [event] = await db.selectFrom('audit_events').selectAll().where('practice_id', '=', practice.practiceId)
      .where('action', '=', 'locations.manage').execute();
    expect(event).toMatchObject({ actor_user_id: practice.users.admin.id, resource_type: 'location', resource_id: downtown, outcome: 'success' });
    expect(JSON.parse(event!.detail)).toEqual({ created: true, fields: ['name', 'address'] });
  });

  it('the owner adds the mobile crisis team and nearest emergency department; phones are stored in E.164', async () => {
    const res = await owner.request('PATCH', `/api/locations/${downtown}`, {
      timeZone: 'America/Chicago',
      mobileCrisisName: 'County mobile crisis team', mobileCrisisPhone: '(217) 555-0143',
      emergencyDepartmentName: 'Springfield General emergency department', emergencyDepartmentAddress: '1 Hospital Way, Springfield',
      emergencyDepartmentPhone: '217-555-0199',
    });
    expect(res.statusCode).toBe(200);
    const { location } = res.json();
    expect(location).toMatchObject({ timeZone: 'America/Chicago', mobileCrisisPhone: '+12175550143', emergencyDepartmentPhone: '+12175550199', name: 'Downtown office' });
    expect(Date.parse(location.updatedAt)).toBeGreaterThan(Date.parse(location.createdAt));

    const resources = await crisisResourcesFor(db, practice.practiceId, downtown);
    expect(resources).toMatchObject({ locationId: downtown, locationName: 'Downtown office', timeZone: 'America/Chicago' });
    expect(resources!.resources.map((r) => [r.kind, r.label, r.phone, r.address])).toEqual([
      ['emergency', 'Emergency services', '911', null],
      ['crisis_line', '988 Suicide & Crisis Lifeline (call or text)', '988', null],
      ['mobile_crisis', 'County mobile crisis team', '+12175550143', null],
      ['emergency_department', 'Springfield General emergency department', '+12175550199', '1 Hospital Way, Springfield'],
      ['poison_control', 'Poison Help', '+18002221222', null],
    ]);

    const event = await db.selectFrom('audit_events').selectAll().where('practice_id', '=', practice.practiceId)
      .where('action', '=', 'locations.manage').orderBy('seq', 'desc').executeTakeFirstOrThrow();
    expect(JSON.parse(event.detail).fields).toEqual(['timeZone', 'mobileCrisisName', 'mobileCrisisPhone', 'emergencyDepartmentName', 'emergencyDepartmentAddress', 'emergencyDepartmentPhone']);
  });

  it('clearing the mobile crisis team takes it off the list; other fields stay', async () => {
    const res = await admin.request('PATCH', `/api/locations/${downtown}`, { mobileCrisisName: null, mobileCrisisPhone: null, crisisLine: '+1 (217) 555-0100' });
    const { location } = res.json();
    expect(location).toMatchObject({ mobileCrisisName: null, mobileCrisisPhone: null, crisisLine: '+12175550100', emergencyDepartmentPhone: '+12175550199' });
    expect(location.crisisResources.map((r: { kind: string }) => r.kind)).toEqual(['emergency', 'crisis_line', 'emergency_department', 'poison_control']);
    expect(location.crisisResources[1]).toMatchObject({ label: 'Crisis line', phone: '+12175550100' });
  });

  it('everyone signed in reads the locations; only owners and admins change them', async () => {
    await admin.post('/api/locations', { name: 'Annex', address: '5 Example Road', emergencyNumber: '911', poisonControlPhone: '+1 800 222 1222' });
    for (const browser of [clinician, frontDesk]) {
      const list = (await browser.get('/api/locations')).json().locations;
      expect(list.map((l: { name: string }) => l.name)).toEqual(['Annex', 'Downtown office']);
      expect((await browser.get(`/api/locations/${downtown}`)).json().location.name).toBe('Downtown office');
    }
    const before = await locationsDigest();
    for (const browser of [clinician, frontDesk]) {
      expect((await browser.post('/api/locations', { name: 'Sneaky', address: 'Nowhere' })).statusCode).toBe(403);
      expect((await browser.request('PATCH', `/api/locations/${downtown}`, { name: 'Renamed' })).statusCode).toBe(403);
    }
    expect(await locationsDigest()).toBe(before);
  });

  it('bad input is refused and changes nothing', async () => {
    const before = await locationsDigest();
    const creates = [
      {}, { name: 'No address' }, { name: '', address: 'x' }, { name: 'n'.repeat(201), address: 'x' },
      { name: 'A', address: 'a'.repeat(501) }, { name: 'A', address: 'x', mobileCrisisPhone: 'call the county' },
      { name: 'A', address: 'x', emergencyNumber: '12' }, { name: 'A', address: 'x', timeZone: 'Mars/Olympus' },
      { name: 'A', address: 'x', practiceId: other.practiceId }, { name: 'A', address: 'x', emergencyNumber: null },
    ];
    for (const body of creates) expect((await admin.post('/api/locations', body)).statusCode, JSON.stringify(body)).toBe(400);
    const patches = [{}, { name: null }, { address: '' }, { poisonControlPhone: 'none' }, { id: downtown }, { emergencyDepartmentAddress: 'x'.repeat(501) }];
    for (const body of patches) expect((await admin.request('PATCH', `/api/locations/${downtown}`, body)).statusCode, JSON.stringify(body)).toBe(400);
    expect((await admin.request('PATCH', '/api/locations/not-a-uuid', { name: 'X' })).statusCode).toBe(400);
    const named = await admin.post('/api/locations', { name: 'A', address: 'x', mobileCrisisPhone: '555' });
    expect(named.json().errors).toEqual([expect.objectContaining({ path: 'body.mobileCrisisPhone' })]);
    expect(await locationsDigest()).toBe(before);
  });

  it("another practice's location is not found, not listed and not changed", async () => {
    const theirs = (await theirAdmin.post('/api/locations', { name: 'Their office', address: '9 Elsewhere Lane' })).json().location.id as string;
    const before = await locationsDigest();
    expect((await admin.get(`/api/locations/${theirs}`)).statusCode).toBe(404);
    const patch = await admin.request('PATCH', `/api/locations/${theirs}`, { name: 'Taken over' });
    expect(patch.statusCode).toBe(404);
    expect(patch.json().code).toBe('NOT_FOUND');
    expect((await admin.get('/api/locations')).json().locations.some((l: { id: string }) => l.id === theirs)).toBe(false);
    expect(await crisisResourcesFor(db, practice.practiceId, theirs)).toBeNull();
    expect(await locationsDigest()).toBe(before);
    // and the refused attempt left no success event behind
    const events = await db.selectFrom('audit_events').select('resource_id').where('practice_id', '=', practice.practiceId)
      .where('action', '=', 'locations.manage').where('resource_id', '=', theirs).execute();
    expect(events).toHaveLength(0);
  });
});
