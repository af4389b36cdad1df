// Loading what the safety plan screens need: the client's name, the plan, its versions.
import { useCallback, useEffect, useState } from 'react';
import { api, isAbort, problemOf, type Problem } from '../api.ts';
import { clientPath, type SafetyNet } from '../clients/client.ts';
import { planPath, type PlanResponse, type PlanVersionSummary } from './plan.ts';

/** The client's display name; null until it arrives. */
export function useClientName(clientId: string): { name: string | null; problem: Problem | null } {
  const [name, setName] = useState<string | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  useEffect(() => {
    const ctrl = new AbortController();
    setName(null);
    api
      .get<SafetyNet>(clientPath(clientId), { signal: ctrl.signal })
      .then((r) => {
        setName(r.client.name);
        setProblem(null);
      })
      .catch((err: unknown) => {
        if (!isAbort(err)) setProblem(problemOf(err));
      });
    return () => ctrl.abort();
  }, [clientId]);
  return { name, problem };
}

/** The list of saved versions, newest first; reload() after a save or a conflict. */
export function usePlanVersions(clientId: string) {
  const [versions, setVersions] = useState<PlanVersionSummary[] | null>(null);
  const [attempt, setAttempt] = useState(0);
  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  useEffect(() => {
    const ctrl = new AbortController();
    api
      .get<{ versions: PlanVersionSummary[] }>(`${planPath(clientId)}/versions`, { signal: ctrl.signal })
      .then((r) => setVersions(r.versions))
      .catch((err: unknown) => {
        if (!isAbort(err)) setVersions((v) => v ?? []);
      });
    return () => ctrl.abort();
  }, [clientId, attempt]);
  return { versions, reload };
}

export function fetchPlan(clientId: string, signal?: AbortSignal): Promise<PlanResponse> {
  return api.get<PlanResponse>(planPath(clientId), signal ? { signal } : {});
}

/** Not a client (404), or not a client id at all (400). */
export function isNotFound(problem: Problem | null): boolean {
  return problem?.status === 404 || problem?.status === 400;
}
