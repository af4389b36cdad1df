/**
 * Follow-up reminders (issue 5): "100,000 follow-ups falling due in the same minute are
 * all reminded within 60 s; the cost per task stays flat (within 1.5×) from 10,000 to
 * 1,000,000 scheduled tasks."
 *
 * A practice of its own, seeded straight into PostgreSQL (20 clinicians under one
 * supervisor, 1,000 clients). Tasks are written the way the app writes them: a
 * follow_up_tasks row with remind_at = due_at − 60 min, and its two pg-boss timers
 * (`remind` at remind_at, `overdue` at due_at) in the app's queue with the app's keys.
 * The server started by `npm run bench` runs its own follow-up timer worker
 * (src/modules/follow-ups/follow-up-timers.ts, batches of TIMER_BATCH_SIZE) with the real
 * clock; the benchmark only writes tasks and watches `reminded_at`.
 *
 * 1. Scale: with N tasks scheduled in all (N = 10k, 100k, 1M; the rest due in 30 days),
 *    10,000 of them fall due at once; cost per task = the time from the first reminder
 *    to the last over the number reminded (the worker's polling delay left out).
 *    Flatness = the largest cost per task over the smallest.
 * 2. The deadline: with the 1M still scheduled, 100,000 more fall due at random moments
 *    within the same minute; each one's lateness = reminded_at − remind_at; the target
 *    is on the worst.
 *
 * All names are synthetic ("Bench FU Client 0001"); no real person's data.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import pg from 'pg';
import { GENESIS_HASH } from '../src/modules/audit/audit.repository.ts';
import { FOLLOW_UP_TIMER_QUEUE } from '../src/modules/follow-ups/follow-up-timers.ts';
import { percentile } from './baselines.ts';
import type { BenchFigures } from './http.ts';

/** BENCH_FOLLOW_UP_DIVISOR (default 1) divides every count, for a quick trial of the benchmark itself. */
const divisor = Math.max(1, Math.round(Number(process.env.BENCH_FOLLOW_UP_DIVISOR ?? '1')) || 1);

export const FOLLOW_UP_BENCH = {
  clinicians: 20,
  clients: 1000,
  /** Tasks that fall due together in each scale step. */
  scaleDue: 10_000 / divisor,
  scales: [10_000 / divisor, 100_000 / divisor, 1_000_000 / divisor],
  /** Tasks falling due within the same minute in the deadline run. */
  deadlineDue: 100_000 / divisor,
  /** Trials at each size (the median counts). */
  trials: 3,
  /** Rows per INSERT statement while seeding. */
  chunk: 100_000,
} as const;

export interface FollowUpPractice {
  practiceId: string;
  clinicianIds: string[];
  clientIds: string[];
  seconds: number;
}

const progress = (line: string) => process.stderr.write(`[bench]   ${line}\n`);

