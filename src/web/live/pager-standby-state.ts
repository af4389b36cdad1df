/**
 * What the sign-in screen knows while it stands by for pages (pager-standby.tsx): the
 * stream's messages, read defensively, and the words shown. The stream says only that
 * the person is paged, never who needs help or where; that waits behind sign-in.
 */

export interface StandbyReady {
  until: string;
  name: string;
}

export interface StandbyPaged {
  pageId: string;
  at: string;
}

export interface StandbyState {
  /** 'connecting' until the first `ready`; 'ended' once the stream is closed for good. */
  phase: 'connecting' | 'standing_by' | 'reconnecting' | 'ended' | 'stopped';
  ready: StandbyReady | null;
  /**
   * The pages heard so far (id → when it last reached the person), the first time, and the
   * rings: a new page, or one escalating to the person again. A page the stream tells again
   * after reconnecting (same or earlier time) is not a new ring.
   */
  paged: { lastAt: Record<string, string>; firstAt: string; rings: number } | null;
}

export type StandbyAction =
  | { type: 'ready'; ready: StandbyReady }
  | { type: 'paged'; paged: StandbyPaged }
  | { type: 'reconnecting' }
  | { type: 'ended' }
  | { type: 'stopped' };

export const STANDBY_START: StandbyState = { phase: 'connecting', ready: null, paged: null };

export function standbyReducer(state: StandbyState, action: StandbyAction): StandbyState {
  switch (action.type) {
    case 'ready':
      return state.phase === 'stopped' ? state : { ...state, phase: 'standing_by', ready: action.ready };
    case 'paged': {
      if (state.phase === 'stopped') return state;
      const { pageId, at } = action.paged;
      const was = state.paged;
      if (!was) return { ...state, paged: { lastAt: { [pageId]: at }, firstAt: at, rings: 1 } };
      const before = was.lastAt[pageId];
      if (before !== undefined && Date.parse(at) <= Date.parse(before)) return state;
      return {
        ...state,
        paged: {
          lastAt: { ...was.lastAt, [pageId]: at },
          firstAt: Date.parse(at) < Date.parse(was.firstAt) ? at : was.firstAt,
          rings: was.rings + 1,
        },
      };
    }
    case 'reconnecting':
      return state.phase === 'standing_by' ? { ...state, phase: 'reconnecting' } : state;
    case 'ended':
      // The standby is over; a page already heard still needs the person, so its alert stays.
      return state.phase === 'stopped' ? state : { ...state, phase: 'ended' };
    case 'stopped':
      return { phase: 'stopped', ready: null, paged: null };
  }
}

function isIsoInstant(v: unknown): v is string {
  return typeof v === 'string' && !Number.isNaN(Date.parse(v));
}

function parseJson(data: unknown): Record<string, unknown> | null {
  if (typeof data !== 'string') return null;
  try {
    const v: unknown = JSON.parse(data);
    return typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** `event: ready` data, or null when it is not what the server sends. */
export function parseReady(data: unknown): StandbyReady | null {
  const v = parseJson(data);
  if (!v || !isIsoInstant(v.until)) return null;
  return { until: v.until, name: typeof v.name === 'string' ? v.name : '' };
}

/** `event: paged` data, or null. */
export function parsePaged(data: unknown): StandbyPaged | null {
  const v = parseJson(data);
  if (!v || typeof v.pageId !== 'string' || !v.pageId || !isIsoInstant(v.at)) return null;
  return { pageId: v.pageId, at: v.at };
}

/**
 * The time alone ("6:15 AM"), in the device's time zone: signed out, the screen does not
 * know the practice's. Another day than today says which.
 */
export function standbyClock(iso: string, now: Date, timeZone: string, locale?: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const time = new Intl.DateTimeFormat(locale, { timeStyle: 'short', timeZone }).format(d);
  const day = (t: Date) => new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(t);
  if (day(d) === day(now)) return time;
  if (day(d) === day(new Date(now.getTime() + 86_400_000))) return `${time} tomorrow`;
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(d);
}

/** "Paged at 2:14 AM", "Paged 2 times since 2:14 AM". */
export function pagedText(paged: NonNullable<StandbyState['paged']>, now: Date, timeZone: string, locale?: string): string {
  const since = standbyClock(paged.firstAt, now, timeZone, locale);
  return paged.rings === 1 ? `Paged at ${since}` : `Paged ${paged.rings} times since ${since}`;
}
