/**
 * The outbox: API writes kept in durable storage and sent in order, so what a clinician
 * does while the network is down is not lost and reaches the server when it returns.
 *
 * - A failure that says nothing about the write itself (no connection, a gateway error,
 *   a session that has to be renewed) keeps the item at the head of the queue and retries
 *   with backoff; `retryNow()` (the browser's `online` event) retries at once.
 * - A refusal (4xx) drops the item and records the problem, so the screen can say what
 *   was not accepted and why; the queue goes on with the next item.
 * - Resending after an ambiguous failure is safe: the server de-duplicates by the ids the
 *   browser made and put in the bodies (incident id + run id; event id).
 *
 * No DOM here: the storage, the sender and the timer are passed in (see outbox.ts).
 */
import { ApiError, type Problem } from '../api.ts';
import { readJson, writeJson, type KeyValueStorage } from './local-store.ts';

export type OutboxMethod = 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface OutboxItem {
  id: string;
  method: OutboxMethod;
  path: string;
  body?: unknown;
  createdAt: string;
  /** Failed sends so far. */
  attempts?: number;
}

export interface OutboxFailure {
  item: OutboxItem;
  problem: Problem;
  failedAt: string;
}

export type OutboxEvent =
  | { type: 'queued'; item: OutboxItem }
  | { type: 'sent'; item: OutboxItem; data: unknown }
  | { type: 'refused'; item: OutboxItem; problem: Problem }
  | { type: 'waiting'; item: OutboxItem; problem: Problem; retryInMs: number }
  | { type: 'changed' };

export interface OutboxDeps {
  storage: KeyValueStorage;
  /** Sends one write; resolves with the response body, throws (ApiError, TypeError…) when it fails. */
  send: (item: OutboxItem) => Promise<unknown>;
  newId: () => string;
  now?: () => Date;
  /** Runs `fn` after `ms`; returns a cancel function. */
  schedule?: (fn: () => void, ms: number) => () => void;
  key?: string;
}

export const OUTBOX_KEY = 'holdspace.outbox';
export const FIRST_RETRY_MS = 1_000;
export const MAX_RETRY_MS = 30_000;
/** A 500 may be a passing fault; after this many the write is given up and shown. */
export const MAX_SERVER_ERROR_ATTEMPTS = 5;
const MAX_FAILURES_KEPT = 50;

/** Statuses where the server did not judge the write: try again later. */
const RETRY_STATUSES = new Set([0, 408, 425, 429, 502, 503, 504]);
/** Refusals that are about the browser's session, not the write (sign in again, token not loaded yet). */
const RETRY_CODES = new Set(['NOT_SIGNED_IN', 'SESSION_EXPIRED', 'CSRF_TOKEN_INVALID', 'TOTP_ENROLLMENT_REQUIRED']);

export type FailureVerdict = { retry: true; network: boolean; problem: Problem } | { retry: false; problem: Problem };

/** Decides whether a failed send is kept for another try or dropped as refused. */
export function judgeFailure(err: unknown, attempts: number): FailureVerdict {
  if (err instanceof ApiError) {
    const { problem } = err;
    if (RETRY_STATUSES.has(problem.status)) return { retry: true, network: true, problem };
    if (problem.code !== undefined && RETRY_CODES.has(problem.code)) return { retry: true, network: false, problem };
    if (problem.status >= 500 && attempts < MAX_SERVER_ERROR_ATTEMPTS) return { retry: true, network: false, problem };
    return { retry: false, problem };
  }
  // fetch rejects with a TypeError when there is no connection at all.
  if (err instanceof TypeError) {
    return { retry: true, network: true, problem: { status: 0, code: 'NETWORK', detail: 'No connection to Holdspace.' } };
  }
  const problem: Problem = { status: 0, detail: err instanceof Error ? err.message : 'The request could not be sent.' };
  return attempts < MAX_SERVER_ERROR_ATTEMPTS ? { retry: true, network: false, problem } : { retry: false, problem };
}

export function retryDelay(consecutiveFailures: number): number {
  return Math.min(FIRST_RETRY_MS * 2 ** Math.max(0, consecutiveFailures - 1), MAX_RETRY_MS);
}

export class Outbox {
  private readonly key: string;
  private readonly failedKey: string;
  private readonly listeners = new Set<(e: OutboxEvent) => void>();
  private running: Promise<void> | null = null;
  private again = false;
  private cancelRetry: (() => void) | null = null;
  private consecutiveFailures = 0;
  private down = false;

