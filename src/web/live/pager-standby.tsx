/**
 * Pager standby. The idle timeout ends a session (automatic logoff), and with it the live
 * pages; a supervisor on call who leaves Holdspace open at night would stop hearing them.
 * So the signed-in app stands this browser by (a cookie that reads nothing), and the
 * sign-in screen listens with it: "You are being paged", with the page tone, and nothing
 * about the client. The details wait behind sign-in (the page alert in live-alerts.tsx).
 */
import { useEffect, useReducer, useRef, useState } from 'react';
import { ApiError, api, problemOf, type Problem, type Role } from '../api.ts';
import { useMe } from '../session.tsx';
import { deviceTimeZone } from '../time.ts';
import { ProblemAlert } from '../ui.tsx';
import { alertTitle } from './page-alerts.ts';
import { playPageTone, unlockSound } from './page-tone.ts';
import { pagedText, parsePaged, parseReady, STANDBY_START, standbyClock, standbyReducer } from './pager-standby-state.ts';

/** The roles an escalation policy can page; the front desk is never offered a standby. */
const PAGED_ROLES: readonly Role[] = ['clinician', 'supervisor', 'owner'];
/** A standby lasts 12 h; renewing every hour keeps it well ahead while the app is in use. */
const RENEW_MS = 60 * 60_000;
/** While the alert shows and nobody has signed in, the tone again this often. */
const TONE_REPEAT_MS = 30_000;

/**
 * Signed-in app: stands this browser by for the person's pages, now and every hour. The
 * hourly renewal only follows a click or key press since the last one: a request from an
 * unattended screen must not keep its idle session alive. Failures stay quiet; it is a backup.
 */
export function useStandbyRegistration(): void {
  const me = useMe();
  const mayBePaged = PAGED_ROLES.includes(me.user.role) && !me.mustEnrollTotp;
  const userId = me.user.id;
  useEffect(() => {
    if (!mayBePaged) return;
    let used = false;
    const onUse = () => (used = true);
    const standBy = () => void api.post('/api/pager/standby', undefined, { quietOn401: true }).catch(() => undefined);
    standBy();
    const t = window.setInterval(() => {
      if (!used) return;
      used = false;
      standBy();
    }, RENEW_MS);
    document.addEventListener('pointerdown', onUse, true);
    document.addEventListener('keydown', onUse, true);
    return () => {
      window.clearInterval(t);
      document.removeEventListener('pointerdown', onUse, true);
      document.removeEventListener('keydown', onUse, true);
    };
  }, [mayBePaged, userId]);
}

/** Sign-in screen: stands by for pages while this browser holds a standby; nothing shows otherwise. */
export function PagerStandby() {
  const [state, dispatch] = useReducer(standbyReducer, STANDBY_START);
  const [sound, setSound] = useState<'unknown' | 'on' | 'blocked'>('unknown');
  const [stopping, setStopping] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const source = useRef<EventSource | null>(null);
  const stoppedNote = useRef<HTMLParagraphElement>(null);

  useEffect(() => {
    if (typeof EventSource === 'undefined') return;
    const es = new EventSource('/api/pager/stream');
    source.current = es;
    es.addEventListener('ready', (e: MessageEvent) => {
      const ready = parseReady(e.data);
      if (ready) dispatch({ type: 'ready', ready });
    });
    es.addEventListener('paged', (e: MessageEvent) => {
      const paged = parsePaged(e.data);
      if (paged) dispatch({ type: 'paged', paged });
    });
    // A 401 (no standby, or it ended) closes the stream for good; a dropped one reconnects by itself.
    es.onerror = () => dispatch({ type: es.readyState === EventSource.CLOSED ? 'ended' : 'reconnecting' });
    return () => {
      es.close();
      source.current = null;
    };
  }, []);

  // The tone on each ring, then every 30 s until the person signs in (this screen goes away).
  const rings = state.paged?.rings ?? 0;
  useEffect(() => {
    if (rings === 0) return;
    let alive = true;
    const chime = () =>
      void playPageTone().then((played) => {
        if (alive) setSound(played ? 'on' : 'blocked');
      });
    chime();
    const t = window.setInterval(chime, TONE_REPEAT_MS);
    return () => {
      alive = false;
      window.clearInterval(t);
    };
  }, [rings]);

  // "(!) " in the tab title while paged, so a glance at a background tab shows it.
  useEffect(() => {
    if (rings === 0) return;
    document.title = alertTitle(document.title, true);
    return () => {
      document.title = alertTitle(document.title, false);
    };
  }, [rings]);

  useEffect(() => {
    if (state.phase === 'stopped') stoppedNote.current?.focus();
  }, [state.phase]);

  // A night is long: "6:15 AM tomorrow" becomes "6:15 AM" after midnight.
  const [now, setNow] = useState(() => new Date());
  const showing = state.ready !== null || state.paged !== null;
  useEffect(() => {
    if (!showing) return;
    const t = window.setInterval(() => setNow(new Date()), 60_000);
    return () => window.clearInterval(t);
  }, [showing]);

  async function turnOnSound() {
    if (!(await unlockSound())) return;
    setSound('on');
    void playPageTone();
  }

  async function stop() {
    setStopping(true);
    setProblem(null);
    try {
      await api.post('/api/pager/standby/stop', undefined, { quietOn401: true });
    } catch (err) {
      // Already ended is what was asked for; anything else, say so and keep standing by.
      if (!(err instanceof ApiError && err.status === 401)) {
        setProblem(problemOf(err));
        setStopping(false);
        return;
      }
    }
    source.current?.close();
    dispatch({ type: 'stopped' });
    setStopping(false);
  }

  const timeZone = deviceTimeZone();
  const standingBy = (state.phase === 'standing_by' || state.phase === 'reconnecting') && state.ready;

  return (
    <>
      {state.paged && (
        <div role="alert" className="pager-paged">
          <h2>You are being paged</h2>
          <p className="pager-paged-words">A colleague needs help now. Sign in to see who and where.</p>
          <p className="pager-paged-count">{pagedText(state.paged, now, timeZone)}</p>
          {sound === 'blocked' && (
            <p className="pager-paged-sound">
              <button type="button" className="secondary" onClick={() => void turnOnSound()}>
                Turn on sound
              </button>
              <span className="muted">Your browser keeps sound off until you allow it.</span>
            </p>
          )}
        </div>
      )}
      {standingBy && (
        <section className="pager-standby" aria-label="Pager standby">
          <p className="pager-standby-words">
            <strong>
              Standing by for pages until {standbyClock(standingBy.until, now, timeZone)}.
              {state.phase === 'reconnecting' && <span className="pager-standby-reconnecting"> (reconnecting…)</span>}
            </strong>{' '}
            If a colleague pages you, this screen will sound and show it.
          </p>
          {standingBy.name && <p className="pager-standby-who muted">For {standingBy.name}, on this browser.</p>}
          <ProblemAlert problem={problem} />
          <button type="button" className="secondary" disabled={stopping} onClick={() => void stop()}>
            {stopping ? 'Stopping…' : 'Stop standing by'}
          </button>
        </section>
      )}
      {state.phase === 'stopped' && (
        <p ref={stoppedNote} tabIndex={-1} role="status" className="pager-standby-stopped muted">
          Stopped standing by: pages no longer reach this screen until you sign in again.
        </p>
      )}
    </>
  );
}
