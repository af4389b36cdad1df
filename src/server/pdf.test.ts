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
import { PdfDocument, pdfText } from './pdf.ts';

/** Synthetic people, and a line of free text that mentions someone. */
interface Names { client: string; contact: string; clinician: string; supervisor: string; practice: string; note: string }

// Names Helvetica (Windows-1252) could not print; DejaVu Sans has every letter.
const LATIN: Names = {
  client: 'Zoë Nguyễn', contact: 'Ólafur Þórsson', clinician: 'Анна Петрова', supervisor: 'Ελένη Παππά',
  practice: 'Łódź Őrség Counselling', note: 'Zoë Nguyễn',
};
// Chinese, Japanese and Korean names, which print in the fallback face (Droid Sans Fallback).
const CJK: Names = {
  client: '李雷', contact: '山田 花子', clinician: '김민준', supervisor: 'Ελένη Παππά',
  practice: '山田クリニック Counselling', note: 'Dr. 王 (Wang) — Zoë',
};

const at = '2026-03-04T15:30:00.000Z';
const hash = 'a'.repeat(64);

function report(n: Names): SignedReport {
  return {
    incidentId: 'f1f6a3c2-1111-4111-8111-111111111111', clientId: 'f1f6a3c2-2222-4222-8222-222222222222', kind: 'client',
    protocolKey: 'threat-to-others', protocolTitle: 'Threat to others',
    status: 'reviewed',
    fields: {
      whatHappened: `${n.client} said she would confront ${n.contact}.`, exactWords: `Я скажу ${n.contact} всё.`,
      riskLevel: 'moderate', riskJustification: 'A named person, no plan.', mitigationPlan: `Weekly sessions with ${n.clinician}.`,
    },
    cssrs: null,
    facts: {
      protocols: [], openedAt: at, openedBy: n.clinician, closedAt: null, session: null,
      actions: [{ at, by: n.clinician, what: 'Safety plan reviewed' }],
      contacted: { pages: [], emergencyContacts: [{ name: n.contact, contact: null, at, whatWasSaid: 'Asked to stay nearby.' }] },
      disclosures: [], followUps: [],
    },
    signature: { by: { id: 'u1', name: n.clinician }, at, contentHash: hash, verified: true },
    cosignature: { by: { id: 'u2', name: n.supervisor }, at, contentHash: hash, note: null },
    closed: null,
    addenda: [{ id: 'a1', text: `${n.note} called back.`, author: { id: 'u1', name: n.clinician }, signedAt: at, contentHash: hash, verified: true }],
  };
}

const documents: [string, (n: Names) => Promise<Buffer>][] = [
  ['safety plan', (n) => renderSafetyPlanPdf({
    practiceName: n.practice, clientName: n.client, version: 2, savedAt: new Date(at), timeZone: 'America/Los_Angeles',
    content: { ...emptySafetyPlan(), helpContacts: [{ name: n.contact, phone: '+14155550123', note: `${n.clinician}, ${n.supervisor}` }], warningSigns: [`${n.note} is away`] },
  })],
  ['incident report', (n) => renderIncidentReportPdf(report(n), { practiceName: n.practice, timeZone: 'America/Los_Angeles', clientName: n.client })],
  ['accounting of disclosures', (n) => renderAccountingPdf({
    client: { id: 'c1', name: n.client, legalName: n.client }, period: { from: '2020-03-05', to: '2026-03-04' }, timeZone: 'America/Los_Angeles',
    generatedAt: at,
    entries: [{
      id: 'd1', disclosedAt: at, date: '2026-03-04', time: '7:30 AM', recipientName: n.contact, recipientKind: 'victim',
      recipientAddress: `ул. Ленина 1, ${n.note}`, recipientContact: null, whatWasDisclosed: `The threat, told by ${n.clinician}.`,
      purpose: 'Warning a potential victim', legalBasis: 'Duty to protect', incidentId: null,
    }],
  }, n.practice)],
];

/** The fonts a PDF embeds, without pdfkit's subset tag (ABCDEF+). */
function embeddedFonts(pdf: Buffer): string[] {
  const names = [...pdf.toString('latin1').matchAll(/\/BaseFont \/(?:[A-Z]{6}\+)?([^\s/>]+)/g)].map(([, name]) => name!);
  return [...new Set(names)].sort();
}

