import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppDeps } from '../../server/app.ts';
import { requestMeta, requireAuth } from '../../server/auth-hooks.ts';
import { uuidField } from '../../server/schemas.ts';
import { appendAuditEvent, findAuditEvents } from './audit.repository.ts';
import { sealAndVerify } from './audit.service.ts';

const outcome = z.enum(['success', 'denied', 'failure']);

export const auditRoutes = (deps: AppDeps): FastifyPluginAsyncZod => async (app) => {
  app.get('/api/audit/events', {
    config: { action: 'audit.browse' },
    schema: {
      tags: ['audit'],
      summary: "Browse the practice's audit trail, newest first",
      querystring: z.strictObject({
        action: z.string().max(100).optional(),
        actorId: uuidField.optional(),
        outcome: outcome.optional(),
        from: z.iso.datetime({ offset: true }).optional(),
        to: z.iso.datetime({ offset: true }).optional(),
        before: z.coerce.number().int().positive().optional(),
        limit: z.coerce.number().int().min(1).max(200).default(50),
      }),
      response: { 200: z.object({
        events: z.array(z.object({
          seq: z.number(), at: z.string(), actorUserId: z.string().nullable(), actorName: z.string().nullable(),
          action: z.string(), resourceType: z.string().nullable(), resourceId: z.string().nullable(),
          outcome, ip: z.string().nullable(), detail: z.record(z.string(), z.unknown()),
        })),
        nextBefore: z.number().nullable(),
      }) },
    },
  }, async (request) => {
    const auth = requireAuth(request);
    const q = request.query;
    const rows = await findAuditEvents(deps.db, {
      practiceId: auth.practice.id, action: q.action, actorUserId: q.actorId, outcome: q.outcome,
      from: q.from ? new Date(q.from) : undefined, to: q.to ? new Date(q.to) : undefined, beforeSeq: q.before, limit: q.limit,
    });
    // Reading the trail is itself on the trail.
    await appendAuditEvent(deps.db, {
      practiceId: auth.practice.id, actorUserId: auth.user.id, actorRole: auth.user.role, action: 'audit.browse',
      resourceType: 'audit_trail', ip: request.ip, outcome: 'success', detail: { filter: q, returned: rows.length },
    });
    return {
      events: rows.map((e) => ({
        seq: e.seq, at: e.at.toISOString(), actorUserId: e.actor_user_id, actorName: e.actor_name, action: e.action,
        resourceType: e.resource_type, resourceId: e.resource_id, outcome: e.outcome, ip: e.ip,
        detail: JSON.parse(e.detail) as Record<string, unknown>,
      })),
      nextBefore: rows.length === q.limit ? rows[rows.length - 1]!.seq : null,
    };
  });

  app.get('/api/audit/verify', {
    config: { action: 'audit.verify' },
    schema: {
      tags: ['audit'],
      summary: "Check the practice's audit chain and name the first broken event",
      response: { 200: z.object({ ok: z.boolean(), checked: z.number(), firstBroken: z.object({ seq: z.number(), reason: z.string() }).nullable() }) },
    },
  }, async (request) => {
    const auth = requireAuth(request);
    const verdict = await sealAndVerify(deps.db, auth.practice.id);
    await appendAuditEvent(deps.db, {
      practiceId: auth.practice.id, actorUserId: auth.user.id, actorRole: auth.user.role, action: 'audit.verify',
      resourceType: 'audit_trail', ip: requestMeta(request).ip, outcome: 'success', detail: { ok: verdict.ok, checked: verdict.checked },
    });
    return { ok: verdict.ok, checked: verdict.checked, firstBroken: verdict.firstBroken };
  });
};
