import pg from 'pg';
import type { Db } from './database.ts';
import { AUDIT_PENDING_CHANNEL, practicesWithPendingEvents, sealPending } from '../modules/audit/audit.repository.ts';

/**
 * Links committed audit events into their practice's chain soon after they commit.
 * Woken by NOTIFY from the committing transaction, from any server instance; a sweep
 * catches anything a notification missed (a restart, a dropped connection). All state
 * is in PostgreSQL, so a stopped sealer loses nothing: the next one seals the rest.
 */
export class AuditSealer {
  private listener: pg.Client | null = null;
  private readonly due = new Set<string>();
  private running: Promise<void> | null = null;
  private sweepTimer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(private readonly db: Db, private readonly databaseUrl: string, private readonly sweepMs = 2_000) {}

  async start(): Promise<void> {
    await this.listen();
    this.sweepTimer = setInterval(() => void this.sweep(), this.sweepMs);
    this.sweepTimer.unref();
    await this.sweep();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    await this.running;
    await this.listener?.end().catch(() => {});
  }

  private async listen(): Promise<void> {
    const client = new pg.Client({ connectionString: this.databaseUrl, application_name: 'holdspace-audit-sealer' });
    client.on('notification', (n) => n.payload && this.wake([n.payload]));
    client.on('error', () => {
      // PostgreSQL went away: sweep until we can listen again.
      this.listener = null;
      setTimeout(() => void this.reconnect(), 1_000).unref();
    });
    await client.connect();
    await client.query(`listen ${AUDIT_PENDING_CHANNEL}`);
    this.listener = client;
  }

  private async reconnect(): Promise<void> {
    if (this.stopped || this.listener) return;
    await this.listen().catch(() => setTimeout(() => void this.reconnect(), 2_000).unref());
  }

  private async sweep(): Promise<void> {
    if (this.stopped) return;
    const practices = await practicesWithPendingEvents(this.db).catch(() => []);
    this.wake(practices);
  }

  private wake(practiceIds: string[]): void {
    for (const id of practiceIds) this.due.add(id);
    if (!this.running && this.due.size > 0) this.running = this.drain().finally(() => { this.running = null; });
  }

  private async drain(): Promise<void> {
    while (this.due.size > 0 && !this.stopped) {
      const [practiceId] = this.due;
      this.due.delete(practiceId!);
      await sealPending(this.db, practiceId!).catch(() => this.due.add(practiceId!));
      if (this.due.has(practiceId!)) await new Promise((r) => setTimeout(r, 200));
    }
  }
}
