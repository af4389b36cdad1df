/**
 * Live pages for the signed-in person, at the top of every signed-in page: who needs
 * help, with what, where, since when; Acknowledge and Open incident. Never a modal:
 * work goes on underneath. A chime repeats every 20 s and the tab title blinks "(!)"
 * until the page is acknowledged (DESIGN.md "Paging"; SCENARIOS.md S2).
 */
import { useCallback, useEffect, useReducer, useRef, useState } from 'react';
import { Link } from 'react-router';
import { ApiError, api, problemOf, type Problem } from '../api.ts';
import { useMe } from '../session.tsx';
import { formatDateTime } from '../time.ts';
import { ProblemAlert } from '../ui.tsx';
import { useDiscreetMode } from '../session/discreet.ts';
import { subscribeLive, useLiveStatus } from './live-events.ts';
import {
  agoText,
  alertTitle,
  alertWords,
  alertsReducer,
  endedWords,
  isPageForMe,
  isPageUpdate,
  NO_ALERTS,
  toneDue,
  waitingAlerts,
  type PageAlert,
  type PageForMe,
} from './page-alerts.ts';
import { playPageTone, unlockSound } from './page-tone.ts';

/** While live updates are down, ask for the list this often instead. */
const POLL_MS = 30_000;
/** Don't mention a dropped connection that comes back within this long. */
const OFFLINE_GRACE_MS = 8_000;


function prefersReducedMotion(): boolean {
  return typeof window.matchMedia === 'function' && window.matchMedia('(prefers-reduced-motion: reduce)').matches;
}

