/**
 * The protocol catalog, cached in the browser so the emergency control and a protocol
 * render without waiting for the network. Owned by the incident screen's author.
 *
 * The cached copy (localStorage `holdspace.protocols`, with the practice's parameter
 * values already applied by the server) is served at once and refreshed in the
 * background. With nothing cached yet (first use on this device, offline), the built-in
 * definitions stand in, with their default parameters.
 */
import { useEffect, useSyncExternalStore } from 'react';
import { BUILT_IN_PROTOCOLS, builtInProtocol } from '../../domain/protocols/catalog.ts';
import type { ProtocolDefinition } from '../../domain/protocols/definition.ts';
import { api } from '../api.ts';
import { browserStorage, readJson, writeJson } from './local-store.ts';

export const PROTOCOLS_KEY = 'holdspace.protocols';

interface CachedCatalog {
  protocols: ProtocolDefinition[];
  etag: string;
  savedAt: string;
}

interface CatalogState {
  protocols: ProtocolDefinition[];
  /** Served from the cache (or the built-ins) without a successful refresh yet. */
  stale: boolean;
}

let state: CatalogState | null = null;
let refreshing: Promise<void> | null = null;
const listeners = new Set<() => void>();

function readCache(): CachedCatalog | null {
  const cached = readJson<CachedCatalog | null>(browserStorage(), PROTOCOLS_KEY, null);
  return cached && Array.isArray(cached.protocols) && cached.protocols.length > 0 ? cached : null;
}

function current(): CatalogState {
  return (state ??= { protocols: readCache()?.protocols ?? [...BUILT_IN_PROTOCOLS], stale: true });
}

function set(next: CatalogState): void {
  state = next;
  for (const l of [...listeners]) l();
}

/** Fetches the catalog and caches it; a failure leaves the cached copy in place (stale). */
export function refreshProtocols(): Promise<void> {
  refreshing ??= api
    .get<{ protocols: ProtocolDefinition[]; etag: string }>('/api/protocols')
    .then((r) => {
      writeJson(browserStorage(), PROTOCOLS_KEY, { protocols: r.protocols, etag: r.etag, savedAt: new Date().toISOString() });
      set({ protocols: r.protocols, stale: false });
    })
    .catch(() => {
      // Offline or refused: keep serving what we have.
    })
    .finally(() => {
      refreshing = null;
    });
  return refreshing;
}

/** A protocol by key from the cache, else the built-in one; no network. */
export function cachedProtocol(key: string): ProtocolDefinition | undefined {
  return current().protocols.find((p) => p.key === key) ?? builtInProtocol(key);
}

function subscribe(onChange: () => void): () => void {
  listeners.add(onChange);
  return () => listeners.delete(onChange);
}

export function useProtocols(): { protocols: ProtocolDefinition[]; stale: boolean } {
  const catalog = useSyncExternalStore(subscribe, current, current);
  const stale = catalog.stale;
  useEffect(() => {
    if (stale) void refreshProtocols();
    const again = () => void refreshProtocols();
    window.addEventListener('online', again);
    return () => window.removeEventListener('online', again);
  }, [stale]);
  return catalog;
}
