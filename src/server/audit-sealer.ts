import type { Db } from './database.ts';
import { practicesWithPendingEvents, sealPending } from '../modules/audit/audit.repository.ts';

/**
 * Links committed audit events into their practice's chain shortly after they commit,
 * by looking for pending events a few times a second. Every instance runs one; they
 * never collide (the chain's head is taken with SKIP LOCKED). All state is in
 * PostgreSQL, so a stopped sealer loses nothing: the next one seals the rest.
 */
export class AuditSealer {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;

  constructor(private readonly db: Db, private readonly intervalMs = 250) {}

  async start(): Promise<void> {
    await this.sealAll();
    this.timer = setInterval(() => {
      this.running ??= this.sealAll().finally(() => { this.running = null; });
    }, this.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  private async sealAll(): Promise<void> {
    // A failed round (PostgreSQL restarting) is simply tried again on the next tick.
    const practices = await practicesWithPendingEvents(this.db).catch(() => []);
    for (const practiceId of practices) {
      if (this.stopped) return;
      await sealPending(this.db, practiceId).catch(() => {});
    }
  }
}
