import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../server/database.ts';
import { Problem } from '../../server/problems.ts';
import { appendAuditEvent, createChain } from '../audit/audit.repository.ts';
import { countUsers, insertUser } from '../auth/auth.repository.ts';
import { hashPassword, type RequestMeta } from '../auth/auth.service.ts';

export interface SetupInput {
  practiceName: string;
  timeZone: string;
  ownerName: string;
  email: string;
  password: string;
}

export async function isSetupRequired(db: Kysely<Database>): Promise<boolean> {
  return (await countUsers(db)) === 0;
}

/** First run: creates the practice and its owner. Allowed only while no user exists anywhere. */
export async function setupPractice(db: Kysely<Database>, input: SetupInput, meta: RequestMeta) {
  const passwordHash = await hashPassword(input.password);
  return db.transaction().execute(async (trx) => {
    // Two setups racing: the second waits here, then finds the first one's owner.
    await sql`select pg_advisory_xact_lock(hashtext('holdspace:setup'))`.execute(trx);
    if ((await countUsers(trx)) > 0) throw new Problem('SETUP_ALREADY_DONE');
    const practiceId = randomUUID();
    const userId = randomUUID();
    await trx.insertInto('practices').values({ id: practiceId, name: input.practiceName.trim(), time_zone: input.timeZone }).execute();
    await insertUser(trx, { practiceId, id: userId, email: input.email.trim().toLowerCase(), name: input.ownerName.trim(), role: 'owner', passwordHash });
    await createChain(trx, practiceId);
    await appendAuditEvent(trx, {
      practiceId, actorUserId: userId, actorRole: 'owner', action: 'practice.setup', resourceType: 'practice',
      resourceId: practiceId, ip: meta.ip, outcome: 'success', detail: { practiceName: input.practiceName.trim() },
    });
    return { practiceId, userId };
  });
}
