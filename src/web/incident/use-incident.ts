/**
 * One incident for its screen: the kept copy at once (works offline), then the server's
 * answer (which wins), refreshed live (SSE) and after each write of ours is answered,
 * with the writes still waiting in the outbox applied on top.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { api, isAbort, problemOf, type Problem } from '../api.ts';
import { subscribeLive } from '../live/live-events.ts';
import { outbox, useOutboxItems, type OutboxEvent } from '../offline/outbox.ts';
import type { IncidentDetail, Named } from './incident-types.ts';
import { incidentIdOf, incidentView, queuedFor, type IncidentView } from './incident-view.ts';
import { keepIncident, useLocalIncident, worthKeeping } from './local-incidents.ts';

/** Several triggers close together (our answer, the live event) make one fetch. */
const REFETCH_DEBOUNCE_MS = 250;

export interface IncidentState {
  view: IncidentView | null;
  /** The last fetch failed; null while it works or has not run yet. */
  problem: Problem | null;
  /** Nothing kept and the server has not answered yet. */
  loading: boolean;
  /** The server has answered at least once since the screen opened. */
  fresh: boolean;
  refetch: () => void;
  /** Takes an answer the screen got itself (e.g. from closing). */
  accept: (detail: IncidentDetail) => void;
}

export function incidentPath(incidentId: string, rest = ''): string {
  return `/api/incidents/${encodeURIComponent(incidentId)}${rest}`;
}

export function useIncident(incidentId: string, me: Named): IncidentState {
  const kept = useLocalIncident(incidentId);
  const items = useOutboxItems();
  const [fetched, setFetched] = useState<{ id: string; detail: IncidentDetail } | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [tried, setTried] = useState(false);
  const [version, setVersion] = useState(0);
  // Bumped when a write of ours is answered: a fetch begun before it may miss it and is dropped.
  const answered = useRef(0);
  const timer = useRef<number | null>(null);

  const refetch = useCallback(() => {
    if (timer.current !== null) window.clearTimeout(timer.current);
    timer.current = window.setTimeout(() => {
      timer.current = null;
      setVersion((v) => v + 1);
    }, REFETCH_DEBOUNCE_MS);
  }, []);

  const accept = useCallback((detail: IncidentDetail) => {
    setFetched({ id: detail.id, detail });
    if (worthKeeping(detail)) keepIncident(detail, true);
  }, []);

  useEffect(() => {
    const ctrl = new AbortController();
    const startedWith = answered.current;
    api
      .get<IncidentDetail>(incidentPath(incidentId), { signal: ctrl.signal })
      .then((detail) => {
        if (answered.current !== startedWith) return;
        setProblem(null);
        accept(detail);
      })
      .catch((err: unknown) => {
        if (isAbort(err)) return;
        const p = problemOf(err);
        // Not on the server yet because its opening is still queued: not a problem.
        const opening = outbox().items().some((i) => i.path === '/api/incidents' && incidentIdOf(i) === incidentId);
        setProblem(p.status === 404 && opening ? null : p);
      })
      .finally(() => setTried(true));
    return () => ctrl.abort();
  }, [incidentId, version, accept]);

  useEffect(() => {
    const mine = (data: unknown) => (data as { incidentId?: unknown } | null)?.incidentId === incidentId;
    const stops = [
      subscribeLive('incident.updated', (d) => mine(d) && refetch()),
      subscribeLive('page.updated', (d) => mine(d) && refetch()),
      subscribeLive('resync', refetch),
      outbox().subscribe((e: OutboxEvent) => {
        if ((e.type === 'sent' || e.type === 'refused') && incidentIdOf(e.item) === incidentId) {
          answered.current += 1;
          refetch();
        }
      }),
    ];
    window.addEventListener('online', refetch);
    return () => {
      for (const stop of stops) stop();
      window.removeEventListener('online', refetch);
      if (timer.current !== null) window.clearTimeout(timer.current);
    };
  }, [incidentId, refetch]);

  const server = fetched?.id === incidentId ? fetched.detail : null;
  // The kept copy is updated with every answer, so it is the newest when there is one.
  const base = kept?.detail ?? server;
  const view = useMemo(
    () => (base ? incidentView(base, queuedFor(items, incidentId), me) : null),
    [base, items, incidentId, me],
  );
  return { view, problem, loading: !base && !tried, fresh: server !== null, refetch, accept };
}
