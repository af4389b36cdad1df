import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppDeps } from '../../server/app.ts';
import { requestMeta, requireAuth } from '../../server/auth-hooks.ts';
import { calendarDate, requiredText, shortText, uuidField } from '../../server/schemas.ts';
import { MAX_CARING_CONTACT_COUNT, MIN_CARING_CONTACT_COUNT } from '../../domain/caring-contacts.ts';
import { publishAll } from '../paging/paging.service.ts';
import * as aftercare from './aftercare.service.ts';
import * as caring from './caring-contacts.service.ts';

const named = z.object({ id: z.string(), name: z.string() });
const clientParams = z.object({ clientId: uuidField });

const caringContact = z.object({
  id: z.string(), seq: z.number(), dueOn: z.string(), sendAt: z.string(), body: z.string(),
  status: z.enum(['scheduled', 'sent', 'cancelled', 'not_sent']), notSentReason: z.string().nullable(),
  editedAt: z.string().nullable(), editedBy: z.string().nullable(), messageId: z.string().nullable(), messageStatus: z.string().nullable(),
});
const caringSeries = z.object({
  id: z.string(), clientId: z.string(), channel: z.enum(['text', 'email']), status: z.enum(['active', 'stopped', 'completed']),
  startsOn: z.string(), count: z.number(), clinician: named, stoppedAt: z.string().nullable(),
  stopReason: z.enum(['client_opt_out', 'clinician']).nullable(), createdAt: z.string(), contacts: z.array(caringContact),
});
const agendaItem = z.object({
  id: z.string(), clientId: z.string(), text: z.string(), appointmentId: z.string().nullable(), incidentId: z.string().nullable(),
  createdAt: z.string(), createdBy: z.string(), discussedAt: z.string().nullable(), discussedBy: z.string().nullable(),
});
const nextSessionWarning = z.object({ followUpId: z.string(), client: named, clinician: named, dueAt: z.string(), message: z.string() });
const reflection = z.object({ id: z.string(), clientId: z.string(), incidentId: z.string().nullable(), body: z.string(), createdAt: z.string(), updatedAt: z.string() });
const fit = z.enum(['good', 'uncertain', 'poor']);
const decision = z.enum(['continue', 'adjust', 'refer']);
const approachNote = z.object({
  id: z.string(), clientId: z.string(), incidentId: z.string().nullable(), kind: z.enum(['adjustment', 'fit']), body: z.string(),
  fit: fit.nullable(), decision: decision.nullable(), author: named, createdAt: z.string(),
});
const referralStatus = z.enum(['proposed', 'contacted', 'accepted', 'completed', 'declined', 'cancelled']);
const referral = z.object({
  id: z.string(), clientId: z.string(), incidentId: z.string().nullable(), toKind: z.enum(['internal', 'external']), toUserId: z.string().nullable(),
  toName: z.string(), toContact: z.string(), reason: z.string(), status: referralStatus,
  handoff: z.array(z.object({ key: z.string(), label: z.string(), doneAt: z.string().nullable(), doneBy: z.string().nullable() })),
  createdBy: z.string(), createdAt: z.string(), updatedAt: z.string(),
});
const incidentId = uuidField.nullable().optional();

