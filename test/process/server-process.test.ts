/**
 * The real server as a separate OS process (`node --import tsx src/server/main.ts`,
 * one process, as `npm start` runs it), started, signalled and killed the way an
 * operator (or a crash) would. Every process is spawned in a process group of its
 * own (detached) so cleanup can SIGKILL whatever is left of it.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, afterEach, describe, expect, inject, it } from 'vitest';
import { migrations } from '../../migrations/index.ts';
import { SYSTEM_CHAIN } from '../../src/modules/audit/audit.repository.ts';
import { verifyAllChains } from '../../src/modules/audit/audit.service.ts';
import { startEmbeddedPostgres } from '../../src/server/embedded-postgres.ts';
import { createTestDatabase } from '../support/database.ts';
import { withDatabase } from '../support/global-setup.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const HOLDSPACE_CLI = path.join(ROOT, 'bin/holdspace.mjs');
const TEST_TIMEOUT = 120_000;
const READY_TIMEOUT_MS = 90_000;
const STOP_TIMEOUT_MS = 30_000;
const OWNER_PASSWORD = 'process-test-password-1234';

// ---------------------------------------------------------------- processes

interface Exit { code: number | null; signal: NodeJS.Signals | null }

const live = new Set<ServerProcess>();

/** The environment of a server: ours without anything Holdspace reads, plus `extra`. */
function serverEnv(extra: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !/^(DATABASE_URL|PORT|HOST|HOLDSPACE_.*)$/.test(key)) env[key] = value;
  }
  // PORT=0: the OS picks a free port, and the server prints the one it got.
  return { ...env, PORT: '0', HOST: '127.0.0.1', HOLDSPACE_LOG_LEVEL: 'warn', ...extra };
}

class ServerProcess {
  readonly child: ChildProcess;
  /** Resolves when stdout and stderr are closed and the process has exited. */
  readonly exited: Promise<Exit>;
  /** Resolves to the server's base URL once it prints that it is running. */
  readonly ready: Promise<string>;
  exit: Exit | null = null;
  private out = '';

