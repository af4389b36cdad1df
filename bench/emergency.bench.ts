/**
 * The emergency button (issue 4): "pressing the emergency button (incident, protocol
 * run, page and audit events committed) holds p99 under 25 ms with 50 clinicians doing
 * it concurrently, and its throughput reaches at least half of the same PostgreSQL's raw
 * single-row insert rate measured in the same run; a page reaches a connected browser
 * stream at p99 under 100 ms."
 *
 * A practice of its own, seeded straight into PostgreSQL: 50 clinicians, each supervised
 * by one of 25 supervisors (two clinicians each), each with 20 clients on their care
 * team, and an owner. Everyone signs in once through POST /api/auth/sign-in (argon2id is
 * slow on purpose) and keeps their cookie and CSRF token. The practice keeps the default
 * escalation policy (supervisor, then on call, then the owner).
 *
 * 1. Press (`incidents.open`): 50 connections, one clinician each, each POSTing
 *    /api/incidents for 'imminent-risk-to-self' (it pages the supervisor at once) with new
 *    incident and run ids, again the moment the answer arrives. Then SQL checks that
 *    every press answered 201 left its incident, run, page, page recipient, audit events
 *    and escalation timer, and that no other answer left anything.
 * 2. Page to browser (`live.page`): one Server-Sent Event stream per supervisor, then
 *    their clinicians press at a steady rate; latency is from sending the POST to the
 *    `page` event arriving on the supervisor's stream.
 *
 * All names are synthetic ("Bench ER Clinician 01"); no real person's data.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import pg from 'pg';
import { GENESIS_HASH } from '../src/modules/audit/audit.repository.ts';
import { hashPassword } from '../src/modules/auth/auth.service.ts';
import { BENCH_OWNER } from './auth.bench.ts';
import { percentile } from './baselines.ts';
import { cpuBetween, CpuProbe, describeCpu, type CpuBreakdown, type CpuSnapshot } from './cpu.ts';
import type { BenchCheck, BenchFigures } from './http.ts';

export const EMERGENCY_PRACTICE = { clinicians: 50, supervisorsEach: 2, clientsPerClinician: 20 } as const;
/** Pages the supervisor at once (src/domain/protocols/catalog.ts, pagesAtOnce). */
export const PROTOCOL_KEY = 'imminent-risk-to-self';
const SESSION_COOKIE = 'hs_session';

export interface Person {
  id: string;
  email: string;
  name: string;
}
export interface Clinician extends Person {
  clientIds: string[];
  supervisorId: string;
}
export interface Supervisor extends Person {
  superviseeIds: string[];
}
export interface EmergencyPractice {
  practiceId: string;
  clinicians: Clinician[];
  supervisors: Supervisor[];
  counts: Record<string, number>;
  seconds: number;
}
/** What a signed-in browser carries: the session cookie and the CSRF token from the sign-in answer. */
export interface Credentials {
  cookie: string;
  csrf: string;
}

// --- the practice ------------------------------------------------------------------------------

/**
 * Seeds a new practice for the emergency benchmark in one transaction (its emails carry
 * a run tag, so it also works on a database used before), then ANALYZEs.
 */
