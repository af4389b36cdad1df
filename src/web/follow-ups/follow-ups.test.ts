import { describe, expect, it } from 'vitest';
import { dueOnToday } from './follow-ups.ts';

const TZ = 'America/Los_Angeles';
const open = (dueAt: string, extra: { overdue?: boolean; status?: 'open' | 'unable_to_reach' } = {}) =>
  ({ status: extra.status ?? 'open', overdue: extra.overdue ?? false, dueAt });

describe('which follow-ups Today shows', () => {
  // 16:16 in Oakland on Sunday 22 November 2026 (00:16 UTC on the 23rd).
  const now = new Date('2026-11-23T00:16:00Z');

  it('shows what is due by the end of the practice\'s day, and past due or unable-to-reach ones whenever due', () => {
    expect(dueOnToday(open('2026-11-23T07:00:00Z'), now, TZ)).toBe(true); // 23:00 tonight
    expect(dueOnToday(open('2026-11-20T18:00:00Z', { overdue: true }), now, TZ)).toBe(true);
    expect(dueOnToday(open('2026-11-26T18:00:00Z', { status: 'unable_to_reach' }), now, TZ)).toBe(true);
  });

  it('shows a reach-out due within 8 hours of an afternoon walkout, although that falls after midnight (seed 003)', () => {
    expect(dueOnToday(open('2026-11-23T08:16:00Z'), now, TZ)).toBe(true); // 00:16 tomorrow, 8 hours on
    expect(dueOnToday(open('2026-11-23T12:16:00Z'), now, TZ)).toBe(true); // 12 hours on, the limit
  });

  it('leaves for later what is due more than 12 hours on, on another day', () => {
    expect(dueOnToday(open('2026-11-23T12:17:00Z'), now, TZ)).toBe(false);
    expect(dueOnToday(open('2026-11-24T17:00:00Z'), now, TZ)).toBe(false); // 09:00 on Tuesday
  });
});
