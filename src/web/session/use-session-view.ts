// Loading one session, and a clock for the minutes that pass while it runs.
import { useCallback, useEffect, useState } from 'react';
import { ApiError, api, isAbort, problemOf, type Problem } from '../api.ts';
import { sessionPath, type SessionView } from './session.ts';

/**
 * The session; `initial` is what starting it answered (passed through the navigation),
 * shown at once while the page fetches its own copy.
 */
export function useSessionView(sessionId: string, initial: SessionView | null) {
  const [loaded, setLoaded] = useState<SessionView | null>(initial?.id === sessionId ? initial : null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [version, setVersion] = useState(0);

  useEffect(() => {
    const ctrl = new AbortController();
    setProblem(null);
    api
      .get<SessionView>(sessionPath(sessionId), { signal: ctrl.signal })
      .then(setLoaded)
      .catch((err: unknown) => {
        if (!isAbort(err)) setProblem(problemOf(err));
      });
    return () => ctrl.abort();
  }, [sessionId, version]);

  const reload = useCallback(() => setVersion((v) => v + 1), []);
  const session = loaded?.id === sessionId ? loaded : null;
  return { session, problem, replace: setLoaded, reload };
}

/** The current time, updated every `everyMs` while `running`. */
export function useNow(running: boolean, everyMs = 15_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!running) return;
    setNow(Date.now());
    const t = window.setInterval(() => setNow(Date.now()), everyMs);
    return () => window.clearInterval(t);
  }, [running, everyMs]);
  return now;
}

/** What each part of the session screen gets: the session, and how to report a change. */
export interface SessionPart {
  session: SessionView;
  timeZone: string;
  /** The session as the server answered after a change. */
  onSession: (s: SessionView) => void;
  /** Fetch it again (another tab or device changed it first). */
  reload: () => void;
}

/** Sends a change; on a conflict (already ended, already back…) refetches, so the screen shows what is true. */
export async function changeSession(part: Pick<SessionPart, 'onSession' | 'reload'>, call: () => Promise<SessionView>): Promise<void> {
  try {
    part.onSession(await call());
  } catch (err) {
    if (err instanceof ApiError && err.status === 409) part.reload();
    throw err;
  }
}
