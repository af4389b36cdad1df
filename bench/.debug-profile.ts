// Profiles the press: pg_stat_statements per press (needs DATABASE_URL to a PG with it loaded).
import pg from 'pg';
import { loadConfig } from '../src/server/config.ts';
import { startServer } from '../src/server/main.ts';
import { emergencyPressLoad, pressOnce, seedEmergencyPractice, signInEveryone } from './emergency.bench.ts';

const url = process.env.DATABASE_URL!;
const pool = process.env.POOL ?? '20';
const seconds = Number(process.env.SECONDS_ ?? 8);
const server = await startServer(loadConfig({ PORT: '0', HOST: '127.0.0.1', HOLDSPACE_LOG_LEVEL: 'silent', DATABASE_URL: url, HOLDSPACE_DB_POOL_SIZE: pool }), console.error);
const c = new pg.Client({ connectionString: url });
await c.connect();
try {
  const er = await seedEmergencyPractice(url);
  const creds = await signInEveryone(server.url, er);
  await pressOnce(server.url, er.clinicians[0]!, creds.get(er.clinicians[0]!.id)!);
  await c.query('select pg_stat_statements_reset()');
  const f = await emergencyPressLoad(server.url, url, er, creds, { seconds, warmupSeconds: 1, poolSize: Number(pool), baselineId: 'x' });
  console.log(`${f.requestsPerSecond.toFixed(1)}/s p50 ${f.p50Ms.toFixed(1)} p99 ${f.p99Ms.toFixed(1)}`);
  for (const d of f.details ?? []) console.log(d);
  const presses = f.checks![0]!.expected;
  const r = await c.query(`select calls, round((total_exec_time)::numeric, 1) exec_ms, round(total_plan_time::numeric, 1) plan_ms,
      round(((total_exec_time + total_plan_time) / $1)::numeric, 3) ms_per_press, round((calls::numeric / $1::numeric), 2) calls_per_press,
      round((total_exec_time / greatest(calls,1))::numeric, 3) exec_each, round((total_plan_time / greatest(calls,1))::numeric, 3) plan_each,
      regexp_replace(left(query, 150), '\\s+', ' ', 'g') q
    from pg_stat_statements where dbid = (select oid from pg_database where datname = current_database()) order by total_exec_time + total_plan_time desc limit 45`, [presses]);
  console.log('presses (incl warm-up):', presses);
  console.table(r.rows);
  const t = await c.query(`select round(sum(total_exec_time + total_plan_time)::numeric / $1::numeric, 3) total_ms_per_press, round(sum(calls)::numeric / $1::numeric, 2) calls_per_press,
     round(sum(total_plan_time)::numeric / $1::numeric, 3) plan_ms_per_press from pg_stat_statements where dbid = (select oid from pg_database where datname = current_database())`, [presses]);
  console.table(t.rows);
} finally {
  await c.end();
  await server.stop();
}
