// Traces one press: every query the server issues, with its duration.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { loadConfig } from '../src/server/config.ts';
import { startServer } from '../src/server/main.ts';
import { seedEmergencyPractice, signInEveryone, PROTOCOL_KEY } from './emergency.bench.ts';

let tracing = false;
const trace: { t0: number; ms: number; text: string; app: string }[] = [];
const origQuery = pg.Client.prototype.query as any;
(pg.Client.prototype as any).query = function (this: any, config: any, values: any, cb: any) {
  if (!tracing) return origQuery.call(this, config, values, cb);
  const text = typeof config === 'string' ? config : config?.text;
  const t0 = performance.now();
  const app = this.connectionParameters?.application_name ?? '';
  const r = origQuery.call(this, config, values, cb);
  if (r && typeof r.then === 'function') r.then(() => trace.push({ t0, ms: performance.now() - t0, text: String(text).replace(/\s+/g, ' ').slice(0, 110), app }), () => {});
  return r;
};

const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'holdspace-bench-dbg-'));
await fs.chmod(dataDir, 0o755);
const server = await startServer(loadConfig({ PORT: '0', HOST: '127.0.0.1', HOLDSPACE_LOG_LEVEL: 'silent', HOLDSPACE_DATA_DIR: dataDir }), console.error);
try {
  {
    const c = new pg.Client({ connectionString: server.databaseUrl });
    await c.connect();
    await c.query('create table if not exists rt (id bigserial primary key, payload text)');
    for (const [label, text, vals] of [['select 1', 'select 1', []], ['insert autocommit', 'insert into rt (payload) values ($1)', ['x'.repeat(200)]]] as const) {
      const l: number[] = [];
      for (let i = 0; i < 1000; i++) { const t = performance.now(); await c.query(text, vals as any); l.push(performance.now() - t); }
      l.sort((a, b) => a - b);
      console.log(`${label}: sequential p50 ${l[500]!.toFixed(3)} ms p90 ${l[900]!.toFixed(3)} ms`);
    }
    await c.query('begin');
    const l: number[] = [];
    for (let i = 0; i < 1000; i++) { const t = performance.now(); await c.query('insert into rt (payload) values ($1)', ['x']); l.push(performance.now() - t); }
    await c.query('commit');
    l.sort((a, b) => a - b);
    console.log(`insert inside a transaction: sequential p50 ${l[500]!.toFixed(3)} ms p90 ${l[900]!.toFixed(3)} ms`);
    await c.end();
  }
  const er = await seedEmergencyPractice(server.databaseUrl);
  const creds = await signInEveryone(server.url, er);
  const press = async (i: number) => {
    const c = er.clinicians[i % 50]!;
    const cr = creds.get(c.id)!;
    const t0 = performance.now();
    const res = await fetch(`${server.url}/api/incidents`, { method: 'POST', headers: { 'content-type': 'application/json', cookie: cr.cookie, 'x-csrf-token': cr.csrf },
      body: JSON.stringify({ id: randomUUID(), runId: randomUUID(), clientId: c.clientIds[i % 20], protocolKey: PROTOCOL_KEY }) });
    await res.text();
    return { status: res.status, ms: performance.now() - t0, t0 };
  };
  for (let i = 0; i < 200; i++) await press(i); // warm up
  const lat = [];
  for (let i = 0; i < 100; i++) lat.push((await press(i)).ms);
  lat.sort((a, b) => a - b);
  console.log(`sequential presses: p50 ${lat[50]!.toFixed(2)} ms, p90 ${lat[90]!.toFixed(2)} min ${lat[0]!.toFixed(2)}`);
  await new Promise((r) => setTimeout(r, 500));
  tracing = true;
  const one = await press(7);
  await new Promise((r) => setTimeout(r, 300));
  tracing = false;
  console.log(`traced press: ${one.status} in ${one.ms.toFixed(2)} ms`);
  for (const q of trace.sort((a, b) => a.t0 - b.t0)) console.log(`${(q.t0 - one.t0).toFixed(2).padStart(7)} +${q.ms.toFixed(2).padStart(6)} ms [${q.app}] ${q.text}`);
  const r = await new pg.Client({ connectionString: server.databaseUrl });
  await r.connect();
  const sz = await r.query(`select avg(pg_column_size(state))::int as state_bytes, avg(length(state::text))::int as state_chars from protocol_runs`);
  console.log('protocol_runs.state size', sz.rows[0]);
  await r.end();
} finally {
  await server.stop();
  await fs.rm(dataDir, { recursive: true, force: true });
}
