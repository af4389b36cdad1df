import fs from 'node:fs/promises';
import path from 'node:path';
import { createCipheriv, createDecipheriv, createHmac, randomBytes, randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from './database.ts';

/**
 * Encryption at rest of narrative fields (safety plan content, reflection notes, incident
 * narrative and exact words): envelope encryption with node:crypto only.
 *
 * - Each practice has a data key (256 random bits) that encrypts its fields with
 *   AES-256-GCM, the practice id and key id bound in as additional authenticated data.
 * - The data key is stored wrapped (AES-256-GCM) by the master key, which never touches
 *   the database: it comes from HOLDSPACE_MASTER_KEY (base64, 32 bytes), or for the
 *   zero-setup start from `master-key.json` in the data folder (mode 600).
 * - Rotating the master key re-wraps the data keys only (`holdspace keys rotate`); the
 *   ciphertext of every field stays as it is. During the switch the app unwraps a data key
 *   with whichever configured master key wrapped it (data_keys.master_key_id).
 * - Rolling restart: while servers move to the new key one by one, some still have only
 *   the old one. A server given both (HOLDSPACE_MASTER_KEY_PREVIOUS set) therefore wraps a
 *   data key it creates under both, so a server still on the old key reads it too;
 *   `keys rotate` later leaves each key under the current master key alone. A server that
 *   holds none of a data key's master keys names the key ids it lacks. (The zero-setup
 *   key file serves one server, which re-reads the file when it meets a key id it lacks.)
 *
 * Wrapped form (data_keys.wrapped_key): "<iv>.<tag>.<ct>" under master_key_id, then for
 * each further master key ";<masterKeyId>=<iv>.<tag>.<ct>" (base64url parts).
 *
 * A field's stored form: "hsenc:v1:<dataKeyId>:<iv>:<tag>:<ciphertext>" (base64url parts).
 */
type DbOrTrx = Kysely<Database> | Transaction<Database>;

const PREFIX = 'hsenc:v1:';
const MASTER_KEY_FILE = 'master-key.json';

/** Decryption or key unwrapping failed: a wrong or missing master key, or tampered data. Never silently returns garbage. */
export class FieldCryptoError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FieldCryptoError';
  }
}

interface MasterKey { id: string; key: Buffer }
interface Keyring { current: MasterKey; previous: MasterKey | null; source: 'env' | 'file' | 'direct'; file?: string }

let keyring: Keyring | null = null;
/** Unwrapped data keys by id (a data key never changes; rotation only re-wraps it). */
const dataKeyCache = new Map<string, { practiceId: string; key: Buffer }>();

/** A master key's public id: an HMAC of a constant under the key, so it names the key without revealing it. */
export function masterKeyId(key: Buffer): string {
  return createHmac('sha256', key).update('holdspace master key id').digest('hex').slice(0, 16);
}

export function parseMasterKey(base64: string, name = 'HOLDSPACE_MASTER_KEY'): Buffer {
  const key = Buffer.from(base64.trim(), 'base64');
  if (key.length !== 32) throw new FieldCryptoError(`${name} must be 32 bytes in base64 (e.g. \`openssl rand -base64 32\`); it is ${key.length} bytes.`);
  return key;
}

function toMaster(key: Buffer): MasterKey {
  return { id: masterKeyId(key), key };
}

/** Sets the master keys of this process (base64). `previous` is the old key while a rotation is under way. */
export function useMasterKeys(keys: { current: string; previous?: string | null }, source: Keyring['source'] = 'direct', file?: string): void {
  const current = toMaster(parseMasterKey(keys.current));
  const previous = keys.previous ? toMaster(parseMasterKey(keys.previous, 'HOLDSPACE_MASTER_KEY_PREVIOUS')) : null;
  keyring = { current, previous: previous && previous.id !== current.id ? previous : null, source, ...(file ? { file } : {}) };
}

/** Forgets the unwrapped data keys (tests; after the master key was replaced by hand). */
export function clearDataKeyCache(): void {
  dataKeyCache.clear();
}

export function currentMasterKeyId(): string {
  return ring().current.id;
}

function ring(): Keyring {
  if (!keyring && process.env.HOLDSPACE_MASTER_KEY) {
    useMasterKeys({ current: process.env.HOLDSPACE_MASTER_KEY, previous: process.env.HOLDSPACE_MASTER_KEY_PREVIOUS ?? null }, 'env');
  }
  if (!keyring) throw new FieldCryptoError('No master key: set HOLDSPACE_MASTER_KEY (base64, 32 bytes).');
  return keyring;
}

