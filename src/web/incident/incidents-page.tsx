/**
 * Incidents: the list a supervisor watches (open ones, live), and the closed ones.
 * Incidents opened on this device that the server has not received yet are listed too.
 */
import { useCallback, useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api, isAbort, problemOf, type Problem } from '../api.ts';
import { subscribeLive } from '../live/live-events.ts';
import { cachedProtocol } from '../offline/protocols.ts';
import { useDiscreetMode } from '../session/discreet.ts';
import { useMe } from '../session.tsx';
import { formatDateTime } from '../time.ts';
import { Loading, ProblemAlert, usePageTitle } from '../ui.tsx';
import type { IncidentSummary } from './incident-types.ts';
import { useUnconfirmedIncidents } from './local-incidents.ts';
import { protocolName } from './words.ts';

type Status = 'open' | 'closed';

function useIncidentList(status: Status) {
  const [list, setList] = useState<{ status: Status; incidents: IncidentSummary[] } | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [version, setVersion] = useState(0);
  const refetch = useCallback(() => setVersion((v) => v + 1), []);

  useEffect(() => {
    const ctrl = new AbortController();
    api
      .get<{ incidents: IncidentSummary[] }>(`/api/incidents?status=${status}`, { signal: ctrl.signal })
      .then((r) => {
        setProblem(null);
        setList({ status, incidents: r.incidents });
      })
      .catch((err: unknown) => {
        if (!isAbort(err)) setProblem(problemOf(err));
      });
    return () => ctrl.abort();
  }, [status, version]);

  useEffect(() => {
    const stops = [
      subscribeLive('incident.updated', refetch),
      subscribeLive('page.updated', refetch),
      subscribeLive('page', refetch),
      subscribeLive('resync', refetch),
    ];
    window.addEventListener('online', refetch);
    return () => {
      for (const stop of stops) stop();
      window.removeEventListener('online', refetch);
    };
  }, [refetch]);

  return { incidents: list?.status === status ? list.incidents : null, problem };
}

export function IncidentsPage() {
  const me = useMe();
  const [discreet] = useDiscreetMode();
  const [params] = useSearchParams();
  const status: Status = params.get('status') === 'closed' ? 'closed' : 'open';
  const { incidents, problem } = useIncidentList(status);
  const unsent = useUnconfirmedIncidents().filter((r) => !incidents?.some((i) => i.id === r.detail.id));
  usePageTitle(discreet ? 'Records' : 'Incidents');
  const tz = me.practice.timeZone;
  const title = (key: string, fallback?: string) => {
    const p = cachedProtocol(key);
    return p ? protocolName(p, discreet) : discreet ? 'Record' : (fallback ?? key);
  };

  return (
    <div className="incidents-page">
      <h1>{discreet ? 'Records' : 'Incidents'}</h1>
      <nav aria-label="Which incidents" className="incident-tabs">
        <Link to="/incidents" aria-current={status === 'open' ? 'page' : undefined}>
          Open
        </Link>
        <Link to="/incidents?status=closed" aria-current={status === 'closed' ? 'page' : undefined}>
          Closed
        </Link>
      </nav>
      <ProblemAlert problem={problem} />
      {status === 'open' && unsent.length > 0 && (
        <ul className="incident-list" aria-label="Opened on this device, not sent yet">
          {unsent.map(({ detail }) => (
            <li key={detail.id} className="card incident-row">
              <Link to={`/incidents/${encodeURIComponent(detail.id)}`} className="incident-row-title">
                {title(detail.protocolKey)}
              </Link>
              <span className="muted">Opened {formatDateTime(detail.openedAt, tz)} on this device</span>
              <span className="chip chip-gap">Not sent yet</span>
            </li>
          ))}
        </ul>
      )}
      {incidents === null ? (
        !problem && <Loading />
      ) : incidents.length === 0 ? (
        <p className="muted">{status === 'open' ? 'No open incidents.' : 'No closed incidents.'}</p>
      ) : (
        <ul className="incident-list" aria-label={status === 'open' ? 'Open incidents' : 'Closed incidents'}>
          {incidents.map((i) => (
            <li key={i.id} className="card incident-row">
              <Link to={`/incidents/${encodeURIComponent(i.id)}`} className="incident-row-title">
                {title(i.protocolKey, i.protocolTitle)}
              </Link>
              <span>
                <span className="strong">{i.client.name}</span>
                <span className="muted">
                  {' '}
                  · opened {formatDateTime(i.openedAt, tz)} by {i.openedBy.name}
                </span>
              </span>
              {i.openPages > 0 && (
                <span className="chip chip-gap">
                  {i.openPages === 1 ? '1 page waiting' : `${i.openPages} pages waiting`}
                </span>
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
