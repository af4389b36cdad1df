import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppDeps } from '../../server/app.ts';
import { requestMeta, requireAuth } from '../../server/auth-hooks.ts';
import { uuidField } from '../../server/schemas.ts';
import * as reports from './reports.service.ts';

const named = z.object({ id: z.string(), name: z.string() });
const riskLevel = z.enum(['none', 'low', 'moderate', 'high']);
const status = z.enum(['draft', 'awaiting_review', 'reviewed', 'closed']);
const narrative = (max: number) => z.string().max(max);
const signature = z.object({ by: named, at: z.string(), contentHash: z.string() });

const facts = z.object({
  protocols: z.array(z.object({ key: z.string(), title: z.string(), startedAt: z.string(), status: z.enum(['open', 'completed']) })),
  openedAt: z.string(),
  openedBy: z.string(),
  closedAt: z.string().nullable(),
  session: z.object({
    modality: z.string(), startedAt: z.string(), endedAt: z.string().nullable(), endedEarly: z.boolean().nullable(), endReason: z.string().nullable(),
    rescheduledTo: z.string().nullable(),
  }).nullable(),
  actions: z.array(z.object({ at: z.string(), by: z.string().nullable(), what: z.string() })),
  contacted: z.object({
    pages: z.array(z.object({
      reason: z.string(), at: z.string(), notified: z.array(z.string()), acknowledgedBy: z.string().nullable(), acknowledgedAt: z.string().nullable(), status: z.string(),
    })),
    emergencyContacts: z.array(z.object({ name: z.string(), contact: z.string().nullable(), at: z.string(), whatWasSaid: z.string() })),
  }),
  disclosures: z.array(z.object({
    recipientKind: z.string(), recipientName: z.string(), recipientContact: z.string().nullable(), whatWasSaid: z.string(), legalBasis: z.string(),
    purpose: z.string(), at: z.string(),
  })),
  followUps: z.array(z.object({ title: z.string(), dueAt: z.string(), status: z.string(), assignedTo: z.string() })),
});

const reportView = z.object({
  incidentId: z.string(),
  clientId: z.string(),
  client: named,
  kind: z.enum(['client', 'clinician_emergency']),
  protocolKey: z.string(),
  protocolTitle: z.string(),
  status,
  version: z.number().int(),
  fields: z.object({
    whatHappened: z.string(), exactWords: z.string().nullable(), riskLevel: riskLevel.nullable(), riskJustification: z.string().nullable(),
    mitigationPlan: z.string().nullable(),
  }),
  cssrs: z.object({ risk: riskLevel, answers: z.record(z.string(), z.boolean()), at: z.string().nullable() }).nullable(),
  facts,
  signature: signature.extend({ verified: z.boolean() }).nullable(),
  cosignature: signature.extend({ note: z.string().nullable() }).nullable(),
  closed: z.object({ by: named, at: z.string() }).nullable(),
  addenda: z.array(z.object({ id: z.string(), text: z.string(), author: named, signedAt: z.string(), contentHash: z.string(), verified: z.boolean() })),
  viewer: z.object({ canEdit: z.boolean(), canSign: z.boolean(), canAddAddendum: z.boolean(), canCosign: z.boolean(), canClose: z.boolean() }),
});

const params = z.strictObject({ incidentId: uuidField });

/** The incident report: draft, sign (then locked), addenda, supervisor co-signature and close. */
export const reportsRoutes = (deps: AppDeps): FastifyPluginAsyncZod => async (app) => {
  const ip = (request: Parameters<typeof requestMeta>[0]) => requestMeta(request).ip;

  app.get('/api/incidents/:incidentId/report', {
    config: { action: 'incident.report.read' },
    schema: {
      tags: ['reports'], params, response: { 200: reportView },
      summary: "The incident's report: the signed report with its addenda and review, or the draft (prefilled from the incident until first saved)",
    },
  }, async (request) => reports.getReport(deps.db, requireAuth(request), request.params.incidentId, ip(request)));

  app.put('/api/incidents/:incidentId/report', {
    config: { action: 'incident.report.write' },
    schema: {
      tags: ['reports'], params, response: { 200: reportView },
      summary: 'Saves the draft (based on the version read; 409 REPORT_CHANGED otherwise). A signed report answers 409 REPORT_SIGNED',
      body: z.strictObject({
        basedOnVersion: z.number().int().min(0),
        whatHappened: narrative(20_000),
        exactWords: narrative(20_000).nullable().optional(),
        riskLevel: riskLevel.nullable().optional(),
        riskJustification: narrative(20_000).nullable().optional(),
        mitigationPlan: narrative(20_000).nullable().optional(),
      }),
    },
  }, async (request) => reports.saveDraft(deps.db, requireAuth(request), request.params.incidentId, request.body, ip(request)));

  app.post('/api/incidents/:incidentId/report/sign', {
    config: { action: 'incident.report.sign' },
    schema: {
      tags: ['reports'], params, response: { 200: reportView },
      summary: 'The assigned clinician signs the version they read: the report locks and awaits supervisor review',
      body: z.strictObject({ version: z.number().int().min(1) }),
    },
  }, async (request) => reports.signReport(deps.db, requireAuth(request), request.params.incidentId, request.body, ip(request)));

  app.post('/api/incidents/:incidentId/report/addenda', {
    config: { action: 'incident.report.write' },
    schema: {
      tags: ['reports'], params, response: { 201: reportView },
      summary: 'Adds an addendum to a signed report, signed by its author (idempotent on the optional client-made id)',
      body: z.strictObject({ id: uuidField.optional(), text: z.string().trim().min(1).max(20_000) }),
    },
  }, async (request, reply) => reply.code(201).send(await reports.addAddendum(deps.db, requireAuth(request), request.params.incidentId, request.body, ip(request))));

  app.post('/api/incidents/:incidentId/report/cosign', {
    config: { action: 'incident.report.cosign' },
    schema: {
      tags: ['reports'], params, response: { 200: reportView },
      summary: 'A supervisor of the clinician who signed reviews and co-signs the report (and its addenda so far)',
      body: z.strictObject({ note: z.string().trim().max(5000).nullable().optional() }),
    },
  }, async (request) => reports.cosignReport(deps.db, requireAuth(request), request.params.incidentId, request.body, ip(request)));

  app.post('/api/incidents/:incidentId/report/close', {
    config: { action: 'incident.report.cosign' },
    schema: {
      tags: ['reports'], params, response: { 200: reportView },
      summary: 'Closes the review of a co-signed report (addenda may still follow)',
      body: z.strictObject({}).nullish(),
    },
  }, async (request) => reports.closeReport(deps.db, requireAuth(request), request.params.incidentId, ip(request)));

  app.get('/api/reports', {
    config: { action: 'reports.review_queue' },
    schema: {
      tags: ['reports'],
      summary: "A supervisor's reviews: their supervisees' signed reports in one status (awaiting review by default), oldest first",
      querystring: z.strictObject({ status: status.exclude(['draft']).default('awaiting_review') }),
      response: { 200: z.object({ reports: z.array(z.object({
        incidentId: z.string(), client: named, protocolKey: z.string(), protocolTitle: z.string(), kind: z.enum(['client', 'clinician_emergency']),
        status, signedBy: named, signedAt: z.string(), addenda: z.number().int(),
      })) }) },
    },
  }, async (request) => ({ reports: await reports.listReviewQueue(deps.db, requireAuth(request), request.query.status, ip(request)) }));
};