/**
 * The master keys for a server or command: HOLDSPACE_MASTER_KEY (+ _PREVIOUS) when set;
 * otherwise the data folder's key file, created on first start (zero setup).
 */
export async function loadMasterKeys(opts: { masterKey?: string | undefined; previousMasterKey?: string | undefined; dataDir: string }, log: (line: string) => void = () => {}): Promise<void> {
  if (opts.masterKey) {
    useMasterKeys({ current: opts.masterKey, previous: opts.previousMasterKey ?? null }, 'env');
    return;
  }
  const file = path.join(opts.dataDir, MASTER_KEY_FILE);
  const existing = await readKeyFile(file);
  if (existing) {
    useMasterKeys(existing, 'file', file);
    return;
  }
  await fs.mkdir(opts.dataDir, { recursive: true });
  const created = { current: randomBytes(32).toString('base64') };
  await fs.writeFile(file, JSON.stringify(created), { mode: 0o600, flag: 'wx' }).catch(async (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EEXIST') throw err; // another process created it first: use theirs
  });
  log(`Created a master key for encryption at rest in ${file} (keep a copy: without it the narrative fields cannot be read)`);
  useMasterKeys((await readKeyFile(file))!, 'file', file);
}

async function readKeyFile(file: string): Promise<{ current: string; previous?: string | null } | null> {
  const text = await fs.readFile(file, 'utf8').catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return null;
    throw err;
  });
  if (text === null) return null;
  const parsed = JSON.parse(text) as { current?: unknown; previous?: unknown };
  if (typeof parsed.current !== 'string') throw new FieldCryptoError(`${file} holds no master key ("current").`);
  return { current: parsed.current, previous: typeof parsed.previous === 'string' ? parsed.previous : null };
}

/**
 * For `holdspace keys rotate` without HOLDSPACE_MASTER_KEY: a new master key in the data
 * folder's key file (written atomically), the old one kept as "previous"; then in use here.
 */
export async function rotateKeyFile(dataDir: string): Promise<string> {
  const file = path.join(dataDir, MASTER_KEY_FILE);
  const old = await readKeyFile(file);
  if (!old) throw new FieldCryptoError(`${file} does not exist: there is no master key to rotate.`);
  const keys = { current: randomBytes(32).toString('base64'), previous: old.current };
  const tmp = `${file}.${process.pid}.tmp`;
  await fs.writeFile(tmp, JSON.stringify(keys), { mode: 0o600 });
  await fs.rename(tmp, file);
  useMasterKeys(keys, 'file', file);
  return file;
}

export function isEncrypted(stored: string): boolean {
  return stored.startsWith(PREFIX);
}

function aad(practiceId: string, keyId: string): Buffer {
  return Buffer.from(`holdspace:${practiceId}:${keyId}`, 'utf8');
}

function seal(key: Buffer, plain: Buffer, additional: Buffer): { iv: Buffer; tag: Buffer; ct: Buffer } {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(additional);
  const ct = Buffer.concat([cipher.update(plain), cipher.final()]);
  return { iv, tag: cipher.getAuthTag(), ct };
}

function open(key: Buffer, iv: Buffer, tag: Buffer, ct: Buffer, additional: Buffer): Buffer {
  const decipher = createDecipheriv('aes-256-gcm', key, iv);
  decipher.setAAD(additional);
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(ct), decipher.final()]);
}

const b64 = (b: Buffer) => b.toString('base64url');
const unb64 = (s: string) => Buffer.from(s, 'base64url');

/** Wraps a data key under a master key: "<iv>.<tag>.<ct>" (base64url), bound to the practice and key id. */
export function wrapDataKey(master: Buffer, practiceId: string, dataKeyId: string, dataKey: Buffer): string {
  const { iv, tag, ct } = seal(master, dataKey, Buffer.from(`holdspace:data-key:${practiceId}:${dataKeyId}`, 'utf8'));
  return `${b64(iv)}.${b64(tag)}.${b64(ct)}`;
}

export function unwrapDataKey(master: Buffer, practiceId: string, dataKeyId: string, wrapped: string): Buffer {
  const [iv, tag, ct] = wrapped.split('.');
  if (!iv || !tag || !ct) throw new FieldCryptoError(`Data key ${dataKeyId} is malformed.`);
  try {
    const key = open(master, unb64(iv), unb64(tag), unb64(ct), Buffer.from(`holdspace:data-key:${practiceId}:${dataKeyId}`, 'utf8'));
    if (key.length !== 32) throw new Error('wrong length');
    return key;
  } catch {
    throw new FieldCryptoError(`Data key ${dataKeyId} could not be unwrapped: the master key is wrong or the key was tampered with.`);
  }
}

