import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppDeps } from '../../server/app.ts';
import { requestMeta, requireAuth } from '../../server/auth-hooks.ts';
import { uuidField } from '../../server/schemas.ts';
import { crisisResource } from '../locations/locations.routes.ts';
import * as incidents from './incidents.service.ts';
import * as view from './incident-view.service.ts';
import * as settings from './protocol-settings.service.ts';

const stepId = z.string().min(1).max(80);
const longText = z.string().trim().min(1).max(20_000);
const named = z.object({ id: z.string(), name: z.string() });
const instant = z.iso.datetime({ offset: true });

/** What the clinician did to a step (src/domain/protocols/run.ts RunAction). */
const runAction = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('answer'), stepId, value: z.union([z.string().min(1).max(80), z.number().int().min(-1000).max(1000)]) }),
  z.strictObject({ type: z.literal('record_assessment'), stepId, answers: z.record(z.string().max(40), z.boolean()) }),
  z.strictObject({ type: z.literal('mark_done'), stepId, note: z.string().trim().max(2000).optional() }),
  z.strictObject({ type: z.literal('document'), stepId, text: longText }),
  z.strictObject({ type: z.literal('start_timer'), stepId }),
  z.strictObject({ type: z.literal('finish_timer'), stepId }),
  z.strictObject({ type: z.literal('skip'), stepId, reason: z.string().trim().min(1).max(1000) }),
  z.strictObject({ type: z.literal('complete') }),
]);

const timelineEntry = z.object({
  seq: z.number(), at: z.string(), actor: named.nullable(), runId: z.string().nullable(), stepId: z.string().nullable(), kind: z.string(), what: z.string(),
});
// The run state of src/domain/protocols/run.ts (definition included), as stored.
const runState = z.any().describe('RunState: the pinned protocol definition, parameters and each step’s state');
const runView = z.object({ id: z.string(), status: z.enum(['open', 'completed']), state: runState });
const disclosure = z.object({
  id: z.string(), recipientKind: z.string(), recipientName: z.string(), recipientContact: z.string().nullable(), whatWasSaid: z.string(),
  legalBasis: z.string(), purpose: z.string(), disclosedAt: z.string(), stepId: z.string().nullable(), incidentId: z.string().nullable(),
});
const followUp = z.object({ id: z.string(), kind: z.string(), title: z.string(), dueAt: z.string(), status: z.string(), stepId: z.string().nullable(), assignedTo: named });
const page = z.object({
  id: z.string(), status: z.string(), reason: z.string(), createdAt: z.string(), requestedBy: named, level: z.number(), round: z.number(),
  acknowledgedBy: named.nullable(), acknowledgedAt: z.string().nullable(),
  recipients: z.array(z.object({ user: named, level: z.number(), round: z.number(), notifiedAt: z.string() })),
});
const incidentDetail = z.object({
  id: z.string(), status: z.enum(['open', 'closed']), protocolKey: z.string(), discreet: z.boolean(), openedAt: z.string(), openedBy: named,
  closedAt: z.string().nullable(), client: named, sessionId: z.string().nullable(),
  session: z.object({
    id: z.string(), modality: z.string(), clientLocation: z.string().nullable(), callbackPhone: z.string().nullable(),
    location: z.object({ id: z.string(), name: z.string(), address: z.string() }).nullable(),
  }).nullable(),
  crisisResources: z.object({
    locationId: z.string(), locationName: z.string(), address: z.string(), timeZone: z.string().nullable(), resources: z.array(crisisResource),
  }).nullable(),
  runs: z.array(runView.extend({ protocolKey: z.string(), startedAt: z.string(), openedByStep: z.string().nullable() })),
  timeline: z.array(timelineEntry),
  pages: z.array(page),
  disclosures: z.array(disclosure),
  followUps: z.array(followUp),
  emergencyContacts: z.array(z.object({ id: z.string(), name: z.string(), relationship: z.string(), phones: z.array(z.string()), consentScope: z.string(), mayBeTold: z.string() })),
  viewer: z.object({ canAct: z.boolean(), canNote: z.boolean(), breakGlass: z.boolean() }),
});
const incidentOpened = z.object({ id: z.string(), runId: z.string(), status: z.enum(['open', 'closed']), pageId: z.string().nullable() });
const incidentParams = z.object({ incidentId: uuidField });
const parameterDefinition = z.object({ default: z.number(), min: z.number(), max: z.number(), unit: z.string(), description: z.string() });
const protocolParameters = z.object({ key: z.string(), title: z.string(), parameters: z.record(z.string(), parameterDefinition), values: z.record(z.string(), z.number()) });