  constructor(readonly label: string, env: Record<string, string>) {
    this.child = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], {
      cwd: ROOT,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: serverEnv(env),
    });
    live.add(this);
    this.child.stdout!.on('data', (chunk: Buffer) => { this.out += chunk.toString('utf8'); });
    this.child.stderr!.on('data', (chunk: Buffer) => { this.out += chunk.toString('utf8'); });
    this.exited = new Promise((resolve) => {
      this.child.once('close', (code, signal) => {
        this.exit = { code, signal };
        live.delete(this);
        resolve(this.exit);
      });
    });
    this.ready = new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${label} was not ready within ${READY_TIMEOUT_MS} ms:\n${this.output}`)), READY_TIMEOUT_MS);
      const check = () => {
        const match = /Holdspace is running at (http:\/\/127\.0\.0\.1:\d+)/.exec(this.out);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]!);
        }
      };
      this.child.stdout!.on('data', check);
      void this.exited.then((exit) => {
        clearTimeout(timer);
        reject(new Error(`${label} exited (${JSON.stringify(exit)}) before it was ready:\n${this.output}`));
      });
    });
    this.ready.catch(() => {}); // observed by whoever awaits it
  }

  get pid(): number {
    return this.child.pid!;
  }

  get output(): string {
    return this.out;
  }

  /** The node process that runs main.ts. */
  serverPid(): number {
    return this.pid;
  }

  async waitForExit(timeoutMs = STOP_TIMEOUT_MS): Promise<Exit> {
    return withTimeout(this.exited, timeoutMs, `${this.label} did not exit within ${timeoutMs} ms:\n${this.output}`);
  }

  /** SIGTERM, then SIGKILL of the whole process group if it does not go. Never throws. */
  async stop(): Promise<void> {
    if (!this.exit) {
      signal(this.pid, 'SIGTERM');
      await Promise.race([this.exited, sleep(STOP_TIMEOUT_MS)]);
    }
    signal(-this.pid, 'SIGKILL'); // whatever is left in its process group
    if (!this.exit) await Promise.race([this.exited, sleep(10_000)]);
    live.delete(this);
  }
}

function signal(pid: number, sig: NodeJS.Signals) {
  try {
    process.kill(pid, sig);
  } catch {
    // already gone
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function sleep(ms: number) {
  return new Promise<void>((resolve) => setTimeout(resolve, ms));
}

async function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([promise, new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(message)), ms); })]);
  } finally {
    clearTimeout(timer);
  }
}

async function waitUntil(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(100);
  }
}

function runCli(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [HOLDSPACE_CLI, ...args], { cwd: ROOT, env: serverEnv(env), timeout: 90_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : null) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

afterEach(async () => {
  await Promise.all([...live].map((server) => server.stop()));
});

// --------------------------------------------------------------- data folders

const dataDirs: string[] = [];

async function newDataDir(): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'holdspace-process-'));
  await fs.chmod(dir, 0o755); // the embedded PostgreSQL runs as the `postgres` user
  dataDirs.push(dir);
  return dir;
}

/** The pid in <dataDir>/postgres/postmaster.pid, or null when there is none. */
async function postmasterPid(dataDir: string): Promise<number | null> {
  const text = await fs.readFile(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').catch(() => null);
  const pid = text ? Number(text.split('\n')[0]) : NaN;
  return pid > 0 ? pid : null;
}

async function livePostmaster(dataDir: string): Promise<number | null> {
  const pid = await postmasterPid(dataDir);
  return pid !== null && isAlive(pid) ? pid : null;
}

afterAll(async () => {
  for (const dir of dataDirs) {
    const pid = await livePostmaster(dir);
    if (pid !== null) {
      signal(pid, 'SIGINT');
      await waitUntil('a left-over PostgreSQL to stop', () => !isAlive(pid), 15_000).catch(() => signal(pid, 'SIGKILL'));
    }
    await fs.rm(dir, { recursive: true, force: true }).catch(() => {});
  }
}, 60_000);

// ----------------------------------------------------------------------- HTTP

interface Session { cookie: string; csrfToken: string }
interface Reply { status: number; body: any }

async function call(base: string, method: string, url: string, options: { body?: unknown; session?: Session } = {}): Promise<Reply> {
  const headers: Record<string, string> = {};
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.session) {
    headers.cookie = options.session.cookie;
    if (method !== 'GET') headers['x-csrf-token'] = options.session.csrfToken;
  }
  const res = await fetch(base + url, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    signal: AbortSignal.timeout(15_000),
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON
  }
  return { status: res.status, body };
}

interface Owner { email: string; password: string }

async function setUpPractice(base: string, label: string): Promise<Owner> {
  const owner = { email: `owner-${label}-${randomBytes(4).toString('hex')}@example.test`, password: OWNER_PASSWORD };
  const res = await call(base, 'POST', '/api/setup', {
    body: { practiceName: `Process test ${label}`, timeZone: 'America/Los_Angeles', ownerName: 'Olive Owner', ...owner },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return owner;
}

async function signIn(base: string, owner: Owner): Promise<Session> {
  const res = await fetch(`${base}/api/auth/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(owner),
    signal: AbortSignal.timeout(15_000),
  });
  const body = (await res.json()) as { csrfToken?: string };
  expect(res.status, JSON.stringify(body)).toBe(200);
  const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]!).find((c) => c.startsWith('hs_session='));
  expect(cookie).toBeDefined();
  expect(body.csrfToken).toEqual(expect.any(String));
  return { cookie: cookie!, csrfToken: body.csrfToken! };
}

async function expectHealthy(base: string) {
  const res = await call(base, 'GET', '/api/health');
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  expect(res.body.status).toBe('ok');
}

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

async function withPg<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
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