describe('printed records in any Latin, Greek or Cyrillic script (embedded DejaVu Sans)', () => {
  it.each(documents)('the %s prints the names as written', async (_, render) => {
    const pdf = await render(LATIN);
    const text = pdfPagesText(pdf).replace(/ ?\n/g, ' '); // lines that wrap run on
    for (const name of [LATIN.client, LATIN.contact, LATIN.clinician, LATIN.practice]) expect(text).toContain(name);
    expect(text).not.toMatch(/Nguy\?n|\?lafur|\?\?\?\? \?\?\?\?\?\?\?/);
    // The fonts are embedded subsets (Type0 / TrueType), never the standard Helvetica.
    const raw = pdf.toString('latin1');
    expect(raw).toMatch(/\/BaseFont \/[A-Z]{6}\+DejaVuSans\b/);
    expect(raw).toMatch(/\/BaseFont \/[A-Z]{6}\+DejaVuSans-Bold\b/);
    expect(raw).not.toContain('/Helvetica');
    // No CJK letter, so the fallback face is not embedded (nor the file any bigger).
    expect(embeddedFonts(pdf).every((font) => /^DejaVuSans(-Bold|-Oblique)?$/.test(font)), embeddedFonts(pdf).join()).toBe(true);
    // Subsetting keeps the file small: the three font files are ~2 MB together.
    expect(pdf.length).toBeLessThan(80_000);
  });

  it('finds its fonts from any working directory, the CJK face too', () => {
    const pdfModule = pathToFileURL(new URL('./pdf.ts', import.meta.url).pathname).href;
    const tsx = import.meta.resolve('tsx');
    const child = spawnSync(process.execPath, ['--import', tsx, '--input-type=module', '-e', `
      const { PdfDocument } = await import(${JSON.stringify(pdfModule)});
      const pdf = new PdfDocument({ title: 'x', practiceName: 'Zoë' });
      pdf.title('Анна 李雷');
      const raw = (await pdf.finish()).toString('latin1');
      process.stdout.write([raw.length, /DroidSansFallback/.test(raw), process.cwd()].join(' '));
    `], { cwd: os.tmpdir(), encoding: 'utf8' });
    expect(child.stderr).toBe('');
    const [size, fallback, cwd] = child.stdout.split(' ');
    expect(Number(size)).toBeGreaterThan(1000);
    expect(fallback).toBe('true');
    expect(cwd).toBe(os.tmpdir());
  });
});

describe('printed records with Chinese, Japanese or Korean names (Droid Sans Fallback)', () => {
  it.each(documents)('the %s prints 李雷, 山田 花子 and 김민준 as written', async (_, render) => {
    const pdf = await render(CJK);
    const text = pdfPagesText(pdf);
    for (const name of [CJK.client, CJK.contact, CJK.clinician, CJK.practice, CJK.note]) expect(text).toContain(name);
    expect(text).not.toContain('?');
    // The header carries the practice's name on every page.
    expect(text.split('\n')).toContain(CJK.practice);
    expect(embeddedFonts(pdf)).toContain('DroidSansFallback');
    expect(pdf.toString('latin1')).toMatch(/\/BaseFont \/[A-Z]{6}\+DroidSansFallback\b/); // a subset, not the 3.4 MB file
    expect(pdf.length).toBeLessThan(120_000);
  });

  it('keeps a line that mixes scripts in order and on one line, in every kind of block', async () => {
    const mixed = 'Dr. 王 (Wang) — Zoë';
    const pdf = new PdfDocument({ title: 'Mixed', practiceName: `${mixed} Practice`, footer: `For ${mixed}`, compress: false });
    pdf.title(mixed).subtitle(mixed).heading(mixed).text(mixed).text(mixed, 'strong').text(mixed, 'muted').text(mixed, 'italic')
      .field(`${mixed} label`, mixed).list([mixed, `second ${mixed}`]);
    const lines = pdfPagesText(await pdf.finish()).split('\n');
    // The extractor joins only runs on one baseline: a run printed higher or lower would stand on a line of its own.
    expect(lines).toEqual([
      mixed, mixed, mixed, mixed, mixed, mixed, mixed, `${mixed} label: ${mixed}`, mixed, `second ${mixed}`,
      `${mixed} Practice`, `For ${mixed} Page 1 of 1`,
    ]);
  });

  it('wraps a long paragraph across fonts without losing or reordering a letter', async () => {
    const sentence = '李雷 met 山田 花子 and 김민준 at Dr. 王 (Wang)’s office on Tuesday.';
    const paragraph = Array.from({ length: 8 }, () => sentence).join(' ');
    const pdf = new PdfDocument({ title: 'Wrap', practiceName: 'P' });
    pdf.text(paragraph);
    const lines = pdfPagesText(await pdf.finish()).split('\n').slice(0, -2); // less the header and "Page 1 of 1"
    expect(lines.length).toBeGreaterThan(3);
    // Lines break at spaces or, as CJK text may, between two letters (김|민준): each line
    // continues the paragraph exactly where the last one stopped.
    let at = 0;
    for (const line of lines) {
      expect(paragraph.slice(at, at + line.length), `line ${lines.indexOf(line) + 1}`).toBe(line);
      at += line.length;
    }
    expect(at).toBe(paragraph.length);
  });

  it('prints "?" for a letter neither font has, never an empty box', async () => {
    expect(pdfText('李 नम\tend\u0007')).toBe('李 ?? end?'); // Devanagari is in neither face
    const pdf = new PdfDocument({ title: 'x', practiceName: 'P' });
    pdf.text('김민준 नमस्ते');
    expect(pdfPagesText(await pdf.finish())).toContain('김민준 ??????');
  });
});
