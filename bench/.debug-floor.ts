// The database floor of one press: the same rows written by one SQL function call per press, 50 at a time, no HTTP, no Node app code.
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { percentile, insertBaseline } from './baselines.ts';
import { CpuProbe, cpuBetween, describeCpu } from './cpu.ts';

const url = process.env.DATABASE_URL!;
const conc = Number(process.env.CONC ?? 50);
const c = new pg.Client({ connectionString: url });
await c.connect();
await c.query(`
create or replace function bench_open_incident(p_practice uuid, p_incident uuid, p_run uuid, p_client uuid, p_user uuid, p_state jsonb)
returns table (page_id uuid, notified uuid[]) language plpgsql as $$
declare
  v_page uuid := gen_random_uuid();
  v_at timestamptz := now();
  v_sup uuid[];
  v_seq bigint;
begin
  insert into incidents (practice_id, id, client_id, protocol_key, discreet, opened_by, opened_at) values (p_practice, p_incident, p_client, 'imminent-risk-to-self', false, p_user, v_at);
  insert into protocol_runs (practice_id, id, incident_id, protocol_key, protocol_version, state, status, started_at, started_by) values (p_practice, p_run, p_incident, 'imminent-risk-to-self', 1, p_state, 'open', v_at, p_user);
  select array_agg(supervisor_id) into v_sup from supervision where practice_id = p_practice and clinician_id = p_user;
  insert into pages (practice_id, id, incident_id, requested_by, reason, created_at, status, level, round, next_escalation_at)
    values (p_practice, v_page, p_incident, p_user, 'Imminent risk to self', v_at, 'open', 0, 1, v_at + interval '2 minutes');
  insert into page_recipients (practice_id, page_id, user_id, level, round, notified_at) select p_practice, v_page, u, 0, 1, v_at from unnest(v_sup) u;
  insert into incident_timeline (practice_id, incident_id, at, actor_user_id, run_id, step_id, kind, what) values
    (p_practice, p_incident, v_at, p_user, null, null, 'incident', 'Incident opened: Imminent risk to self'),
    (p_practice, p_incident, v_at, p_user, p_run, null, 'protocol', 'Started protocol: Imminent risk to self (v1)'),
    (p_practice, p_incident, v_at, p_user, null, null, 'page', 'Paged Bench ER Supervisor 01 (supervisor), level 1 of 3, round 1 of 2');
  insert into pgboss.job (id, name, data, start_after, singleton_key, policy, retry_limit, retry_delay, retry_backoff, expire_in)
    values (gen_random_uuid(), 'page-escalation', jsonb_build_object('practiceId', p_practice, 'pageId', v_page, 'level', 0, 'round', 1),
            v_at + interval '2 minutes', 'page-escalation:' || v_page || ':0:1', 'short', 5, 5, true, interval '60 seconds');
  with e as (insert into audit_events (practice_id, at, actor_user_id, actor_role, action, resource_type, resource_id, client_id, ip, outcome, detail)
    values (p_practice, v_at, p_user, 'clinician', 'pages.request', 'page', v_page::text, p_client, null, 'success', '{"incidentId":"x","step":{"level":0,"round":1},"skipped":[],"notifiedUserIds":["x"],"nextEscalationAt":"x"}'),
           (p_practice, v_at, p_user, 'clinician', 'incident.open', 'incident', p_incident::text, p_client, '127.0.0.1', 'success', '{"protocol":"imminent-risk-to-self","version":1,"runId":"x","sessionId":null,"paged":["x"]}')
    returning practice_id, seq)
  insert into audit_pending (practice_id, seq) select practice_id, seq from e;
  return query select v_page, v_sup;
end $$;`);
const { rows: [ctx] } = await c.query(`select r.practice_id, r.state, i.opened_by, i.client_id from protocol_runs r join incidents i on i.practice_id = r.practice_id and i.id = r.incident_id limit 1`);
const clinicians = (await c.query(`select u.id, array(select client_id from client_clinicians cc where cc.practice_id = u.practice_id and cc.clinician_id = u.id) clients from users u where u.practice_id = $1 and role = 'clinician'`, [ctx.practice_id])).rows;
const base = await insertBaseline(url, { concurrency: conc, seconds: 5, id: 'x' });
console.log(`raw insert at ${conc}: ${base.requestsPerSecond.toFixed(0)}/s p50 ${base.p50Ms.toFixed(2)} p99 ${base.p99Ms.toFixed(2)}`);
for (const mode of ['one call (plpgsql)', 'one call, unnamed each time']) {
  const pool = new pg.Pool({ connectionString: url, max: conc });
  await Promise.all(Array.from({ length: conc }, () => pool.connect())).then((cs) => cs.forEach((x) => x.release()));
  const lat: number[] = [];
  const probe = await CpuProbe.open(url);
  const loop = async (i: number, until: number, measure: boolean) => {
    const k = clinicians[i % clinicians.length];
    let j = 0;
    while (performance.now() < until) {
      const t0 = performance.now();
      const values = [ctx.practice_id, randomUUID(), randomUUID(), k.clients[j++ % k.clients.length], k.id, ctx.state];
      await pool.query(mode.startsWith('one call (') ? { name: 'press', text: 'select * from bench_open_incident($1, $2, $3, $4, $5, $6)', values } : { text: 'select * from bench_open_incident($1, $2, $3, $4, $5, $6)', values });
      if (measure) lat.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: conc }, (_, i) => loop(i, performance.now() + 1000, false)));
  const a = await probe.snapshot();
  const t0 = performance.now();
  await Promise.all(Array.from({ length: conc }, (_, i) => loop(i, t0 + 6000, true)));
  const b = await probe.snapshot();
  const secs = (performance.now() - t0) / 1000;
  lat.sort((x, y) => x - y);
  console.log(`${mode}, ${conc} concurrent: ${(lat.length / secs).toFixed(0)}/s p50 ${percentile(lat, 0.5).toFixed(2)} p99 ${percentile(lat, 0.99).toFixed(2)} ratio ${((lat.length / secs) / base.requestsPerSecond).toFixed(3)}`);
  console.log('  ' + describeCpu(cpuBetween(a, b, lat.length, null)));
  await probe.close();
  await pool.end();
}
await c.query(`delete from pgboss.job where name = 'page-escalation' and state = 'created'`);
await c.end();
