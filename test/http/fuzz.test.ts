import fc from 'fast-check';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../../src/domain/permissions.ts';
import { PROBLEMS } from '../../src/server/problems.ts';
import type { Db } from '../../src/server/database.ts';
import { Browser, createTestApp } from '../support/app.ts';
import { createPractice, FIXTURE_PASSWORD } from '../support/fixtures.ts';
import { conforming, nearMiss, nearMissQuery, operations, pathWith, queryString, querySchema, realistic, type Hints, type Operation } from '../support/openapi-arbitrary.ts';
import { seedWorld } from '../support/seeded-world.ts';

/**
 * Property-based requests built from the OpenAPI document, for every route, as every role
 * (issue 8): bodies and query strings that conform to the route's schemas (so they reach the
 * handlers, with real ids of the practice's objects where the schema names them) and
 * near-misses with one thing wrong. Whatever comes in: never a 5xx; every 4xx is a problem
 * with a stable code of src/server/problems.ts; a refused request changes no business table.
 */
// Runs per route (each as a role drawn at random): about 2,000 requests, ~60 s on two cores.
const CONFORMING_RUNS = { write: 15, read: 5 };
const NEAR_MISS_RUNS = { write: 6, read: 3 };

/** Tables a refused request may write: the audit trail (refusals are audited), sessions' last use, failed sign-ins. */
const UNGUARDED = new Set(['audit_events', 'audit_chain', 'audit_heads', 'audit_pending', 'auth_sessions', 'sign_in_failures']);

/** One digest per business table (row count and md5 of its rows), read in one statement. */
async function tableDigests(db: Db): Promise<() => Promise<Record<string, string>>> {
  const tables = (await sql<{ name: string }>`select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`.execute(db))
    .rows.map((r) => r.name).filter((t) => !UNGUARDED.has(t) && !t.startsWith('kysely_'));
  expect(tables.length).toBeGreaterThan(30);
  const select = sql.join(tables.map((t) => sql`(select count(*) || ':' || md5(coalesce(string_agg(x::text, ',' order by x::text), '')) from ${sql.table(t)} x) as ${sql.ref(t)}`));
  return async () => (await sql<Record<string, string>>`select ${select}`.execute(db)).rows[0]!;
}