export const aftercareRoutes = (deps: AppDeps): FastifyPluginAsyncZod => async (app) => {
  // --- caring contacts ---
  app.post('/api/clients/:clientId/caring-contacts', {
    config: { action: 'client.caring_contacts.manage' },
    schema: {
      tags: ['aftercare'],
      summary: 'Start caring contacts (Motto & Bostrom 2001 cadence): one active series per client (409 CARING_CONTACTS_ACTIVE); the channel needs consent (422 NO_CONSENT_FOR_CHANNEL)',
      params: clientParams,
      body: z.strictObject({
        channel: z.enum(['text', 'email']),
        startsOn: calendarDate.refine((d) => d >= '2000-01-01' && d <= '2099-12-31', 'Use a date between 2000 and 2099').optional(),
        count: z.number().int().min(MIN_CARING_CONTACT_COUNT).max(MAX_CARING_CONTACT_COUNT).optional(),
      }),
      response: { 201: caringSeries },
    },
  }, async (request, reply) => {
    const series = await caring.startSeries(deps.db, deps.jobs, requireAuth(request), request.params.clientId, request.body, requestMeta(request).ip);
    return reply.code(201).send(series);
  });

  app.get('/api/clients/:clientId/caring-contacts', {
    config: { action: 'client.caring_contacts.manage' },
    schema: { tags: ['aftercare'], summary: "The client's caring-contact series, newest first, with each contact", params: clientParams, response: { 200: z.object({ series: z.array(caringSeries) }) } },
  }, async (request) => ({ series: await caring.listSeries(deps.db, requireAuth(request), request.params.clientId, requestMeta(request).ip) }));

  app.patch('/api/caring-contacts/:caringContactId', {
    config: { action: 'client.caring_contacts.manage' },
    schema: {
      tags: ['aftercare'],
      summary: 'Edit a caring contact before it goes (409 CARING_CONTACT_NOT_EDITABLE after; 422 MESSAGE_HAS_CLINICAL_DETAIL)',
      params: z.object({ caringContactId: uuidField }),
      body: z.strictObject({ body: requiredText(600) }),
      response: { 200: caringContact },
    },
  }, async (request) => caring.editContact(deps.db, requireAuth(request), request.params.caringContactId, request.body.body, requestMeta(request).ip));

  app.post('/api/caring-contact-series/:seriesId/stop', {
    config: { action: 'client.caring_contacts.manage' },
    schema: {
      tags: ['aftercare'], summary: 'Stop a caring-contact series; the contacts not yet sent are cancelled (stopping again changes nothing)',
      params: z.object({ seriesId: uuidField }), response: { 200: caringSeries },
    },
  }, async (request) => caring.stopSeriesByClinician(deps.db, requireAuth(request), request.params.seriesId, requestMeta(request).ip));

  // --- the next session's agenda ---
  app.post('/api/clients/:clientId/agenda', {
    config: { action: 'client.agenda.manage' },
    schema: {
      tags: ['aftercare'], summary: "Add an item to the next session's agenda (attached to the next booked appointment, if any). 201, or 200 when the id was written already",
      params: clientParams,
      body: z.strictObject({ id: uuidField, text: requiredText(500), incidentId }),
      response: { 200: agendaItem, 201: agendaItem },
    },
  }, async (request, reply) => {
    const { item, created } = await aftercare.addAgendaItem(deps.db, requireAuth(request), request.params.clientId, request.body, requestMeta(request).ip);
    return reply.code(created ? 201 : 200).send(item);
  });

  app.get('/api/clients/:clientId/agenda', {
    config: { action: 'client.read' },
    schema: {
      tags: ['aftercare'], summary: "The next session's agenda (open items, then recently discussed), the next appointment, and any next-session window with nothing booked",
      params: clientParams,
      response: { 200: z.object({ items: z.array(agendaItem), nextAppointment: z.object({ id: z.string(), startsAt: z.string() }).nullable(), nextSessionWarnings: z.array(nextSessionWarning) }) },
    },
  }, async (request) => aftercare.readAgenda(deps.db, requireAuth(request), request.params.clientId, requestMeta(request).ip));

  app.patch('/api/agenda-items/:agendaItemId', {
    config: { action: 'client.agenda.manage' },
    schema: {
      tags: ['aftercare'], summary: 'Mark an agenda item discussed (or not yet)',
      params: z.object({ agendaItemId: uuidField }), body: z.strictObject({ discussed: z.boolean() }), response: { 200: agendaItem },
    },
  }, async (request) => aftercare.markAgendaItem(deps.db, requireAuth(request), request.params.agendaItemId, request.body.discussed, requestMeta(request).ip));

  // --- reflection (a psychotherapy note: its author alone reads it) ---
  app.post('/api/clients/:clientId/reflections', {
    config: { action: 'client.reflection.write' },
    schema: {
      tags: ['aftercare'], summary: 'Write a reflection (a psychotherapy note, HIPAA 45 CFR 164.501): only you will be able to read it',
      params: clientParams, body: z.strictObject({ id: uuidField, body: requiredText(20_000), incidentId }), response: { 200: reflection, 201: reflection },
    },
  }, async (request, reply) => {
    const { note, created } = await aftercare.writeReflection(deps.db, requireAuth(request), request.params.clientId, request.body, requestMeta(request).ip);
    return reply.code(created ? 201 : 200).send(note);
  });

  app.get('/api/clients/:clientId/reflections', {
    config: { action: 'reflection.read' },
    schema: { tags: ['aftercare'], summary: 'Your own reflections on this client (nobody else\'s, whoever asks)', params: clientParams, response: { 200: z.object({ reflections: z.array(reflection) }) } },
  }, async (request) => ({ reflections: await aftercare.listMyReflections(deps.db, requireAuth(request), request.params.clientId, requestMeta(request).ip) }));

  app.get('/api/reflections/:reflectionId', {
    config: { action: 'reflection.read' },
    schema: { tags: ['aftercare'], summary: 'One reflection, for its author; 404 for anyone else', params: z.object({ reflectionId: uuidField }), response: { 200: reflection } },
  }, async (request) => aftercare.readReflection(deps.db, requireAuth(request), request.params.reflectionId, requestMeta(request).ip));

  // --- approach adjustment and therapeutic fit ---
  const approachBase = { id: uuidField, body: requiredText(5000), incidentId };
  app.post('/api/clients/:clientId/approach-notes', {
    config: { action: 'client.aftercare.write' },
    schema: {
      tags: ['aftercare'], summary: 'Note an adjustment to the approach, or assess the therapeutic fit (fit and decision required)',
      params: clientParams,
      body: z.discriminatedUnion('kind', [
        z.strictObject({ ...approachBase, kind: z.literal('adjustment') }),
        z.strictObject({ ...approachBase, kind: z.literal('fit'), fit, decision }),
      ]),
      response: { 200: approachNote, 201: approachNote },
    },
  }, async (request, reply) => {
    const { note, created } = await aftercare.writeApproachNote(deps.db, requireAuth(request), request.params.clientId, request.body, requestMeta(request).ip);
    return reply.code(created ? 201 : 200).send(note);
  });

  app.get('/api/clients/:clientId/approach-notes', {
    config: { action: 'client.aftercare.write' },
    schema: { tags: ['aftercare'], summary: 'Approach adjustments and fit assessments, newest first', params: clientParams, response: { 200: z.object({ notes: z.array(approachNote) }) } },
  }, async (request) => ({ notes: await aftercare.listApproachNotes(deps.db, requireAuth(request), request.params.clientId, requestMeta(request).ip) }));

  // --- referral with a warm hand-off ---
  app.post('/api/clients/:clientId/referrals', {
    config: { action: 'client.referral.manage' },
    schema: {
      tags: ['aftercare'], summary: 'Refer the client to a clinician of the practice (notified) or an outside provider, with a warm hand-off checklist',
      params: clientParams,
      body: z.strictObject({
        id: uuidField, toKind: z.enum(['internal', 'external']), toUserId: uuidField.optional(), toName: shortText(200).optional(),
        toContact: shortText(500).optional(), reason: requiredText(2000), incidentId,
      }).superRefine((b, ctx) => {
        if (b.toKind === 'internal' && !b.toUserId) ctx.addIssue({ code: 'custom', path: ['toUserId'], message: 'Choose the clinician of the practice' });
        if (b.toKind === 'external' && b.toUserId) ctx.addIssue({ code: 'custom', path: ['toUserId'], message: 'An outside provider is not a user of the practice' });
        if (b.toKind === 'external' && !b.toName) ctx.addIssue({ code: 'custom', path: ['toName'], message: 'Name the provider' });
      }),
      response: { 200: referral, 201: referral },
    },
  }, async (request, reply) => {
    const { referral: made, created, messages } = await aftercare.createReferral(deps.db, requireAuth(request), request.params.clientId, request.body, requestMeta(request).ip);
    await publishAll(deps.live, deps.db, messages);
    return reply.code(created ? 201 : 200).send(made);
  });

  app.get('/api/clients/:clientId/referrals', {
    config: { action: 'client.referral.manage' },
    schema: { tags: ['aftercare'], summary: "The client's referrals, newest first", params: clientParams, response: { 200: z.object({ referrals: z.array(referral) }) } },
  }, async (request) => ({ referrals: await aftercare.listReferrals(deps.db, requireAuth(request), request.params.clientId, requestMeta(request).ip) }));

  app.patch('/api/referrals/:referralId', {
    config: { action: 'client.referral.manage' },
    schema: {
      tags: ['aftercare'], summary: 'Move a referral along and tick its hand-off checklist; completing an internal one adds the receiving clinician to the care team (addToCareTeam: false to not). 409 REFERRAL_CLOSED once closed',
      params: z.object({ referralId: uuidField }),
      body: z.strictObject({
        status: referralStatus.optional(),
        item: z.strictObject({ key: z.enum(aftercare.HANDOFF_KEYS), done: z.boolean() }).optional(),
        addToCareTeam: z.boolean().optional(),
      }).refine((b) => b.status !== undefined || b.item !== undefined, 'Send a status or a checklist item'),
      response: { 200: referral },
    },
  }, async (request) => aftercare.updateReferral(deps.db, requireAuth(request), request.params.referralId, request.body, requestMeta(request).ip));
};
