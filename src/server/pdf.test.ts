import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { pdfPagesText } from '../../test/support/pdf-text.ts';
import { emptySafetyPlan } from '../domain/safety-plan.ts';
import { renderAccountingPdf } from '../modules/disclosures/accounting-pdf.ts';
import { renderIncidentReportPdf } from '../modules/disclosures/report-pdf.ts';
import type { SignedReport } from '../modules/reports/reports.service.ts';
import { renderSafetyPlanPdf } from '../modules/safety-plans/safety-plan-pdf.ts';

// Synthetic people whose names Helvetica (Windows-1252) could not print.
const CLIENT = 'Zoë Nguyễn';
const CONTACT = 'Ólafur Þórsson';
const CLINICIAN = 'Анна Петрова';
const SUPERVISOR = 'Ελένη Παππά';
const PRACTICE = 'Łódź Őrség Counselling';
const CJK = '李雷';

const at = '2026-03-04T15:30:00.000Z';
const hash = 'a'.repeat(64);

function report(): SignedReport {
  return {
    incidentId: 'f1f6a3c2-1111-4111-8111-111111111111', clientId: 'f1f6a3c2-2222-4222-8222-222222222222', kind: 'client',
    protocolKey: 'threat-to-others', protocolTitle: 'Threat to others',
    status: 'reviewed',
    fields: {
      whatHappened: `${CLIENT} said she would confront ${CONTACT}.`, exactWords: `Я скажу ${CONTACT} всё.`,
      riskLevel: 'moderate', riskJustification: 'A named person, no plan.', mitigationPlan: `Weekly sessions with ${CLINICIAN}.`,
    },
    cssrs: null,
    facts: {
      protocols: [], openedAt: at, openedBy: CLINICIAN, closedAt: null, session: null,
      actions: [{ at, by: CLINICIAN, what: 'Safety plan reviewed' }],
      contacted: { pages: [], emergencyContacts: [{ name: CONTACT, contact: null, at, whatWasSaid: 'Asked to stay nearby.' }] },
      disclosures: [], followUps: [],
    },
    signature: { by: { id: 'u1', name: CLINICIAN }, at, contentHash: hash, verified: true },
    cosignature: { by: { id: 'u2', name: SUPERVISOR }, at, contentHash: hash, note: null },
    closed: null,
    addenda: [{ id: 'a1', text: `${CJK} called back.`, author: { id: 'u1', name: CLINICIAN }, signedAt: at, contentHash: hash, verified: true }],
  };
}

const documents: [string, () => Promise<Buffer>][] = [
  ['safety plan', () => renderSafetyPlanPdf({
    practiceName: PRACTICE, clientName: CLIENT, version: 2, savedAt: new Date(at), timeZone: 'America/Los_Angeles',
    content: { ...emptySafetyPlan(), helpContacts: [{ name: CONTACT, phone: '+14155550123', note: `${CLINICIAN}, ${SUPERVISOR}` }], warningSigns: [`${CJK} is away`] },
  })],
  ['incident report', () => renderIncidentReportPdf(report(), { practiceName: PRACTICE, timeZone: 'America/Los_Angeles', clientName: CLIENT })],
  ['accounting of disclosures', () => renderAccountingPdf({
    client: { id: 'c1', name: CLIENT, legalName: CLIENT }, period: { from: '2020-03-05', to: '2026-03-04' }, timeZone: 'America/Los_Angeles',
    generatedAt: at,
    entries: [{
      id: 'd1', disclosedAt: at, date: '2026-03-04', time: '7:30 AM', recipientName: CONTACT, recipientKind: 'victim',
      recipientAddress: `ул. Ленина 1, ${CJK}`, recipientContact: null, whatWasDisclosed: `The threat, told by ${CLINICIAN}.`,
      purpose: 'Warning a potential victim', legalBasis: 'Duty to protect', incidentId: null,
    }],
  }, PRACTICE)],
];

describe('printed records in any Latin, Greek or Cyrillic script (embedded DejaVu Sans)', () => {
  it.each(documents)('the %s prints the names as written', async (_, render) => {
    const pdf = await render();
    const text = pdfPagesText(pdf).replace(/ ?\n/g, ' '); // lines that wrap run on
    for (const name of [CLIENT, CONTACT, CLINICIAN, PRACTICE]) expect(text).toContain(name);
    expect(text).not.toMatch(/Nguy\?n|\?lafur|\?\?\?\? \?\?\?\?\?\?\?/);
    // The fonts are embedded subsets (Type0 / TrueType), never the standard Helvetica.
    const raw = pdf.toString('latin1');
    expect(raw).toMatch(/\/BaseFont \/[A-Z]{6}\+DejaVuSans\b/);
    expect(raw).toMatch(/\/BaseFont \/[A-Z]{6}\+DejaVuSans-Bold\b/);
    expect(raw).not.toContain('/Helvetica');
    // Subsetting keeps the file small: the three font files are ~2 MB together.
    expect(pdf.length).toBeLessThan(80_000);
  });

  it('a letter the fonts lack (CJK) prints as "?", not as an empty box that reads as the letter', async () => {
    const text = pdfPagesText(await documents[2]![1]());
    expect(text).toContain('ул. Ленина 1, ??');
    expect(text).not.toContain(CJK);
  });

  it('finds its fonts from any working directory', () => {
    const pdfModule = pathToFileURL(new URL('./pdf.ts', import.meta.url).pathname).href;
    const tsx = import.meta.resolve('tsx');
    const child = spawnSync(process.execPath, ['--import', tsx, '--input-type=module', '-e', `
      const { PdfDocument } = await import(${JSON.stringify(pdfModule)});
      const pdf = new PdfDocument({ title: 'x', practiceName: 'Zoë' });
      pdf.title('Анна');
      process.stdout.write(String((await pdf.finish()).length) + ' ' + process.cwd());
    `], { cwd: os.tmpdir(), encoding: 'utf8' });
    expect(child.stderr).toBe('');
    const [size, cwd] = child.stdout.split(' ');
    expect(Number(size)).toBeGreaterThan(1000);
    expect(cwd).toBe(os.tmpdir());
  });
});
