import { randomUUID } from 'node:crypto';
import type { Db } from '../../src/server/database.ts';
import type { Role } from '../../src/domain/permissions.ts';
import { createChain } from '../../src/modules/audit/audit.repository.ts';
import { insertUser, replaceSupervisees } from '../../src/modules/auth/auth.repository.ts';
import { hashPassword } from '../../src/modules/auth/auth.service.ts';

export const FIXTURE_PASSWORD = 'synthetic-password-for-tests';
let passwordHash: Promise<string> | undefined;

export interface FixtureUser { id: string; email: string; role: Role; name: string }
export interface FixturePractice { practiceId: string; users: Record<Role, FixtureUser> }

/** A practice with one synthetic person in every role; the supervisor supervises the clinician. */
export async function createPractice(db: Db, label = 'Practice'): Promise<FixturePractice> {
  passwordHash ??= hashPassword(FIXTURE_PASSWORD);
  const hash = await passwordHash;
  const practiceId = randomUUID();
  await db.insertInto('practices').values({ id: practiceId, name: `${label} ${practiceId.slice(0, 6)}`, time_zone: 'America/Los_Angeles' }).execute();
  await createChain(db, practiceId);
  const users = {} as Record<Role, FixtureUser>;
  for (const role of ['owner', 'admin', 'clinician', 'supervisor', 'front_desk'] as const) {
    const user = { id: randomUUID(), email: `${role}-${randomUUID()}@example.test`, role, name: `Test ${role}` };
    await insertUser(db, { practiceId, id: user.id, email: user.email, name: user.name, role, passwordHash: hash });
    users[role] = user;
  }
  await replaceSupervisees(db, practiceId, users.supervisor.id, [users.clinician.id]);
  return { practiceId, users };
}
