/**
 * Incidents kept in this browser (localStorage `holdspace.incidents`) so the protocol
 * renders without the network: the ones opened here and the open ones this person acts
 * on. Each holds the last known detail; answers to queued writes are folded in as they
 * arrive, so what was sent stays on screen even if the next fetch fails.
 * A closed incident is forgotten once nothing of it is waiting to be sent.
 */
import { useSyncExternalStore } from 'react';
import { browserStorage, readJson, writeJson } from '../offline/local-store.ts';
import { outbox, type OutboxEvent } from '../offline/outbox.ts';
import type { IncidentDetail, RunEventResult } from './incident-types.ts';
import { incidentIdOf, withEventResult } from './incident-view.ts';

export const INCIDENTS_KEY = 'holdspace.incidents';
/** Records untouched for this long are dropped: they are back on the server long since. */
const KEEP_MS = 7 * 24 * 3_600_000;

export interface LocalIncident {
  detail: IncidentDetail;
  /** The server has answered for this incident at least once. */
  confirmed: boolean;
  savedAt: string;
}

type Records = Record<string, LocalIncident>;

const listeners = new Set<() => void>();
let cache: Records | null = null;

function records(): Records {
  return (cache ??= readJson<Records>(browserStorage(), INCIDENTS_KEY, {}));
}

function write(next: Records): void {
  cache = next;
  writeJson(browserStorage(), INCIDENTS_KEY, next);
  for (const l of [...listeners]) l();
}

export function keptIncident(id: string): LocalIncident | undefined {
  return records()[id];
}

export function keptIncidents(): LocalIncident[] {
  return Object.values(records());
}

/** Keeps the incident's latest detail (or forgets it once closed and fully sent). */
export function keepIncident(detail: IncidentDetail, confirmed: boolean): void {
  const now = Date.now();
  const waiting = new Set(outbox().items().map(incidentIdOf));
  const next: Records = {};
  for (const [id, rec] of Object.entries(records())) {
    if (now - Date.parse(rec.savedAt) < KEEP_MS || waiting.has(id)) next[id] = rec;
  }
  if (detail.status === 'closed' && !waiting.has(detail.id)) delete next[detail.id];
  else next[detail.id] = { detail, confirmed: confirmed || (next[detail.id]?.confirmed ?? false), savedAt: new Date(now).toISOString() };
  write(next);
}

/**
 * Forgets every kept incident that has nothing waiting to be sent (e.g. at sign-out on a
 * shared device). Writes still waiting keep their incident, so nothing unsent is lost.
 */
export function forgetKeptIncidents(): void {
  const waiting = new Set(outbox().items().map(incidentIdOf));
  write(Object.fromEntries(Object.entries(records()).filter(([id]) => waiting.has(id))));
}

/** Whether this browser should keep the incident for offline use. */
export function worthKeeping(detail: IncidentDetail): boolean {
  return keptIncident(detail.id) !== undefined || (detail.viewer.canAct && detail.status === 'open');
}

function onOutbox(e: OutboxEvent): void {
  if (e.type !== 'sent') return;
  const id = incidentIdOf(e.item);
  const rec = id ? keptIncident(id) : undefined;
  if (!rec) return;
  // The opening answers {id, runId, status, pageId}: the server has it now; the screen refetches the detail.
  if (e.item.path === '/api/incidents') keepIncident(isDetail(e.data) ? e.data : rec.detail, true);
  else if (/\/runs\/[^/]+\/events$/.test(e.item.path)) keepIncident(withEventResult(rec.detail, e.data as RunEventResult), true);
}

function isDetail(data: unknown): data is IncidentDetail {
  return typeof data === 'object' && data !== null && Array.isArray((data as { runs?: unknown }).runs);
}

let syncing = false;

/** Folds outbox answers into the kept incidents; safe to call more than once. */
export function syncLocalIncidents(): void {
  if (syncing || typeof window === 'undefined') return;
  syncing = true;
  outbox().subscribe(onOutbox);
  window.addEventListener('storage', (e) => {
    if (e.key !== INCIDENTS_KEY) return;
    cache = null;
    for (const l of [...listeners]) l();
  });
}

function subscribe(onChange: () => void): () => void {
  listeners.add(onChange);
  return () => listeners.delete(onChange);
}

/** The kept record of one incident, re-rendering when it changes. */
export function useLocalIncident(id: string): LocalIncident | undefined {
  return useSyncExternalStore(subscribe, () => records()[id], () => records()[id]);
}

/** The incidents opened in this browser that the server has not confirmed yet. */
export function useUnconfirmedIncidents(): LocalIncident[] {
  const all = useSyncExternalStore(subscribe, records, records);
  return Object.values(all).filter((r) => !r.confirmed);
}

// Answers that arrive after a reload are folded in even before the incident screen opens.
syncLocalIncidents();
