import fc from 'fast-check';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { Browser, createTestApp } from '../support/app.ts';
import { createPractice, FIXTURE_PASSWORD } from '../support/fixtures.ts';

/** Business tables whose rows a refused request must leave exactly as they were. */
const GUARDED = ['practices', 'users', 'supervision', 'invites'] as const;

describe('bad input gets a 4xx problem and changes nothing', async () => {
  const { app, db } = await createTestApp();
  const practice = await createPractice(db);
  const owner = new Browser(app);
  await owner.signIn(practice.users.owner.email, FIXTURE_PASSWORD);

  const snapshot = async () => Object.fromEntries(await Promise.all(GUARDED.map(async (table) => {
    const rows = await sql<{ digest: string }>`select md5(coalesce(string_agg(t::text, ',' order by t::text), '')) as digest from ${sql.table(table)} t`.execute(db);
    return [table, rows.rows[0]!.digest] as const;
  })));

  const expectProblem = (res: { statusCode: number; headers: Record<string, unknown>; json: () => { code: string } }, status: number, code: string) => {
    expect(res.statusCode).toBe(status);
    expect(String(res.headers['content-type'])).toContain('application/problem+json');
    expect(res.json().code).toBe(code);
  };

  it('malformed JSON, wrong types, missing and unknown fields, oversized bodies, wrong media type', async () => {
    const before = await snapshot();
    expectProblem(await owner.request('POST', '/api/users/invites', '{"email": "a@', { 'content-type': 'application/json' }), 400, 'MALFORMED_JSON');
    expectProblem(await owner.post('/api/users/invites', { email: 'a@example.test', name: 'A', role: 'owner' }), 400, 'VALIDATION_FAILED');
    expectProblem(await owner.post('/api/users/invites', { email: 'a@example.test', role: 'clinician' }), 400, 'VALIDATION_FAILED');
    expectProblem(await owner.post('/api/users/invites', { email: 'a@example.test', name: 'A', role: 'clinician', isAdmin: true }), 400, 'VALIDATION_FAILED');
    expectProblem(await owner.post('/api/users/invites', { email: ['a@example.test'], name: 7, role: 'clinician' }), 400, 'VALIDATION_FAILED');
    expectProblem(await owner.post('/api/users/invites', { email: 'a@example.test', name: 'x'.repeat(201), role: 'clinician' }), 400, 'VALIDATION_FAILED');
    expectProblem(await owner.post('/api/users/invites', { email: 'a@example.test', name: 'A'.repeat(300_000), role: 'clinician' }), 413, 'BODY_TOO_LARGE');
    expectProblem(await owner.request('POST', '/api/users/invites', 'email=a', { 'content-type': 'application/x-www-form-urlencoded' }), 415, 'UNSUPPORTED_MEDIA_TYPE');
    expectProblem(await owner.put('/api/users/not-a-uuid/supervisees', { clinicianIds: [] }), 400, 'VALIDATION_FAILED');
    expectProblem(await owner.get('/api/audit/events?limit=100000'), 400, 'VALIDATION_FAILED');
    expectProblem(await owner.get('/api/no-such-thing'), 404, 'ROUTE_NOT_FOUND');
    expect(await snapshot()).toEqual(before);
  });

  it('a validation problem names the field', async () => {
    const res = await owner.post('/api/users/invites', { email: 'not an email', name: 'A', role: 'clinician' });
    expect(res.json().errors).toEqual([expect.objectContaining({ path: 'body.email' })]);
  });

  it('fuzzed bodies on every write route of the OpenAPI document: never a 500, nothing half-written', async () => {
    const spec = (await owner.get('/api/openapi.json')).json() as { paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: { properties?: Record<string, unknown> } }> } }>> };
    const writes = Object.entries(spec.paths).flatMap(([path, ops]) => Object.entries(ops)
      .filter(([method]) => ['post', 'put', 'patch', 'delete'].includes(method))
      .filter(([, op]) => path !== '/api/auth/sign-out') // signs the fuzzer out; covered elsewhere
      .map(([method, op]) => ({ path, method: method.toUpperCase() as 'POST' | 'PUT', keys: Object.keys(op.requestBody?.content['application/json']?.schema.properties ?? {}) })));
    expect(writes.length).toBeGreaterThanOrEqual(6);

    for (const route of writes) {
      // Bodies shaped like the route's own (its field names) with hostile values, and arbitrary JSON.
      const shaped = fc.dictionary(fc.constantFrom(...route.keys, 'unexpected'), fc.jsonValue(), { maxKeys: route.keys.length + 1 });
      await fc.assert(fc.asyncProperty(fc.oneof(shaped, fc.jsonValue()), fc.string({ maxLength: 40 }), async (body, param) => {
        const url = route.path.replace(/\{[^}]+\}/g, encodeURIComponent(param) || 'x');
        const before = await snapshot();
        const res = await owner.request(route.method, url, body);
        expect(res.statusCode, `${route.method} ${url} ${JSON.stringify(body)}`).toBeLessThan(500);
        if (res.statusCode >= 400) {
          expect(String(res.headers['content-type'])).toContain('application/problem+json');
          expect(await snapshot()).toEqual(before);
        }
      }), { numRuns: 40 });
    }
  }, 120_000);
});