export function LiveAlerts() {
  const me = useMe();
  const meId = me.user.id;
  const meName = me.user.name;
  const [state, dispatch] = useReducer(alertsReducer, NO_ALERTS);
  const [now, setNow] = useState(() => Date.now());
  const [sound, setSound] = useState<'unknown' | 'on' | 'blocked'>('unknown');
  const [problems, setProblems] = useState<Record<string, Problem>>({});
  const [busy, setBusy] = useState<string | null>(null);
  const liveStatus = useLiveStatus();
  const region = useRef<HTMLDivElement>(null);
  const lastTone = useRef<number | null>(null);
  const focusAfterAck = useRef<string | null>(null);
  const alive = useRef(true);

  const load = useCallback(async () => {
    const requestedAt = Date.now();
    try {
      const r = await api.get<{ pages: unknown[] }>('/api/pages');
      if (!alive.current) return;
      dispatch({ type: 'list', pages: r.pages.filter(isPageForMe), requestedAt, now: Date.now() });
    } catch {
      // Quietly: the next resync, reconnect or poll asks again.
    }
  }, []);

  // The list after a reload, then the live events; refetch whenever the stream says we may have missed some.
  useEffect(() => {
    alive.current = true;
    void load();
    const stops = [
      subscribeLive('page', (data) => {
        if (isPageForMe(data)) dispatch({ type: 'page', page: data, now: Date.now() });
      }),
      subscribeLive('page.updated', (data) => {
        if (isPageUpdate(data)) dispatch({ type: 'updated', update: data, meId, now: Date.now() });
      }),
      subscribeLive('resync', () => void load()),
    ];
    return () => {
      alive.current = false;
      for (const stop of stops) stop();
    };
  }, [load, meId]);

  // Each time the stream opens, ask again: a page sent before it was open would otherwise be missed.
  // Without the stream, poll, so a page still arrives within half a minute.
  useEffect(() => {
    if (liveStatus === 'live') {
      void load();
      return;
    }
    const t = window.setInterval(() => void load(), POLL_MS);
    return () => window.clearInterval(t);
  }, [liveStatus, load]);

  const [offlineLong, setOfflineLong] = useState(false);
  useEffect(() => {
    if (liveStatus !== 'offline') {
      setOfflineLong(false);
      return;
    }
    const t = window.setTimeout(() => setOfflineLong(true), OFFLINE_GRACE_MS);
    return () => window.clearTimeout(t);
  }, [liveStatus]);

  // One clock, only while something is on screen: ages, the blinking title, the tone, fading notices.
  const showing = state.alerts.length > 0;
  useEffect(() => {
    if (!showing) return;
    setNow(Date.now());
    const t = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(t);
  }, [showing]);
  useEffect(() => dispatch({ type: 'tick', now }), [now]);

  const waiting = waitingAlerts(state);
  const waitingCount = waiting.length;

  // "(!) " blinks in the tab title while a page waits (steady if the person prefers less motion).
  useEffect(() => {
    const on = waitingCount > 0 && (prefersReducedMotion() || Math.floor(now / 1000) % 2 === 0);
    const next = alertTitle(document.title, on);
    if (next !== document.title) document.title = next;
  }, [now, waitingCount]);
  useEffect(() => {
    return () => {
      document.title = alertTitle(document.title, false);
    };
  }, []);

  // The chime: on each new page (or escalation), then every 20 s until acknowledged or silenced.
  useEffect(() => {
    const t = Date.now();
    if (!toneDue(state, lastTone.current, t)) return;
    lastTone.current = t;
    void playPageTone().then((played) => {
      if (alive.current) setSound(played ? 'on' : 'blocked');
    });
  }, [state, now]);

  // Sound stays off until a click or key press; the first one turns it on.
  useEffect(() => {
    if (sound !== 'blocked') return;
    const onGesture = (e: Event) => {
      const inAlert = e.target instanceof Node && region.current?.contains(e.target);
      void unlockSound().then((ok) => {
        if (!ok || !alive.current) return;
        setSound('on');
        // A click elsewhere: the person may not have seen the alert yet, so chime now.
        if (!inAlert) {
          lastTone.current = null;
          setNow(Date.now());
        }
      });
    };
    document.addEventListener('pointerdown', onGesture, true);
    document.addEventListener('keydown', onGesture, true);
    return () => {
      document.removeEventListener('pointerdown', onGesture, true);
      document.removeEventListener('keydown', onGesture, true);
    };
  }, [sound]);

  async function acknowledge(page: PageForMe) {
    setBusy(page.id);
    setProblems(({ [page.id]: _gone, ...rest }) => rest);
    try {
      const r = await api.post<{ page: unknown }>(`/api/pages/${encodeURIComponent(page.id)}/acknowledge`);
      const answered = isPageForMe(r.page) ? r.page : { ...page, status: 'acknowledged' as const };
      focusAfterAck.current = page.id;
      dispatch({ type: 'acknowledged', page: answered, meId, meName, now: Date.now() });
    } catch (err) {
      setProblems((p) => ({ ...p, [page.id]: problemOf(err) }));
      // The page may be gone (cancelled, or no longer mine): the list says.
      if (err instanceof ApiError && err.status === 404) void load();
    } finally {
      setBusy(null);
    }
  }

  const [discreet] = useDiscreetMode();
  const allSilenced = waitingCount > 0 && waiting.every((a) => a.silenced);

  return (
    <div className="page-alerts-wrap" ref={region}>
      {showing && (
        <section className={discreet ? 'page-alerts page-alerts-discreet' : 'page-alerts'} aria-label={waitingCount === 1 ? 'A page for you' : 'Pages for you'}>
          <ul className="page-alert-list">
            {state.alerts.map((a) => (
              <PageAlertItem
                key={a.page.id}
                alert={a}
                discreet={discreet}
                now={now}
                timeZone={me.practice.timeZone}
                busy={busy === a.page.id}
                problem={problems[a.page.id] ?? null}
                focusOnEnd={focusAfterAck.current === a.page.id}
                onFocused={() => (focusAfterAck.current = null)}
                onAcknowledge={() => void acknowledge(a.page)}
                onDismiss={() => dispatch({ type: 'dismiss', pageId: a.page.id })}
              />
            ))}
          </ul>
          {waitingCount > 0 && (
            <div className="page-alert-sound">
              {sound === 'blocked' && !allSilenced && <p className="page-alert-sound-off">Sound is off until you click anywhere.</p>}
              <button type="button" className="secondary" onClick={() => dispatch({ type: allSilenced ? 'unsilence' : 'silence' })}>
                {allSilenced ? 'Turn sound back on' : 'Silence'}
              </button>
              {allSilenced && <p className="muted">Silenced. A new page, or this one moving on to the next level, sounds again.</p>}
            </div>
          )}
        </section>
      )}
      {offlineLong && (
        <p className="live-offline" role="status">
          Reconnecting for live pages… Meanwhile Holdspace checks for pages every 30 seconds.
        </p>
      )}
    </div>
  );
}

