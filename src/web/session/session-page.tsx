/**
 * The session view (DESIGN.md, "Screens: Session"; issue 4 items 1–2): who and how, the
 * time since the start, for a video session where the client is and how to call them
 * back, the crisis numbers, stepping out, ending; and the emergency control, always on
 * screen in the same place. Discreet mode keeps every word on it neutral.
 */
import { useEffect, useId, useRef, useState } from 'react';
import { Link, useLocation, useParams } from 'react-router';
import { SessionAgenda } from '../aftercare/session-agenda.tsx';
import { SessionAlertBanner } from '../call-gate/session-alert-banner.tsx';
import { RiskBadge } from '../clients/badges.tsx';
import { formatPhone, telHref } from '../clients/format.ts';
import { formatTime, modalityWords } from '../schedule/schedule.ts';
import { useMe } from '../session.tsx';
import { formatDateTime } from '../time.ts';
import { Loading, ProblemAlert, usePageTitle } from '../ui.tsx';
import { AvailabilityPanel } from './availability.tsx';
import { CrisisResourcesPanel } from './crisis-resources.tsx';
import { useDiscreetMode } from './discreet.ts';
import { DiscreetToggle } from './discreet-toggle.tsx';
import { EmergencyControl } from './emergency-control.tsx';
import { EndSessionPanel } from './end-session.tsx';
import { protocolTitle, useProtocolChoices } from './protocol-titles.ts';
import { durationWords, latestOpenIncident, type SessionView } from './session.ts';
import type { SessionNavigationState } from './start-session.tsx';
import { StepOutPanel } from './step-out.tsx';
import { useNow, useSessionView, type SessionPart } from './use-session-view.ts';

export function SessionPage() {
  const { sessionId = '' } = useParams();
  const location = useLocation();
  const initial = (location.state as SessionNavigationState | null)?.session ?? null;
  const { session, problem, replace, reload } = useSessionView(sessionId, initial);
  const [discreet] = useDiscreetMode();
  const timeZone = useMe().practice.timeZone;
  usePageTitle(session && !discreet ? `Session with ${session.client.name}` : 'Session');

  if (!session) {
    if (!problem) return <Loading what="Opening the session…" />;
    return (
      <>
        <h1>Session</h1>
        <ProblemAlert problem={problem.status === 404 ? { ...problem, detail: "This session doesn't exist, or it isn't one of your clients' sessions." } : problem} />
        <p>
          <Link to="/today">Back to Today</Link>
        </p>
      </>
    );
  }
  return <SessionScreen part={{ session, timeZone, onSession: replace, reload }} discreet={discreet} />;
}

function SessionScreen({ part, discreet }: { part: SessionPart; discreet: boolean }) {
  const { session, timeZone } = part;
  const ended = session.endedAt !== null;
  const now = useNow(!ended);
  const [endedMessage, setEndedMessage] = useState('');
  const endedRef = useRef<HTMLDivElement>(null);
  const incidentOpen = latestOpenIncident(session);

  useEffect(() => {
    if (endedMessage) endedRef.current?.focus();
  }, [endedMessage]);

  return (
    <div className={discreet ? 'session-view session-discreet' : 'session-view'}>
      <div className="session-bar" role="region" aria-label={discreet ? 'Session controls' : 'Emergency control'}>
        <DiscreetToggle />
        <EmergencyControl clientId={session.client.id} sessionId={session.id} openIncidentId={incidentOpen?.id ?? null} />
      </div>
      {/* Urgent calls that broke through (issue 7): at the top, above the session's own details. */}
      <SessionAlertBanner sessionId={session.id} running={!ended} timeZone={timeZone} discreet={discreet} />
      <SessionHeader session={session} timeZone={timeZone} now={now} discreet={discreet} />
      {ended && (
        <div ref={endedRef} tabIndex={-1} className="notice session-ended" role="status">
          <p>{endedMessage || `This session ended at ${formatTime(session.endedAt ?? '', timeZone)}.`}</p>
          {session.endedEarly && session.endReason && <p>Ended early: {session.endReason}</p>}
          <p>
            <Link to="/today">Back to Today</Link>
          </p>
        </div>
      )}
      <div className="session-grid">
        {session.modality === 'telehealth' && <ClientWhereabouts session={session} timeZone={timeZone} />}
        <CrisisResourcesPanel crisis={session.crisisResources} discreet={discreet} />
      </div>
      <div className="session-grid">
        <StepOutPanel {...part} now={now} />
        <AvailabilityPanel {...part} discreet={discreet} />
      </div>
      {!discreet && <SessionAgenda items={session.agenda} onChanged={part.reload} />}
      <SessionIncidents session={session} timeZone={timeZone} discreet={discreet} />
      {!ended && <EndSessionPanel {...part} onEnded={setEndedMessage} />}
    </div>
  );
}

function SessionHeader({ session, timeZone, now, discreet }: { session: SessionView; timeZone: string; now: number; discreet: boolean }) {
  const started = formatTime(session.startedAt, timeZone);
  const endedAt = session.endedAt;
  return (
    <header className="session-head">
      <h1>{session.client.name}</h1>
      <p className="session-sub">
        <span>{modalityWords(session)}</span>
        {endedAt ? (
          <span>
            {started} – {formatTime(endedAt, timeZone)} ({durationWords(new Date(endedAt).getTime() - new Date(session.startedAt).getTime())})
          </span>
        ) : (
          <span className="session-clock">
            Started at {started} · <strong>{durationWords(now - new Date(session.startedAt).getTime())}</strong> ago
          </span>
        )}
      </p>
      {!discreet && (
        <div className="session-facts">
          <RiskBadge level={session.client.riskLevel} />
        </div>
      )}
    </header>
  );
}

/** Telehealth: where help would be sent, and the number to call when the video drops. */
function ClientWhereabouts({ session, timeZone }: { session: SessionView; timeZone: string }) {
  const headingId = useId();
  const phone = session.callbackPhone;
  return (
    <section className="panel session-panel session-where-now" aria-labelledby={headingId}>
      <h2 id={headingId}>Where the client is</h2>
      <dl className="facts compact">
        <dt>Location</dt>
        <dd className="address">{session.clientLocation ?? 'Not confirmed'}</dd>
        <dt>Callback number</dt>
        <dd>
          {phone ? (
            <a href={telHref(phone)} className="phone-link callback-phone" aria-label={`Call back ${session.client.name}, ${formatPhone(phone)}`}>
              {formatPhone(phone)}
            </a>
          ) : (
            'Not confirmed'
          )}
        </dd>
        {session.locationConfirmedAt && (
          <>
            <dt>Confirmed</dt>
            <dd>{formatDateTime(session.locationConfirmedAt, timeZone)}</dd>
          </>
        )}
      </dl>
    </section>
  );
}

function SessionIncidents({ session, timeZone, discreet }: { session: SessionView; timeZone: string; discreet: boolean }) {
  const choices = useProtocolChoices();
  const headingId = useId();
  if (session.incidents.length === 0) return null;
  return (
    <section className="panel session-panel session-incidents" aria-labelledby={headingId}>
      <h2 id={headingId}>{discreet ? 'Records from this session' : 'Incidents in this session'}</h2>
      <ul className="session-incident-list">
        {session.incidents.map((i) => (
          <li key={i.id}>
            <Link to={`/incidents/${encodeURIComponent(i.id)}`}>{protocolTitle(choices, i.protocolKey, discreet)}</Link>
            <span className="muted">
              {' '}
              · {i.status === 'open' ? 'Open' : 'Closed'} · {formatTime(i.openedAt, timeZone)}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