export async function seedEmergencyPractice(databaseUrl: string): Promise<EmergencyPractice> {
  const t0 = Date.now();
  const { clinicians, supervisorsEach, clientsPerClinician } = EMERGENCY_PRACTICE;
  const supervisors = Math.ceil(clinicians / supervisorsEach);
  const passwordHash = await hashPassword(BENCH_OWNER.password);
  const tag = randomBytes(3).toString('hex');
  const practiceId = randomUUID();
  const client = new pg.Client({ connectionString: databaseUrl, application_name: 'holdspace-bench-seed' });
  await client.connect();
  const q = (text: string, values: unknown[] = []) => client.query(text, values);
  try {
    await q('begin');
    await q(`insert into practices (id, name, time_zone) values ($1, $2, $3)`, [practiceId, `Bench Emergency Practice ${tag}`, BENCH_OWNER.timeZone]);
    await q(`insert into audit_heads (practice_id, position, hash) values ($1, 0, $2)`, [practiceId, GENESIS_HASH]);
    await q(`insert into users (practice_id, id, email, name, role, password_hash)
             values ($1, gen_random_uuid(), format('bench.er.%s.owner@example.test', $2::text), 'Bench ER Owner', 'owner', $3)`,
      [practiceId, tag, passwordHash]);
    await q(`insert into users (practice_id, id, email, name, role, password_hash)
             select $1, gen_random_uuid(), format('bench.er.%s.supervisor%s@example.test', $2::text, lpad(n::text, 2, '0')),
                    format('Bench ER Supervisor %s', lpad(n::text, 2, '0')), 'supervisor', $3
             from generate_series(1, $4::int) n`, [practiceId, tag, passwordHash, supervisors]);
    await q(`insert into users (practice_id, id, email, name, role, password_hash)
             select $1, gen_random_uuid(), format('bench.er.%s.clinician%s@example.test', $2::text, lpad(n::text, 2, '0')),
                    format('Bench ER Clinician %s', lpad(n::text, 2, '0')), 'clinician', $3
             from generate_series(1, $4::int) n`, [practiceId, tag, passwordHash, clinicians]);
    // Supervisor s supervises clinicians (s-1)·k+1 … s·k.
    await q(`insert into supervision (practice_id, supervisor_id, clinician_id)
             select $1, s.id, c.id from users s join users c on c.practice_id = s.practice_id
             where s.practice_id = $1 and s.role = 'supervisor' and c.role = 'clinician'
               and substring(s.email from 'supervisor(\\d+)@')::int = (substring(c.email from 'clinician(\\d+)@')::int - 1) / $2::int + 1`,
      [practiceId, supervisorsEach]);
    await q(`insert into clients (practice_id, id, legal_name, risk_level)
             select $1, gen_random_uuid(), format('Bench ER Client %s-%s', lpad(k::text, 2, '0'), lpad(n::text, 2, '0')), 'high'
             from generate_series(1, $2::int) k cross join generate_series(1, $3::int) n`, [practiceId, clinicians, clientsPerClinician]);
    await q(`insert into client_clinicians (practice_id, client_id, clinician_id)
             select $1, cl.id, u.id from clients cl join users u on u.practice_id = cl.practice_id and u.role = 'clinician'
               and substring(u.email from 'clinician(\\d+)@')::int = substring(cl.legal_name from 'Client (\\d+)-')::int
             where cl.practice_id = $1`, [practiceId]);
    const people = await q(`select u.id, u.email, u.name, u.role, v.supervisor_id,
               array(select cc.client_id from client_clinicians cc where cc.practice_id = u.practice_id and cc.clinician_id = u.id order by cc.client_id) as client_ids
             from users u left join supervision v on v.practice_id = u.practice_id and v.clinician_id = u.id
             where u.practice_id = $1 order by u.email`, [practiceId]);
    await q('commit');
    await q('analyze users; analyze supervision; analyze clients; analyze client_clinicians');

    type Row = { id: string; email: string; name: string; role: string; supervisor_id: string | null; client_ids: string[] };
    const rows = people.rows as Row[];
    const clinicianRows = rows.filter((r) => r.role === 'clinician');
    const supervisorList: Supervisor[] = rows.filter((r) => r.role === 'supervisor')
      .map((r) => ({ id: r.id, email: r.email, name: r.name, superviseeIds: clinicianRows.filter((c) => c.supervisor_id === r.id).map((c) => c.id) }));
    const clinicianList: Clinician[] = clinicianRows.map((r) => {
      if (!r.supervisor_id || r.client_ids.length !== clientsPerClinician) throw new Error(`seeding went wrong for ${r.email}`);
      return { id: r.id, email: r.email, name: r.name, clientIds: r.client_ids, supervisorId: r.supervisor_id };
    });
    if (clinicianList.length !== clinicians || supervisorList.some((s) => s.superviseeIds.length === 0)) throw new Error('seeding went wrong: supervision');
    const counts = await countPractice(client, practiceId);
    return { practiceId, clinicians: clinicianList, supervisors: supervisorList, counts, seconds: (Date.now() - t0) / 1000 };
  } catch (err) {
    await q('rollback').catch(() => {});
    throw err;
  } finally {
    await client.end();
  }
}

