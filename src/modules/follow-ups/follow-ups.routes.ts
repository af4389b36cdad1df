import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppDeps } from '../../server/app.ts';
import { requestMeta, requireAuth } from '../../server/auth-hooks.ts';
import { uuidField } from '../../server/schemas.ts';
import * as service from './follow-ups.service.ts';
import { listMyNotifications, markNotificationRead } from './notifications.ts';

const named = z.object({ id: z.string(), name: z.string() });
const instant = z.iso.datetime({ offset: true });
const channel = z.enum(['voice', 'text', 'email', 'in_person']);
const outcome = z.enum(['reached', 'no_answer', 'left_message', 'wrong_number']);
/** Failed attempts before "unable to reach" (DESIGN.md: 3–5; the practice may allow 1–5). */
const maxAttempts = z.number().int().min(1).max(5);
const title = z.string().trim().min(1).max(200);

const item = z.object({
  id: z.string(), kind: z.string(), title: z.string(), status: z.string(), source: z.enum(['protocol', 'manual']), dueAt: z.string(), overdue: z.boolean(),
  channel: channel.nullable(), attempts: z.object({ count: z.number(), failed: z.number(), max: z.number() }),
  escalationReason: z.enum(['overdue', 'unable_to_reach']).nullable(), client: named, incidentId: z.string().nullable(), assignedTo: named,
});
const attempt = z.object({
  id: z.string(), channel, outcome, note: z.string(), messageId: z.string().nullable(), attemptedAt: z.string(), recordedBy: named,
});
const detail = item.extend({
  remindAt: z.string().nullable(), remindedAt: z.string().nullable(), escalatedAt: z.string().nullable(), note: z.string().nullable(),
  doneAt: z.string().nullable(), doneBy: named.nullable(), createdAt: z.string(), updatedAt: z.string(), scheduleVersion: z.number(),
  attemptLog: z.array(attempt),
});
const incidentFollowUp = z.object({ id: z.string(), kind: z.string(), title: z.string(), dueAt: z.string(), status: z.string(), stepId: z.string().nullable(), assignedTo: named });
const notification = z.object({
  id: z.string(), kind: z.string(), title: z.string(), clientId: z.string().nullable(), followUpTaskId: z.string().nullable(), createdAt: z.string(), readAt: z.string().nullable(),
});
const settings = z.object({ reminderLeadMinutes: z.number(), defaultMaxAttempts: z.number(), updatedAt: z.string().nullable() });
const followUpParams = z.object({ followUpId: uuidField });

