/**
 * The practice at size: 20 clinicians, 10,000 clients, 100,000 appointments, seeded
 * straight into PostgreSQL (not through the API, which would take minutes), then the
 * three pages a clinician opens all day: the client list, a client's page and their day.
 *
 * Target (the issue): "with 10,000 clients and 100,000 appointments in the practice,
 * the client list, a client's page and a clinician's day answer at p99 under 50 ms at
 * 20 concurrent users". Every one of these requests appends an audit event, so this
 * measures the audited path. Each page is measured under both readings of "20 concurrent
 * users": 20 always-busy connections (saturation) and 20 users with think time (users.ts).
 *
 * All names are synthetic ("Bench Client 00001"); no real person's data.
 */
import pg from 'pg';
import { localDate } from '../src/domain/zoned-time.ts';
import { BENCH_OWNER, type LoadSettings } from './auth.bench.ts';
import { loadTest, type BenchFigures } from './http.ts';
import { userLoad, type UserSettings } from './users.ts';

export const PRACTICE_SIZE = { clinicians: 20, clients: 10_000, appointments: 100_000 } as const;
/** Appointments today (practice time) for every clinician, the benchmark one included: 09:00–16:50, 50 min on the hour. */
const TODAY_PER_CLINICIAN = 8;
/** The clinician whose pages are measured; signs in with the bench password. */
export const BENCH_CLINICIAN_EMAIL = 'bench.clinician01@example.test';
/** How many of the clinician's clients the client-page benchmark rotates through. */
const CLIENT_PAGE_ROTATION = 25;

export interface SeededPractice {
  practiceId: string;
  clinicianId: string;
  clinicianEmail: string;
  /** Today in the practice's time zone, as the schedule is asked for it. */
  today: string;
  /** A few of the benchmark clinician's clients, spread along the alphabet. */
  sampleClientIds: string[];
  /** Row counts in the practice after seeding (table → rows). */
  counts: Record<string, number>;
  seconds: number;
}

/**
 * Seeds the bench practice (made by setUpPractice) to the issue's size in a handful of
 * INSERT … SELECT statements, in one transaction, then ANALYZEs.
 *
 * Layout: clinician k (1–20) is assigned clients k, k+20, k+40, … (500 each). Each
 * clinician has 5,000 appointments: 8 today at 09:00–16:00 (practice time), and 4,992
 * on the other days within a year either side, on an hourly grid of 8 slots a day
 * (09:00–16:00) picked by a permutation so no two overlap (about 7 a day).
 */
