import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createTestApp, signedIn, type Browser } from '../../../test/support/app.ts';
import { createClient, createPractice, type FixturePractice } from '../../../test/support/fixtures.ts';
import { pdfPagesText } from '../../../test/support/pdf-text.ts';
import { localDate } from '../../domain/zoned-time.ts';
import { addDays, defaultPeriod } from './accounting-rules.ts';
import { csvCell } from './accounting-csv.ts';

const { app, db } = await createTestApp();
const ZONE = 'America/Los_Angeles'; // the fixtures' practice time zone
const today = () => localDate(new Date(), ZONE);

/** The text drawn on the pages of a pdfkit PDF (standard fonts: hex strings in TJ arrays, Windows-1252). */
const pageCount = (pdf: Buffer) => Number(/\/Type \/Pages\s*\/Count (\d+)/.exec(pdf.toString('latin1'))![1]);

async function ok(res: Promise<{ statusCode: number; body: string; json(): any }>, status = 200) {
  const r = await res;
  expect(r.statusCode, r.body).toBe(status);
  return r.json();
}

/** S5 (seed 004): Dr. Patel opens "threat to others" for Casey Morgan and makes both disclosures. */
async function threatToOthers(patel: Browser, clientId: string) {
  const incidentId = randomUUID();
  const runId = randomUUID();
  await ok(patel.post('/api/incidents', { id: incidentId, runId, clientId, protocolKey: 'threat-to-others' }), 201);
  const step = (action: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
    ok(patel.post(`/api/incidents/${incidentId}/runs/${runId}/events`, { id: randomUUID(), action, ...extra }));
  await step({ type: 'document', stepId: 'exact-words', text: 'I will make Dave from the warehouse pay — I know where he parks.' });
  await step({ type: 'answer', stepId: 'serious-threat', value: 'yes' });
  await step({ type: 'answer', stepId: 'identifiable-victim', value: 'yes' });
  await step({ type: 'answer', stepId: 'communicated-by', value: 'client' });
  await step({ type: 'mark_done', stepId: 'warn-victim' }, { disclosure: { recipientName: 'Dave (warehouse), through his employer', recipientContact: '+15105550177', whatWasSaid: 'A client made a threat against you.' } });
  await step({ type: 'mark_done', stepId: 'notify-police' }, { disclosure: { recipientName: 'Oakland Police Department', recipientAddress: '455 7th Street, Oakland, CA 94607', whatWasSaid: 'Threat of violence against an identifiable person.' } });
  return incidentId;
}

async function insertDisclosure(p: FixturePractice, clientId: string, fields: Partial<{ at: Date; name: string; address: string | null; contact: string | null; what: string; purpose: string; basis: string }> = {}) {
  await db.insertInto('disclosures').values({
    practice_id: p.practiceId, id: randomUUID(), client_id: clientId, incident_id: null, run_id: null, step_id: null,
    recipient_kind: 'other', recipient_name: fields.name ?? 'County records office', recipient_contact: fields.contact ?? null,
    recipient_address: fields.address ?? null, what_was_said: fields.what ?? 'Dates of sessions.', legal_basis: fields.basis ?? 'HIPAA 45 CFR 164.512(e)',
    purpose: fields.purpose ?? 'Subpoena', disclosed_at: fields.at ?? new Date(), recorded_by: p.users.clinician.id,
  }).execute();
}

const auditCount = async (clientId: string) => Number((await db.selectFrom('audit_events').select((eb) => eb.fn.countAll<string>().as('n'))
  .where('client_id', '=', clientId).executeTakeFirstOrThrow()).n);

describe('S5: the accounting of disclosures for Casey lists both (HIPAA 45 CFR 164.528)', async () => {
  const practice = await createPractice(db);
  const casey = await createClient(db, practice, { name: 'Casey Morgan' });
  const patel = await signedIn(app, practice.users.clinician);
  await threatToOthers(patel, casey.id);

  it('lists the warning to the victim and the report to the police, each with Cal. Civ. Code 43.92(b), over the six years before today', async () => {
    const a = await ok(patel.get(`/api/clients/${casey.id}/accounting`));
    expect(a.period).toEqual(defaultPeriod(today()));
    expect(a.period.from).toBe(`${Number(today().slice(0, 4)) - 6}${today().slice(4)}`.replace(/-02-29$/, '-02-28'));
    expect(a.client).toEqual({ id: casey.id, name: 'Casey Morgan', legalName: 'Casey Morgan' });
    expect(a.entries.map((e: { recipientKind: string }) => e.recipientKind)).toEqual(['victim', 'law_enforcement']);
    expect(a.entries.map((e: { recipientName: string }) => e.recipientName)).toEqual(['Dave (warehouse), through his employer', 'Oakland Police Department']);
    for (const e of a.entries) {
      expect(e.legalBasis).toMatch(/Cal\. Civ\. Code 43\.92\(b\)/);
      expect(e.date).toBe(today());
      expect(e.time).toMatch(/^\d{2}:\d{2}$/);
      expect(e.whatWasDisclosed.length).toBeGreaterThan(0);
      expect(e.purpose.length).toBeGreaterThan(0);
    }
    expect(a.entries[0].recipientContact).toBe('+15105550177');
    // 164.528(b)(2)(ii): the address where known, taken where the disclosure was recorded.
    expect(a.entries.map((e: { recipientAddress: string | null }) => e.recipientAddress)).toEqual([null, '455 7th Street, Oakland, CA 94607']);
    // The read is on Casey's audit trail: format and period, not what was said.
    const read = await db.selectFrom('audit_events').select(['action', 'detail', 'outcome']).where('client_id', '=', casey.id)
      .where('resource_type', '=', 'accounting_of_disclosures').execute();
    expect(read.map((r) => [r.action, r.outcome, JSON.parse(r.detail)])).toEqual([
      ['client.disclosures.read', 'success', { format: 'json', from: a.period.from, to: a.period.to, entries: 2 }],
    ]);
    expect(read[0]!.detail).not.toContain('warehouse');
  });

  it('the PDF has the practice name, both disclosures and "Page 1 of 1"', async () => {
    const res = await patel.get(`/api/clients/${casey.id}/accounting.pdf`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="accounting-of-disclosures-\d{4}-\d{2}-\d{2}-to-\d{4}-\d{2}-\d{2}\.pdf"$/);
    const pdf = res.rawPayload;
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const text = pdfPagesText(pdf);
    const practiceName = (await db.selectFrom('practices').select('name').where('id', '=', practice.practiceId).executeTakeFirstOrThrow()).name;
    expect(text).toContain(practiceName);
    expect(text).toContain('Accounting of disclosures');
    expect(text).toContain('Casey Morgan');
    expect(text).toContain('Oakland Police Department');
    expect(text).toContain('Dave (warehouse), through his employer');
    expect(text).toContain('(510) 555-0177');
    expect(text).toContain('455 7th Street, Oakland, CA 94607');
    expect(text).toMatch(/Address: \n?Not known/);
    expect(text).toMatch(/Cal\. Civ\. Code 43\.92\(b\)/);
    expect(pageCount(pdf)).toBe(1);
    expect(text).toContain('Page 1 of 1');
  });
});

describe('the period, CSV and a long accounting', async () => {
  const practice = await createPractice(db);
  const clinician = await signedIn(app, practice.users.clinician);

  it('filters by period: the default six years, a chosen period, and refuses periods that cannot be', async () => {
    const client = await createClient(db, practice);
    const threeYearsAgo = new Date(Date.now() - 3 * 365 * 86_400_000);
    await insertDisclosure(practice, client.id, { at: threeYearsAgo, name: 'Three years ago' });
    await insertDisclosure(practice, client.id, { at: new Date(Date.now() - 7 * 365 * 86_400_000), name: 'Seven years ago' });
    await insertDisclosure(practice, client.id, { at: new Date(), name: 'Today' });
    const names = async (query: string) => (await ok(clinician.get(`/api/clients/${client.id}/accounting${query}`))).entries.map((e: { recipientName: string }) => e.recipientName);

    expect(await names('')).toEqual(['Three years ago', 'Today']);
    const day = localDate(threeYearsAgo, ZONE);
    expect(await names(`?from=${day}&to=${day}`)).toEqual(['Three years ago']);
    expect(await names(`?from=${addDays(day, 1)}`)).toEqual(['Today']);
    expect(await names(`?to=${addDays(today(), -1)}`)).toEqual(['Three years ago']);

    const before = await auditCount(client.id);
    for (const [query, status, code] of [
      [`?from=${today()}&to=${addDays(today(), -1)}`, 422, 'ACCOUNTING_PERIOD_INVALID'],
      [`?to=${addDays(today(), 1)}`, 422, 'ACCOUNTING_PERIOD_INVALID'],
      [`?from=${addDays(defaultPeriod(today()).from, -1)}`, 422, 'ACCOUNTING_PERIOD_INVALID'],
      ['?from=yesterday', 400, 'VALIDATION_FAILED'],
      ['?from=2026-02-30', 400, 'VALIDATION_FAILED'],
      ['?format=xml', 400, 'VALIDATION_FAILED'],
    ] as const) {
      for (const suffix of ['', '.csv', '.pdf']) {
        const res = await clinician.get(`/api/clients/${client.id}/accounting${suffix}${query}`);
        expect(res.statusCode, `${suffix}${query}`).toBe(status);
        expect(res.json().code).toBe(code);
      }
    }
    expect(await auditCount(client.id)).toBe(before);
  });

  it('writes CSV exactly: RFC 4180 quoting, and no cell a spreadsheet would run as a formula', async () => {
    const client = await createClient(db, practice);
    await insertDisclosure(practice, client.id, {
      at: new Date('2025-03-04T17:05:00Z'), name: 'Smith, "Dr." Jo', address: '1 Main St\nOakland, CA', contact: '+15105550199',
      what: '=HYPERLINK("http://example.test","click")', purpose: '-2+3', basis: '@SUM(A1)',
    });
    await insertDisclosure(practice, client.id, { at: new Date('2025-03-05T08:30:00Z'), name: 'Plain Name', address: null, contact: null, what: 'Nothing odd', purpose: 'Audit', basis: 'HIPAA 45 CFR 164.512(d)' });
    const res = await clinician.get(`/api/clients/${client.id}/accounting.csv?from=2025-03-01&to=2025-03-31`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('attachment; filename="accounting-of-disclosures-2025-03-01-to-2025-03-31.csv"');
    expect(res.body).toBe([
      'Date,Time,Recipient,Recipient type,Recipient address,Recipient contact,What was disclosed,Purpose,Legal basis',
      // 17:05 UTC is 09:05 in Los Angeles (PST); 08:30 UTC on the 5th is 00:30 on the 5th (PST, UTC-8).
      '2025-03-04,09:05,"Smith, ""Dr."" Jo",Other,"1 Main St\nOakland, CA",\'+15105550199,"\'=HYPERLINK(""http://example.test"",""click"")",\'-2+3,\'@SUM(A1)',
      '2025-03-05,00:30,Plain Name,Other,,,Nothing odd,Audit,HIPAA 45 CFR 164.512(d)',
      '',
    ].join('\r\n'));
    const read = await db.selectFrom('audit_events').select('detail').where('client_id', '=', client.id).where('resource_type', '=', 'accounting_of_disclosures').execute();
    expect(read.map((r) => JSON.parse(r.detail))).toEqual([{ format: 'csv', from: '2025-03-01', to: '2025-03-31', entries: 2 }]);
  });

  it('quotes and neutralises cells one by one', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('line\r\nbreak')).toBe('"line\r\nbreak"');
    expect(csvCell('=1+1')).toBe("'=1+1");
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('-1')).toBe("'-1");
    expect(csvCell('@x')).toBe("'@x");
    expect(csvCell('\tx')).toBe("'\tx");
    expect(csvCell('a=b')).toBe('a=b');
    expect(csvCell(null)).toBe('');
  });

  it('a long accounting runs to several pages, each numbered "Page n of m"', async () => {
    const client = await createClient(db, practice, { name: 'Robin Łukasz Example' });
    for (let i = 0; i < 40; i++) {
      await insertDisclosure(practice, client.id, { at: new Date(Date.now() - (i + 1) * 86_400_000), name: `Recipient ${String(i + 1).padStart(2, '0')}`, what: 'Dates of attendance and the diagnosis code. '.repeat(3) });
    }
    const res = await clinician.get(`/api/clients/${client.id}/accounting.pdf`);
    expect(res.statusCode).toBe(200);
    const text = pdfPagesText(res.rawPayload);
    const pages = pageCount(res.rawPayload);
    expect(pages).toBeGreaterThan(3);
    for (let p = 1; p <= pages; p++) expect(text).toContain(`Page ${p} of ${pages}`);
    expect(text).not.toContain(`Page ${pages + 1} of`);
    // The embedded DejaVu Sans prints the name as written (Helvetica printed "Robin ?ukasz").
    expect(text).toContain('Robin Łukasz Example');
    for (let i = 1; i <= 40; i++) expect(text).toContain(`Recipient ${String(i).padStart(2, '0')}`);
    expect(text.indexOf('Recipient 40')).toBeLessThan(text.indexOf('Recipient 01')); // oldest first
    expect(text).toContain('40 disclosures');
  });

  it('an accounting with no disclosures says so', async () => {
    const client = await createClient(db, practice);
    expect((await ok(clinician.get(`/api/clients/${client.id}/accounting`))).entries).toEqual([]);
    expect((await clinician.get(`/api/clients/${client.id}/accounting.csv`)).body)
      .toBe('Date,Time,Recipient,Recipient type,Recipient address,Recipient contact,What was disclosed,Purpose,Legal basis\r\n');
    expect(pdfPagesText((await clinician.get(`/api/clients/${client.id}/accounting.pdf`)).rawPayload)).toContain('There were no disclosures in this period that must be listed.');
  });
});

