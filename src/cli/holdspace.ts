import { parseArgs } from 'node:util';
import { loadConfig } from '../server/config.ts';
import { createDatabase, migrate } from '../server/database.ts';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../server/embedded-postgres.ts';
import { verifyAllChains } from '../modules/audit/audit.service.ts';
import { currentMasterKeyId, loadMasterKeys, rewrapDataKeys, rotateKeyFile } from '../server/field-crypto.ts';

const USAGE = `Usage: holdspace <command>

Commands:
  migrate          apply pending database migrations
  audit verify     check every practice's audit chain; names the first broken event
  keys rotate      re-wrap every data key under the new master key (HOLDSPACE_MASTER_KEY),
                   reading with HOLDSPACE_MASTER_KEY_PREVIOUS; servers keep running.
                   Without HOLDSPACE_MASTER_KEY: makes a new key in the data folder's
                   master-key.json (the old one kept as "previous") and re-wraps under it
  keys status      which master key wraps how many data keys

The database is DATABASE_URL, or the embedded one in HOLDSPACE_DATA_DIR (default ./data)
when Holdspace itself is not running on that folder.`;

async function withDatabase<T>(work: (db: ReturnType<typeof createDatabase>['db']) => Promise<T>): Promise<T> {
  const config = loadConfig();
  let embedded: EmbeddedDatabase | undefined;
  if (!config.databaseUrl) embedded = await startEmbeddedPostgres(config.dataDir);
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
        const rows = await db.selectFrom('data_keys').select(['master_key_id', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('master_key_id').execute();
        console.log(`current master key: ${currentMasterKeyId()}`);
        for (const r of rows) console.log(`${r.master_key_id === currentMasterKeyId() ? 'current ' : 'OTHER   '} ${r.master_key_id}: ${Number(r.n)} data key(s)`);
        return rows.every((r) => r.master_key_id === currentMasterKeyId()) ? 0 : 1;
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
