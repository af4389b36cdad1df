/**
 * Caring contacts: brief messages that ask nothing, sent on a thinning cadence after care
 * ends or after a crisis. Cadence after Motto & Bostrom 2001 (Psychiatr Serv 52:828):
 * monthly for 4 months, every 2 months for 8 months, then every 3 months, 24 contacts
 * over 5 years. Pure: dates in, dates out.
 */

export const DEFAULT_CARING_CONTACT_COUNT = 24;
export const MIN_CARING_CONTACT_COUNT = 1;
export const MAX_CARING_CONTACT_COUNT = 60;
/** The wall-clock time a caring contact goes out on its day (quiet hours are enforced by the outbox). */
export const CARING_CONTACT_SEND_TIME = '10:00';

/** Months after the first contact at which contact n (0-based) is due. */
export function caringContactMonthOffset(n: number): number {
  if (n < 4) return n; // monthly for 4 months: 0, 1, 2, 3
  if (n < 8) return 3 + 2 * (n - 3); // every 2 months for 8 months: 5, 7, 9, 11
  return 11 + 3 * (n - 7); // then quarterly: 14, 17, …
}

/**
 * The due dates ('YYYY-MM-DD') of a series whose first contact is on `startsOn`. Each
 * date counts from the start, so a 31st falls on the last day of shorter months without drift.
 */
export function caringContactSchedule(startsOn: string, count = DEFAULT_CARING_CONTACT_COUNT): string[] {
  if (!Number.isInteger(count) || count < MIN_CARING_CONTACT_COUNT || count > MAX_CARING_CONTACT_COUNT) {
    throw new RangeError(`A series has ${MIN_CARING_CONTACT_COUNT} to ${MAX_CARING_CONTACT_COUNT} contacts, not ${count}`);
  }
  return Array.from({ length: count }, (_, n) => addMonths(startsOn, caringContactMonthOffset(n)));
}

/** A calendar date plus whole months, clamped to the month's last day (Jan 31 + 1 month = Feb 28/29). */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const monthIndex = m - 1 + months;
  const year = y + Math.floor(monthIndex / 12);
  const month = ((monthIndex % 12) + 12) % 12;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return `${String(year).padStart(4, '0')}-${String(month + 1).padStart(2, '0')}-${String(Math.min(d, lastDay)).padStart(2, '0')}`;
}

