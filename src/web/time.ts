// Times are always shown in the practice's time zone, not the device's.

export function formatDateTime(iso: string, timeZone: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(d);
}

export function formatDateTimeFull(iso: string, timeZone: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(undefined, {
    dateStyle: 'medium',
    timeStyle: 'medium',
    timeZone,
  }).format(d);
}

function parts(date: Date, timeZone: string): Record<string, number> {
  const out: Record<string, number> = {};
  const fmt = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  });
  for (const p of fmt.formatToParts(date)) {
    if (p.type !== 'literal') out[p.type] = Number(p.value);
  }
  return out;
}

export function hourIn(timeZone: string, now = new Date()): number {
  return parts(now, timeZone).hour ?? now.getHours();
}

export function greeting(timeZone: string, now = new Date()): string {
  return hourIn(timeZone, now) < 12 ? 'Good morning' : 'Good afternoon';
}

/** Offset (ms) of timeZone from UTC at the given instant. */
function offsetAt(date: Date, timeZone: string): number {
  const p = parts(date, timeZone);
  const asUtc = Date.UTC(p.year ?? 0, (p.month ?? 1) - 1, p.day ?? 1, p.hour ?? 0, p.minute ?? 0, p.second ?? 0);
  return asUtc - Math.floor(date.getTime() / 1000) * 1000;
}

/** "2025-03-09" → the instant that day starts in timeZone. */
export function startOfDay(day: string, timeZone: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return null;
  const wall = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  let guess = wall - offsetAt(new Date(wall), timeZone);
  guess = wall - offsetAt(new Date(guess), timeZone);
  return new Date(guess);
}

/** Last millisecond of the given day in timeZone. */
export function endOfDay(day: string, timeZone: string): Date | null {
  const start = startOfDay(day, timeZone);
  if (!start) return null;
  const next = new Date(start.getTime() + 36 * 3600_000);
  const nextDay = parts(next, timeZone);
  const iso = `${nextDay.year}-${String(nextDay.month).padStart(2, '0')}-${String(nextDay.day).padStart(2, '0')}`;
  const nextStart = startOfDay(iso, timeZone);
  return nextStart ? new Date(nextStart.getTime() - 1) : null;
}

export function timeZones(): string[] {
  const supported = (Intl as { supportedValuesOf?: (k: string) => string[] }).supportedValuesOf;
  const list = supported ? supported('timeZone') : [];
  return list.includes('UTC') ? list : [...list, 'UTC'];
}

export function deviceTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}