/** A data key's wraps, by the id of the master key under which each was made. */
export function wrapsOf(row: { wrapped_key: string; master_key_id: string }): Map<string, string> {
  const [primary, ...others] = row.wrapped_key.split(';');
  const wraps = new Map([[row.master_key_id, primary!]]);
  for (const other of others) {
    const at = other.indexOf('=');
    if (at > 0) wraps.set(other.slice(0, at), other.slice(at + 1));
  }
  return wraps;
}

/** The stored form of a new data key: under the current master key, and under the previous one while a rotation is under way. */
function wrapForStorage(r: Keyring, practiceId: string, dataKeyId: string, key: Buffer): { wrapped_key: string; master_key_id: string } {
  const wrapped = wrapDataKey(r.current.key, practiceId, dataKeyId, key);
  // The key file serves one server, which re-reads it: nobody is left on the old key there.
  const alsoPrevious = r.previous && r.source !== 'file' ? `;${r.previous.id}=${wrapDataKey(r.previous.key, practiceId, dataKeyId, key)}` : '';
  return { wrapped_key: wrapped + alsoPrevious, master_key_id: r.current.id };
}

/** Zero setup: `keys rotate` may have replaced the key file under this running server; read it again. */
async function reloadKeyFile(): Promise<boolean> {
  const r = ring();
  if (r.source !== 'file' || !r.file) return false;
  const keys = await readKeyFile(r.file);
  if (keys) useMasterKeys(keys, 'file', r.file);
  return keys !== null;
}

/** A master key of this server that wrapped the data key (current first), and its wrap. */
function findUnwrapper(wraps: Map<string, string>): { master: MasterKey; wrapped: string } | null {
  const r = ring();
  for (const master of [r.current, r.previous]) {
    const wrapped = master && wraps.get(master.id);
    if (master && wrapped) return { master, wrapped };
  }
  return null;
}

async function unwrapRow(row: { practice_id: string; id: string; wrapped_key: string; master_key_id: string }): Promise<Buffer> {
  const wraps = wrapsOf(row);
  let found = findUnwrapper(wraps);
  if (!found && (await reloadKeyFile())) found = findUnwrapper(wraps);
  if (!found) {
    const r = ring();
    throw new FieldCryptoError(
      `Data key ${row.id} is wrapped by master key ${[...wraps.keys()].join(' or ')}, which this server does not have ` +
        `(current ${r.current.id}${r.previous ? `, previous ${r.previous.id}` : ''}). ` +
        'Set HOLDSPACE_MASTER_KEY (and HOLDSPACE_MASTER_KEY_PREVIOUS during a rotation).',
    );
  }
  return unwrapDataKey(found.master.key, row.practice_id, row.id, found.wrapped);
}

async function dataKeyById(db: DbOrTrx, practiceId: string, id: string): Promise<Buffer> {
  const cached = dataKeyCache.get(id);
  if (cached) {
    if (cached.practiceId !== practiceId) throw new FieldCryptoError(`Data key ${id} belongs to another practice.`);
    return cached.key;
  }
  const row = await db.selectFrom('data_keys').select(['practice_id', 'id', 'wrapped_key', 'master_key_id'])
    .where('practice_id', '=', practiceId).where('id', '=', id).executeTakeFirst();
  if (!row) throw new FieldCryptoError(`Data key ${id} of this practice does not exist.`);
  const key = await unwrapRow(row);
  dataKeyCache.set(id, { practiceId, key });
  return key;
}

/**
 * The practice's active data key, created on first use. Looked up on every call (one
 * indexed query): a key created inside a transaction that then rolled back must not be
 * remembered as the practice's key.
 */
async function activeDataKey(db: DbOrTrx, practiceId: string): Promise<{ id: string; key: Buffer }> {
  const select = () => db.selectFrom('data_keys').select(['practice_id', 'id', 'wrapped_key', 'master_key_id'])
    .where('practice_id', '=', practiceId).where('retired_at', 'is', null).executeTakeFirst();
  let row = await select();
  if (!row) {
    // Zero setup: wrap under the key file as it is now, not as it was when this server started.
    await reloadKeyFile();
    const id = randomUUID();
    const key = randomBytes(32);
    await db.insertInto('data_keys').values({ practice_id: practiceId, id, ...wrapForStorage(ring(), practiceId, id, key) })
      .onConflict((oc) => oc.column('practice_id').where('retired_at', 'is', null).doNothing()).execute();
    row = await select();
    if (!row) throw new FieldCryptoError('The practice data key could not be created.');
  }
  return { id: row.id, key: await dataKeyById(db, practiceId, row.id) };
}

