// Follow-ups as the API sends them (src/modules/follow-ups/follow-ups.routes.ts), and the words for them.
import { localDate, localTimeToInstant } from '../../domain/zoned-time.ts';
import { request } from '../api.ts';

export type Named = { id: string; name: string };
export type FollowUpChannel = 'voice' | 'text' | 'email' | 'in_person';
export type AttemptOutcome = 'reached' | 'no_answer' | 'left_message' | 'wrong_number';
export type FollowUpStatus = 'open' | 'done' | 'cancelled' | 'unable_to_reach';

export interface FollowUpItem {
  id: string; kind: string; title: string; status: FollowUpStatus; source: 'protocol' | 'manual'; dueAt: string; overdue: boolean;
  channel: FollowUpChannel | null; attempts: { count: number; failed: number; max: number };
  escalationReason: 'overdue' | 'unable_to_reach' | null; client: Named; incidentId: string | null; assignedTo: Named;
}
export interface AttemptView {
  id: string; channel: FollowUpChannel; outcome: AttemptOutcome; note: string; messageId: string | null; attemptedAt: string; recordedBy: Named;
}
export interface FollowUpDetail extends FollowUpItem {
  remindAt: string | null; remindedAt: string | null; escalatedAt: string | null; note: string | null;
  doneAt: string | null; doneBy: Named | null; createdAt: string; updatedAt: string; scheduleVersion: number; attemptLog: AttemptView[];
}
export interface TeamFollowUps {
  clinicians: { id: string; name: string; open: number; overdue: number; unableToReach: number }[];
  followUps: FollowUpItem[];
}
export interface NotificationView {
  id: string; kind: string; title: string; clientId: string | null; followUpTaskId: string | null; createdAt: string; readAt: string | null;
}

export const CHANNELS: [FollowUpChannel, string][] = [['voice', 'Call'], ['text', 'Text'], ['email', 'Email'], ['in_person', 'In person']];
export const OUTCOMES: [AttemptOutcome, string][] = [
  ['reached', 'Reached the client'], ['no_answer', 'No answer'], ['left_message', 'Left a message'], ['wrong_number', 'Wrong number'],
];
export const channelLabel = (c: FollowUpChannel | null) => CHANNELS.find(([k]) => k === c)?.[1] ?? 'Any channel';
export const outcomeLabel = (o: AttemptOutcome) => OUTCOMES.find(([k]) => k === o)?.[1] ?? o;

export function statusLabel(f: Pick<FollowUpItem, 'status' | 'overdue'>): string | null {
  if (f.status === 'unable_to_reach') return 'Unable to reach';
  if (f.status === 'done') return 'Done';
  if (f.status === 'cancelled') return 'Cancelled';
  return f.overdue ? 'Past due' : null;
}

/** Whether the task still needs someone: open, or unable to reach until a decision is made. */
export const isActive = (f: Pick<FollowUpItem, 'status'>) => f.status === 'open' || f.status === 'unable_to_reach';

/** How far ahead Today looks past midnight: a same-day reach-out after an evening walkout (due within 8 hours) falls due after it. */
export const TODAY_HORIZON_HOURS = 12;

/**
 * Whether a follow-up belongs on Today: past due, unable to reach, due by the end of the
 * practice's day, or due within the next 12 hours (the walkout's reach-out, seed 003, is
 * due the same evening or night, whatever the hour the client left).
 */
export function dueOnToday(f: Pick<FollowUpItem, 'status' | 'overdue' | 'dueAt'>, now: Date, timeZone: string): boolean {
  const due = new Date(f.dueAt);
  return f.overdue || f.status === 'unable_to_reach' || localDate(due, timeZone) <= localDate(now, timeZone)
    || due.getTime() - now.getTime() <= TODAY_HORIZON_HOURS * 3_600_000;
}

export const patchFollowUp = (id: string, body: Record<string, unknown>) =>
  request<{ followUp: FollowUpDetail }>('PATCH', `/api/follow-ups/${id}`, { body });

/** A datetime-local value, read in the practice's time zone (as every time is shown), as an ISO instant; null when empty. */
export function localInputToIso(value: string, timeZone: string): string | null {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(value);
  if (!m) return null;
  try {
    return localTimeToInstant(m[1]!, m[2]!, timeZone).toISOString();
  } catch {
    return null;
  }
}
