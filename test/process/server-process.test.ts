/**
 * The real server as a separate OS process, started, signalled and killed the way an
 * operator (or a crash) would (test/support/server-process.ts).
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type pg from 'pg';
import { afterAll, afterEach, describe, expect, inject, it } from 'vitest';
import { migrations } from '../../migrations/index.ts';
import { SYSTEM_CHAIN } from '../../src/modules/audit/audit.repository.ts';
import { verifyAllChains } from '../../src/modules/audit/audit.service.ts';
import { startEmbeddedPostgres } from '../../src/server/embedded-postgres.ts';
import { createTestDatabase } from '../support/database.ts';
import { withDatabase } from '../support/global-setup.ts';
import {
  call, expectHealthy, isAlive, livePostmaster, newDataDir, OWNER_PASSWORD, removeDataDirs, runCli, ServerProcess, setUpPractice,
  signal, signIn, stopAllServers, TEST_TIMEOUT, waitUntil, withPg, type Session,
} from '../support/server-process.ts';

afterEach(stopAllServers);
afterAll(removeDataDirs, 60_000);

// ---------------------------------------------------------------- the burst

interface Burst {
  /** Every invite email sent. */
  attempted: string[];
  /** Emails whose response was 201 (necessarily received before the kill). */
  acknowledged: string[];
  /** Requests sent before the kill that got no response. */
  cutOff: number;
  /** Non-201 responses: status and body. */
  refused: string[];
  /** Network errors before the kill (there should be none). */
  earlyErrors: string[];
}

/**
 * Eight clients that each send invite after invite; once at least 1.5 s have passed
 * and some invites were acknowledged (or 15 s at the latest), `kill` runs while
 * requests are in flight. Each client stops at its first network error after the kill.
 */
async function burstUntilKilled(base: string, session: Session, kill: () => void): Promise<Burst> {
  const CONCURRENCY = 8;
  const MAX_PER_CLIENT = 1_000;
  const MIN_MS = 1_500;
  const MIN_ACKS = 16;
  const MAX_MS = 15_000;
  const tag = randomBytes(3).toString('hex');
  const burst: Burst = { attempted: [], acknowledged: [], cutOff: 0, refused: [], earlyErrors: [] };
  const started = Date.now();
  let killed = false;
  const maybeKill = () => {
    const elapsed = Date.now() - started;
    if (killed || !((elapsed >= MIN_MS && burst.acknowledged.length >= MIN_ACKS) || elapsed >= MAX_MS)) return;
    killed = true;
    kill();
  };
  const timer = setInterval(maybeKill, 25);
  const client = async (n: number) => {
    for (let i = 0; i < MAX_PER_CLIENT; i++) {
      const email = `burst-${tag}-${n}-${i}@example.test`;
      burst.attempted.push(email);
      const sentBeforeKill = !killed;
      try {
        const res = await call(base, 'POST', '/api/users/invites', { session, body: { email, name: `Burst ${n} ${i}`, role: 'clinician' } });
        if (res.status === 201) burst.acknowledged.push(email);
        else burst.refused.push(`${res.status} ${JSON.stringify(res.body)}`);
      } catch (err) {
        if (sentBeforeKill) burst.cutOff += 1;
        if (killed) return;
        burst.earlyErrors.push(String((err as Error).cause ?? err));
        return;
      }
      maybeKill();
    }
  };
  try {
    await Promise.all(Array.from({ length: CONCURRENCY }, (_, n) => client(n)));
  } finally {
    clearInterval(timer);
  }
  return burst;
}

function expectBurstWasCutShort(burst: Burst, label: string) {
  console.info(`${label}: ${burst.attempted.length} invites sent, ${burst.acknowledged.length} acknowledged, ${burst.cutOff} cut off by the kill`);
  expect(burst.earlyErrors).toEqual([]);
  expect(burst.refused).toEqual([]);
  expect(burst.acknowledged.length).toBeGreaterThanOrEqual(16);
  // The kill landed while writes were in flight, not between bursts.
  expect(burst.cutOff).toBeGreaterThan(0);
}

/** Invites in the database vs the burst: every acknowledged one, nothing never sent. */
function expectInvitesMatch(stored: string[], burst: Burst, extra: string[] = []) {
  const storedSet = new Set(stored);
  const missing = burst.acknowledged.filter((email) => !storedSet.has(email));
  expect(missing, 'acknowledged invites lost by the crash').toEqual([]);
  const sent = new Set([...burst.attempted, ...extra]);
  expect(stored.filter((email) => !sent.has(email)), 'invites nobody sent').toEqual([]);
  // At most the requests cut off by the kill may have committed without an answer.
  expect(stored.filter((email) => burst.attempted.includes(email)).length).toBeLessThanOrEqual(burst.acknowledged.length + burst.cutOff);
}