async function countPractice(client: pg.Client, practiceId: string): Promise<Record<string, number>> {
  const tables = ['users', 'supervision', 'clients', 'client_clinicians', 'incidents', 'protocol_runs', 'incident_timeline', 'pages',
    'page_recipients', 'audit_events'] as const;
  const r = await client.query(`select ${tables.map((t) => `(select count(*)::int from ${t} where practice_id = $1) as ${t}`).join(', ')}`, [practiceId]);
  return r.rows[0] as Record<string, number>;
}

export function describeEmergencyPractice(p: EmergencyPractice): string {
  return `a practice of its own: ${p.clinicians.length} clinicians, each supervised by one of ${p.supervisors.length} supervisors ` +
    `(${EMERGENCY_PRACTICE.supervisorsEach} clinicians each), each with ${EMERGENCY_PRACTICE.clientsPerClinician} clients on their care team ` +
    `(${p.counts.clients} clients), and an owner; the default escalation policy. Seeded in ${p.seconds.toFixed(1)} s; ` +
    'the counts below are taken after the benchmark';
}

export async function emergencyPracticeCounts(databaseUrl: string, practiceId: string): Promise<Record<string, number>> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return await countPractice(client, practiceId);
  } finally {
    await client.end();
  }
}

/** Signs one person in (POST /api/auth/sign-in) and keeps what a browser would: the cookie and the CSRF token. */
async function signInBrowser(baseUrl: string, email: string, password: string): Promise<Credentials> {
  const res = await fetch(`${baseUrl}/api/auth/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (res.status !== 200) throw new Error(`POST /api/auth/sign-in for ${email} answered ${res.status}: ${await res.text()}`);
  const me = await res.json() as { csrfToken?: string };
  const pair = res.headers.getSetCookie().map((c) => c.split(';')[0] ?? '').find((p) => p.startsWith(`${SESSION_COOKIE}=`));
  if (!pair || !me.csrfToken) throw new Error(`POST /api/auth/sign-in for ${email} gave no ${SESSION_COOKIE} cookie or CSRF token`);
  return { cookie: pair, csrf: me.csrfToken };
}

/** Signs everyone in once, a few at a time (argon2id), and returns their credentials by user id. */
export async function signInEveryone(baseUrl: string, practice: EmergencyPractice): Promise<Map<string, Credentials>> {
  const people: Person[] = [...practice.clinicians, ...practice.supervisors];
  const out = new Map<string, Credentials>();
  let next = 0;
  const signer = async () => {
    while (next < people.length) {
      const person = people[next++]!;
      out.set(person.id, await signInBrowser(baseUrl, person.email, BENCH_OWNER.password));
    }
  };
  await Promise.all(Array.from({ length: 4 }, signer));
  return out;
}

/** One press before the clock starts: the route answers 201 with a page, or the benchmark would measure an error. */
export async function pressOnce(baseUrl: string, clinician: Clinician, creds: Credentials): Promise<void> {
  const res = await fetch(`${baseUrl}/api/incidents`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: creds.cookie, 'x-csrf-token': creds.csrf },
    body: JSON.stringify({ id: randomUUID(), runId: randomUUID(), clientId: clinician.clientIds[0], protocolKey: PROTOCOL_KEY }),
  });
  const text = await res.text();
  if (res.status !== 201) throw new Error(`POST /api/incidents answered ${res.status}, expected 201: ${text}`);
  const body = JSON.parse(text) as { pageId?: string | null };
  if (!body.pageId) throw new Error(`POST /api/incidents for ${PROTOCOL_KEY} paged nobody: ${text}`);
}

// --- the worker -----------------------------------------------------------------------------

const WORKER_URL = new URL('./emergency-worker.mjs', import.meta.url);

type WorkerMessage<T> = { type: 'tid'; tid: number | null } | { type: 'window'; edge: 'start' | 'end' } | { type: 'result'; result: T };

/**
 * Runs the load worker; meanwhile snapshots the CPU of the server, the generator and
 * PostgreSQL when the worker's measured window opens and closes.
 */
async function runWorker<T>(databaseUrl: string, workerData: Record<string, unknown>): Promise<{ result: T; cpu: (requests: number) => CpuBreakdown | null }> {
  const probe = await CpuProbe.open(databaseUrl).catch(() => null);
  let generatorTid: number | null = null;
  let start: Promise<CpuSnapshot | null> | undefined;
  let end: Promise<CpuSnapshot | null> | undefined;
  const snap = () => (probe ? probe.snapshot().catch(() => null) : Promise.resolve(null));
  try {
    const result = await new Promise<T>((resolve, reject) => {
      const worker = new Worker(WORKER_URL, { execArgv: [], workerData });
      let result: T | undefined;
      worker.on('message', (m: WorkerMessage<T>) => {
        if (m.type === 'tid') generatorTid = m.tid;
        else if (m.type === 'window') {
          if (m.edge === 'start') start = snap();
          else end = snap();
        } else result = m.result;
      });
      worker.once('error', reject);
      worker.once('exit', (code) => {
        if (result) resolve(result);
        else reject(new Error(`the emergency load worker exited with code ${code} before reporting`));
      });
    });
    const [a, b] = await Promise.all([start, end]);
    return { result, cpu: (requests) => (a && b ? cpuBetween(a, b, requests, generatorTid) : null) };
  } finally {
    await probe?.close().catch(() => {});
  }
}

const sortedCopy = (xs: number[]) => Array.from(Float64Array.from(xs).sort());
const counted = (m: Record<string, number>) => Object.entries(m).map(([k, n]) => `${n}× ${k}`).join('; ');
const ms = (n: number) => (Number.isFinite(n) ? n.toFixed(2) : '–');

// --- 1. the press under saturation ---------------------------------------------------------------

export interface PressSettings {
  seconds: number;
  warmupSeconds: number;
  /** The server's database pool (for the note). */
  poolSize: number;
  /** Id of the insert baseline measured at the same concurrency in this run; null: not compared. */
  baselineId: string | null;
  /** How many clinicians press at once (one connection each); default all of them. */
  clinicians?: number;
}

interface PressResult {
  latenciesMs: number[];
  statusCodes: Record<string, number>;
  ok: number;
  non2xx: number;
  errors: number;
  errorMessages: Record<string, number>;
  samples: string[];
  warmupRequests: number;
  socketsOpened: number;
  windowSeconds: number;
  created: string[];
  refused: string[];
  unanswered: string[];
  /** burst: how long each measured round took, from the first press sent to the last answer. */
  roundMs?: number[];
}

const PRESS_ABOUT = `protocol ${PROTOCOL_KEY}, which pages the clinician's supervisor at once: incident, run, timeline, page, recipient, ` +
  'pg-boss escalation timer and audit events in one transaction, then the live announcement (NOTIFY) before the answer. ' +
  'node:http in a worker thread, one keep-alive socket per clinician, each with their own cookie and CSRF token and a new incident ' +
  'and run id every press; latencies with performance.now() from sending to the last byte (sub-millisecond), exact nearest-rank ' +
  'percentiles of the 2xx answers';

/**
 * Part 1: clinicians pressing as fast as answers come back (the saturation reading of
 * "50 clinicians doing it concurrently": 50 presses always in flight); then what was
 * committed, checked with SQL. With `clinicians: 1`, the latency of a press on its own.
 */
export async function emergencyPressLoad(baseUrl: string, databaseUrl: string, practice: EmergencyPractice,
  creds: Map<string, Credentials>, s: PressSettings): Promise<BenchFigures> {
  const chosen = practice.clinicians.slice(0, s.clinicians ?? practice.clinicians.length);
  const clinicians = chosen.map((c) => ({ ...creds.get(c.id)!, clientIds: c.clientIds }));
  const { result: r, cpu } = await runWorker<PressResult>(databaseUrl, {
    mode: 'press', origin: baseUrl, clinicians, protocolKey: PROTOCOL_KEY,
    warmupSeconds: s.warmupSeconds, seconds: s.seconds, timeoutMs: 10_000,
  });
  const latencies = sortedCopy(r.latenciesMs);
  const cpuUse = cpu(r.ok);
  const verified = await verifyPresses(databaseUrl, practice.practiceId, r);
  const n = clinicians.length;
  const single = n === 1;
  return {
    id: single ? 'incidents.open.single' : 'incidents.open',
    name: single
      ? 'POST /api/incidents (the emergency button) — one clinician at a time'
      : `POST /api/incidents (the emergency button) — ${n} clinicians, no think time`,
    requestsPerSecond: r.windowSeconds > 0 ? r.ok / r.windowSeconds : 0,
    p50Ms: percentile(latencies, 0.5),
    p95Ms: percentile(latencies, 0.95),
    p99Ms: percentile(latencies, 0.99),
    ok: r.ok,
    non2xx: r.non2xx,
    errors: r.errors,
    statusCodes: r.statusCodes,
    durationSeconds: r.windowSeconds,
    connections: n,
    baselineId: s.baselineId,
    note: (single
      ? 'one connection, one clinician pressing again the moment the answer arrives: what a press costs with nothing else running (no target; for reading the others)'
      : `the saturation reading of "${n} clinicians doing it concurrently": ${n} connections, one clinician each, each pressing again the moment ` +
        `the answer arrives, so ${n} presses are always in flight`) +
      `; rotating through each clinician's ${EMERGENCY_PRACTICE.clientsPerClinician} clients; ${PRESS_ABOUT} to presses started in the ` +
      `${s.seconds} s window after ${s.warmupSeconds} s of warm-up; server pool ${s.poolSize} connections` +
      (s.baselineId ? `; compared with the raw-insert baseline at the same concurrency (${n})` : ''),
    details: [
      `${r.ok} measured 201s (+${r.warmupRequests} presses in the warm-up), ${r.socketsOpened} TCP connections opened in all` +
        (r.errors ? `; failures: ${counted(r.errorMessages)}` : '') + (r.samples.length ? `; non-2xx answers, e.g. ${r.samples.join(' | ')}` : ''),
      ...(cpuUse ? [describeCpu(cpuUse)] : []),
      ...verified.details,
    ],
    checks: verified.checks,
  };
}

export interface BurstSettings {
  rounds: number;
  warmupRounds: number;
  pauseMs: number;
  poolSize: number;
}

/**
 * The burst reading of "50 clinicians doing it concurrently": every clinician presses
 * once at the same instant; the server answers them all; a pause; again.
 */
export async function emergencyBurstLoad(baseUrl: string, databaseUrl: string, practice: EmergencyPractice,
  creds: Map<string, Credentials>, s: BurstSettings): Promise<BenchFigures> {
  const clinicians = practice.clinicians.map((c) => ({ ...creds.get(c.id)!, clientIds: c.clientIds }));
  const { result: r, cpu } = await runWorker<PressResult>(databaseUrl, {
    mode: 'burst', origin: baseUrl, clinicians, protocolKey: PROTOCOL_KEY,
    rounds: s.rounds, warmupRounds: s.warmupRounds, pauseMs: s.pauseMs, timeoutMs: 10_000,
  });
  const latencies = sortedCopy(r.latenciesMs);
  const rounds = sortedCopy(r.roundMs ?? []);
  const cpuUse = cpu(r.ok);
  const verified = await verifyPresses(databaseUrl, practice.practiceId, r);
  const n = clinicians.length;
  return {
    id: 'incidents.open.burst',
    name: `POST /api/incidents (the emergency button) — ${n} clinicians pressing at the same instant`,
    requestsPerSecond: r.windowSeconds > 0 ? r.ok / r.windowSeconds : 0,
    p50Ms: percentile(latencies, 0.5),
    p95Ms: percentile(latencies, 0.95),
    p99Ms: percentile(latencies, 0.99),
    ok: r.ok,
    non2xx: r.non2xx,
    errors: r.errors,
    statusCodes: r.statusCodes,
    durationSeconds: r.windowSeconds,
    connections: n,
    offeredRate: n / ((r.windowSeconds / Math.max(1, s.rounds)) + s.pauseMs / 1000),
    note: `the burst reading of "${n} clinicians doing it concurrently": all ${n} press once within the same millisecond, the server answers ` +
      `them all, ${s.pauseMs} ms pause, again: ${s.rounds} measured rounds after ${s.warmupRounds} of warm-up. requests/s here is answers ` +
      `per second while a burst is being served (the pauses left out); ${PRESS_ABOUT}; server pool ${s.poolSize} connections`,
    details: [
      `${r.ok} measured 201s (+${r.warmupRequests} presses in the warm-up); a whole burst (first press sent → last answer) took ` +
        `p50 ${ms(percentile(rounds, 0.5))} ms, max ${ms(rounds[rounds.length - 1] ?? NaN)} ms` +
        (r.errors ? `; failures: ${counted(r.errorMessages)}` : '') + (r.samples.length ? `; non-2xx answers, e.g. ${r.samples.join(' | ')}` : ''),
      ...(cpuUse ? [describeCpu(cpuUse)] : []),
      ...verified.details,
    ],
    checks: verified.checks,
  };
}

/**
 * "Nothing acknowledged was lost": every incident id answered 201 (warm-up included) has
 * its rows, and nothing answered otherwise left any. Then the escalation timers these
 * presses queued (due in minutes) are removed, so they do not fire into later benchmarks.
 */
async function verifyPresses(databaseUrl: string, practiceId: string, r: PressResult): Promise<{ checks: BenchCheck[]; details: string[] }> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const one = async (text: string, values: unknown[]) => Number((await client.query<{ n: number }>(text, values)).rows[0]?.n ?? NaN);
    const created = r.created;
    const n = created.length;
    const pageIds = (await client.query<{ id: string }>(`select id from pages where practice_id = $1 and incident_id = any($2::uuid[])`,
      [practiceId, created])).rows.map((x) => x.id);
    const checks: BenchCheck[] = [
      { what: 'presses answered 201 (warm-up included) whose incident is committed', expected: n,
        actual: await one(`select count(*)::int as n from incidents where practice_id = $1 and id = any($2::uuid[]) and status = 'open'`, [practiceId, created]) },
      { what: '… with its protocol run', expected: n,
        actual: await one(`select count(*)::int as n from protocol_runs where practice_id = $1 and incident_id = any($2::uuid[]) and protocol_key = $3`, [practiceId, created, PROTOCOL_KEY]) },
      { what: '… with its page (one each)', expected: n, actual: pageIds.length },
      { what: '… with the supervisor notified (page_recipients)', expected: n,
        actual: await one(`select count(*)::int as n from page_recipients where practice_id = $1 and page_id = any($2::uuid[])`, [practiceId, pageIds]) },
      { what: '… with the "Incident opened" timeline entry', expected: n,
        actual: await one(`select count(*)::int as n from incident_timeline where practice_id = $1 and incident_id = any($2::uuid[]) and kind = 'incident'`, [practiceId, created]) },
      { what: '… with the audit event incident.open', expected: n,
        actual: await one(`select count(*)::int as n from audit_events where practice_id = $1 and action = 'incident.open' and outcome = 'success' and resource_id = any($2::text[])`, [practiceId, created]) },
      { what: '… with the audit event pages.request', expected: n,
        actual: await one(`select count(*)::int as n from audit_events where practice_id = $1 and action = 'pages.request' and resource_id = any($2::text[])`, [practiceId, pageIds]) },
      { what: '… with its escalation timer queued in pg-boss', expected: n,
        actual: await one(`select count(*)::int as n from pgboss.job where name = 'page-escalation' and data->>'practiceId' = $1 and data->>'pageId' = any($2::text[])`, [practiceId, pageIds]) },
      { what: 'presses answered with anything but 201 that left an incident', expected: 0,
        actual: await one(`select count(*)::int as n from incidents where practice_id = $1 and id = any($2::uuid[])`, [practiceId, r.refused]) },
    ];
    const unansweredCommitted = await one(`select count(*)::int as n from incidents where practice_id = $1 and id = any($2::uuid[])`, [practiceId, r.unanswered]);
    const removed = await removeEscalationTimers(client, practiceId);
    const details = [
      `checked with SQL after the run: ${n} presses answered 201, ${r.refused.length} answered otherwise, ${r.unanswered.length} got no answer` +
        (r.unanswered.length ? ` (${unansweredCommitted} of those committed anyway)` : ''),
      `then removed the ${removed} escalation timers these presses queued (due in 2 minutes), so that they do not fire into the next benchmark`,
    ];
    return { checks, details };
  } finally {
    await client.end();
  }
}

