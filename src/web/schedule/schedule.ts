// What the /api/schedule and /api/appointments endpoints send, and the words and
// times we show for it. Times are the practice's wall clock, never the device's.
import type { NextSessionWarning } from '../aftercare/aftercare.ts';
import { ApiError, type Problem } from '../api.ts';
import type { Readiness, RiskLevel } from '../clients/client.ts';
import type { DaySession } from '../session/session.ts';
import { localDate, localTimeToInstant } from '../../domain/zoned-time.ts';

export type Modality = 'in_person' | 'telehealth';

export interface Named {
  id: string;
  name: string;
}

/** One row of GET /api/schedule/day; riskLevel and readiness only for the reader's care team. */
export interface DayAppointment {
  id: string;
  startsAt: string;
  minutes: number;
  modality: Modality;
  status: 'scheduled' | 'cancelled';
  location: Named | null;
  clinician: Named;
  client: Named & { riskLevel?: RiskLevel | 'unknown'; readiness?: Readiness };
  /** The session started from this appointment, or null; only for the client's care team. */
  session?: DaySession | null;
}

export interface ScheduleDay {
  date: string;
  timeZone: string;
  clinicianId: string | null;
  appointments: DayAppointment[];
  /** Protocol windows ("next session within N hours") with nothing booked inside them yet. */
  nextSessionWarnings: NextSessionWarning[];
}

export interface Location extends Named {
  address: string;
}

export const MIN_MINUTES = 5;
export const MAX_MINUTES = 480;
export const DEFAULT_MINUTES = 50;

export function dayPath(date: string, clinicianId?: string | null): string {
  const p = new URLSearchParams({ date });
  if (clinicianId) p.set('clinicianId', clinicianId);
  return `/api/schedule/day?${p.toString()}`;
}

export function appointmentPath(id: string): string {
  return `/api/appointments/${encodeURIComponent(id)}`;
}

/** Whether the reader is on the client's care team: only then does the schedule carry clinical fields. */
export function onCareTeam(a: DayAppointment): boolean {
  return a.client.readiness !== undefined || a.client.riskLevel !== undefined;
}

export function isDay(value: string | null): value is string {
  return value !== null && /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`));
}

/** A calendar day plus n days; calendar arithmetic, so DST changes don't matter. */
export function addDays(day: string, n: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}

/** "2026-03-08" → "Sunday 8 March 2026": a calendar day, formatted as that day. */
export function formatLongDay(day: string): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Intl.DateTimeFormat('en-GB', { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
    new Date(Date.UTC(y, m - 1, d)),
  );
}

/** "9:00 – 9:50 AM" in the practice's time zone. */
export function formatTimeRange(startsAt: string, minutes: number, timeZone: string): string {
  const start = new Date(startsAt);
  const end = new Date(start.getTime() + minutes * 60_000);
  return new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit', timeZone }).formatRange(start, end);
}

export function formatTime(startsAt: string, timeZone: string): string {
  return new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit', timeZone }).format(new Date(startsAt));
}

/** "In person · Main office" or "Video session". */
export function modalityWords(a: Pick<DayAppointment, 'modality' | 'location'>): string {
  if (a.modality === 'telehealth') return 'Video session';
  return a.location ? `In person · ${a.location.name}` : 'In person';
}

/** The practice's wall clock at an instant: { date: 'YYYY-MM-DD', time: 'HH:MM' }. */
export function wallClockOf(iso: string, timeZone: string): { date: string; time: string } {
  const instant = new Date(iso);
  const p: Record<string, string> = {};
  for (const part of new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', hour: '2-digit', minute: '2-digit' }).formatToParts(instant)) {
    p[part.type] = part.value;
  }
  return { date: localDate(instant, timeZone), time: `${p.hour}:${p.minute}` };
}

/**
 * The instant the practice's clocks read `time` on `date`, as ISO (UTC), or null when
 * the clocks skip that time (the hour lost when summer time starts).
 */
export function startsAtIso(date: string, time: string, timeZone: string): string | null {
  const instant = localTimeToInstant(date, time, timeZone).toISOString();
  const back = wallClockOf(instant, timeZone);
  return back.date === date && back.time === time ? instant : null;
}

/** The booking refusals in words for the person at the desk, with what to do next. */
export function explainBookingProblem(p: Problem, clinicianName?: string): Problem {
  const who = clinicianName ?? 'The clinician';
  switch (p.code) {
    case 'APPOINTMENT_OVERLAPS':
      return { ...p, detail: `${p.detail} Choose another time.` };
    case 'CLINICIAN_NOT_ON_CARE_TEAM':
      return {
        ...p,
        detail: `${who} is not on this client's care team. Choose one of the client's clinicians, or ask an administrator to add ${clinicianName ?? 'them'} to the care team first.`,
      };
    case 'BOOKING_CLIENT_ARCHIVED':
      return { ...p, detail: "This client's record is archived. Their clinician or an administrator can restore it; then book again." };
    case 'APPOINTMENT_CANCELLED':
      return { ...p, detail: 'This appointment was cancelled, so it cannot be moved. Book a new one instead.' };
    default:
      return p;
  }
}

/** Runs an API call and rethrows its problem in the words above. */
export async function withBookingWords<T>(call: () => Promise<T>, clinicianName?: string): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (err instanceof ApiError) throw new ApiError(explainBookingProblem(err.problem, clinicianName));
    throw err;
  }
}

/** "3 sessions, 1 cancelled": the day in one line. */
export function countWords(appointments: DayAppointment[]): string {
  const cancelled = appointments.filter((a) => a.status === 'cancelled').length;
  const booked = appointments.length - cancelled;
  const main = `${booked} ${booked === 1 ? 'session' : 'sessions'}`;
  return cancelled > 0 ? `${main}, ${cancelled} cancelled` : main;
}

/** Clinicians and supervisors have a day of their own; the front desk and admins look after everyone's. */
export function hasOwnDay(role: string): boolean {
  return role === 'clinician' || role === 'supervisor';
}
