import PgBoss from 'pg-boss';

/**
 * The job queue (pg-boss) in the same PostgreSQL: escalations, reminders and the
 * outbox live here so they survive a restart and are shared by every instance.
 */
export class JobQueue {
  readonly boss: PgBoss;
  private started = false;
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
