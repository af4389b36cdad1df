/**
 * `npm run bench`: every benchmark, figures printed and saved to bench/results/.
 * Never part of the tests.
 *
 * Starts Holdspace in this process on a throwaway embedded PostgreSQL (or on
 * DATABASE_URL when set), measures two baselines on the same machine and database
 * (raw INSERTs, bare Fastify), then the app's routes under concurrent load: sign-in and
 * audited reads on an empty practice, then the practice seeded to 10,000 clients and
 * 100,000 appointments (clients.bench.ts) for a clinician's client list, client page and day,
 * each measured twice: BENCH_CONNECTIONS always-busy autocannon connections (saturation),
 * then BENCH_USERS virtual users who think 250–750 ms between requests (users.ts, in a
 * worker thread).
 *
 * Then the emergency button (emergency.bench.ts) in a practice of its own: 50 clinicians
 * pressing it at once, compared with a second raw-insert baseline at the same
 * concurrency (50) measured just before; then a page reaching supervisors' live streams.
 * Last, follow-up reminders (follow-ups.bench.ts): 10,000 falling due at once with 10k,
 * 100k and 1M scheduled (cost per task), then 100,000 due within one minute.
 *
 * Suites: `npm run bench` runs them all; `npm run bench -- emergency` (or any of
 * baselines, auth, clients, emergency, follow-ups, space- or comma-separated) runs only those.
 *
 * Environment: BENCH_SECONDS (measured seconds per benchmark; default 5 for the
 * baselines, 8 for the app), BENCH_CONNECTIONS (default 20), BENCH_WARMUP_SECONDS
 * (default 1), BENCH_WORKERS (autocannon worker threads, default 1; 0 = fire from
 * the server's own thread), BENCH_USERS (virtual users for the think-time runs, default 20),
 * BENCH_DB_POOL_SIZE (the server's database connections, default 20), BENCH_LIVE_STREAMS
 * (supervisors' streams, default 20), BENCH_LIVE_RATE (presses/s, default 20),
 * BENCH_LIVE_SECONDS (default 15).
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { loadConfig } from '../src/server/config.ts';
import { startServer, type RunningServer } from '../src/server/main.ts';
import { bareFastifyBaseline, insertBaseline } from './baselines.ts';
import { auditedReadLoad, BENCH_OWNER, meLoad, setUpPractice, signIn, signInAs, signInLoad, type LoadSettings } from './auth.bench.ts';
import {
  clientListLoad, clientListUsers, clientPageLoad, clientPageUsers, describeSeed, saturationLabel, scheduleDayLoad, scheduleDayUsers,
  seedPractice, usersLabel, type SeededPractice,
} from './clients.bench.ts';
import {
  describeEmergencyPractice, EMERGENCY_PRACTICE, emergencyBurstLoad, emergencyPracticeCounts, emergencyPressLoad, pageToBrowserLoad, pressOnce,
  seedEmergencyPractice, signInEveryone,
} from './emergency.bench.ts';
import { describeFollowUpPractice, followUpPracticeCounts, followUpReminderRuns, seedFollowUpPractice } from './follow-ups.bench.ts';
import type { UserSettings } from './users.ts';
import type { BenchFigures } from './http.ts';
import { insertRatesOf, machineInfo, renderMarkdown, toRow, writeReport, type BenchReport } from './report.ts';

const RESULTS_DIR = path.join(import.meta.dirname, 'results');
/** Each virtual user's think time between requests, uniform, ms. */
const THINK_MIN_MS = 250;
const THINK_MAX_MS = 750;
/** Measured bursts of the emergency button (all clinicians at the same instant). */
const BURST_ROUNDS = 10;

function envNumber(name: string, fallback: number, min: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < min) throw new Error(`${name} must be a number ≥ ${min}, got "${raw}"`);
  return n;
}

const progress = (line: string) => process.stderr.write(`[bench] ${line}\n`);