  constructor(private readonly deps: OutboxDeps) {
    this.key = deps.key ?? OUTBOX_KEY;
    this.failedKey = `${this.key}.failed`;
  }

  /** Writes waiting to be sent, oldest first. */
  items(): OutboxItem[] {
    const items = readJson<unknown>(this.deps.storage, this.key, []);
    return Array.isArray(items) ? (items as OutboxItem[]) : [];
  }

  /** Writes the server refused, most recent last. */
  failures(): OutboxFailure[] {
    const failed = readJson<unknown>(this.deps.storage, this.failedKey, []);
    return Array.isArray(failed) ? (failed as OutboxFailure[]) : [];
  }

  /** True after a send found no connection, until the server answers again. */
  get networkDown(): boolean {
    return this.down;
  }

  /** Adds a write to the end of the queue and starts sending. */
  enqueue(write: { method: OutboxMethod; path: string; body?: unknown }): OutboxItem {
    const item: OutboxItem = { id: this.deps.newId(), ...write, createdAt: this.now().toISOString() };
    this.save([...this.items(), item]);
    this.emit({ type: 'queued', item });
    void this.flush();
    return item;
  }

  /** Forgets a refusal once the person has seen it. */
  dismiss(itemId: string): void {
    writeJson(this.deps.storage, this.failedKey, this.failures().filter((f) => f.item.id !== itemId));
    this.emit({ type: 'changed' });
  }

  /** Retry now (the connection is back): cancels the backoff wait. */
  retryNow(): Promise<void> {
    this.cancelRetry?.();
    this.cancelRetry = null;
    this.consecutiveFailures = 0;
    return this.flush();
  }

  /** Sends queued writes in order until the queue is empty or a send has to wait. */
  flush(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.drain().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  subscribe(listener: (e: OutboxEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Another tab changed the stored queue. */
  notifyExternalChange(): void {
    this.emit({ type: 'changed' });
  }

  private async drain(): Promise<void> {
    do {
      this.again = false;
      if (this.cancelRetry) return; // a retry is already scheduled; it will drain
      for (let head = this.items()[0]; head; head = this.items()[0]) {
        const kept = await this.sendOne(head);
        if (!kept) return;
      }
    } while (this.again);
  }

  /** Sends one item; returns false when the queue has to wait. */
  private async sendOne(item: OutboxItem): Promise<boolean> {
    try {
      const data = await this.deps.send(item);
      this.remove(item.id);
      this.consecutiveFailures = 0;
      this.down = false;
      this.emit({ type: 'sent', item, data });
      return true;
    } catch (err) {
      const attempts = (item.attempts ?? 0) + 1;
      const verdict = judgeFailure(err, attempts);
      if (!verdict.retry) {
        this.remove(item.id);
        this.down = false;
        const failures = [...this.failures(), { item, problem: verdict.problem, failedAt: this.now().toISOString() }];
        writeJson(this.deps.storage, this.failedKey, failures.slice(-MAX_FAILURES_KEPT));
        this.emit({ type: 'refused', item, problem: verdict.problem });
        return true;
      }
      this.save(this.items().map((i) => (i.id === item.id ? { ...i, attempts } : i)));
      this.down = verdict.network;
      this.consecutiveFailures += 1;
      const retryInMs = retryDelay(this.consecutiveFailures);
      this.scheduleRetry(retryInMs);
      this.emit({ type: 'waiting', item, problem: verdict.problem, retryInMs });
      return false;
    }
  }

  private scheduleRetry(ms: number): void {
    const schedule = this.deps.schedule ?? defaultSchedule;
    this.cancelRetry?.();
    this.cancelRetry = schedule(() => {
      this.cancelRetry = null;
      void this.flush();
    }, ms);
  }

  private remove(id: string): void {
    this.save(this.items().filter((i) => i.id !== id));
  }

  private save(items: OutboxItem[]): void {
    writeJson(this.deps.storage, this.key, items);
  }

  private now(): Date {
    return this.deps.now?.() ?? new Date();
  }

  private emit(e: OutboxEvent): void {
    for (const l of [...this.listeners]) l(e);
  }
}

function defaultSchedule(fn: () => void, ms: number): () => void {
  const t = setTimeout(fn, ms);
  return () => clearTimeout(t);
}
