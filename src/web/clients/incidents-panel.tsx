// The client's incidents on their record, newest first, each opening the incident view
// (its checklist and timeline). Read-only readers (break-glass) open them read-only.
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { api, isAbort, problemOf, type Problem } from '../api.ts';
import { formatDateTime } from '../time.ts';
import { Loading, ProblemAlert } from '../ui.tsx';
import { clientPath } from './client.ts';

interface ClientIncident { id: string; status: 'open' | 'closed'; protocolKey: string; protocolTitle: string; openedAt: string; closedAt: string | null }

export function ClientIncidentsPanel({ clientId, timeZone }: { clientId: string; timeZone: string }) {
  const [incidents, setIncidents] = useState<ClientIncident[] | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  useEffect(() => {
    const ctrl = new AbortController();
    api.get<{ incidents: ClientIncident[] }>(`${clientPath(clientId)}/incidents`, { signal: ctrl.signal })
      .then((r) => setIncidents(r.incidents))
      .catch((err: unknown) => {
        if (!isAbort(err)) setProblem(problemOf(err));
      });
    return () => ctrl.abort();
  }, [clientId]);
  return (
    <section aria-labelledby="incidents-heading" className="panel" id="incidents">
      <h2 id="incidents-heading">Incidents</h2>
      <ProblemAlert problem={problem} />
      {!incidents && !problem && <Loading what="Loading incidents…" />}
      {incidents?.length === 0 && <p className="muted">No incidents.</p>}
      {incidents && incidents.length > 0 && (
        <ul className="client-incidents">
          {incidents.map((i) => (
            <li key={i.id}>
              <Link to={`/incidents/${encodeURIComponent(i.id)}`}>{i.protocolTitle}</Link>
              <span className="muted">
                {' '}· opened {formatDateTime(i.openedAt, timeZone)}
                {i.closedAt ? ` · closed ${formatDateTime(i.closedAt, timeZone)}` : ' · open'}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
