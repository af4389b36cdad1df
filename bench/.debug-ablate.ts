// What each part of a press costs PostgreSQL: the press as one plpgsql call, parts switched off, sequential on one connection; backend CPU from /proc.
import fs from 'node:fs';
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import pg from 'pg';

const url = process.env.DATABASE_URL!;
const c = new pg.Client({ connectionString: url });
await c.connect();
await c.query(`
create or replace function bench_press_parts(p_practice uuid, p_incident uuid, p_run uuid, p_client uuid, p_user uuid, p_state jsonb,
  f_run bool, f_page bool, f_timeline bool, f_job bool, f_audit bool)
returns uuid language plpgsql as $$
declare
  v_page uuid := gen_random_uuid();
  v_at timestamptz := now();
  v_sup uuid[];
begin
  insert into incidents (practice_id, id, client_id, protocol_key, discreet, opened_by, opened_at) values (p_practice, p_incident, p_client, 'imminent-risk-to-self', false, p_user, v_at);
  if f_run then insert into protocol_runs (practice_id, id, incident_id, protocol_key, protocol_version, state, status, started_at, started_by) values (p_practice, p_run, p_incident, 'imminent-risk-to-self', 1, p_state, 'open', v_at, p_user); end if;
  if f_page then
    select array_agg(supervisor_id) into v_sup from supervision where practice_id = p_practice and clinician_id = p_user;
    insert into pages (practice_id, id, incident_id, requested_by, reason, created_at, status, level, round, next_escalation_at)
      values (p_practice, v_page, p_incident, p_user, 'Imminent risk to self', v_at, 'open', 0, 1, v_at + interval '2 minutes');
    insert into page_recipients (practice_id, page_id, user_id, level, round, notified_at) select p_practice, v_page, u, 0, 1, v_at from unnest(v_sup) u;
  end if;
  if f_timeline then insert into incident_timeline (practice_id, incident_id, at, actor_user_id, run_id, step_id, kind, what) values
    (p_practice, p_incident, v_at, p_user, null, null, 'incident', 'Incident opened: Imminent risk to self'),
    (p_practice, p_incident, v_at, p_user, null, null, 'protocol', 'Started protocol: Imminent risk to self (v1)'),
    (p_practice, p_incident, v_at, p_user, null, null, 'page', 'Paged Bench ER Supervisor 01 (supervisor), level 1 of 3, round 1 of 2'); end if;
  if f_job then insert into pgboss.job (id, name, data, start_after, singleton_key, policy, retry_limit, retry_delay, retry_backoff, expire_in)
    values (gen_random_uuid(), 'page-escalation', jsonb_build_object('practiceId', p_practice, 'pageId', v_page, 'level', 0, 'round', 1),
            v_at + interval '2 minutes', 'page-escalation:' || v_page || ':0:1', 'short', 5, 5, true, interval '60 seconds'); end if;
  if f_audit then
  with e as (insert into audit_events (practice_id, at, actor_user_id, actor_role, action, resource_type, resource_id, client_id, ip, outcome, detail)
    values (p_practice, v_at, p_user, 'clinician', 'pages.request', 'page', v_page::text, p_client, null, 'success', '{"incidentId":"x","step":{"level":0,"round":1},"skipped":[],"notifiedUserIds":["x"],"nextEscalationAt":"x"}'),
           (p_practice, v_at, p_user, 'clinician', 'incident.open', 'incident', p_incident::text, p_client, '127.0.0.1', 'success', '{"protocol":"imminent-risk-to-self","version":1,"runId":"x","sessionId":null,"paged":["x"]}')
    returning practice_id, seq)
  insert into audit_pending (practice_id, seq) select practice_id, seq from e;
  end if;
  return v_page;
end $$;`);
const { rows: [ctx] } = await c.query(`select r.practice_id, r.state, i.opened_by, i.client_id from protocol_runs r join incidents i on i.practice_id = r.practice_id and i.id = r.incident_id limit 1`);
const small = JSON.stringify({ definition: { key: 'imminent-risk-to-self', version: 1 }, steps: {}, status: 'open' });
const pid = (await c.query('select pg_backend_pid() as p')).rows[0].p;
const cpu = () => { const t = fs.readFileSync(`/proc/${pid}/stat`, 'utf8'); const f = t.slice(t.lastIndexOf(')') + 2).split(' '); return (Number(f[11]) + Number(f[12])) * 10; };
const variants: [string, boolean[], string][] = [
  ['incident row only', [false, false, false, false, false], ctx.state],
  ['+ run (6 KB state)', [true, false, false, false, false], ctx.state],
  ['+ run (small state, definition by reference)', [true, false, false, false, false], small],
  ['+ run + page + recipient', [true, true, false, false, false], ctx.state],
  ['+ … + timeline (3 rows)', [true, true, true, false, false], ctx.state],
  ['+ … + pg-boss job', [true, true, true, true, false], ctx.state],
  ['full (+ 2 audit events)', [true, true, true, true, true], ctx.state],
  ['full, small state', [true, true, true, true, true], small],
];
const N = 1500;
await c.query({ name: 'p', text: 'select bench_press_parts($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11)', values: [ctx.practice_id, randomUUID(), randomUUID(), ctx.client_id, ctx.opened_by, small, false, false, false, false, false] });
for (let round = 0; round < 2; round++) for (const [label, f, state] of variants) {
  const c0 = cpu(); const t0 = performance.now();
  for (let i = 0; i < N; i++) await c.query({ name: 'p', text: 'select bench_press_parts($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11)', values: [ctx.practice_id, randomUUID(), randomUUID(), ctx.client_id, ctx.opened_by, state, ...f] });
  const wall = (performance.now() - t0) / N; const pgc = (cpu() - c0) / N;
  if (round === 1) console.log(`${label.padEnd(48)} backend CPU ${pgc.toFixed(3)} ms/press, wall ${wall.toFixed(3)} ms/press (sequential, autocommit)`);
}
await c.query(`delete from pgboss.job where name = 'page-escalation' and state = 'created'`);
await c.end();
