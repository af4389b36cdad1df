import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs/promises';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { createDatabase, migrate } from '../../src/server/database.ts';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../../src/server/embedded-postgres.ts';
import { JobQueue } from '../../src/server/jobs.ts';

/**
 * One PostgreSQL server for the whole run: the embedded one by default, or the one at
 * HOLDSPACE_TEST_DATABASE_URL. A migrated template database is built once; each test
 * file copies it into a database of its own.
 */
declare module 'vitest' {
  export interface ProvidedContext {
    adminDatabaseUrl: string;
    templateDatabase: string;
    databaseKind: string;
  }
}

export default async function setup(project: TestProject) {
  let embedded: EmbeddedDatabase | undefined;
  let dataDir: string | undefined;
  let adminUrl = process.env.HOLDSPACE_TEST_DATABASE_URL;
  if (!adminUrl) {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'holdspace-test-'));
    await fs.chmod(dataDir, 0o755);
    embedded = await startEmbeddedPostgres(dataDir);
    adminUrl = embedded.url;
  }
  const template = `holdspace_template_${process.pid}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`drop database if exists ${template}`);
  await admin.query(`create database ${template}`);
  const templateUrl = withDatabase(adminUrl, template);
  const { db } = createDatabase(templateUrl, 2);
  await migrate(db);
  await db.destroy();
  const jobs = new JobQueue(templateUrl); // installs pg-boss's schema into the template
  await jobs.start();
  await jobs.stop();
  const version = await admin.query<{ server_version: string }>('show server_version');

  project.provide('adminDatabaseUrl', adminUrl);
  project.provide('templateDatabase', template);
  project.provide('databaseKind', `${embedded ? 'embedded' : 'external'} PostgreSQL ${version.rows[0]?.server_version}`);
  console.log(`Integration tests on ${embedded ? 'embedded' : 'external'} PostgreSQL ${version.rows[0]?.server_version}`);

  return async () => {
    await admin.query(`drop database if exists ${template}`).catch(() => {});
    await admin.end();
    await embedded?.stop();
    if (dataDir) await fs.rm(dataDir, { recursive: true, force: true });
  };
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}
