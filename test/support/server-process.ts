/**
 * Test support: the real server as a separate OS process (`node --import tsx src/server/main.ts`,
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
import { expect } from 'vitest';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const HOLDSPACE_CLI = path.join(ROOT, 'bin/holdspace.mjs');
export const TEST_TIMEOUT = 120_000;
const READY_TIMEOUT_MS = 90_000;
const STOP_TIMEOUT_MS = 30_000;
export const OWNER_PASSWORD = 'process-test-password-1234';

// ---------------------------------------------------------------- processes

export interface Exit { code: number | null; signal: NodeJS.Signals | null }

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

export class ServerProcess {
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

export function signal(pid: number, sig: NodeJS.Signals) {
  try {
    process.kill(pid, sig);
  } catch {
    // already gone
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function sleep(ms: number) {
  return new Promise<void>((resolve) => setTimeout(resolve, ms));
}

export async function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([promise, new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(message)), ms); })]);
  } finally {
    clearTimeout(timer);
  }
}

export async function waitUntil(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(100);
  }
}

export function runCli(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [HOLDSPACE_CLI, ...args], { cwd: ROOT, env: serverEnv(env), timeout: 90_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : null) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** Stops every server process still running (call from afterEach). */
export async function stopAllServers(): Promise<void> {
  await Promise.all([...live].map((server) => server.stop()));
}

// --------------------------------------------------------------- data folders

const dataDirs: string[] = [];

export async function newDataDir(): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'holdspace-process-'));
  await fs.chmod(dir, 0o755); // the embedded PostgreSQL runs as the `postgres` user
  dataDirs.push(dir);
  return dir;
}

/** The pid in <dataDir>/postgres/postmaster.pid, or null when there is none. */
export async function postmasterPid(dataDir: string): Promise<number | null> {
  const text = await fs.readFile(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').catch(() => null);
  const pid = text ? Number(text.split('\n')[0]) : NaN;
  return pid > 0 ? pid : null;
}

export async function livePostmaster(dataDir: string): Promise<number | null> {
  const pid = await postmasterPid(dataDir);
  return pid !== null && isAlive(pid) ? pid : null;
}

/** Stops any PostgreSQL left running in a data folder made here, and removes the folders (call from afterAll). */
export async function removeDataDirs(): Promise<void> {
  for (const dir of dataDirs.splice(0)) {
    const pid = await livePostmaster(dir);
    if (pid !== null) {
      signal(pid, 'SIGINT');
      await waitUntil('a left-over PostgreSQL to stop', () => !isAlive(pid), 15_000).catch(() => signal(pid, 'SIGKILL'));
    }
    await fs.rm(dir, { recursive: true, force: true }).catch(() => {});
  }
}

// ----------------------------------------------------------------------- HTTP

export interface Session { cookie: string; csrfToken: string }
export interface Reply { status: number; body: any }

export async function call(base: string, method: string, url: string, options: { body?: unknown; session?: Session } = {}): Promise<Reply> {
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

export interface Owner { email: string; password: string }

export async function setUpPractice(base: string, label: string): Promise<Owner> {
  const owner = { email: `owner-${label}-${randomBytes(4).toString('hex')}@example.test`, password: OWNER_PASSWORD };
  const res = await call(base, 'POST', '/api/setup', {
    body: { practiceName: `Process test ${label}`, timeZone: 'America/Los_Angeles', ownerName: 'Olive Owner', ...owner },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return owner;
}

export async function signIn(base: string, owner: Owner): Promise<Session> {
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

export async function expectHealthy(base: string) {
  const res = await call(base, 'GET', '/api/health');
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  expect(res.body.status).toBe('ok');
}

export async function withPg<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

