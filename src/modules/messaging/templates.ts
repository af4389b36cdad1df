import type { MessageChannel, MessagePurpose } from './messaging.table.ts';

/**
 * What Holdspace writes to clients. A text or an email can be read by anyone who picks
 * up the phone or opens the inbox, so no template says why the practice is in touch:
 * no diagnosis, risk, incident or crisis words (minimum necessary, HIPAA 45 CFR
 * 164.502(b); DESIGN.md "After": templates carry no clinical detail).
 */
export const TEMPLATE_KEYS = ['check_in', 'appointment_reminder', 'caring_contact'] as const;
export type TemplateKey = (typeof TEMPLATE_KEYS)[number];

export const TEMPLATE_PURPOSE: Record<TemplateKey, MessagePurpose> = {
  check_in: 'check_in',
  appointment_reminder: 'appointment',
  caring_contact: 'caring_contact',
};

export const TEMPLATE_NAMES: Record<TemplateKey, string> = {
  check_in: 'Check-in',
  appointment_reminder: 'Appointment reminder',
  caring_contact: 'Caring contact',
};

export interface TemplateContext {
  /** The client's first name as they prefer to be called. */
  clientFirstName: string;
  /** Who the message is from (the clinician). */
  senderName: string;
  practiceName: string;
  /** The next appointment, already written in the practice's time zone ("Tue, Nov 24 at 3:00 PM"). */
  nextAppointment: string | null;
}

export interface Rendered {
  subject: string | null;
  body: string;
}

/** Words that would tell a reader more than "your practice is in touch". */
const CLINICAL_WORDS = [
  'crisis', 'suicid', 'self-harm', 'self harm', 'harm', 'risk', 'incident', 'emergency', 'diagnos', 'disorder', 'depress',
  'anxiety', 'overdose', 'hospital', 'psychiatr', 'medication', 'safety plan', '988', 'police', 'walkout', 'walked out',
  'assessment', 'symptom', 'treatment', 'therapy', 'therapist', 'session',
];

/** The clinical words in a text, for checking what a clinician writes into a caring contact. */
export function clinicalWordsIn(text: string): string[] {
  const lower = text.toLowerCase();
  return CLINICAL_WORDS.filter((w) => lower.includes(w));
}

export function renderTemplate(key: TemplateKey, channel: MessageChannel, c: TemplateContext): Rendered {
  const hi = `Hi ${c.clientFirstName}`;
  const from = `${c.senderName} from ${c.practiceName}`;
  switch (key) {
    case 'check_in':
      return {
        subject: channel === 'email' ? `A note from ${c.practiceName}` : null,
        body: channel === 'email'
          ? `${hi},\n\nThis is ${from}, checking in. I'm thinking of you and would be glad to hear how you are doing.\n\nYou can reach me by replying to this email or by calling the office.\n\n${c.senderName}\n${c.practiceName}`
          : `${hi}, this is ${from} checking in. You can reach me by replying here or by calling the office.`,
      };
    case 'appointment_reminder': {
      const when = c.nextAppointment ? ` on ${c.nextAppointment}` : '';
      return {
        subject: channel === 'email' ? `Your appointment with ${c.practiceName}` : null,
        body: channel === 'email'
          ? `${hi},\n\nA reminder from ${from} about your upcoming appointment${when}. If the time no longer works, reply to this email or call the office.\n\n${c.practiceName}`
          : `${hi}, a reminder from ${from} about your upcoming appointment${when}. Reply here or call the office to change it.`,
      };
    }
    case 'caring_contact':
      // Caring contacts ask nothing of the client (Motto & Bostrom 2001).
      return {
        subject: channel === 'email' ? `A note from ${c.senderName}` : null,
        body: channel === 'email'
          ? `${hi},\n\nIt has been a little while and I wanted you to know I am thinking of you. There is no need to reply.\n\n${c.senderName}\n${c.practiceName}`
          : `${hi}, it's ${from}. I wanted you to know I am thinking of you. No need to reply.`,
      };
  }
}

/** The first name to greet a client by: their preferred name, else the first word of their legal name. */
export function firstNameOf(client: { preferred_name: string | null; legal_name: string }): string {
  return (client.preferred_name ?? client.legal_name).trim().split(/\s+/)[0] ?? '';
}