/** Each invite and its audit event were written in one transaction: both or neither. */
async function expectEveryInviteAudited(client: pg.Client) {
  const orphans = await client.query(`
    select i.email from invites i
    where (select count(*) from audit_events e
           where e.practice_id = i.practice_id and e.action = 'users.invite' and e.resource_id = i.id::text) <> 1`);
  expect(orphans.rows).toEqual([]);
  const dangling = await client.query(`
    select e.seq from audit_events e
    where e.action = 'users.invite' and e.outcome = 'success'
      and not exists (select 1 from invites i where i.id::text = e.resource_id)`);
  expect(dangling.rows).toEqual([]);
}

// ---------------------------------------------------------------------- stories

describe('the embedded database lifecycle', () => {
  it('serves health, refuses a second server on the same data folder, and stops PostgreSQL with it on SIGTERM', async () => {
    const dataDir = await newDataDir();
    const first = new ServerProcess('first server', { HOLDSPACE_DATA_DIR: dataDir });
    const base = await first.ready;
    await expectHealthy(base);
    const postmaster = await livePostmaster(dataDir);
    expect(postmaster, 'the embedded PostgreSQL runs from the data folder').not.toBeNull();
    const lockOwner = Number((await fs.readFile(path.join(dataDir, 'holdspace.lock'), 'utf8')).trim());
    expect(lockOwner).toBe(first.serverPid());

    const second = new ServerProcess('second server', { HOLDSPACE_DATA_DIR: dataDir });
    const exit = await second.waitForExit(60_000);
    expect(exit.code, second.output).toBe(1);
    expect(second.output).toContain('already running on the data folder');
    expect(second.output).toContain(String(lockOwner));
    expect(second.output).not.toContain('Holdspace is running at');
    // The refused start touched nothing: the first server and its PostgreSQL carry on.
    await expectHealthy(base);
    expect(await livePostmaster(dataDir)).toBe(postmaster);
    expect(await fs.readFile(path.join(dataDir, 'holdspace.lock'), 'utf8')).toBe(String(lockOwner));

    signal(first.pid, 'SIGTERM');
    const stopped = await first.waitForExit();
    await waitUntil('the embedded PostgreSQL to stop', async () => !isAlive(postmaster!), 15_000);
    expect(await livePostmaster(dataDir)).toBeNull();
    expect(first.output).toContain('SIGTERM received');
    // A clean stop: exit code 0, and the data folder lock released.
    expect.soft(stopped, `exit of the stopped server; its output:\n${first.output}`).toEqual({ code: 0, signal: null });
    expect.soft(await fs.access(path.join(dataDir, 'holdspace.lock')).then(() => 'still there', () => 'removed'), 'the data folder lock after a clean stop').toBe('removed');
  }, TEST_TIMEOUT);
});

describe('kill -9 in the middle of a burst of writes, embedded database', () => {
  it('keeps every acknowledged invite and an intact audit chain across the crash and restart', async () => {
    const dataDir = await newDataDir();
    const first = new ServerProcess('server before the crash', { HOLDSPACE_DATA_DIR: dataDir });
    const base = await first.ready;
    const owner = await setUpPractice(base, 'embedded');
    const session = await signIn(base, owner);
    const serverPid = first.serverPid();
    const postmaster = await livePostmaster(dataDir);
    expect(postmaster).not.toBeNull();

    const burst = await burstUntilKilled(base, session, () => process.kill(serverPid, 'SIGKILL'));
    expectBurstWasCutShort(burst, 'embedded');
    await first.waitForExit();
    expect(isAlive(serverPid)).toBe(false);
    // The crash left its PostgreSQL running, orphaned: the next start must deal with it.
    expect(isAlive(postmaster!)).toBe(true);

    const restarted = new ServerProcess('server after the crash', { HOLDSPACE_DATA_DIR: dataDir });
    const base2 = await restarted.ready;
    expect(isAlive(postmaster!), 'the orphaned PostgreSQL was stopped').toBe(false);
    const newPostmaster = await livePostmaster(dataDir);
    expect(newPostmaster).not.toBeNull();
    expect(newPostmaster).not.toBe(postmaster);
    await expectHealthy(base2);
    expect((await call(base2, 'GET', '/api/setup')).body).toEqual({ setupRequired: false });
    const session2 = await signIn(base2, owner);
    const afterEmail = `after-crash-${randomBytes(3).toString('hex')}@example.test`;
    const after = await call(base2, 'POST', '/api/users/invites', { session: session2, body: { email: afterEmail, name: 'After Crash', role: 'clinician' } });
    expect(after.status, JSON.stringify(after.body)).toBe(201);

    signal(restarted.pid, 'SIGTERM');
    await restarted.waitForExit();
    await waitUntil('the embedded PostgreSQL to stop', async () => (await livePostmaster(dataDir)) === null, 15_000);

    const verify = await runCli(['audit', 'verify'], { HOLDSPACE_DATA_DIR: dataDir });
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);
    expect(verify.stdout).toMatch(/^ok\s+practice /m);

    const embedded = await startEmbeddedPostgres(dataDir);
    try {
      await withPg(embedded.url, async (client) => {
        const stored = (await client.query<{ email: string }>('select email from invites')).rows.map((r) => r.email);
        expectInvitesMatch(stored, burst, [afterEmail]);
        expect(stored).toContain(afterEmail);
        await expectEveryInviteAudited(client);
      });
    } finally {
      await embedded.stop();
    }
  }, TEST_TIMEOUT);
});

