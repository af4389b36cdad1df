import type { Kysely } from 'kysely';
import type { Database } from '../../server/database.ts';
import { auditPayload, chainHash, GENESIS_HASH, listChains, readChain } from './audit.repository.ts';

export interface ChainVerdict {
  practiceId: string;
  ok: boolean;
  checked: number;
  firstBroken: { seq: number; reason: string } | null;
}

/**
 * Walks one practice's chain from the start and names the first event whose hash,
 * link or position does not match: anything changed, removed or inserted shows.
 */
export async function verifyChain(db: Kysely<Database>, practiceId: string): Promise<ChainVerdict> {
  let prevHash = GENESIS_HASH;
  let expectedSeq = 1;
  let checked = 0;
  const broken = (seq: number, reason: string): ChainVerdict => ({ practiceId, ok: false, checked, firstBroken: { seq, reason } });
  for await (const e of readChain(db, practiceId)) {
    if (e.seq !== expectedSeq) return broken(e.seq, `event ${expectedSeq} is missing`);
    if (e.prev_hash !== prevHash) return broken(e.seq, 'its link to the previous event does not match');
    if (chainHash(prevHash, e.seq, auditPayload(e)) !== e.hash) return broken(e.seq, 'its content was changed after it was written');
    prevHash = e.hash;
    expectedSeq += 1;
    checked += 1;
  }
  const head = (await listChains(db)).find((c) => c.practiceId === practiceId);
  if (head && (head.seq !== checked || head.hash !== prevHash)) {
    return broken(checked + 1, `the chain ends at event ${checked} but its head records event ${head.seq}`);
  }
  return { practiceId, ok: true, checked, firstBroken: null };
}

export async function verifyAllChains(db: Kysely<Database>): Promise<ChainVerdict[]> {
  const verdicts: ChainVerdict[] = [];
  for (const chain of await listChains(db)) verdicts.push(await verifyChain(db, chain.practiceId));
  return verdicts;
}