interface ItemProps {
  alert: PageAlert;
  discreet: boolean;
  now: number;
  timeZone: string;
  busy: boolean;
  problem: Problem | null;
  focusOnEnd: boolean;
  onFocused: () => void;
  onAcknowledge: () => void;
  onDismiss: () => void;
}

/**
 * One page: while it waits, who needs help and the two actions; once answered or
 * cancelled, a short notice in the same place. The notice's status region is there from
 * the start, so screen readers hear it change.
 */
function PageAlertItem({ alert, discreet, now, timeZone, busy, problem, focusOnEnd, onFocused, onAcknowledge, onDismiss }: ItemProps) {
  const { page, ended } = alert;
  const headingId = `page-alert-${page.id}`;
  const link = useRef<HTMLAnchorElement>(null);
  const mine = ended?.byMe ?? false;
  useEffect(() => {
    // After my own acknowledgement the button is gone: keep the keyboard here, on the way to the incident.
    if (!ended || !focusOnEnd) return;
    link.current?.focus();
    onFocused();
  }, [ended, focusOnEnd, onFocused]);

  const incidentPath = `/incidents/${encodeURIComponent(page.incidentId)}`;
  const words = alertWords(page, discreet);
  const className = ended ? 'page-alert page-alert-ended' : page.status === 'exhausted' ? 'page-alert page-alert-unanswered' : 'page-alert';
  return (
    <li className={className} aria-labelledby={ended ? undefined : headingId}>
      {!ended && (
        <>
          {/* role="alert": announced when the page arrives, and again when it escalates (a new key); the ticking age lives outside it. */}
          <p role="alert" key={alert.notifiedAt} id={headingId} className="page-alert-headline">
            <span className="page-alert-kicker">Page</span> <strong>{words.headline}</strong>
            <span className="live-sr">: </span>
            <span className="page-alert-protocol">{words.protocol}</span>
          </p>
          <dl className="page-alert-facts">
            <div>
              <dt>Where</dt>
              <dd>{words.where}</dd>
            </div>
            <div>
              <dt>Paged</dt>
              <dd>
                <time dateTime={page.createdAt} title={formatDateTime(page.createdAt, timeZone)}>
                  {agoText(page.createdAt, now)}
                </time>
              </dd>
            </div>
            <div>
              <dt>Escalation</dt>
              <dd>{words.step}</dd>
            </div>
            {words.reason && (
              <div className="page-alert-reason">
                <dt>Reason</dt>
                <dd>{words.reason}</dd>
              </div>
            )}
          </dl>
        </>
      )}
      <p role="status" className={ended ? 'page-alert-ended-text' : 'live-sr'}>
        {ended ? endedWords(alert) : ''}
      </p>
      <div className="page-alert-actions">
        {!ended && (
          <button type="button" className="page-alert-ack" disabled={busy} aria-describedby={headingId} onClick={onAcknowledge}>
            {busy ? 'Acknowledging…' : 'Acknowledge'}
          </button>
        )}
        {(!ended || mine) && (
          <Link ref={link} className="button-link" to={incidentPath} aria-describedby={ended ? undefined : headingId} onClick={ended ? onDismiss : undefined}>
            Open incident
          </Link>
        )}
        {ended && (
          <button type="button" className="secondary" onClick={onDismiss}>
            Dismiss
          </button>
        )}
      </div>
      {!ended && <ProblemAlert problem={problem} />}
    </li>
  );
}
