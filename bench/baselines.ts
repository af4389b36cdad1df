import { performance } from 'node:perf_hooks';
import Fastify from 'fastify';
import pg from 'pg';
import { loadTest, type BenchFigures } from './http.ts';

/** The value below which `fraction` of the sorted samples lie (nearest rank). */
export function percentile(sorted: number[], fraction: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1));
  return sorted[rank]!;
}

/**
 * Baseline A: what this PostgreSQL does with single-row autocommit INSERTs into a
 * normal (logged, WAL-synced) table, `concurrency` at a time. Every audited request
 * writes at least one row, so this is the ceiling to compare them with.
 */
export async function insertBaseline(databaseUrl: string, opts: { concurrency: number; seconds: number; id?: string }): Promise<BenchFigures> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: opts.concurrency });
  const latencies: number[] = [];
  let errors = 0;
  try {
    await pool.query('drop table if exists bench_insert');
    await pool.query('create table bench_insert (id bigserial primary key, at timestamptz not null default now(), payload text)');
    // Open every connection before the clock starts.
    const clients = await Promise.all(Array.from({ length: opts.concurrency }, () => pool.connect()));
    clients.forEach((c) => c.release());

    const payload = 'x'.repeat(200);
    const insert = { name: 'bench_insert', text: 'insert into bench_insert (payload) values ($1)', values: [payload] };
    const loop = async (until: number, measure: boolean) => {
      while (performance.now() < until) {
        const t0 = performance.now();
        try {
          await pool.query(insert);
          if (measure) latencies.push(performance.now() - t0);
        } catch {
          if (measure) errors++;
        }
      }
    };
    const loops = (until: number, measure: boolean) =>
      Promise.all(Array.from({ length: opts.concurrency }, () => loop(until, measure)));
    await loops(performance.now() + 500, false); // warm-up: prepared statements, WAL, caches
    const measuredFrom = performance.now();
    await loops(measuredFrom + opts.seconds * 1000, true);
    const elapsed = (performance.now() - measuredFrom) / 1000;
    latencies.sort((a, b) => a - b);
    return {
      id: opts.id ?? 'baseline.pg-insert',
      name: `Baseline A: PostgreSQL single-row INSERT (autocommit)${opts.id ? `, ${opts.concurrency} concurrent` : ''}`,
      requestsPerSecond: latencies.length / elapsed,
      p50Ms: percentile(latencies, 0.5),
      p95Ms: percentile(latencies, 0.95),
      p99Ms: percentile(latencies, 0.99),
      ok: latencies.length,
      non2xx: 0,
      errors,
      durationSeconds: elapsed,
      connections: opts.concurrency,
      // A second baseline (another concurrency) is its own reference, not a fraction of the first.
      ...(opts.id ? { baselineId: opts.id } : {}),
      note: `${opts.concurrency} concurrent loops on a pg.Pool of ${opts.concurrency}, logged table`,
    };
  } finally {
    await pool.query('drop table if exists bench_insert').catch(() => {});
    await pool.end();
  }
}

/** Baseline B: Fastify with one route and nothing else, on this machine, in this process. */
export async function bareFastifyBaseline(opts: { connections: number; seconds: number; warmupSeconds: number; workers: number }): Promise<BenchFigures> {
  const app = Fastify({ logger: false });
  app.get('/bare', async () => ({ ok: true }));
  await app.listen({ port: 0, host: '127.0.0.1' });
  try {
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    return await loadTest({
      id: 'baseline.bare-fastify',
      name: 'Baseline B: bare Fastify GET /bare',
      url: `http://127.0.0.1:${port}/bare`,
      connections: opts.connections,
      seconds: opts.seconds,
      warmupSeconds: opts.warmupSeconds,
      workers: opts.workers,
    });
  } finally {
    await app.close();
  }
}
