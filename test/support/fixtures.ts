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

/** A synthetic client assigned to the given clinicians (by default the practice's clinician). */
export async function createClient(db: Db, practice: FixturePractice, options: { name?: string; clinicianIds?: string[] } = {}): Promise<{ id: string; name: string }> {
  const id = randomUUID();
  const name = options.name ?? `Client ${id.slice(0, 6)}`;
  await db.insertInto('clients').values({ practice_id: practice.practiceId, id, legal_name: name, preferred_name: null, pronouns: null, date_of_birth: null, phone: null, email: null, address: null, archived_at: null, risk_assessed_at: null }).execute();
  const clinicianIds = options.clinicianIds ?? [practice.users.clinician.id];
  if (clinicianIds.length) {
    await db.insertInto('client_clinicians').values(clinicianIds.map((c) => ({ practice_id: practice.practiceId, client_id: id, clinician_id: c }))).execute();
  }
  return { id, name };
}
