import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppDeps } from '../../server/app.ts';
import { requestMeta, requireAuth } from '../../server/auth-hooks.ts';
import { calendarDate, emailField, phoneField, requiredText, shortText, uuidField } from '../../server/schemas.ts';
import * as clients from './clients.service.ts';

const riskLevel = z.enum(['none', 'low', 'moderate', 'high']);
const nullable = <T extends z.ZodType>(schema: T) => schema.nullable().optional();
const clientFields = {
  legalName: requiredText(200),
  preferredName: nullable(shortText(200)),
  pronouns: nullable(shortText(50)),
  dateOfBirth: nullable(calendarDate),
  phone: nullable(phoneField),
  email: nullable(emailField),
  address: nullable(shortText(500)),
};
const readiness = z.object({
  safetyPlan: z.boolean(), callableEmergencyContact: z.boolean(),
  policy: z.enum(['current', 'outdated', 'missing', 'no_policy']), gaps: z.array(z.string()),
});
const clientParams = z.object({ clientId: uuidField });
const contactFields = {
  name: requiredText(200),
  relationship: requiredText(100),
  phones: z.array(phoneField).min(1).max(5),
  priority: z.number().int().min(1).max(99),
  mayBeTold: shortText(1000).default(''),
  consentScope: z.enum(['emergency', 'ask_at_time', 'none']),
  consentGivenOn: nullable(calendarDate),
  consentExpiresOn: nullable(calendarDate),
};
const timeOfDay = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Use HH:MM');
const iso = (d: Date | null) => (d ? d.toISOString() : null);

