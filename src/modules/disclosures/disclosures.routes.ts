import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppDeps } from '../../server/app.ts';
import { requestMeta, requireAuth } from '../../server/auth-hooks.ts';
import { calendarDate, requiredText, uuidField } from '../../server/schemas.ts';
import * as accounting from './accounting.service.ts';
import * as requests from './accounting-requests.service.ts';
import { incidentReportPdf } from './report-pdf.ts';

const clientParams = z.object({ clientId: uuidField });
const requestParams = z.object({ clientId: uuidField, requestId: uuidField });
const periodQuery = z.strictObject({ from: calendarDate.optional(), to: calendarDate.optional() });
const period = z.object({ from: z.string(), to: z.string() });

const entry = z.object({
  id: z.string(), disclosedAt: z.string(), date: z.string(), time: z.string(),
  recipientName: z.string(), recipientKind: z.enum(['victim', 'law_enforcement', 'emergency_contact', 'emergency_services', 'other']),
  recipientAddress: z.string().nullable(), recipientContact: z.string().nullable(),
  whatWasDisclosed: z.string(), purpose: z.string(), legalBasis: z.string(), incidentId: z.string().nullable(),
});
const accountingView = z.object({
  client: z.object({ id: z.string(), name: z.string(), legalName: z.string() }),
  period, timeZone: z.string(), generatedAt: z.string(), entries: z.array(entry),
});

const via = z.enum(['in_writing', 'in_person', 'phone', 'email', 'portal']);
const requestView = z.object({
  id: z.string(), clientId: z.string(), requestedBy: z.string(), receivedOn: z.string(), receivedVia: via, receivedByName: z.string().nullable(),
  period, dueOn: z.string(), deadline: z.string(), daysLeft: z.number().nullable(),
  extension: z.object({ dueOn: z.string(), reason: z.string(), byName: z.string().nullable(), at: z.string() }).nullable(),
  status: z.enum(['open', 'extended', 'provided']),
  provided: z.object({ at: z.string(), byName: z.string().nullable(), period }).nullable(),
});