export async function seedPractice(databaseUrl: string): Promise<SeededPractice> {
  const t0 = Date.now();
  const client = new pg.Client({ connectionString: databaseUrl, application_name: 'holdspace-bench-seed' });
  await client.connect();
  try {
    const owner = await client.query<{ practice_id: string; id: string; password_hash: string; time_zone: string }>(
      `select u.practice_id, u.id, u.password_hash, p.time_zone from users u join practices p on p.id = u.practice_id where u.email = $1`,
      [BENCH_OWNER.email]);
    const o = owner.rows[0];
    if (!o) throw new Error(`the bench owner ${BENCH_OWNER.email} is not in the database; run setUpPractice first`);
    const already = await client.query<{ n: number }>(`select count(*)::int as n from clients where practice_id = $1`, [o.practice_id]);
    if ((already.rows[0]?.n ?? 0) > 0) {
      throw new Error(`the bench practice already has ${already.rows[0]!.n} clients; the clients benchmark seeds a fresh practice (unset DATABASE_URL)`);
    }
    const today = localDate(new Date(), o.time_zone);
    const { clinicians, clients, appointments } = PRACTICE_SIZE;
    const perClinician = appointments / clinicians; // 5,000
    const otherDays = perClinician - TODAY_PER_CLINICIAN; // 4,992
    const daySlots = 8; // 09:00 … 16:00
    const gridSlots = 730 * daySlots; // 365 days before today and 365 after
    // s ↦ s·7 mod 5,840 is one-to-one (7 and 5,840 = 2⁴·5·73 are coprime): no two appointments share a slot.
    if (otherDays > gridSlots) throw new Error('seed grid too small');

    const p = o.practice_id;
    const q = (text: string, values: unknown[] = []) => client.query(text, values);
    await q('begin');
    await q(`create temp table bench_clinician on commit drop as
               select n, gen_random_uuid() as id from generate_series(1, $1::int) n`, [clinicians]);
    await q(`create temp table bench_client on commit drop as
               select n, gen_random_uuid() as id, ((n - 1) % $2::int) + 1 as clinician_n from generate_series(1, $1::int) n`, [clients, clinicians]);
    await q('create unique index on bench_clinician (n)');
    await q('create unique index on bench_client (clinician_n, n)');

    await q(`insert into users (practice_id, id, email, name, role, password_hash)
             select $1, k.id, format('bench.clinician%s@example.test', lpad(k.n::text, 2, '0')),
                    format('Bench Clinician %s', lpad(k.n::text, 2, '0')), 'clinician', $2
             from bench_clinician k`, [p, o.password_hash]);

    await q(`insert into clients (practice_id, id, legal_name, preferred_name, pronouns, date_of_birth, phone, email, risk_level, risk_assessed_at)
             select $1, c.id, format('Bench Client %s', lpad(c.n::text, 5, '0')), null,
                    (array['she/her', 'he/him', 'they/them', null])[1 + c.n % 4],
                    date '1950-01-01' + (c.n * 37 % 20000),
                    format('+1555%s', lpad((c.n % 10000000)::text, 7, '0')),
                    format('bench.client%s@example.test', lpad(c.n::text, 5, '0')),
                    (array['unknown', 'none', 'low', 'moderate', 'high'])[1 + c.n % 5],
                    case when c.n % 5 = 0 then null else now() - make_interval(days => c.n % 300) end
             from bench_client c`, [p]);

    await q(`insert into client_clinicians (practice_id, client_id, clinician_id)
             select $1, c.id, k.id from bench_client c join bench_clinician k on k.n = c.clinician_n`, [p]);

    // The other days: clinician k's s-th appointment is slot s·7 mod 5,840 of the grid,
    // with client number k + 20·(s mod 500), one of k's own.
    await q(`insert into appointments (practice_id, id, client_id, clinician_id, starts_at, minutes, modality, location_id, status, created_by)
             select $1, gen_random_uuid(), c.id, k.id,
                    (($2::date + (case when g.day_index < 365 then g.day_index - 365 else g.day_index - 364 end))
                      + make_interval(hours => 9 + g.hour_index)) at time zone $3,
                    50, 'telehealth', null, 'scheduled', $4
             from bench_clinician k
             cross join generate_series(0, $5::int - 1) s
             cross join lateral (select (s * 7 % $6::int) / $7::int as day_index, (s * 7 % $6::int) % $7::int as hour_index) g
             join bench_client c on c.clinician_n = k.n and c.n = k.n + $8::int * (s % ($9::int / $8::int))`,
      [p, today, o.time_zone, o.id, otherDays, gridSlots, daySlots, clinicians, clients]);
    // Today: 8 each, on the hour from 09:00, none overlapping.
    await q(`insert into appointments (practice_id, id, client_id, clinician_id, starts_at, minutes, modality, location_id, status, created_by)
             select $1, gen_random_uuid(), c.id, k.id, ($2::date + make_interval(hours => 9 + h)) at time zone $3,
                    50, 'telehealth', null, 'scheduled', $4
             from bench_clinician k
             cross join generate_series(0, $5::int - 1) h
             join bench_client c on c.clinician_n = k.n and c.n = k.n + $6::int * (h * 37 % ($7::int / $6::int))`,
      [p, today, o.time_zone, o.id, TODAY_PER_CLINICIAN, clinicians, clients]);

    // Readiness data, some of it missing on purpose (as in a real practice).
    await q(`insert into emergency_contacts (practice_id, id, client_id, name, relationship, phones, priority, may_be_told, consent_scope, consent_given_on, consent_expires_on)
             select $1, gen_random_uuid(), c.id, format('Bench Contact %s-1', lpad(c.n::text, 5, '0')), 'partner',
                    array[format('+1555%s', lpad(((c.n + 5000000) % 10000000)::text, 7, '0'))], 1,
                    'That there is an emergency and where the client is.', 'emergency', date '2025-01-01' + c.n % 300,
                    case when c.n % 10 = 1 then date '2025-06-01' else null end
             from bench_client c where c.n % 5 <> 0`, [p]);
    await q(`insert into emergency_contacts (practice_id, id, client_id, name, relationship, phones, priority, may_be_told, consent_scope, consent_given_on)
             select $1, gen_random_uuid(), c.id, format('Bench Contact %s-2', lpad(c.n::text, 5, '0')), 'sibling',
                    array[format('+1555%s', lpad(((c.n + 7000000) % 10000000)::text, 7, '0'))], 2, '', 'ask_at_time', date '2025-02-01'
             from bench_client c where c.n % 3 = 0`, [p]);
    await q(`insert into safety_plans (practice_id, client_id, version, content, saved_by)
             select $1, c.id, 1, '{}', k.id from bench_client c join bench_clinician k on k.n = c.clinician_n where c.n % 5 < 3`, [p]);
    await q(`insert into safety_plans (practice_id, client_id, version, content, saved_by)
             select $1, c.id, 2, '{}', k.id from bench_client c join bench_clinician k on k.n = c.clinician_n where c.n % 5 = 0`, [p]);
    await q(`insert into risk_assessments (practice_id, id, client_id, level, source, justification, assessed_by, assessed_at)
             select $1, gen_random_uuid(), c.id, cl.risk_level, 'clinical_judgement', 'Synthetic bench assessment.', k.id, cl.risk_assessed_at
             from bench_client c join bench_clinician k on k.n = c.clinician_n
             join clients cl on cl.practice_id = $1 and cl.id = c.id
             where cl.risk_level <> 'unknown'`, [p]);
    await q(`insert into channel_consents (practice_id, client_id, channel, consent, decided_on, may_leave_message)
             select $1, c.id, 'voice', 'given', date '2025-01-15', c.n % 2 = 0 from bench_client c where c.n % 4 <> 3`, [p]);
    await q(`insert into policies (practice_id, version, title, body_markdown, published_by)
             values ($1, 1, 'Emergency policy (bench)', '# What we do in an emergency\n\nSynthetic bench policy.', $2)`, [p, o.id]);
    await q(`insert into policy_acknowledgements (practice_id, id, client_id, policy_version, acknowledged_on, method, recorded_by)
             select $1, gen_random_uuid(), c.id, 1, date '2025-03-01' + c.n % 200, 'signed_in_person', k.id
             from bench_client c join bench_clinician k on k.n = c.clinician_n where c.n % 10 < 7`, [p]);

    // The benchmark clinician and a spread of their clients (by name order).
    const clinician = await q(`select k.id from bench_clinician k where k.n = 1`);
    const sample = await q(`select c.id from bench_client c where c.clinician_n = 1 order by c.n`);
    await q('commit');
    await q('analyze');

    const all = sample.rows.map((r: { id: string }) => r.id);
    const step = Math.max(1, Math.floor(all.length / CLIENT_PAGE_ROTATION));
    const sampleClientIds = all.filter((_, i) => i % step === 0).slice(0, CLIENT_PAGE_ROTATION);

    const tables = ['users', 'clients', 'client_clinicians', 'appointments', 'emergency_contacts', 'safety_plans',
      'risk_assessments', 'channel_consents', 'policies', 'policy_acknowledgements'] as const;
    const countRow = await q(`select ${tables.map((t) => `(select count(*)::int from ${t} where practice_id = $1) as ${t}`).join(', ')},
        (select count(*)::int from appointments a where a.practice_id = $1 and a.clinician_id = $2
           and a.starts_at >= ($3::date)::timestamp at time zone $4 and a.starts_at < ($3::date + 1)::timestamp at time zone $4) as bench_clinician_today,
        (select count(*)::int from client_clinicians where practice_id = $1 and clinician_id = $2) as bench_clinician_clients`,
      [p, clinician.rows[0].id, today, o.time_zone]);
    return {
      practiceId: p,
      clinicianId: clinician.rows[0].id as string,
      clinicianEmail: BENCH_CLINICIAN_EMAIL,
      today,
      sampleClientIds,
      counts: countRow.rows[0] as Record<string, number>,
      seconds: (Date.now() - t0) / 1000,
    };
  } catch (err) {
    await client.query('rollback').catch(() => {});
    throw err;
  } finally {
    await client.end();
  }
}

