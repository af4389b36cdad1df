import { parseArgs } from 'node:util';
import { loadConfig } from '../server/config.ts';
import { createDatabase, migrate } from '../server/database.ts';
import { openEmbeddedPostgres, type EmbeddedDatabase } from '../server/embedded-postgres.ts';
import { verifyAllChains } from '../modules/audit/audit.service.ts';
import { currentMasterKeyId, loadMasterKeys, rewrapDataKeys, rotateKeyFile, wrapsOf } from '../server/field-crypto.ts';

const USAGE = `Usage: holdspace <command>

Commands:
  migrate          apply pending database migrations
  audit verify     check every practice's audit chain; names the first broken event
  keys rotate      re-wrap every data key under the new master key (HOLDSPACE_MASTER_KEY) alone,
                   reading with HOLDSPACE_MASTER_KEY_PREVIOUS; servers keep running (run it
                   once every server has both keys).
                   Without HOLDSPACE_MASTER_KEY: makes a new key in the data folder's
                   master-key.json (the old one kept as "previous") and re-wraps under it
  keys status      which master key wraps how many data keys

The database is DATABASE_URL, or the embedded one in HOLDSPACE_DATA_DIR (default ./data):
the running server's when Holdspace runs on that folder, otherwise started for the command.`;

async function withDatabase<T>(work: (db: ReturnType<typeof createDatabase>['db']) => Promise<T>): Promise<T> {
  const config = loadConfig();
  let embedded: EmbeddedDatabase | undefined;
  // Beside a running server the command shares its embedded PostgreSQL (keys rotate runs live).
  if (!config.databaseUrl) embedded = await openEmbeddedPostgres(config.dataDir);
  const { db } = createDatabase(config.databaseUrl ?? embedded!.url, 2);
  try {
    return await work(db);
  } finally {
    await db.destroy();
    await embedded?.stop();
  }
}

async function run(argv: string[]): Promise<number> {
  const { positionals } = parseArgs({ args: argv, allowPositionals: true, strict: true });
  const command = positionals.join(' ');
  switch (command) {
    case 'migrate':
      return withDatabase(async (db) => {
        const applied = await migrate(db);
        console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'The database is up to date.');
        return 0;
      });
    case 'audit verify':
      return withDatabase(async (db) => {
        const verdicts = await verifyAllChains(db);
        for (const v of verdicts) {
          console.log(v.ok
            ? `ok      practice ${v.practiceId}: ${v.checked} events`
            : `BROKEN  practice ${v.practiceId}: event ${v.firstBroken!.seq}: ${v.firstBroken!.reason} (${v.checked} events verified before it)`);
        }
        return verdicts.every((v) => v.ok) ? 0 : 1;
      });
    case 'keys rotate':
      return withDatabase(async (db) => {
        const config = loadConfig();
        if (config.masterKey) {
          await loadMasterKeys({ masterKey: config.masterKey, previousMasterKey: config.previousMasterKey, dataDir: config.dataDir });
        } else {
          // Zero setup: the key lives in the data folder. The new key becomes current, the old one previous.
          const file = await rotateKeyFile(config.dataDir);
          console.log(`New master key written to ${file} (the old one kept as "previous").`);
        }
        const { rewrapped, alreadyCurrent } = await rewrapDataKeys(db, (line) => console.log(line));
        console.log(`Master key ${currentMasterKeyId()}: ${rewrapped} data key(s) re-wrapped, ${alreadyCurrent} already under it.`);
        return 0;
      });
    case 'keys status':
      return withDatabase(async (db) => {
        const config = loadConfig();
        await loadMasterKeys({ masterKey: config.masterKey, previousMasterKey: config.previousMasterKey, dataDir: config.dataDir });
        const current = currentMasterKeyId();
        const rows = await db.selectFrom('data_keys').select(['master_key_id', 'wrapped_key']).execute();
        const under = new Map<string, number>();
        const alsoUnder = new Map<string, number>();
        for (const row of rows) {
          under.set(row.master_key_id, (under.get(row.master_key_id) ?? 0) + 1);
          for (const id of [...wrapsOf(row).keys()].slice(1)) alsoUnder.set(id, (alsoUnder.get(id) ?? 0) + 1);
        }
        console.log(`current master key: ${current}`);
        for (const [id, n] of under) console.log(`${id === current ? 'current ' : 'OTHER   '} ${id}: ${n} data key(s)`);
        for (const [id, n] of alsoUnder) {
          console.log(`also     ${id}: ${n} data key(s) made during a rotation also wrapped under it; run \`holdspace keys rotate\` once no server has that key`);
        }
        return [...under.keys()].every((id) => id === current) && alsoUnder.size === 0 ? 0 : 1;
      });
    default:
      console.log(USAGE);
      return command ? 2 : 0;
  }
}

run(process.argv.slice(2)).then((code) => process.exit(code), (err: Error) => {
  console.error(err.message);
  process.exit(1);
});
