// The session's urgent-call alerts: loaded with the session view, refetched when the live
// stream says one arrived ('session.alert' carries ids only) or may have been missed, and
// polled while the stream is down. A new open alert plays one soft chime.
import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from '../api.ts';
import { subscribeLive, useLiveStatus } from '../live/live-events.ts';
import { alertsPath, sortAlerts, type SessionAlert } from './call-gate.ts';
import { playSoftNote } from '../live/page-tone.ts';

/** While live updates are down, ask for the list this often instead. */
const POLL_MS = 20_000;

function isAlertFor(sessionId: string, data: unknown): boolean {
  return typeof data === 'object' && data !== null && (data as { sessionId?: unknown }).sessionId === sessionId;
}

export function useSessionAlerts(sessionId: string, running: boolean) {
  const [alerts, setAlerts] = useState<SessionAlert[]>([]);
  const known = useRef<Set<string> | null>(null);
  const alive = useRef(true);
  const liveStatus = useLiveStatus();

  const load = useCallback(async () => {
    try {
      const r = await api.get<{ alerts: SessionAlert[] }>(alertsPath(sessionId));
      if (!alive.current) return;
      const open = r.alerts.filter((a) => a.status === 'open').map((a) => a.id);
      // The first list is what was already there: only alerts that arrive afterwards chime.
      if (known.current && open.some((id) => !known.current?.has(id))) void playSoftNote();
      known.current = new Set([...(known.current ?? []), ...r.alerts.map((a) => a.id)]);
      setAlerts(sortAlerts(r.alerts));
    } catch {
      // Quietly: the next live message, resync or poll asks again.
    }
  }, [sessionId]);

  useEffect(() => {
    alive.current = true;
    known.current = null;
    void load();
    const stops = [
      subscribeLive('session.alert', (data) => {
        if (isAlertFor(sessionId, data)) void load();
      }),
      subscribeLive('resync', () => void load()),
    ];
    return () => {
      alive.current = false;
      for (const stop of stops) stop();
    };
  }, [load, sessionId]);

  // The stream (re)opened: an alert sent meanwhile would otherwise be missed. Down: poll.
  useEffect(() => {
    if (!running) return;
    if (liveStatus === 'live') {
      void load();
      return;
    }
    const t = window.setInterval(() => void load(), POLL_MS);
    return () => window.clearInterval(t);
  }, [liveStatus, load, running]);

  /** The answer to a decision replaces the alert at once. */
  const replace = useCallback((alert: SessionAlert) => {
    setAlerts((list) => sortAlerts(list.map((a) => (a.id === alert.id ? alert : a))));
  }, []);

  return { alerts, reload: load, replace };
}
