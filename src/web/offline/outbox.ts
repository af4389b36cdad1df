/**
 * The browser's outbox (localStorage `holdspace.outbox`): one per tab, shared by every
 * screen, sending through the API client (CSRF header, session end). See outbox-queue.ts
 * for the rules.
 */
import { useEffect, useSyncExternalStore } from 'react';
import { request, type Problem } from '../api.ts';
import { browserStorage } from './local-store.ts';
import { OUTBOX_KEY, Outbox, type OutboxEvent, type OutboxItem, type OutboxMethod } from './outbox-queue.ts';

export type { OutboxEvent, OutboxItem } from './outbox-queue.ts';

/** Give sign-in a moment to load the CSRF token before the first send after a reload. */
const FIRST_FLUSH_DELAY_MS = 1500;

let instance: Outbox | null = null;

export function outbox(): Outbox {
  if (instance) return instance;
  const box = new Outbox({
    storage: browserStorage(),
    send: (item) => request(item.method, item.path, item.body === undefined ? {} : { body: item.body }),
    newId: () => crypto.randomUUID(),
  });
  instance = box;
  if (typeof window !== 'undefined') {
    window.addEventListener('online', () => void box.retryNow());
    window.addEventListener('offline', () => box.notifyExternalChange());
    window.addEventListener('storage', (e) => {
      if (e.key === OUTBOX_KEY || e.key === `${OUTBOX_KEY}.failed`) box.notifyExternalChange();
    });
    window.setTimeout(() => void box.flush(), FIRST_FLUSH_DELAY_MS);
  }
  return box;
}

/** Queues a write; it is sent now if possible, or when the connection returns. */
export function queueWrite(method: OutboxMethod, path: string, body?: unknown): OutboxItem {
  return outbox().enqueue(body === undefined ? { method, path } : { method, path, body });
}

export interface OutboxStatus {
  pending: number;
  failed: { item: OutboxItem; problem: Problem }[];
  online: boolean;
}

let snapshot: OutboxStatus | null = null;
let snapshotKey = '';

function currentStatus(): OutboxStatus {
  const box = outbox();
  const items = box.items();
  const failures = box.failures();
  const online = (typeof navigator === 'undefined' || navigator.onLine) && !box.networkDown;
  const key = `${items.length}|${online}|${failures.map((f) => f.item.id).join(',')}`;
  if (!snapshot || key !== snapshotKey) {
    snapshot = { pending: items.length, failed: failures.map(({ item, problem }) => ({ item, problem })), online };
    snapshotKey = key;
  }
  return snapshot;
}

function subscribeStatus(onChange: () => void): () => void {
  return outbox().subscribe(onChange);
}

/** How many writes wait to be sent, which ones the server refused, and whether we are connected. */
export function useOutbox(): OutboxStatus {
  useEffect(() => {
    void outbox().flush();
  }, []);
  return useSyncExternalStore(subscribeStatus, currentStatus, currentStatus);
}

/** Calls `listener` with each outbox event (sent, refused, queued…) while mounted. */
export function useOutboxEvents(listener: (e: OutboxEvent) => void): void {
  useEffect(() => outbox().subscribe(listener), [listener]);
}

let itemsSnapshot: OutboxItem[] = [];
let itemsKey = '';

function currentItems(): OutboxItem[] {
  const items = outbox().items();
  const key = items.map((i) => `${i.id}:${i.attempts ?? 0}`).join(',');
  if (key !== itemsKey) {
    itemsSnapshot = items;
    itemsKey = key;
  }
  return itemsSnapshot;
}

/** The writes waiting to be sent, oldest first (re-renders when the queue changes). */
export function useOutboxItems(): OutboxItem[] {
  return useSyncExternalStore(subscribeStatus, currentItems, currentItems);
}
