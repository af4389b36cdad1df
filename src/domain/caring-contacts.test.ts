import { describe, expect, it } from 'vitest';
import { addMonths, caringContactMonthOffset, caringContactSchedule } from './caring-contacts.ts';

describe('caring contacts follow Motto & Bostrom 2001', () => {
  it('monthly for 4 months, every 2 months for 8 months, then quarterly: 24 contacts over 5 years', () => {
    const offsets = Array.from({ length: 24 }, (_, n) => caringContactMonthOffset(n));
    expect(offsets).toEqual([0, 1, 2, 3, 5, 7, 9, 11, 14, 17, 20, 23, 26, 29, 32, 35, 38, 41, 44, 47, 50, 53, 56, 59]);
    const dates = caringContactSchedule('2026-12-01');
    expect(dates).toHaveLength(24);
    expect(dates.slice(0, 9)).toEqual([
      '2026-12-01', '2027-01-01', '2027-02-01', '2027-03-01', // monthly
      '2027-05-01', '2027-07-01', '2027-09-01', '2027-11-01', // every 2 months
      '2028-02-01', // quarterly from here
    ]);
    expect(dates.at(-1)).toBe('2031-11-01'); // the last within 5 years of the first
  });

  it.each([
    ['2026-01-31', 1, '2026-02-28'],
    ['2028-01-31', 1, '2028-02-29'],
    ['2026-10-31', 2, '2026-12-31'],
    ['2026-11-15', 14, '2028-01-15'],
    ['2026-03-31', -1, '2026-02-28'],
  ])('%s plus %i months is %s', (date, months, expected) => {
    expect(addMonths(date, months)).toBe(expected);
  });

  it('a 31st stays on month ends without drifting', () => {
    expect(caringContactSchedule('2026-01-31', 5)).toEqual(['2026-01-31', '2026-02-28', '2026-03-31', '2026-04-30', '2026-06-30']);
  });

  it('the length is adjustable from 1 to 60; longer series stay quarterly', () => {
    expect(caringContactSchedule('2026-12-01', 1)).toEqual(['2026-12-01']);
    const long = caringContactSchedule('2026-12-01', 60);
    expect(long).toHaveLength(60);
    expect(long.at(-1)).toBe(addMonths('2026-12-01', 11 + 3 * 52));
    expect(() => caringContactSchedule('2026-12-01', 0)).toThrow(RangeError);
    expect(() => caringContactSchedule('2026-12-01', 61)).toThrow(RangeError);
    expect(() => caringContactSchedule('2026-12-01', 2.5)).toThrow(RangeError);
  });

});
