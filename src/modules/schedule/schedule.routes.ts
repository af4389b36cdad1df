import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppDeps } from '../../server/app.ts';
import { requestMeta, requireAuth } from '../../server/auth-hooks.ts';
import { calendarDate, uuidField } from '../../server/schemas.ts';
import * as schedule from './schedule.service.ts';

const modality = z.enum(['in_person', 'telehealth']);
const status = z.enum(['scheduled', 'cancelled']);
const named = z.object({ id: z.string(), name: z.string() });

/** A schedule has no business outside this century; the bound also keeps dates sane for the database. */
const scheduleDate = calendarDate.refine((d) => d >= '2000-01-01' && d <= '2099-12-31', 'Use a date between 2000 and 2099');
export const startsAt = z.iso.datetime({ offset: true }).refine((v) => {
  const year = new Date(v).getUTCFullYear();
  return Number.isNaN(year) || (year >= 2000 && year <= 2099); // a malformed value is reported once, above
}, 'Use a date and time between 2000 and 2099, with its offset, e.g. 2026-03-08T09:00:00-08:00');
// The appointments table's own bounds.
export const minutes = z.number().int().min(5).max(480);

const readiness = z.object({
  safetyPlan: z.boolean(),
  callableEmergencyContact: z.boolean(),
  policy: z.enum(['current', 'outdated', 'missing', 'no_policy']),
  gaps: z.array(z.enum(['no_safety_plan', 'no_emergency_contact', 'policy_missing', 'policy_outdated'])),
});
const dayAppointment = z.object({
  id: z.string(), startsAt: z.string(), minutes: z.number(), modality, status,
  location: named.nullable(), clinician: named,
  client: z.object({
    id: z.string(), name: z.string(),
    // Only for the client's care team; never for the front desk or admins.
    riskLevel: z.enum(['unknown', 'none', 'low', 'moderate', 'high']).optional(),
    readiness: readiness.optional(),
  }),
  // The session started from the appointment, or null; only for the client's care team.
  session: z.object({ id: z.string(), startedAt: z.string(), endedAt: z.string().nullable() }).nullable().optional(),
});
/** A protocol's "next session within N hours" with nothing booked inside it yet. */
const nextSessionWarning = z.object({ followUpId: z.string(), client: named, clinician: named, dueAt: z.string(), message: z.string() });
const clientAppointment = z.object({
  id: z.string(), startsAt: z.string(), minutes: z.number(), modality, status, location: named.nullable(), clinician: named,
});
const appointment = z.object({
  id: z.string(), clientId: z.string(), clinicianId: z.string(), startsAt: z.string(), minutes: z.number(), modality,
  locationId: z.string().nullable(), status,
});
const appointmentParams = z.object({ appointmentId: uuidField });

export const scheduleRoutes = (deps: AppDeps): FastifyPluginAsyncZod => async (app) => {
  app.get('/api/schedule/day', {
    config: { action: 'schedule.read' },
    schema: {
      tags: ['schedule'],
      summary: "One day's appointments in the practice's time zone: a clinician's own (default), a supervisee's, or everyone's for the front desk",
      querystring: z.strictObject({ date: scheduleDate, clinicianId: uuidField.optional() }),
      response: { 200: z.object({
        date: z.string(), timeZone: z.string(), clinicianId: z.string().nullable(), appointments: z.array(dayAppointment),
        nextSessionWarnings: z.array(nextSessionWarning),
      }) },
    },
  }, async (request) => schedule.readDay(deps.db, requireAuth(request), request.query, requestMeta(request).ip));

  app.get('/api/clients/:clientId/appointments', {
    config: { action: 'schedule.read' },
    schema: {
      tags: ['schedule'],
      summary: "A client's appointments from a moment on (default now), soonest first",
      params: z.object({ clientId: uuidField }),
      querystring: z.strictObject({
        from: z.iso.datetime({ offset: true }).optional(),
        limit: z.coerce.number().int().min(1).max(100).default(20),
      }),
      response: { 200: z.object({ appointments: z.array(clientAppointment) }) },
    },
  }, async (request) => {
    const from = request.query.from ? new Date(request.query.from) : new Date();
    const appointments = await schedule.listClientAppointments(deps.db, requireAuth(request), request.params.clientId, { from, limit: request.query.limit }, requestMeta(request).ip);
    return { appointments };
  });

  app.post('/api/appointments', {
    config: { action: 'appointments.book' },
    schema: {
      tags: ['schedule'],
      summary: 'Book an appointment for a client with a clinician of their care team',
      body: z.strictObject({
        clientId: uuidField, clinicianId: uuidField, startsAt, minutes, modality,
        locationId: uuidField.nullable().optional(),
      }),
      response: { 201: z.object({ id: z.string() }) },
    },
  }, async (request, reply) => {
    const booked = await schedule.bookAppointment(deps.db, requireAuth(request), request.body, requestMeta(request).ip);
    return reply.code(201).send(booked);
  });

  app.patch('/api/appointments/:appointmentId', {
    config: { action: 'appointments.book' },
    schema: {
      tags: ['schedule'],
      summary: 'Move an appointment: another time, length, modality, location or clinician of the care team',
      params: appointmentParams,
      body: z.strictObject({
        startsAt: startsAt.optional(), minutes: minutes.optional(), modality: modality.optional(),
        locationId: uuidField.nullable().optional(), clinicianId: uuidField.optional(),
      }).refine((b) => Object.keys(b).length > 0, 'Send at least one field to change'),
      response: { 200: appointment },
    },
  }, async (request) => schedule.moveAppointment(deps.db, requireAuth(request), request.params.appointmentId, request.body, requestMeta(request).ip));

  app.post('/api/appointments/:appointmentId/cancel', {
    config: { action: 'appointments.book' },
    schema: {
      tags: ['schedule'],
      summary: 'Cancel an appointment (cancelling again changes nothing)',
      params: appointmentParams,
      response: { 200: appointment },
    },
  }, async (request) => schedule.cancelAppointment(deps.db, requireAuth(request), request.params.appointmentId, requestMeta(request).ip));
};