export const followUpsRoutes = (deps: AppDeps): FastifyPluginAsyncZod => async (app) => {
  const ip = (request: Parameters<typeof requestMeta>[0]) => requestMeta(request).ip;

  app.get('/api/follow-ups', {
    config: { action: 'follow_ups.read' },
    schema: {
      tags: ['follow-ups'], summary: 'My follow-ups, most urgent first: overdue, then soonest due (open = open or unable to reach)',
      querystring: z.strictObject({ status: z.enum(['open', 'done', 'all']).default('open') }),
      response: { 200: z.object({ followUps: z.array(item) }) },
    },
  }, async (request) => ({ followUps: await service.listMyFollowUps(deps.db, requireAuth(request), request.query.status, ip(request)) }));

  app.get('/api/follow-ups/team', {
    config: { action: 'follow_ups.team' },
    schema: {
      tags: ['follow-ups'], summary: "A supervisor's view: the open and overdue follow-ups of their supervisees and their own",
      querystring: z.strictObject({ filter: z.enum(['active', 'overdue']).default('active') }),
      response: { 200: z.object({
        clinicians: z.array(z.object({ id: z.string(), name: z.string(), open: z.number(), overdue: z.number(), unableToReach: z.number() })),
        followUps: z.array(item),
      }) },
    },
  }, async (request) => service.listTeamFollowUps(deps.db, requireAuth(request), request.query.filter, ip(request)));

  app.get('/api/follow-ups/:followUpId', {
    config: { action: 'follow_ups.read' },
    schema: { tags: ['follow-ups'], summary: 'One follow-up with its attempts (its client’s care team)', params: followUpParams, response: { 200: z.object({ followUp: detail }) } },
  }, async (request) => ({ followUp: await service.readFollowUp(deps.db, requireAuth(request), request.params.followUpId, ip(request)) }));

  app.post('/api/clients/:clientId/follow-ups', {
    config: { action: 'follow_up.create' },
    schema: {
      tags: ['follow-ups'], summary: 'A follow-up by hand (idempotent on the client-made id); the assignee is a clinician of the care team, by default me',
      params: z.object({ clientId: uuidField }),
      body: z.strictObject({
        id: uuidField, title, kind: z.string().trim().regex(/^[a-z][a-z0-9-]{0,79}$/).optional(), dueAt: instant, channel: channel.optional(),
        assignedTo: uuidField.optional(), maxAttempts: maxAttempts.optional(),
      }),
      response: { 200: z.object({ followUp: detail }), 201: z.object({ followUp: detail }) },
    },
  }, async (request, reply) => {
    const { created, followUp } = await service.createFollowUp(deps, requireAuth(request), request.params.clientId, request.body, ip(request));
    return reply.code(created ? 201 : 200).send({ followUp });
  });

  app.patch('/api/follow-ups/:followUpId', {
    config: { action: 'follow_up.update' },
    schema: {
      tags: ['follow-ups'], summary: 'Reschedules (replacing its timers), reassigns, sets the attempts allowed, or cancels with a reason',
      params: followUpParams,
      body: z.strictObject({
        dueAt: instant.optional(), assignedTo: uuidField.optional(), maxAttempts: maxAttempts.optional(), channel: channel.nullable().optional(), title: title.optional(),
        cancel: z.strictObject({ reason: z.string().trim().min(1).max(1000) }).optional(),
      }).refine((b) => Object.keys(b).length > 0, 'Say what to change')
        .refine((b) => !b.cancel || Object.keys(b).length === 1, 'Cancel on its own, without other changes'),
      response: { 200: z.object({ followUp: detail }) },
    },
  }, async (request) => ({ followUp: await service.updateFollowUp(deps, requireAuth(request), request.params.followUpId, request.body, ip(request)) }));

  app.post('/api/follow-ups/:followUpId/attempts', {
    config: { action: 'follow_up.attempt' },
    schema: {
      tags: ['follow-ups'], summary: 'Logs an attempt to reach the client (idempotent on the client-made id); failed attempts count toward "unable to reach"',
      params: followUpParams,
      body: z.strictObject({ id: uuidField, channel, outcome, note: z.string().trim().max(2000).optional() }),
      response: { 200: z.object({ followUp: detail }), 201: z.object({ followUp: detail }) },
    },
  }, async (request, reply) => {
    const { created, followUp } = await service.recordAttempt(deps, requireAuth(request), request.params.followUpId, request.body, ip(request));
    return reply.code(created ? 201 : 200).send({ followUp });
  });

  app.post('/api/follow-ups/:followUpId/check-in', {
    config: { action: 'follow_up.attempt' },
    schema: {
      tags: ['follow-ups'], summary: 'Sends a check-in (no clinical detail) through the outbox and logs it as an attempt, in one transaction',
      params: followUpParams,
      body: z.strictObject({ messageId: uuidField, channel: z.enum(['text', 'email']), template: z.literal('check_in').default('check_in') }),
      response: {
        200: z.object({ followUp: detail, message: z.object({ id: z.string(), status: z.string(), sendAfter: z.string(), heldForQuietHours: z.boolean() }) }),
        201: z.object({ followUp: detail, message: z.object({ id: z.string(), status: z.string(), sendAfter: z.string(), heldForQuietHours: z.boolean() }) }),
      },
    },
  }, async (request, reply) => {
    const { created, ...result } = await service.sendCheckIn(deps, requireAuth(request), request.params.followUpId, request.body, ip(request));
    return reply.code(created ? 201 : 200).send(result);
  });

  app.post('/api/follow-ups/:followUpId/complete', {
    config: { action: 'follow_up.complete' },
    schema: {
      tags: ['follow-ups'], summary: 'Marks a follow-up done (open or unable to reach)', params: followUpParams,
      body: z.strictObject({ note: z.string().trim().max(2000).optional() }), response: { 200: z.object({ followUp: incidentFollowUp }) },
    },
  }, async (request) => ({ followUp: await service.completeFollowUp(deps, requireAuth(request), request.params.followUpId, request.body.note, ip(request)) }));

  app.get('/api/practice/follow-up-settings', {
    config: { action: 'follow_ups.settings' },
    schema: { tags: ['follow-ups'], summary: "The practice's reminder lead time and default number of attempts", response: { 200: settings } },
  }, async (request) => service.readSettings(deps.db, requireAuth(request)));

  app.put('/api/practice/follow-up-settings', {
    config: { action: 'follow_ups.settings' },
    schema: {
      tags: ['follow-ups'], summary: 'Sets the reminder lead time (0–1440 minutes) and the default attempts (1–5) for follow-ups made from now on',
      body: z.strictObject({ reminderLeadMinutes: z.number().int().min(0).max(1440), defaultMaxAttempts: maxAttempts }),
      response: { 200: settings },
    },
  }, async (request) => service.saveSettings(deps.db, requireAuth(request), request.body, ip(request)));

  app.get('/api/notifications', {
    config: { action: 'notifications.read' },
    schema: {
      tags: ['notifications'], summary: 'My notifications, newest first, with the unread count',
      response: { 200: z.object({ notifications: z.array(notification), unread: z.number() }) },
    },
  }, async (request) => listMyNotifications(deps.db, requireAuth(request)));

  app.post('/api/notifications/:notificationId/read', {
    config: { action: 'notifications.read' },
    schema: {
      tags: ['notifications'], summary: 'Marks one of my notifications read', params: z.object({ notificationId: uuidField }),
      response: { 200: z.object({ notification }) },
    },
  }, async (request) => ({ notification: await markNotificationRead(deps.db, requireAuth(request), request.params.notificationId, ip(request)) }));
};
