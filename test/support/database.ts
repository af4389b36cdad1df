import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, inject } from 'vitest';
import { createDatabase, type Db } from '../../src/server/database.ts';
import { withDatabase } from './global-setup.ts';
import { useMasterKeys } from '../../src/server/field-crypto.ts';

// Encryption at rest: each test file has a master key of its own, as a server has HOLDSPACE_MASTER_KEY.
useMasterKeys({ current: randomBytes(32).toString('base64') });

/** A fresh, migrated database of this test file's own, dropped when the file ends. */
export async function createTestDatabase(): Promise<{ url: string; db: Db }> {
  const adminUrl = inject('adminDatabaseUrl');
  const name = `holdspace_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name} template ${inject('templateDatabase')}`);
  await admin.end();
  const url = withDatabase(adminUrl, name);
  const { db } = createDatabase(url, 5);
  afterAll(async () => {
    await db.destroy();
    const cleanup = new pg.Client({ connectionString: adminUrl });
    await cleanup.connect();
    await cleanup.query(`drop database if exists ${name} with (force)`);
    await cleanup.end();
  });
  return { url, db };
}
