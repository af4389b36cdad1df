import { describe, expect, it } from 'vitest';
import {
  agoText, alertTitle, alertWords, alertsReducer, endedWords, ENDED_NOTICE_MS, isPageForMe, isPageUpdate, MY_ACK_NOTICE_MS,
  NO_ALERTS, toneDue, TONE_REPEAT_MS, waitingAlerts, type AlertsState, type PageForMe,
} from './page-alerts.ts';

const T0 = Date.parse('2025-06-03T14:00:00Z');
const singh = { id: 'u-singh', name: 'Dr. Amara Singh' };
const okafor = { id: 'u-oncall', name: 'Dr. Jo Okafor' };

function page(over: Partial<PageForMe> = {}): PageForMe {
  return {
    id: 'page-1',
    incidentId: 'incident-1',
    status: 'open',
    reason: 'Imminent risk to self',
    createdAt: new Date(T0).toISOString(),
    requestedBy: { id: 'u-lin', name: 'Dr. Mei Lin' },
    protocolTitle: 'Imminent risk to self',
    discreetTitle: 'Check-in',
    where: 'Telehealth session',
    level: 0,
    round: 1,
    ...over,
  };
}

const run = (state: AlertsState, ...actions: Parameters<typeof alertsReducer>[1][]) => actions.reduce(alertsReducer, state);

describe('pages reaching the supervisor', () => {
  it('after a reload, the open and unanswered pages from GET /api/pages show and sound', () => {
    const s = run(NO_ALERTS, {
      type: 'list', requestedAt: T0, now: T0 + 100,
      pages: [page(), page({ id: 'page-2', status: 'exhausted', createdAt: new Date(T0 - 60_000).toISOString() }), page({ id: 'page-3', status: 'acknowledged' })],
    });
    // Oldest first; an acknowledged page never shows.
    expect(s.alerts.map((a) => a.page.id)).toEqual(['page-2', 'page-1']);
    expect(toneDue(s, null, T0 + 100)).toBe(true);
  });

  it('a page announced live while the list was on its way is kept, even if the list predates it', () => {
    const s = run(
      NO_ALERTS,
      { type: 'page', page: page({ id: 'page-live' }), now: T0 + 50 },
      { type: 'list', pages: [], requestedAt: T0, now: T0 + 200 },
    );
    expect(s.alerts.map((a) => a.page.id)).toEqual(['page-live']);
  });

  it('a page answered while this tab was not listening goes quietly at the next list', () => {
    const s = run(
      NO_ALERTS,
      { type: 'page', page: page(), now: T0 },
      { type: 'list', pages: [], requestedAt: T0 + 60_000, now: T0 + 60_100 },
    );
    expect(s.alerts).toEqual([]);
  });

  it('the same page heard twice changes nothing; the next level or round notifies again, even when silenced', () => {
    const first = run(NO_ALERTS, { type: 'page', page: page(), now: T0 }, { type: 'silence' });
    expect(toneDue(first, T0, T0 + TONE_REPEAT_MS * 3)).toBe(false);
    expect(run(first, { type: 'page', page: page(), now: T0 + 1000 })).toBe(first);

    const escalated = run(first, { type: 'page', page: page({ round: 2 }), now: T0 + 120_000 });
    const [alert] = escalated.alerts;
    expect(alert?.silenced).toBe(false);
    expect(alert?.notifiedAt).toBe(T0 + 120_000);
    expect(toneDue(escalated, T0 + 110_000, T0 + 120_000)).toBe(true);
    // An older level arriving late does not move it back.
    expect(run(escalated, { type: 'page', page: page({ level: 2, round: 1 }), now: T0 + 121_000 })).toBe(escalated);
  });

  it('the tone repeats every 20 seconds until silenced, and a new page sounds despite an earlier silence', () => {
    let s = run(NO_ALERTS, { type: 'page', page: page(), now: T0 });
    expect(toneDue(s, T0, T0 + TONE_REPEAT_MS - 1)).toBe(false);
    expect(toneDue(s, T0, T0 + TONE_REPEAT_MS)).toBe(true);
    s = run(s, { type: 'silence' });
    expect(toneDue(s, T0, T0 + TONE_REPEAT_MS)).toBe(false);
    s = run(s, { type: 'page', page: page({ id: 'page-2' }), now: T0 + 5000 });
    expect(toneDue(s, T0, T0 + 5000)).toBe(true);
    s = run(s, { type: 'unsilence' });
    expect(s.alerts.every((a) => !a.silenced)).toBe(true);
  });
});

