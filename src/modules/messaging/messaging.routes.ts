import { z } from 'zod';
import formbody from '@fastify/formbody';
import type { FastifyPluginAsyncZod, ZodTypeProvider } from 'fastify-type-provider-zod';
import twilio from 'twilio';
import type { AppDeps } from '../../server/app.ts';
import { requestMeta, requireAuth } from '../../server/auth-hooks.ts';
import { emailField, uuidField } from '../../server/schemas.ts';
import { systemClock, type Clock } from '../paging/paging.service.ts';
import * as messaging from './messaging.service.ts';
import { TEMPLATE_KEYS } from './templates.ts';
import { receiveInboundText, recordTwilioStatus, verifyTwilioRequest, type TwilioParams } from './twilio-webhooks.ts';

const timeOfDay = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Use HH:MM');
const channel = z.enum(['text', 'email']);
const template = z.enum(TEMPLATE_KEYS);
const optionalText = (max: number) => z.string().trim().max(max).transform((v) => v || null).nullable();
const messageView = z.object({
  id: z.string(), channel, toAddress: z.string(), purpose: z.string(), template: z.string(), subject: z.string().nullable(), body: z.string(),
  status: z.enum(['queued', 'sending', 'sent', 'delivered', 'failed', 'undeliverable', 'cancelled']),
  sendAfter: z.string(), sentAt: z.string().nullable(), statusAt: z.string().nullable(), attempts: z.number(), lastError: z.string().nullable(),
  transport: z.enum(['development', 'smtp', 'twilio']), createdAt: z.string(),
});
const settingsView = z.object({
  emailEnabled: z.boolean(), smtpHost: z.string().nullable(), smtpPort: z.number().nullable(), smtpSecure: z.boolean(), smtpUser: z.string().nullable(),
  hasSmtpPassword: z.boolean(), emailFrom: z.string().nullable(),
  textProvider: z.enum(['none', 'development', 'twilio']), twilioAccountSid: z.string().nullable(), hasTwilioAuthToken: z.boolean(),
  twilioFrom: z.string().nullable(), twilioApiBaseUrl: z.string().nullable(),
  quietHours: z.object({ start: z.string(), end: z.string() }), updatedAt: z.string().nullable(),
});
const settingsBody = z.strictObject({
  emailEnabled: z.boolean(),
  smtpHost: optionalText(253),
  smtpPort: z.number().int().min(1).max(65535).nullable(),
  smtpSecure: z.boolean(),
  smtpUser: optionalText(254),
  smtpPassword: z.string().max(500).nullable().optional().describe('Omit to keep the stored password; null removes it'),
  emailFrom: emailField.nullable(),
  textProvider: z.enum(['none', 'development', 'twilio']),
  twilioAccountSid: z.string().trim().regex(/^AC[0-9a-fA-F]{32}$/, 'A Twilio account SID starts with AC and has 34 characters').nullable(),
  twilioAuthToken: z.string().trim().min(1).max(200).nullable().optional().describe('Omit to keep the stored token; null removes it'),
  twilioFrom: z.string().trim().regex(/^\+[1-9]\d{6,14}$/, 'Use the E.164 form, such as +15105550100').nullable(),
  twilioApiBaseUrl: z.string().url().refine((u) => /^https?:\/\//.test(u), 'Use an http(s) address').nullable(),
  quietHours: z.strictObject({ start: timeOfDay, end: timeOfDay }),
});
const clientParams = z.object({ clientId: uuidField });
const sendBody = z.strictObject({ channel, template });

export const messagingRoutes = (deps: AppDeps & { clock?: Clock }): FastifyPluginAsyncZod => async (app) => {
  const { db, jobs } = deps;
  const clock = deps.clock ?? systemClock;

  app.get('/api/practice/messaging', {
    config: { action: 'messaging.settings.read' },
    schema: { tags: ['messaging'], summary: "The practice's email (SMTP) and text settings and quiet hours; secrets are never returned", response: { 200: settingsView } },
  }, async (request) => messaging.readSettings(db, requireAuth(request)));

  app.put('/api/practice/messaging', {
    config: { action: 'messaging.settings.manage' },
    schema: {
      tags: ['messaging'], summary: 'Set email (SMTP), the text provider and quiet hours. An omitted password or auth token is kept', body: settingsBody,
      response: { 200: settingsView },
    },
  }, async (request) => messaging.saveSettings(db, requireAuth(request), request.body, requestMeta(request).ip, clock));

  app.get('/api/messaging/outbox', {
    config: { action: 'outbox.read' },
    schema: {
      tags: ['messaging'], summary: "The practice's messages to clients (and texts back to callers, without a client), newest first, with their delivery status (the development transport's too)",
      querystring: z.strictObject({ limit: z.coerce.number().int().min(1).max(500).default(100) }),
      response: { 200: z.object({ messages: z.array(messageView.extend({ clientId: z.string().nullable(), clientName: z.string().nullable() })) }) },
    },
  }, async (request) => ({ messages: await messaging.listOutbox(db, requireAuth(request), request.query.limit, requestMeta(request).ip) }));

  app.get('/api/clients/:clientId/messages', {
    config: { action: 'client.messages.read' },
    schema: {
      tags: ['messaging'], summary: 'Messages to the client, newest first, with their delivery status', params: clientParams,
      response: { 200: z.object({ messages: z.array(messageView) }) },
    },
  }, async (request) => ({ messages: await messaging.listClientMessages(db, requireAuth(request), request.params.clientId, requestMeta(request).ip) }));

  app.post('/api/clients/:clientId/messages/preview', {
    config: { action: 'client.message.send' },
    schema: {
      tags: ['messaging'], summary: 'What a message to the client would say, where and when it would go, or why it cannot go', params: clientParams, body: sendBody,
      response: { 200: z.object({
        subject: z.string().nullable(), body: z.string(), toAddress: z.string().nullable(), sendAfter: z.string().nullable(), heldForQuietHours: z.boolean(),
        blockedBy: z.object({ code: z.string(), detail: z.string() }).nullable(),
      }) },
    },
  }, async (request) => messaging.previewMessage(db, requireAuth(request), request.params.clientId, request.body, requestMeta(request).ip, clock));

  app.post('/api/clients/:clientId/messages', {
    config: { action: 'client.message.send' },
    schema: {
      tags: ['messaging'],
      summary: 'Send the client a message from a template on a channel they consented to. Held during quiet hours. The id is made by the browser: a retry answers 200 with the same message',
      params: clientParams, body: sendBody.extend({ id: uuidField }),
      response: { 200: z.object({ message: messageView, heldForQuietHours: z.boolean() }), 201: z.object({ message: messageView, heldForQuietHours: z.boolean() }) },
    },
  }, async (request, reply) => {
    const result = await messaging.sendClientMessage(db, jobs, requireAuth(request), request.params.clientId, request.body, requestMeta(request).ip, clock);
    return reply.code(result.created ? 201 : 200).send({ message: result.message, heldForQuietHours: result.heldForQuietHours });
  });

  // Twilio's webhooks: form-encoded, signed, public (no session). Their own scope parses forms.
  await app.register(async (hooks) => {
    await hooks.register(formbody);
    const typed = hooks.withTypeProvider<ZodTypeProvider>();
    const publicUrl = (request: { url: string; protocol: string; host: string }) =>
      `${(deps.config.publicUrl ?? `${request.protocol}://${request.host}`).replace(/\/$/, '')}${request.url}`;
    const practiceParams = z.object({ practiceId: uuidField });
    const form = z.record(z.string(), z.string());
    const twimlEmpty = new twilio.twiml.MessagingResponse().toString();

    typed.post('/api/webhooks/twilio/:practiceId/status', {
      schema: { tags: ['messaging'], summary: "Twilio's delivery status callback (X-Twilio-Signature verified)", params: practiceParams, body: form },
    }, async (request, reply) => {
      const params = request.body as TwilioParams;
      await verifyTwilioRequest(db, request.params.practiceId, header(request.headers['x-twilio-signature']), publicUrl(request), params);
      await recordTwilioStatus(db, request.params.practiceId, params, clock.now());
      return reply.code(204).send();
    });

    typed.post('/api/webhooks/twilio/:practiceId/inbound', {
      schema: { tags: ['messaging'], summary: 'An inbound text (X-Twilio-Signature verified): STOP opts the client out of texts, START back in', params: practiceParams, body: form },
    }, async (request, reply) => {
      const params = request.body as TwilioParams;
      await verifyTwilioRequest(db, request.params.practiceId, header(request.headers['x-twilio-signature']), publicUrl(request), params);
      await receiveInboundText(db, request.params.practiceId, params, clock.now());
      return reply.type('text/xml').send(twimlEmpty);
    });
  });
};

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
