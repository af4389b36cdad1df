import { PdfDocument } from '../../server/pdf.ts';
import { displayPhone } from '../safety-plans/safety-plan-pdf.ts';
import type { Accounting } from './accounting.service.ts';
import { recipientKindName } from './accounting-rules.ts';

const longDate = (date: string) => new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', dateStyle: 'long' }).format(new Date(`${date}T12:00:00Z`));

/**
 * The accounting as the client receives it (HIPAA 45 CFR 164.528(b)): for each
 * disclosure its date, the recipient's name and address if known, a brief description
 * of what was disclosed, and its purpose and legal basis; on the shared layout.
 */
export function renderAccountingPdf(a: Accounting, practiceName: string, options: { compress?: boolean } = {}): Promise<Buffer> {
  const period = `${longDate(a.period.from)} to ${longDate(a.period.to)}`;
  const pdf = new PdfDocument({
    title: 'Accounting of disclosures', practiceName, compress: options.compress ?? true,
    footer: `Accounting of disclosures for ${a.client.legalName}, ${a.period.from} to ${a.period.to}`,
  });
  pdf.title('Accounting of disclosures');
  pdf.subtitle(a.client.name === a.client.legalName ? a.client.legalName : `${a.client.legalName} (${a.client.name})`);
  pdf.space(0.3).text(`Period: ${period}`, 'strong');
  pdf.text(`Prepared on ${longDate(a.generatedAt.slice(0, 10))}. Times are in ${a.timeZone.replaceAll('_', ' ')} time.`, 'muted');
  pdf.space(0.6).text(
    'Under HIPAA (45 CFR 164.528) you have a right to a list of the disclosures of your health information that we made '
    + 'in the six years before your request, other than those for your treatment, payment and our health care operations, '
    + 'those made to you or with your written authorization, and the others that rule excludes.',
    'muted',
  );

  pdf.heading(a.entries.length === 1 ? '1 disclosure' : `${a.entries.length} disclosures`, { gapBefore: 1 });
  if (a.entries.length === 0) pdf.text('There were no disclosures in this period that must be listed.', 'italic');
  a.entries.forEach((e, i) => {
    // An entry starts on a page where at least its first lines fit.
    pdf.keepTogether(120);
    pdf.text(`${i + 1}. ${longDate(e.date)}, ${e.time} — ${e.recipientName}`, 'strong');
    pdf.space(0.2);
    pdf.field('Recipient', recipientKindName(e.recipientKind), 14);
    pdf.field('Address', e.recipientAddress ?? 'Not known', 14);
    if (e.recipientContact) pdf.field('Contact', displayPhone(e.recipientContact), 14);
    pdf.field('What was disclosed', e.whatWasDisclosed, 14);
    pdf.field('Purpose', e.purpose, 14);
    pdf.field('Legal basis', e.legalBasis, 14);
    if (i < a.entries.length - 1) pdf.rule();
  });
  return pdf.finish();
}
