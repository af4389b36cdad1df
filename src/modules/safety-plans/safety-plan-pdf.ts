import PDFDocument from 'pdfkit';
import { parsePhoneNumberWithError } from 'libphonenumber-js';
import { SAFETY_PLAN_SECTIONS, type PlanContact, type SafetyPlanContent } from '../../domain/safety-plan.ts';

export interface PrintablePlan {
  practiceName: string;
  clientName: string;
  version: number;
  savedAt: Date;
  /** The practice's time zone, for the date printed on the plan. */
  timeZone: string;
  content: SafetyPlanContent;
}

const MARGIN = 56;
const FOOTER_GAP = 28;
const INK = '#1a1a1a';
const MUTED = '#5a5a5a';

/**
 * The plan as a printable, paginated PDF to hand to the client: our headings for the
 * six steps (the published Stanley & Brown form is copyrighted; its text is not used),
 * then what matters most, with "Page X of Y" on every page.
 */
export function renderSafetyPlanPdf(plan: PrintablePlan, options: { compress?: boolean } = {}): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'LETTER', margins: { top: MARGIN, left: MARGIN, right: MARGIN, bottom: MARGIN + FOOTER_GAP },
    bufferPages: true, compress: options.compress ?? true,
    info: { Title: 'Safety plan', Author: pdfText(plan.practiceName), Creator: 'Holdspace' },
  });
  const done = new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const savedOn = new Intl.DateTimeFormat('en-US', { timeZone: plan.timeZone, dateStyle: 'long' }).format(plan.savedAt);
  const width = doc.page.width - MARGIN * 2;

  doc.fillColor(MUTED).font('Helvetica').fontSize(10).text(pdfText(plan.practiceName), { width });
  doc.moveDown(0.3).fillColor(INK).font('Helvetica-Bold').fontSize(24).text('My safety plan', { width });
  doc.moveDown(0.2).font('Helvetica').fontSize(14).text(pdfText(plan.clientName), { width });
  doc.moveDown(0.2).fillColor(MUTED).fontSize(10).text(`Version ${plan.version}, saved ${savedOn}`, { width });
  doc.moveDown(0.8).fillColor(INK).font('Helvetica-Bold').fontSize(11)
    .text('If you are in danger right now, call 911. To reach the 988 Suicide & Crisis Lifeline, call or text 988.', { width });

  for (const section of SAFETY_PLAN_SECTIONS) {
    const entries: string[] = section.key === 'distractionContacts' || section.key === 'helpContacts' || section.key === 'professionalContacts'
      ? plan.content[section.key].map(contactLine)
      : plan.content[section.key];
    // Keep a heading with at least its first lines.
    if (doc.y > doc.page.height - doc.page.margins.bottom - 90) doc.addPage();
    doc.moveDown(1.2);
    doc.x = MARGIN;
    const heading = section.step === null ? section.title : `Step ${section.step}. ${section.title}`;
    doc.fillColor(INK).font('Helvetica-Bold').fontSize(14).text(heading, { width });
    doc.moveDown(0.15).fillColor(MUTED).font('Helvetica-Oblique').fontSize(9.5).text(section.prompt, { width });
    doc.moveDown(0.4).fillColor(INK).font('Helvetica').fontSize(11);
    if (entries.length === 0) {
      doc.fillColor(MUTED).font('Helvetica-Oblique').text('Nothing written here yet.', { width });
    } else {
      doc.list(entries.map(pdfText), { width, bulletRadius: 2, bulletIndent: 4, textIndent: 14, paragraphGap: 3 });
    }
  }

  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    // Writing inside the bottom margin would otherwise start a new page.
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    const y = doc.page.height - MARGIN - 10;
    doc.fillColor(MUTED).font('Helvetica').fontSize(9);
    doc.text(pdfText(`Safety plan for ${plan.clientName}, version ${plan.version}`), MARGIN, y, { width: width - 90, lineBreak: false, ellipsis: true });
    doc.text(`Page ${i - range.start + 1} of ${range.count}`, MARGIN, y, { width, align: 'right', lineBreak: false });
    doc.page.margins.bottom = bottom;
  }
  doc.end();
  return done;
}

function contactLine(c: PlanContact): string {
  return [c.name, c.phone ? displayPhone(c.phone) : null, c.note].filter(Boolean).join(' — ');
}

/** (415) 555-0123 for US numbers, +44 20 7946 0958 for others; 988 and 911 as they are dialled. */
export function displayPhone(phone: string): string {
  if (!phone.startsWith('+')) return phone;
  try {
    const parsed = parsePhoneNumberWithError(phone);
    return parsed.country === 'US' ? parsed.formatNational() : parsed.formatInternational();
  } catch {
    return phone;
  }
}

// The 14 standard PDF fonts cover Windows-1252 only: the Latin-1 block plus these.
const WIN_ANSI_EXTRA = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');

/**
 * Text the standard fonts can draw: letters outside Windows-1252 lose their accents
 * where that leaves a letter (ő → o), anything else becomes "?" rather than garbage.
 */
export function pdfText(text: string): string {
  let out = '';
  for (const ch of text.normalize('NFC')) {
    if (drawable(ch)) out += ch;
    else {
      const bare = ch.normalize('NFKD').replace(/\p{M}/gu, '');
      out += [...bare].every(drawable) && bare.length > 0 ? bare : '?';
    }
  }
  return out;
}

function drawable(ch: string): boolean {
  const code = ch.codePointAt(0) ?? 0;
  return (code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff) || WIN_ANSI_EXTRA.has(ch);
}
