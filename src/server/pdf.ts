import { readFileSync } from 'node:fs';
import PDFDocument from 'pdfkit';

/**
 * One layout for every printed record (safety plan, accounting of disclosures, incident
 * report): US Letter, the practice's name at the top of every page, "Page n of m" at the
 * foot, type no smaller than 9 pt for notes and 11 pt for text.
 *
 * Fonts: DejaVu Sans (regular, bold, oblique), shipped in assets/fonts with its licence,
 * so names in any Latin, Greek or Cyrillic script print as written (Zoë Nguyễn, Анна);
 * Chinese, Japanese and Korean letters, which DejaVu Sans lacks, print in Droid Sans
 * Fallback (李雷, 山田 花子, 김민준; one face for all three styles), loaded only when a
 * document holds such a letter. pdfkit embeds only the glyphs a document uses. The app
 * never depends on the fonts of the machine it runs on. Letters neither font has
 * (Devanagari …) go through `pdfRuns`: accents dropped where that leaves a letter, "?"
 * otherwise, never an empty box.
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
/** Droid Sans Fallback (Apache-2.0): CJK ideographs, kana and Hangul syllables. */
const FALLBACK_FILE = 'DroidSansFallback.ttf';
const FALLBACK = 'fallback';

/** A stretch of text printed in one font. */
interface Run { font: Face | typeof FALLBACK; text: string }

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
  private fallbackRegistered = false;

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
    this.doc.fillColor(INK);
    return this.write(text, 'bold', 22, { width: this.width });
  }

  subtitle(text: string): this {
    this.doc.moveDown(0.2).fillColor(INK);
    return this.write(text, 'regular', 14, { width: this.width });
  }

  heading(text: string, options: { gapBefore?: number } = {}): this {
    this.keepTogether(90);
    this.doc.moveDown(options.gapBefore ?? 1.2);
    this.doc.x = MARGIN;
    this.doc.fillColor(INK);
    this.write(text, 'bold', 14, { width: this.width });
    this.doc.moveDown(0.3);
    return this;
  }

  /** Body text (11 pt); `strong` for emphasis, `muted` for notes (9.5 pt), `italic` for prompts. */
  text(text: string, style: 'body' | 'strong' | 'muted' | 'italic' = 'body'): this {
    this.doc.x = MARGIN;
    const face: Face = style === 'strong' ? 'bold' : style === 'italic' ? 'italic' : 'regular';
    const quiet = style === 'muted' || style === 'italic';
    this.doc.fillColor(quiet ? MUTED : INK);
    return this.write(text, face, quiet ? 9.5 : 11, { width: this.width });
  }

  /** "Label: value" on one line (wrapping under itself), the label in bold. */
  field(label: string, value: string, indent = 0): this {
    this.doc.x = MARGIN + indent;
    this.doc.fillColor(INK);
    this.write(`${label}: `, 'bold', 11, { width: this.width - indent, continued: true });
    this.write(value, 'regular', 11, { width: this.width - indent });
    this.doc.moveDown(0.15);
    return this;
  }

  /**
   * Bulleted items. Drawn here rather than by pdfkit's `list`, which wraps each item in one
   * font: a bullet 2 pt in radius at the margin, the text 14 pt in, 3 pt between items.
   */
  list(items: string[]): this {
    const { doc } = this;
    for (const item of items) {
      doc.x = MARGIN;
      doc.fillColor(INK).font('regular', 11);
      // The item's first line goes to the next page with its bullet (as pdfkit's wrapper would move it).
      if (doc.y + doc.currentLineHeight(true) > doc.page.maxY()) doc.addPage();
      doc.circle(MARGIN + 2, doc.y + Math.round(fonts().metrics.ascender * 11) / 2, 2).fill();
      doc.x = MARGIN + 14;
      this.write(item, 'regular', 11, { width: this.width - 14, paragraphGap: 3 });
    }
    doc.x = MARGIN;
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
      doc.fillColor(MUTED);
      [doc.x, doc.y] = [MARGIN, HEADER_Y];
      this.write(this.options.practiceName, 'regular', 9, { width: this.width, lineBreak: false, ellipsis: true });
      const y = doc.page.height - MARGIN - 10;
      if (this.options.footer) {
        [doc.x, doc.y] = [MARGIN, y];
        this.write(this.options.footer, 'regular', 9, { width: this.width - 90, lineBreak: false, ellipsis: true });
      }
      doc.font('regular', 9).text(`Page ${i - range.start + 1} of ${range.count}`, MARGIN, y, { width: this.width, align: 'right', lineBreak: false });
      doc.page.margins.top = top;
      doc.page.margins.bottom = bottom;
    }
    doc.end();
    return this.done;
  }

  /**
   * Writes `text` at the cursor in `face`, the letters DejaVu Sans lacks in the fallback
   * face, as one paragraph: each run continues the last (pdfkit's `continued`), so lines
   * wrap and break across runs as in one font. Every run sits on DejaVu Sans's baseline and
   * line height, so a line mixing scripts neither jumps nor spaces out.
   */
  private write(text: string, face: Face, size: number, options: PDFKit.Mixins.TextOptions): this {
    const { doc } = this;
    const runs = pdfRuns(text, face);
    if (runs.length === 0) runs.push({ font: face, text: '' });
    const { metrics } = fonts();
    runs.forEach((run, i) => {
      const last = i === runs.length - 1;
      const common = { ...options, continued: last ? options.continued ?? false : true, paragraphGap: last ? options.paragraphGap ?? 0 : 0 };
      if (run.font === FALLBACK) {
        if (!this.fallbackRegistered) {
          doc.registerFont(FALLBACK, fallbackFont().font);
          this.fallbackRegistered = true;
        }
        const fallback = fallbackFont().metrics;
        // pdfkit places text by the font's ascender and spaces lines by its height; use DejaVu's.
        doc.font(FALLBACK, size).text(run.text, {
          ...common, baseline: -metrics.ascender * size, lineGap: (metrics.height - fallback.height) * size,
        });
      } else {
        // Explicit, or a continued run would inherit the fallback run's options.
        doc.font(run.font, size).text(run.text, { ...common, baseline: 'top', lineGap: 0 });
      }
    });
    if (!options.continued) doc.font(face, size);
    return this;
  }
}

