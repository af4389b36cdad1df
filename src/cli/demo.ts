import path from 'node:path';
import { loadConfig } from '../server/config.ts';
import { onShutdownSignal, startServer } from '../server/main.ts';
import { isSetupRequired } from '../modules/practices/practices.service.ts';
import { DEMO_PASSWORD, DEMO_PEOPLE, seedDemoPractice } from './demo-seed.ts';

/**
 * `npm run demo`: Holdspace with a synthetic practice, in its own data folder
 * (./demo-data unless HOLDSPACE_DATA_DIR says otherwise), seeded on first start.
 */
const config = loadConfig({ HOLDSPACE_DATA_DIR: path.resolve('demo-data'), ...process.env });
const server = await startServer(config).catch((err: Error) => {
  console.error(`\nThe Holdspace demo could not start.\n${err.message}\n`);
  process.exit(1);
});
if (await isSetupRequired(server.db)) {
  await seedDemoPractice(server.db);
  console.log('Seeded the synthetic demo practice "Harbor Counseling (demo)".');
}
console.log(`\nHoldspace demo is running at ${server.url}\n\nSign in as any of (password "${DEMO_PASSWORD}"):`);
for (const p of DEMO_PEOPLE) console.log(`  ${p.role.padEnd(11)} ${p.name.padEnd(18)} ${p.email}`);
console.log('');
onShutdownSignal(() => void server.stop().then(() => process.exit(0), () => process.exit(1)));