export function describeSeed(s: SeededPractice): string {
  const c = s.counts;
  return `${c.clients} clients, ${c.appointments} appointments, ${c.users} users (${c.users! - 1} clinicians + the owner), ` +
    `${c.client_clinicians} care-team links, ${c.emergency_contacts} emergency contacts, ${c.safety_plans} safety plans, ` +
    `${c.risk_assessments} risk assessments, ${c.channel_consents} channel consents, ${c.policies} policy, ` +
    `${c.policy_acknowledgements} policy acknowledgements; the benchmark clinician has ${c.bench_clinician_clients} clients ` +
    `and ${c.bench_clinician_today} appointments today (${s.today}, America/Los_Angeles). Seeded in ${s.seconds.toFixed(1)} s`;
}

const cookie = (token: string) => ({ cookie: `hs_session=${token}` });

/**
 * The issue's "at 20 concurrent users" is measured two ways for each route:
 *
 * - saturation (autocannon): N connections that are never idle — each sends its next
 *   request the moment the previous answer arrives, so N requests are always in flight;
 * - users (users.ts): N virtual users who each send a request, wait for the answer, then
 *   think for a uniform random thinkMin–thinkMax ms before the next one.
 */
export const saturationLabel = (s: LoadSettings) => `${s.connections} connections, no think time`;
export const usersLabel = (u: UserSettings) => `${u.users} users, ${u.thinkMinMs}–${u.thinkMaxMs} ms think time`;

