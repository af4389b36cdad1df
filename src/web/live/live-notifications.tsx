/**
 * Notifications for the signed-in person (a follow-up coming due, one past due, one
 * where the client could not be reached), under the live alerts: calm, never a modal,
 * no clinical detail (the titles carry none). Each opens its follow-up or is put away.
 * The list comes from GET /api/notifications; new ones arrive live.
 */
import { useCallback, useEffect, useState } from 'react';
import { Link } from 'react-router';
import { api } from '../api.ts';
import type { NotificationView } from '../follow-ups/follow-ups.ts';
import { subscribeLive } from './live-events.ts';

/** How many unread notifications show at once; the rest are counted. */
const SHOWN = 3;

export function LiveNotifications() {
  const [unread, setUnread] = useState<NotificationView[]>([]);
  const [count, setCount] = useState(0);
  const load = useCallback(async () => {
    try {
      const r = await api.get<{ notifications: NotificationView[]; unread: number }>('/api/notifications');
      setUnread(r.notifications.filter((n) => !n.readAt));
      setCount(r.unread);
    } catch {
      // Quietly: the next notification or resync asks again.
    }
  }, []);
  useEffect(() => {
    void load();
    const stops = [subscribeLive('notification', () => void load()), subscribeLive('resync', () => void load())];
    return () => { for (const stop of stops) stop(); };
  }, [load]);

  const dismiss = async (id: string) => {
    setUnread((list) => list.filter((n) => n.id !== id));
    setCount((c) => Math.max(0, c - 1));
    try {
      await api.post(`/api/notifications/${id}/read`);
    } catch {
      void load();
    }
  };

  if (unread.length === 0) return null;
  return (
    <div className="live-notifications" role="region" aria-label="Notifications" aria-live="polite">
      <ul>
        {unread.slice(0, SHOWN).map((n) => (
          <li key={n.id} className="notice">
            <span>{n.title}</span>
            {n.followUpTaskId && <Link to={`/follow-ups/${n.followUpTaskId}`} onClick={() => void dismiss(n.id)}>Open follow-up</Link>}
            <button type="button" className="secondary" onClick={() => void dismiss(n.id)} aria-label={`Dismiss: ${n.title}`}>Dismiss</button>
          </li>
        ))}
      </ul>
      {count > SHOWN && <p className="hint"><Link to="/follow-ups">{count - SHOWN} more</Link></p>}
    </div>
  );
}
