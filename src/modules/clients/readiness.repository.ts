import { sql, type Kysely } from 'kysely';
import type { Database } from '../../server/database.ts';
import { policyAcknowledgement, readinessGaps, type PolicyAcknowledgement, type ReadinessGap } from '../../domain/readiness.ts';

export interface ClientReadiness {
  safetyPlan: boolean;
  callableEmergencyContact: boolean;
  policy: PolicyAcknowledgement;
  gaps: ReadinessGap[];
}

/**
 * Readiness of many clients in one query (schedule rows, lists, a client's page):
 * a safety plan on file, an emergency contact the client allowed us to call in an
 * emergency (consent not expired on `today`), and the current policy acknowledged.
 */
export async function clientReadiness(db: Kysely<Database>, practiceId: string, clientIds: string[], today: string): Promise<Map<string, ClientReadiness>> {
  const result = new Map<string, ClientReadiness>();
  if (clientIds.length === 0) return result;
  const rows = await db.selectFrom('clients as c')
    .select('c.id')
    .select([
      // a per-client probe of the primary key (an EXISTS here may become a hash over every plan)
      sql<boolean>`(select true from safety_plans p where p.practice_id = c.practice_id and p.client_id = c.id limit 1) is not null`.as('safety_plan'),
      sql<boolean>`exists (select 1 from emergency_contacts e where e.practice_id = c.practice_id and e.client_id = c.id
        and e.consent_scope = 'emergency' and (e.consent_expires_on is null or e.consent_expires_on >= ${today}::date))`.as('callable_contact'),
      sql<number | null>`(select max(a.policy_version) from policy_acknowledgements a where a.practice_id = c.practice_id and a.client_id = c.id)`.as('acknowledged_version'),
      sql<number | null>`(select max(v.version) from policies v where v.practice_id = c.practice_id)`.as('current_version'),
    ])
    .where('c.practice_id', '=', practiceId).where(sql<boolean>`c.id = any(${clientIds}::uuid[])`).execute();
  for (const r of rows) {
    const policy = policyAcknowledgement(r.current_version, r.acknowledged_version);
    const readiness = { safetyPlan: r.safety_plan, callableEmergencyContact: r.callable_contact, policy };
    result.set(r.id, { ...readiness, gaps: readinessGaps({ hasSafetyPlan: r.safety_plan, hasCallableEmergencyContact: r.callable_contact, policy }) });
  }
  return result;
}
