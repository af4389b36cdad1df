/**
 * Where the CPU goes during a benchmark window, on Linux, from /proc: the server's main
 * thread (the Node event loop that runs Fastify, Kysely and pg), the load generator's
 * worker thread, Node's other threads (garbage collection, libuv), every PostgreSQL
 * process (backends and background workers, found through pg_stat_activity), and the
 * machine as a whole (so that other work on it shows). Divided by the requests served
 * in the window, that is CPU milliseconds per request, which says what the throughput
 * can be on this many cores. Elsewhere (or with a remote PostgreSQL) the parts that
 * cannot be read are left out.
 */
import fs from 'node:fs';
import os from 'node:os';
import { performance, type EventLoopUtilization } from 'node:perf_hooks';
import pg from 'pg';

const TICK_MS = 10; // USER_HZ is 100 on Linux

export interface CpuSnapshot {
  atMs: number;
  /** thread id → CPU ms, for this process's threads. */
  threads: Map<number, number> | null;
  /** pid → [backend_type, CPU ms] for the PostgreSQL processes. */
  postgres: Map<number, [string, number]> | null;
  /** The whole machine: busy and total CPU ms (all cores), steal included in total. */
  machine: { busyMs: number; totalMs: number; stealMs: number } | null;
  elu: EventLoopUtilization;
}

function statCpuMs(path: string): number | null {
  try {
    const text = fs.readFileSync(path, 'utf8');
    // comm may contain spaces: fields start after the last ')'.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS; // utime, stime
  } catch {
    return null;
  }
}

function threadTimes(): Map<number, number> | null {
  try {
    const out = new Map<number, number>();
    for (const tid of fs.readdirSync('/proc/self/task')) {
      const ms = statCpuMs(`/proc/self/task/${tid}/stat`);
      if (ms !== null) out.set(Number(tid), ms);
    }
    return out;
  } catch {
    return null;
  }
}

function machineTimes(): CpuSnapshot['machine'] {
  try {
    const line = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
    const [, ...v] = line.trim().split(/\s+/);
    const n = v.map(Number);
    const total = n.slice(0, 8).reduce((a, b) => a + b, 0);
    const idle = (n[3] ?? 0) + (n[4] ?? 0);
    return { busyMs: (total - idle) * TICK_MS, totalMs: total * TICK_MS, stealMs: (n[7] ?? 0) * TICK_MS };
  } catch {
    return null;
  }
}

/** Reads PostgreSQL's process list through one connection of its own (opened once). */
export class CpuProbe {
  private constructor(private readonly client: pg.Client | null) {}

  static async open(databaseUrl: string): Promise<CpuProbe> {
    if (!fs.existsSync('/proc/self/task')) return new CpuProbe(null);
    const client = new pg.Client({ connectionString: databaseUrl, application_name: 'holdspace-bench-cpu' });
    await client.connect();
    return new CpuProbe(client);
  }

  async snapshot(): Promise<CpuSnapshot> {
    let postgres: CpuSnapshot['postgres'] = null;
    if (this.client) {
      const rows = (await this.client.query<{ pid: number; backend_type: string }>('select pid, backend_type from pg_stat_activity')).rows;
      postgres = new Map();
      for (const r of rows) {
        const ms = statCpuMs(`/proc/${r.pid}/stat`);
        if (ms !== null) postgres.set(r.pid, [r.backend_type, ms]);
      }
      if (postgres.size === 0) postgres = null; // not on this machine
    }
    return { atMs: performance.now(), threads: threadTimes(), postgres, machine: machineTimes(), elu: performance.eventLoopUtilization() };
  }

  async close(): Promise<void> {
    await this.client?.end();
  }
}

export interface CpuBreakdown {
  seconds: number;
  requests: number;
  /** CPU ms per request. */
  perRequest: { serverMainThread: number; generator: number | null; nodeOtherThreads: number; postgres: number | null; machine: number | null };
  /** Of the cores, how busy (0–cores). */
  cores: { serverMainThread: number; generator: number | null; nodeOtherThreads: number; postgres: number | null; machine: number | null; steal: number | null };
  /** The server's event loop utilisation (0–1) over the window. */
  serverEventLoop: number;
  /** PostgreSQL CPU ms per request by process kind (client backend, walwriter, …). */
  postgresByKind: Record<string, number>;
}

