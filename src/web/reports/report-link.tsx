// On the incident page: the way to the incident report (draft, sign, addenda, review).
import { useId } from 'react';
import { Link } from 'react-router';

export function ReportLink({ incidentId }: { incidentId: string }) {
  const headingId = useId();
  return (
    <section className="panel report-link" aria-labelledby={headingId}>
      <h2 id={headingId}>Incident report</h2>
      <p className="hint">The record of this emergency: written from the timeline, signed by you, co-signed by your supervisor.</p>
      <Link className="button-link" to={`/incidents/${incidentId}/report`}>Open the incident report</Link>
    </section>
  );
}
