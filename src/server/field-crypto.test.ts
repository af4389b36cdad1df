import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createTestApp, signedIn } from '../../test/support/app.ts';
import { createClient, createPractice } from '../../test/support/fixtures.ts';
import { emptySafetyPlan } from '../domain/safety-plan.ts';
import {
  clearDataKeyCache, currentMasterKeyId, decryptText, encryptText, FieldCryptoError, isEncrypted, loadMasterKeys, masterKeyId,
  rewrapDataKeys, rotateKeyFile, useMasterKeys, wrapsOf,
} from './field-crypto.ts';

const newKey = () => randomBytes(32).toString('base64');

describe('encryption at rest of narrative fields', async () => {
  const { app, db } = await createTestApp();
  const practice = await createPractice(db);
  const client = await createClient(db, practice);
  const clinician = await signedIn(app, practice.users.clinician);
  const SECRET_PLAN = 'Counting the ferries from the pier';
  const SECRET_NOTE = 'I felt the session slip when the anniversary came up';
  const noteId = randomUUID();

  // Every key change in this file starts from a known master key.
  let masterKey = newKey();
  useMasterKeys({ current: masterKey });
  clearDataKeyCache();

  async function writeThroughApi() {
    const plan = await clinician.put(`/api/clients/${client.id}/safety-plan`, {
      content: { ...emptySafetyPlan(), copingStrategies: [SECRET_PLAN] }, basedOnVersion: null,
    });
    expect(plan.statusCode, plan.body).toBe(201);
    const note = await clinician.post(`/api/clients/${client.id}/reflections`, { id: noteId, body: SECRET_NOTE });
    expect(note.statusCode, note.body).toBe(201);
  }

  async function readThroughApi() {
    const plan = await clinician.get(`/api/clients/${client.id}/safety-plan`);
    const note = await clinician.get(`/api/reflections/${noteId}`);
    return { plan, note };
  }

  it('stores the safety plan and the reflection as ciphertext: the database alone reveals no narrative', async () => {
    await writeThroughApi();
    const plan = await db.selectFrom('safety_plans').select('content').where('practice_id', '=', practice.practiceId).where('client_id', '=', client.id).executeTakeFirstOrThrow();
    const note = await db.selectFrom('reflection_notes').select('body').where('practice_id', '=', practice.practiceId).where('id', '=', noteId).executeTakeFirstOrThrow();
    for (const stored of [plan.content, note.body]) {
      expect(stored).toMatch(/^hsenc:v1:[0-9a-f-]{36}:[\w-]+:[\w-]+:[\w-]+$/);
      expect(isEncrypted(stored)).toBe(true);
    }
    expect(plan.content).not.toContain('ferries');
    expect(note.body).not.toContain('anniversary');
    // No plaintext substring anywhere in those tables' text.
    const { rows } = await sqlText(`select string_agg(content, '|') as t from safety_plans union all select string_agg(body, '|') from reflection_notes`);
    expect(rows.join('')).not.toMatch(/ferries|anniversary|session slip/);
    // The data key is stored wrapped, under the current master key.
    const keys = await db.selectFrom('data_keys').selectAll().where('practice_id', '=', practice.practiceId).execute();
    expect(keys).toHaveLength(1);
    expect(keys[0]!.master_key_id).toBe(masterKeyId(Buffer.from(masterKey, 'base64')));
    expect(keys[0]!.wrapped_key).not.toContain(masterKey);

    const { plan: planRes, note: noteRes } = await readThroughApi();
    expect(planRes.json().current.content.copingStrategies).toEqual([SECRET_PLAN]);
    expect(noteRes.json().body).toBe(SECRET_NOTE);
  });

  it('after rotating the master key, everything still reads through the API; the old key is then no longer needed', async () => {
    const oldKey = masterKey;
    masterKey = newKey();
    // The switch: servers know both keys; the command re-wraps under the new one.
    useMasterKeys({ current: masterKey, previous: oldKey });
    const { rewrapped } = await rewrapDataKeys(db);
    expect(rewrapped).toBeGreaterThanOrEqual(1);
    const keys = await db.selectFrom('data_keys').select('master_key_id').execute();
    expect(new Set(keys.map((k) => k.master_key_id))).toEqual(new Set([currentMasterKeyId()]));
    // A fresh process (no cached data keys) with only the new key reads it all.
    useMasterKeys({ current: masterKey });
    clearDataKeyCache();
    const { plan, note } = await readThroughApi();
    expect(plan.statusCode).toBe(200);
    expect(plan.json().current.content.copingStrategies).toEqual([SECRET_PLAN]);
    expect(note.json().body).toBe(SECRET_NOTE);
    // The field ciphertext itself did not change: only the data key was re-wrapped.
    expect((await rewrapDataKeys(db)).rewrapped).toBe(0);
  });

  it('rolling restart: a practice\'s first data key made by a server with the new key is read by one still on the old key', async () => {
    const oldKey = masterKey;
    const nextKey = newKey();
    const [oldId, nextId] = [oldKey, nextKey].map((k) => masterKeyId(Buffer.from(k, 'base64')));
    // Each "server" is this process with that server's keys and a cold data key cache.
    const onOldServer = () => { useMasterKeys({ current: oldKey }); clearDataKeyCache(); };
    const onSwitchedServer = () => { useMasterKeys({ current: nextKey, previous: oldKey }); clearDataKeyCache(); };
    const onNewOnlyServer = () => { useMasterKeys({ current: nextKey }); clearDataKeyCache(); };
    try {
      onSwitchedServer();
      const first = await createPractice(db, 'First key on the new server');
      const fromSwitched = await encryptText(db, first.practiceId, 'Written on a server with the new key');
      const row = await db.selectFrom('data_keys').select(['master_key_id', 'wrapped_key']).where('practice_id', '=', first.practiceId).executeTakeFirstOrThrow();
      expect(row.master_key_id).toBe(nextId);
      expect([...wrapsOf(row).keys()]).toEqual([nextId, oldId]);

      onOldServer();
      expect(await decryptText(db, first.practiceId, fromSwitched)).toBe('Written on a server with the new key');
      expect((await readThroughApi()).note.json().body).toBe(SECRET_NOTE); // and its own practices' keys, as before
      const second = await createPractice(db, 'First key on the old server');
      const fromOld = await encryptText(db, second.practiceId, 'Written on a server with the old key');

      onSwitchedServer();
      expect(await decryptText(db, second.practiceId, fromOld)).toBe('Written on a server with the old key');
      expect(await decryptText(db, first.practiceId, fromSwitched)).toBe('Written on a server with the new key');
      expect((await readThroughApi()).note.json().body).toBe(SECRET_NOTE);

      // A server with neither key names the key ids the data key is wrapped under.
      useMasterKeys({ current: newKey() });
      clearDataKeyCache();
      await expect(decryptText(db, first.practiceId, fromSwitched)).rejects.toThrow(`wrapped by master key ${nextId} or ${oldId}, which this server does not have`);

      // Every server has both keys: `keys rotate` leaves each data key under the new key alone.
      onSwitchedServer();
      await rewrapDataKeys(db);
      const rows = await db.selectFrom('data_keys').select(['master_key_id', 'wrapped_key']).execute();
      expect(rows.every((r) => r.master_key_id === nextId && wrapsOf(r).size === 1)).toBe(true);
      onNewOnlyServer();
      expect(await decryptText(db, first.practiceId, fromSwitched)).toBe('Written on a server with the new key');
      expect(await decryptText(db, second.practiceId, fromOld)).toBe('Written on a server with the old key');
      expect((await readThroughApi()).note.json().body).toBe(SECRET_NOTE);
      // The old key alone no longer opens anything.
      onOldServer();
      await expect(decryptText(db, first.practiceId, fromSwitched)).rejects.toThrow(`wrapped by master key ${nextId}, which this server does not have`);
    } finally {
      masterKey = nextKey;
      useMasterKeys({ current: masterKey });
      clearDataKeyCache();
    }
  });

  it('a wrong master key fails loudly, never returning garbage', async () => {
    useMasterKeys({ current: newKey() });
    clearDataKeyCache();
    try {
      const { plan, note } = await readThroughApi();
      expect(plan.statusCode).toBe(500);
      expect(note.statusCode).toBe(500);
      expect(plan.body).not.toContain('ferries');
      const stored = await db.selectFrom('reflection_notes').select('body').where('id', '=', noteId).executeTakeFirstOrThrow();
      await expect(decryptText(db, practice.practiceId, stored.body)).rejects.toThrow(/does not have/);
      // The same key id but forged wrapping (a key that claims to be the current one) fails the GCM tag of the wrapped key.
      await db.updateTable('data_keys').set({ master_key_id: currentMasterKeyId() }).where('practice_id', '=', practice.practiceId).execute();
      await expect(decryptText(db, practice.practiceId, stored.body)).rejects.toThrow(/could not be unwrapped/);
    } finally {
      await db.updateTable('data_keys').set({ master_key_id: masterKeyId(Buffer.from(masterKey, 'base64')) }).where('practice_id', '=', practice.practiceId).execute();
      useMasterKeys({ current: masterKey });
      clearDataKeyCache();
    }
    expect((await readThroughApi()).note.json().body).toBe(SECRET_NOTE);
  });

  it('tampered ciphertext fails its GCM tag; ciphertext moved to another practice does not decrypt there', async () => {
    const stored = await encryptText(db, practice.practiceId, 'Exact words: "I have a plan"');
    expect(await decryptText(db, practice.practiceId, stored)).toBe('Exact words: "I have a plan"');
    const parts = stored.split(':');
    const ct = Buffer.from(parts[5]!, 'base64url');
    ct[0] = ct[0]! ^ 0x01;
    const tampered = [...parts.slice(0, 5), ct.toString('base64url')].join(':');
    await expect(decryptText(db, practice.practiceId, tampered)).rejects.toBeInstanceOf(FieldCryptoError);
    const badTag = [...parts.slice(0, 4), Buffer.alloc(16).toString('base64url'), parts[5]].join(':');
    await expect(decryptText(db, practice.practiceId, badTag)).rejects.toThrow(/integrity/);
    const other = await createPractice(db, 'Other');
    await expect(decryptText(db, other.practiceId, stored)).rejects.toBeInstanceOf(FieldCryptoError);
    clearDataKeyCache();
    await expect(decryptText(db, other.practiceId, stored)).rejects.toThrow(/does not exist/);
  });

  it('rows written before encryption pass through; two first writes at once make one data key', async () => {
    expect(await decryptText(db, practice.practiceId, 'written before issue 6')).toBe('written before issue 6');
    const fresh = await createPractice(db, 'Fresh');
    const texts = await Promise.all(Array.from({ length: 6 }, (_, i) => encryptText(db, fresh.practiceId, `note ${i}`)));
    expect(await db.selectFrom('data_keys').select('id').where('practice_id', '=', fresh.practiceId).execute()).toHaveLength(1);
    clearDataKeyCache();
    expect(await Promise.all(texts.map((t) => decryptText(db, fresh.practiceId, t)))).toEqual(Array.from({ length: 6 }, (_, i) => `note ${i}`));
    // Same plaintext, different ciphertext (a fresh IV each time).
    expect(await encryptText(db, fresh.practiceId, 'same')).not.toBe(await encryptText(db, fresh.practiceId, 'same'));
  });

  it('a data key made in a transaction that rolled back is not used afterwards', async () => {
    const fresh = await createPractice(db, 'Rollback');
    await db.transaction().execute(async (trx) => {
      await encryptText(trx, fresh.practiceId, 'lost');
      throw new Error('roll back');
    }).catch(() => {});
    const stored = await encryptText(db, fresh.practiceId, 'kept');
    clearDataKeyCache();
    expect(await decryptText(db, fresh.practiceId, stored)).toBe('kept');
  });

  it('zero setup: a master key file is made in the data folder (mode 600) and rotated there, the old key kept as previous', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'holdspace-keys-'));
    try {
      await loadMasterKeys({ dataDir: dir });
      const file = path.join(dir, 'master-key.json');
      expect((await fs.stat(file)).mode & 0o777).toBe(0o600);
      const first = JSON.parse(await fs.readFile(file, 'utf8')) as { current: string };
      expect(currentMasterKeyId()).toBe(masterKeyId(Buffer.from(first.current, 'base64')));
      const fresh = await createPractice(db, 'File');
      const stored = await encryptText(db, fresh.practiceId, 'under the file key');
      await loadMasterKeys({ dataDir: dir }); // a second start reads the same key
      expect(currentMasterKeyId()).toBe(masterKeyId(Buffer.from(first.current, 'base64')));
      // The other practices' keys are still under the earlier master key: bring them under the file's first.
      useMasterKeys({ current: first.current, previous: masterKey });
      await rewrapDataKeys(db);

      await rotateKeyFile(dir);
      const second = JSON.parse(await fs.readFile(file, 'utf8')) as { current: string; previous: string };
      expect(second.previous).toBe(first.current);
      expect((await fs.stat(file)).mode & 0o777).toBe(0o600);
      await rewrapDataKeys(db);
      useMasterKeys({ current: second.current });
      clearDataKeyCache();
      expect(await decryptText(db, fresh.practiceId, stored)).toBe('under the file key');
      // The other practices' keys were re-wrapped too: the API still reads.
      expect((await readThroughApi()).note.json().body).toBe(SECRET_NOTE);
      masterKey = second.current;
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses a master key that is not 32 bytes', () => {
    expect(() => useMasterKeys({ current: randomBytes(16).toString('base64') })).toThrow(/32 bytes/);
    useMasterKeys({ current: masterKey });
  });

  async function sqlText(query: string): Promise<{ rows: string[] }> {
    const { sql } = await import('kysely');
    const res = await sql.raw<{ t: string | null }>(query).execute(db);
    return { rows: res.rows.map((r) => r.t ?? '') };
  }
});
