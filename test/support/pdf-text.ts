import { inflateSync } from 'node:zlib';

/** Windows-1252 bytes 0x80-0x9f (the rest is Latin-1); Node's TextDecoder treats the label as Latin-1. */
const CP1252_HIGH = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ';
const winAnsi = { decode: (bytes: Buffer) => [...bytes].map((b) => (b >= 0x80 && b <= 0x9f ? CP1252_HIGH[b - 0x80] : String.fromCharCode(b))).join('') };

/** The text drawn on each page of a PDF made by pdfkit (standard fonts, hex strings in TJ arrays). */
export function pdfPagesText(pdf: Buffer): string {
  const text: string[] = [];
  let at = 0;
  for (;;) {
    const start = pdf.indexOf('>>\nstream\n', at);
    if (start < 0) break;
    const end = pdf.indexOf('\nendstream', start);
    if (end < 0) break;
    const raw = pdf.subarray(start + '>>\nstream\n'.length, end);
    at = end + '\nendstream'.length;
    let content: string;
    try {
      content = inflateSync(raw).toString('latin1');
    } catch {
      content = raw.toString('latin1');
    }
    for (const [, array] of content.matchAll(/\[([^\]]*)\]\s*TJ/g)) {
      text.push([...array!.matchAll(/<([0-9a-f]*)>/g)].map(([, hex]) => winAnsi.decode(Buffer.from(hex!, 'hex'))).join(''));
    }
  }
  return text.join('\n');
}
