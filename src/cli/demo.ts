import fs from 'node:fs/promises';
import path from 'node:path';
import { loadConfig } from '../server/config.ts';
import { onShutdownSignal, startServer } from '../server/main.ts';
import { DEMO_PASSWORD, DEMO_PEOPLE, seedDemoPractice } from './demo-seed.ts';

/**
 * `npm run demo`: Holdspace with a synthetic practice whose day is today. The demo has
 * a data folder of its own (./demo-data unless HOLDSPACE_DATA_DIR says otherwise) and
 * starts afresh each time, so the scenarios can be replayed; HOLDSPACE_DEMO_KEEP=1 keeps it.
 */
const config = loadConfig({ ...process.env, HOLDSPACE_DATA_DIR: process.env.HOLDSPACE_DATA_DIR ?? path.resolve('demo-data') });
const marker = path.join(config.dataDir, '.holdspace-demo');
if (process.env.HOLDSPACE_DEMO_KEEP !== '1' && (await fs.access(marker).then(() => true, () => false))) {
  await fs.rm(config.dataDir, { recursive: true, force: true });
}
await fs.mkdir(config.dataDir, { recursive: true });
const server = await startServer(config).catch((err: Error) => {
  console.error(`\nThe Holdspace demo could not start.\n${err.message}\n`);
  process.exit(1);
});
if (!(await fs.access(marker).then(() => true, () => false))) {
  console.log('Seeding the synthetic demo practice…');
  await seedDemoPractice(server.db);
  await fs.writeFile(marker, 'This folder holds the Holdspace demo; `npm run demo` replaces it.\n');
}
console.log(`\nHoldspace demo is running at ${server.url}\n\nSign in as any of (password "${DEMO_PASSWORD}"):`);
for (const p of DEMO_PEOPLE) console.log(`  ${p.role.padEnd(11)} ${p.name.padEnd(18)} ${p.email}`);
console.log('');
onShutdownSignal(() => void server.stop().then(() => process.exit(0), () => process.exit(1)));
