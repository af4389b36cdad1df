// Disclosures (who was told what, on which legal basis) and follow-ups (what is due when).
import { useId, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { api, problemOf, type Problem } from '../api.ts';
import { formatPhone } from '../clients/format.ts';
import { ProblemAlert } from '../ui.tsx';
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

const FOLLOW_UP_STATUS: Record<string, string> = { done: 'Done', cancelled: 'Cancelled', unable_to_reach: 'Unable to reach' };

export function FollowUpsPanel({ followUps, timeZone, canAct, onChanged }: {
  followUps: IncidentView['followUps']; timeZone: string; canAct: boolean; onChanged: () => void;
}) {
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
              {f.status !== 'open' && <span className="chip chip-ready">{FOLLOW_UP_STATUS[f.status] ?? f.status}</span>}
              {f.pending && <span className="chip timeline-waiting">Waiting to send</span>}
            </p>
            <p className="hint">
              Due {formatDateTime(f.dueAt, timeZone)} · {f.assignedTo.name || 'You'}
            </p>
            {!f.pending && <p><Link to={`/follow-ups/${f.id}`}>Attempts and details</Link></p>}
            {canAct && (f.status === 'open' || f.status === 'unable_to_reach') && !f.pending && <MarkDone followUpId={f.id} title={f.title} onDone={onChanged} />}
          </li>
        ))}
      </ul>
    </section>
  );
}

/** Marks a follow-up done, with an optional note of what was done (it goes on the timeline). */
function MarkDone({ followUpId, title, onDone }: { followUpId: string; title: string; onDone: () => void }) {
  const [open, setOpen] = useState(false);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const noteId = useId();
  if (!open) {
    return (
      <button type="button" className="secondary" onClick={() => setOpen(true)} aria-label={`Mark done: ${title}`}>
        Mark done
      </button>
    );
  }
  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setProblem(null);
    try {
      await api.post(`/api/follow-ups/${followUpId}/complete`, note.trim() ? { note: note.trim() } : {});
      setOpen(false);
      onDone();
    } catch (err) {
      setProblem(problemOf(err));
    } finally {
      setBusy(false);
    }
  }
  return (
    <form className="step-form" onSubmit={submit} aria-label={`Mark done: ${title}`}>
      <div className="field">
        <label htmlFor={noteId}>What was done (optional)</label>
        <input id={noteId} value={note} maxLength={2000} onChange={(e) => setNote(e.target.value)} />
      </div>
      <ProblemAlert problem={problem} />
      <div className="row">
        <button type="submit" className="primary" disabled={busy}>Save as done</button>
        <button type="button" className="secondary" onClick={() => setOpen(false)}>Cancel</button>
      </div>
    </form>
  );
}