export async function seedFollowUpPractice(databaseUrl: string): Promise<FollowUpPractice> {
  const t0 = Date.now();
  const tag = randomBytes(3).toString('hex');
  const practiceId = randomUUID();
  const client = new pg.Client({ connectionString: databaseUrl, application_name: 'holdspace-bench-seed' });
  await client.connect();
  const q = (text: string, values: unknown[] = []) => client.query(text, values);
  try {
    await q('begin');
    await q(`insert into practices (id, name, time_zone) values ($1, $2, 'America/Los_Angeles')`, [practiceId, `Bench Follow-up Practice ${tag}`]);
    await q(`insert into audit_heads (practice_id, position, hash) values ($1, 0, $2)`, [practiceId, GENESIS_HASH]);
    // Nobody signs in: the password hash is a placeholder that matches no password.
    await q(`insert into users (practice_id, id, email, name, role, password_hash)
             values ($1, gen_random_uuid(), format('bench.fu.%s.supervisor@example.test', $2::text), 'Bench FU Supervisor', 'supervisor', 'x')`, [practiceId, tag]);
    await q(`insert into users (practice_id, id, email, name, role, password_hash)
             select $1, gen_random_uuid(), format('bench.fu.%s.clinician%s@example.test', $2::text, lpad(n::text, 2, '0')),
                    format('Bench FU Clinician %s', lpad(n::text, 2, '0')), 'clinician', 'x'
             from generate_series(1, $3::int) n`, [practiceId, tag, FOLLOW_UP_BENCH.clinicians]);
    await q(`insert into supervision (practice_id, supervisor_id, clinician_id)
             select $1, s.id, c.id from users s join users c on c.practice_id = s.practice_id and c.role = 'clinician'
             where s.practice_id = $1 and s.role = 'supervisor'`, [practiceId]);
    await q(`insert into clients (practice_id, id, legal_name, risk_level)
             select $1, gen_random_uuid(), format('Bench FU Client %s', lpad(n::text, 4, '0')), 'moderate'
             from generate_series(1, $2::int) n`, [practiceId, FOLLOW_UP_BENCH.clients]);
    const clinicians = await q(`select id from users where practice_id = $1 and role = 'clinician' order by email`, [practiceId]);
    const clients = await q(`select id from clients where practice_id = $1 order by legal_name`, [practiceId]);
    await q(`insert into client_clinicians (practice_id, client_id, clinician_id)
             select $1, c.id, ($2::uuid[])[1 + (row_number() over (order by c.legal_name))::int % $3::int]
             from clients c where c.practice_id = $1`, [practiceId, clinicians.rows.map((r) => r.id), FOLLOW_UP_BENCH.clinicians]);
    await q('commit');
    return {
      practiceId, clinicianIds: clinicians.rows.map((r) => r.id as string), clientIds: clients.rows.map((r) => r.id as string),
      seconds: (Date.now() - t0) / 1000,
    };
  } catch (err) {
    await q('rollback').catch(() => {});
    throw err;
  } finally {
    await client.end();
  }
}

/**
 * Schedules `count` follow-ups whose reminders fall at random moments in
 * [remindFrom, remindFrom + spreadMs), each with its two timers, in chunks. Tagged with
 * `kind` so a round can be found again. Returns when committed.
 */
async function scheduleFollowUps(client: pg.Client, p: FollowUpPractice, o: { count: number; remindFrom: Date; spreadMs: number; kind: string }) {
  for (let done = 0; done < o.count; done += FOLLOW_UP_BENCH.chunk) {
    const n = Math.min(FOLLOW_UP_BENCH.chunk, o.count - done);
    await client.query(`
      with planned as (
        select g.n, ($2::uuid[])[1 + g.n % cardinality($2::uuid[])] as client_id, ($3::uuid[])[1 + g.n % cardinality($3::uuid[])] as assigned_to,
          $5::timestamptz + (random() * $6::float8) * interval '1 millisecond' as remind_at
        from generate_series(1, $4::int) as g(n)
      ), task as (
        insert into follow_up_tasks (practice_id, id, client_id, kind, title, due_at, assigned_to, source, remind_at, max_attempts)
        select $1, gen_random_uuid(), client_id, $7, 'Bench follow-up', remind_at + interval '60 minutes', assigned_to, 'manual', remind_at, 3
        from planned
        returning practice_id, id, remind_at, due_at
      )
      insert into pgboss.job (name, data, start_after, singleton_key, policy, retry_limit, retry_delay, retry_backoff, expire_in, keep_until)
      select $8, jsonb_build_object('practiceId', t.practice_id, 'taskId', t.id, 'scheduleVersion', 1, 'kind', k.kind),
        case k.kind when 'remind' then t.remind_at else t.due_at end,
        'follow-up:' || t.id || ':' || k.kind, 'short', 5, 5, true, interval '120 seconds',
        case k.kind when 'remind' then t.remind_at else t.due_at end + interval '14 days'
      from task t cross join (values ('remind'), ('overdue')) as k(kind)`,
    [p.practiceId, p.clientIds, p.clinicianIds, n, o.remindFrom, o.spreadMs, o.kind, FOLLOW_UP_TIMER_QUEUE]);
  }
}

/** firstAt/lastAt: the reminded_at of the first and last batch (a batch stamps its start); inLast: tasks in the last batch. */
interface Reminded { count: number; lateMs: number[]; firstAt: number; lastAt: number; inLast: number }

