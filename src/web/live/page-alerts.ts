/**
 * What the page alert shows, as plain data: the pages that need me, merged from
 * GET /api/pages and the live `page` / `page.updated` events, and the words on screen.
 * No DOM, no clock of its own (callers pass `now`), so it is unit-tested.
 */

export type PageStatus = 'open' | 'acknowledged' | 'exhausted' | 'cancelled';

/** A page I was notified of (GET /api/pages, the live `page` event, POST …/acknowledge). */
export interface PageForMe {
  id: string;
  incidentId: string;
  status: PageStatus;
  reason: string;
  createdAt: string;
  requestedBy: { id: string; name: string };
  protocolTitle: string;
  discreetTitle: string;
  where: string | null;
  /** Counts from 0, as stored (the first level of the policy is 0). */
  level: number;
  /** Counts from 1. */
  round: number;
  /** Who acknowledged first (the first acknowledgement wins). */
  acknowledgedBy?: { id: string; name: string } | null;
}

/** The live `page.updated` event. */
export interface PageUpdate {
  pageId: string;
  incidentId: string;
  status: PageStatus;
  acknowledgedBy: { id: string; name: string } | null;
}

export interface PageAlert {
  page: PageForMe;
  /** When this tab last heard of the page being sent to me (first time, or a later level or round). */
  notifiedAt: number;
  silenced: boolean;
  /** Set once the page no longer needs anyone; the alert then shows a short notice. */
  ended: { status: 'acknowledged' | 'cancelled'; by: { id: string; name: string } | null; byMe: boolean; at: number } | null;
}

export interface AlertsState {
  alerts: PageAlert[];
}

export const NO_ALERTS: AlertsState = { alerts: [] };

/** How long "Acknowledged by …" stays after someone else answers, or after a cancellation. */
export const ENDED_NOTICE_MS = 8_000;
/** How long my own "You acknowledged" stays (it carries the way to the incident). */
export const MY_ACK_NOTICE_MS = 120_000;
/** The tone repeats this often while a page waits for an acknowledgement. */
export const TONE_REPEAT_MS = 20_000;

export type AlertsAction =
  /** GET /api/pages answered; `requestedAt` is when that request left (events after it win). */
  | { type: 'list'; pages: PageForMe[]; requestedAt: number; now: number }
  | { type: 'page'; page: PageForMe; now: number }
  | { type: 'updated'; update: PageUpdate; meId: string; now: number }
  /** My own acknowledgement came back. */
  | { type: 'acknowledged'; page: PageForMe; meId: string; meName: string; now: number }
  | { type: 'silence' }
  | { type: 'unsilence' }
  | { type: 'dismiss'; pageId: string }
  | { type: 'tick'; now: number };

const STATUSES: readonly string[] = ['open', 'acknowledged', 'exhausted', 'cancelled'];
const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null;
const isPerson = (x: unknown): x is { id: string; name: string } => isRecord(x) && typeof x.id === 'string' && typeof x.name === 'string';

/** Live event data is only JSON: check the shape before it reaches the screen. */
export function isPageForMe(x: unknown): x is PageForMe {
  return (
    isRecord(x) && typeof x.id === 'string' && typeof x.incidentId === 'string' && typeof x.status === 'string' && STATUSES.includes(x.status) &&
    typeof x.createdAt === 'string' && isPerson(x.requestedBy) && typeof x.protocolTitle === 'string' &&
    typeof x.level === 'number' && typeof x.round === 'number'
  );
}

export function isPageUpdate(x: unknown): x is PageUpdate {
  return (
    isRecord(x) && typeof x.pageId === 'string' && typeof x.status === 'string' && STATUSES.includes(x.status) &&
    (x.acknowledgedBy === null || x.acknowledgedBy === undefined || isPerson(x.acknowledgedBy))
  );
}

const waiting = (status: PageStatus) => status === 'open' || status === 'exhausted';

