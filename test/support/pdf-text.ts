import { inflateSync } from 'node:zlib';

/**
 * The text drawn on each page of a PDF made by pdfkit, page by page, one line per text
 * run. Reads what pdfkit writes (a classic xref table, direct /Length, hex strings in TJ
 * arrays): embedded fonts (Type0, Identity-H) through their ToUnicode CMap, the standard
 * fonts as Windows-1252. Not a general PDF parser.
 */
export function pdfPagesText(pdf: Buffer): string {
  const objects = readObjects(pdf);
  const streamOf = (id: number) => stream(pdf, objects.get(id)!);
  const fonts = new Map<string, (hex: string) => string>();
  for (const { dict } of objects.values()) {
    const resources = /\/Font\s*<<([^>]*)>>/.exec(dict);
    for (const [, name, ref] of resources?.[1]!.matchAll(/\/([^\s/]+)\s+(\d+) 0 R/g) ?? []) {
      if (!fonts.has(name!)) fonts.set(name!, fontDecoder(objects.get(Number(ref))?.dict ?? '', streamOf));
    }
  }
  const pagesObj = [...objects.values()].find((o) => /\/Type\s*\/Pages\b/.test(o.dict));
  const kids = [...(/\/Kids\s*\[([^\]]*)\]/.exec(pagesObj?.dict ?? '')?.[1] ?? '').matchAll(/(\d+) 0 R/g)].map(([, id]) => Number(id));
  const text: string[] = [];
  for (const pageId of kids) {
    const contents = /\/Contents\s+(\d+) 0 R/.exec(objects.get(pageId)!.dict);
    const content = streamOf(Number(contents![1])).toString('latin1');
    let decode: (hex: string) => string = winAnsi;
    for (const [, font, array] of content.matchAll(/\/([^\s/]+)\s+[\d.]+\s+Tf|\[([^\]]*)\]\s*TJ/g)) {
      if (font) decode = fonts.get(font) ?? winAnsi;
      else text.push([...array!.matchAll(/<([0-9a-fA-F]*)>/g)].map(([, hex]) => decode(hex!)).join(''));
    }
  }
  return text.join('\n');
}

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

/** A font's text decoder: embedded fonts by their ToUnicode CMap (2-byte codes), standard fonts as Windows-1252. */
function fontDecoder(fontDict: string, streamOf: (id: number) => Buffer): (hex: string) => string {
  const toUnicode = /\/ToUnicode\s+(\d+) 0 R/.exec(fontDict);
  if (!toUnicode) return winAnsi;
  const cmap = parseToUnicode(streamOf(Number(toUnicode[1])).toString('latin1'));
  return (hex) => (hex.match(/.{4}/g) ?? []).map((code) => cmap.get(parseInt(code, 16)) ?? '\uFFFD').join('');
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
