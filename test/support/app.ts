import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll } from 'vitest';
import { buildApp } from '../../src/server/app.ts';
import { loadConfig } from '../../src/server/config.ts';
import type { Db } from '../../src/server/database.ts';
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
