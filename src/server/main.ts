import type { FastifyInstance } from 'fastify';
import { loadConfig, type Config } from './config.ts';
import { assertSupportedPostgres, createDatabase, migrate, type Db } from './database.ts';
import { startEmbeddedPostgres, type EmbeddedDatabase } from './embedded-postgres.ts';
import { JobQueue } from './jobs.ts';
import { LiveHub } from './live.ts';
import { AuditSealer } from './audit-sealer.ts';
import { buildApp } from './app.ts';
import { loadMasterKeys } from './field-crypto.ts';
import { startEscalationWorker, systemClock } from '../modules/paging/paging.service.ts';
import { startCaringContactWorker } from '../modules/aftercare/caring-contacts.service.ts';
import { startOutboxWorker } from '../modules/messaging/outbox.ts';
import { startFollowUpTimers } from '../modules/follow-ups/follow-up-timers.ts';

export interface RunningServer {
  url: string;
  app: FastifyInstance;
  db: Db;
  jobs: JobQueue;
  live: LiveHub;
  databaseUrl: string;
  stop(): Promise<void>;
}

/**
 * Starts Holdspace: the database (embedded unless DATABASE_URL is set), migrations,
 * the job queue, then HTTP. Each step is undone in reverse by `stop`.
 */
export async function startServer(config: Config, log: (line: string) => void = console.log): Promise<RunningServer> {
  let embedded: EmbeddedDatabase | undefined;
  if (!config.databaseUrl) {
    log(`Starting the embedded PostgreSQL in ${config.dataDir}`);
    embedded = await startEmbeddedPostgres(config.dataDir);
  }
  const databaseUrl = config.databaseUrl ?? embedded!.url;
  // Encryption at rest: HOLDSPACE_MASTER_KEY, or the data folder's key file (zero setup).
  await loadMasterKeys({ masterKey: config.masterKey, previousMasterKey: config.previousMasterKey, dataDir: config.dataDir }, log)
    .catch(async (err: unknown) => { await embedded?.stop(); throw err; });
  const { db } = createDatabase(databaseUrl, config.poolSize);
  const jobs = new JobQueue(databaseUrl);
  const undo: (() => Promise<void>)[] = [];
  try {
    undo.push(async () => embedded?.stop());
    undo.push(() => db.destroy());
    await assertSupportedPostgres(db);
    const applied = await migrate(db);
    if (applied.length) log(`Applied migrations: ${applied.join(', ')}`);
    await jobs.start();
    undo.push(() => jobs.stop());
    const sealer = new AuditSealer(db);
    await sealer.start();
    undo.push(() => sealer.stop());
    const live = new LiveHub(databaseUrl);
    await live.start();
    undo.push(() => live.stop());
    const escalations = await startEscalationWorker({ db, jobs, live, clock: systemClock });
    undo.push(() => escalations.stop());
    const followUpTimers = await startFollowUpTimers({ db, jobs, live, clock: systemClock });
    undo.push(() => followUpTimers.stop());
    const caringContacts = await startCaringContactWorker({ db, jobs, clock: systemClock });
    undo.push(() => caringContacts.stop());
    // Twilio's status callbacks need the public address (HOLDSPACE_PUBLIC_URL); without it texts stay "sent".
    const outbox = await startOutboxWorker({ db, jobs, live, clock: systemClock, publicUrl: config.publicUrl ?? null });
    undo.push(() => outbox.stop());
    const app = await buildApp({ db, jobs, live, config });
    await app.listen({ port: config.port, host: config.host });
    undo.push(() => app.close());
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    const url = `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${port}`;
    let stopping: Promise<void> | undefined;
    return {
      url, app, db, jobs, live, databaseUrl,
      stop: () => (stopping ??= runInReverse(undo)),
    };
  } catch (err) {
    await runInReverse(undo);
    throw err;
  }
}

async function runInReverse(steps: (() => Promise<void>)[]) {
  for (const step of [...steps].reverse()) {
    await step().catch((err: unknown) => console.error('While stopping:', err));
  }
}

/**
 * embedded-postgres registers its own SIGINT/SIGTERM/SIGHUP handlers that stop
 * PostgreSQL and exit at once, racing our orderly shutdown. Ours replace them.
 */
export function onShutdownSignal(handler: (signal: NodeJS.Signals) => void) {
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.removeAllListeners(signal);
    process.once(signal, () => handler(signal));
  }
}

async function main() {
  const config = loadConfig();
  const server = await startServer(config).catch((err: Error) => {
    console.error(`\nHoldspace could not start.\n${err.message}\n`);
    process.exit(1);
  });
  console.log(`\nHoldspace is running at ${server.url}\n`);
  onShutdownSignal((signal) => {
    console.log(`\n${signal} received: stopping Holdspace…`);
    server.stop().then(() => process.exit(0), () => process.exit(1));
  });
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/'))) {
  await main();
}