/** Deletes the bench practice's escalation timers still waiting (pg-boss jobs): returns how many. */
async function removeEscalationTimers(client: pg.Client, practiceId: string): Promise<number> {
  const removed = await client.query(`delete from pgboss.job where name = 'page-escalation' and state = 'created' and data->>'practiceId' = $1`, [practiceId]);
  return removed.rowCount ?? 0;
}

// --- 2. the page reaching a browser --------------------------------------------------------------

export interface LiveSettings {
  /** Supervisors with a stream open (each gets the pages of their clinicians). */
  streams: number;
  /** Presses per second, spread evenly. */
  rate: number;
  seconds: number;
  warmupSeconds: number;
}

interface LiveResult {
  pageLatenciesMs: number[];
  serverToBrowserMs: number[];
  postLatenciesMs: number[];
  afterAnswerMs: number[];
  measuredPresses: number;
  created: number;
  expected: number;
  delivered: number;
  unexpected: number;
  duplicates: number;
  statusCodes: Record<string, number>;
  errors: number;
  errorMessages: Record<string, number>;
  samples: string[];
  otherEvents: Record<string, number>;
  maxSendLagMs: number;
  streams: number;
  totalPresses: number;
  windowSeconds: number;
}

/** Part 2: supervisors watching their live streams while their clinicians press at a steady rate. */
export async function pageToBrowserLoad(baseUrl: string, databaseUrl: string, practice: EmergencyPractice, creds: Map<string, Credentials>,
  s: LiveSettings): Promise<BenchFigures> {
  const watching = practice.supervisors.slice(0, Math.min(s.streams, practice.supervisors.length));
  const streams = watching.map((sup) => ({ cookie: creds.get(sup.id)!.cookie }));
  // Each supervisor's first clinician in turn, then each one's second…: consecutive presses page different streams.
  const pressers = [];
  for (let j = 0; j < EMERGENCY_PRACTICE.supervisorsEach; j++) {
    for (const [streamIndex, sup] of watching.entries()) {
      const clinician = practice.clinicians.find((c) => c.id === sup.superviseeIds[j]);
      if (clinician) pressers.push({ ...creds.get(clinician.id)!, clientIds: clinician.clientIds, streams: [streamIndex] });
    }
  }
  const t0 = performance.now();
  const { result: r, cpu } = await runWorker<LiveResult>(databaseUrl, {
    mode: 'live', origin: baseUrl, streams, pressers, protocolKey: PROTOCOL_KEY, rate: s.rate,
    warmupSeconds: s.warmupSeconds, seconds: s.seconds, settleMs: 3000, timeoutMs: 10_000,
  });
  const tookSeconds = (performance.now() - t0) / 1000;
  const cpuUse = cpu(r.created);
  const latencies = sortedCopy(r.pageLatenciesMs);
  const serverSide = sortedCopy(r.serverToBrowserMs);
  const posts = sortedCopy(r.postLatenciesMs);
  const afterAnswer = sortedCopy(r.afterAnswerMs);
  const non2xx = Object.entries(r.statusCodes).filter(([c]) => !c.startsWith('2')).reduce((a, [, k]) => a + k, 0);
  const missing = Math.max(0, r.expected - r.delivered);
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const removed = await removeEscalationTimers(client, practice.practiceId).finally(() => client.end());
  return {
    id: 'live.page',
    name: `A page reaching the supervisor's browser stream — ${watching.length} streams, ${s.rate} presses/s`,
    requestsPerSecond: r.delivered / r.windowSeconds,
    p50Ms: percentile(latencies, 0.5),
    p95Ms: percentile(latencies, 0.95),
    p99Ms: percentile(latencies, 0.99),
    ok: r.delivered,
    non2xx,
    errors: r.errors,
    statusCodes: r.statusCodes,
    durationSeconds: r.windowSeconds,
    connections: watching.length,
    offeredRate: s.rate,
    note: `${watching.length} supervisors each hold GET /api/live open (fetch + stream reader in a worker thread, as an EventSource); ` +
      `their ${pressers.length} clinicians press the button (${PROTOCOL_KEY}) in turn at a steady ${s.rate}/s (open loop: each press is ` +
      `sent on schedule whatever the earlier ones are doing) for ${s.seconds} s after ${s.warmupSeconds} s of warm-up. Latency = the ` +
      '`page` event arriving on the supervisor\'s stream − the moment its POST was sent (performance.now(), same thread): the whole ' +
      'way, including the press itself, the commit, NOTIFY, the LISTEN connection and the SSE write. requests/s here is pages delivered per second',
    details: [
      `${r.measuredPresses} measured presses (${r.totalPresses} in all), ${r.created} answered 201; ${r.delivered} of the ${r.expected} expected ` +
        `page events arrived (missing ${missing}, duplicates ${r.duplicates}, to a stream not expecting it ${r.unexpected}); other events: ${counted(r.otherEvents) || 'none'}`,
      `the press itself (POST → 201) at this rate: p50 ${ms(percentile(posts, 0.5))} ms, p95 ${ms(percentile(posts, 0.95))} ms, p99 ${ms(percentile(posts, 0.99))} ms`,
      `page arrival − the same press's 201 arriving (negative: the page came first; the server announces before it answers): ` +
        `p50 ${ms(percentile(afterAnswer, 0.5))} ms, p99 ${ms(percentile(afterAnswer, 0.99))} ms, max ${ms(afterAnswer[afterAnswer.length - 1] ?? NaN)} ms`,
      `server clock to browser (arrival wall clock − the page's createdAt, which is taken when the server starts handling the press; ` +
        `1 ms resolution): p50 ${ms(percentile(serverSide, 0.5))} ms, p99 ${ms(percentile(serverSide, 0.99))} ms`,
      `the generator kept its schedule to within ${ms(r.maxSendLagMs)} ms; the run took ${tookSeconds.toFixed(1)} s with the streams' setup and 3 s for late pages` +
        (r.errors ? `; failures: ${counted(r.errorMessages)}` : '') + (r.samples.length ? `; non-201 answers, e.g. ${r.samples.join(' | ')}` : ''),
      ...(cpuUse ? [describeCpu(cpuUse)] : []),
      `then removed the ${removed} escalation timers these presses queued`,
    ],
    checks: [
      { what: 'page events that did not arrive within 3 s of the last press', expected: 0, actual: missing },
      { what: 'page events on a stream of someone not paged', expected: 0, actual: r.unexpected },
    ],
  };
}
