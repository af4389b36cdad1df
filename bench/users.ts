/**
 * "N concurrent users" as users: N virtual users who each send a request, wait for the
 * answer, then think for a random while before the next one (a closed loop with think
 * time), instead of N connections that are never idle (autocannon, http.ts), which is a
 * saturation test.
 *
 * The users run in a worker thread (users-worker.mjs), off the server's event loop,
 * with Node's built-in fetch (undici) and keep-alive. Latencies are taken with
 * performance.now() around each request (to the last byte of the body); p50 and p99
 * are exact nearest-rank percentiles of the sorted 2xx latencies.
 */
import { Worker } from 'node:worker_threads';
import { percentile } from './baselines.ts';
import type { BenchFigures } from './http.ts';

export interface UserSettings {
  users: number;
  thinkMinMs: number;
  thinkMaxMs: number;
  seconds: number;
  warmupSeconds: number;
}

export interface UserLoadOptions extends UserSettings {
  id: string;
  name: string;
  /** http://host:port */
  origin: string;
  /** Paths each user requests in turn, round and round (user i starts at path i mod n). */
  paths: string[];
  headers?: Record<string, string>;
  /** A request that has not answered after this long counts as an error. Default 10 s. */
  timeoutMs?: number;
  note?: string;
}

interface WorkerResult {
  latenciesMs: number[];
  statusCodes: Record<string, number>;
  ok: number;
  non2xx: number;
  errors: number;
  errorMessages: Record<string, number>;
  warmupRequests: number;
  connectionsOpened: number;
  windowSeconds: number;
}

const WORKER_URL = new URL('./users-worker.mjs', import.meta.url);

function runWorker(o: UserLoadOptions): Promise<WorkerResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_URL, {
      execArgv: [], // plain JavaScript: no tsx loader needed in the worker
      workerData: {
        origin: o.origin,
        paths: o.paths,
        headers: o.headers ?? {},
        users: o.users,
        thinkMinMs: o.thinkMinMs,
        thinkMaxMs: o.thinkMaxMs,
        warmupSeconds: o.warmupSeconds,
        seconds: o.seconds,
        timeoutMs: o.timeoutMs ?? 10_000,
      },
    });
    let result: WorkerResult | undefined;
    worker.once('message', (m: WorkerResult) => { result = m; });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (result) resolve(result);
      else reject(new Error(`the virtual-user worker exited with code ${code} before reporting`));
    });
  });
}

/** Runs the virtual users against one route and reduces what they saw to BenchFigures. */
export async function userLoad(o: UserLoadOptions): Promise<BenchFigures> {
  if (o.paths.length === 0) throw new Error('userLoad needs at least one path');
  const r = await runWorker(o);
  const sorted = Float64Array.from(r.latenciesMs).sort();
  const latencies = Array.from(sorted);
  const failures = Object.entries(r.errorMessages).map(([m, n]) => `${n}× ${m}`).join('; ');
  const detail = `${r.ok} measured 2xx responses (+${r.warmupRequests} in the warm-up), ` +
    `${r.connectionsOpened} TCP connection${r.connectionsOpened === 1 ? '' : 's'} opened in all (keep-alive)` +
    (failures ? `; failures: ${failures}` : '');
  return {
    id: o.id,
    name: o.name,
    // 2xx responses to requests started in the measured window, over the window.
    requestsPerSecond: r.windowSeconds > 0 ? r.ok / r.windowSeconds : 0,
    p50Ms: percentile(latencies, 0.5),
    p95Ms: percentile(latencies, 0.95),
    p99Ms: percentile(latencies, 0.99),
    ok: r.ok,
    non2xx: r.non2xx,
    errors: r.errors,
    statusCodes: r.statusCodes,
    durationSeconds: r.windowSeconds,
    connections: o.users,
    users: o.users,
    thinkTimeMs: [o.thinkMinMs, o.thinkMaxMs],
    note: o.note ? `${o.note}; ${detail}` : detail,
  };
}