const SUITES = ['baselines', 'auth', 'clients', 'emergency', 'follow-ups'] as const;
type Suite = (typeof SUITES)[number];

/** The suites named on the command line (`npm run bench -- emergency`), or all of them. */
function suitesFromArgs(args: string[]): Suite[] {
  const named = args.flatMap((a) => a.split(',')).map((a) => a.trim()).filter(Boolean);
  if (named.length === 0 || named.includes('all')) return [...SUITES];
  const unknown = named.filter((n) => !(SUITES as readonly string[]).includes(n));
  if (unknown.length) throw new Error(`unknown benchmark suite ${unknown.join(', ')}; choose from ${SUITES.join(', ')} (or nothing for all)`);
  return SUITES.filter((s) => named.includes(s));
}

async function main(): Promise<number> {
  const override = process.env.BENCH_SECONDS?.trim() ? envNumber('BENCH_SECONDS', 0, 1) : undefined;
  const baselineSeconds = override ?? 5;
  const appSeconds = override ?? 8;
  const connections = Math.round(envNumber('BENCH_CONNECTIONS', 20, 1));
  const warmupSeconds = envNumber('BENCH_WARMUP_SECONDS', 1, 0);
  const workers = Math.round(envNumber('BENCH_WORKERS', 1, 0));
  const users = Math.round(envNumber('BENCH_USERS', 20, 1));
  const poolSize = Math.round(envNumber('BENCH_DB_POOL_SIZE', 20, 1));
  const liveStreams = Math.round(envNumber('BENCH_LIVE_STREAMS', 20, 1));
  const liveRate = envNumber('BENCH_LIVE_RATE', 20, 0.1);
  const liveSeconds = envNumber('BENCH_LIVE_SECONDS', override ?? 15, 1);
  const suites = suitesFromArgs(process.argv.slice(2));
  const startedAt = new Date();
  const loadAtStart = os.loadavg();

  const externalUrl = process.env.DATABASE_URL?.trim() || undefined;
  let dataDir: string | undefined;
  let server: RunningServer | undefined;
  let cleaningUp: Promise<void> | undefined;
  const cleanUp = () => (cleaningUp ??= (async () => {
    if (server) {
      progress('stopping Holdspace and its database');
      await server.stop().catch((err: unknown) => progress(`while stopping: ${String(err)}`));
    }
    if (dataDir) await fs.rm(dataDir, { recursive: true, force: true }).catch(() => {});
  })());
  const onSignal = (signal: NodeJS.Signals) => {
    progress(`${signal}: cleaning up`);
    void cleanUp().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  try {
    const env: NodeJS.ProcessEnv = {
      ...process.env, PORT: '0', HOST: '127.0.0.1', HOLDSPACE_LOG_LEVEL: 'silent', HOLDSPACE_DB_POOL_SIZE: String(poolSize),
    };
    delete env.DATABASE_URL;
    delete env.HOLDSPACE_PUBLIC_URL;
    if (externalUrl) {
      env.DATABASE_URL = externalUrl;
      progress('using the PostgreSQL at DATABASE_URL');
    } else {
      dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'holdspace-bench-'));
      await fs.chmod(dataDir, 0o755); // the postgres OS user must reach it
      env.HOLDSPACE_DATA_DIR = dataDir;
    }
    const t0 = Date.now();
    server = await startServer(loadConfig(env), progress);
    progress(`Holdspace is up at ${server.url} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
    const serverVersion = await showServerVersion(server.databaseUrl);

    const figures: BenchFigures[] = [];
    const run = async (label: string, bench: () => Promise<BenchFigures>) => {
      progress(`${label}…`);
      const f = await bench();
      figures.push(f);
      progress(`  ${f.requestsPerSecond.toFixed(1)}/s, p50 ${f.p50Ms.toFixed(2)} ms, p99 ${f.p99Ms.toFixed(2)} ms` +
        (f.non2xx || f.errors ? `, ${f.non2xx} non-2xx, ${f.errors} errors` : ''));
    };
    const load: LoadSettings = { connections, seconds: appSeconds, warmupSeconds, workers };
    const userSettings: UserSettings = { users, thinkMinMs: THINK_MIN_MS, thinkMaxMs: THINK_MAX_MS, seconds: appSeconds, warmupSeconds };

    const datasets: NonNullable<BenchReport['datasets']> = [];

    if (suites.includes('baselines')) {
      await run(`Baseline A: raw INSERTs, ${connections} concurrent, ${baselineSeconds} s`,
        () => insertBaseline(server!.databaseUrl, { concurrency: connections, seconds: baselineSeconds }));
      await run(`Baseline B: bare Fastify, ${connections} connections, ${baselineSeconds} s`,
        () => bareFastifyBaseline({ connections, seconds: baselineSeconds, warmupSeconds, workers }));
    }

    if (suites.includes('auth') || suites.includes('clients')) await setUpPractice(server.url);
    if (suites.includes('auth')) {
      await run(`Sign-in, ${connections} connections, ${appSeconds} s`, () => signInLoad(server!.url, load));
      const token = await signIn(server.url);
      await run(`Audited read, ${connections} connections, ${appSeconds} s`, () => auditedReadLoad(server!.url, token, load));
      await run(`GET /api/me, ${connections} connections, ${appSeconds} s`, () => meLoad(server!.url, token, load));
    }

    if (suites.includes('clients')) {
      progress('seeding the practice: 20 clinicians, 10,000 clients, 100,000 appointments (SQL)…');
      const seeded: SeededPractice = await seedPractice(server.databaseUrl);
      progress(`  ${describeSeed(seeded)}`);
      datasets.push({ title: 'the practice at size (clients, schedule)', description: describeSeed(seeded), counts: seeded.counts });
      const clinicianToken = await signInAs(server.url, seeded.clinicianEmail, BENCH_OWNER.password);
      const sat = `${saturationLabel(load)}, ${appSeconds} s`;
      const usr = `${usersLabel(userSettings)}, ${appSeconds} s`;
      await run(`Client list at size, ${sat}`, () => clientListLoad(server!.url, clinicianToken, load));
      await run(`Client list at size, ${usr}`, () => clientListUsers(server!.url, clinicianToken, userSettings));
      await run(`Client page at size, ${sat}`, () => clientPageLoad(server!.url, clinicianToken, seeded.sampleClientIds, load));
      await run(`Client page at size, ${usr}`, () => clientPageUsers(server!.url, clinicianToken, seeded.sampleClientIds, userSettings));
      await run(`Clinician's day at size, ${sat}`, () => scheduleDayLoad(server!.url, clinicianToken, seeded.today, load));
      await run(`Clinician's day at size, ${usr}`, () => scheduleDayUsers(server!.url, clinicianToken, seeded.today, userSettings));
    }

    if (suites.includes('emergency')) {
      // Its escalation timers are removed after each part, so they do not fire into what follows.
      const pressers = EMERGENCY_PRACTICE.clinicians;
      progress(`seeding the emergency practice: ${pressers} clinicians with supervisors and clients (SQL), signing everyone in…`);
      const er = await seedEmergencyPractice(server.databaseUrl);
      const creds = await signInEveryone(server.url, er);
      await pressOnce(server.url, er.clinicians[0]!, creds.get(er.clinicians[0]!.id)!);
      const baselineId = `baseline.pg-insert.c${pressers}`;
      await run(`Baseline A at the emergency button's concurrency: raw INSERTs, ${pressers} concurrent, ${baselineSeconds} s`,
        () => insertBaseline(server!.databaseUrl, { concurrency: pressers, seconds: baselineSeconds, id: baselineId }));
      await run(`Emergency button, ${pressers} clinicians, no think time, ${appSeconds} s`,
        () => emergencyPressLoad(server!.url, server!.databaseUrl, er, creds, { seconds: appSeconds, warmupSeconds, poolSize, baselineId }));
      await run(`Emergency button, ${pressers} clinicians pressing at the same instant, ${BURST_ROUNDS} rounds`,
        () => emergencyBurstLoad(server!.url, server!.databaseUrl, er, creds, { rounds: BURST_ROUNDS, warmupRounds: 2, pauseMs: 1000, poolSize }));
      await run(`Emergency button, one clinician at a time, ${baselineSeconds} s`,
        () => emergencyPressLoad(server!.url, server!.databaseUrl, er, creds, { seconds: baselineSeconds, warmupSeconds, poolSize, baselineId: null, clinicians: 1 }));
      await run(`Page to browser, ${liveStreams} streams, ${liveRate} presses/s, ${liveSeconds} s`,
        () => pageToBrowserLoad(server!.url, server!.databaseUrl, er, creds, { streams: liveStreams, rate: liveRate, seconds: liveSeconds, warmupSeconds: Math.max(1, warmupSeconds) }));
      datasets.push({ title: 'the emergency practice', description: describeEmergencyPractice(er), counts: await emergencyPracticeCounts(server.databaseUrl, er.practiceId) });
    }

    if (suites.includes('follow-ups')) {
      // Last: it leaves 1.2 million follow-ups and their timers in the database.
      progress('seeding the follow-up practice (SQL)…');
      const fu = await seedFollowUpPractice(server.databaseUrl);
      progress('Follow-up reminders: 10k, 100k and 1M scheduled, then 100,000 due within one minute…');
      for (const f of await followUpReminderRuns(server.databaseUrl, fu)) {
        figures.push(f);
        progress(`  ${f.name}: ${f.requestsPerSecond.toFixed(0)}/s` + (f.maxMs !== undefined ? `, worst lateness ${(f.maxMs / 1000).toFixed(1)} s` : '') +
          (f.costRatio !== undefined ? `, cost ratio ${f.costRatio.toFixed(2)}` : ''));
      }
      datasets.push({ title: 'the follow-up practice', description: describeFollowUpPractice(fu), counts: await followUpPracticeCounts(server.databaseUrl, fu.practiceId) });
    }

    const insertRates = insertRatesOf(figures);
    const rows = figures.map((f) => toRow(f, insertRates));
    const report: BenchReport = {
      startedAt: startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      machine: machineInfo(),
      database: { kind: externalUrl ? 'external' : 'embedded', serverVersion },
      suites,
      settings: {
        connections, baselineSeconds, appSeconds, warmupSeconds, autocannonWorkers: workers, appDbPoolSize: poolSize,
        users, thinkMinMs: THINK_MIN_MS, thinkMaxMs: THINK_MAX_MS,
        ...(suites.includes('emergency') ? { emergencyClinicians: EMERGENCY_PRACTICE.clinicians, burstRounds: BURST_ROUNDS, liveStreams, liveRate, liveSeconds } : {}),
      },
      rows,
      datasets,
      loadAverage: { start: loadAtStart, end: os.loadavg() },
      ok: rows.every((r) => r.problems.length === 0),
    };
    process.stdout.write('\n' + renderMarkdown(report) + '\n');
    const written = await writeReport(report, RESULTS_DIR);
    progress(`wrote ${path.relative(process.cwd(), written.json)} and ${path.relative(process.cwd(), written.md)}`);
    if (!report.ok) {
      progress('SOME BENCHMARKS HAD ERRORS: their figures are not valid (see above). Exiting with status 1.');
      return 1;
    }
    return 0;
  } finally {
    await cleanUp();
  }
}

async function showServerVersion(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const r = await client.query<{ server_version: string }>('show server_version');
    return r.rows[0]?.server_version ?? 'unknown';
  } finally {
    await client.end();
  }
}

const started = Date.now();
main().then(
  (code) => {
    progress(`done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    process.exit(code);
  },
  (err: unknown) => {
    console.error('\nThe benchmarks could not run:', err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
