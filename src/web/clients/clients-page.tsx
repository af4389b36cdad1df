import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { Link, useLocation } from 'react-router';
import { api, isAbort, problemOf, type Problem } from '../api.ts';
import { can, useMe } from '../session.tsx';
import { Loading, Notice, ProblemAlert, usePageTitle } from '../ui.tsx';
import { ReadinessChips, RiskBadge } from './badges.tsx';
import type { ClientCursor, ClientList, ClientSummary } from './client.ts';

const PAGE_SIZE = 50;

interface Query {
  search: string;
  includeArchived: boolean;
}

function listUrl(q: Query, after: ClientCursor | null): string {
  const p = new URLSearchParams();
  if (q.search) p.set('search', q.search);
  if (q.includeArchived) p.set('includeArchived', 'true');
  if (after) {
    p.set('afterName', after.afterName);
    p.set('afterId', after.afterId);
  }
  p.set('limit', String(PAGE_SIZE));
  return `/api/clients?${p.toString()}`;
}

function CareTeamRow({ client }: { client: ClientSummary }) {
  return (
    <li className="client-row">
      <div className="client-row-name">
        <Link to={`/clients/${encodeURIComponent(client.id)}`}>{client.name}</Link>
        {client.pronouns && <span className="muted"> ({client.pronouns})</span>}
        {client.archived && <span className="chip chip-archived">Archived</span>}
      </div>
      <div className="client-row-facts">
        <RiskBadge level={client.riskLevel} />
        {client.readiness && <ReadinessChips readiness={client.readiness} label={`Readiness of ${client.name}`} />}
      </div>
    </li>
  );
}

function DirectoryRow({ client }: { client: ClientSummary }) {
  return (
    <li className="client-row">
      <div className="client-row-name">
        <span className="client-name" tabIndex={-1}>
          {client.name}
        </span>
        {client.archived && <span className="chip chip-archived">Archived</span>}
      </div>
    </li>
  );
}

function SearchForm({ onSearch }: { onSearch: (q: Query) => void }) {
  const [search, setSearch] = useState('');
  const [includeArchived, setIncludeArchived] = useState(false);

  // Searching as you type, after a short pause; Enter searches at once.
  useEffect(() => {
    const t = window.setTimeout(() => onSearch({ search: search.trim(), includeArchived }), 300);
    return () => window.clearTimeout(t);
  }, [search, includeArchived, onSearch]);

  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    onSearch({ search: search.trim(), includeArchived });
  }

  return (
    <form role="search" aria-label="Clients" onSubmit={submit} className="client-search">
      <div className="field">
        <label htmlFor="client-search">Search clients</label>
        <p id="client-search-hint" className="hint">
          Part of a legal or preferred name.
        </p>
        <div className="row">
          <input
            id="client-search"
            type="search"
            value={search}
            onChange={(e) => setSearch(e.target.value)}
            aria-describedby="client-search-hint"
            autoComplete="off"
          />
          <button type="submit" className="secondary">
            Search
          </button>
        </div>
      </div>
      <label className="check">
        <input type="checkbox" checked={includeArchived} onChange={(e) => setIncludeArchived(e.target.checked)} />
        <span>Include archived clients</span>
      </label>
    </form>
  );
}

function emptyText(q: Query, careTeam: boolean): string {
  if (q.search) return `No clients match “${q.search}”.`;
  return careTeam ? 'There are no clients on your care team yet.' : 'There are no clients in the practice yet.';
}

export function ClientsPage() {
  usePageTitle('Clients');
  const me = useMe();
  const careTeam = me.user.role === 'clinician' || me.user.role === 'supervisor';
  const notice = (useLocation().state as { notice?: string } | null)?.notice;
  const [query, setQuery] = useState<Query>({ search: '', includeArchived: false });
  const [clients, setClients] = useState<ClientSummary[] | null>(null);
  const [next, setNext] = useState<ClientCursor | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const list = useRef<HTMLUListElement>(null);
  /** After "Load more", the first new row takes focus (the button may be gone). */
  const focusRow = useRef<number | null>(null);

  useEffect(() => {
    if (focusRow.current === null) return;
    const row = list.current?.querySelectorAll<HTMLElement>(':scope > li')[focusRow.current];
    focusRow.current = null;
    row?.querySelector<HTMLElement>('a, .client-name')?.focus();
  }, [clients]);

  const onSearch = useCallback(
    (q: Query) => setQuery((prev) => (prev.search === q.search && prev.includeArchived === q.includeArchived ? prev : q)),
    [],
  );

  useEffect(() => {
    const ctrl = new AbortController();
    setProblem(null);
    api
      .get<ClientList>(listUrl(query, null), { signal: ctrl.signal })
      .then((page) => {
        setClients(page.clients);
        setNext(page.next);
      })
      .catch((err: unknown) => {
        if (!isAbort(err)) setProblem(problemOf(err));
      });
    return () => ctrl.abort();
  }, [query]);

  async function loadMore() {
    if (!next) return;
    setLoadingMore(true);
    setProblem(null);
    try {
      const page = await api.get<ClientList>(listUrl(query, next));
      const shown = clients?.length ?? 0;
      setClients((prev) => [...(prev ?? []), ...page.clients]);
      setNext(page.next);
      focusRow.current = shown;
    } catch (err) {
      setProblem(problemOf(err));
    } finally {
      setLoadingMore(false);
    }
  }

  return (
    <>
      <div className="page-head">
        <h1>Clients</h1>
        {can(me, 'clients.create') && (
          <Link to="/clients/new" className="button-link button-primary">
            Add client
          </Link>
        )}
      </div>
      {careTeam ? (
        <p className="lede">The clients on your care team, with their risk and what is still missing from their safety net.</p>
      ) : (
        <p className="lede">
          The practice's client directory. Clinical details are visible only to each client's care team.
        </p>
      )}
      {notice && <Notice>{notice}</Notice>}
      <SearchForm onSearch={onSearch} />
      <ProblemAlert problem={problem} />
      {clients === null ? (
        !problem && <Loading what="Loading clients…" />
      ) : clients.length === 0 ? (
        <p role="status">{emptyText(query, careTeam)}</p>
      ) : (
        <>
          <ul ref={list} className="client-list" aria-label={careTeam ? 'Your clients' : 'Client directory'}>
            {clients.map((c) => (careTeam ? <CareTeamRow key={c.id} client={c} /> : <DirectoryRow key={c.id} client={c} />))}
          </ul>
          <p role="status" className="muted">
            Showing {clients.length} {clients.length === 1 ? 'client' : 'clients'}
            {next ? '.' : ' (that is all of them).'}
          </p>
          {next && (
            <button type="button" className="secondary" onClick={() => void loadMore()} disabled={loadingMore}>
              Load more
            </button>
          )}
        </>
      )}
    </>
  );
}
