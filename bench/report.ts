import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { BenchFigures } from './http.ts';
import { checkTarget, describeTarget, targets, type Metric, type TargetVerdict } from './targets.ts';

export interface BenchRow extends BenchFigures {
  /** This benchmark's rate over the raw INSERT rate of the same run. */
  ratioToInsertRate: number | null;
  verdicts: TargetVerdict[];
  /** 'no target' when none are set, else whether every target holds. */
  met: boolean | 'no target';
  /** Why these figures cannot be trusted as they stand, if they cannot. */
  problems: string[];
}

export interface BenchReport {
  startedAt: string;
  finishedAt: string;
  machine: { cpus: number; cpuModel: string; memoryGiB: number; node: string; platform: string };
  database: { kind: 'embedded' | 'external'; serverVersion: string };
  settings: Record<string, number>;
  rows: BenchRow[];
  /** What the app benchmarks ran against, when a benchmark seeded data (a title, a sentence, and table → rows). */
  datasets?: { title: string; description: string; counts: Record<string, number> }[];
  /** Which suites ran (`npm run bench -- emergency` runs one). */
  suites?: string[];
  /** The machine's 1/5/15-minute load averages at the start and end of the run (other work on it skews figures). */
  loadAverage?: { start: number[]; end: number[] };
  ok: boolean;
}

/** The insert rates of the run's raw-insert baselines, by BenchFigures id. */
export type InsertRates = Record<string, number>;

export const DEFAULT_BASELINE_ID = 'baseline.pg-insert';

export function insertRatesOf(figures: readonly BenchFigures[]): InsertRates {
  return Object.fromEntries(figures.filter((f) => f.id.startsWith(DEFAULT_BASELINE_ID)).map((f) => [f.id, f.requestsPerSecond]));
}

export function toRow(f: BenchFigures, insertRates: InsertRates): BenchRow {
  // Users who think between requests, and open-loop runs, set their own rate: comparing it with the insert ceiling means nothing.
  const insertRate = f.baselineId === null ? undefined : insertRates[f.baselineId ?? DEFAULT_BASELINE_ID];
  const ratio = insertRate && insertRate > 0 && !f.thinkTimeMs && f.offeredRate === undefined ? f.requestsPerSecond / insertRate : null;
  const figures: Record<Metric, number | null> = {
    requestsPerSecond: f.requestsPerSecond, p50Ms: f.p50Ms, p99Ms: f.p99Ms, ratioToInsertRate: ratio,
    maxMs: f.maxMs ?? null, costRatio: f.costRatio ?? null,
  };
  const verdicts = (targets[f.id] ?? []).map((t) => checkTarget(t, figures));
  const problems: string[] = [];
  if (f.non2xx > 0) {
    const codes = Object.entries(f.statusCodes ?? {}).filter(([c]) => !c.startsWith('2')).map(([c, n]) => `${n}× ${c}`).join(', ');
    problems.push(`${f.non2xx} non-2xx responses${codes ? ` (${codes})` : ''}`);
  }
  if (f.errors > 0) problems.push(`${f.errors} connection errors/timeouts/failed queries`);
  if (f.ok === 0) problems.push('no successful requests at all');
  for (const c of f.checks ?? []) {
    if (c.actual !== c.expected) problems.push(`check failed: ${c.what}: expected ${c.expected}, found ${c.actual}`);
  }
  return {
    ...f,
    ratioToInsertRate: ratio,
    verdicts,
    met: verdicts.length === 0 ? 'no target' : verdicts.every((v) => v.met),
    problems,
  };
}

export function machineInfo(): BenchReport['machine'] {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
  };
}

const num = (n: number | null, digits: number) => (n === null || !Number.isFinite(n) ? '–' : n.toFixed(digits));
const rate = (n: number) => (n >= 100 ? n.toFixed(0) : n.toFixed(1));

