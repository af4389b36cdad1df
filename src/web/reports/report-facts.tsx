// What the incident recorded, shown read-only in the report: the clinician writes the
// narrative beside it and signs both (the facts are frozen with the signature).
import { useId } from 'react';
import { formatDateTime } from '../time.ts';
import { RISK_WORDS, type Report } from './report-types.ts';

const RECIPIENT: Record<string, string> = {
  victim: 'Potential victim', law_enforcement: 'Law enforcement', emergency_contact: 'Emergency contact', emergency_services: 'Emergency services', other: 'Other',
};
const FOLLOW_UP_STATUS: Record<string, string> = { open: 'Open', done: 'Done', cancelled: 'Cancelled', unable_to_reach: 'Unable to reach' };
const CSSRS_ITEMS: [string, string][] = [
  ['q1', 'Wished to be dead'], ['q2', 'Thoughts of killing themselves'], ['q3', 'Thought about how'], ['q4', 'Intention of acting'],
  ['q5', 'Worked out details, intends to carry out'], ['q6', 'Ever did, started or prepared something'], ['q6b', 'Within the past 3 months'],
];

export function ReportFacts({ report, timeZone }: { report: Report; timeZone: string }) {
  const headingId = useId();
  const { facts, cssrs } = report;
  const at = (iso: string) => formatDateTime(iso, timeZone);
  // The day is given once (Opened); what happened that same day shows its time only.
  const day = (iso: string) => new Intl.DateTimeFormat('en-CA', { timeZone, dateStyle: 'short' }).format(new Date(iso));
  const time = (iso: string) => new Intl.DateTimeFormat(undefined, { timeZone, timeStyle: 'short' }).format(new Date(iso));
  const when = (iso: string) => (day(iso) === day(facts.openedAt) ? time(iso) : at(iso));
  const session = facts.session;
  return (
    <section className="panel report-facts" aria-labelledby={headingId}>
      <h2 id={headingId}>From the record</h2>
      <p className="hint">{report.signature ? 'As recorded when the report was signed.' : 'Filled in from the incident; it is frozen with your signature.'}</p>
      <dl className="facts">
        <dt>Type</dt>
        <dd>{facts.protocols.map((p) => p.title).join(', then ') || report.protocolTitle}</dd>
        <dt>Opened</dt>
        <dd>{at(facts.openedAt)} by {facts.openedBy}</dd>
        {session && (
          <>
            <dt>Session</dt>
            <dd>
              {session.modality === 'telehealth' ? 'Video' : 'In person'}, started {when(session.startedAt)}
              {session.endedAt && (session.endedEarly ? `; ended early ${when(session.endedAt)}` : `; ended ${when(session.endedAt)}`)}
              {session.rescheduledTo && `; rescheduled to ${at(session.rescheduledTo)}`}
            </dd>
          </>
        )}
      </dl>

      {cssrs && (
        <>
          <h3>C-SSRS screener</h3>
          <p>
            Triage: <span className={`risk-badge risk-${cssrs.risk}`}>{RISK_WORDS[cssrs.risk]}</span>
          </p>
          <ul className="report-cssrs">
            {CSSRS_ITEMS.filter(([key]) => cssrs.answers[key] !== undefined).map(([key, label]) => (
              <li key={key}>{key.slice(1)}. {label}: <span className="strong">{cssrs.answers[key] ? 'Yes' : 'No'}</span></li>
            ))}
          </ul>
        </>
      )}

      <h3>Who was contacted</h3>
      {facts.contacted.pages.length === 0 && facts.contacted.emergencyContacts.length === 0 ? (
        <p className="muted">Nobody was paged or called.</p>
      ) : (
        <ul className="record-list">
          {facts.contacted.pages.map((p, i) => (
            <li key={`page-${i}`} className="record-item">
              <p><span className="strong">Paged:</span> {p.notified.join(', ') || 'nobody reached yet'} <span className="muted">· {when(p.at)}</span></p>
              <p className="hint">{p.acknowledgedBy && p.acknowledgedAt ? `Acknowledged by ${p.acknowledgedBy} at ${when(p.acknowledgedAt)}` : 'Not acknowledged'}</p>
            </li>
          ))}
          {facts.contacted.emergencyContacts.map((c, i) => (
            <li key={`contact-${i}`} className="record-item">
              <p><span className="strong">Emergency contact:</span> {c.name} <span className="muted">· {when(c.at)}</span></p>
              <p className="record-said">“{c.whatWasSaid}”</p>
            </li>
          ))}
        </ul>
      )}

      {report.kind === 'client' && (
        <>
          <h3>Disclosures</h3>
          {facts.disclosures.length === 0 ? <p className="muted">None.</p> : (
            <ul className="record-list">
              {facts.disclosures.map((d, i) => (
                <li key={i} className="record-item">
                  <p><span className="strong">{d.recipientName}</span> <span className="muted">· {RECIPIENT[d.recipientKind] ?? d.recipientKind} · {when(d.at)}</span></p>
                  <p className="record-said">“{d.whatWasSaid}”</p>
                  <p className="hint">Legal basis: {d.legalBasis}</p>
                </li>
              ))}
            </ul>
          )}
        </>
      )}

      <h3>Follow-ups</h3>
      {facts.followUps.length === 0 ? <p className="muted">None.</p> : (
        <ul className="record-list">
          {facts.followUps.map((f, i) => (
            <li key={i} className="record-item">
              <p><span className="strong">{f.title}</span> <span className="chip">{FOLLOW_UP_STATUS[f.status] ?? f.status}</span></p>
              <p className="hint">Due {at(f.dueAt)} · {f.assignedTo}</p>
            </li>
          ))}
        </ul>
      )}

      <details className="report-actions" open>
        <summary>Actions taken ({facts.actions.length})</summary>
        <ol className="report-action-list">
          {facts.actions.map((a, i) => (
            <li key={i}><span className="muted">{when(a.at)}</span> {a.what}{a.by ? <span className="muted"> · {a.by}</span> : null}</li>
          ))}
        </ol>
      </details>
    </section>
  );
}
