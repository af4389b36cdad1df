import { CompiledQuery, type Transaction } from 'kysely';
import PgBoss from 'pg-boss';

/**
 * pg-boss's `db` option for a Kysely transaction: a job sent with it exists exactly
 * when the transaction that needs it commits (`boss.send(name, data, { db: inTransaction(trx) })`).
 */
export function inTransaction(trx: Transaction<any>): PgBoss.Db {
  return { executeSql: (text, values) => trx.executeQuery(CompiledQuery.raw(text, values ?? [])) as Promise<{ rows: any[] }> };
}

/**
 * The job queue (pg-boss) in the same PostgreSQL: escalations, reminders and the
 * outbox live here so they survive a restart and are shared by every instance.
 */
export class JobQueue {
  readonly boss: PgBoss;
  private started = false;
  private readonly queues = new Map<string, Promise<void>>();
  private lastError: string | null = null;

  constructor(databaseUrl: string) {
    this.boss = new PgBoss({ connectionString: databaseUrl, schema: 'pgboss', max: 4, application_name: 'holdspace-jobs' });
    this.boss.on('error', (err) => {
      this.lastError = err.message;
    });
  }

  async start(): Promise<void> {
    await this.boss.start();
    this.started = true;
  }

  async stop(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    await this.boss.stop({ graceful: true, wait: true, timeout: 10_000 });
  }

  /**
   * Creates a queue once per job queue (pg-boss 10 inserts a job only into an existing
   * queue, and silently drops it otherwise). Idempotent across instances.
   */
  ensureQueue(name: string, options: Omit<PgBoss.Queue, 'name'>): Promise<void> {
    let ready = this.queues.get(name);
    if (!ready) {
      ready = this.createQueueRetrying(name, options);
      ready.catch(() => this.queues.delete(name));
      this.queues.set(name, ready);
    }
    return ready;
  }

  /**
   * pg-boss creates a queue's partition with DDL; two instances starting together can
   * deadlock on it (one is chosen as the victim). The queue creation is idempotent, so the
   * victim tries again after a short, jittered pause.
   */
  private async createQueueRetrying(name: string, options: Omit<PgBoss.Queue, 'name'>): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.boss.createQueue(name, { ...options, name });
        return;
      } catch (err) {
        const code = (err as { code?: string }).code;
        if (attempt >= 6 || (code !== '40P01' && code !== '23505' && code !== '42P07')) throw err;
        await new Promise((resolve) => setTimeout(resolve, 50 * attempt + Math.random() * 100));
      }
    }
  }

  /**
   * `boss.work`, but a worker that found jobs asks again at once instead of waiting out
   * its polling interval (pg-boss 10 waits the interval after every fetch), so a backlog
   * (escalations, reminders or messages falling due together) drains as fast as the
   * handler runs; an idle worker still polls at the interval. `workers` run side by side.
   */
  async workContinuously<T, R = unknown>(
    name: string, options: PgBoss.WorkOptions & { includeMetadata?: boolean }, handler: (jobs: PgBoss.JobWithMetadata<T>[]) => Promise<R>, workers = 1,
  ): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < workers; i++) {
      let id: string | undefined;
      id = await this.boss.work<T>(name, { ...options, includeMetadata: true }, async (jobs: PgBoss.JobWithMetadata<T>[]) => {
        try {
          return await handler(jobs);
        } finally {
          if (jobs.length > 0 && id !== undefined) this.boss.notifyWorker(id);
        }
      });
      ids.push(id);
    }
    return ids;
  }

  async health(): Promise<{ ok: boolean; detail: string }> {
    if (!this.started) return { ok: false, detail: 'the job queue is not started' };
    try {
      const version = await this.boss.schemaVersion();
      const queues = await this.boss.getQueues();
      return { ok: true, detail: `pg-boss schema ${String(version)}, ${queues.length} queues${this.lastError ? `; last error: ${this.lastError}` : ''}` };
    } catch (err) {
      return { ok: false, detail: (err as Error).message };
    }
  }
}
