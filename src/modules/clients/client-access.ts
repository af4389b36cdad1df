import { sql, type Kysely } from 'kysely';
import type { Database } from '../../server/database.ts';
import { Problem } from '../../server/problems.ts';
import { can, type Action, type Actor, type ResourceContext } from '../../domain/permissions.ts';
import { appendAuditEvent } from '../audit/audit.repository.ts';
import type { AuthContext } from '../auth/auth.service.ts';

/**
 * The gate to one client's record. Loads who is assigned to the client, asks the
 * permission rules, and answers 404 to anyone not entitled, in this practice or any
 * other, so that a client's existence is not disclosed. Refusals are audited.
 */
export async function authorizeClient(
  db: Kysely<Database>, auth: AuthContext, clientId: string, action: Action, ip: string | null, on: ReadTarget = { type: 'client', id: clientId },
): Promise<{ assignedClinicianIds: string[]; breakGlassGrantId?: string }> {
  const assignedClinicianIds = await assignedClinicians(db, auth.practice.id, clientId);
  const exists = assignedClinicianIds !== null;
  const resource = { practiceId: auth.practice.id, assignedClinicianIds: assignedClinicianIds ?? [] };
  if (exists && can(action, auth.actor, resource)) return { assignedClinicianIds: resource.assignedClinicianIds };
  // Break-glass (issue 6): outside the care team, an active grant lets a clinician read; each such read is audited as one.
  const grantId = exists ? await breakGlassRead(db, auth, clientId, action, resource, on, ip) : null;
  if (grantId) return { assignedClinicianIds: resource.assignedClinicianIds, breakGlassGrantId: grantId };
  await appendAuditEvent(db, {
    practiceId: auth.practice.id, actorUserId: auth.user.id, actorRole: auth.user.role, action,
    resourceType: 'client', resourceId: clientId, clientId: exists ? clientId : null, ip, outcome: 'denied',
    detail: { reason: exists ? 'not_on_care_team' : 'no_such_client_in_practice' },
  });
  throw new Problem('NOT_FOUND', 'No such client.');
}

/** What a read under break-glass opened: the client's record itself, or one of its incidents, reports, follow-ups. */
export interface ReadTarget { type: string; id: string }

/**
 * A read under break-glass (HIPAA 45 CFR 164.312(a)(2)(ii), 164.312(b)): when the action
 * allows it under a grant (reads only, by the permission rules) and the caller holds an
 * unexpired grant on the client, the read is audited as `client.break_glass.read` naming
 * the grant, and the grant's id is returned; otherwise null, and nothing is written.
 */
export async function breakGlassRead(
  db: Kysely<Database>, auth: AuthContext, clientId: string, action: Action, resource: ResourceContext, on: ReadTarget, ip: string | null,
): Promise<string | null> {
  if (!can(action, auth.actor, { ...resource, breakGlassUserIds: [auth.user.id] })) return null;
  const grant = await activeBreakGlassGrant(db, auth.practice.id, clientId, auth.user.id);
  if (!grant) return null;
  await appendAuditEvent(db, {
    practiceId: auth.practice.id, actorUserId: auth.user.id, actorRole: auth.user.role, action: 'client.break_glass.read',
    resourceType: on.type, resourceId: on.id, clientId, ip, outcome: 'success',
    detail: { grantId: grant.id, as: action, expiresAt: grant.expires_at.toISOString() },
  });
  return grant.id;
}

/** The caller's unexpired break-glass grant on a client, if any (the database's clock decides expiry). */
export async function activeBreakGlassGrant(db: Kysely<Database>, practiceId: string, clientId: string, userId: string) {
  return db.selectFrom('break_glass_grants').select(['id', 'reason', 'granted_at', 'expires_at'])
    .where('practice_id', '=', practiceId).where('client_id', '=', clientId).where('user_id', '=', userId)
    .where('expires_at', '>', sql<Date>`now()`).orderBy('expires_at', 'desc').limit(1).executeTakeFirst();
}

/** The clinicians assigned to a client of this practice, or null when there is no such client. */
async function assignedClinicians(db: Kysely<Database>, practiceId: string, clientId: string): Promise<string[] | null> {
  const rows = await db.selectFrom('clients as c')
    .leftJoin('client_clinicians as cc', (j) => j.onRef('cc.practice_id', '=', 'c.practice_id').onRef('cc.client_id', '=', 'c.id'))
    .select('cc.clinician_id').where('c.practice_id', '=', practiceId).where('c.id', '=', clientId).execute();
  if (rows.length === 0) return null;
  return rows.flatMap((r) => (r.clinician_id ? [r.clinician_id] : []));
}

/**
 * The SQL twin of the care-team rule, for lists: the client ids an actor may open.
 * Kept beside `authorizeClient`; the clients tests check that both agree.
 */
export function careTeamClientIds(db: Kysely<Database>, actor: Actor) {
  const clinicians = actor.role === 'supervisor' ? [actor.userId, ...(actor.superviseeIds ?? [])] : [actor.userId];
  return db.selectFrom('client_clinicians').select('client_id')
    .where('practice_id', '=', actor.practiceId).where('clinician_id', 'in', clinicians);
}