/** AES-256-GCM with a per-practice data key wrapped by the master key (HOLDSPACE_MASTER_KEY). */
export async function encryptText(db: DbOrTrx, practiceId: string, plain: string): Promise<string> {
  const { id, key } = await activeDataKey(db, practiceId);
  const { iv, tag, ct } = seal(key, Buffer.from(plain, 'utf8'), aad(practiceId, id));
  return `${PREFIX}${id}:${b64(iv)}:${b64(tag)}:${b64(ct)}`;
}

/** Plain text (rows written before encryption) passes through unchanged; anything else that fails to decrypt throws FieldCryptoError. */
export async function decryptText(db: DbOrTrx, practiceId: string, stored: string): Promise<string> {
  if (!isEncrypted(stored)) return stored;
  const parts = stored.slice(PREFIX.length).split(':');
  if (parts.length !== 4) throw new FieldCryptoError('An encrypted field is malformed.');
  const [id, iv, tag, ct] = parts as [string, string, string, string];
  const key = await dataKeyById(db, practiceId, id);
  try {
    return open(key, unb64(iv), unb64(tag), unb64(ct), aad(practiceId, id)).toString('utf8');
  } catch {
    throw new FieldCryptoError(`An encrypted field (data key ${id}) failed its integrity check: it was altered, or belongs to another practice.`);
  }
}

/** Encrypts a value that may be null (an optional narrative field). */
export async function encryptOptional(db: DbOrTrx, practiceId: string, plain: string | null): Promise<string | null> {
  return plain === null ? null : encryptText(db, practiceId, plain);
}

export async function decryptOptional(db: DbOrTrx, practiceId: string, stored: string | null): Promise<string | null> {
  return stored === null ? null : decryptText(db, practiceId, stored);
}

/**
 * Re-wraps every data key not solely under the current master key, one key per short
 * transaction (the row is locked only while it is re-wrapped), so servers keep running.
 * Unwraps with the previous or the current master key, whichever wrapped it; the wrap
 * under the previous key that servers add during the switch is dropped, so run this
 * once every server has the new key (and again after the last one dropped the old).
 */
export async function rewrapDataKeys(db: Kysely<Database>, log: (line: string) => void = () => {}): Promise<{ rewrapped: number; alreadyCurrent: number }> {
  const current = ring().current;
  let rewrapped = 0;
  for (;;) {
    const batch = await db.selectFrom('data_keys').select(['practice_id', 'id'])
      .where((eb) => eb.or([eb('master_key_id', '<>', current.id), eb('wrapped_key', 'like', '%;%')]))
      .orderBy('created_at').limit(50).execute();
    if (batch.length === 0) break;
    for (const { practice_id, id } of batch) {
      await db.transaction().execute(async (trx) => {
        const row = await trx.selectFrom('data_keys').select(['practice_id', 'id', 'wrapped_key', 'master_key_id'])
          .where('practice_id', '=', practice_id).where('id', '=', id).forUpdate().executeTakeFirstOrThrow();
        if (row.master_key_id === current.id && !row.wrapped_key.includes(';')) return;
        const key = await unwrapRow(row);
        await trx.updateTable('data_keys')
          .set({ wrapped_key: wrapDataKey(current.key, practice_id, id, key), master_key_id: current.id })
          .where('practice_id', '=', practice_id).where('id', '=', id).execute();
      });
      rewrapped++;
      log(`re-wrapped data key ${id} (practice ${practice_id})`);
    }
  }
  const { n } = await db.selectFrom('data_keys').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return { rewrapped, alreadyCurrent: Number(n) - rewrapped };
}

/** The `data_keys` table (migration 0007). */
export interface DataKeyTable {
  practice_id: string;
  id: string;
  /** "<iv>.<tag>.<ct>" (base64url): the data key under the master key `master_key_id`; during a rotation ";<masterKeyId>=<iv>.<tag>.<ct>" follows for the previous one. */
  wrapped_key: string;
  master_key_id: string;
  created_at: import('kysely').ColumnType<Date, Date | undefined, never>;
  retired_at: import('kysely').ColumnType<Date | null, Date | null | undefined, Date | null>;
}
