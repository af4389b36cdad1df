import type { EmergencyContact } from './client.ts';
import { formatDay } from './format.ts';

/**
 * What the client agreed to for this contact, in words:
 * "May be called in an emergency (consent 10 Jan 2026, no expiry)".
 * `expired` marks consent to be called that has lapsed (the server decides, in the
 * practice's time zone).
 */
export function consentWords(c: EmergencyContact): { text: string; expired: boolean } {
  const given = c.consentGivenOn ? formatDay(c.consentGivenOn) : null;
  const expires = c.consentExpiresOn ? formatDay(c.consentExpiresOn) : null;
  switch (c.consentScope) {
    case 'emergency':
      if (!c.callableInEmergency) {
        return {
          text: `Consent to be called in an emergency expired on ${expires ?? 'an earlier date'}${given ? ` (given ${given})` : ''}. Ask the client whether to renew it.`,
          expired: true,
        };
      }
      return { text: `May be called in an emergency (consent ${given ?? 'date not recorded'}, ${expires ? `expires ${expires}` : 'no expiry'})`, expired: false };
    case 'ask_at_time':
      return { text: `Ask the client at the time${given ? ` (agreed ${given}${expires ? `, until ${expires}` : ''})` : ''}`, expired: false };
    case 'none':
    default:
      return { text: 'No consent', expired: false };
  }
}