describe('requests for an accounting: 60 days, one 30-day extension with reasons (164.528(c))', async () => {
  const practice = await createPractice(db);
  const clinician = await signedIn(app, practice.users.clinician);
  const admin = await signedIn(app, practice.users.admin);
  const client = await createClient(db, practice, { name: 'Casey Morgan' });
  const url = `/api/clients/${client.id}/accounting-requests`;
  const rows = () => db.selectFrom('accounting_requests').selectAll().where('client_id', '=', client.id).orderBy('created_at').execute();

  it('records a request due 60 days after receipt, extends it once with a reason, and marks it provided', async () => {
    const receivedOn = addDays(today(), -10);
    const { request } = await ok(clinician.post(url, { requestedBy: 'Casey Morgan (the client)', receivedOn, receivedVia: 'in_writing' }), 201);
    expect(request).toMatchObject({
      requestedBy: 'Casey Morgan (the client)', receivedOn, receivedVia: 'in_writing', receivedByName: 'Test clinician',
      dueOn: addDays(receivedOn, 60), deadline: addDays(receivedOn, 60), daysLeft: 50, status: 'open', extension: null, provided: null,
      period: defaultPeriod(receivedOn),
    });

    const before = JSON.stringify(await rows());
    for (const body of [{}, { reason: '   ' }, { reason: 'ok', extra: 1 }]) {
      const res = await clinician.post(`${url}/${request.id}/extend`, body);
      expect(res.statusCode).toBe(400);
    }
    expect(JSON.stringify(await rows())).toBe(before);

    const extended = (await ok(clinician.post(`${url}/${request.id}/extend`, { reason: 'Records from the previous system are being retrieved.' }))).request;
    expect(extended.status).toBe('extended');
    expect(extended.deadline).toBe(addDays(receivedOn, 90));
    expect(extended.daysLeft).toBe(80);
    expect(extended.extension).toMatchObject({ dueOn: addDays(receivedOn, 90), reason: 'Records from the previous system are being retrieved.', byName: 'Test clinician' });

    const afterExtension = JSON.stringify(await rows());
    const again = await clinician.post(`${url}/${request.id}/extend`, { reason: 'Still waiting.' });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('ACCOUNTING_REQUEST_ALREADY_EXTENDED');
    const badPeriod = await clinician.post(`${url}/${request.id}/provided`, { from: today(), to: addDays(today(), -3) });
    expect(badPeriod.json().code).toBe('ACCOUNTING_PERIOD_INVALID');
    expect(JSON.stringify(await rows())).toBe(afterExtension);

    const provided = (await ok(clinician.post(`${url}/${request.id}/provided`, request.period))).request;
    expect(provided).toMatchObject({ status: 'provided', daysLeft: null, provided: { byName: 'Test clinician', period: request.period } });
    const twice = await clinician.post(`${url}/${request.id}/provided`, request.period);
    expect(twice.statusCode).toBe(409);
    expect(twice.json().code).toBe('ACCOUNTING_REQUEST_PROVIDED');
    const late = await clinician.post(`${url}/${request.id}/extend`, { reason: 'After the fact.' });
    expect(late.json().code).toBe('ACCOUNTING_REQUEST_PROVIDED');

    const listed = (await ok(clinician.get(url))).requests;
    expect(listed.map((r: { id: string; status: string }) => [r.id, r.status])).toEqual([[request.id, 'provided']]);
    const trail = await db.selectFrom('audit_events').select(['action', 'detail']).where('client_id', '=', client.id)
      .where('resource_type', '=', 'accounting_request').where('outcome', '=', 'success').orderBy('seq').execute();
    expect(trail.map((e) => Object.keys(JSON.parse(e.detail))[0])).toEqual(['recorded', 'extended', 'provided', 'read']);
  });

  it('an extension comes before the 60 days run out; a request cannot be received in the future or reach back more than six years', async () => {
    const old = (await ok(clinician.post(url, { requestedBy: 'Casey Morgan', receivedOn: addDays(today(), -61), receivedVia: 'email' }), 201)).request;
    expect(old.daysLeft).toBe(-1);
    const before = JSON.stringify(await rows());
    const tooLate = await clinician.post(`${url}/${old.id}/extend`, { reason: 'Busy.' });
    expect(tooLate.statusCode).toBe(409);
    expect(tooLate.json().code).toBe('ACCOUNTING_EXTENSION_TOO_LATE');
    for (const [body, code] of [
      [{ requestedBy: 'Casey', receivedOn: addDays(today(), 1), receivedVia: 'phone' }, 'ACCOUNTING_REQUEST_DATE_INVALID'],
      [{ requestedBy: 'Casey', receivedOn: today(), receivedVia: 'phone', periodFrom: addDays(defaultPeriod(today()).from, -1) }, 'ACCOUNTING_PERIOD_INVALID'],
      [{ requestedBy: 'Casey', receivedOn: today(), receivedVia: 'phone', periodFrom: today(), periodTo: addDays(today(), -1) }, 'ACCOUNTING_PERIOD_INVALID'],
      [{ requestedBy: 'Casey', receivedOn: today(), receivedVia: 'fax' }, 'VALIDATION_FAILED'],
      [{ requestedBy: '', receivedOn: today(), receivedVia: 'phone' }, 'VALIDATION_FAILED'],
      [{ requestedBy: 'Casey', receivedOn: 'soon', receivedVia: 'phone' }, 'VALIDATION_FAILED'],
    ] as const) {
      const res = await clinician.post(url, body);
      expect(res.json().code, JSON.stringify(body)).toBe(code);
    }
    expect(JSON.stringify(await rows())).toBe(before);
  });

  it('admins record requests and see every open one, overdue first, names and dates only; they cannot read the accounting', async () => {
    const recorded = (await ok(admin.post(url, { requestedBy: 'Casey Morgan', receivedOn: addDays(today(), -2), receivedVia: 'in_person', periodFrom: '2024-01-01' }), 201)).request;
    expect(recorded.receivedByName).toBe('Test admin');
    expect(recorded.period).toEqual({ from: '2024-01-01', to: addDays(today(), -2) });
    const { requests } = await ok(admin.get('/api/accounting-requests'));
    const mine = requests.filter((r: { clientId: string }) => r.clientId === client.id);
    expect(mine.map((r: { daysLeft: number }) => r.daysLeft)).toEqual([-1, 58]);
    expect(Object.keys(mine[0]).sort()).toEqual(['clientId', 'clientName', 'daysLeft', 'deadline', 'id', 'receivedOn', 'status']);
    expect(mine[0].clientName).toBe('Casey Morgan');
    expect(requests.every((r: { status: string }) => r.status !== 'provided' as string)).toBe(true);
    expect((await admin.get(`/api/clients/${client.id}/accounting`)).statusCode).toBe(404);
    expect((await clinician.get('/api/accounting-requests')).statusCode).toBe(403);
  });
});

