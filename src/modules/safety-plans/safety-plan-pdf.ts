import { parsePhoneNumberWithError } from 'libphonenumber-js';
import { SAFETY_PLAN_SECTIONS, type PlanContact, type SafetyPlanContent } from '../../domain/safety-plan.ts';
import { PdfDocument, pdfText } from '../../server/pdf.ts';

export { pdfText };

export interface PrintablePlan {
  practiceName: string;
  clientName: string;
  version: number;
  savedAt: Date;
  /** The practice's time zone, for the date printed on the plan. */
  timeZone: string;
  content: SafetyPlanContent;
}

/**
 * The plan as a printable, paginated PDF to hand to the client (the shared layout of
 * src/server/pdf.ts): our headings for the six steps (the published Stanley & Brown
 * form is copyrighted; its text is not used), then what matters most.
 */
export function renderSafetyPlanPdf(plan: PrintablePlan, options: { compress?: boolean } = {}): Promise<Buffer> {
  const pdf = new PdfDocument({
    title: 'Safety plan', practiceName: plan.practiceName, compress: options.compress ?? true,
    footer: `Safety plan for ${plan.clientName}, version ${plan.version}`,
  });
  const savedOn = new Intl.DateTimeFormat('en-US', { timeZone: plan.timeZone, dateStyle: 'long' }).format(plan.savedAt);
  pdf.title('My safety plan').subtitle(plan.clientName);
  pdf.space(0.2).text(`Version ${plan.version}, saved ${savedOn}`, 'muted');
  pdf.space(0.8).text('If you are in danger right now, call 911. To reach the 988 Suicide & Crisis Lifeline, call or text 988.', 'strong');

  for (const section of SAFETY_PLAN_SECTIONS) {
    const entries: string[] = section.key === 'distractionContacts' || section.key === 'helpContacts' || section.key === 'professionalContacts'
      ? plan.content[section.key].map(contactLine)
      : plan.content[section.key];
    pdf.heading(section.step === null ? section.title : `Step ${section.step}. ${section.title}`, { gapBefore: 1.2 });
    pdf.text(section.prompt, 'italic').space(0.3);
    if (entries.length === 0) pdf.text('Nothing written here yet.', 'italic');
    else pdf.list(entries);
  }
  return pdf.finish();
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
