import { describe, expect, it } from 'vitest';
import { clinicalWordsIn, firstNameOf, renderTemplate, TEMPLATE_KEYS } from './templates.ts';

describe('message templates', () => {
  const contexts = [
    { clientFirstName: 'Jordan', senderName: 'Dr. Mei Lin', practiceName: 'Harbor Counseling', nextAppointment: 'Tue, Nov 24 at 3:00 PM' },
    { clientFirstName: 'Sam', senderName: 'Alex Kim', practiceName: 'Oak Street Practice', nextAppointment: null },
  ];

  it('carry no clinical detail: no diagnosis, risk, incident or crisis words in any template, channel or subject', () => {
    for (const key of TEMPLATE_KEYS) {
      for (const channel of ['text', 'email'] as const) {
        for (const c of contexts) {
          const r = renderTemplate(key, channel, c);
          expect(clinicalWordsIn(`${r.subject ?? ''}\n${r.body}`), `${key} ${channel}`).toEqual([]);
          expect(r.body).toContain(`Hi ${c.clientFirstName}`);
          expect(r.body).toContain(c.practiceName);
          expect(r.subject === null).toBe(channel === 'text');
        }
      }
    }
  });

  it('the check-in says who is writing and how to reach them', () => {
    expect(renderTemplate('check_in', 'text', contexts[0]!).body)
      .toBe('Hi Jordan, this is Dr. Mei Lin from Harbor Counseling checking in. You can reach me by replying here or by calling the office.');
  });

  it('the appointment reminder names the time when there is one', () => {
    expect(renderTemplate('appointment_reminder', 'text', contexts[0]!).body).toContain('on Tue, Nov 24 at 3:00 PM');
  });

  it('finds clinical words a clinician might write into a caring contact', () => {
    expect(clinicalWordsIn('Thinking of you after the crisis last week')).toEqual(['crisis']);
    expect(clinicalWordsIn('Thinking of you. No need to reply.')).toEqual([]);
  });

  it('greets the client by the name they prefer', () => {
    expect(firstNameOf({ preferred_name: 'Jo', legal_name: 'Jordan Reyes' })).toBe('Jo');
    expect(firstNameOf({ preferred_name: null, legal_name: 'Jordan Reyes' })).toBe('Jordan');
  });
});
