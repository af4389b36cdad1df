import { localDate, localTimeToInstant } from './zoned-time.ts';

/**
 * Quiet hours: the hours of the day in which no message goes to a client. Times are
 * wall-clock readings ('HH:MM' or 'HH:MM:SS') in the practice's time zone; a start
 * after the end spans midnight (21:00–08:00). Equal start and end mean none.
 */
export interface QuietHours {
  start: string;
  end: string;
}

/** The practice's default when it has set none (messaging_settings defaults). */
export const DEFAULT_QUIET_HOURS: QuietHours = { start: '21:00', end: '08:00' };

/** The client's own quiet hours on the channel come first; otherwise the practice's. */
export function quietHoursFor(client: { start: string | null; end: string | null } | null | undefined, practice: QuietHours | null | undefined): QuietHours {
  if (client?.start && client.end) return { start: client.start, end: client.end };
  return practice ?? DEFAULT_QUIET_HOURS;
}

const nextDay = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
const minutes = (time: string) => {
  const [h, m] = time.split(':').map(Number) as [number, number];
  return h * 60 + m;
};

/**
 * When a message due at `at` may go: `at` itself outside quiet hours, else the instant
 * the quiet hours end (the same night's end, for hours spanning midnight).
 */
export function whenMayMessageGo(at: Date, quiet: QuietHours, timeZone: string): { sendAt: Date; held: boolean } {
  if (minutes(quiet.start) === minutes(quiet.end)) return { sendAt: at, held: false };
  const today = localDate(at, timeZone);
  const startToday = localTimeToInstant(today, quiet.start, timeZone);
  const endToday = localTimeToInstant(today, quiet.end, timeZone);
  const spansMidnight = minutes(quiet.start) > minutes(quiet.end);
  let sendAt: Date | null = null;
  if (spansMidnight) {
    if (at < endToday) sendAt = endToday; // the small hours, before the end this morning
    else if (at >= startToday) sendAt = localTimeToInstant(nextDay(today), quiet.end, timeZone); // the evening
  } else if (at >= startToday && at < endToday) {
    sendAt = endToday;
  }
  return sendAt ? { sendAt, held: true } : { sendAt: at, held: false };
}
