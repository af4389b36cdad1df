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
    // PostgreSQL text cannot hold U+0000: refused up front, naming where it was, in a body or a query string.
    const nul = await owner.post('/api/users/invites', { email: 'nul@example.test', name: 'A\u0000B', role: 'clinician' });
    expectProblem(nul, 400, 'VALIDATION_FAILED');
    expect(nul.json().errors).toEqual([expect.objectContaining({ path: 'body.name' })]);
    expectProblem(await owner.get('/api/audit/events?action=a%00'), 400, 'VALIDATION_FAILED');
    expect(await snapshot()).toEqual(before);
  });

  // Fuzzed requests on every route, built from the OpenAPI schemas: test/http/fuzz.test.ts.

  it('a validation problem names the field', async () => {
    const res = await owner.post('/api/users/invites', { email: 'not an email', name: 'A', role: 'clinician' });
    expect(res.json().errors).toEqual([expect.objectContaining({ path: 'body.email' })]);
  });
});
