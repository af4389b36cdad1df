import { describe, expect, it } from 'vitest';
import { createTestApp, signedIn } from '../../../test/support/app.ts';
import { pdfPagesText } from '../../../test/support/pdf-text.ts';
import { createClient, createPractice, type FixturePractice } from '../../../test/support/fixtures.ts';
import type { Role } from '../../domain/permissions.ts';
import { emptySafetyPlan, SAFETY_PLAN_SECTIONS, type SafetyPlanContent } from '../../domain/safety-plan.ts';
import { latestSafetyPlanVersions } from './safety-plans.repository.ts';
import { pdfText } from './safety-plan-pdf.ts';
import { decryptText, isEncrypted } from '../../server/field-crypto.ts';

/** A first plan written with a (synthetic) client. */
function firstPlan(): SafetyPlanContent {
  return {
    ...emptySafetyPlan(),
    warningSigns: ['Not sleeping for two nights', 'Cancelling plans with friends'],
    copingStrategies: ['Walk around the block', 'Shower, then music'],
    distractionContacts: [{ name: 'The public library' }],
    helpContacts: [{ name: 'Sam (sister)', phone: '(415) 555-0123', note: 'Evenings are best' }],
    reasonsForLiving: ['My cat', 'Finishing the course'],
  };
}


describe('safety plans', async () => {
  const { app, db } = await createTestApp();
  const practice = await createPractice(db);
  const other = await createPractice(db, 'Other');
  const as = (p: FixturePractice, role: Role) => signedIn(app, p.users[role]);
  const clinician = await as(practice, 'clinician');
  const supervisor = await as(practice, 'supervisor');
  const frontDesk = await as(practice, 'front_desk');
  const admin = await as(practice, 'admin');
  const client = await createClient(db, practice);
  const url = `/api/clients/${client.id}/safety-plan`;
  const planRows = (clientId = client.id) => db.selectFrom('safety_plans').selectAll().where('practice_id', '=', practice.practiceId)
    .where('client_id', '=', clientId).orderBy('version').execute();

  it('before the first save there is no plan, and the template already lists 988', async () => {
    const res = await clinician.get(url);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.current).toBeNull();
    expect(body.template).toEqual(emptySafetyPlan());
    expect(body.template.professionalContacts).toEqual([{ name: '988 Suicide & Crisis Lifeline (call or text)', phone: '988' }]);
    expect(body.sections.map((s: { key: string }) => s.key)).toEqual(SAFETY_PLAN_SECTIONS.map((s) => s.key));
    expect(body.sections.map((s: { kind: string }) => s.kind)).toEqual(['items', 'items', 'contacts', 'contacts', 'contacts', 'items', 'items']);
    const read = await db.selectFrom('audit_events').selectAll().where('practice_id', '=', practice.practiceId)
      .where('action', '=', 'client.read').where('client_id', '=', client.id).executeTakeFirstOrThrow();
    expect(read).toMatchObject({ resource_type: 'safety_plan', outcome: 'success', actor_user_id: practice.users.clinician.id });
  });

  it('the clinician saves a first plan; it comes back as version 1 with its gaps and phones in E.164', async () => {
    const res = await clinician.put(url, { content: firstPlan(), basedOnVersion: null });
    expect(res.statusCode).toBe(201);
    expect(res.json().version).toBe(1);
    expect(res.json().gaps).toEqual([{ section: 'safeEnvironment', severity: 'warning', message: '“Making my surroundings safer” is empty.' }]);

    const { current, template } = (await clinician.get(url)).json();
    expect(template).toBeNull();
    expect(current).toMatchObject({ version: 1, savedByName: 'Test clinician' });
    expect(current.content.helpContacts).toEqual([{ name: 'Sam (sister)', phone: '+14155550123', note: 'Evenings are best' }]);
    expect(current.content.distractionContacts).toEqual([{ name: 'The public library' }]);
    expect(current.content.warningSigns).toEqual(firstPlan().warningSigns);

    const write = await db.selectFrom('audit_events').selectAll().where('practice_id', '=', practice.practiceId)
      .where('action', '=', 'client.safety_plan.write').executeTakeFirstOrThrow();
    expect(write).toMatchObject({ client_id: client.id, resource_type: 'safety_plan', outcome: 'success' });
    const detail = JSON.parse(write.detail);
    expect(detail).toMatchObject({ version: 1, basedOnVersion: null, entries: { warningSigns: 2, helpContacts: 1 } });
    expect(write.detail).not.toContain('sleeping');
    expect(write.detail).not.toContain('Sam');
  });

  it('a save never overwrites: the supervisor adds version 2, and a save based on version 1 is then refused', async () => {
    const second = { ...firstPlan(), safeEnvironment: ['Medication kept by Sam for now'] };
    const res = await supervisor.put(url, { content: second, basedOnVersion: 1 });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toEqual({ version: 2, gaps: [] });

    const stale = await clinician.put(url, { content: { ...firstPlan(), warningSigns: ['Something else'] }, basedOnVersion: 1 });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().code).toBe('SAFETY_PLAN_CHANGED');
    expect(stale.json().detail).toContain('Test supervisor');
    const firstOnNothing = await clinician.put(url, { content: firstPlan(), basedOnVersion: null });
    expect(firstOnNothing.statusCode).toBe(409);

    const rows = await planRows();
    expect(rows.map((r) => [r.version, r.saved_by])).toEqual([[1, practice.users.clinician.id], [2, practice.users.supervisor.id]]);
    // Stored encrypted (issue 6): the column is ciphertext, the plan reads back through the key.
    expect(isEncrypted(rows[0]!.content)).toBe(true);
    expect(rows[0]!.content).not.toContain('Not sleeping');
    expect(JSON.parse(await decryptText(db, practice.practiceId, rows[0]!.content)).safeEnvironment).toEqual([]);
  });

  it('sending the current plan again (a retried request) writes nothing', async () => {
    const current = (await clinician.get(url)).json().current;
    const res = await clinician.put(url, { content: current.content, basedOnVersion: 1 });
    expect(res.statusCode).toBe(200);
    expect(res.json().version).toBe(2);
    expect(await planRows()).toHaveLength(2);
  });

  it('two people saving from the same version at once: one wins, the other is told', async () => {
    const results = await Promise.all([clinician, supervisor, clinician].map((b, i) =>
      b.put(url, { content: { ...firstPlan(), copingStrategies: [`Option ${i}`] }, basedOnVersion: 2 })));
    expect(results.map((r) => r.statusCode).sort()).toEqual([201, 409, 409]);
    expect((await planRows()).map((r) => r.version)).toEqual([1, 2, 3]);
  });

  it('every version stays readable, newest first', async () => {
    const list = (await clinician.get(`${url}/versions`)).json().versions;
    expect(list.map((v: { version: number }) => v.version)).toEqual([3, 2, 1]);
    expect(list[2]).toMatchObject({ savedByName: 'Test clinician' });
    const v1 = (await supervisor.get(`${url}/versions/1`)).json();
    expect(v1).toMatchObject({ version: 1, content: { safeEnvironment: [] } });
    expect(v1.gaps.map((g: { section: string }) => g.section)).toEqual(['safeEnvironment']);
    expect((await clinician.get(`${url}/versions/99`)).statusCode).toBe(404);
    expect((await clinician.get(`${url}/versions/0`)).statusCode).toBe(400);
  });

  it('bad plans are refused and nothing is written', async () => {
    const before = await planRows();
    const plan = firstPlan();
    const bad: unknown[] = [
      { content: { ...plan, warningSigns: Array.from({ length: 31 }, (_, i) => `sign ${i}`) }, basedOnVersion: 3 },
      { content: { ...plan, copingStrategies: ['x'.repeat(501)] }, basedOnVersion: 3 },
      { content: { ...plan, copingStrategies: ['   '] }, basedOnVersion: 3 },
      { content: { ...plan, helpContacts: [{ name: 'Sam', phone: 'call me' }] }, basedOnVersion: 3 },
      { content: { ...plan, helpContacts: [{ phone: '+14155550123' }] }, basedOnVersion: 3 },
      { content: { ...plan, helpContacts: [{ name: 'n'.repeat(201) }] }, basedOnVersion: 3 },
      { content: { ...plan, helpContacts: [{ name: 'Sam', note: 'n'.repeat(301) }] }, basedOnVersion: 3 },
      { content: { ...plan, helpContacts: [{ name: 'Sam', address: 'secret' }] }, basedOnVersion: 3 },
      { content: { ...plan, helpContacts: Array.from({ length: 31 }, (_, i) => ({ name: `Person ${i}` })) }, basedOnVersion: 3 },
      { content: { ...plan, hobbies: ['chess'] }, basedOnVersion: 3 },
      { content: { ...plan, reasonsForLiving: undefined }, basedOnVersion: 3 },
      { content: { ...plan, warningSigns: 'one long string' }, basedOnVersion: 3 },
      { content: plan, basedOnVersion: '3' },
      { content: plan },
      { content: plan, basedOnVersion: 3, clientId: client.id },
    ];
    for (const body of bad) {
      const res = await clinician.put(url, body);
      expect(res.statusCode, JSON.stringify(body).slice(0, 120)).toBe(400);
      expect(res.json().code).toBe('VALIDATION_FAILED');
    }
    const named = await clinician.put(url, { content: { ...plan, helpContacts: [{ name: 'Sam', phone: '12' }] }, basedOnVersion: 3 });
    expect(named.json().errors).toEqual([expect.objectContaining({ path: 'body.content.helpContacts.0.phone' })]);
    expect(await planRows()).toEqual(before);
  });

  it('911 and 988 are accepted as numbers, and empty notes are dropped', async () => {
    const plan = { ...firstPlan(), professionalContacts: [{ name: 'Emergency', phone: '911', note: '' }, { name: 'Lifeline', phone: '988', note: null }] };
    const res = await clinician.put(url, { content: plan, basedOnVersion: 3 });
    expect(res.statusCode).toBe(201);
    const v4 = (await clinician.get(`${url}/versions/4`)).json();
    expect(v4.content.professionalContacts).toEqual([{ name: 'Emergency', phone: '911' }, { name: 'Lifeline', phone: '988' }]);
  });

  it("another practice's client, a clinician off the care team, the front desk and an admin all get 404, and nothing is written", async () => {
    const theirs = await createClient(db, other);
    const notMine = await createClient(db, practice, { clinicianIds: [] });
    const body = { content: firstPlan(), basedOnVersion: null };
    for (const id of [theirs.id, notMine.id]) {
      for (const path of ['safety-plan', 'safety-plan/versions', 'safety-plan/versions/1', 'safety-plan.pdf']) {
        expect((await clinician.get(`/api/clients/${id}/${path}`)).statusCode, path).toBe(404);
      }
      expect((await clinician.put(`/api/clients/${id}/safety-plan`, body)).statusCode).toBe(404);
    }
    for (const browser of [frontDesk, admin]) {
      expect((await browser.get(url)).statusCode).toBe(404);
      expect((await browser.get(`${url}.pdf`)).statusCode).toBe(404);
      expect((await browser.put(url, { content: firstPlan(), basedOnVersion: 4 })).statusCode).toBe(404);
    }
    expect(await planRows(theirs.id)).toHaveLength(0);
    expect(await planRows(notMine.id)).toHaveLength(0);
    expect(await db.selectFrom('safety_plans').selectAll().where('practice_id', '=', other.practiceId).execute()).toHaveLength(0);
    expect((await planRows()).map((r) => r.version)).toEqual([1, 2, 3, 4]);

    const denied = await db.selectFrom('audit_events').select(['action', 'detail']).where('practice_id', '=', practice.practiceId)
      .where('actor_user_id', '=', practice.users.clinician.id).where('outcome', '=', 'denied').where('resource_id', '=', notMine.id).execute();
    expect(denied.map((e) => e.action).sort()).toEqual(['client.read', 'client.read', 'client.read', 'client.read', 'client.safety_plan.write']);
  });

  it('prints the plan as a paginated PDF with the client\'s preferred name, the six steps in order and page numbers', async () => {
    await db.updateTable('clients').set({ preferred_name: 'Robin Example' }).where('practice_id', '=', practice.practiceId).where('id', '=', client.id).execute();
    const long = { ...firstPlan(), warningSigns: Array.from({ length: 30 }, (_, i) => `Warning sign ${i + 1}: ${'a long description of what happens '.repeat(12)}`) };
    const saved = await clinician.put(url, { content: long, basedOnVersion: 4 });
    expect(saved.json().version).toBe(5);

    const res = await clinician.get(`${url}.pdf`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toBe('inline; filename="safety-plan-v5.pdf"');
    expect(res.headers['cache-control']).toBe('no-store');
    const pdf = res.rawPayload;
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');

    const text = pdfPagesText(pdf);
    const practiceName = (await db.selectFrom('practices').select('name').where('id', '=', practice.practiceId).executeTakeFirstOrThrow()).name;
    expect(text).toContain(practiceName);
    expect(text).toContain('Robin Example');
    expect(text).not.toContain(client.name); // the legal name when a preferred one exists
    expect(text).toMatch(/Version 5, saved \w+ \d{1,2}, \d{4}/);
    const headings = SAFETY_PLAN_SECTIONS.map((s) => pdfText(s.step === null ? s.title : `Step ${s.step}. ${s.title}`));
    const flowing = text.replace(/ ?\n/g, ' '); // a long heading wraps onto a second line
    const positions = headings.map((h) => flowing.indexOf(h));
    expect(positions.every((p) => p >= 0), headings.filter((_, i) => positions[i]! < 0).join(', ')).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(text).toContain('Sam (sister) — (415) 555-0123 — Evenings are best');
    expect(text).toContain('Finishing the course');

    const pages = Number(/\/Type \/Pages\s*\/Count (\d+)/.exec(pdf.toString('latin1'))![1]);
    expect(pages).toBeGreaterThan(1);
    for (let p = 1; p <= pages; p++) expect(text).toContain(`Page ${p} of ${pages}`);

    const older = await clinician.get(`${url}.pdf?version=1`);
    expect(older.headers['content-disposition']).toContain('safety-plan-v1.pdf');
    expect(pdfPagesText(older.rawPayload)).toContain('Version 1, saved');
    expect((await clinician.get(`${url}.pdf?version=42`)).statusCode).toBe(404);

    const printed = await db.selectFrom('audit_events').select('detail').where('practice_id', '=', practice.practiceId)
      .where('action', '=', 'client.read').where('client_id', '=', client.id).where('detail', 'like', '%pdf%').orderBy('seq').execute();
    expect(printed.map((e) => JSON.parse(e.detail))).toEqual([{ version: 5, format: 'pdf' }, { version: 1, format: 'pdf' }]);
  });

  it('a client without a plan has no PDF, and lists learn who has a plan in one query', async () => {
    const planless = await createClient(db, practice);
    const res = await clinician.get(`/api/clients/${planless.id}/safety-plan.pdf`);
    expect(res.statusCode).toBe(404);
    expect(res.json().code).toBe('NOT_FOUND');
    const latest = await latestSafetyPlanVersions(db, practice.practiceId, [client.id, planless.id]);
    expect([...latest.keys()]).toEqual([client.id]);
    expect(latest.get(client.id)!.version).toBe(5);
    expect(latest.get(client.id)!.savedAt).toBeInstanceOf(Date);
    expect((await latestSafetyPlanVersions(db, other.practiceId, [client.id])).size).toBe(0);
    expect((await latestSafetyPlanVersions(db, practice.practiceId, [])).size).toBe(0);
  });
});

describe('text on the printed plan', () => {
  it('keeps every letter the embedded font has; others lose their accents or become "?", never an empty box', () => {
    expect(pdfText('José “Pepe” Müller — 50 €')).toBe('José “Pepe” Müller — 50 €');
    expect(pdfText('Őrség Łukasz Zoë Nguyễn Ólafur Þórsson Анна Ελένη')).toBe('Őrség Łukasz Zoë Nguyễn Ólafur Þórsson Анна Ελένη');
    expect(pdfText('Nguye\u0302\u0303n')).toBe('Nguyễn'); // decomposed input is composed first
    expect(pdfText('李 नम\tend\u0007')).toBe('李 ?? end?'); // CJK from the fallback face; no Devanagari in either font
  });
});
