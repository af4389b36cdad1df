/**
 * Calendar days and wall-clock times in a practice's time zone, with plain Intl (no
 * Temporal on Node 20). Storage is UTC; these turn the practice's days into instants.
 */
const DAY_MS = 86_400_000;
const wallClockFormats = new Map<string, Intl.DateTimeFormat>();

/** A calendar reading as milliseconds on the UTC time line (years below 100 included). */
function calendarMs(year: number, month: number, day: number, hour = 0, minute = 0, second = 0): number {
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(hour, minute, second, 0);
  return d.getTime();
}

/** What the clocks in timeZone read at an instant, as `calendarMs` of that reading. */
function wallClock(instant: number, timeZone: string): number {
  let format = wallClockFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
    });
    wallClockFormats.set(timeZone, format);
  }
  const p: Record<string, number> = {};
  for (const part of format.formatToParts(instant)) if (part.type !== 'literal') p[part.type] = Number(part.value);
  return calendarMs(p.year!, p.month!, p.day!, p.hour!, p.minute!, p.second!);
}

/**
 * The instant a calendar day begins in timeZone. The offset is read at that instant,
 * not at noon or "now", so days of 23 and 25 hours (DST changes) come out right.
 */
function startOfLocalDay(date: string, timeZone: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const midnight = calendarMs(y, m, d);
  // The offsets in force around that day: at most one clock change falls near midnight.
  const offsets = [...new Set([midnight - DAY_MS, midnight, midnight + DAY_MS].map((t) => wallClock(t, timeZone) - t))];
  // After a fall-back across midnight two instants read 00:00; the day starts at the first.
  const readsMidnight = offsets.map((o) => midnight - o).filter((t) => wallClock(t, timeZone) === midnight);
  if (readsMidnight.length > 0) return Math.min(...readsMidnight);
  // The clocks skipped midnight (some zones start summer time at 00:00): the day starts when they jump.
  let before = midnight - Math.max(...offsets);
  let after = midnight - Math.min(...offsets);
  while (after - before > 1000) {
    const mid = before + Math.floor((after - before) / 2000) * 1000;
    if (wallClock(mid, timeZone) >= midnight) after = mid;
    else before = mid;
  }
  return after;
}

/** [start, end) of a calendar day ('YYYY-MM-DD') in timeZone, as UTC instants. */
export function localDayRange(date: string, timeZone: string): { start: Date; end: Date } {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const next = new Date(calendarMs(y, m, d + 1)).toISOString().slice(0, 10);
  return { start: new Date(startOfLocalDay(date, timeZone)), end: new Date(startOfLocalDay(next, timeZone)) };
}

/** The calendar date ('YYYY-MM-DD') in timeZone at an instant. */
export function localDate(instant: Date, timeZone: string): string {
  return new Date(wallClock(instant.getTime(), timeZone)).toISOString().slice(0, 10);
}

/** The instant the clocks in timeZone read `time` ('HH:MM') on `date`. */
export function localTimeToInstant(date: string, time: string, timeZone: string): Date {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const [hh, mm] = time.split(':').map(Number) as [number, number];
  const reading = calendarMs(y, m, d, hh, mm);
  const firstGuess = reading - (wallClock(reading, timeZone) - reading);
  return new Date(reading - (wallClock(firstGuess, timeZone) - firstGuess));
}
