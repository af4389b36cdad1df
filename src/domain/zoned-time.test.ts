import { describe, expect, it } from 'vitest';
import { localDate, localDayRange, localTimeToInstant } from './zoned-time.ts';

describe('wall-clock times in the practice time zone', () => {
  it.each([
    ['2026-11-23', '09:00', 'America/Los_Angeles', '2026-11-23T17:00:00.000Z'],
    ['2026-07-01', '09:00', 'America/Los_Angeles', '2026-07-01T16:00:00.000Z'],
    // the spring-forward day: 09:00 is already summer time
    ['2026-03-08', '09:00', 'America/Los_Angeles', '2026-03-08T16:00:00.000Z'],
    ['2026-11-01', '18:00', 'America/Los_Angeles', '2026-11-02T02:00:00.000Z'],
    ['2026-06-15', '14:30', 'Asia/Kolkata', '2026-06-15T09:00:00.000Z'],
  ])('%s %s in %s is %s', (date, time, zone, iso) => {
    expect(localTimeToInstant(date, time, zone).toISOString()).toBe(iso);
    expect(localDate(new Date(iso), zone)).toBe(date);
  });

  it('a day of 23 hours in spring and 25 in autumn', () => {
    const spring = localDayRange('2026-03-08', 'America/Los_Angeles');
    const autumn = localDayRange('2026-11-01', 'America/Los_Angeles');
    expect((spring.end.getTime() - spring.start.getTime()) / 3_600_000).toBe(23);
    expect((autumn.end.getTime() - autumn.start.getTime()) / 3_600_000).toBe(25);
  });
});