const saturationNote = (s: LoadSettings) =>
  `the saturation reading of "20 concurrent users": ${s.connections} autocannon connections, each sending its next request ` +
  `the moment the last answer arrives, so ${s.connections} are always in flight`;
const usersNote = (u: UserSettings) =>
  `the users reading of "20 concurrent users": ${u.users} virtual users, each sending a request, waiting for the answer, ` +
  `then thinking ${u.thinkMinMs}–${u.thinkMaxMs} ms (uniform) before the next; fetch with keep-alive in a worker thread`;

/** One of the three measured pages: what it requests and what it is. */
interface Route {
  id: string;
  /** e.g. "GET /api/clients?limit=50" */
  label: string;
  /** Paths requested in turn (one, or a rotation). */
  paths: string[];
  about: string;
}

function clientListRoute(): Route {
  return {
    id: 'clients.list',
    label: 'GET /api/clients?limit=50',
    paths: ['/api/clients?limit=50'],
    about: "a clinician's client list in a 10k-client practice: page 1 of the benchmark clinician's 500 clients, " +
      'with readiness; one audit event per request',
  };
}

function clientPageRoute(clientIds: string[]): Route {
  return {
    id: 'clients.page',
    label: 'GET /api/clients/:id',
    paths: clientIds.map((id) => `/api/clients/${id}`),
    about: `a client's page; each connection or user cycles through ${clientIds.length} of the clinician's clients; ` +
      'one audit event per request',
  };
}

function scheduleDayRoute(today: string): Route {
  return {
    id: 'schedule.day',
    label: 'GET /api/schedule/day?date=today',
    paths: [`/api/schedule/day?date=${today}`],
    about: `a clinician's day in a 100k-appointment practice: the benchmark clinician's ${today} (8 appointments) ` +
      'with readiness; one audit event per request',
  };
}

function saturationLoad(baseUrl: string, token: string, r: Route, s: LoadSettings): Promise<BenchFigures> {
  return loadTest({
    id: r.id,
    name: `${r.label} — ${saturationLabel(s)}`,
    url: `${baseUrl}${r.paths[0]}`,
    ...(r.paths.length > 1 ? { paths: r.paths } : {}),
    headers: cookie(token),
    ...s,
    note: `${saturationNote(s)}; ${r.about}`,
  });
}

function usersLoad(baseUrl: string, token: string, r: Route, u: UserSettings): Promise<BenchFigures> {
  return userLoad({
    id: `${r.id}.users`,
    name: `${r.label} — ${usersLabel(u)}`,
    origin: baseUrl,
    paths: r.paths,
    headers: cookie(token),
    ...u,
    note: `${usersNote(u)}; ${r.about}`,
  });
}

/** GET /api/clients?limit=50: the clinician's care team, first page, with risk and readiness. Saturation. */
export function clientListLoad(baseUrl: string, token: string, s: LoadSettings): Promise<BenchFigures> {
  return saturationLoad(baseUrl, token, clientListRoute(), s);
}

/** The client list, as virtual users with think time. */
export function clientListUsers(baseUrl: string, token: string, u: UserSettings): Promise<BenchFigures> {
  return usersLoad(baseUrl, token, clientListRoute(), u);
}

/** GET /api/clients/:id: the client's page, rotating through several of the clinician's clients. Saturation. */
export function clientPageLoad(baseUrl: string, token: string, clientIds: string[], s: LoadSettings): Promise<BenchFigures> {
  return saturationLoad(baseUrl, token, clientPageRoute(clientIds), s);
}

/** The client's page, as virtual users with think time. */
export function clientPageUsers(baseUrl: string, token: string, clientIds: string[], u: UserSettings): Promise<BenchFigures> {
  return usersLoad(baseUrl, token, clientPageRoute(clientIds), u);
}

/** GET /api/schedule/day?date=today: the clinician's own day (8 appointments) in a 100k-appointment practice. Saturation. */
export function scheduleDayLoad(baseUrl: string, token: string, today: string, s: LoadSettings): Promise<BenchFigures> {
  return saturationLoad(baseUrl, token, scheduleDayRoute(today), s);
}

/** The clinician's day, as virtual users with think time. */
export function scheduleDayUsers(baseUrl: string, token: string, today: string, u: UserSettings): Promise<BenchFigures> {
  return usersLoad(baseUrl, token, scheduleDayRoute(today), u);
}
