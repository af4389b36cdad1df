// Disclosures (who was told what, on which legal basis) and follow-ups (what is due when).
import { useId } from 'react';
import { formatPhone } from '../clients/format.ts';
import { formatDateTime } from '../time.ts';
import type { IncidentView } from './incident-view.ts';
import { clockTime } from './words.ts';

const RECIPIENT: Record<string, string> = { victim: 'Potential victim', law_enforcement: 'Law enforcement', emergency_contact: 'Emergency contact', emergency_services: 'Emergency services' };

export function DisclosuresPanel({ disclosures, timeZone }: { disclosures: IncidentView['disclosures']; timeZone: string }) {
  const headingId = useId();
  if (disclosures.length === 0) return null;
  return (
    <section className="panel incident-side-panel" aria-labelledby={headingId}>
      <h2 id={headingId}>Disclosures</h2>
      <ul className="record-list">
        {disclosures.map((d) => (
          <li key={d.id} className="record-item">
            <p>
              <span className="strong">{d.recipientName}</span>
              {RECIPIENT[d.recipientKind] ? <span className="muted"> · {RECIPIENT[d.recipientKind]}</span> : null}
              {d.recipientContact ? <span className="muted"> · {/^\+\d{8,15}$/.test(d.recipientContact) ? formatPhone(d.recipientContact) : d.recipientContact}</span> : null}
              {d.pending && <span className="chip timeline-waiting">Waiting to send</span>}
            </p>
            <p className="record-said">“{d.whatWasSaid}”</p>
            <p className="hint">
              {clockTime(d.disclosedAt, timeZone)}
              {d.legalBasis ? <> · Legal basis: {d.legalBasis}</> : null}
            </p>
          </li>
        ))}
      </ul>
    </section>
  );
}

export function FollowUpsPanel({ followUps, timeZone }: { followUps: IncidentView['followUps']; timeZone: string }) {
  const headingId = useId();
  if (followUps.length === 0) return null;
  return (
    <section className="panel incident-side-panel" aria-labelledby={headingId}>
      <h2 id={headingId}>Follow-ups</h2>
      <ul className="record-list">
        {followUps.map((f) => (
          <li key={f.id} className={`record-item follow-up-${f.status}`}>
            <p>
              <span className="strong">{f.title}</span>
              {f.status !== 'open' && <span className="chip chip-ready">{f.status === 'done' ? 'Done' : 'Cancelled'}</span>}
              {f.pending && <span className="chip timeline-waiting">Waiting to send</span>}
            </p>
            <p className="hint">
              Due {formatDateTime(f.dueAt, timeZone)} · {f.assignedTo.name || 'You'}
            </p>
          </li>
        ))}
      </ul>
    </section>
  );
}