describe('kill -9 in the middle of a burst of writes, external database', async () => {
  const { url, db } = await createTestDatabase();

  it('keeps every acknowledged invite and an intact audit chain across the crash and restart', async () => {
    const first = new ServerProcess('server before the crash', { DATABASE_URL: url });
    const base = await first.ready;
    const owner = await setUpPractice(base, 'external');
    const session = await signIn(base, owner);
    const serverPid = first.serverPid();

    const burst = await burstUntilKilled(base, session, () => process.kill(serverPid, 'SIGKILL'));
    expectBurstWasCutShort(burst, 'external');
    await first.waitForExit();
    expect(isAlive(serverPid)).toBe(false);

    // Straight after the crash, before any restart: what was acknowledged is committed.
    const stored = (await db.selectFrom('invites').select('email').execute()).map((r) => r.email);
    expectInvitesMatch(stored, burst);
    await withPg(url, expectEveryInviteAudited);
    const verdicts = await verifyAllChains(db);
    expect(verdicts.filter((v) => !v.ok)).toEqual([]);
    const practiceChain = verdicts.find((v) => v.practiceId !== SYSTEM_CHAIN);
    // setup + sign-in + one event per stored invite, at least
    expect(practiceChain?.checked).toBeGreaterThan(stored.length);

    const restarted = new ServerProcess('server after the crash', { DATABASE_URL: url });
    const base2 = await restarted.ready;
    await expectHealthy(base2);
    expect((await call(base2, 'GET', '/api/setup')).body).toEqual({ setupRequired: false });
    const session2 = await signIn(base2, owner);
    const after = await call(base2, 'POST', '/api/users/invites', { session: session2, body: { email: `after-crash-${randomBytes(3).toString('hex')}@example.test`, name: 'After Crash', role: 'clinician' } });
    expect(after.status, JSON.stringify(after.body)).toBe(201);
    signal(restarted.pid, 'SIGTERM');
    await restarted.waitForExit();

    const verdictsAfter = await verifyAllChains(db);
    expect(verdictsAfter.filter((v) => !v.ok)).toEqual([]);
    expect(verdictsAfter.find((v) => v.practiceId !== SYSTEM_CHAIN)?.checked).toBeGreaterThan(practiceChain!.checked);
    const verify = await runCli(['audit', 'verify'], { DATABASE_URL: url });
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);
  }, TEST_TIMEOUT);
});

describe('two servers starting at once on one empty database', () => {
  const adminUrl = inject('adminDatabaseUrl');
  const name = `hs_twostart_${randomBytes(5).toString('hex')}`;
  let created = false;

  afterAll(async () => {
    if (!created) return;
    await withPg(adminUrl, (admin) => admin.query(`drop database if exists ${name} with (force)`));
  }, 60_000);

  it('migrates once, both serve, and a setup through one is seen by the other', async () => {
    await withPg(adminUrl, (admin) => admin.query(`create database ${name}`));
    created = true;
    const url = withDatabase(adminUrl, name);

    const a = new ServerProcess('server A', { DATABASE_URL: url });
    const b = new ServerProcess('server B', { DATABASE_URL: url });
    const [baseA, baseB] = await Promise.all([a.ready, b.ready]);
    await expectHealthy(baseA);
    await expectHealthy(baseB);

    await withPg(url, async (client) => {
      const count = await client.query<{ n: number }>('select count(*)::int as n from kysely_migration');
      expect(count.rows[0]!.n).toBe(Object.keys(migrations).length);
      const twice = await client.query('select name from kysely_migration group by name having count(*) > 1');
      expect(twice.rows).toEqual([]);
      const names = await client.query<{ name: string }>('select name from kysely_migration order by name');
      expect(names.rows.map((r) => r.name)).toEqual(Object.keys(migrations).sort());
    });
    const applied = [a.output, b.output].filter((out) => out.includes('Applied migrations:'));
    expect(applied, `${a.output}\n---\n${b.output}`).toHaveLength(1);

    expect((await call(baseB, 'GET', '/api/setup')).body).toEqual({ setupRequired: true });
    const owner = await setUpPractice(baseA, 'twostart');
    expect((await call(baseB, 'GET', '/api/setup')).body).toEqual({ setupRequired: false });
    expect((await call(baseA, 'GET', '/api/setup')).body).toEqual({ setupRequired: false });
    const again = await call(baseB, 'POST', '/api/setup', {
      body: { practiceName: 'Second practice', timeZone: 'America/Los_Angeles', ownerName: 'Other Owner', email: 'other@example.test', password: OWNER_PASSWORD },
    });
    expect(again.status).toBe(409);
    await signIn(baseB, owner);

    signal(a.pid, 'SIGTERM');
    signal(b.pid, 'SIGTERM');
    await Promise.all([a.waitForExit(), b.waitForExit()]);
  }, TEST_TIMEOUT);
});
