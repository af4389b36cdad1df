/**
 * Break-glass: a clinician outside a client's care team opens the record in an emergency
 * after stating why. HIPAA 45 CFR 164.312(a)(2)(ii) (emergency access procedure) and
 * 164.312(b) (audit controls): the grant is time-limited, read-only, audited with its
 * reason, every read under it audited as such, and the client's assigned clinicians and
 * their supervisors are told at once.
 */
import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../server/database.ts';
import type { LiveHub, LiveMessage } from '../../server/live.ts';
import { Problem } from '../../server/problems.ts';
import { can } from '../../domain/permissions.ts';
import { appendAuditEvent } from '../audit/audit.repository.ts';
import type { AuthContext } from '../auth/auth.service.ts';
import { activeBreakGlassGrant } from '../clients/client-access.ts';
import { notify } from '../follow-ups/notifications.ts';
import { publishAll } from '../paging/paging.service.ts';

type Db = Kysely<Database>;

/** How long a grant lasts: long enough for an emergency, short enough not to become standing access. */
export const BREAK_GLASS_MINUTES = 60;

export interface BreakGlassGrantView { id: string; clientId: string; reason: string; grantedAt: string; expiresAt: string }

const view = (clientId: string, g: { id: string; reason: string; granted_at: Date; expires_at: Date }): BreakGlassGrantView => ({
  id: g.id, clientId, reason: g.reason, grantedAt: g.granted_at.toISOString(), expiresAt: g.expires_at.toISOString(),
});

export async function breakGlass(
  deps: { db: Db; live: LiveHub }, auth: AuthContext, clientId: string, reason: string, ip: string | null,
): Promise<{ grant: BreakGlassGrantView | null; onCareTeam: boolean }> {
  const practiceId = auth.practice.id;
  const outcome = await deps.db.transaction().execute(async (trx) => {
    // NO KEY UPDATE: two grants asked at once for the same client are made one after the other.
    const client = await trx.selectFrom('clients').select('id').where('practice_id', '=', practiceId).where('id', '=', clientId)
      .forNoKeyUpdate().executeTakeFirst();
    if (!client) {
      await appendAuditEvent(trx, {
        practiceId, actorUserId: auth.user.id, actorRole: auth.user.role, action: 'client.break_glass', resourceType: 'client',
        resourceId: clientId, clientId: null, ip, outcome: 'denied', detail: { reason: 'no_such_client_in_practice' },
      });
      return { denied: true as const };
    }
    const assigned = (await trx.selectFrom('client_clinicians').select('clinician_id')
      .where('practice_id', '=', practiceId).where('client_id', '=', clientId).execute()).map((r) => r.clinician_id);
    // The care team has the record already: nothing to break.
    if (can('client.read', auth.actor, { practiceId, assignedClinicianIds: assigned })) {
      return { denied: false as const, grant: null, messages: [] as LiveMessage[] };
    }
    const grant = await trx.insertInto('break_glass_grants').values({
      practice_id: practiceId, id: randomUUID(), client_id: clientId, user_id: auth.user.id, reason,
      expires_at: sql<Date>`now() + make_interval(mins => ${BREAK_GLASS_MINUTES})`,
    }).returning(['id', 'reason', 'granted_at', 'expires_at']).executeTakeFirstOrThrow();
    await appendAuditEvent(trx, {
      practiceId, actorUserId: auth.user.id, actorRole: auth.user.role, action: 'client.break_glass', resourceType: 'client',
      resourceId: clientId, clientId, ip, outcome: 'success',
      detail: { grantId: grant.id, reason, expiresAt: grant.expires_at.toISOString(), minutes: BREAK_GLASS_MINUTES },
    });
    // Told: the assigned clinicians and whoever supervises them (the title carries no clinical detail).
    const supervisors = assigned.length === 0 ? [] : (await trx.selectFrom('supervision').select('supervisor_id')
      .where('practice_id', '=', practiceId).where('clinician_id', 'in', assigned).execute()).map((r) => r.supervisor_id);
    const messages = await notify(trx, {
      practiceId, userIds: [...assigned, ...supervisors].filter((id) => id !== auth.user.id), kind: 'break_glass',
      title: `${auth.user.name} used break-glass access to a client's record`, clientId, dedupeKey: `break_glass:${grant.id}`, at: grant.granted_at,
    });
    return { denied: false as const, grant, messages };
  });
  if (outcome.denied) throw new Problem('NOT_FOUND', 'No such client.');
  await publishAll(deps.live, deps.db, outcome.messages);
  return { grant: outcome.grant ? view(clientId, outcome.grant) : null, onCareTeam: outcome.grant === null };
}

/** The caller's active grant on a client (for the banner); 404 when there is none, as for any record one may not open. */
export async function myActiveGrant(db: Db, auth: AuthContext, clientId: string): Promise<BreakGlassGrantView> {
  const grant = await activeBreakGlassGrant(db, auth.practice.id, clientId, auth.user.id);
  if (!grant) throw new Problem('NOT_FOUND', 'No active break-glass access.');
  return view(clientId, grant);
}
