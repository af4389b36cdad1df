#!/usr/bin/env node
// `npm test`: every test. Unit and integration tests (Vitest) on the embedded
// PostgreSQL, again on an external PostgreSQL when HOLDSPACE_TEST_EXTERNAL_DATABASE_URL
// names one, then the browser journeys (Playwright, Debian's Chromium).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const out = fs.mkdtempSync(path.join(os.tmpdir(), 'holdspace-results-'));
const totals = { passed: 0, failed: 0 };
let ok = true;

function run(label, command, args, env, resultFile, count) {
  console.log(`\n=== ${label} ===\n`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  if (result.status !== 0) ok = false;
  try {
    const counted = count(JSON.parse(fs.readFileSync(resultFile, 'utf8')));
    totals.passed += counted.passed;
    totals.failed += counted.failed;
  } catch {
    if (result.status !== 0) totals.failed += 1; // the runner itself failed before reporting
  }
}

const vitestCount = (r) => ({ passed: r.numPassedTests, failed: r.numFailedTests });
const vitest = (file) => [path.join(root, 'node_modules/vitest/vitest.mjs'), 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${file}`];

run('Unit and integration tests: embedded PostgreSQL', process.execPath, vitest(path.join(out, 'embedded.json')),
  { HOLDSPACE_TEST_DATABASE_URL: '' }, path.join(out, 'embedded.json'), vitestCount);

const external = process.env.HOLDSPACE_TEST_EXTERNAL_DATABASE_URL;
if (external) {
  run('Integration tests: external PostgreSQL', process.execPath, vitest(path.join(out, 'external.json')),
    { HOLDSPACE_TEST_DATABASE_URL: external }, path.join(out, 'external.json'), vitestCount);
}

if (!fs.existsSync('/usr/bin/chromium')) {
  console.error('\nBrowser tests need Chromium: apt-get install -y chromium');
  ok = false;
  totals.failed += 1;
} else {
  const pwFile = path.join(out, 'playwright.json');
  run('Browser journeys (Playwright, Chromium)', process.execPath, [path.join(root, 'node_modules/@playwright/test/cli.js'), 'test'],
    { PLAYWRIGHT_JSON_OUTPUT_NAME: pwFile }, pwFile,
    (r) => ({ passed: r.stats.expected + r.stats.flaky, failed: r.stats.unexpected }));
}

console.log(`\n${totals.passed} passed, ${totals.failed} failed`);
process.exit(ok && totals.failed === 0 ? 0 : 1);