/**
 * The window between two snapshots. `generatorTid`: the load generator's thread (its
 * /proc/thread-self), counted apart from the server's threads.
 */
export function cpuBetween(a: CpuSnapshot, b: CpuSnapshot, requests: number, generatorTid: number | null): CpuBreakdown {
  const seconds = (b.atMs - a.atMs) / 1000;
  const wallMs = b.atMs - a.atMs;
  const per = (ms: number) => (requests > 0 ? ms / requests : NaN);
  const thread = (tid: number) => (b.threads?.get(tid) ?? 0) - (a.threads?.get(tid) ?? 0);
  const mainTid = process.pid;
  let allThreads = 0;
  for (const [tid, ms] of b.threads ?? []) allThreads += ms - (a.threads?.get(tid) ?? 0);
  const main = thread(mainTid);
  const gen = generatorTid !== null && b.threads?.has(generatorTid) ? thread(generatorTid) : null;
  const other = allThreads - main - (gen ?? 0);
  let pgMs: number | null = null;
  const byKind: Record<string, number> = {};
  if (a.postgres && b.postgres) {
    pgMs = 0;
    for (const [pid, [kind, ms]] of b.postgres) {
      const before = a.postgres.get(pid)?.[1];
      if (before === undefined) continue; // started during the window: its earlier CPU is unknown
      pgMs += ms - before;
      byKind[kind] = (byKind[kind] ?? 0) + (ms - before);
    }
  }
  const machine = a.machine && b.machine ? { busy: b.machine.busyMs - a.machine.busyMs, steal: b.machine.stealMs - a.machine.stealMs } : null;
  const elu = performance.eventLoopUtilization(b.elu, a.elu).utilization;
  return {
    seconds,
    requests,
    perRequest: {
      serverMainThread: per(main), generator: gen === null ? null : per(gen), nodeOtherThreads: per(other),
      postgres: pgMs === null ? null : per(pgMs), machine: machine ? per(machine.busy) : null,
    },
    cores: {
      serverMainThread: main / wallMs, generator: gen === null ? null : gen / wallMs, nodeOtherThreads: other / wallMs,
      postgres: pgMs === null ? null : pgMs / wallMs, machine: machine ? machine.busy / wallMs : null, steal: machine ? machine.steal / wallMs : null,
    },
    serverEventLoop: elu,
    postgresByKind: Object.fromEntries(Object.entries(byKind).map(([k, ms]) => [k, per(ms)])),
  };
}

/** One line for a report. */
export function describeCpu(c: CpuBreakdown): string {
  const f = (n: number | null, d = 2) => (n === null || !Number.isFinite(n) ? 'n/a' : n.toFixed(d));
  const p = c.perRequest;
  const k = c.cores;
  const accounted = p.serverMainThread + (p.generator ?? 0) + p.nodeOtherThreads + (p.postgres ?? 0);
  const kinds = Object.entries(c.postgresByKind).sort(([, x], [, y]) => y - x).filter(([, ms]) => ms >= 0.01)
    .map(([kind, ms]) => `${kind} ${f(ms)}`).join(', ');
  const others = k.machine === null ? null : k.machine - k.serverMainThread - (k.generator ?? 0) - k.nodeOtherThreads - (k.postgres ?? 0);
  return `CPU per request over ${f(c.seconds, 1)} s (${c.requests} requests; /proc, 10 ms ticks): server main thread ${f(p.serverMainThread)} ms ` +
    `(event loop ${(c.serverEventLoop * 100).toFixed(0)}% busy), Node's other threads (GC, libuv) ${f(p.nodeOtherThreads)} ms, ` +
    `PostgreSQL ${f(p.postgres)} ms${kinds ? ` (${kinds})` : ''}, load generator ${f(p.generator)} ms; ` +
    `${f(accounted)} ms accounted, whole machine ${f(p.machine)} ms. Cores busy: server ${f(k.serverMainThread)}, Node other ${f(k.nodeOtherThreads)}, ` +
    `PostgreSQL ${f(k.postgres)}, generator ${f(k.generator)}, machine ${f(k.machine)} of ${os.cpus().length}` +
    (k.steal !== null && k.steal > 0.01 ? ` (steal ${f(k.steal)})` : '') +
    (others !== null ? `; other processes on the machine took ${f(others)} cores` +
      (others > 0.25 ? ' — THE MACHINE WAS SHARED: these latencies are worse than this code on its own' : '') : '');
}