export function alertsReducer(state: AlertsState, action: AlertsAction): AlertsState {
  switch (action.type) {
    case 'list':
      return fromList(state, action.pages, action.requestedAt, action.now);
    case 'page':
      return onPage(state, action.page, action.now);
    case 'updated':
      return onUpdate(state, action.update, action.meId, action.now);
    case 'acknowledged': {
      const { page } = action;
      // The first acknowledgement wins; without word of another, the answer is mine.
      const by = page.status === 'acknowledged' ? (page.acknowledgedBy ?? { id: action.meId, name: action.meName }) : null;
      return onUpdate(state, { pageId: page.id, incidentId: page.incidentId, status: page.status, acknowledgedBy: by }, action.meId, action.now);
    }
    case 'silence':
      return mapWaiting(state, (a) => (a.silenced ? a : { ...a, silenced: true }));
    case 'unsilence':
      return mapWaiting(state, (a) => (a.silenced ? { ...a, silenced: false } : a));
    case 'dismiss':
      return { alerts: state.alerts.filter((a) => a.page.id !== action.pageId) };
    case 'tick':
      return expire(state, action.now);
  }
}

/**
 * The list is the truth for pages still waiting, except for pages announced live after
 * the request left (the list may predate them). A waiting page missing from the list was
 * answered or cancelled while this tab was not listening: it goes quietly.
 */
function fromList(state: AlertsState, pages: PageForMe[], requestedAt: number, now: number): AlertsState {
  const listed = new Map(pages.filter((p) => waiting(p.status)).map((p) => [p.id, p]));
  const kept: PageAlert[] = [];
  for (const a of state.alerts) {
    const fresh = listed.get(a.page.id);
    listed.delete(a.page.id);
    if (a.ended) kept.push(a);
    else if (fresh) kept.push(newer(a.page, fresh) ? { ...a, page: fresh } : a);
    else if (a.notifiedAt > requestedAt) kept.push(a);
  }
  for (const page of listed.values()) kept.push({ page, notifiedAt: now, silenced: false, ended: null });
  return { alerts: sortAlerts(kept) };
}

/** A page reached me: new, or sent again at a later level or round (sound and announce again). */
function onPage(state: AlertsState, page: PageForMe, now: number): AlertsState {
  if (!waiting(page.status)) return state;
  const existing = state.alerts.find((a) => a.page.id === page.id);
  if (!existing) return { alerts: sortAlerts([...state.alerts, { page, notifiedAt: now, silenced: false, ended: null }]) };
  if (existing.ended) return state;
  if (!newer(existing.page, page)) return state;
  const again = page.level !== existing.page.level || page.round !== existing.page.round;
  const next: PageAlert = again ? { page, notifiedAt: now, silenced: false, ended: null } : { ...existing, page };
  return { alerts: state.alerts.map((a) => (a === existing ? next : a)) };
}

function onUpdate(state: AlertsState, update: PageUpdate, meId: string, now: number): AlertsState {
  const existing = state.alerts.find((a) => a.page.id === update.pageId);
  // Updates about pages that never reached me (I am on the care team) are the incident screen's.
  if (!existing) return state;
  let next: PageAlert;
  if (update.status === 'acknowledged' || update.status === 'cancelled') {
    if (existing.ended) return state;
    const by = update.status === 'acknowledged' ? update.acknowledgedBy : null;
    next = {
      ...existing,
      page: { ...existing.page, status: update.status },
      ended: { status: update.status, by, byMe: by?.id === meId, at: now },
    };
  } else {
    if (existing.ended || existing.page.status === update.status) return state;
    next = { ...existing, page: { ...existing.page, status: update.status } };
  }
  return { alerts: state.alerts.map((a) => (a === existing ? next : a)) };
}

function expire(state: AlertsState, now: number): AlertsState {
  const alerts = state.alerts.filter((a) => !a.ended || now - a.ended.at < (a.ended.byMe ? MY_ACK_NOTICE_MS : ENDED_NOTICE_MS));
  return alerts.length === state.alerts.length ? state : { alerts };
}

