import { describe, expect, it } from 'vitest';
import { alertHeadline, decisionWords, sortAlerts, toE164, type SessionAlert } from './call-gate.ts';

function alert(over: Partial<SessionAlert>): SessionAlert {
  return {
    id: 'a', sessionId: 's', source: 'call', from: '+15105550177', who: "Lincoln Elementary (Leo's school)", why: 'on_list', message: null,
    kind: 'personal', status: 'open', createdAt: '2026-03-02T17:00:00.000Z', decidedAt: null, minutes: null, incidentId: null, ...over,
  };
}

describe('the session alert words', () => {
  it.each([
    [alert({}), false, "Urgent call from Lincoln Elementary (Leo's school)"],
    [alert({ source: 'text' }), false, "Urgent text from Lincoln Elementary (Leo's school)"],
    [alert({ source: 'front_desk', from: null, who: 'Her brother, at the door' }), false, 'The front desk: Her brother, at the door'],
    [alert({ source: 'front_desk', from: null, who: 'Fire alarm test', kind: 'facility' }), false, 'The front desk, about the building: Fire alarm test'],
    [alert({ who: '+15105550199', why: 'pressed_1' }), false, 'Urgent call from (510) 555-0199'],
    // Discreet: the same neutral words whoever it is and however it came.
    [alert({}), true, "Someone is trying to reach you: Lincoln Elementary (Leo's school)"],
    [alert({ source: 'front_desk', kind: 'facility', who: 'Fire alarm test' }), true, 'Someone is trying to reach you: Fire alarm test'],
  ])('%#: headline', (a, discreet, words) => {
    expect(alertHeadline(a, discreet)).toBe(words);
  });

  it('says what was decided, neutrally in discreet mode', () => {
    expect(decisionWords(alert({ status: 'texted_back', minutes: 10 }), false)).toBe("Lincoln Elementary (Leo's school): texted back “I will call you in 10 minutes.”");
    expect(decisionWords(alert({ status: 'stepped_out' }), true)).toBe("Lincoln Elementary (Leo's school): you stepped out");
    expect(decisionWords(alert({ status: 'declined' }), false)).toBe("Lincoln Elementary (Leo's school): declined");
  });

  it('puts open alerts first, then the newest', () => {
    const list = sortAlerts([
      alert({ id: 'old-open', createdAt: '2026-03-02T17:00:00.000Z' }),
      alert({ id: 'decided', status: 'declined', createdAt: '2026-03-02T17:30:00.000Z' }),
      alert({ id: 'new-open', createdAt: '2026-03-02T17:10:00.000Z' }),
    ]);
    expect(list.map((a) => a.id)).toEqual(['new-open', 'old-open', 'decided']);
  });
});

describe('typed phone numbers', () => {
  it.each([
    ['(510) 555-0177', '+15105550177'],
    ['510-555-0177', '+15105550177'],
    ['1 510 555 0177', '+15105550177'],
    ['+44 20 7946 0000', '+442079460000'],
    ['555-0177', '555-0177'], // too short to tell: left as typed, and the form says so
  ])('%s → %s', (typed, e164) => {
    expect(toE164(typed)).toBe(e164);
  });
});