/** A font as fontkit parsed it; pdfkit takes one in place of a file (an object with `layout`), not in its typings. */
type ParsedFont = PDFKit.Mixins.PDFFontSource & { hasGlyphForCodePoint(codePoint: number): boolean };

/** A face's ascender and line height (ascender + descender + line gap), in ems. */
interface Metrics { ascender: number; height: number }

let loaded: { faces: Record<Face, ParsedFont>; covers: (codePoint: number) => boolean; metrics: Metrics } | undefined;
let fallback: { font: ParsedFont; metrics: Metrics } | undefined;

/**
 * The three faces, read and parsed once per process and shared by every document (each
 * embeds its own subset; parsing per document made a PDF several times slower), and which
 * letters all three can draw, so a name prints the same in a title as in the text. The
 * files are found from this module, not the working directory.
 */
function fonts(): NonNullable<typeof loaded> {
  if (loaded) return loaded;
  const faces = Object.fromEntries(Object.entries(FACES).map(([face, file]) => [face, parseFont(file)])) as Record<Face, ParsedFont>;
  const all = Object.values(faces);
  loaded = { faces, covers: (codePoint) => all.every((font) => font.hasGlyphForCodePoint(codePoint)), metrics: metricsOf(faces.regular) };
  return loaded;
}

/** The CJK face, parsed on the first letter that needs it (a 3.4 MB file most documents never use). */
function fallbackFont(): NonNullable<typeof fallback> {
  if (fallback) return fallback;
  const font = parseFont(FALLBACK_FILE);
  fallback = { font, metrics: metricsOf(font) };
  return fallback;
}

function parseFont(file: string): ParsedFont {
  const probe = new PDFDocument({ autoFirstPage: false });
  probe.font(readFileSync(new URL(`../../assets/fonts/${file}`, import.meta.url)));
  return parsedFont(probe);
}

function metricsOf(font: ParsedFont): Metrics {
  const { unitsPerEm, ascent, descent, lineGap } = font as unknown as Record<'unitsPerEm' | 'ascent' | 'descent' | 'lineGap', number>;
  return { ascender: ascent / unitsPerEm, height: (ascent - descent + lineGap) / unitsPerEm };
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
 * Text as printed, in runs of one font: letters all three DejaVu faces have in `face`,
 * letters they lack in the fallback face when it has them (CJK), otherwise without their
 * accents where that leaves a DejaVu letter, else "?" rather than an empty box. A space
 * stays in the run it follows, so "山田 花子" is one run.
 */
function pdfRuns(text: string, face: Face = 'regular'): Run[] {
  const { covers } = fonts();
  const drawable = (code: number) => code >= 0x20 && !(code >= 0x7f && code < 0xa0) && covers(code);
  const runs: Run[] = [];
  const add = (font: Run['font'], chars: string) => {
    const last = runs.at(-1);
    if (last?.font === font) last.text += chars;
    else runs.push({ font, text: chars });
  };
  for (const ch of text.normalize('NFC')) {
    const code = ch.codePointAt(0) ?? 0;
    if (ch === ' ' || ch === '\n') add(runs.at(-1)?.font ?? face, ch);
    else if (ch === '\t') add(runs.at(-1)?.font ?? face, ' ');
    else if (drawable(code)) add(face, ch);
    else if (code >= 0xa0 && fallbackFont().font.hasGlyphForCodePoint(code)) add(FALLBACK, ch);
    else {
      const bare = ch.normalize('NFKD').replace(/\p{M}/gu, '');
      add(face, [...bare].every((c) => drawable(c.codePointAt(0) ?? 0)) && bare.length > 0 ? bare : '?');
    }
  }
  return runs;
}

/** The text as printed (see `pdfRuns`). */
export function pdfText(text: string): string {
  return pdfRuns(text).map((run) => run.text).join('');
}
