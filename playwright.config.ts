import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defineConfig } from '@playwright/test';

// A fresh data folder for the run (set once, inherited by the workers).
process.env.HOLDSPACE_E2E_DATA_DIR ??= fs.mkdtempSync(path.join(os.tmpdir(), 'holdspace-e2e-'));
fs.chmodSync(process.env.HOLDSPACE_E2E_DATA_DIR, 0o755);
const port = Number(process.env.HOLDSPACE_E2E_PORT ?? 3123);

export default defineConfig({
  testDir: 'e2e',
  // The journeys share one practice and build on each other, in file order.
  workers: 1,
  fullyParallel: false,
  timeout: 60_000,
  reporter: process.env.PLAYWRIGHT_JSON_OUTPUT_NAME ? [['list'], ['json']] : [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    viewport: { width: 1180, height: 820 }, // a landscape tablet
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    },
  },
  webServer: {
    command: 'node --import tsx src/cli/ensure-web-build.ts && node --import tsx src/server/main.ts',
    url: `http://127.0.0.1:${port}/api/health`,
    timeout: 180_000,
    reuseExistingServer: false,
    stdout: 'ignore',
    stderr: 'pipe',
    env: { PORT: String(port), HOLDSPACE_DATA_DIR: process.env.HOLDSPACE_E2E_DATA_DIR, HOLDSPACE_LOG_LEVEL: 'warn' },
  },
});
