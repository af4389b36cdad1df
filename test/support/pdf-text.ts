import { inflateSync } from 'node:zlib';

/**
 * The text drawn on each page of a PDF made by pdfkit, page by page, one line per printed
 * line: text runs on one baseline (a bold label and its value, a name in another font) join
 * up, with a space between them only where the page leaves a gap. Reads what pdfkit writes
 * (a classic xref table, direct /Length, `Tm` then `Tf` then hex strings in a TJ array):
 * embedded fonts (Type0, Identity-H) through their ToUnicode CMap and /W widths, the
 * standard fonts as Windows-1252. Not a general PDF parser.
 */
export function pdfPagesText(pdf: Buffer): string {
  const objects = readObjects(pdf);
  const streamOf = (id: number) => stream(pdf, objects.get(id)!);
  const fonts = new Map<string, Decoder>();
  for (const { dict } of objects.values()) {
    const resources = /\/Font\s*<<([^>]*)>>/.exec(dict);
    for (const [, name, ref] of resources?.[1]!.matchAll(/\/([^\s/]+)\s+(\d+) 0 R/g) ?? []) {
      if (!fonts.has(name!)) fonts.set(name!, fontDecoder(objects.get(Number(ref))?.dict ?? '', objects, streamOf));
    }
  }
  const pagesObj = [...objects.values()].find((o) => /\/Type\s*\/Pages\b/.test(o.dict));
  const kids = [...(/\/Kids\s*\[([^\]]*)\]/.exec(pagesObj?.dict ?? '')?.[1] ?? '').matchAll(/(\d+) 0 R/g)].map(([, id]) => Number(id));
  const text: string[] = [];
  for (const pageId of kids) {
    const contents = /\/Contents\s+(\d+) 0 R/.exec(objects.get(pageId)!.dict);
    const content = streamOf(Number(contents![1])).toString('latin1');
    let decoder = STANDARD;
    let [x, y, size] = [0, 0, 0];
    let line: { y: number; endX: number } | undefined;
    for (const [, tx, ty, font, fontSize, array] of content.matchAll(/(-?[\d.]+) (-?[\d.]+) Tm|\/([^\s/]+)\s+([\d.]+)\s+Tf|\[([^\]]*)\]\s*TJ/g)) {
      if (tx !== undefined) [x, y] = [Number(tx), Number(ty)];
      else if (font) [decoder, size] = [fonts.get(font) ?? STANDARD, Number(fontSize)];
      else {
        const parts = [...array!.matchAll(/<([0-9a-fA-F]*)>|(-?[\d.]+)/g)];
        const run = parts.map(([, hex]) => (hex === undefined ? '' : decoder.decode(hex))).join('');
        // TJ numbers move the pen back, in thousandths of the font size.
        const width = parts.reduce((w, [, hex, shift]) => w + (hex === undefined ? -Number(shift) : decoder.width(hex)), 0) * size / 1000;
        if (line && Math.abs(line.y - y) < 0.01) text[text.length - 1] += (Math.abs(x - line.endX) < 0.5 ? '' : ' ') + run;
        else text.push(run);
        line = { y, endX: decoder.measured ? x + width : NaN };
      }
    }
  }
  return text.join('\n');
}

/** A font's text (by its ToUnicode CMap) and advance (by its /W widths, 1000 to the em) for a hex string. */
interface Decoder { decode(hex: string): string; width(hex: string): number; measured: boolean }
const STANDARD: Decoder = { decode: winAnsi, width: () => 0, measured: false };

interface PdfObject { dict: string; start: number }

/** Every object in the xref table: its dictionary, and where its body starts. */
function readObjects(pdf: Buffer): Map<number, PdfObject> {
  const latin = pdf.toString('latin1');
  const xrefAt = Number(/startxref\s+(\d+)\s+%%EOF\s*$/.exec(latin)![1]);
  const [, first, count, rows] = /^xref\s+(\d+)\s+(\d+)\s+([\s\S]*?)trailer/.exec(latin.slice(xrefAt))!;
  const objects = new Map<number, PdfObject>();
  rows!.trim().split(/\s*\n\s*/).slice(0, Number(count)).forEach((row, i) => {
    const [offset, , kind] = row.trim().split(/\s+/);
    if (kind !== 'n') return;
    const header = /^(\d+) 0 obj\s*/.exec(latin.slice(Number(offset), Number(offset) + 32))!;
    const start = Number(offset) + header[0].length;
    // The dictionary ends where its stream or the object does (a dictionary holds neither word).
    const ends = ['\nstream\n', '\nendobj'].map((s) => latin.indexOf(s, start)).filter((e) => e >= 0);
    objects.set(Number(first) + i, { dict: latin.slice(start, Math.min(...ends)), start });
  });
  return objects;
}

