import PDFDocument from 'pdfkit';

/**
 * One layout for every printed record (safety plan, accounting of disclosures, incident
 * report): US Letter, the practice's name at the top of every page, "Page n of m" at the
 * foot, type no smaller than 9 pt for notes and 11 pt for text.
 *
 * Fonts: the 14 standard PDF fonts (Helvetica), which need nothing installed; they draw
 * Windows-1252 only, so other letters go through `pdfText` (accents dropped where that
 * leaves a letter, "?" otherwise). No font file ships with our npm dependencies, and the
 * app must not depend on fonts of the machine it runs on.
 */
export const MARGIN = 56;
const HEADER_Y = 28;
const FOOTER_GAP = 28;
export const INK = '#1a1a1a';
export const MUTED = '#5a5a5a';

export interface PdfOptions {
  /** The document's title (its metadata, and what a PDF viewer shows). */
  title: string;
  /** Printed at the top of every page. */
  practiceName: string;
  /** Printed at the foot of every page, left of the page number (what this is, for whom). */
  footer?: string;
  /** Tests read the page content uncompressed. */
  compress?: boolean;
}

export class PdfDocument {
  readonly doc: PDFKit.PDFDocument;
  /** The width of the text block. */
  readonly width: number;
  private readonly done: Promise<Buffer>;

  constructor(private readonly options: PdfOptions) {
    this.doc = new PDFDocument({
      size: 'LETTER', margins: { top: MARGIN, left: MARGIN, right: MARGIN, bottom: MARGIN + FOOTER_GAP },
      bufferPages: true, compress: options.compress ?? true,
      info: { Title: pdfText(options.title), Author: pdfText(options.practiceName), Creator: 'Holdspace' },
    });
    this.done = new Promise<Buffer>((resolve, reject) => {
      const chunks: Buffer[] = [];
      this.doc.on('data', (chunk: Buffer) => chunks.push(chunk));
      this.doc.on('end', () => resolve(Buffer.concat(chunks)));
      this.doc.on('error', reject);
    });
    this.width = this.doc.page.width - MARGIN * 2;
  }

  /** The space left on this page, in points. */
  get spaceLeft(): number {
    return this.doc.page.height - this.doc.page.margins.bottom - this.doc.y;
  }

  /** Starts a new page unless `points` still fit on this one (keeps a heading with its first lines). */
  keepTogether(points: number): this {
    if (this.spaceLeft < points) this.doc.addPage();
    return this;
  }

  title(text: string): this {
    this.doc.x = MARGIN;
    this.doc.fillColor(INK).font('Helvetica-Bold').fontSize(22).text(pdfText(text), { width: this.width });
    return this;
  }

  subtitle(text: string): this {
    this.doc.moveDown(0.2).fillColor(INK).font('Helvetica').fontSize(14).text(pdfText(text), { width: this.width });
    return this;
  }

  heading(text: string, options: { gapBefore?: number } = {}): this {
    this.keepTogether(90);
    this.doc.moveDown(options.gapBefore ?? 1.2);
    this.doc.x = MARGIN;
    this.doc.fillColor(INK).font('Helvetica-Bold').fontSize(14).text(pdfText(text), { width: this.width });
    this.doc.moveDown(0.3);
    return this;
  }

  /** Body text (11 pt); `strong` for emphasis, `muted` for notes (9.5 pt), `italic` for prompts. */
  text(text: string, style: 'body' | 'strong' | 'muted' | 'italic' = 'body'): this {
    this.doc.x = MARGIN;
    const font = style === 'strong' ? 'Helvetica-Bold' : style === 'italic' ? 'Helvetica-Oblique' : 'Helvetica';
    this.doc.fillColor(style === 'muted' || style === 'italic' ? MUTED : INK).font(font).fontSize(style === 'muted' || style === 'italic' ? 9.5 : 11)
      .text(pdfText(text), { width: this.width });
    return this;
  }

  /** "Label: value" on one line (wrapping under itself), the label in bold. */
  field(label: string, value: string, indent = 0): this {
    this.doc.x = MARGIN + indent;
    this.doc.fillColor(INK).font('Helvetica-Bold').fontSize(11).text(`${pdfText(label)}: `, { continued: true, width: this.width - indent })
      .font('Helvetica').text(pdfText(value), { width: this.width - indent });
    this.doc.moveDown(0.15);
    return this;
  }

  list(items: string[]): this {
    this.doc.x = MARGIN;
    this.doc.fillColor(INK).font('Helvetica').fontSize(11)
      .list(items.map(pdfText), { width: this.width, bulletRadius: 2, bulletIndent: 4, textIndent: 14, paragraphGap: 3 });
    return this;
  }

  space(lines = 1): this {
    this.doc.moveDown(lines);
    return this;
  }

  /** A thin rule across the text block, e.g. between entries. */
  rule(): this {
    const y = this.doc.y + 4;
    this.doc.save().strokeColor('#c8c8c8').lineWidth(0.5).moveTo(MARGIN, y).lineTo(MARGIN + this.width, y).stroke().restore();
    this.doc.y = y + 8;
    return this;
  }

  /** Stamps the header and footer on every page and returns the file. */
  finish(): Promise<Buffer> {
    const { doc } = this;
    const range = doc.bufferedPageRange();
    for (let i = range.start; i < range.start + range.count; i++) {
      doc.switchToPage(i);
      // Writing inside the margins would otherwise start a new page.
      const { top, bottom } = doc.page.margins;
      doc.page.margins.top = 0;
      doc.page.margins.bottom = 0;
      doc.fillColor(MUTED).font('Helvetica').fontSize(9);
      doc.text(pdfText(this.options.practiceName), MARGIN, HEADER_Y, { width: this.width, lineBreak: false, ellipsis: true });
      const y = doc.page.height - MARGIN - 10;
      if (this.options.footer) {
        doc.text(pdfText(this.options.footer), MARGIN, y, { width: this.width - 90, lineBreak: false, ellipsis: true });
      }
      doc.text(`Page ${i - range.start + 1} of ${range.count}`, MARGIN, y, { width: this.width, align: 'right', lineBreak: false });
      doc.page.margins.top = top;
      doc.page.margins.bottom = bottom;
    }
    doc.end();
    return this.done;
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
    else if (ch === '\n' || ch === '\t') out += ch === '\n' ? '\n' : ' ';
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
