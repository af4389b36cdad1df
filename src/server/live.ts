import pg from 'pg';
import { sql, type Kysely } from 'kysely';

/**
 * Live updates across server instances: a change is announced with PostgreSQL NOTIFY
 * after its transaction commits, every instance LISTENs on one dedicated connection and
 * hands the message to the Server-Sent Event streams of the people it is addressed to.
 * Messages carry ids and short labels only; browsers fetch details through the API,
 * which checks access and audits the read.
 */
export const LIVE_CHANNEL = 'holdspace_live';
/** PostgreSQL refuses NOTIFY payloads of 8000 bytes or more. */
export const MAX_PAYLOAD = 7900;

export interface LiveMessage {
  type: 'page' | 'page.updated' | 'incident.updated' | 'notification' | 'message.updated' | 'session.alert' | 'resync';
  practiceId: string;
  /** Who should receive it; nobody else's stream sees it. */
  userIds: string[];
  data: Record<string, unknown>;
}
export type LiveListener = (message: LiveMessage) => void;

export class LiveHub {
  private client: pg.Client | null = null;
  private readonly listeners = new Map<string, Set<LiveListener>>();
  private stopped = false;
  private retryMs = 250;

  constructor(private readonly databaseUrl: string) {}

  async start(): Promise<void> {
    this.stopped = false;
    await this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => {});
  }

  get connected(): boolean {
    return this.client !== null;
  }

  /** Listens for one person's messages; returns the function that stops listening. */
  subscribe(practiceId: string, userId: string, listener: LiveListener): () => void {
    const key = `${practiceId}:${userId}`;
    let set = this.listeners.get(key);
    if (!set) this.listeners.set(key, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(key);
    };
  }

  get subscriberCount(): number {
    let n = 0;
    for (const set of this.listeners.values()) n += set.size;
    return n;
  }

  /**
   * Announces a committed change to every instance. Call it after the commit, outside
   * the transaction: a transaction that notifies takes a cluster-wide lock at commit.
   */
  async publish(db: Kysely<any>, message: LiveMessage): Promise<void> {
    await this.publishAll(db, [message]);
  }

  /** Announces several messages in one round trip, in order (one autocommit statement). */
  async publishAll(db: Kysely<any>, messages: readonly LiveMessage[]): Promise<void> {
    const payloads = messages.flatMap((m) => notifyPayloads(m));
    if (payloads.length === 0) return;
    await sql`select pg_notify(${LIVE_CHANNEL}, p) from unnest(${payloads}::text[]) as p`.execute(db);
  }

  /** Delivers a message to this instance's listeners (what a notification does). */
  deliver(message: LiveMessage): void {
    for (const userId of new Set(message.userIds)) {
      for (const listener of [...(this.listeners.get(`${message.practiceId}:${userId}`) ?? [])]) {
        try {
          listener(message);
        } catch {
          // one broken stream must not keep the message from the others
        }
      }
    }
  }

  private async connect(): Promise<void> {
    // keepAlive: a connection lost without a FIN (a dropped network) is noticed and replaced.
    const client = new pg.Client({ connectionString: this.databaseUrl, application_name: 'holdspace-live', keepAlive: true });
    client.on('notification', (n) => {
      if (n.channel !== LIVE_CHANNEL || !n.payload) return;
      try {
        this.deliver(JSON.parse(n.payload) as LiveMessage);
      } catch {
        // a malformed payload is not ours to deliver
      }
    });
    client.on('error', () => this.reconnect(client));
    client.on('end', () => this.reconnect(client));
    await client.connect();
    await client.query(`listen ${LIVE_CHANNEL}`);
    this.client = client;
    this.retryMs = 250;
  }

  /** After a lost connection: reconnect with backoff and tell every stream to refetch what it may have missed. */
  private reconnect(lost: pg.Client): void {
    if (this.stopped || this.client !== lost) return;
    this.client = null;
    lost.end().catch(() => {});
    const attempt = () => {
      if (this.stopped) return;
      this.connect().then(() => {
        const resync: LiveMessage = { type: 'resync', practiceId: '', userIds: [], data: {} };
        for (const set of this.listeners.values()) {
          for (const l of [...set]) {
            try { l(resync); } catch { /* as in deliver */ }
          }
        }
      }, () => {
        this.retryMs = Math.min(this.retryMs * 2, 5000);
        setTimeout(attempt, this.retryMs).unref();
      });
    };
    setTimeout(attempt, this.retryMs).unref();
  }
}

/**
 * The NOTIFY payloads for one message: itself when it fits, else one per group of
 * recipients, and for a single recipient, its data cut down to the ids (browsers
 * refetch details anyway).
 */
export function notifyPayloads(message: LiveMessage): string[] {
  const whole = JSON.stringify(message);
  if (Buffer.byteLength(whole) <= MAX_PAYLOAD) return [whole];
  if (message.userIds.length > 1) {
    const half = Math.ceil(message.userIds.length / 2);
    return [
      ...notifyPayloads({ ...message, userIds: message.userIds.slice(0, half) }),
      ...notifyPayloads({ ...message, userIds: message.userIds.slice(half) }),
    ];
  }
  return [JSON.stringify({ ...message, data: pick(message.data, ['incidentId', 'pageId', 'id', 'status']) })];
}

function pick(data: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.filter((k) => k in data).map((k) => [k, data[k]]));
}
