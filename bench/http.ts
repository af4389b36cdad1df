import autocannon from 'autocannon';

/** One benchmark's figures, whatever produced them. */
export interface BenchFigures {
  id: string;
  name: string;
  /** Requests (or inserts) per second. */
  requestsPerSecond: number;
  p50Ms: number;
  /** When the generator keeps every latency (not autocannon, whose histogram has no p95). */
  p95Ms?: number;
  p99Ms: number;
  /** Requests that completed with a 2xx. */
  ok: number;
  /** Completed requests with any other status. */
  non2xx: number;
  /** Connection errors and timeouts (autocannon), or failed queries (pg). */
  errors: number;
  /** Status code → count, when known. */
  statusCodes?: Record<string, number>;
  durationSeconds: number;
  /** Autocannon connections (always busy), or, for a virtual-user run, the number of users. */
  connections: number;
  /** Set for virtual-user runs (users.ts): how many users. */
  users?: number;
  /** Set for virtual-user runs (users.ts): each user's think time between requests, uniform [min, max] ms. */
  thinkTimeMs?: [number, number];
  note?: string;
  /**
   * The raw-insert baseline (a BenchFigures id) whose rate this row's rate is compared
   * with; default 'baseline.pg-insert'. Rows are compared at the same concurrency;
   * null: not compared (e.g. a single connection, which no baseline matches).
   */
  baselineId?: string | null;
  /**
   * Set for open-loop runs, which send at a fixed rate whatever the answers: the rate
   * offered (per second). Their rate is the generator's, not a capacity: no ratio.
   */
  offeredRate?: number;
  /** The slowest single latency, when the generator keeps them all (a deadline target reads it). */
  maxMs?: number;
  /** For a scaling row: the largest cost per item over the smallest, across the sizes measured. */
  costRatio?: number;
  /** What was verified after the run (e.g. rows committed against 201 answers); any that fails invalidates the row. */
  checks?: BenchCheck[];
  /** Further figures printed under the table, one line each. */
  details?: string[];
}

/** A count verified after a run: `actual` must equal `expected`. */
export interface BenchCheck {
  what: string;
  expected: number;
  actual: number;
}

export interface LoadOptions {
  id: string;
  name: string;
  url: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  /**
   * Paths (on url's origin) that each connection requests in turn, round and round,
   * instead of url's own path. Plain data, so it also works with worker threads.
   */
  paths?: string[];
  connections: number;
  seconds: number;
  /** Seconds of unmeasured load first, so the JIT and pools are warm. */
  warmupSeconds?: number;
  /** Autocannon worker threads; 0 fires requests from this (the server's) thread. */
  workers: number;
  note?: string;
}

/** Hammers one route with autocannon and reduces the result to BenchFigures. */
export async function loadTest(o: LoadOptions): Promise<BenchFigures> {
  const base = {
    url: o.url,
    method: o.method ?? 'GET',
    headers: o.headers ?? {},
    ...(o.body !== undefined ? { body: o.body } : {}),
    ...(o.paths && o.paths.length > 0 ? { requests: o.paths.map((p) => ({ method: o.method ?? 'GET', path: p })) } : {}),
    connections: o.connections,
    ...(o.workers > 0 ? { workers: o.workers } : {}),
  } satisfies autocannon.Options;
  if (o.warmupSeconds && o.warmupSeconds > 0) {
    await autocannon({ ...base, duration: o.warmupSeconds });
  }
  const r = await autocannon({ ...base, duration: o.seconds });
  const statusCodes: Record<string, number> = {};
  for (const [code, stat] of Object.entries(r.statusCodeStats ?? {})) {
    statusCodes[code] = (stat as { count?: number }).count ?? 0;
  }
  return {
    id: o.id,
    name: o.name,
    // Completed 2xx responses over the measured time; autocannon's per-second
    // average would also count failures.
    requestsPerSecond: r.duration > 0 ? r['2xx'] / r.duration : 0,
    p50Ms: r.latency.p50,
    p99Ms: r.latency.p99,
    ok: r['2xx'],
    non2xx: r.non2xx,
    errors: r.errors,
    statusCodes,
    durationSeconds: r.duration,
    connections: o.connections,
    ...(o.note !== undefined ? { note: o.note } : {}),
  };
}