export function renderMarkdown(r: BenchReport): string {
  const lines: string[] = [];
  lines.push(`# Holdspace benchmarks`, '');
  lines.push(`${r.startedAt} · ${r.machine.cpus} × ${r.machine.cpuModel}, ${r.machine.memoryGiB} GiB · Node ${r.machine.node} · ` +
    `${r.database.kind} PostgreSQL ${r.database.serverVersion}`, '');
  if (r.suites) lines.push(`Suites: ${r.suites.join(', ')}.`, '');
  lines.push('| benchmark | requests/s | p50 ms | p95 ms | p99 ms | ratio to raw insert rate | target | met? | non-2xx / errors |');
  lines.push('|---|---:|---:|---:|---:|---:|---|---|---|');
  for (const row of r.rows) {
    const target = row.verdicts.length ? row.verdicts.map((v) => describeTarget(v.target)).join('; ') : 'none (report only)';
    const met = row.met === 'no target' ? '–' : row.met ? 'yes' : `**NO** (${row.verdicts.filter((v) => !v.met)
      .map((v) => `${describeTarget(v.target)}: got ${num(v.actual, 2)}`).join('; ')})`;
    const errors = row.problems.length ? `**${row.non2xx} / ${row.errors} — ERRORS**` : `${row.non2xx} / ${row.errors}`;
    const latency = (ms: number) => (row.ok === 0 ? '–' : num(ms, 2)); // no 2xx: no latency recorded
    lines.push(`| ${row.name} | ${rate(row.requestsPerSecond)} | ${latency(row.p50Ms)} | ${row.p95Ms === undefined ? '–' : latency(row.p95Ms)} | ${latency(row.p99Ms)} | ` +
      `${num(row.ratioToInsertRate, 3)} | ${target} | ${met} | ${errors} |`);
  }
  lines.push('');
  lines.push(`Settings: ${Object.entries(r.settings).map(([k, v]) => `${k}=${v}`).join(', ')}. ` +
    'Requests/s counts 2xx responses only. Autocannon latencies (every row without think time) have 1 ms resolution. ' +
    'The ratio is requests/s over the inserts/s of the raw-insert baseline at the same concurrency in this same run (none for rows with ' +
    'think time or a fixed offered rate, whose rate the generator sets). p95 is shown where the generator keeps every latency.');
  const userRows = r.rows.filter((row) => row.thinkTimeMs);
  if (userRows.length) {
    const [lo, hi] = userRows[0]!.thinkTimeMs!;
    const users = userRows[0]!.users ?? userRows[0]!.connections;
    lines.push('', 'The issue’s target, “p99 under 50 ms at 20 concurrent users”, is measured for each page under two readings of ' +
      '“concurrent users”, with the same target on both:', '');
    lines.push(`- **“${r.settings.connections ?? users} connections, no think time”** (saturation): autocannon keeps ${r.settings.connections ?? users} ` +
      'connections busy, each sending its next request the moment the previous answer arrives, so that many requests are ' +
      'always in flight. This is the most the server can be asked at once by that many clients; real people do not click that fast.');
    lines.push(`- **“${users} users, ${lo}–${hi} ms think time”** (users): ${users} virtual users, each sending a request, waiting for ` +
      `the answer, then thinking for a uniform random ${lo}–${hi} ms before the next, for the same measured seconds after the same ` +
      'warm-up. They run in a worker thread (off the server’s event loop, which is in the bench process) using Node’s fetch (undici) ' +
      'with keep-alive and the session cookie. Each latency is taken with performance.now() from sending to the last byte of the ' +
      'body (sub-millisecond); p50 and p99 are exact nearest-rank percentiles of the sorted 2xx latencies of requests started in ' +
      'the measured window; non-2xx responses and failed requests are counted as errors.');
    lines.push('');
  }
  for (const row of r.rows) if (row.note) lines.push(`- ${row.name}: ${row.note}.`);
  const checked = r.rows.filter((row) => row.checks?.length || row.details?.length);
  for (const row of checked) {
    lines.push('', `## ${row.name}`, '');
    for (const d of row.details ?? []) lines.push(`- ${d}`);
    if (row.checks?.length) {
      if (row.details?.length) lines.push('');
      lines.push('| verified after the run | expected | found | ok? |', '|---|---:|---:|---|');
      for (const c of row.checks) lines.push(`| ${c.what} | ${c.expected} | ${c.actual} | ${c.actual === c.expected ? 'yes' : '**NO**'} |`);
    }
  }
  if (r.loadAverage) {
    const la = (l: number[]) => l.map((x) => x.toFixed(2)).join(' / ');
    lines.push('', `Load average (1 / 5 / 15 min): ${la(r.loadAverage.start)} at the start, ${la(r.loadAverage.end)} at the end ` +
      `(${r.machine.cpus} CPUs; anything else running on the machine competes with the server, the database and autocannon).`);
  }
  for (const d of r.datasets ?? []) {
    lines.push('', `## Data set: ${d.title}`, '', `${d.description}.`, '');
    lines.push('| table (bench practice) | rows |', '|---|---:|');
    for (const [table, n] of Object.entries(d.counts)) lines.push(`| ${table} | ${n} |`);
  }
  const broken = r.rows.filter((row) => row.problems.length);
  if (broken.length) {
    lines.push('', '## ⚠ BENCHMARKS WITH ERRORS — these figures are not valid', '');
    for (const row of broken) lines.push(`- **${row.name}**: ${row.problems.join('; ')}`);
  }
  const missed = r.rows.filter((row) => row.met === false);
  if (missed.length) {
    lines.push('', '## Targets missed', '');
    for (const row of missed) lines.push(`- **${row.name}**`);
  }
  return lines.join('\n') + '\n';
}

export async function writeReport(r: BenchReport, dir: string): Promise<{ json: string; md: string }> {
  await fs.mkdir(dir, { recursive: true });
  const json = path.join(dir, 'latest.json');
  const md = path.join(dir, 'latest.md');
  await fs.writeFile(json, JSON.stringify(r, null, 2) + '\n');
  await fs.writeFile(md, renderMarkdown(r));
  return { json, md };
}
