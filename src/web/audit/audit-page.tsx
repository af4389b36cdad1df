import { useEffect, useState } from 'react';
import { api, isAbort, problemOf, type Problem } from '../api.ts';
import { can, useMe } from '../session.tsx';
import { endOfDay, startOfDay } from '../time.ts';
import { Loading, ProblemAlert, usePageTitle } from '../ui.tsx';
import { byName, type User, type UserList } from '../users/user.ts';
import { NO_FILTERS, type AuditEvent, type AuditFilters, type AuditPage as Page } from './audit-event.ts';
import { AuditFilterForm } from './audit-filters.tsx';
import { AuditTable } from './audit-table.tsx';
import { VerifyChain } from './verify-chain.tsx';

const PAGE_SIZE = 50;

function eventsUrl(f: AuditFilters, timeZone: string, before: number | null): string {
  const q = new URLSearchParams();
  if (f.action) q.set('action', f.action);
  if (f.actorId) q.set('actorId', f.actorId);
  if (f.outcome) q.set('outcome', f.outcome);
  const from = f.from ? startOfDay(f.from, timeZone) : null;
  const to = f.to ? endOfDay(f.to, timeZone) : null;
  if (from) q.set('from', from.toISOString());
  if (to) q.set('to', to.toISOString());
  if (before !== null) q.set('before', String(before));
  q.set('limit', String(PAGE_SIZE));
  return `/api/audit/events?${q.toString()}`;
}

export function AuditPage() {
  usePageTitle('Audit trail');
  const me = useMe();
  const timeZone = me.practice.timeZone;
  const [people, setPeople] = useState<User[]>([]);
  const [filters, setFilters] = useState<AuditFilters>(NO_FILTERS);
  const [events, setEvents] = useState<AuditEvent[] | null>(null);
  const [nextBefore, setNextBefore] = useState<number | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [loadingOlder, setLoadingOlder] = useState(false);
  const canListUsers = can(me, 'users.list');

  useEffect(() => {
    if (!canListUsers) return;
    const ctrl = new AbortController();
    api
      .get<UserList>('/api/users', { signal: ctrl.signal })
      .then((r) => setPeople([...r.users].sort(byName)))
      .catch(() => setPeople([]));
    return () => ctrl.abort();
  }, [canListUsers]);

  useEffect(() => {
    const ctrl = new AbortController();
    setEvents(null);
    setProblem(null);
    api
      .get<Page>(eventsUrl(filters, timeZone, null), { signal: ctrl.signal })
      .then((page) => {
        setEvents(page.events);
        setNextBefore(page.nextBefore);
      })
      .catch((err: unknown) => {
        if (!isAbort(err)) setProblem(problemOf(err));
      });
    return () => ctrl.abort();
  }, [filters, timeZone]);

  async function loadOlder() {
    if (nextBefore === null) return;
    setLoadingOlder(true);
    setProblem(null);
    try {
      const page = await api.get<Page>(eventsUrl(filters, timeZone, nextBefore));
      setEvents((prev) => [...(prev ?? []), ...page.events]);
      setNextBefore(page.nextBefore);
    } catch (err) {
      setProblem(problemOf(err));
    } finally {
      setLoadingOlder(false);
    }
  }

  return (
    <>
      <h1>Audit trail</h1>
      <p className="lede">A permanent record of sign-ins, changes and refused actions in {me.practice.name}.</p>
      <section aria-labelledby="filters-heading" className="panel no-print">
        <h2 id="filters-heading">Filter events</h2>
        <AuditFilterForm people={people} onApply={setFilters} />
      </section>
      <ProblemAlert problem={problem} />
      {events === null ? (
        !problem && <Loading what="Loading events…" />
      ) : events.length === 0 ? (
        <p role="status">No events match these filters.</p>
      ) : (
        <>
          <AuditTable events={events} timeZone={timeZone} />
          <p role="status" className="muted">
            Showing {events.length} {events.length === 1 ? 'event' : 'events'}
            {nextBefore === null ? ' (that is all of them).' : '.'}
          </p>
          {nextBefore !== null && (
            <button type="button" className="secondary" onClick={() => void loadOlder()} disabled={loadingOlder}>
              Load older
            </button>
          )}
        </>
      )}
      <VerifyChain />
    </>
  );
}
