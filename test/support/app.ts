import http from 'node:http';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll } from 'vitest';
import { buildApp } from '../../src/server/app.ts';
import { loadConfig } from '../../src/server/config.ts';
import { createDatabase, type Db } from '../../src/server/database.ts';
import { JobQueue } from '../../src/server/jobs.ts';
import { LiveHub } from '../../src/server/live.ts';
import { createTestDatabase } from './database.ts';

export interface TestApp {
  app: FastifyInstance;
  db: Db;
  url: string;
  jobs: JobQueue;
  live: LiveHub;
}

/** The whole HTTP app on a database of its own, driven with `inject` (no port). */
export async function createTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const { url, db } = await createTestDatabase();
  const jobs = new JobQueue(url);
  await jobs.start();
  const live = new LiveHub(url);
  await live.start();
  const app = await buildApp({ db, jobs, live, config: loadConfig({ HOLDSPACE_LOG_LEVEL: 'silent', ...env }) });
  afterAll(async () => {
    await app.close();
    await live.stop();
    await jobs.stop();
  });
  return { app, db, url, jobs, live };
}

/**
 * Another server instance on the same database as a test app (its own connection
 * pool, LiveHub and job queue), as when several run behind a load balancer.
 */
export async function createInstance(url: string, env: Record<string, string> = {}): Promise<TestApp> {
  const { db } = createDatabase(url, 5);
  const jobs = new JobQueue(url);
  await jobs.start();
  const live = new LiveHub(url);
  await live.start();
  const app = await buildApp({ db, jobs, live, config: loadConfig({ HOLDSPACE_LOG_LEVEL: 'silent', ...env }) });
  afterAll(async () => {
    await app.close();
    await live.stop();
    await jobs.stop();
    await db.destroy();
  });
  return { app, db, url, jobs, live };
}

/** Makes a test app listen on a free local port (for streams, which `inject` cannot hold open); returns its base URL. */
export async function listen(app: FastifyInstance): Promise<string> {
  return app.listen({ port: 0, host: '127.0.0.1' });
}

export interface LiveEvent { type: string; data: any }

/** A signed-in browser's GET /api/live (or another stream: `path`), read as Server-Sent Events over a real connection. */
export interface LiveStream {
  /** Every event received so far (comments excluded), in order. */
  readonly events: LiveEvent[];
  /** The first event (received already or yet to come) of this type that matches; fails after `timeoutMs`. */
  next(type: string, match?: (data: any) => boolean, timeoutMs?: number): Promise<LiveEvent>;
  close(): void;
}

export async function openLiveStream(baseUrl: string, browser: Browser, path = '/api/live'): Promise<LiveStream> {
  // node:http on a connection of its own (not fetch, whose pool opens a spare connection
  // when a stream is aborted, which then keeps the server from closing).
  const res = await new Promise<http.IncomingMessage>((resolve, reject) => {
    const req = http.get(`${baseUrl}${path}`, {
      agent: false,
      headers: { accept: 'text/event-stream', cookie: [...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
    }, resolve);
    req.on('error', reject);
  });
  if (res.statusCode !== 200) {
    res.resume();
    throw new Error(`GET ${path} answered ${res.statusCode}`);
  }
  const events: LiveEvent[] = [];
  const waiters = new Set<() => void>();
  let buffer = '';
  res.setEncoding('utf8');
  res.on('data', (chunk: string) => {
    buffer += chunk;
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let type = 'message';
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith('event: ')) type = line.slice(7);
        else if (line.startsWith('data: ')) data.push(line.slice(6));
      }
      if (data.length) events.push({ type, data: JSON.parse(data.join('\n')) });
    }
    for (const w of [...waiters]) w();
  });
  res.on('error', () => {}); // destroyed by close()
  return {
    events,
    next(type, match = () => true, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = events.find((e) => e.type === type && match(e.data));
          if (!found) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(found);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`No '${type}' event arrived; received: ${JSON.stringify(events)}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    close: () => res.destroy(),
  };
}

/** A browser-like client: keeps the session cookie and sends the CSRF token on writes. */
export class Browser {
  cookies = new Map<string, string>();
  csrfToken: string | undefined;
  constructor(private readonly app: FastifyInstance, readonly ip = '127.0.0.1') {}

  async request(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, body?: unknown, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
    const res = await this.app.inject({
      method, url, remoteAddress: this.ip,
      headers: {
        ...(this.cookies.size ? { cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } : {}),
        ...(method !== 'GET' && this.csrfToken ? { 'x-csrf-token': this.csrfToken } : {}),
        ...headers,
      },
      ...(body === undefined ? {} : { payload: body as object }),
    });
    for (const c of res.cookies as { name: string; value: string; maxAge?: number; expires?: Date }[]) {
      if (c.value === '' || (c.expires && c.expires.getTime() < Date.now())) this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
    return res;
  }

  get(url: string) { return this.request('GET', url); }
  post(url: string, body?: unknown) { return this.request('POST', url, body); }
  put(url: string, body?: unknown) { return this.request('PUT', url, body); }

  async signIn(email: string, password: string, totpCode?: string) {
    const res = await this.post('/api/auth/sign-in', { email, password, ...(totpCode ? { totpCode } : {}) });
    if (res.statusCode === 200) this.csrfToken = res.json().csrfToken;
    return res;
  }
}

/** A browser signed in as one of a fixture practice's people. */
export async function signedIn(app: FastifyInstance, person: { email: string }, password = 'synthetic-password-for-tests'): Promise<Browser> {
  const browser = new Browser(app);
  const res = await browser.signIn(person.email, password);
  if (res.statusCode !== 200) throw new Error(`Could not sign in ${person.email}: ${res.body}`);
  return browser;
}
