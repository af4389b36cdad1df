import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppDeps } from '../../server/app.ts';
import { requestMeta, requireAuth } from '../../server/auth-hooks.ts';
import { phoneField, requiredText, shortText, uuidField } from '../../server/schemas.ts';
import { minutes as appointmentMinutes, startsAt as appointmentStartsAt } from '../schedule/schedule.routes.ts';
import * as sessions from './sessions.service.ts';

const named = z.object({ id: z.string(), name: z.string() });
const crisisResources = z.object({
  locationId: z.string(), locationName: z.string(), address: z.string(), timeZone: z.string().nullable(),
  resources: z.array(z.object({
    kind: z.enum(['emergency', 'crisis_line', 'mobile_crisis', 'emergency_department', 'poison_control']),
    label: z.string(), phone: z.string().nullable(), address: z.string().nullable(),
  })),
});
const sessionView = z.object({
  id: z.string(), appointmentId: z.string(), startsAt: z.string(), minutes: z.number(),
  client: z.object({
    id: z.string(), name: z.string(), riskLevel: z.enum(['unknown', 'none', 'low', 'moderate', 'high']),
    phone: z.string().nullable(), address: z.string().nullable(),
  }),
  clinician: named,
  modality: z.enum(['in_person', 'telehealth']),
  startedAt: z.string(), endedAt: z.string().nullable(), endedEarly: z.boolean().nullable(), endReason: z.string().nullable(),
  rescheduleAppointmentId: z.string().nullable(),
  location: z.object({ id: z.string(), name: z.string(), address: z.string() }).nullable(),
  clientLocation: z.string().nullable(), callbackPhone: z.string().nullable(), locationConfirmedAt: z.string().nullable(),
  availabilityNotice: z.boolean(), availabilityNoticeToldClient: z.boolean(),
  crisisResources: crisisResources.nullable(),
  stepOuts: z.array(z.object({
    id: z.string(), reason: z.string(), toldClient: z.string(), leftAt: z.string(), returnedAt: z.string().nullable(), minutesAway: z.number().nullable(),
  })),
  incidents: z.array(z.object({ id: z.string(), protocolKey: z.string(), status: z.enum(['open', 'closed']), openedAt: z.string() })),
  // The next session's agenda (src/modules/aftercare): open items, and those discussed during this session.
  agenda: z.array(z.object({
    id: z.string(), clientId: z.string(), text: z.string(), appointmentId: z.string().nullable(), incidentId: z.string().nullable(),
    createdAt: z.string(), createdBy: z.string(), discussedAt: z.string().nullable(), discussedBy: z.string().nullable(),
  })),
});
const sessionParams = z.object({ sessionId: uuidField });
const availability = {
  availabilityNotice: z.boolean().optional(),
  availabilityNoticeToldClient: z.boolean().optional(),
};

export const sessionsRoutes = (deps: AppDeps): FastifyPluginAsyncZod => async (app) => {
  app.post('/api/appointments/:appointmentId/session', {
    config: { action: 'session.run' },
    schema: {
      tags: ['sessions'],
      summary: "Start the appointment's session (201); if it has started already, the same session (200). Telehealth: the client's current location and a callback number are required (422 TELEHEALTH_LOCATION_REQUIRED)",
      params: z.object({ appointmentId: uuidField }),
      body: z.strictObject({
        // The practice location whose crisis resources apply; default the appointment's, else the practice's first.
        locationId: uuidField.nullable().optional(),
        clientLocation: shortText(500).optional(),
        callbackPhone: phoneField.optional(),
        ...availability,
      }),
      response: { 200: sessionView, 201: sessionView },
    },
  }, async (request, reply) => {
    const { session, started } = await sessions.startSession(deps.db, requireAuth(request), request.params.appointmentId, request.body, requestMeta(request).ip);
    return reply.code(started ? 201 : 200).send(session);
  });

  // Registered before /:sessionId; fastify matches the static path first either way.
  app.get('/api/sessions/current', {
    config: { action: 'session.run' },
    schema: {
      tags: ['sessions'],
      summary: 'Your own session that has not ended (the latest), or null',
      response: { 200: z.object({ session: sessionView.nullable() }) },
    },
  }, async (request) => ({ session: await sessions.currentSession(deps.db, requireAuth(request), requestMeta(request).ip) }));

  app.get('/api/sessions/:sessionId', {
    config: { action: 'session.run' },
    schema: {
      tags: ['sessions'],
      summary: 'One session with its step-outs, incidents and the crisis resources that apply',
      params: sessionParams,
      response: { 200: sessionView },
    },
  }, async (request) => sessions.getSession(deps.db, requireAuth(request), request.params.sessionId, requestMeta(request).ip));

  app.patch('/api/sessions/:sessionId', {
    config: { action: 'session.run' },
    schema: {
      tags: ['sessions'],
      summary: 'Set the availability notice (the clinician may have to take an urgent call; the client was told in advance). 409 SESSION_ENDED once ended',
      params: sessionParams,
      body: z.strictObject(availability).refine((b) => Object.keys(b).length > 0, 'Send at least one field to change'),
      response: { 200: sessionView },
    },
  }, async (request) => sessions.updateAvailability(deps.db, requireAuth(request), request.params.sessionId, request.body, requestMeta(request).ip));

  app.post('/api/sessions/:sessionId/step-outs', {
    config: { action: 'session.run' },
    schema: {
      tags: ['sessions'],
      summary: 'Step out: why, and what the client was told. One at a time (409 STEP_OUT_UNDER_WAY); 409 SESSION_ENDED once ended',
      params: sessionParams,
      body: z.strictObject({ reason: requiredText(500), toldClient: requiredText(1000) }),
      response: { 201: sessionView },
    },
  }, async (request, reply) => {
    const view = await sessions.stepOut(deps.db, requireAuth(request), request.params.sessionId, request.body, requestMeta(request).ip);
    return reply.code(201).send(view);
  });

  app.post('/api/sessions/:sessionId/step-outs/:stepOutId/return', {
    config: { action: 'session.run' },
    schema: {
      tags: ['sessions'],
      summary: 'Back in the session: the time away is logged (409 STEP_OUT_ALREADY_RETURNED if recorded already)',
      params: z.object({ sessionId: uuidField, stepOutId: uuidField }),
      response: { 200: sessionView },
    },
  }, async (request) => sessions.returnFromStepOut(deps.db, requireAuth(request), request.params.sessionId, request.params.stepOutId, requestMeta(request).ip));

  app.post('/api/sessions/:sessionId/end', {
    config: { action: 'session.run' },
    schema: {
      tags: ['sessions'],
      summary: 'End the session, or end it early with a reason and optionally a new appointment (same client, clinician, modality and place; 409 APPOINTMENT_OVERLAPS and nothing changes if the slot is taken). 409 SESSION_ENDED when ended already',
      params: sessionParams,
      body: z.strictObject({
        early: z.strictObject({
          reason: requiredText(1000),
          reschedule: z.strictObject({ startsAt: appointmentStartsAt, minutes: appointmentMinutes.optional() }).optional(),
        }).optional(),
      }).nullish(), // a plain end may send no body
      response: { 200: sessionView },
    },
  }, async (request) => sessions.endSession(deps.db, requireAuth(request), request.params.sessionId, request.body ?? {}, requestMeta(request).ip));
};