/** An object's stream, inflated when it is compressed. */
function stream(pdf: Buffer, obj: PdfObject): Buffer {
  const length = Number(/\/Length\s+(\d+)/.exec(obj.dict)![1]);
  const begin = obj.start + obj.dict.length + '\nstream\n'.length;
  const raw = pdf.subarray(begin, begin + length);
  return /\/FlateDecode/.test(obj.dict) ? inflateSync(raw) : raw;
}

/** A font's decoder: embedded fonts by their ToUnicode CMap (2-byte codes) and /W widths, standard fonts as Windows-1252. */
function fontDecoder(fontDict: string, objects: Map<number, PdfObject>, streamOf: (id: number) => Buffer): Decoder {
  const toUnicode = /\/ToUnicode\s+(\d+) 0 R/.exec(fontDict);
  if (!toUnicode) return STANDARD;
  const cmap = parseToUnicode(streamOf(Number(toUnicode[1])).toString('latin1'));
  const descendant = objects.get(Number(/\/DescendantFonts\s*\[\s*(\d+) 0 R/.exec(fontDict)?.[1]))?.dict ?? '';
  const widths = parseWidths(descendant);
  const codes = (hex: string) => (hex.match(/.{4}/g) ?? []).map((code) => parseInt(code, 16));
  return {
    decode: (hex) => codes(hex).map((code) => cmap.get(code) ?? '\uFFFD').join(''),
    width: (hex) => codes(hex).reduce((w, code) => w + (widths.get(code) ?? 0), 0),
    measured: widths.size > 0,
  };
}

/** The /W array of a CIDFont: `first [w w …]` lists and `first last w` ranges. */
function parseWidths(cidFont: string): Map<number, number> {
  const widths = new Map<number, number>();
  const body = /\/W\s*\[((?:[^\[\]]|\[[^\]]*\])*)\]/.exec(cidFont)?.[1] ?? '';
  for (const [, first, list, last, width] of body.matchAll(/(\d+)\s*(?:\[([^\]]*)\]|(\d+)\s+([\d.]+))/g)) {
    if (list !== undefined) list.trim().split(/\s+/).filter(Boolean).forEach((w, i) => widths.set(Number(first) + i, Number(w)));
    else for (let code = Number(first); code <= Number(last); code++) widths.set(code, Number(width));
  }
  return widths;
}

/** The bfrange (array and incrementing forms) and bfchar entries of a ToUnicode CMap. */
function parseToUnicode(cmap: string): Map<number, string> {
  const map = new Map<number, string>();
  const utf16 = (hex: string) => String.fromCharCode(...(hex.replace(/\s+/g, '').match(/.{4}/g) ?? []).map((h) => parseInt(h, 16)));
  for (const [, body] of cmap.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
    for (const [, lo, hi, array, dst] of body!.matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*(?:\[([^\]]*)\]|<([0-9a-fA-F]+)>)/g)) {
      const from = parseInt(lo!, 16);
      const to = parseInt(hi!, 16);
      if (array !== undefined) {
        [...array.matchAll(/<([0-9a-fA-F\s]*)>/g)].forEach(([, h], i) => map.set(from + i, utf16(h!)));
      } else {
        const base = parseInt(dst!, 16);
        for (let code = from; code <= to; code++) map.set(code, String.fromCharCode(base + code - from));
      }
    }
  }
  for (const [, body] of cmap.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) {
    for (const [, src, dst] of body!.matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F\s]+)>/g)) map.set(parseInt(src!, 16), utf16(dst!));
  }
  return map;
}

/** Windows-1252 bytes 0x80-0x9f (the rest is Latin-1); Node's TextDecoder treats the label as Latin-1. */
const CP1252_HIGH = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ';
function winAnsi(hex: string): string {
  return [...Buffer.from(hex, 'hex')].map((b) => (b >= 0x80 && b <= 0x9f ? CP1252_HIGH[b - 0x80] : String.fromCharCode(b))).join('');
}
