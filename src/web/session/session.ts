// What the /api/sessions endpoints send (issue 4 contract, "Sessions"), and the words
// and durations we show for it. Times are the practice's wall clock, never the device's.
import type { AgendaItem } from '../aftercare/aftercare.ts';
import type { RiskLevel } from '../clients/client.ts';
import type { CrisisResource } from '../locations/location.ts';
import type { Modality, Named } from '../schedule/schedule.ts';

export interface CrisisResources {
  locationId: string;
  locationName: string;
  address: string;
  timeZone: string | null;
  resources: CrisisResource[];
}

export interface StepOut {
  id: string;
  reason: string;
  toldClient: string;
  leftAt: string;
  returnedAt: string | null;
  minutesAway: number | null;
}

export interface SessionIncident {
  id: string;
  protocolKey: string;
  status: 'open' | 'closed';
  openedAt: string;
}

export interface SessionView {
  id: string;
  appointmentId: string;
  startsAt: string;
  minutes: number;
  client: Named & { riskLevel: RiskLevel | 'unknown'; phone: string | null; address: string | null };
  clinician: Named;
  modality: Modality;
  startedAt: string;
  endedAt: string | null;
  endedEarly: boolean | null;
  endReason: string | null;
  rescheduleAppointmentId: string | null;
  location: (Named & { address: string }) | null;
  clientLocation: string | null;
  callbackPhone: string | null;
  locationConfirmedAt: string | null;
  availabilityNotice: boolean;
  availabilityNoticeToldClient: boolean;
  crisisResources: CrisisResources | null;
  stepOuts: StepOut[];
  incidents: SessionIncident[];
  /** The next session's agenda: open items, and those discussed during this session. */
  agenda: AgendaItem[];
}

/** The session of a day's appointment (GET /api/schedule/day, care team only). */
export interface DaySession {
  id: string;
  startedAt: string;
  endedAt: string | null;
}

/** POST /api/appointments/:appointmentId/session */
export interface StartSessionBody {
  locationId?: string | null;
  clientLocation?: string;
  callbackPhone?: string;
  availabilityNotice?: boolean;
  availabilityNoticeToldClient?: boolean;
}

export interface EndSessionBody {
  early?: { reason: string; reschedule?: { startsAt: string; minutes?: number } };
}

export function startSessionPath(appointmentId: string): string {
  return `/api/appointments/${encodeURIComponent(appointmentId)}/session`;
}

export function sessionPath(sessionId: string, rest = ''): string {
  return `/api/sessions/${encodeURIComponent(sessionId)}${rest}`;
}

export function sessionPage(sessionId: string): string {
  return `/sessions/${encodeURIComponent(sessionId)}`;
}

/** The step-out under way, if the clinician is out of the room now. */
export function currentStepOut(s: SessionView): StepOut | null {
  return s.stepOuts.find((o) => o.returnedAt === null) ?? null;
}

export function latestOpenIncident(s: SessionView): SessionIncident | null {
  const open = s.incidents.filter((i) => i.status === 'open');
  return open[open.length - 1] ?? null;
}

/** The numbers to call, whichever shape the server sends (the object of the contract, or a bare list). */
export function resourceList(cr: CrisisResources | CrisisResource[] | null): CrisisResource[] {
  if (!cr) return [];
  return Array.isArray(cr) ? cr : cr.resources;
}

/** 95 s → "1 min"; 4000 s → "1 h 6 min"; under a minute → "under a minute". */
export function durationWords(ms: number): string {
  const minutes = Math.floor(Math.max(0, ms) / 60_000);
  if (minutes < 1) return 'under a minute';
  if (minutes < 60) return `${minutes} min`;
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return m === 0 ? `${h} h` : `${h} h ${m} min`;
}

export function minutesWords(minutes: number): string {
  return minutes < 1 ? 'under a minute' : durationWords(minutes * 60_000);
}