/** Waits until every task of this round is reminded (or the time runs out); returns each one's lateness. */
async function waitForReminders(client: pg.Client, p: FollowUpPractice, kind: string, expected: number, timeoutMs: number): Promise<Reminded> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = await client.query(`select count(*)::int as n from follow_up_tasks where practice_id = $1 and kind = $2 and reminded_at is not null`, [p.practiceId, kind]);
    if (r.rows[0].n >= expected || Date.now() > deadline) break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const rows = await client.query(`
    select extract(epoch from (reminded_at - remind_at)) * 1000 as late_ms, extract(epoch from reminded_at) * 1000 as at_ms
    from follow_up_tasks where practice_id = $1 and kind = $2 and reminded_at is not null`, [p.practiceId, kind]);
  const lateMs = rows.rows.map((r) => Number(r.late_ms)).sort((a, b) => a - b);
  const at = rows.rows.map((r) => Number(r.at_ms));
  const lastAt = Math.max(...at);
  return { count: rows.rows.length, lateMs, firstAt: Math.min(...at), lastAt, inLast: at.filter((t) => t === lastAt).length };
}

/** The round's tasks are done and their remaining timers gone, as completing them in the app does. */
async function completeRound(client: pg.Client, p: FollowUpPractice, kind: string) {
  // By key, as the app's cancelTimers does (pg-boss's own index on the queue's keys).
  const tasks = await client.query(`select id from follow_up_tasks where practice_id = $1 and kind = $2`, [p.practiceId, kind]);
  const keys = tasks.rows.flatMap((r) => [`follow-up:${r.id}:remind`, `follow-up:${r.id}:overdue`]);
  await client.query(`delete from pgboss.job where name = $1 and singleton_key = any($2::text[]) and state in ('created', 'retry')`, [FOLLOW_UP_TIMER_QUEUE, keys]);
  await client.query(`update follow_up_tasks set status = 'done', done_at = now() where practice_id = $1 and kind = $2`, [p.practiceId, kind]);
  // Vacuumed before the next trial, as at every size: otherwise the next trial races autovacuum
  // cleaning up this one (seen: 0.35 ms per task, then 1.9 and 2.1 at the same size).
  await client.query('vacuum (analyze) follow_up_tasks');
  await client.query('vacuum (analyze) pgboss.job');
  await checkpoint(client);
}

/**
 * Writes out what the seeding and the vacuum dirtied, so the next measurement does not pay
 * for a checkpoint of the bulk load (a running system spreads that over its day). Needs a
 * superuser (the embedded database's user is one); elsewhere the measurement goes on without.
 */
async function checkpoint(client: pg.Client): Promise<void> {
  await client.query('checkpoint').catch(() => undefined);
}

async function countNotifications(client: pg.Client, p: FollowUpPractice, kind: string): Promise<number> {
  const r = await client.query(`
    select count(*)::int as n from notifications n join follow_up_tasks t on t.practice_id = n.practice_id and t.id = n.follow_up_task_id
    where n.practice_id = $1 and t.kind = $2 and n.kind = 'follow_up.reminder'`, [p.practiceId, kind]);
  return r.rows[0].n;
}

async function scheduledCount(client: pg.Client, p: FollowUpPractice): Promise<number> {
  const r = await client.query(`select count(*)::int as n from follow_up_tasks where practice_id = $1 and status = 'open'`, [p.practiceId]);
  return r.rows[0].n;
}

const label = (n: number) => (n >= 1_000_000 ? `${n / 1_000_000}m` : `${n / 1000}k`);

