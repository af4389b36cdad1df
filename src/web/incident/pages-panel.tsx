// Who was paged, level by level, and who acknowledged; "Ask for help" pages again
// (POST /api/incidents/:id/pages), queued like every other write so it is not lost offline.
import { useId, useState, type FormEvent } from 'react';
import { Field, Notice } from '../ui.tsx';
import { askForHelp } from './actions.ts';
import type { PageStatus, PageView } from './incident-types.ts';
import { clockTime } from './words.ts';

const STATUS: Record<PageStatus, string> = {
  open: 'Waiting for someone to acknowledge',
  acknowledged: 'Acknowledged',
  exhausted: 'Nobody acknowledged after every round: call someone directly',
  cancelled: 'Cancelled',
};

interface Props {
  incidentId: string;
  pages: PageView[];
  canAsk: boolean;
  discreet: boolean;
  timeZone: string;
}

export function PagesPanel({ incidentId, pages, canAsk, discreet, timeZone }: Props) {
  const headingId = useId();
  return (
    <section className="panel incident-side-panel" aria-labelledby={headingId}>
      <h2 id={headingId}>{discreet ? 'Colleagues' : 'Help paged'}</h2>
      {pages.length === 0 ? (
        <p className="muted">Nobody has been paged for this incident.</p>
      ) : (
        <ul className="paged-list">
          {pages.map((p) => (
            <PageItem key={p.id} page={p} discreet={discreet} timeZone={timeZone} />
          ))}
        </ul>
      )}
      {canAsk && <AskForHelp incidentId={incidentId} discreet={discreet} />}
    </section>
  );
}

function PageItem({ page, discreet, timeZone }: { page: PageView; discreet: boolean; timeZone: string }) {
  const levels = [...new Set(page.recipients.map((r) => `${r.round}:${r.level}`))];
  return (
    <li className={`paged-item paged-${page.status}`}>
      <p className="paged-status">
        <span className="strong">{STATUS[page.status]}</span>
        {page.acknowledgedBy && page.acknowledgedAt && (
          <>
            {' '}
            by {page.acknowledgedBy.name} at {clockTime(page.acknowledgedAt, timeZone)}
          </>
        )}
      </p>
      <p className="muted">
        {discreet ? 'Asked' : `${page.reason} · asked`} by {page.requestedBy.name} at {clockTime(page.createdAt, timeZone)}
      </p>
      {levels.length > 0 && (
        <ol className="paged-levels" aria-label="Who was notified">
          {levels.map((key) => {
            const [round, level] = key.split(':').map(Number) as [number, number];
            const people = page.recipients.filter((r) => r.round === round && r.level === level);
            return (
              <li key={key}>
                <span className="paged-level">
                  {/* The API counts levels from 0 (the policy's first level) and rounds from 1. */}
                  Level {level + 1}
                  {round > 1 ? `, round ${round}` : ''}:
                </span>{' '}
                {people.map((r, i) => (
                  <span key={r.user.id}>
                    {i > 0 ? ', ' : ''}
                    {r.user.name} <span className="muted">({clockTime(r.notifiedAt, timeZone)})</span>
                  </span>
                ))}
              </li>
            );
          })}
        </ol>
      )}
    </li>
  );
}

function AskForHelp({ incidentId, discreet }: { incidentId: string; discreet: boolean }) {
  const [reason, setReason] = useState('');
  const [sent, setSent] = useState(false);
  const [missing, setMissing] = useState(false);

  function submit(e: FormEvent) {
    e.preventDefault();
    if (!reason.trim()) {
      setMissing(true);
      return;
    }
    askForHelp(incidentId, reason);
    setReason('');
    setSent(true);
  }

  return (
    <form className="ask-help" onSubmit={submit} noValidate>
      <Field
        label={discreet ? 'Ask a colleague to join' : 'Ask for help'}
        hint={discreet ? undefined : 'Pages your supervisor, then the next people in the escalation, until someone acknowledges.'}
        value={reason}
        onChange={(e) => {
          setReason(e.target.value);
          setMissing(false);
          setSent(false);
        }}
        placeholder={discreet ? 'What for' : 'What you need, e.g. "Please come to room 2"'}
        required
        aria-invalid={missing || undefined}
        autoComplete="off"
      />
      {missing && (
        <p className="step-error" role="alert">
          Say briefly what you need.
        </p>
      )}
      <button type="submit" className="primary">
        {discreet ? 'Ask' : 'Page for help'}
      </button>
      {sent && <Notice>Asked. It shows here when it is sent; the first person is notified at once.</Notice>}
    </form>
  );
}