describe('when the page is answered', () => {
  it('someone else acknowledging turns the alert into a short notice that then goes', () => {
    let s = run(
      NO_ALERTS,
      { type: 'page', page: page(), now: T0 },
      { type: 'updated', update: { pageId: 'page-1', incidentId: 'incident-1', status: 'acknowledged', acknowledgedBy: okafor }, meId: singh.id, now: T0 + 90_000 },
    );
    expect(waitingAlerts(s)).toEqual([]);
    expect(toneDue(s, null, T0 + 90_000)).toBe(false);
    expect(endedWords(s.alerts[0]!)).toBe('Acknowledged by Dr. Jo Okafor: the page from Dr. Mei Lin is answered.');
    s = run(s, { type: 'tick', now: T0 + 90_000 + ENDED_NOTICE_MS - 1 });
    expect(s.alerts).toHaveLength(1);
    s = run(s, { type: 'tick', now: T0 + 90_000 + ENDED_NOTICE_MS });
    expect(s.alerts).toEqual([]);
  });

  it('my own acknowledgement stays longer, with the way to the incident', () => {
    let s = run(
      NO_ALERTS,
      { type: 'page', page: page(), now: T0 },
      { type: 'acknowledged', page: page({ status: 'acknowledged', acknowledgedBy: singh }), meId: singh.id, meName: singh.name, now: T0 + 60_000 },
    );
    expect(s.alerts[0]?.ended).toMatchObject({ status: 'acknowledged', byMe: true });
    expect(endedWords(s.alerts[0]!)).toMatch(/^You acknowledged the page from Dr\. Mei Lin/);
    s = run(s, { type: 'tick', now: T0 + 60_000 + ENDED_NOTICE_MS });
    expect(s.alerts).toHaveLength(1);
    s = run(s, { type: 'tick', now: T0 + 60_000 + MY_ACK_NOTICE_MS });
    expect(s.alerts).toEqual([]);
  });

  it('when someone else was first, my late acknowledgement says so (the first one wins)', () => {
    const s = run(
      NO_ALERTS,
      { type: 'page', page: page(), now: T0 },
      { type: 'acknowledged', page: page({ status: 'acknowledged', acknowledgedBy: okafor }), meId: singh.id, meName: singh.name, now: T0 + 1000 },
    );
    expect(s.alerts[0]?.ended).toMatchObject({ byMe: false, by: okafor });
    // The live event about the same acknowledgement changes nothing more.
    expect(run(s, { type: 'updated', update: { pageId: 'page-1', incidentId: 'incident-1', status: 'acknowledged', acknowledgedBy: okafor }, meId: singh.id, now: T0 + 2000 })).toBe(s);
  });

  it('a cancelled page says it no longer needs me; an unanswered (exhausted) one keeps waiting', () => {
    const cancelled = run(NO_ALERTS, { type: 'page', page: page(), now: T0 }, { type: 'updated', update: { pageId: 'page-1', incidentId: 'incident-1', status: 'cancelled', acknowledgedBy: null }, meId: singh.id, now: T0 + 1 });
    expect(endedWords(cancelled.alerts[0]!)).toBe('The page from Dr. Mei Lin was cancelled: it no longer needs you.');

    const exhausted = run(NO_ALERTS, { type: 'page', page: page(), now: T0 }, { type: 'updated', update: { pageId: 'page-1', incidentId: 'incident-1', status: 'exhausted', acknowledgedBy: null }, meId: singh.id, now: T0 + 1 });
    expect(waitingAlerts(exhausted)).toHaveLength(1);
    expect(alertWords(exhausted.alerts[0]!.page, false).step).toBe('Level 1, round 1 — nobody has acknowledged yet');
  });

  it('updates about pages that never reached me are not mine to show', () => {
    const s = run(NO_ALERTS, { type: 'page', page: page(), now: T0 });
    expect(run(s, { type: 'updated', update: { pageId: 'other', incidentId: 'incident-9', status: 'acknowledged', acknowledgedBy: okafor }, meId: singh.id, now: T0 })).toBe(s);
  });
});

describe('the words on screen', () => {
  it('says who, what, where and which step; discreet mode uses the neutral title and leaves out the reason', () => {
    const p = page({ reason: 'Client said they have a plan', level: 1, round: 2 });
    expect(alertWords(p, false)).toEqual({
      headline: 'Dr. Mei Lin needs help', protocol: 'Imminent risk to self', reason: 'Client said they have a plan',
      where: 'Telehealth session', step: 'Level 2, round 2',
    });
    expect(alertWords(p, true)).toMatchObject({ protocol: 'Check-in', reason: null });
    // A reason that only repeats the protocol is not repeated.
    expect(alertWords(page(), false).reason).toBeNull();
    expect(alertWords(page({ where: null }), false).where).toBe('Place not given');
  });

  it('the tab title gains and loses "(!) " without stacking it', () => {
    expect(alertTitle('Today · Holdspace', true)).toBe('(!) Today · Holdspace');
    expect(alertTitle('(!) Today · Holdspace', true)).toBe('(!) Today · Holdspace');
    expect(alertTitle('(!) Today · Holdspace', false)).toBe('Today · Holdspace');
    expect(alertTitle('Today · Holdspace', false)).toBe('Today · Holdspace');
  });

  it.each([
    [0, 'just now'], [59_000, 'just now'], [60_000, '1 minute ago'], [12 * 60_000, '12 minutes ago'],
    [60 * 60_000, '1 h ago'], [65 * 60_000, '1 h 5 min ago'], [-5000, 'just now'],
  ])('%i ms after the page: "%s"', (ms, text) => {
    expect(agoText(new Date(T0).toISOString(), T0 + ms)).toBe(text);
  });

  it('only well-formed live data is taken as a page or an update', () => {
    expect(isPageForMe(page())).toBe(true);
    expect(isPageForMe({ ...page(), status: 'lost' })).toBe(false);
    expect(isPageForMe({ id: 'x' })).toBe(false);
    expect(isPageForMe(null)).toBe(false);
    expect(isPageUpdate({ pageId: 'p', incidentId: 'i', status: 'acknowledged', acknowledgedBy: okafor })).toBe(true);
    expect(isPageUpdate({ pageId: 'p', status: 'acknowledged', acknowledgedBy: 'someone' })).toBe(false);
  });
});