describe('outsiders', async () => {
  const practice = await createPractice(db);
  const other = await createPractice(db, 'Other');
  const client = await createClient(db, practice);
  await insertDisclosure(practice, client.id);
  const offTeam = await createClient(db, practice, { clinicianIds: [] });

  it('answer 404 for the accounting and its requests, in any format, and learn nothing', async () => {
    const outsiders = [
      await signedIn(app, other.users.clinician), await signedIn(app, other.users.owner),
      await signedIn(app, practice.users.owner), await signedIn(app, practice.users.front_desk),
    ];
    const clinician = await signedIn(app, practice.users.clinician);
    const request = (await ok(clinician.post(`/api/clients/${client.id}/accounting-requests`, { requestedBy: 'The client', receivedOn: today(), receivedVia: 'portal' }), 201)).request;
    const before = JSON.stringify(await db.selectFrom('accounting_requests').selectAll().where('client_id', '=', client.id).execute());
    for (const [i, b] of outsiders.entries()) {
      for (const suffix of ['', '.csv', '.pdf']) {
        const res = await b.get(`/api/clients/${client.id}/accounting${suffix}`);
        expect(res.statusCode, `${i} ${suffix}`).toBe(404);
        expect(res.body).not.toContain('County records office');
      }
      // The practice's own owner may manage requests; another practice's may not.
      if (i !== 2) {
        expect((await b.get(`/api/clients/${client.id}/accounting-requests`)).statusCode, String(i)).toBe(404);
        expect((await b.post(`/api/clients/${client.id}/accounting-requests/${request.id}/provided`, { from: today(), to: today() })).statusCode).toBe(404);
      }
    }
    expect((await clinician.get(`/api/clients/${offTeam.id}/accounting`)).statusCode).toBe(404);
    expect((await clinician.get(`/api/clients/${randomUUID()}/accounting.pdf`)).statusCode).toBe(404);
    const otherOwner = outsiders[1]!;
    const foreignList = (await ok(otherOwner.get('/api/accounting-requests'))).requests;
    expect(foreignList.some((r: { clientId: string }) => r.clientId === client.id)).toBe(false);
    expect(JSON.stringify(await db.selectFrom('accounting_requests').selectAll().where('client_id', '=', client.id).execute())).toBe(before);
  });
});

