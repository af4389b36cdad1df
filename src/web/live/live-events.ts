/**
 * Live updates from GET /api/live (Server-Sent Events), shared by every screen: one
 * EventSource for the whole tab, opened with the first subscriber and closed with the
 * last. Messages carry ids and labels only; screens refetch details through the API.
 *
 * After the stream drops and comes back, subscribers of `resync` are told so they can
 * refetch what they may have missed (the server sends `resync` itself when it lost its
 * LISTEN connection).
 */
import { useSyncExternalStore } from 'react';

export type LiveEventType = 'page' | 'page.updated' | 'incident.updated' | 'notification' | 'message.updated' | 'session.alert' | 'resync';
/** 'connecting' until the stream first opens, 'live' while open, 'offline' while it is down or closed. */
export type LiveStatus = 'connecting' | 'live' | 'offline';

type Handler = (data: unknown) => void;

const handlers = new Map<LiveEventType, Set<Handler>>();
let source: EventSource | null = null;
let hadError = false;
let retryTimer: ReturnType<typeof setTimeout> | null = null;
let retryMs = 1000;
let closeTimer: ReturnType<typeof setTimeout> | null = null;
let status: LiveStatus = 'connecting';
const statusListeners = new Set<() => void>();

function setStatus(next: LiveStatus): void {
  if (status === next) return;
  status = next;
  for (const l of [...statusListeners]) l();
}

function subscribeStatus(listener: () => void): () => void {
  statusListeners.add(listener);
  return () => statusListeners.delete(listener);
}

/** Whether live updates are arriving: for a quiet "reconnecting" line and a polling fallback. */
export function useLiveStatus(): LiveStatus {
  return useSyncExternalStore(subscribeStatus, () => status, () => 'connecting');
}

/** Calls `handler` with each event's JSON data; returns the function that stops it. */
export function subscribeLive<T = unknown>(type: LiveEventType, handler: (data: T) => void): () => void {
  const h = handler as Handler;
  let set = handlers.get(type);
  if (!set) handlers.set(type, (set = new Set()));
  set.add(h);
  if (closeTimer) clearTimeout(closeTimer);
  closeTimer = null;
  if (source) listenTo(source, type);
  else if (!retryTimer) open();
  return () => {
    set.delete(h);
    if (set.size === 0 && handlers.get(type) === set) handlers.delete(type);
    // Close a moment later: a screen that unsubscribes and resubscribes at once
    // (a re-render, React's strict mode, a route change) keeps the same stream.
    if (handlers.size === 0 && !closeTimer) {
      closeTimer = setTimeout(() => {
        closeTimer = null;
        if (handlers.size === 0) close();
      }, 1000);
    }
  };
}

function dispatch(type: LiveEventType, data: unknown): void {
  for (const h of [...(handlers.get(type) ?? [])]) {
    try {
      h(data);
    } catch (err) {
      // One screen's failure must not stop the others from hearing about a page.
      console.error(err);
    }
  }
}

const listening = new WeakMap<EventSource, Set<LiveEventType>>();

function listenTo(es: EventSource, type: LiveEventType): void {
  let types = listening.get(es);
  if (!types) listening.set(es, (types = new Set()));
  if (types.has(type)) return;
  types.add(type);
  es.addEventListener(type, (e) => dispatch(type, parse((e as MessageEvent<string>).data)));
}

function parse(raw: string): unknown {
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return {};
  }
}

function open(): void {
  if (source || typeof EventSource === 'undefined') return;
  const es = new EventSource('/api/live', { withCredentials: true });
  source = es;
  if (status !== 'offline') setStatus('connecting');
  for (const type of handlers.keys()) listenTo(es, type);
  es.onopen = () => {
    retryMs = 1000;
    setStatus('live');
    if (hadError) dispatch('resync', {});
    hadError = false;
  };
  es.onerror = () => {
    hadError = true;
    setStatus('offline');
    // The browser retries by itself unless the stream was refused (CLOSED); then we do.
    if (es.readyState === EventSource.CLOSED) {
      source = null;
      scheduleReopen();
    }
  };
}

function scheduleReopen(): void {
  if (retryTimer) return;
  retryTimer = setTimeout(() => {
    retryTimer = null;
    if (handlers.size > 0) open();
  }, retryMs);
  retryMs = Math.min(retryMs * 2, 30_000);
}

function close(): void {
  if (retryTimer) clearTimeout(retryTimer);
  retryTimer = null;
  source?.close();
  source = null;
  hadError = false;
  setStatus('connecting');
}

// Back on the network: don't wait out the backoff.
if (typeof window !== 'undefined') {
  window.addEventListener('online', () => {
    if (!retryTimer) return;
    clearTimeout(retryTimer);
    retryTimer = null;
    if (handlers.size > 0) open();
  });
}
