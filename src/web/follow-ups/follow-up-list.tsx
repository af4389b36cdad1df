// A list of follow-ups, most urgent first (the server's order): what, for whom, when, how many attempts.
import { Link } from 'react-router';
import { formatDateTime } from '../time.ts';
import { channelLabel, statusLabel, type FollowUpItem } from './follow-ups.ts';

export function FollowUpList({ followUps, timeZone, showClinician = false, label }: {
  followUps: FollowUpItem[]; timeZone: string; showClinician?: boolean; label: string;
}) {
  return (
    <ul className="record-list follow-up-list" aria-label={label}>
      {followUps.map((f) => {
        const status = statusLabel(f);
        return (
          <li key={f.id} className={`record-item follow-up-${f.status}${f.overdue ? ' follow-up-overdue' : ''}`}>
            <p>
              <Link to={`/follow-ups/${f.id}`} className="strong">{f.title}</Link>
              {status && <span className="chip">{status}</span>}
            </p>
            <p className="hint">
              {f.client.name} · Due {formatDateTime(f.dueAt, timeZone)} · {channelLabel(f.channel)} · Attempts {f.attempts.failed} of {f.attempts.max}
              {showClinician && <> · {f.assignedTo.name}</>}
            </p>
          </li>
        );
      })}
    </ul>
  );
}
