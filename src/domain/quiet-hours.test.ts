import { describe, expect, it } from 'vitest';
import { DEFAULT_QUIET_HOURS, quietHoursFor, whenMayMessageGo } from './quiet-hours.ts';

const LA = 'America/Los_Angeles';
const go = (iso: string, quiet = DEFAULT_QUIET_HOURS, zone = LA) => {
  const r = whenMayMessageGo(new Date(iso), quiet, zone);
  return { sendAt: r.sendAt.toISOString(), held: r.held };
};

describe('quiet hours', () => {
  it.each([
    // [at (UTC), expected send time (UTC), held]; Los Angeles is UTC-8 in winter, UTC-7 in summer
    ['2026-01-15T02:00:00Z', '2026-01-15T02:00:00Z', false], // 18:00: S4, a 6 pm check-in goes at 6 pm
    ['2026-01-15T04:59:00Z', '2026-01-15T04:59:00Z', false], // 20:59
    ['2026-01-15T05:00:00Z', '2026-01-15T16:00:00Z', true], // 21:00 → 08:00 next morning
    ['2026-01-15T10:30:00Z', '2026-01-15T16:00:00Z', true], // 02:30 → 08:00 the same morning
    ['2026-01-15T16:00:00Z', '2026-01-15T16:00:00Z', false], // 08:00 exactly
  ])('practice hours 21:00–08:00: a message at %s goes at %s', (at, expected, held) => {
    expect(go(at)).toEqual({ sendAt: new Date(expected).toISOString(), held });
  });

  it('quiet hours within one day (12:00–14:00)', () => {
    expect(go('2026-01-15T20:30:00Z', { start: '12:00', end: '14:00' })).toEqual({ sendAt: '2026-01-15T22:00:00.000Z', held: true });
    expect(go('2026-01-15T22:00:00Z', { start: '12:00', end: '14:00' })).toEqual({ sendAt: '2026-01-15T22:00:00.000Z', held: false });
  });

  it('equal start and end mean no quiet hours', () => {
    expect(go('2026-01-15T10:30:00Z', { start: '00:00', end: '00:00' }).held).toBe(false);
  });

  it('the night the clocks spring forward: 08:00 PDT is 15:00 UTC', () => {
    // 2026-03-08: US summer time begins at 02:00 local.
    expect(go('2026-03-08T06:00:00Z')).toEqual({ sendAt: '2026-03-08T15:00:00.000Z', held: true }); // 22:00 PST on the 7th
  });

  it("reads 'HH:MM:SS' as stored by PostgreSQL", () => {
    expect(go('2026-01-15T05:30:00Z', { start: '21:00:00', end: '07:30:00' })).toEqual({ sendAt: '2026-01-15T15:30:00.000Z', held: true });
  });

  it("the client's own quiet hours on the channel come before the practice's", () => {
    expect(quietHoursFor({ start: '22:00:00', end: '09:00:00' }, { start: '21:00', end: '08:00' })).toEqual({ start: '22:00:00', end: '09:00:00' });
    expect(quietHoursFor({ start: null, end: null }, { start: '20:00', end: '07:00' })).toEqual({ start: '20:00', end: '07:00' });
    expect(quietHoursFor(undefined, undefined)).toEqual(DEFAULT_QUIET_HOURS);
  });
});
