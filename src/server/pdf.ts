import { readFileSync } from 'node:fs';
import PDFDocument from 'pdfkit';

/**
 * One layout for every printed record (safety plan, accounting of disclosures, incident
 * report): US Letter, the practice's name at the top of every page, "Page n of m" at the
 * foot, type no smaller than 9 pt for notes and 11 pt for text.
 *
 * Fonts: DejaVu Sans (regular, bold, oblique), shipped in assets/fonts with its licence,
 * so names in any Latin, Greek or Cyrillic script print as written (Zoë Nguyễn, Анна);
 * pdfkit embeds only the glyphs a document uses. The app never depends on the fonts of the
 * machine it runs on. Letters DejaVu Sans lacks (CJK, Devanagari …) go through `pdfText`:
 * accents dropped where that leaves a letter, "?" otherwise, never an empty box.
 */
export const MARGIN = 56;
const HEADER_Y = 28;
const FOOTER_GAP = 28;
export const INK = '#1a1a1a';
export const MUTED = '#5a5a5a';

const FACES = {
  regular: 'DejaVuSans.ttf',
  bold: 'DejaVuSans-Bold.ttf',
  italic: 'DejaVuSans-Oblique.ttf',
} as const;
type Face = keyof typeof FACES;

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
      info: { Title: options.title, Author: options.practiceName, Creator: 'Holdspace' },
    });
    for (const [face, font] of Object.entries(fonts().faces)) this.doc.registerFont(face, font);
    this.doc.font('regular');
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
    this.doc.fillColor(INK).font('bold').fontSize(22).text(pdfText(text), { width: this.width });
    return this;
  }

  subtitle(text: string): this {
    this.doc.moveDown(0.2).fillColor(INK).font('regular').fontSize(14).text(pdfText(text), { width: this.width });
    return this;
  }

  heading(text: string, options: { gapBefore?: number } = {}): this {
    this.keepTogether(90);
    this.doc.moveDown(options.gapBefore ?? 1.2);
    this.doc.x = MARGIN;
    this.doc.fillColor(INK).font('bold').fontSize(14).text(pdfText(text), { width: this.width });
    this.doc.moveDown(0.3);
    return this;
  }

  /** Body text (11 pt); `strong` for emphasis, `muted` for notes (9.5 pt), `italic` for prompts. */
  text(text: string, style: 'body' | 'strong' | 'muted' | 'italic' = 'body'): this {
    this.doc.x = MARGIN;
    const font: Face = style === 'strong' ? 'bold' : style === 'italic' ? 'italic' : 'regular';
    this.doc.fillColor(style === 'muted' || style === 'italic' ? MUTED : INK).font(font).fontSize(style === 'muted' || style === 'italic' ? 9.5 : 11)
      .text(pdfText(text), { width: this.width });
    return this;
  }

  /** "Label: value" on one line (wrapping under itself), the label in bold. */
  field(label: string, value: string, indent = 0): this {
    this.doc.x = MARGIN + indent;
    this.doc.fillColor(INK).font('bold').fontSize(11).text(`${pdfText(label)}: `, { continued: true, width: this.width - indent })
      .font('regular').text(pdfText(value), { width: this.width - indent });
    this.doc.moveDown(0.15);
    return this;
  }

  list(items: string[]): this {
    this.doc.x = MARGIN;
    this.doc.fillColor(INK).font('regular').fontSize(11)
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
      doc.fillColor(MUTED).font('regular').fontSize(9);
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

/** A font as fontkit parsed it; pdfkit takes one in place of a file (an object with `layout`), not in its typings. */
type ParsedFont = PDFKit.Mixins.PDFFontSource & { hasGlyphForCodePoint(codePoint: number): boolean };

let loaded: { faces: Record<Face, ParsedFont>; covers: (codePoint: number) => boolean } | undefined;

/**
 * The three faces, read and parsed once per process and shared by every document (each
 * embeds its own subset; parsing per document made a PDF several times slower), and which
 * letters all three can draw, so a name prints the same in a title as in the text. The
 * files are found from this module, not the working directory.
 */
function fonts(): NonNullable<typeof loaded> {
  if (loaded) return loaded;
  const probe = new PDFDocument({ autoFirstPage: false });
  const faces = Object.fromEntries(Object.entries(FACES).map(([face, file]) => {
    probe.font(readFileSync(new URL(`../../assets/fonts/${file}`, import.meta.url)));
    return [face, parsedFont(probe)];
  })) as Record<Face, ParsedFont>;
  const all = Object.values(faces);
  loaded = { faces, covers: (codePoint) => all.every((font) => font.hasGlyphForCodePoint(codePoint)) };
  return loaded;
}

/** The fontkit font of the document's current font: pdfkit keeps it as `_font.font`. */
function parsedFont(doc: PDFKit.PDFDocument): ParsedFont {
  const font = (doc as unknown as { _font?: { font?: Partial<ParsedFont> & { layout?: unknown } } })._font?.font;
  if (typeof font?.hasGlyphForCodePoint !== 'function' || typeof font.layout !== 'function') {
    throw new Error('pdfkit no longer exposes the fontkit font it embeds: update parsedFont in src/server/pdf.ts');
  }
  return font as ParsedFont;
}

/**
 * Text the fonts can draw: letters DejaVu Sans lacks lose their accents where that leaves
 * a letter it has, anything else becomes "?" rather than an empty box.
 */
export function pdfText(text: string): string {
  const { covers } = fonts();
  const drawable = (ch: string) => {
    const code = ch.codePointAt(0) ?? 0;
    return code >= 0x20 && !(code >= 0x7f && code < 0xa0) && covers(code);
  };
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
