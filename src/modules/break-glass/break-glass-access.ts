/**
 * Break-glass beyond the client's record (issue 6): under an active grant, a clinician
 * outside the care team also reads the client's incidents (view and timeline), their
 * reports and follow-ups, each read audited as `client.break_glass.read` naming the grant
 * (HIPAA 45 CFR 164.312(a)(2)(ii), 164.312(b)). Writes stay the care team's, by the
 * permission rules. A clinician's own emergency is not part of the client's record and
 * is never opened this way.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../server/database.ts';
import { can, type Action } from '../../domain/permissions.ts';
import type { AuthContext } from '../auth/auth.service.ts';
import { breakGlassRead } from '../clients/client-access.ts';
import type { IncidentAccessRow } from '../incidents/incidents.repository.ts';
import { CLINICIAN_EMERGENCY } from '../reports/report-builder.ts';

/**
 * For an incident the caller may not otherwise open (neither care team nor paged): the
 * access a break-glass grant gives, audited, or null (the caller then refuses as usual).
 */
export async function breakGlassIncidentAccess(
  db: Kysely<Database>, auth: AuthContext, row: IncidentAccessRow, action: Action, ip: string | null,
  on: { type: string; id: string } = { type: 'incident', id: row.id },
): Promise<(IncidentAccessRow & { canAct: false; breakGlassGrantId: string }) | null> {
  const resource = { practiceId: auth.practice.id, assignedClinicianIds: row.assigned, pagedUserIds: row.paged };
  if (can(action, auth.actor, resource)) return null; // not a break-glass read: the ordinary gate answers
  if (!can(action, auth.actor, { ...resource, breakGlassUserIds: [auth.user.id] })) return null; // a write, or not a clinician
  if (await isOwnEmergency(db, auth.practice.id, row.id)) return null;
  const grantId = await breakGlassRead(db, auth, row.client_id, action, resource, on, ip);
  return grantId ? { ...row, canAct: false, breakGlassGrantId: grantId } : null;
}

async function isOwnEmergency(db: Kysely<Database>, practiceId: string, incidentId: string): Promise<boolean> {
  const found = await db.selectFrom('incidents').select('protocol_key').where('practice_id', '=', practiceId).where('id', '=', incidentId).executeTakeFirst();
  return found?.protocol_key === CLINICIAN_EMERGENCY;
}