describe('fuzzed requests from the OpenAPI schemas', async () => {
  const { app, db, jobs } = await createTestApp();
  const practice = await createPractice(db, 'Fuzz');
  const world = await seedWorld(app, db, practice, 'Fuzz');
  // Background jobs (escalations, the outbox) would write between a request and its check.
  for (const queue of await jobs.boss.getQueues()) await jobs.boss.offWork(queue.name);
  const browsers = {} as Record<Role, Browser>;
  for (const [i, role] of ROLES.entries()) {
    browsers[role] = new Browser(app, `10.8.0.${i + 1}`);
    expect((await browsers[role].signIn(practice.users[role].email, FIXTURE_PASSWORD)).statusCode).toBe(200);
  }
  const digest = await tableDigests(db);
  const spec = (await browsers.owner.get('/api/openapi.json')).json();

  // Real ids where a parameter names the practice's objects (or a fresh uuid, as often as not).
  const real = (values: (string | number)[]) => fc.oneof({ arbitrary: fc.constantFrom(...values), weight: 3 }, { arbitrary: fc.uuid(), weight: 1 });
  const users = Object.values(practice.users).map((u) => u.id);
  const pathHints: Hints = (name) => (world.ids[name] ? (typeof world.ids[name][0] === 'string' && name !== 'channel' && name !== 'protocolKey' && name !== 'token' ? real(world.ids[name]) : fc.constantFrom(...world.ids[name])) : undefined);
  const BODY_IDS: Record<string, (string | number)[]> = {
    clientId: world.ids.clientId!, incidentId: world.ids.incidentId!, sessionId: world.ids.sessionId!, runId: world.ids.runId!, locationId: world.ids.id!,
    assignedTo: users, clinicianId: [practice.users.clinician.id], clinicianIds: [practice.users.clinician.id, practice.users.supervisor.id],
    toUserId: users, superviseeIds: [practice.users.clinician.id], onCallUserIds: users,
  };
  // Where the schema cannot say what is valid (phone numbers), a real-looking value as often as the schema's own.
  const bodyHints: Hints = (name, fromSchema) => name === 'requireTotp' ? fc.constant(false) // would hold every fuzzing role at the enrolment step
    : BODY_IDS[name] ? real(BODY_IDS[name]) : realistic(name, fromSchema) && fc.oneof(realistic(name, fromSchema)!, fromSchema);

  const SKIPPED = new Set(['POST /api/auth/sign-out', 'GET /api/live', 'GET /api/pager/stream']); // ends the fuzzer's session; streams (all covered elsewhere)
  const routes = operations(spec).filter((op) => !SKIPPED.has(`${op.method} ${op.path}`));
  const label = (op: Operation) => `${op.method} ${op.path}`;

  /** Sends one request and checks the properties every answer has; answers the response. */
  let last: Record<string, string> | undefined; // no job runs meanwhile: unchanged after a refusal
  const send = async (role: Role, op: Operation, url: string, body: unknown) => {
    const before = last ?? await digest();
    // JSON.stringify, so a top-level string or number is sent as JSON too
    const res = await browsers[role].request(op.method, url, body === undefined ? undefined : JSON.stringify(body), body === undefined ? {} : { 'content-type': 'application/json' });
    const what = `${role} ${op.method} ${url} ${JSON.stringify(body)?.slice(0, 400)} → ${res.statusCode} ${res.body.slice(0, 300)}`;
    expect(res.statusCode, what).toBeLessThan(500);
    last = undefined;
    if (res.statusCode >= 400) {
      const code = problemCode(res);
      expect(PROBLEMS[code]?.status, `${what}: a code of problems.ts with its status`).toBe(res.statusCode);
      last = await digest();
      expect(last, `${what}: a refused request changes nothing`).toEqual(before);
    }
    return { status: res.statusCode, code: res.statusCode >= 400 ? problemCode(res) : undefined };
  };

  /** The problem's code: application/problem+json, or for FHIR an OperationOutcome whose issue carries it. */
  const problemCode = (res: { headers: Record<string, unknown>; json: () => any }): keyof typeof PROBLEMS => {
    const type = String(res.headers['content-type']);
    if (type.startsWith('application/fhir+json')) return res.json().issue[0].details.coding[0].code;
    expect(type).toContain('application/problem+json');
    return res.json().code;
  };
  const roles = fc.constantFrom(...ROLES);
  const stats = { requests: 0, reachedHandler: 0 };

  it('covers every route of the document', () => {
    expect(routes.length).toBeGreaterThanOrEqual(140);
    // every path parameter is one the world has real ids for, or an enum/pattern the schema generates
    const unnamed = routes.flatMap((op) => op.params.filter((p) => !world.ids[p.name]).map((p) => `${label(op)} {${p.name}}`));
    expect(unnamed).toEqual([]);
  });

  for (const op of routes) {
    const write = op.method !== 'GET';
    if (!write && !op.params.length && !op.query.length) continue; // nothing to vary
    it(`${label(op)}: conforming input never fails the server, a refusal changes nothing`, async () => {
      const body = write && op.body ? conforming(op.body, bodyHints) : fc.constant(undefined);
      const query = op.query.length ? conforming(querySchema(op), bodyHints).map((q) => queryString(q as Record<string, unknown>)) : fc.constant('');
      await fc.assert(fc.asyncProperty(roles, pathWith(op, pathHints), query, body, async (role, path, q, b) => {
        const res = await send(role, op, path + q, b);
        stats.requests++;
        if (res.code !== 'VALIDATION_FAILED') stats.reachedHandler++;
      }), { numRuns: write ? CONFORMING_RUNS.write : CONFORMING_RUNS.read });
    });

    const badBody = write && op.body ? nearMiss(op.body, bodyHints) : undefined;
    const badQuery = nearMissQuery(op, bodyHints);
    const badPath = op.params.some((p) => p.schema.format === 'uuid' || p.schema.pattern || p.schema.enum || p.schema.type === 'integer')
      ? fc.constant(op.path.replace(/\{[^}]+\}/g, 'not%20valid!')) : undefined;
    if (!badBody && !badQuery && !badPath) continue;
    it(`${label(op)}: input with one thing wrong is refused with VALIDATION_FAILED, changing nothing`, async () => {
      const okBody = write && op.body ? conforming(op.body, bodyHints) : fc.constant(undefined);
      const okQuery = conforming(querySchema(op), bodyHints) as fc.Arbitrary<Record<string, unknown>>;
      const variants = [
        ...(badBody ? [fc.tuple(pathWith(op, pathHints), okQuery, badBody)] : []),
        ...(badQuery ? [fc.tuple(pathWith(op, pathHints), badQuery, okBody)] : []),
        ...(badPath ? [fc.tuple(badPath, okQuery, okBody)] : []),
      ];
      await fc.assert(fc.asyncProperty(roles, fc.oneof(...variants), async (role, [path, q, b]) => {
        const res = await send(role, op, path + queryString(q), b);
        expect(res, `${role} ${op.method} ${path}${queryString(q)} ${JSON.stringify(b)?.slice(0, 400)}`).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
      }), { numRuns: write ? NEAR_MISS_RUNS.write : NEAR_MISS_RUNS.read });
    });
  }

  it('most conforming requests got past validation into the handlers', () => {
    expect(stats.requests).toBeGreaterThan(1000);
    expect(stats.reachedHandler / stats.requests).toBeGreaterThan(0.8);
  });
});
