import { describe, expect, it } from 'vitest';
import { decideCall, EMERGENCY_CONTACT_WHO, sameNumber, type GateDecision, type GateInput } from './call-gate.ts';

const NOW = new Date('2026-11-23T18:20:00Z');
const minutesAgo = (m: number) => new Date(NOW.getTime() - m * 60_000);
const SCHOOL = '+15105550111';
const CONTACT = '+15105550122';
const HOSPITAL = '+15105550133';
const STRANGER = '+15105550199';

const base: GateInput = {
  channel: 'call', from: STRANGER, inSession: true, enabled: true,
  list: [{ label: "Sam's school", number: SCHOOL }],
  emergencyContactNumbers: [CONTACT],
  emergencyNumbers: [{ label: 'Highland Hospital', number: HOSPITAL }],
  lastContactAt: null, now: NOW, repeatCallMinutes: 5, pressOneEnabled: true, otherwise: 'voicemail',
};

describe('the urgent-call gate', () => {
  const table: [string, Partial<GateInput>, GateDecision][] = [
    // Outside a session, or with the gate off: the practice's normal routing, whoever calls.
    ['no session under way', { inSession: false, from: SCHOOL }, { route: 'normal' }],
    ['gate off', { enabled: false, from: HOSPITAL }, { route: 'normal' }],
    ['gate off, a text', { enabled: false, channel: 'text' }, { route: 'normal' }],
    // Each reason on its own.
    ['on the list', { from: SCHOOL }, { route: 'breakthrough', why: 'on_list', who: "Sam's school" }],
    ['on the list, written differently', { from: '+1 (510) 555-0111' }, { route: 'ask_press_1' }], // the carrier sends E.164; anything else is not matched
    ["the client's emergency contact", { from: CONTACT }, { route: 'breakthrough', why: 'emergency_contact', who: EMERGENCY_CONTACT_WHO }],
    ["the practice's emergency number", { from: HOSPITAL }, { route: 'breakthrough', why: 'emergency_number', who: 'Highland Hospital' }],
    ['called 4 minutes ago (N = 5)', { lastContactAt: minutesAgo(4) }, { route: 'breakthrough', why: 'repeat_call', who: STRANGER }],
    ['called exactly 5 minutes ago', { lastContactAt: minutesAgo(5) }, { route: 'breakthrough', why: 'repeat_call', who: STRANGER }],
    ['called 6 minutes ago', { lastContactAt: minutesAgo(6) }, { route: 'ask_press_1' }],
    ['texted 2 minutes ago, texts again', { channel: 'text', lastContactAt: minutesAgo(2) }, { route: 'breakthrough', why: 'repeat_call', who: STRANGER }],
    ['unknown caller, not yet asked', {}, { route: 'ask_press_1' }],
    ['unknown caller pressed 1', { digits: '1' }, { route: 'breakthrough', why: 'pressed_1', who: STRANGER }],
    ['unknown caller pressed 2', { digits: '2' }, { route: 'voicemail', who: STRANGER }],
    ['unknown caller pressed nothing', { digits: '' }, { route: 'voicemail', who: STRANGER }],
    // The clinician's "otherwise".
    ['otherwise the front desk', { digits: '', otherwise: 'front_desk' }, { route: 'front_desk', who: STRANGER }],
    ['otherwise on call', { digits: '', otherwise: 'on_call' }, { route: 'on_call', who: STRANGER }],
    // Press 1 is for calls only, and only when the practice offers it.
    ['a text from a stranger', { channel: 'text' }, { route: 'voicemail', who: STRANGER }],
    ['press 1 turned off', { pressOneEnabled: false }, { route: 'voicemail', who: STRANGER }],
    // A withheld number never counts as "the same number again".
    ['anonymous, "called" a minute ago', { from: 'anonymous', lastContactAt: minutesAgo(1), digits: '' }, { route: 'voicemail', who: 'anonymous' }],
    ['anonymous pressed 1', { from: 'anonymous', digits: '1' }, { route: 'breakthrough', why: 'pressed_1', who: 'anonymous' }],
  ];
  it.each(table)('%s', (_name, change, expected) => {
    expect(decideCall({ ...base, ...change })).toEqual(expected);
  });

  it('takes the reasons in order: list, emergency contact, emergency number, repeated call, pressed 1', () => {
    // One number that is everything at once: the list wins, then each next reason as the earlier ones go.
    const everything: GateInput = {
      ...base, from: SCHOOL, list: [{ label: 'School', number: SCHOOL }], emergencyContactNumbers: [SCHOOL],
      emergencyNumbers: [{ label: 'Hospital', number: SCHOOL }], lastContactAt: minutesAgo(1), digits: '1',
    };
    expect(decideCall(everything)).toMatchObject({ why: 'on_list', who: 'School' });
    expect(decideCall({ ...everything, list: [] })).toMatchObject({ why: 'emergency_contact', who: EMERGENCY_CONTACT_WHO });
    expect(decideCall({ ...everything, list: [], emergencyContactNumbers: [] })).toMatchObject({ why: 'emergency_number', who: 'Hospital' });
    expect(decideCall({ ...everything, list: [], emergencyContactNumbers: [], emergencyNumbers: [] })).toMatchObject({ why: 'repeat_call' });
    expect(decideCall({ ...everything, list: [], emergencyContactNumbers: [], emergencyNumbers: [], lastContactAt: null })).toMatchObject({ why: 'pressed_1' });
    // And "not in session" comes before all of them.
    expect(decideCall({ ...everything, inSession: false })).toEqual({ route: 'normal' });
  });

  it('a repeated call, the clock moving on: within N minutes it breaks through, after N it does not', () => {
    let clock = new Date('2026-11-23T18:00:00Z');
    const first = clock;
    const at = (minutes: number) => (clock = new Date(first.getTime() + minutes * 60_000));
    const call = () => decideCall({ ...base, repeatCallMinutes: 10, now: clock, lastContactAt: first, digits: '' });
    at(3);
    expect(call()).toMatchObject({ route: 'breakthrough', why: 'repeat_call' });
    at(10);
    expect(call()).toMatchObject({ route: 'breakthrough', why: 'repeat_call' });
    at(10.5);
    expect(call()).toEqual({ route: 'voicemail', who: STRANGER });
  });

  it('a "last call" in the future (a clock set back) is not a repeated call', () => {
    expect(decideCall({ ...base, lastContactAt: new Date(NOW.getTime() + 60_000), digits: '' })).toEqual({ route: 'voicemail', who: STRANGER });
  });

  it('compares numbers digit by digit, only when the caller gave a dialable one', () => {
    expect(sameNumber('+15105550111', '+1 510 555 0111')).toBe(true);
    expect(sameNumber('+15105550111', '+15105550112')).toBe(false);
    expect(sameNumber('anonymous', 'anonymous')).toBe(false);
    expect(sameNumber('', '')).toBe(false);
  });
});