export const disclosuresRoutes = (deps: AppDeps): FastifyPluginAsyncZod => async (app) => {
  app.get('/api/clients/:clientId/accounting', {
    config: { action: 'client.disclosures.read' },
    schema: {
      tags: ['disclosures'],
      summary: "A client's accounting of disclosures (HIPAA 45 CFR 164.528): from/to are days in the practice's time zone; by default the six years before today",
      params: clientParams, querystring: periodQuery, response: { 200: accountingView },
    },
  }, async (request) => accounting.accountingOf(deps.db, requireAuth(request), request.params.clientId, request.query, requestMeta(request), 'json'));

  app.get('/api/clients/:clientId/accounting.csv', {
    config: { action: 'client.disclosures.read' },
    schema: {
      tags: ['disclosures'], summary: 'The accounting of disclosures as CSV (text/csv, RFC 4180; cells that a spreadsheet would run as formulas start with an apostrophe)',
      params: clientParams, querystring: periodQuery,
    },
  }, async (request, reply) => {
    const auth = requireAuth(request);
    const a = await accounting.accountingOf(deps.db, auth, request.params.clientId, request.query, requestMeta(request), 'csv');
    return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${accounting.accountingFileName(a, 'csv')}"`)
      .send(accounting.accountingCsv(a));
  });

  app.get('/api/clients/:clientId/accounting.pdf', {
    config: { action: 'client.disclosures.read' },
    schema: { tags: ['disclosures'], summary: 'The accounting of disclosures as a paginated PDF (application/pdf)', params: clientParams, querystring: periodQuery },
  }, async (request, reply) => {
    const auth = requireAuth(request);
    const a = await accounting.accountingOf(deps.db, auth, request.params.clientId, request.query, requestMeta(request), 'pdf');
    const pdf = await accounting.accountingPdf(a, auth.practice.name);
    return reply.type('application/pdf').header('content-disposition', `attachment; filename="${accounting.accountingFileName(a, 'pdf')}"`).send(pdf);
  });

  app.get('/api/clients/:clientId/accounting-requests', {
    config: { action: 'client.accounting_requests.manage' },
    schema: {
      tags: ['disclosures'], summary: "A client's requests for an accounting, newest first, each with its deadline (60 days, 164.528(c)(1))",
      params: clientParams, response: { 200: z.object({ requests: z.array(requestView) }) },
    },
  }, async (request) => ({ requests: await requests.clientAccountingRequests(deps.db, requireAuth(request), request.params.clientId, requestMeta(request)) }));

  app.post('/api/clients/:clientId/accounting-requests', {
    config: { action: 'client.accounting_requests.manage' },
    schema: {
      tags: ['disclosures'],
      summary: 'Records a request for an accounting: who asked, when and how it was received; due 60 days after receipt. The period defaults to the six years before the request.',
      params: clientParams,
      body: z.strictObject({
        requestedBy: requiredText(200), receivedOn: calendarDate, receivedVia: via,
        periodFrom: calendarDate.optional(), periodTo: calendarDate.optional(),
      }),
      response: { 201: z.object({ request: requestView }) },
    },
  }, async (request, reply) => reply.code(201).send({
    request: await requests.recordAccountingRequest(deps.db, requireAuth(request), request.params.clientId, request.body, requestMeta(request)),
  }));

  app.post('/api/clients/:clientId/accounting-requests/:requestId/extend', {
    config: { action: 'client.accounting_requests.manage' },
    schema: {
      tags: ['disclosures'], summary: 'Extends the deadline once by 30 days, with the reasons given to the client in writing (164.528(c)(1)(ii))',
      params: requestParams, body: z.strictObject({ reason: requiredText(2000) }), response: { 200: z.object({ request: requestView }) },
    },
  }, async (request) => ({
    request: await requests.extendAccountingRequest(deps.db, requireAuth(request), request.params.clientId, request.params.requestId, request.body.reason, requestMeta(request)),
  }));

  app.post('/api/clients/:clientId/accounting-requests/:requestId/provided', {
    config: { action: 'client.accounting_requests.manage' },
    schema: {
      tags: ['disclosures'], summary: 'Records that the accounting was provided, and the period it covered',
      params: requestParams, body: z.strictObject({ from: calendarDate, to: calendarDate }), response: { 200: z.object({ request: requestView }) },
    },
  }, async (request) => ({
    request: await requests.markAccountingProvided(deps.db, requireAuth(request), request.params.clientId, request.params.requestId, request.body, requestMeta(request)),
  }));

  app.get('/api/incidents/:incidentId/report.pdf', {
    config: { action: 'incident.report.read' },
    schema: {
      tags: ['incidents'], summary: "The signed incident report as a paginated PDF: what was signed, the signatures, the addenda (404 before it is signed)",
      params: z.object({ incidentId: uuidField }),
    },
  }, async (request, reply) => {
    const pdf = await incidentReportPdf(deps.db, requireAuth(request), request.params.incidentId, requestMeta(request));
    return reply.type('application/pdf').header('content-disposition', 'inline; filename="incident-report.pdf"').send(pdf);
  });

  app.get('/api/accounting-requests', {
    config: { action: 'accounting_requests.list' },
    schema: {
      tags: ['disclosures'], summary: 'Every request for an accounting still to answer in the practice, overdue first: names and dates only',
      response: { 200: z.object({ requests: z.array(z.object({
        id: z.string(), clientId: z.string(), clientName: z.string(), receivedOn: z.string(), deadline: z.string(), daysLeft: z.number(),
        status: z.enum(['open', 'extended']),
      })) }) },
    },
  }, async (request) => ({ requests: await requests.openAccountingRequests(deps.db, requireAuth(request), requestMeta(request)) }));
};
