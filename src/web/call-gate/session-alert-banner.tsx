/**
 * The discreet alert at the top of the session view (issue 7 item 3): a call, a text or the
 * front desk broke through. Who and why (in discreet mode only "Someone is trying to reach
 * you" and who), and three one-touch choices: step out (opens the matching protocol and goes
 * to it), text back "I will call you in N minutes", or decline. Decided alerts stay below
 * as a short record of the session. Never a modal: the session goes on underneath.
 */
import { useEffect, useId, useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import { api, problemOf, type Problem } from '../api.ts';
import { formatTime } from '../schedule/schedule.ts';
import { ProblemAlert } from '../ui.tsx';
import {
  alertHeadline,
  decisionPath,
  decisionWords,
  DEFAULT_TEXT_BACK_MINUTES,
  TEXT_BACK_MINUTES,
  textBackWords,
  whyWords,
  type SessionAlert,
} from './call-gate.ts';
import { useSessionAlerts } from './use-session-alerts.ts';

interface Props {
  sessionId: string;
  running: boolean;
  timeZone: string;
  discreet: boolean;
}

export function SessionAlertBanner({ sessionId, running, timeZone, discreet }: Props) {
  const { alerts, reload, replace } = useSessionAlerts(sessionId, running);
  const [said, setSaid] = useState('');
  const statusRef = useRef<HTMLParagraphElement>(null);
  const open = alerts.filter((a) => a.status === 'open');
  const decided = alerts.filter((a) => a.status !== 'open');
  const openIds = open.map((a) => a.id).join(' ');

  // A new alert replaces the last "Recorded." line: it is in the record below.
  useEffect(() => {
    if (openIds) setSaid('');
  }, [openIds]);

  function recordDecision(alert: SessionAlert) {
    replace(alert);
    setSaid(decisionWords(alert, discreet));
    // The choices are gone: keep the keyboard on what was recorded.
    window.setTimeout(() => statusRef.current?.focus(), 0);
  }

  return (
    <div className={discreet ? 'call-alerts call-alerts-discreet' : 'call-alerts'}>
      {open.length > 0 && (
        <section aria-label={discreet ? 'Someone is trying to reach you' : 'Urgent calls for you'}>
          <ul className="call-alert-list">
            {open.map((a) => (
              <CallAlert key={a.id} alert={a} timeZone={timeZone} discreet={discreet} onDecided={recordDecision} onGone={() => void reload()} />
            ))}
          </ul>
        </section>
      )}
      <p ref={statusRef} tabIndex={-1} role="status" className={said ? 'call-alert-said' : 'live-sr'}>
        {said && <>Recorded. {said}</>}
      </p>
      {decided.length > 0 && (
        <details className="call-alert-record">
          <summary>
            {discreet ? 'Earlier in this session' : 'Calls and messages in this session'} ({decided.length})
          </summary>
          <ul>
            {decided.map((a) => (
              <li key={a.id}>
                <span className="muted">{formatTime(a.decidedAt ?? a.createdAt, timeZone)}</span> {decisionWords(a, discreet)}
              </li>
            ))}
          </ul>
        </details>
      )}
    </div>
  );
}

interface AlertProps {
  alert: SessionAlert;
  timeZone: string;
  discreet: boolean;
  onDecided: (alert: SessionAlert) => void;
  /** The alert was decided elsewhere (another tab): fetch the list again. */
  onGone: () => void;
}

type Decision = { choice: 'step_out'; incidentId: string; runId: string } | { choice: 'text_back'; minutes: number } | { choice: 'decline' };

function CallAlert({ alert: a, timeZone, discreet, onDecided, onGone }: AlertProps) {
  const navigate = useNavigate();
  const headingId = useId();
  const minutesName = useId();
  const [minutes, setMinutes] = useState<number>(DEFAULT_TEXT_BACK_MINUTES);
  const [busy, setBusy] = useState<Decision['choice'] | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  // Made once per alert, so a retry after a lost answer opens the same incident, not a second one.
  const ids = useRef({ incidentId: crypto.randomUUID(), runId: crypto.randomUUID() });
  const canText = a.source !== 'front_desk' && a.from !== null;

  useEffect(() => setProblem(null), [a.id]);

  async function decide(body: Decision) {
    setBusy(body.choice);
    setProblem(null);
    try {
      const r = await api.post<{ alert: SessionAlert; incidentId?: string }>(decisionPath(a.sessionId, a.id), body);
      if (body.choice === 'step_out') {
        navigate(`/incidents/${encodeURIComponent(r.incidentId ?? body.incidentId)}`);
        return;
      }
      onDecided(r.alert);
    } catch (err) {
      const p = problemOf(err);
      if (p.code === 'ALERT_ALREADY_DECIDED') onGone();
      setProblem(
        body.choice === 'step_out' && p.status === 0
          ? { ...p, detail: discreet ? "That didn't go through. Try again." : "Stepping out didn't reach Holdspace. Try again, or use the Emergency button." }
          : p,
      );
    } finally {
      setBusy(null);
    }
  }

  return (
    <li className={a.kind === 'facility' && !discreet ? 'call-alert call-alert-facility' : 'call-alert'} aria-labelledby={headingId}>
      <div className="call-alert-text">
        {/* role="alert": announced once, when the alert arrives. */}
        <p role="alert" id={headingId} className="call-alert-headline">
          <strong>{alertHeadline(a, discreet)}</strong>
        </p>
        <dl className="call-alert-facts">
          {!discreet && (
            <div>
              <dt>Why it came through</dt>
              <dd>{whyWords(a.why)}</dd>
            </div>
          )}
          <div>
            <dt>At</dt>
            <dd>{formatTime(a.createdAt, timeZone)}</dd>
          </div>
          {!discreet && a.message && (
            <div className="call-alert-message">
              <dt>Message</dt>
              <dd>{a.message}</dd>
            </div>
          )}
        </dl>
      </div>
      <div className="call-alert-actions">
        <button
          type="button"
          className="call-alert-step-out"
          disabled={busy !== null}
          aria-describedby={headingId}
          onClick={() => void decide({ choice: 'step_out', ...ids.current })}
        >
          {busy === 'step_out' ? 'Stepping out…' : 'Step out'}
        </button>
        {canText && (
          <div className="call-alert-text-back">
            <fieldset className="call-alert-minutes">
              <legend>Call back in</legend>
              {TEXT_BACK_MINUTES.map((m) => (
                <label key={m} className="call-alert-minute">
                  <input type="radio" name={minutesName} value={m} checked={minutes === m} onChange={() => setMinutes(m)} />
                  <span>{m} min</span>
                </label>
              ))}
            </fieldset>
            <button
              type="button"
              className="secondary"
              disabled={busy !== null}
              aria-describedby={headingId}
              title={`Sends “${textBackWords(minutes)}”`}
              onClick={() => void decide({ choice: 'text_back', minutes })}
            >
              {busy === 'text_back' ? 'Sending…' : 'Text back'}
            </button>
          </div>
        )}
        <button type="button" className="secondary" disabled={busy !== null} aria-describedby={headingId} onClick={() => void decide({ choice: 'decline' })}>
          Decline
        </button>
      </div>
      {canText && <p className="hint call-alert-preview">Text back sends: “{textBackWords(minutes)}”</p>}
      <ProblemAlert problem={problem} />
    </li>
  );
}
