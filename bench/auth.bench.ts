import { loadTest, type BenchFigures } from './http.ts';

/** The synthetic practice every app benchmark runs as. No real person's data. */
export const BENCH_OWNER = {
  practiceName: 'Bench Practice',
  timeZone: 'America/Los_Angeles',
  ownerName: 'Bench Owner',
  email: 'bench.owner@example.test',
  password: 'bench synthetic passphrase',
} as const;

const SESSION_COOKIE = 'hs_session';

export interface LoadSettings {
  connections: number;
  seconds: number;
  warmupSeconds: number;
  workers: number;
}

/**
 * Creates the bench practice through the first-run setup. On a DATABASE_URL that was
 * already set up, it carries on only if the bench owner can sign in there.
 */
export async function setUpPractice(baseUrl: string): Promise<void> {
  const res = await fetch(`${baseUrl}/api/setup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(BENCH_OWNER),
  });
  if (res.status === 201) return;
  const body = await res.text();
  const state = await fetch(`${baseUrl}/api/setup`).then((r) => r.json() as Promise<{ setupRequired?: boolean }>).catch(() => null);
  if (state?.setupRequired === false) {
    await signIn(baseUrl).catch(() => {
      throw new Error(`POST /api/setup answered ${res.status} (this database is already set up) and the bench owner ` +
        `${BENCH_OWNER.email} cannot sign in. Use a fresh database: unset DATABASE_URL. Setup said: ${body}`);
    });
    return;
  }
  throw new Error(`POST /api/setup answered ${res.status}, expected 201: ${body}`);
}

/** Signs the bench owner in once and returns the session token. */
export function signIn(baseUrl: string): Promise<string> {
  return signInAs(baseUrl, BENCH_OWNER.email, BENCH_OWNER.password);
}

/** Signs someone in once (POST /api/auth/sign-in) and returns the hs_session token. */
export async function signInAs(baseUrl: string, email: string, password: string): Promise<string> {
  const res = await fetch(`${baseUrl}/api/auth/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (res.status !== 200) throw new Error(`POST /api/auth/sign-in answered ${res.status}: ${await res.text()}`);
  for (const cookie of res.headers.getSetCookie()) {
    const [pair] = cookie.split(';');
    const eq = pair?.indexOf('=') ?? -1;
    if (pair && eq > 0 && pair.slice(0, eq).trim() === SESSION_COOKIE) return pair.slice(eq + 1).trim();
  }
  throw new Error(`POST /api/auth/sign-in set no ${SESSION_COOKIE} cookie`);
}

/** Successful sign-ins under concurrent load: argon2id verification, a session row and an audit event each. */
export function signInLoad(baseUrl: string, s: LoadSettings): Promise<BenchFigures> {
  return loadTest({
    id: 'auth.sign-in',
    name: 'POST /api/auth/sign-in (argon2id, audited)',
    url: `${baseUrl}/api/auth/sign-in`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: BENCH_OWNER.email, password: BENCH_OWNER.password }),
    ...s,
    note: 'every request verifies an argon2id hash, inserts a session and appends to the audit chain',
  });
}

/** An audited read: each request reads 20 events and appends one to the same practice's chain. */
export function auditedReadLoad(baseUrl: string, token: string, s: LoadSettings): Promise<BenchFigures> {
  return loadTest({
    id: 'audit.browse',
    name: 'GET /api/audit/events?limit=20 (audited read)',
    url: `${baseUrl}/api/audit/events?limit=20`,
    headers: { cookie: `${SESSION_COOKIE}=${token}` },
    ...s,
    note: 'one session, so every request appends to the same audit chain (serialised on its head row)',
  });
}

/** An authenticated read that writes nothing to the audit trail, for comparison. */
export function meLoad(baseUrl: string, token: string, s: LoadSettings): Promise<BenchFigures> {
  return loadTest({
    id: 'auth.me',
    name: 'GET /api/me (authenticated, not audited)',
    url: `${baseUrl}/api/me`,
    headers: { cookie: `${SESSION_COOKIE}=${token}` },
    ...s,
  });
}
