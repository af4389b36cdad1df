import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { ReadinessChips, RiskBadge } from '../clients/badges.tsx';
import { SessionControl } from '../session/start-session.tsx';
import { AppointmentActions } from './appointment-actions.tsx';
import { formatTimeRange, modalityWords, onCareTeam, type DayAppointment } from './schedule.ts';

interface Props {
  appointment: DayAppointment;
  timeZone: string;
  /** Everyone's day: say whose session it is. */
  showClinician: boolean;
  canChange: boolean;
  onChanged: (message: string) => void;
  /** My own appointment with my client: start or open its session (starting only today). */
  session?: { canStart: boolean } | undefined;
  /** More controls for this session (the front desk's "Let the clinician know" while it runs). */
  children?: ReactNode;
}

/** One session of the day: when, who, where, and for the care team the client's risk and readiness. */
export function SessionCard({ appointment: a, timeZone, showClinician, canChange, onChanged, session, children }: Props) {
  const cancelled = a.status === 'cancelled';
  const careTeam = onCareTeam(a);
  const timeId = `session-${a.id}-time`;
  const nameId = `session-${a.id}-client`;
  return (
    <li className={cancelled ? 'card session-card session-cancelled' : 'card session-card'} aria-labelledby={`${timeId} ${nameId}`}>
      <p className="session-time">
        <span id={timeId}>{formatTimeRange(a.startsAt, a.minutes, timeZone)}</span>
        {cancelled && <span className="chip chip-cancelled">Cancelled</span>}
      </p>
      <div className="session-main">
        <h2 className="session-client" id={nameId}>
          {careTeam ? <Link to={`/clients/${encodeURIComponent(a.client.id)}`}>{a.client.name}</Link> : a.client.name}
        </h2>
        <p className="session-where">
          {modalityWords(a)}
          {showClinician && <> · With {a.clinician.name}</>}
        </p>
        {careTeam && !cancelled && (
          <div className="session-facts">
            <RiskBadge level={a.client.riskLevel} />
            {a.client.readiness && <ReadinessChips readiness={a.client.readiness} label={`Readiness of ${a.client.name}`} />}
          </div>
        )}
        {session && !cancelled && <SessionControl appointment={a} timeZone={timeZone} canStart={session.canStart} describedBy={`${timeId} ${nameId}`} />}
        {canChange && !cancelled && <AppointmentActions appointment={a} timeZone={timeZone} describedBy={`${timeId} ${nameId}`} onChanged={onChanged} />}
        {!cancelled && children}
      </div>
    </li>
  );
}