export const incidentsRoutes = (deps: AppDeps): FastifyPluginAsyncZod => async (app) => {
  const ip = (request: Parameters<typeof requestMeta>[0]) => requestMeta(request).ip;

  app.get('/api/protocols', {
    config: { action: 'protocols.read' },
    schema: {
      tags: ['protocols'],
      summary: "The eight protocols with this practice's parameter values as defaults (browsers cache it to work offline)",
      response: { 200: z.object({ protocols: z.array(z.record(z.string(), z.unknown())), etag: z.string() }) },
    },
  }, async (request) => settings.practiceCatalog(deps.db, requireAuth(request).practice.id));

  app.get('/api/practice/protocol-parameters', {
    config: { action: 'protocols.read' },
    schema: { tags: ['protocols'], summary: "The practice's values for each protocol's parameters", response: { 200: z.object({ protocols: z.array(protocolParameters) }) } },
  }, async (request) => ({ protocols: await settings.listProtocolParameters(deps.db, requireAuth(request)) }));

  app.put('/api/practice/protocol-parameters/:protocolKey', {
    config: { action: 'protocols.configure' },
    schema: {
      tags: ['protocols'],
      summary: "Sets the practice's values for one protocol (the walkout wait, follow-up windows); steps stay as defined",
      params: z.object({ protocolKey: z.string().regex(/^[a-z][a-z0-9-]{0,79}$/) }),
      body: z.strictObject({ values: z.record(z.string().max(80), z.number().finite()) }),
      response: { 200: protocolParameters },
    },
  }, async (request) => settings.setProtocolParameters(deps.db, requireAuth(request), request.params.protocolKey, request.body.values, ip(request)));

  app.post('/api/incidents', {
    config: { action: 'incident.open' },
    schema: {
      tags: ['incidents'],
      summary: 'The emergency button: opens an incident with its protocol and pages help when the protocol needs it (idempotent on the client-made id)',
      body: z.strictObject({
        id: uuidField, runId: uuidField, clientId: uuidField, sessionId: uuidField.nullable().optional(),
        protocolKey: z.string().min(1).max(80), discreet: z.boolean().optional(), occurredAt: instant.optional(),
      }),
      response: { 200: incidentOpened, 201: incidentOpened },
    },
  }, async (request, reply) => {
    const { created, incident } = await incidents.openIncident(deps, requireAuth(request), request.body, ip(request));
    return reply.code(created ? 201 : 200).send(incident);
  });

  app.get('/api/incidents', {
    config: { action: 'incidents.list' },
    schema: {
      tags: ['incidents'],
      summary: 'Incidents the reader may see (their clients’ care team, or paged for it), newest first',
      querystring: z.strictObject({ status: z.enum(['open', 'closed', 'all']).default('open') }),
      response: { 200: z.object({ incidents: z.array(z.object({
        id: z.string(), status: z.enum(['open', 'closed']), protocolKey: z.string(), protocolTitle: z.string(), discreet: z.boolean(), openedAt: z.string(),
        client: named, openedBy: named, openPages: z.number(),
      })) }) },
    },
  }, async (request) => ({ incidents: await view.listIncidents(deps.db, requireAuth(request), request.query.status, ip(request)) }));

  app.get('/api/incidents/:incidentId', {
    config: { action: 'incident.read' },
    schema: { tags: ['incidents'], summary: 'The incident view: checklist, timeline, pages, disclosures, follow-ups', params: incidentParams, response: { 200: incidentDetail } },
  }, async (request) => view.readIncident(deps, requireAuth(request), request.params.incidentId, ip(request)));

  app.post('/api/incidents/:incidentId/runs/:runId/events', {
    config: { action: 'incident.act' },
    schema: {
      tags: ['incidents'],
      summary: 'Records one step of a protocol run (idempotent on the client-made event id, for the offline queue)',
      params: z.object({ incidentId: uuidField, runId: uuidField }),
      body: z.strictObject({
        id: uuidField, occurredAt: instant.optional(), action: runAction,
        disclosure: z.strictObject({
          recipientName: z.string().trim().min(1).max(200), recipientContact: z.string().trim().max(200).optional(), whatWasSaid: longText,
          // HIPAA 45 CFR 164.528(b)(2)(ii): the recipient's address, if known, for the accounting
          recipientAddress: z.string().trim().min(1).max(500).optional(),
        }).optional(),
      }),
      response: { 200: z.object({ run: runView, timeline: z.array(timelineEntry), replayed: z.boolean(), openedRunId: z.string().nullable() }) },
    },
  }, async (request) => incidents.recordStepEvent(deps, requireAuth(request), request.params.incidentId, request.params.runId, request.body, ip(request)));

  app.post('/api/incidents/:incidentId/notes', {
    config: { action: 'incident.note' },
    schema: {
      tags: ['incidents'], summary: 'Adds a note to the timeline (the clinician, or a supervisor watching); idempotent on the optional client-made id', params: incidentParams,
      body: z.strictObject({ text: z.string().trim().min(1).max(5000), id: uuidField.optional() }),
      response: { 200: z.object({ entry: timelineEntry }), 201: z.object({ entry: timelineEntry }) },
    },
  }, async (request, reply) => {
    const { entry, created } = await incidents.addNote(deps, requireAuth(request), request.params.incidentId, request.body, ip(request));
    return reply.code(created ? 201 : 200).send({ entry });
  });

  app.post('/api/incidents/:incidentId/pages', {
    config: { action: 'incident.act' },
    schema: {
      tags: ['incidents'], summary: 'Asks for help: pages by the practice’s escalation policy (an open page is reused)', params: incidentParams,
      body: z.strictObject({ reason: z.string().trim().min(1).max(500) }), response: { 201: z.object({ pageId: z.string() }) },
    },
  }, async (request, reply) => reply.code(201).send(await incidents.askForHelp(deps, requireAuth(request), request.params.incidentId, request.body.reason, ip(request))));

  app.post('/api/incidents/:incidentId/close', {
    config: { action: 'incident.act' },
    schema: { tags: ['incidents'], summary: 'Closes the incident once its protocols are completed and its follow-ups done', params: incidentParams, response: { 200: incidentDetail } },
  }, async (request) => {
    const auth = requireAuth(request);
    await incidents.closeIncident(deps, auth, request.params.incidentId, ip(request));
    return view.readIncident(deps, auth, request.params.incidentId, ip(request));
  });

  app.get('/api/clients/:clientId/incidents', {
    config: { action: 'client.read' },
    schema: {
      tags: ['incidents'], summary: "A client's incidents, newest first (the care team; read-only under break-glass)",
      params: z.object({ clientId: uuidField }),
      response: { 200: z.object({ incidents: z.array(z.object({
        id: z.string(), status: z.enum(['open', 'closed']), protocolKey: z.string(), protocolTitle: z.string(), openedAt: z.string(), closedAt: z.string().nullable(),
      })) }) },
    },
  }, async (request) => ({ incidents: await view.listClientIncidents(deps.db, requireAuth(request), request.params.clientId, ip(request)) }));

  app.get('/api/clients/:clientId/disclosures', {
    config: { action: 'client.disclosures.read' },
    schema: {
      tags: ['incidents'], summary: 'The accounting of disclosures for a client (HIPAA 45 CFR 164.528)',
      params: z.object({ clientId: uuidField }), response: { 200: z.object({ disclosures: z.array(disclosure) }) },
    },
  }, async (request) => ({ disclosures: await view.listDisclosures(deps.db, requireAuth(request), request.params.clientId, ip(request)) }));
  // The follow-ups a clinician owes: src/modules/follow-ups/follow-ups.routes.ts.
};
