import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { Browser, createTestApp } from '../../../test/support/app.ts';
import { createPractice, FIXTURE_PASSWORD } from '../../../test/support/fixtures.ts';
import { appendAuditEvent, sealPending } from './audit.repository.ts';
import { sealAndVerify, verifyChain } from './audit.service.ts';

const run = promisify(execFile);

describe('the audit trail', async () => {
  const { app, db, url } = await createTestApp();
  const practice = await createPractice(db);
  const other = await createPractice(db, 'Other');
  const admin = new Browser(app);
  await admin.signIn(practice.users.admin.email, FIXTURE_PASSWORD);

  it('chains each practice separately, and both chains verify', async () => {
    await new Browser(app).signIn(other.users.clinician.email, FIXTURE_PASSWORD);
    await admin.get('/api/users');
    await admin.get('/api/audit/events');
    // Written with the work, linked into the chain by the sealer shortly after.
    expect((await verifyChain(db, practice.practiceId)).pending).toBeGreaterThanOrEqual(2);
    const mine = await sealAndVerify(db, practice.practiceId);
    const theirs = await sealAndVerify(db, other.practiceId);
    expect(mine).toMatchObject({ ok: true, pending: 0, firstBroken: null });
    expect(theirs).toMatchObject({ ok: true, pending: 0, firstBroken: null });
    expect(mine.checked).toBeGreaterThanOrEqual(2);
    const links = await db.selectFrom('audit_chain').select(['position', 'seq']).where('practice_id', '=', practice.practiceId).orderBy('position').execute();
    expect(links.map((l) => l.position)).toEqual(links.map((_, i) => i + 1));
    expect(links.map((l) => l.seq)).toEqual([...links.map((l) => l.seq)].sort((a, b) => a - b));
  });

  it('records who, what, when, from where and the outcome, and shows it to an admin with filters', async () => {
    const res = await admin.get(`/api/audit/events?action=auth.sign_in&actorId=${practice.users.admin.id}`);
    expect(res.statusCode).toBe(200);
    const [event] = res.json().events;
    expect(event).toMatchObject({ action: 'auth.sign_in', actorUserId: practice.users.admin.id, actorName: 'Test admin', outcome: 'success', ip: '127.0.0.1' });
    expect(Date.now() - Date.parse(event.at)).toBeLessThan(60_000);
    // another practice's events never show
    const all = (await admin.get('/api/audit/events?limit=200')).json().events as { actorUserId: string | null }[];
    const otherIds = Object.values(other.users).map((u) => u.id);
    expect(all.some((e) => e.actorUserId && otherIds.includes(e.actorUserId))).toBe(false);
  });

  it('refuses the trail to a clinician and audits the refusal', async () => {
    const clinician = new Browser(app);
    await clinician.signIn(practice.users.clinician.email, FIXTURE_PASSWORD);
    const res = await clinician.get('/api/audit/events');
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('FORBIDDEN');
    const refusal = await db.selectFrom('audit_events').selectAll().where('practice_id', '=', practice.practiceId)
      .where('actor_user_id', '=', practice.users.clinician.id).where('outcome', '=', 'denied').executeTakeFirst();
    expect(refusal).toMatchObject({ action: 'audit.browse', resource_id: 'GET /api/audit/events' });
  });

  it('is append-only: the database refuses UPDATE, DELETE and TRUNCATE of events and chain, even for the application user', async () => {
    await expect(db.updateTable('audit_events').set({ action: 'nothing.happened' }).where('practice_id', '=', practice.practiceId).execute())
      .rejects.toThrow(/append-only/);
    await expect(db.deleteFrom('audit_events').where('practice_id', '=', practice.practiceId).execute()).rejects.toThrow(/append-only/);
    await expect(sql`truncate audit_events`.execute(db)).rejects.toThrow(/append-only/);
    await expect(db.updateTable('audit_chain').set({ hash: 'x' }).where('practice_id', '=', practice.practiceId).execute()).rejects.toThrow(/append-only/);
    await expect(db.deleteFrom('audit_chain').where('practice_id', '=', practice.practiceId).execute()).rejects.toThrow(/append-only/);
  });

  it('leaves no event behind when the work it describes fails (same transaction)', async () => {
    await sealPending(db, practice.practiceId);
    const before = await db.selectFrom('audit_heads').selectAll().where('practice_id', '=', practice.practiceId).executeTakeFirstOrThrow();
    await expect(db.transaction().execute(async (trx) => {
      await appendAuditEvent(trx, { practiceId: practice.practiceId, actorUserId: practice.users.admin.id, actorRole: 'admin', action: 'test.doomed', ip: null, outcome: 'success' });
      throw new Error('the work failed after its audit event was written');
    })).rejects.toThrow(/work failed/);
    expect(await db.selectFrom('audit_events').selectAll().where('action', '=', 'test.doomed').execute()).toHaveLength(0);
    expect(await db.selectFrom('audit_pending').selectAll().where('practice_id', '=', practice.practiceId).execute()).toHaveLength(0);
    await sealPending(db, practice.practiceId);
    const after = await db.selectFrom('audit_heads').selectAll().where('practice_id', '=', practice.practiceId).executeTakeFirstOrThrow();
    expect(after).toEqual(before);

    // through the API: an invite refused half-way leaves no invite and no event
    const refused = await admin.post('/api/users/invites', { email: 'x@example.test', name: 'X', role: 'supervisor', superviseeIds: [other.users.clinician.id] });
    expect(refused.statusCode).toBe(422);
    expect(await db.selectFrom('audit_events').selectAll().where('action', '=', 'users.invite').execute()).toHaveLength(0);
    expect(await db.selectFrom('invites').selectAll().execute()).toHaveLength(0);
  });

  it('keeps the chain whole under concurrent writers and concurrent sealers', async () => {
    await Promise.all(Array.from({ length: 40 }, (_, i) => Promise.all([
      appendAuditEvent(db, { practiceId: practice.practiceId, actorUserId: null, actorRole: null, action: `test.concurrent.${i}`, ip: null, outcome: 'success' }),
      i % 5 === 0 ? sealPending(db, practice.practiceId) : null,
    ])));
    await Promise.all([sealPending(db, practice.practiceId), sealPending(db, practice.practiceId)]);
    await sealPending(db, practice.practiceId);
    const verdict = await verifyChain(db, practice.practiceId);
    expect(verdict).toMatchObject({ ok: true, pending: 0 });
    const events = await db.selectFrom('audit_events').select((eb) => eb.fn.countAll<string>().as('n')).where('practice_id', '=', practice.practiceId).executeTakeFirstOrThrow();
    expect(verdict.checked).toBe(Number(events.n));
  });

  it('detects tampering by a database superuser and names the first broken event, also from the command line', async () => {
    const env = { ...process.env, DATABASE_URL: url };
    const clean = await run(process.execPath, ['bin/holdspace.mjs', 'audit', 'verify'], { env });
    expect(clean.stdout).toContain(`ok      practice ${practice.practiceId}`);

    const victim = await db.selectFrom('audit_chain').select('seq').where('practice_id', '=', practice.practiceId)
      .orderBy('position').offset(2).limit(1).executeTakeFirstOrThrow();
    await db.connection().execute(async (conn) => {
      // Only a superuser can switch the append-only trigger off like this.
      await sql`set session_replication_role = replica`.execute(conn);
      await sql`update audit_events set detail = '{"edited":true}' where practice_id = ${practice.practiceId} and seq = ${victim.seq}`.execute(conn);
      await sql`set session_replication_role = origin`.execute(conn);
    });
    const verdict = await verifyChain(db, practice.practiceId);
    expect(verdict.ok).toBe(false);
    expect(verdict.firstBroken).toEqual({ seq: victim.seq, reason: 'its content was changed after it was written' });
    expect((await verifyChain(db, other.practiceId)).ok).toBe(true);

    const broken = await run(process.execPath, ['bin/holdspace.mjs', 'audit', 'verify'], { env }).catch((err: { code: number; stdout: string }) => err);
    expect('code' in broken && broken.code).toBe(1);
    expect(broken.stdout).toContain(`BROKEN  practice ${practice.practiceId}: event ${victim.seq}`);

    const api = (await admin.get('/api/audit/verify')).json();
    expect(api).toMatchObject({ ok: false, firstBroken: { seq: victim.seq } });
  });

  it('detects a deleted event', async () => {
    const fresh = await createPractice(db, 'Deletion');
    const seqs: number[] = [];
    for (let i = 0; i < 4; i++) {
      seqs.push(await appendAuditEvent(db, { practiceId: fresh.practiceId, actorUserId: null, actorRole: null, action: `test.${i}`, ip: null, outcome: 'success' }));
    }
    await sealPending(db, fresh.practiceId);
    // a fifth event, deleted with its queue entry before it was ever sealed
    const unsealed = await appendAuditEvent(db, { practiceId: fresh.practiceId, actorUserId: null, actorRole: null, action: 'test.unsealed', ip: null, outcome: 'success' });
    await db.connection().execute(async (conn) => {
      await sql`set session_replication_role = replica`.execute(conn);
      await sql`delete from audit_events where practice_id = ${fresh.practiceId} and seq = ${seqs[1]!}`.execute(conn);
      await sql`delete from audit_events where practice_id = ${fresh.practiceId} and seq = ${unsealed}`.execute(conn);
      await sql`delete from audit_pending where practice_id = ${fresh.practiceId} and seq = ${unsealed}`.execute(conn);
      await sql`set session_replication_role = origin`.execute(conn);
    });
    expect((await verifyChain(db, fresh.practiceId)).firstBroken).toEqual({ seq: seqs[1], reason: 'the event was removed' });
  });

  it('detects an event that was removed before it was sealed', async () => {
    const fresh = await createPractice(db, 'Unsealed');
    await appendAuditEvent(db, { practiceId: fresh.practiceId, actorUserId: null, actorRole: null, action: 'test.kept', ip: null, outcome: 'success' });
    await sealPending(db, fresh.practiceId);
    const gone = await appendAuditEvent(db, { practiceId: fresh.practiceId, actorUserId: null, actorRole: null, action: 'test.gone', ip: null, outcome: 'success' });
    await db.connection().execute(async (conn) => {
      // removing only the queue entry leaves an event that will never be chained
      await sql`delete from audit_pending where practice_id = ${fresh.practiceId} and seq = ${gone}`.execute(conn);
    });
    const verdict = await sealAndVerify(db, fresh.practiceId);
    expect(verdict.ok).toBe(false);
    expect(verdict.firstBroken?.reason).toMatch(/neither in the chain nor waiting/);
  });
});