function figuresOf(id: string, name: string, r: Reminded, expected: number, notified: number, extra: { note: string; details: string[] }): BenchFigures {
  const spanS = Math.max(0.001, (r.lastAt - r.firstAt) / 1000);
  return {
    id, name,
    // Batches stamp their start: the span covers every batch but the last.
    requestsPerSecond: r.lastAt > r.firstAt ? (r.count - r.inLast) / spanS : NaN,
    p50Ms: percentile(r.lateMs, 0.5), p95Ms: percentile(r.lateMs, 0.95), p99Ms: percentile(r.lateMs, 0.99), maxMs: r.lateMs.at(-1) ?? Infinity,
    ok: r.count, non2xx: 0, errors: expected - r.count, durationSeconds: spanS, connections: 1, baselineId: null,
    note: extra.note, details: extra.details,
    checks: [
      { what: 'tasks of this round reminded (reminded_at set)', expected, actual: r.count },
      { what: '… each with its reminder notification to the assignee', expected, actual: notified },
    ],
  };
}

/**
 * Runs the scale steps and the deadline run against the server's own timer worker.
 * Returns one row per step, the flatness row and the deadline row.
 */
export async function followUpReminderRuns(databaseUrl: string, p: FollowUpPractice): Promise<BenchFigures[]> {
  const client = new pg.Client({ connectionString: databaseUrl, application_name: 'holdspace-bench-follow-ups' });
  await client.connect();
  const rows: BenchFigures[] = [];
  try {
    const costs: { n: number; msPerTask: number }[] = [];
    let scheduled = 0;
    for (const n of FOLLOW_UP_BENCH.scales) {
      // Fill the far future up to n − scaleDue, then let scaleDue fall due now.
      const background = n - FOLLOW_UP_BENCH.scaleDue - (await scheduledCount(client, p));
      if (background > 0) {
        const t0 = Date.now();
        await scheduleFollowUps(client, p, { count: background, remindFrom: new Date(Date.now() + 30 * 86_400_000), spreadMs: 86_400_000, kind: 'bench-later' });
        // As a running system's would be: vacuumed (visibility map, hint bits) and analysed, so that
        // autovacuum of the fresh rows does not run during the measurement.
        await client.query('vacuum (analyze) follow_up_tasks');
        await client.query(`vacuum (analyze) pgboss.job`);
        await checkpoint(client);
        progress(`scheduled ${background.toLocaleString('en-US')} follow-ups for later (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
      }
      // Three trials at each size (a trial's 10,000 reminders take a few seconds, so one alone
      // is at the mercy of whatever else the machine does); the median trial is the figure.
      // After each trial its tasks are done and their timers removed, as completing them in the
      // app does, so every trial sees the same number scheduled.
      const trials: { r: Reminded; notified: number; msPerTask: number; scheduled: number }[] = [];
      for (let t = 1; t <= FOLLOW_UP_BENCH.trials; t++) {
        const kind = `bench-scale-${label(n)}-${t}`;
        await scheduleFollowUps(client, p, { count: FOLLOW_UP_BENCH.scaleDue, remindFrom: new Date(), spreadMs: 0, kind });
        const open = await scheduledCount(client, p);
        const r = await waitForReminders(client, p, kind, FOLLOW_UP_BENCH.scaleDue, 300_000);
        const notified = await countNotifications(client, p, kind);
        // From the first batch's start to the last one's: the time of every batch but the last, over their tasks.
        trials.push({ r, notified, msPerTask: (r.lastAt - r.firstAt) / Math.max(1, r.count - r.inLast), scheduled: open });
        await completeRound(client, p, kind);
      }
      const sorted = [...trials].sort((a, b) => a.msPerTask - b.msPerTask);
      const median = sorted[Math.floor(sorted.length / 2)]!;
      scheduled = median.scheduled;
      costs.push({ n: scheduled, msPerTask: median.msPerTask });
      progress(`${label(n)} scheduled: trials ${trials.map((x) => x.msPerTask.toFixed(3)).join(', ')} ms per task`);
      rows.push(figuresOf(`follow-ups.remind.scale.${label(n)}`,
        `Follow-up reminders — ${FOLLOW_UP_BENCH.scaleDue.toLocaleString('en-US')} due at once, ${scheduled.toLocaleString('en-US')} scheduled`, median.r, FOLLOW_UP_BENCH.scaleDue, median.notified, {
          note: `${FOLLOW_UP_BENCH.scaleDue} follow-ups fall due at the same moment while ${scheduled} are scheduled in all (2 pg-boss timers each), ` +
            `${FOLLOW_UP_BENCH.trials} trials, the median shown; ` +
            "requests/s is reminders per second from the first batch's start to the last one's; latencies are each task's lateness (reminded_at − remind_at), " +
            'including the worker\'s 1 s polling',
          details: [`cost per task ${median.msPerTask.toFixed(3)} ms, the median of ${trials.map((x) => x.msPerTask.toFixed(3)).join(' / ')} ` +
            "(from the first batch's start to the last one's, over the tasks of every batch but the last)"],
        }));
    }
    const cheapest = Math.min(...costs.map((c) => c.msPerTask));
    const dearest = Math.max(...costs.map((c) => c.msPerTask));
    rows.push({
      id: 'follow-ups.remind.flat', name: `Follow-up reminders — cost per task from ${label(costs[0]!.n)} to ${label(costs.at(-1)!.n)} scheduled`,
      requestsPerSecond: 1000 / dearest, p50Ms: NaN, p99Ms: NaN, costRatio: dearest / cheapest,
      ok: costs.length, non2xx: 0, errors: 0, durationSeconds: 0, connections: 1, baselineId: null,
      note: 'the largest cost per task over the smallest across the scale rows (target: within 1.5×); requests/s is the slowest rate',
      details: costs.map((c) => `${c.n.toLocaleString('en-US')} scheduled: ${c.msPerTask.toFixed(3)} ms per task`),
    });

    // The deadline: 100,000 due within the same minute, which starts once they are written
    // (about 0.25 ms a task here; twice that, plus 5 s, as the lead).
    const kind = 'bench-minute';
    const from = new Date(Date.now() + 5_000 + 0.5 * FOLLOW_UP_BENCH.deadlineDue);
    const t0 = Date.now();
    await scheduleFollowUps(client, p, { count: FOLLOW_UP_BENCH.deadlineDue, remindFrom: from, spreadMs: 60_000, kind });
    const seededS = (Date.now() - t0) / 1000;
    if (Date.now() > from.getTime()) progress(`warning: writing the tasks took ${seededS.toFixed(1)} s, past the start of their minute: lateness includes the wait for the commit`);
    const r = await waitForReminders(client, p, kind, FOLLOW_UP_BENCH.deadlineDue, 600_000);
    const notified = await countNotifications(client, p, kind);
    const total = await scheduledCount(client, p);
    rows.push(figuresOf('follow-ups.remind.100k', `Follow-up reminders — ${FOLLOW_UP_BENCH.deadlineDue.toLocaleString('en-US')} falling due within the same minute`,
      r, FOLLOW_UP_BENCH.deadlineDue, notified, {
        note: `${FOLLOW_UP_BENCH.deadlineDue} follow-ups whose reminders fall at random moments within one minute (written ${seededS.toFixed(1)} s before it starts), ` +
          `${total} follow-ups scheduled in all; the target is on the worst lateness (reminded_at − remind_at), "max" below`,
        details: [
          `worst lateness ${((r.lateMs.at(-1) ?? NaN) / 1000).toFixed(1)} s; the last reminder ${((r.lastAt - from.getTime()) / 1000).toFixed(1)} s after the minute began`,
        ],
      }));
    return rows;
  } finally {
    await client.end();
  }
}

export function describeFollowUpPractice(p: FollowUpPractice): string {
  return `a practice of its own: ${p.clinicianIds.length} clinicians under one supervisor, ${p.clientIds.length} clients; ` +
    `follow-ups written by SQL with their pg-boss timers as the app writes them. Seeded in ${p.seconds.toFixed(1)} s`;
}

export async function followUpPracticeCounts(databaseUrl: string, practiceId: string): Promise<Record<string, number>> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const r = await client.query(`select (select count(*)::int from follow_up_tasks where practice_id = $1) as follow_up_tasks,
      (select count(*)::int from notifications where practice_id = $1) as notifications,
      (select count(*)::int from pgboss.job where name = $2) as timer_jobs`, [practiceId, FOLLOW_UP_TIMER_QUEUE]);
    return r.rows[0] as Record<string, number>;
  } finally {
    await client.end();
  }
}
