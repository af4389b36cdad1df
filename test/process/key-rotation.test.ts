/**
 * Rotating the master key without downtime (issue 6, "a command rotates the master key
 * without downtime"): real server processes keep serving encrypted narrative while
 * `holdspace keys rotate` runs beside them, on an external database during a rolling
 * restart, and on the zero-setup embedded database whose folder the server holds.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createDatabase, type Db } from '../../src/server/database.ts';
import { runningEmbeddedDatabaseUrl } from '../../src/server/embedded-postgres.ts';
import { masterKeyId, wrapsOf } from '../../src/server/field-crypto.ts';
import { createTestDatabase } from '../support/database.ts';
import { createClient, createPractice, FIXTURE_PASSWORD } from '../support/fixtures.ts';
import {
  call, livePostmaster, newDataDir, removeDataDirs, runCli, ServerProcess, signIn, stopAllServers, type Session,
} from '../support/server-process.ts';

afterEach(stopAllServers);
afterAll(removeDataDirs, 60_000);

const newKey = () => randomBytes(32).toString('base64');
const idOf = (key: string) => masterKeyId(Buffer.from(key, 'base64'));

interface Note { id: string; body: string; session: Session; practiceId: string }

/** A clinician of a fixture practice writes a reflection (an encrypted narrative field) through a server. */
async function writeNote(db: Db, base: string, label: string): Promise<Note> {
  const practice = await createPractice(db, label);
  const client = await createClient(db, practice);
  const session = await signIn(base, { email: practice.users.clinician.email, password: FIXTURE_PASSWORD });
  const note = { id: randomUUID(), body: `${label}: the anniversary came up again`, session, practiceId: practice.practiceId };
  const res = await call(base, 'POST', `/api/clients/${client.id}/reflections`, { session, body: { id: note.id, body: note.body } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return note;
}

async function expectReads(base: string, notes: Note[]) {
  for (const note of notes) {
    const res = await call(base, 'GET', `/api/reflections/${note.id}`, { session: note.session });
    expect(res.status, `${base}: ${JSON.stringify(res.body)}`).toBe(200);
    expect(res.body.body).toBe(note.body);
  }
}

/** Reads every note through every server, over and over, until `until` settles; returns each failure. */
async function readWhile<T>(bases: string[], notes: Note[], until: Promise<T>): Promise<{ result: T; reads: number; failures: string[] }> {
  let done = false;
  const failures: string[] = [];
  let reads = 0;
  const loop = async () => {
    while (!done) {
      for (const base of bases) {
        for (const note of notes) {
          const res = await call(base, 'GET', `/api/reflections/${note.id}`, { session: note.session }).catch((err: Error) => ({ status: 0, body: err.message }));
          reads++;
          if (res.status !== 200 || res.body.body !== note.body) failures.push(`${base}: ${res.status} ${JSON.stringify(res.body)}`);
        }
      }
    }
  };
  const reading = loop();
  const result = await until.finally(() => { done = true; });
  await reading;
  return { result, reads, failures };
}

describe('master key rotation, external database, rolling restart of two servers', async () => {
  const { url, db } = await createTestDatabase();

  it('servers on the old and on the new key both read everything during the switch; keys rotate runs while they serve', async () => {
    const OLD = newKey();
    const NEW = newKey();
    const dataDir = await newDataDir();
    const env = (keys: Record<string, string>) => ({ DATABASE_URL: url, HOLDSPACE_DATA_DIR: dataDir, ...keys });
    const oldOnly = { HOLDSPACE_MASTER_KEY: OLD };
    const switching = { HOLDSPACE_MASTER_KEY: NEW, HOLDSPACE_MASTER_KEY_PREVIOUS: OLD };
    const newOnly = { HOLDSPACE_MASTER_KEY: NEW };

    // First, both servers run on the old key; a practice's notes are under it.
    const a = new ServerProcess('server A (old key)', env(oldOnly));
    let b = new ServerProcess('server B (old key)', env(oldOnly));
    const [baseA, baseB1] = await Promise.all([a.ready, b.ready]);
    const before = await writeNote(db, baseA, 'Before the switch');

    // The rolling restart begins: B comes back with the new key (the old one as previous).
    // Through B, another practice writes its first encrypted field: its first data key.
    await b.stop();
    b = new ServerProcess('server B (switching)', env(switching));
    const baseB = await b.ready;
    expect(baseB).not.toBe(baseB1);
    const during = await writeNote(db, baseB, 'During the switch');
    const keyRow = await db.selectFrom('data_keys').select(['master_key_id', 'wrapped_key']).where('practice_id', '=', during.practiceId).executeTakeFirstOrThrow();
    expect(keyRow.master_key_id).toBe(idOf(NEW));
    expect([...wrapsOf(keyRow).keys()]).toEqual([idOf(NEW), idOf(OLD)]);
    // A, still on the old key alone, reads the key B made; B reads what A made.
    await expectReads(baseA, [before, during]);
    await expectReads(baseB, [before, during]);

    // A restarts with both keys too; then the command re-wraps while both serve reads.
    await a.stop();
    const a2 = new ServerProcess('server A (switching)', env(switching));
    const baseA2 = await a2.ready;
    const { result: rotated, reads, failures } = await readWhile([baseA2, baseB], [before, during], runCli(['keys', 'rotate'], env(switching)));
    expect(rotated.code, rotated.stdout + rotated.stderr).toBe(0);
    expect(rotated.stdout).toMatch(new RegExp(`Master key ${idOf(NEW)}: [1-9]\\d* data key\\(s\\) re-wrapped`));
    expect(reads).toBeGreaterThan(0);
    expect(failures).toEqual([]);
    const rows = await db.selectFrom('data_keys').select(['master_key_id', 'wrapped_key']).execute();
    expect(rows.length).toBeGreaterThanOrEqual(2);
    expect(rows.every((r) => r.master_key_id === idOf(NEW) && wrapsOf(r).size === 1)).toBe(true);

    // The old key leaves: servers with the new key alone (cold caches) read everything.
    await Promise.all([a2.stop(), b.stop()]);
    const a3 = new ServerProcess('server A (new key)', env(newOnly));
    const b3 = new ServerProcess('server B (new key)', env(newOnly));
    const [baseA3, baseB3] = await Promise.all([a3.ready, b3.ready]);
    await expectReads(baseA3, [before, during]);
    await expectReads(baseB3, [before, during]);
    const status = await runCli(['keys', 'status'], env(newOnly));
    expect(status.code, status.stdout + status.stderr).toBe(0);
    expect(status.stdout).toContain(`current  ${idOf(NEW)}: ${rows.length} data key(s)`);
  }, 4 * 60_000);
});

describe('master key rotation, zero-setup embedded database held by a running server', () => {
  it('keys rotate shares the running server\'s PostgreSQL (postmaster.pid) instead of refusing the locked folder', async () => {
    const dataDir = await newDataDir();
    const server = new ServerProcess('server (embedded)', { HOLDSPACE_DATA_DIR: dataDir });
    const base = await server.ready;
    const postmaster = await livePostmaster(dataDir);
    const pidFile = await fs.readFile(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8');
    const dbUrl = await runningEmbeddedDatabaseUrl(dataDir);
    expect(dbUrl).toContain(`@127.0.0.1:${pidFile.split('\n')[3]}/holdspace`);
    const { db } = createDatabase(dbUrl!, 2);
    try {
      const note = await writeNote(db, base, 'Embedded');
      const keyFile = path.join(dataDir, 'master-key.json');
      const first = JSON.parse(await fs.readFile(keyFile, 'utf8')) as { current: string };

      const { result: rotated, reads, failures } = await readWhile([base], [note], runCli(['keys', 'rotate'], { HOLDSPACE_DATA_DIR: dataDir }));
      expect(rotated.code, rotated.stdout + rotated.stderr).toBe(0);
      expect(rotated.stdout).toContain('New master key written to');
      expect(rotated.stdout).toMatch(/: 1 data key\(s\) re-wrapped, 0 already under it/);
      expect(reads).toBeGreaterThan(0);
      expect(failures).toEqual([]);
      // The server and its PostgreSQL carried on; the folder is still the server's.
      expect(await livePostmaster(dataDir)).toBe(postmaster);
      expect((await fs.readFile(path.join(dataDir, 'holdspace.lock'), 'utf8')).trim()).toBe(String(server.serverPid()));
      const second = JSON.parse(await fs.readFile(keyFile, 'utf8')) as { current: string; previous: string };
      expect(second.previous).toBe(first.current);
      const rows = await db.selectFrom('data_keys').select(['master_key_id', 'wrapped_key']).execute();
      expect(rows.map((r) => [r.master_key_id, wrapsOf(r).size])).toEqual([[idOf(second.current), 1]]);

      // A second practice's first data key, made after the rotation by the server that started on the old key, is under the new one.
      const after = await writeNote(db, base, 'After');
      expect((await db.selectFrom('data_keys').select('master_key_id').execute()).map((r) => r.master_key_id)).toEqual([idOf(second.current), idOf(second.current)]);
      const status = await runCli(['keys', 'status'], { HOLDSPACE_DATA_DIR: dataDir });
      expect(status.code, status.stdout + status.stderr).toBe(0);

      // After a restart (cold caches), the server reads with the new key from the file.
      await server.stop();
      const restarted = new ServerProcess('server (embedded, restarted)', { HOLDSPACE_DATA_DIR: dataDir });
      const base2 = await restarted.ready;
      await expectReads(base2, [note, after]);
    } finally {
      await db.destroy();
    }
  }, 4 * 60_000);
});
