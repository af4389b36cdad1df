/**
 * CSV as RFC 4180 has it (CRLF line ends; a field with a comma, quote or line break is
 * quoted, quotes doubled), safe to open in a spreadsheet: a cell that starts with
 * = + - @ (or a tab or carriage return) would run as a formula, so it gets a leading
 * apostrophe (OWASP, "CSV Injection").
 */
export function csvCell(value: string | null | undefined): string {
  let text = value ?? '';
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function toCsv(rows: readonly (readonly (string | null | undefined)[])[]): string {
  return rows.map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}
