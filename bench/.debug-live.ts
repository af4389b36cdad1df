import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/server/config.ts';
import { startServer } from '../src/server/main.ts';
import { pageToBrowserLoad, seedEmergencyPractice, signInEveryone } from './emergency.bench.ts';

const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'holdspace-bench-dbg-'));
await fs.chmod(dataDir, 0o755);
const server = await startServer(loadConfig({ PORT: '0', HOST: '127.0.0.1', HOLDSPACE_LOG_LEVEL: 'silent', HOLDSPACE_DATA_DIR: dataDir }), console.error);
try {
  const er = await seedEmergencyPractice(server.databaseUrl);
  const creds = await signInEveryone(server.url, er);
  const sup = er.supervisors[0]!;
  console.error('opening stream');
  const t = setTimeout(() => console.error('still waiting for headers after 5 s'), 5000);
  const res = await fetch(`${server.url}/api/live`, { headers: { accept: 'text/event-stream', cookie: creds.get(sup.id)!.cookie } });
  clearTimeout(t);
  console.error('status', res.status);
  const reader = res.body!.getReader();
  const { value } = await reader.read();
  console.error(new TextDecoder().decode(value));
  await reader.cancel();
  const f = await pageToBrowserLoad(server.url, server.databaseUrl, er, creds, { streams: 3, rate: 5, seconds: 2, warmupSeconds: 1 });
  console.error(JSON.stringify(f, null, 1));
} finally {
  await server.stop();
  await fs.rm(dataDir, { recursive: true, force: true });
}
