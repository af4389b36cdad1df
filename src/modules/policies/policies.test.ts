import { describe, expect, it } from 'vitest';
import { createTestApp, signedIn } from '../../../test/support/app.ts';
import { createClient, createPractice, type FixturePractice } from '../../../test/support/fixtures.ts';
import type { Role } from '../../domain/permissions.ts';
import { currentPolicyVersion, latestAcknowledgedVersions } from './policies.repository.ts';
import { latestDateOnEarth } from './policies.service.ts';

const today = () => new Date().toISOString().slice(0, 10);
const daysFrom = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

describe('the emergency and interruption policy', async () => {
  const { app, db } = await createTestApp();
  const practice = await createPractice(db);
  const other = await createPractice(db, 'Other');
  const as = (p: FixturePractice, role: Role) => signedIn(app, p.users[role]);
  const owner = await as(practice, 'owner');
  const admin = await as(practice, 'admin');
  const clinician = await as(practice, 'clinician');
  const supervisor = await as(practice, 'supervisor');
  const frontDesk = await as(practice, 'front_desk');
  const client = await createClient(db, practice);

  const acknowledgementRows = () => db.selectFrom('policy_acknowledgements').selectAll().where('practice_id', '=', practice.practiceId).execute();
  const auditOf = (action: string) => db.selectFrom('audit_events').selectAll()
    .where('practice_id', '=', practice.practiceId).where('action', '=', action).orderBy('seq').execute();

  it('before anything is published there is no policy, and a client can acknowledge nothing', async () => {
    expect((await clinician.get('/api/policy')).json()).toEqual({ policy: null });
    expect((await clinician.get('/api/policy/versions')).json()).toEqual({ versions: [] });
    const status = await clinician.get(`/api/clients/${client.id}/policy-acknowledgements`);
    expect(status.json()).toEqual({ status: 'no_policy', currentVersion: null, acknowledgements: [] });

    const res = await clinician.post(`/api/clients/${client.id}/policy-acknowledgements`, { version: 1, acknowledgedOn: today(), method: 'signed_in_person' });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ code: 'POLICY_VERSION_UNKNOWN', errors: [{ path: 'body.version' }] });
    expect(await acknowledgementRows()).toHaveLength(0);
  });

  it('the owner publishes version 1 and anyone signed in can read it; the next publication is version 2', async () => {
    const first = await owner.post('/api/policy', { bodyMarkdown: '## If a session is interrupted\n\nWe will call you back at the number you gave.' });
    expect(first.statusCode).toBe(201);
    expect(first.json()).toEqual({ version: 1 });

    const read = (await frontDesk.get('/api/policy')).json().policy;
    expect(read).toMatchObject({ version: 1, title: 'Emergency and interruption policy', publishedByName: 'Test owner' });
    expect(read.bodyMarkdown).toContain('call you back');
    expect(Date.now() - Date.parse(read.publishedAt)).toBeLessThan(60_000);

    const second = await admin.post('/api/policy', { title: 'Emergencies and interruptions (2nd edition)', bodyMarkdown: 'Revised: we may also text you.' });
    expect(second.json()).toEqual({ version: 2 });
    expect((await clinician.get('/api/policy')).json().policy).toMatchObject({ version: 2, title: 'Emergencies and interruptions (2nd edition)', publishedByName: 'Test admin' });
    const versions = (await clinician.get('/api/policy/versions')).json().versions;
    expect(versions.map((v: { version: number }) => v.version)).toEqual([2, 1]);
    expect(versions[0]).not.toHaveProperty('bodyMarkdown');
    expect((await clinician.get('/api/policy/versions/1')).json().policy.bodyMarkdown).toContain('call you back');
    expect((await clinician.get('/api/policy/versions/7')).statusCode).toBe(404);

    const events = await auditOf('policy.publish');
    expect(events.map((e) => [e.resource_id, e.actor_user_id, e.outcome])).toEqual([
      ['1', practice.users.owner.id, 'success'], ['2', practice.users.admin.id, 'success'],
    ]);
    expect(JSON.parse(events[0]!.detail)).not.toHaveProperty('bodyMarkdown');
  });

  it('only owners and admins publish; a bad body publishes nothing', async () => {
    for (const browser of [clinician, supervisor, frontDesk]) {
      const res = await browser.post('/api/policy', { bodyMarkdown: 'Not allowed' });
      expect(res.statusCode).toBe(403);
      expect(res.json().code).toBe('FORBIDDEN');
    }
    for (const body of [{ bodyMarkdown: '' }, { bodyMarkdown: '   ' }, { title: 'No body' }, { bodyMarkdown: 'x'.repeat(20_001) },
      { bodyMarkdown: 'ok', title: 't'.repeat(201) }, { bodyMarkdown: 'ok', version: 9 }]) {
      expect((await owner.post('/api/policy', body)).statusCode, JSON.stringify(body).slice(0, 80)).toBe(400);
    }
    expect(await currentPolicyVersion(db, practice.practiceId)).toBe(2);
  });

  it('publishers racing each other get consecutive versions, none lost or doubled', async () => {
    const results = await Promise.all(Array.from({ length: 5 }, (_, i) => owner.post('/api/policy', { bodyMarkdown: `Concurrent draft ${i}` })));
    expect(results.map((r) => r.statusCode)).toEqual([201, 201, 201, 201, 201]);
    expect(results.map((r) => r.json().version).sort()).toEqual([3, 4, 5, 6, 7]);
    expect(await currentPolicyVersion(db, practice.practiceId)).toBe(7);
  });

  it('a client acknowledges the current version, becomes outdated when a new one is published, and current again', async () => {
    const url = `/api/clients/${client.id}/policy-acknowledgements`;
    expect((await clinician.get(url)).json()).toMatchObject({ status: 'missing', currentVersion: 7 });

    const recorded = await clinician.post(url, { version: 7, acknowledgedOn: today(), method: 'verbal_telehealth' });
    expect(recorded.statusCode).toBe(201);
    expect(recorded.json()).toMatchObject({
      status: 'current', currentVersion: 7,
      acknowledgements: [{ version: 7, acknowledgedOn: today(), method: 'verbal_telehealth', recordedByName: 'Test clinician' }],
    });

    await owner.post('/api/policy', { bodyMarkdown: 'Version 8: a change every client must hear about.' });
    expect((await clinician.get(url)).json()).toMatchObject({ status: 'outdated', currentVersion: 8 });
    expect((await latestAcknowledgedVersions(db, practice.practiceId, [client.id])).get(client.id)).toBe(7);

    // the supervisor of the assigned clinician may record it too
    const again = await supervisor.post(url, { version: 8, acknowledgedOn: today(), method: 'signed_electronically' });
    expect(again.json()).toMatchObject({ status: 'current', currentVersion: 8 });
    expect(again.json().acknowledgements.map((a: { version: number }) => a.version)).toEqual([8, 7]);

    const writes = await auditOf('client.update');
    expect(writes.filter((e) => e.resource_type === 'policy_acknowledgement')).toHaveLength(2);
    expect(writes.every((e) => e.client_id === client.id && e.outcome === 'success')).toBe(true);
    const reads = (await auditOf('client.read')).filter((e) => e.resource_type === 'policy_acknowledgements' && e.outcome === 'success');
    expect(reads.length).toBeGreaterThanOrEqual(3);
    expect(reads.every((e) => e.client_id === client.id)).toBe(true);
  });

  it('an older version may still be recorded (a form signed before the change), and lists can ask for many clients at once', async () => {
    const late = await createClient(db, practice);
    const never = await createClient(db, practice);
    const res = await clinician.post(`/api/clients/${late.id}/policy-acknowledgements`, { version: 1, acknowledgedOn: today(), method: 'signed_in_person' });
    expect(res.json()).toMatchObject({ status: 'outdated', currentVersion: 8 });
    const map = await latestAcknowledgedVersions(db, practice.practiceId, [client.id, late.id, never.id]);
    expect([...map.entries()].sort()).toEqual([[client.id, 8], [late.id, 1]].sort());
    expect((await latestAcknowledgedVersions(db, practice.practiceId, [])).size).toBe(0);
    // the other practice's tables are its own
    expect(await currentPolicyVersion(db, other.practiceId)).toBeNull();
    expect((await latestAcknowledgedVersions(db, other.practiceId, [client.id])).size).toBe(0);
  });

  it('bad acknowledgements are refused and record nothing', async () => {
    const url = `/api/clients/${client.id}/policy-acknowledgements`;
    const before = await acknowledgementRows();
    const tooLate = daysFrom(latestDateOnEarth(), 1);
    const cases: [unknown, number][] = [
      [{ version: 8, acknowledgedOn: tooLate, method: 'signed_in_person' }, 400],
      [{ version: 8, acknowledgedOn: '2026-02-30', method: 'signed_in_person' }, 400],
      [{ version: 8, acknowledgedOn: today(), method: 'nodded' }, 400],
      [{ version: 8, acknowledgedOn: today() }, 400],
      [{ version: '8', acknowledgedOn: today(), method: 'signed_in_person' }, 400],
      [{ version: 0, acknowledgedOn: today(), method: 'signed_in_person' }, 400],
      [{ version: 8, acknowledgedOn: today(), method: 'signed_in_person', recordedBy: practice.users.owner.id }, 400],
      [{ version: 99, acknowledgedOn: today(), method: 'signed_in_person' }, 422],
      [{ version: 8, acknowledgedOn: '2001-01-01', method: 'signed_in_person' }, 422],
    ];
    for (const [body, status] of cases) {
      expect((await clinician.post(url, body)).statusCode, JSON.stringify(body)).toBe(status);
    }
    const before2001 = await clinician.post(url, { version: 8, acknowledgedOn: '2001-01-01', method: 'signed_in_person' });
    expect(before2001.json()).toMatchObject({ code: 'ACKNOWLEDGED_BEFORE_PUBLISHED', errors: [{ path: 'body.acknowledgedOn' }] });
    const future = await clinician.post(url, { version: 8, acknowledgedOn: tooLate, method: 'signed_in_person' });
    expect(future.json().errors).toEqual([expect.objectContaining({ path: 'body.acknowledgedOn' })]);
    expect(await acknowledgementRows()).toEqual(before);
  });

  it("another practice's client, a clinician off the care team and the front desk are all refused", async () => {
    const theirs = await createClient(db, other);
    const notMine = await createClient(db, practice, { clinicianIds: [] });
    const before = await acknowledgementRows();
    const body = { version: 8, acknowledgedOn: today(), method: 'signed_in_person' };

    for (const id of [theirs.id, notMine.id]) {
      expect((await clinician.get(`/api/clients/${id}/policy-acknowledgements`)).statusCode).toBe(404);
      const res = await clinician.post(`/api/clients/${id}/policy-acknowledgements`, body);
      expect(res.statusCode).toBe(404);
      expect(res.json().code).toBe('NOT_FOUND');
    }
    // Outside the care team a client's record does not exist, whatever the role.
    for (const browser of [frontDesk, admin]) {
      expect((await browser.get(`/api/clients/${client.id}/policy-acknowledgements`)).statusCode).toBe(404);
      expect((await browser.post(`/api/clients/${client.id}/policy-acknowledgements`, body)).statusCode).toBe(404);
    }
    expect(await acknowledgementRows()).toEqual(before);
    expect((await db.selectFrom('policy_acknowledgements').selectAll().where('practice_id', '=', other.practiceId).execute())).toHaveLength(0);

    const denied = await db.selectFrom('audit_events').selectAll().where('practice_id', '=', practice.practiceId)
      .where('actor_user_id', '=', practice.users.clinician.id).where('outcome', '=', 'denied').where('resource_id', '=', notMine.id).execute();
    expect(denied.map((e) => e.action).sort()).toEqual(['client.read', 'client.update']);
    expect(denied.every((e) => JSON.parse(e.detail).reason === 'not_on_care_team')).toBe(true);
    const frontDeskDenied = await db.selectFrom('audit_events').select('action').where('practice_id', '=', practice.practiceId)
      .where('actor_user_id', '=', practice.users.front_desk.id).where('outcome', '=', 'denied').where('action', 'like', 'client.%').execute();
    expect(frontDeskDenied.map((e) => e.action).sort()).toEqual(['client.read', 'client.update']);
  });
});