export const clientsRoutes = (deps: AppDeps): FastifyPluginAsyncZod => async (app) => {
  const { db } = deps;

  app.get('/api/clients', {
    config: { action: 'clients.directory' },
    schema: {
      tags: ['clients'],
      summary: "Clients by name: a clinician's care team with risk and readiness; the practice directory (names only) for the front desk and admins",
      querystring: z.strictObject({
        search: shortText(100).optional(),
        afterName: shortText(200).optional(),
        afterId: uuidField.optional(),
        limit: z.coerce.number().int().min(1).max(200).default(50),
        includeArchived: z.enum(['true', 'false']).default('false'),
      }),
      response: { 200: z.object({
        clients: z.array(z.object({
          id: z.string(), name: z.string(), legalName: z.string().optional(), pronouns: z.string().nullable().optional(),
          riskLevel: z.string().optional(), riskAssessedAt: z.string().nullable().optional(), archived: z.boolean(),
          readiness: readiness.optional(),
        })),
        next: z.object({ afterName: z.string(), afterId: z.string() }).nullable(),
      }) },
    },
  }, async (request) => {
    const q = request.query;
    const page = {
      search: q.search, limit: q.limit, includeArchived: q.includeArchived === 'true',
      after: q.afterName !== undefined && q.afterId ? { name: q.afterName, id: q.afterId } : undefined,
    };
    const { rows, readiness: ready } = await clients.listClientsFor(db, requireAuth(request), page, requestMeta(request));
    const last = rows.at(-1);
    return {
      clients: rows.map((r) => ({
        id: r.id, name: r.preferred_name ?? r.legal_name, archived: r.archived_at !== null,
        ...(ready ? { legalName: r.legal_name, pronouns: r.pronouns, riskLevel: r.risk_level, riskAssessedAt: iso(r.risk_assessed_at), readiness: ready.get(r.id) } : {}),
      })),
      next: rows.length === q.limit && last ? { afterName: last.sort_key, afterId: last.id } : null,
    };
  });

  app.post('/api/clients', {
    config: { action: 'clients.create' },
    schema: {
      tags: ['clients'],
      summary: 'Add a client; a clinician who adds one is on its care team',
      body: z.strictObject({ ...clientFields, clinicianIds: z.array(uuidField).max(10).optional() }),
      response: { 201: z.object({ id: z.string() }) },
    },
  }, async (request, reply) => reply.code(201).send(await clients.createClient(db, requireAuth(request), request.body, requestMeta(request))));

  app.get('/api/clients/:clientId', {
    config: { action: 'client.read' },
    schema: {
      tags: ['clients'],
      summary: "The client's safety net: details, care team, emergency contacts and consents, channels, risk, readiness",
      params: clientParams,
      response: { 200: z.object({
        client: z.object({
          id: z.string(), legalName: z.string(), preferredName: z.string().nullable(), name: z.string(), pronouns: z.string().nullable(),
          dateOfBirth: z.string().nullable(), phone: z.string().nullable(), email: z.string().nullable(), address: z.string().nullable(),
          archived: z.boolean(), riskLevel: z.string(), riskAssessedAt: z.string().nullable(),
        }),
        careTeam: z.array(z.object({ id: z.string(), name: z.string(), role: z.string() })),
        emergencyContacts: z.array(z.object({
          id: z.string(), name: z.string(), relationship: z.string(), phones: z.array(z.string()), priority: z.number(), mayBeTold: z.string(),
          consentScope: z.string(), consentGivenOn: z.string().nullable(), consentExpiresOn: z.string().nullable(), callableInEmergency: z.boolean(),
        })),
        channels: z.array(z.object({
          channel: z.string(), consent: z.string(), decidedOn: z.string(), quietHours: z.object({ start: z.string(), end: z.string() }).nullable(), mayLeaveMessage: z.boolean(),
        })),
        riskHistory: z.array(z.object({ id: z.string(), level: z.string(), source: z.string(), justification: z.string(), assessedAt: z.string(), assessedByName: z.string().nullable() })),
        readiness,
      }) },
    },
  }, async (request) => {
    const net = await clients.getSafetyNet(db, requireAuth(request), request.params.clientId, requestMeta(request));
    const c = net.client;
    return {
      client: {
        id: c.id, legalName: c.legal_name, preferredName: c.preferred_name, name: c.preferred_name ?? c.legal_name, pronouns: c.pronouns,
        dateOfBirth: c.date_of_birth, phone: c.phone, email: c.email, address: c.address, archived: c.archived_at !== null,
        riskLevel: c.risk_level, riskAssessedAt: iso(c.risk_assessed_at),
      },
      careTeam: net.careTeam,
      emergencyContacts: net.contacts.map((e) => ({
        id: e.id, name: e.name, relationship: e.relationship, phones: e.phones, priority: e.priority, mayBeTold: e.may_be_told,
        consentScope: e.consent_scope, consentGivenOn: e.consent_given_on, consentExpiresOn: e.consent_expires_on, callableInEmergency: e.callableInEmergency,
      })),
      channels: net.channels.map((ch) => ({
        channel: ch.channel, consent: ch.consent, decidedOn: ch.decided_on, mayLeaveMessage: ch.may_leave_message,
        quietHours: ch.quiet_hours_start && ch.quiet_hours_end ? { start: ch.quiet_hours_start.slice(0, 5), end: ch.quiet_hours_end.slice(0, 5) } : null,
      })),
      riskHistory: net.risk.map((r) => ({ id: r.id, level: r.level, source: r.source, justification: r.justification, assessedAt: r.assessed_at.toISOString(), assessedByName: r.assessed_by_name })),
      readiness: net.readiness,
    };
  });

  app.patch('/api/clients/:clientId', {
    config: { action: 'client.update' },
    schema: {
      tags: ['clients'], summary: "Change a client's details", params: clientParams,
      body: z.strictObject({ ...clientFields, legalName: clientFields.legalName.optional() }).refine((b) => Object.keys(b).length > 0, 'Change at least one field'),
    },
  }, async (request, reply) => {
    await clients.updateClient(db, requireAuth(request), request.params.clientId, request.body, requestMeta(request));
    return reply.code(204).send();
  });

  app.post('/api/clients/:clientId/archive', {
    config: { action: 'client.archive' },
    schema: { tags: ['clients'], summary: 'Archive a client (or restore with archived: false)', params: clientParams, body: z.strictObject({ archived: z.boolean() }) },
  }, async (request, reply) => {
    await clients.archiveClient(db, requireAuth(request), request.params.clientId, request.body.archived, requestMeta(request));
    return reply.code(204).send();
  });

  app.put('/api/clients/:clientId/clinicians', {
    config: { action: 'client.assign' },
    schema: { tags: ['clients'], summary: "Set the client's care team", params: clientParams, body: z.strictObject({ clinicianIds: z.array(uuidField).min(1).max(10) }) },
  }, async (request, reply) => {
    await clients.setCareTeam(db, requireAuth(request), request.params.clientId, request.body.clinicianIds, requestMeta(request));
    return reply.code(204).send();
  });

  app.post('/api/clients/:clientId/emergency-contacts', {
    config: { action: 'client.update' },
    schema: {
      tags: ['clients'], summary: 'Add an emergency contact with what they may be told and the consent on file', params: clientParams,
      body: z.strictObject(contactFields), response: { 201: z.object({ id: z.string() }) },
    },
  }, async (request, reply) => reply.code(201).send(await clients.addEmergencyContact(db, requireAuth(request), request.params.clientId, request.body, requestMeta(request))));

  const contactParams = z.object({ clientId: uuidField, contactId: uuidField });
  app.patch('/api/clients/:clientId/emergency-contacts/:contactId', {
    config: { action: 'client.update' },
    schema: {
      tags: ['clients'], summary: 'Change an emergency contact', params: contactParams,
      body: z.strictObject({
        name: contactFields.name.optional(), relationship: contactFields.relationship.optional(), phones: contactFields.phones.optional(),
        priority: contactFields.priority.optional(), mayBeTold: shortText(1000).optional(), consentScope: contactFields.consentScope.optional(),
        consentGivenOn: contactFields.consentGivenOn, consentExpiresOn: contactFields.consentExpiresOn,
      }),
    },
  }, async (request, reply) => {
    await clients.updateEmergencyContact(db, requireAuth(request), request.params.clientId, request.params.contactId, request.body, requestMeta(request));
    return reply.code(204).send();
  });

  app.delete('/api/clients/:clientId/emergency-contacts/:contactId', {
    config: { action: 'client.update' },
    schema: { tags: ['clients'], summary: 'Remove an emergency contact', params: contactParams },
  }, async (request, reply) => {
    await clients.removeEmergencyContact(db, requireAuth(request), request.params.clientId, request.params.contactId, requestMeta(request));
    return reply.code(204).send();
  });

  app.put('/api/clients/:clientId/channels/:channel', {
    config: { action: 'client.update' },
    schema: {
      tags: ['clients'], summary: 'Record consent for follow-up by voice call, text or email, with quiet hours',
      params: z.object({ clientId: uuidField, channel: z.enum(['voice', 'text', 'email']) }),
      body: z.strictObject({
        consent: z.enum(['given', 'refused']), decidedOn: calendarDate,
        quietHours: z.strictObject({ start: timeOfDay, end: timeOfDay }).nullable().optional(), mayLeaveMessage: z.boolean().default(false),
      }),
    },
  }, async (request, reply) => {
    await clients.setChannelConsent(db, requireAuth(request), request.params.clientId, request.params.channel, request.body, requestMeta(request));
    return reply.code(204).send();
  });

  app.post('/api/clients/:clientId/risk', {
    config: { action: 'client.risk.record' },
    schema: {
      tags: ['clients'], summary: "Record the client's risk level by clinical judgement (the C-SSRS records its own)", params: clientParams,
      body: z.strictObject({ level: riskLevel, justification: requiredText(2000) }),
      response: { 201: z.object({ id: z.string(), assessedAt: z.string() }) },
    },
  }, async (request, reply) => {
    const { id, assessedAt } = await clients.recordClinicalRisk(db, requireAuth(request), request.params.clientId, request.body, requestMeta(request));
    return reply.code(201).send({ id, assessedAt: assessedAt.toISOString() });
  });
};
