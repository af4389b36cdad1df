import { describe, expect, it } from 'vitest';
import {
  pagedText, parsePaged, parseReady, STANDBY_START, standbyClock, standbyReducer, type StandbyAction, type StandbyState,
} from './pager-standby-state.ts';

const run = (state: StandbyState, ...actions: StandbyAction[]) => actions.reduce(standbyReducer, state);
const ready = { type: 'ready', ready: { until: '2025-06-04T13:15:00Z', name: 'Dr. Amara Singh' } } as const;
const paged = (pageId: string, at: string) => ({ type: 'paged', paged: { pageId, at } }) as const;

describe('the sign-in screen standing by for pages', () => {
  it('shows nothing until the stream is ready, then stands by', () => {
    expect(STANDBY_START.phase).toBe('connecting');
    expect(run(STANDBY_START, ready).phase).toBe('standing_by');
  });

  it('counts a new page and an escalation reaching the person again, not the same page told again after a reconnect', () => {
    const s = run(
      STANDBY_START,
      ready,
      paged('p1', '2025-06-04T09:14:00Z'),
      { type: 'reconnecting' },
      ready,
      paged('p1', '2025-06-04T09:14:00Z'), // told again on reconnecting
      paged('p1', '2025-06-04T09:19:00Z'), // escalated: round 2 reaches her
      paged('p2', '2025-06-04T09:30:00Z'),
    );
    expect(s.paged?.rings).toBe(3);
    expect(s.paged?.firstAt).toBe('2025-06-04T09:14:00Z');
  });

  it('marks a dropped stream as reconnecting, and an ended standby keeps the alert already heard', () => {
    const dropped = run(STANDBY_START, ready, { type: 'reconnecting' });
    expect(dropped.phase).toBe('reconnecting');
    const ended = run(dropped, paged('p1', '2025-06-04T09:14:00Z'), { type: 'ended' });
    expect(ended.phase).toBe('ended');
    expect(ended.paged?.rings).toBe(1);
  });

  it('a closed stream before ready ends quietly (no standby for this browser)', () => {
    expect(run(STANDBY_START, { type: 'reconnecting' }, { type: 'ended' }).phase).toBe('ended');
  });

  it('stopping forgets everything, and late messages do not bring it back', () => {
    const s = run(STANDBY_START, ready, paged('p1', '2025-06-04T09:14:00Z'), { type: 'stopped' }, ready, paged('p2', '2025-06-04T09:20:00Z'));
    expect(s).toEqual({ phase: 'stopped', ready: null, paged: null });
  });
});

describe('reading the stream', () => {
  it('takes only well-formed messages', () => {
    expect(parseReady('{"until":"2025-06-04T13:15:00Z","name":"Dr. Amara Singh"}')).toEqual({ until: '2025-06-04T13:15:00Z', name: 'Dr. Amara Singh' });
    expect(parseReady('{"until":"soon"}')).toBeNull();
    expect(parseReady('not json')).toBeNull();
    expect(parsePaged('{"pageId":"p1","at":"2025-06-04T09:14:00Z"}')).toEqual({ pageId: 'p1', at: '2025-06-04T09:14:00Z' });
    expect(parsePaged('{"pageId":"","at":"2025-06-04T09:14:00Z"}')).toBeNull();
    expect(parsePaged(null)).toBeNull();
  });
});

describe('the words', () => {
  // Newer ICU puts a narrow no-break space before AM/PM.
  const clock = (...args: Parameters<typeof standbyClock>) => standbyClock(...args).replace(/\u202f/g, ' ');
  const words = (...args: Parameters<typeof pagedText>) => pagedText(...args).replace(/\u202f/g, ' ');
  const tz = 'America/Los_Angeles';
  const now = new Date('2025-06-04T05:00:00Z'); // 10:00 PM on 3 June in Oakland

  it('says the time alone today, "tomorrow" for the morning after', () => {
    expect(clock('2025-06-04T06:30:00Z', now, tz, 'en-US')).toBe('11:30 PM');
    expect(clock('2025-06-04T13:15:00Z', now, tz, 'en-US')).toBe('6:15 AM tomorrow');
    expect(clock('2025-06-06T13:15:00Z', now, tz, 'en-US')).toMatch(/^Jun 6, 2025,? 6:15 AM$/);
  });

  it('counts the pages since the first', () => {
    const later = new Date('2025-06-04T09:40:00Z');
    expect(words({ lastAt: {}, firstAt: '2025-06-04T09:14:00Z', rings: 1 }, later, tz, 'en-US')).toBe('Paged at 2:14 AM');
    expect(words({ lastAt: {}, firstAt: '2025-06-04T09:14:00Z', rings: 2 }, later, tz, 'en-US')).toBe('Paged 2 times since 2:14 AM');
  });
});
