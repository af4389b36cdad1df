/**
 * The words a clinician documents in a protocol run (the client's exact words, notes on
 * what happened) are narrative: stored encrypted at rest (issue 6; src/server/field-crypto.ts),
 * in the run's state and in the step event kept for replay. The engine and every reader
 * work on plain text: seal just before writing, open just after reading.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../server/database.ts';
import { decryptText, encryptText, isEncrypted } from '../../server/field-crypto.ts';
import type { RunState } from '../../domain/protocols/run.ts';

type Db = Kysely<Database> | Transaction<Database>;

/** The state with each documented text encrypted (texts already sealed are kept as they are). */
export async function sealRunState(db: Db, practiceId: string, state: RunState): Promise<RunState> {
  return mapTexts(state, (text) => (isEncrypted(text) ? Promise.resolve(text) : encryptText(db, practiceId, text)));
}

/** The state with each documented text readable (plain text from before encryption passes through). */
export async function openRunState(db: Db, practiceId: string, state: RunState): Promise<RunState> {
  return mapTexts(state, (text) => decryptText(db, practiceId, text));
}

/** A stored step event (`run_events.action`) with its documented text sealed or opened. */
export async function sealEventText<T extends object>(db: Db, practiceId: string, action: T): Promise<T> {
  const text = (action as { text?: unknown }).text;
  return typeof text === 'string' && !isEncrypted(text) ? { ...action, text: await encryptText(db, practiceId, text) } : action;
}
export async function openEventText<T>(db: Db, practiceId: string, action: T): Promise<T> {
  const text = (action as { text?: unknown } | null)?.text;
  return typeof text === 'string' ? { ...action, text: await decryptText(db, practiceId, text) } : action;
}

async function mapTexts(state: RunState, f: (text: string) => Promise<string>): Promise<RunState> {
  const entries = await Promise.all(Object.entries(state.steps).map(async ([id, s]) =>
    [id, typeof s.text === 'string' ? { ...s, text: await f(s.text) } : s] as const));
  return { ...state, steps: Object.fromEntries(entries) };
}
