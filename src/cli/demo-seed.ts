import { randomUUID } from 'node:crypto';
import type { Db } from '../server/database.ts';
import type { Role } from '../domain/permissions.ts';
import { appendAuditEvent } from '../modules/audit/audit.repository.ts';
import { insertUser, replaceSupervisees } from '../modules/auth/auth.repository.ts';
import { hashPassword } from '../modules/auth/auth.service.ts';
import { setupPractice } from '../modules/practices/practices.service.ts';

/** Everyone in the demo practice is invented; they share one demo password. */
export const DEMO_PASSWORD = 'holdspace demo passphrase';

export const DEMO_PEOPLE: { name: string; email: string; role: Role }[] = [
  { name: 'Olivia Ortega', email: 'owner@demo.holdspace.test', role: 'owner' },
  { name: 'Priya Admin', email: 'admin@demo.holdspace.test', role: 'admin' },
  { name: 'Dr. Amara Singh', email: 'amara.singh@demo.holdspace.test', role: 'supervisor' },
  { name: 'Dr. Mei Lin', email: 'mei.lin@demo.holdspace.test', role: 'clinician' },
  { name: 'Dr. Sam Patel', email: 'sam.patel@demo.holdspace.test', role: 'clinician' },
  { name: 'Dr. Noor Haddad', email: 'noor.haddad@demo.holdspace.test', role: 'clinician' },
  { name: 'Jamie Front', email: 'frontdesk@demo.holdspace.test', role: 'front_desk' },
];

/** Seeds the synthetic practice of SCENARIOS.md into an empty database. */
export async function seedDemoPractice(db: Db): Promise<{ practiceId: string }> {
  const [owner, ...rest] = DEMO_PEOPLE;
  const meta = { ip: null, userAgent: 'holdspace demo' };
  const { practiceId } = await setupPractice(db, {
    practiceName: 'Harbor Counseling (demo)', timeZone: 'America/Los_Angeles',
    ownerName: owner!.name, email: owner!.email, password: DEMO_PASSWORD,
  }, meta);
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const ids = new Map<string, string>();
  await db.transaction().execute(async (trx) => {
    for (const person of rest) {
      const id = randomUUID();
      ids.set(person.email, id);
      await insertUser(trx, { practiceId, id, email: person.email, name: person.name, role: person.role, passwordHash });
    }
    const supervisees = rest.filter((p) => p.role === 'clinician').map((p) => ids.get(p.email)!);
    await replaceSupervisees(trx, practiceId, ids.get('amara.singh@demo.holdspace.test')!, supervisees);
    await appendAuditEvent(trx, {
      practiceId, actorUserId: null, actorRole: null, action: 'demo.seed', resourceType: 'practice', resourceId: practiceId,
      ip: null, outcome: 'success', detail: { people: rest.length },
    });
  });
  return { practiceId };
}
