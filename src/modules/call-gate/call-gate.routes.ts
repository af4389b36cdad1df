import { z } from 'zod';
import formbody from '@fastify/formbody';
import type { FastifyPluginAsyncZod, ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppDeps } from '../../server/app.ts';
import { requestMeta, requireAuth } from '../../server/auth-hooks.ts';
import { uuidField } from '../../server/schemas.ts';
import { BREAKTHROUGH_REASONS, EMERGENCY_NUMBER_KINDS, OTHERWISE_ROUTES } from '../../domain/call-gate.ts';
import { verifyTwilioRequest, type TwilioParams } from '../messaging/twilio-webhooks.ts';
import { systemClock, type Clock } from '../paging/paging.service.ts';
import * as gate from './call-gate.service.ts';
import { afterCall, receiveCall, receiveLineText, type InboundDeps } from './call-gate.webhooks.ts';
import { decideAlert, listRunningSessions, listSessionAlerts, raiseAlert } from './session-alerts.service.ts';

const e164 = z.string().trim().regex(/^\+[1-9]\d{7,14}$/, 'Use the E.164 form: + and 8 to 15 digits, such as +15105550100');
const label = z.string().trim().min(1, 'Enter a label').max(80);
const gateBody = z.strictObject({
  enabled: z.boolean(),
  directNumber: e164.nullable(),
  forwardTo: e164.nullable(),
  otherwise: z.enum(OTHERWISE_ROUTES),
  breakthroughNumbers: z.array(z.strictObject({ label, number: e164 })).max(20),
});
const practiceBody = z.strictObject({
  repeatCallMinutes: z.number().int().min(1).max(60),
  pressOneEnabled: z.boolean(),
  frontDeskNumber: e164.nullable(),
  emergencyNumbers: z.array(z.strictObject({ label, kind: z.enum(EMERGENCY_NUMBER_KINDS), number: e164 })).max(50),
});
const alertView = z.object({
  id: z.string(), sessionId: z.string(), source: z.enum(['call', 'text', 'front_desk']), from: z.string().nullable(), who: z.string(),
  why: z.enum([...BREAKTHROUGH_REASONS, 'front_desk']), message: z.string().nullable(), kind: z.enum(['personal', 'facility']),
  status: z.enum(['open', 'stepped_out', 'texted_back', 'declined']), createdAt: z.string(), decidedAt: z.string().nullable(),
  minutes: z.number().nullable(), incidentId: z.string().nullable(),
});
const callRecord = z.object({
  at: z.string(), from: z.string(), who: z.string(), channel: z.enum(['call', 'text']), sessionId: z.string().nullable(),
  outcome: z.enum(['breakthrough', 'voicemail', 'front_desk', 'on_call', 'normal']), why: z.enum(BREAKTHROUGH_REASONS).nullable(),
});
const sessionParams = z.object({ sessionId: uuidField });
const decisionBody = z.discriminatedUnion('choice', [
  z.strictObject({ choice: z.literal('step_out'), incidentId: uuidField, runId: uuidField }),
  z.strictObject({ choice: z.literal('text_back'), minutes: z.number().int().min(1).max(120) }),
  z.strictObject({ choice: z.literal('decline') }),
]);