function mapWaiting(state: AlertsState, f: (a: PageAlert) => PageAlert): AlertsState {
  let changed = false;
  const alerts = state.alerts.map((a) => {
    if (a.ended) return a;
    const b = f(a);
    if (b !== a) changed = true;
    return b;
  });
  return changed ? { alerts } : state;
}

/** Escalation only moves forward: a later level or round is newer; so is a change of status at the same step. */
function newer(current: PageForMe, candidate: PageForMe): boolean {
  if (candidate.round !== current.round) return candidate.round > current.round;
  if (candidate.level !== current.level) return candidate.level > current.level;
  return candidate.status !== current.status || candidate.where !== current.where;
}

/** Oldest first: the person waiting longest is at the top. */
function sortAlerts(alerts: PageAlert[]): PageAlert[] {
  return [...alerts].sort((a, b) => Date.parse(a.page.createdAt) - Date.parse(b.page.createdAt));
}

/** Pages still waiting for someone to acknowledge. */
export function waitingAlerts(state: AlertsState): PageAlert[] {
  return state.alerts.filter((a) => !a.ended);
}

/**
 * Whether to play the tone now: a page reached me since the last tone, or a page has been
 * waiting TONE_REPEAT_MS since it. Silenced pages stay quiet until they escalate again.
 */
export function toneDue(state: AlertsState, lastToneAt: number | null, now: number): boolean {
  const loud = waitingAlerts(state).filter((a) => !a.silenced);
  if (loud.length === 0) return false;
  if (lastToneAt === null) return true;
  if (loud.some((a) => a.notifiedAt > lastToneAt)) return true;
  return now - lastToneAt >= TONE_REPEAT_MS;
}

export const TITLE_PREFIX = '(!) ';

/** The tab title with or without the alert prefix, whatever it had before. */
export function alertTitle(title: string, show: boolean): string {
  const plain = title.startsWith(TITLE_PREFIX) ? title.slice(TITLE_PREFIX.length) : title;
  return show ? TITLE_PREFIX + plain : plain;
}

/** "just now", "1 minute ago", "12 minutes ago", "1 h 5 min ago". */
export function agoText(iso: string, now: number): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return '';
  const minutes = Math.floor(Math.max(0, now - t) / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 60) return minutes === 1 ? '1 minute ago' : `${minutes} minutes ago`;
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return m === 0 ? `${h} h ago` : `${h} h ${m} min ago`;
}

/**
 * The words of one alert. Discreet mode (a client may see the screen) uses the
 * protocol's neutral title and leaves out the reason, which may be clinical.
 */
export function alertWords(page: PageForMe, discreet: boolean): { headline: string; protocol: string; reason: string | null; where: string; step: string } {
  const protocol = discreet ? page.discreetTitle : page.protocolTitle;
  const reason = discreet || !page.reason.trim() || page.reason.trim() === page.protocolTitle ? null : page.reason.trim();
  return {
    headline: `${page.requestedBy.name} needs help`,
    protocol,
    reason,
    where: page.where?.trim() || 'Place not given',
    // The API counts levels from 0 (as stored) and rounds from 1.
    step: `Level ${page.level + 1}, round ${page.round}${page.status === 'exhausted' ? ' — nobody has acknowledged yet' : ''}`,
  };
}

/** The notice once a page no longer waits. */
export function endedWords(alert: PageAlert): string {
  const ended = alert.ended;
  if (!ended) return '';
  const who = alert.page.requestedBy.name;
  if (ended.status === 'cancelled') return `The page from ${who} was cancelled: it no longer needs you.`;
  if (ended.byMe) return `You acknowledged the page from ${who}. Open the incident to see where things stand.`;
  return ended.by ? `Acknowledged by ${ended.by.name}: the page from ${who} is answered.` : `The page from ${who} was acknowledged.`;
}
