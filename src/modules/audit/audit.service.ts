import type { Kysely } from 'kysely';
import type { Database } from '../../server/database.ts';
import { auditPayload, chainCounts, chainHash, GENESIS_HASH, listChains, readChain, sealPending } from './audit.repository.ts';

export interface ChainVerdict {
  practiceId: string;
  ok: boolean;
  checked: number;
  /** Written but not yet linked into the chain (normally for a moment only). */
  pending: number;
  firstBroken: { seq: number; reason: string } | null;
}

/**
 * Walks one practice's chain from the start and names the first event whose hash,
 * link or position does not match: anything changed, removed or inserted shows.
 */
export async function verifyChain(db: Kysely<Database>, practiceId: string): Promise<ChainVerdict> {
  let prevHash = GENESIS_HASH;
  let checked = 0;
  const counts = await chainCounts(db, practiceId);
  const broken = (seq: number, reason: string): ChainVerdict => ({ practiceId, ok: false, checked, pending: counts.pending, firstBroken: { seq, reason } });
  for await (const link of readChain(db, practiceId)) {
    if (link.position !== checked + 1) return broken(link.link_seq, `the chain skips from position ${checked} to ${link.position}`);
    if (link.seq === null || link.at === null) return broken(link.link_seq, 'the event was removed');
    if (link.prev_hash !== prevHash) return broken(link.seq, 'its link to the previous event does not match');
    const event = { ...link, seq: link.seq, at: link.at } as Parameters<typeof auditPayload>[0];
    if (chainHash(prevHash, link.position, auditPayload(event)) !== link.hash) return broken(link.seq, 'its content was changed after it was written');
    prevHash = link.hash;
    checked += 1;
  }
  if (counts.head && (counts.head.position !== checked || counts.head.hash !== prevHash)) {
    return broken(0, `the chain ends at position ${checked} but its head records position ${counts.head.position}`);
  }
  if (counts.events !== checked + counts.pending) {
    return broken(0, `${counts.events - checked - counts.pending} events are neither in the chain nor waiting to join it`);
  }
  return { practiceId, ok: true, checked, pending: counts.pending, firstBroken: null };
}

/** Seals what is pending, then verifies: what an auditor runs. */
export async function sealAndVerify(db: Kysely<Database>, practiceId: string): Promise<ChainVerdict> {
  await sealPending(db, practiceId);
  return verifyChain(db, practiceId);
}

export async function verifyAllChains(db: Kysely<Database>): Promise<ChainVerdict[]> {
  const verdicts: ChainVerdict[] = [];
  for (const practiceId of await listChains(db)) verdicts.push(await sealAndVerify(db, practiceId));
  return verdicts;
}