export const callGateRoutes = (deps: AppDeps & { clock?: Clock }): FastifyPluginAsyncZod => async (app) => {
  const { db } = deps;
  const clock = deps.clock ?? systemClock;

  // --- settings ---------------------------------------------------------------------------------
  app.get('/api/me/call-gate', {
    config: { action: 'call_gate.own' },
    schema: { tags: ['call-gate'], summary: 'My direct line, where it rings, and who may reach me in session', response: { 200: gateBody } },
  }, async (request) => gate.readMyGate(db, requireAuth(request)));

  app.put('/api/me/call-gate', {
    config: { action: 'call_gate.own' },
    schema: { tags: ['call-gate'], summary: 'Set my line and my list of numbers that reach me in session', body: gateBody, response: { 200: gateBody } },
  }, async (request) => gate.saveMyGate(db, requireAuth(request), request.body, requestMeta(request).ip, clock));

  app.get('/api/me/calls', {
    config: { action: 'call_gate.own' },
    schema: {
      tags: ['call-gate'], summary: 'Calls and texts to my line, newest first, with what happened to each',
      querystring: z.strictObject({ limit: z.coerce.number().int().min(1).max(500).default(100) }),
      response: { 200: z.object({ calls: z.array(callRecord) }) },
    },
  }, async (request) => ({ calls: await gate.listMyCalls(db, requireAuth(request), request.query.limit, requestMeta(request).ip) }));

  app.get('/api/practice/call-gate', {
    config: { action: 'call_gate.practice' },
    schema: { tags: ['call-gate'], summary: "The practice's emergency numbers, front desk and repeated-call window", response: { 200: practiceBody } },
  }, async (request) => gate.readPracticeGate(db, requireAuth(request)));

  app.put('/api/practice/call-gate', {
    config: { action: 'call_gate.practice' },
    schema: { tags: ['call-gate'], summary: "Set the practice's emergency numbers, front desk and repeated-call window", body: practiceBody, response: { 200: practiceBody } },
  }, async (request) => gate.savePracticeGate(db, requireAuth(request), request.body, requestMeta(request).ip, clock));

  // --- alerts in the session ---------------------------------------------------------------------------
  app.get('/api/sessions/running', {
    config: { action: 'session.alert.raise' },
    schema: {
      tags: ['call-gate'], summary: "The practice's sessions under way, for the front desk's \"Let the clinician know\" (ids and times only)",
      response: { 200: z.object({ sessions: z.array(z.object({ id: z.string(), appointmentId: z.string().nullable(), clinicianId: z.string(), startedAt: z.string() })) }) },
    },
  }, async (request) => ({ sessions: await listRunningSessions(db, requireAuth(request), requestMeta(request).ip) }));

  app.get('/api/sessions/:sessionId/alerts', {
    config: { action: 'session.alerts.read' },
    schema: {
      tags: ['call-gate'], summary: "The session's alerts (its clinician only): open first, newest first", params: sessionParams,
      response: { 200: z.object({ alerts: z.array(alertView) }) },
    },
  }, async (request) => ({ alerts: await listSessionAlerts(db, requireAuth(request), request.params.sessionId, requestMeta(request).ip) }));

  app.post('/api/sessions/:sessionId/alerts', {
    config: { action: 'session.alert.raise' },
    schema: {
      tags: ['call-gate'], summary: 'Let the clinician in session know of something urgent (front desk). The id is made by the browser: a retry answers 200 with the same alert',
      params: sessionParams,
      body: z.strictObject({ id: uuidField, who: z.string().trim().min(1).max(120), message: z.string().trim().min(1).max(500), kind: z.enum(['personal', 'facility']) }),
      response: { 200: z.object({ alert: alertView }), 201: z.object({ alert: alertView }) },
    },
  }, async (request, reply) => {
    const result = await raiseAlert({ ...deps, clock }, requireAuth(request), request.params.sessionId, request.body, requestMeta(request).ip);
    return reply.code(result.created ? 201 : 200).send({ alert: result.alert });
  });

  app.post('/api/sessions/:sessionId/alerts/:alertId/decision', {
    config: { action: 'session.alert.decide' },
    schema: {
      tags: ['call-gate'], summary: 'Step out (opens the matching protocol), text back "I will call you in N minutes.", or decline',
      params: z.object({ sessionId: uuidField, alertId: uuidField }), body: decisionBody,
      response: { 200: z.object({ alert: alertView, incidentId: z.string().optional() }) },
    },
  }, async (request) => decideAlert({ ...deps, clock }, requireAuth(request), request.params.sessionId, request.params.alertId, request.body, requestMeta(request).ip));

  // --- Twilio: calls and texts to a clinician's line. Form-encoded, signed, public: their own scope parses forms.
  await app.register(async (hooks) => {
    await hooks.register(formbody);
    const typed = hooks.withTypeProvider<ZodTypeProvider>();
    const base = (request: { protocol: string; host: string }) => (deps.config.publicUrl ?? `${request.protocol}://${request.host}`).replace(/\/$/, '');
    const inbound = (request: { protocol: string; host: string }): InboundDeps => ({ db, live: deps.live, clock, baseUrl: base(request) });
    const practiceParams = z.object({ practiceId: uuidField });
    const form = z.record(z.string(), z.string());
    // Twilio signs the URL it requested and the form fields; nothing is read or written before that holds.
    const verified = async (request: { url: string; protocol: string; host: string; headers: Record<string, string | string[] | undefined>; body: unknown; params: { practiceId: string } }) => {
      const params = request.body as TwilioParams;
      await verifyTwilioRequest(db, request.params.practiceId, header(request.headers['x-twilio-signature']), `${base(request)}${request.url}`, params);
      return params;
    };

    typed.post('/api/webhooks/twilio/:practiceId/voice', {
      schema: { tags: ['call-gate'], summary: "A call to a clinician's line (Twilio Voice, X-Twilio-Signature verified); answers TwiML", params: practiceParams, body: form },
    }, async (request, reply) => {
      const params = await verified(request);
      return reply.type('text/xml').send(await receiveCall(inbound(request), request.params.practiceId, params, 'voice'));
    });

    typed.post('/api/webhooks/twilio/:practiceId/voice/gather', {
      schema: {
        tags: ['call-gate'], summary: 'The caller pressed 1, or nothing (after "If this is an emergency, press 1"); with ?after=dial|record, the end of a call we routed',
        params: practiceParams, querystring: z.strictObject({ after: z.enum(['dial', 'record']).optional() }), body: form,
      },
    }, async (request, reply) => {
      const params = await verified(request);
      const { after } = request.query;
      const twiml = after ? afterCall(inbound(request), request.params.practiceId, params, after) : await receiveCall(inbound(request), request.params.practiceId, params, 'gather');
      return reply.type('text/xml').send(twiml);
    });

    typed.post('/api/webhooks/twilio/:practiceId/line-text', {
      schema: { tags: ['call-gate'], summary: "A text to a clinician's line (Twilio Messaging, X-Twilio-Signature verified); answers TwiML", params: practiceParams, body: form },
    }, async (request, reply) => {
      const params = await verified(request);
      return reply.type('text/xml').send(await receiveLineText(inbound(request), request.params.practiceId, params));
    });
  });
};

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
