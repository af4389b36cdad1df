import { forgetKeptIncidents } from './incident/local-incidents.ts';
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useLocation, useNavigate } from 'react-router';
import { ApiError, api, onSessionEnded, problemOf, setCsrfToken, type Me, type Problem } from './api.ts';

export const NOTICE = {
  practiceReady: 'Your practice is ready. Sign in to continue.',
  signedOut: 'You have signed out.',
  sessionEnded: 'Your session ended after a period of inactivity. Sign in again.',
  accountReady: 'Your account is ready. Sign in.',
} as const;

/** What we pass in router location state when sending someone to sign in. */
export interface SignInState {
  notice?: string;
  from?: string;
}

type Boot = { status: 'loading' } | { status: 'error'; problem: Problem } | { status: 'ready' };

interface Session {
  boot: Boot;
  setupRequired: boolean;
  me: Me | null;
  retry: () => void;
  setupDone: () => void;
  signedIn: (me: Me) => void;
  signOut: () => Promise<void>;
  refreshMe: () => Promise<void>;
}

const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession must be used inside <SessionProvider>');
  return s;
}

/** The signed-in person; only call inside the signed-in shell. */
export function useMe(): Me {
  const { me } = useSession();
  if (!me) throw new Error('useMe called without a session');
  return me;
}

export function can(me: Me, action: string): boolean {
  return me.allowed.includes(action);
}

async function loadMe(): Promise<Me | null> {
  try {
    return await api.get<Me>('/api/me', { quietOn401: true });
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) return null;
    throw err;
  }
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const navigate = useNavigate();
  const location = useLocation();
  const [boot, setBoot] = useState<Boot>({ status: 'loading' });
  const [setupRequired, setSetupRequired] = useState(false);
  const [me, setMeState] = useState<Me | null>(null);
  const [attempt, setAttempt] = useState(0);

  const setMe = useCallback((next: Me | null) => {
    setCsrfToken(next?.csrfToken ?? null);
    setMeState(next);
  }, []);

  useEffect(() => {
    let cancelled = false;
    (async () => {
      try {
        const setup = await api.get<{ setupRequired: boolean }>('/api/setup');
        if (cancelled) return;
        setSetupRequired(setup.setupRequired);
        const current = setup.setupRequired ? null : await loadMe();
        if (cancelled) return;
        setMe(current);
        setBoot({ status: 'ready' });
      } catch (err) {
        if (!cancelled) setBoot({ status: 'error', problem: problemOf(err) });
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [attempt, setMe]);

  // Any signed-in request that finds the session gone lands here.
  const here = location.pathname + location.search;
  useEffect(() => {
    onSessionEnded(() => {
      setMeState(null);
      const state: SignInState = { notice: NOTICE.sessionEnded, from: here };
      navigate('/sign-in', { replace: true, state });
    });
    return () => onSessionEnded(null);
  }, [navigate, here]);

  const value = useMemo<Session>(
    () => ({
      boot,
      setupRequired,
      me,
      retry: () => {
        setBoot({ status: 'loading' });
        setAttempt((n) => n + 1);
      },
      setupDone: () => setSetupRequired(false),
      signedIn: (next) => setMe(next),
      signOut: async () => {
        try {
          await api.post<void>('/api/auth/sign-out', undefined, { quietOn401: true });
        } catch {
          // Signed out either way: the session is gone or about to be.
        }
        // Incidents kept on this device for offline work hold client detail: not left behind for the next person.
        forgetKeptIncidents();
        setMe(null);
        const state: SignInState = { notice: NOTICE.signedOut };
        navigate('/sign-in', { replace: true, state });
      },
      refreshMe: async () => {
        const next = await loadMe();
        setMe(next);
        if (!next) {
          const state: SignInState = { notice: NOTICE.sessionEnded };
          navigate('/sign-in', { replace: true, state });
        }
      },
    }),
    [boot, setupRequired, me, setMe, navigate],
  );

  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}