describe('the signed incident report as a PDF', async () => {
  const practice = await createPractice(db);
  const casey = await createClient(db, practice, { name: 'Casey Morgan' });
  const patel = await signedIn(app, practice.users.clinician);
  const supervisor = await signedIn(app, practice.users.supervisor);
  const incidentId = await threatToOthers(patel, casey.id);
  const path = `/api/incidents/${incidentId}/report`;

  it('is 404 until signed, then prints what was signed, both signatures, the addenda and page numbers', async () => {
    expect((await patel.get(`${path}.pdf`)).statusCode).toBe(404);
    const draft = await ok(patel.get(path));
    await ok(patel.put(path, {
      basedOnVersion: draft.version, whatHappened: 'Casey described a plan to hurt a co-worker.', exactWords: 'I will make Dave from the warehouse pay.',
      riskLevel: 'high', riskJustification: 'A named victim and a known place.', mitigationPlan: 'Victim warned; police told; weekly sessions.',
    }));
    const saved = await ok(patel.get(path));
    await ok(patel.post(`${path}/sign`, { version: saved.version }));
    await ok(patel.post(`${path}/addenda`, { text: 'Dave confirmed he received the warning.' }), 201);
    await ok(supervisor.post(`${path}/cosign`, { note: 'Duty to protect met.' }));

    const res = await patel.get(`${path}.pdf`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    const pdf = res.rawPayload;
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const text = pdfPagesText(pdf);
    const practiceName = (await db.selectFrom('practices').select('name').where('id', '=', practice.practiceId).executeTakeFirstOrThrow()).name;
    for (const expected of [
      practiceName, 'Incident report', 'Casey Morgan', 'Casey described a plan to hurt a co-worker.', 'I will make Dave from the warehouse pay.',
      'A named victim and a known place.', 'Victim warned; police told; weekly sessions.', 'Oakland Police Department', 'Dave confirmed he received the warning.',
      'Duty to protect met.', 'Test clinician', 'Test supervisor', '(verified)', `Page 1 of ${pageCount(pdf)}`,
    ]) expect(text, expected).toContain(expected);
    const reads = await db.selectFrom('audit_events').select(['outcome', 'detail']).where('resource_id', '=', incidentId)
      .where('action', '=', 'incident.report.read').where('detail', 'like', '%pdf%').execute();
    expect(reads.map((r) => [r.outcome, JSON.parse(r.detail)])).toEqual([['success', { format: 'pdf', addenda: 1 }]]);

    // Outside the care team: 404, audited as refused.
    const other = await createPractice(db, 'Other');
    for (const b of [await signedIn(app, practice.users.owner), await signedIn(app, other.users.clinician)]) {
      expect((await b.get(`${path}.pdf`)).statusCode).toBe(404);
    }
  });
});
