import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppDeps } from '../../server/app.ts';
import { requestMeta, requireAuth } from '../../server/auth-hooks.ts';
import { uuidField } from '../../server/schemas.ts';
import { baseUrlOf, bundleSchema } from '../fhir/fhir.routes.ts';
import * as exportsService from './exports.service.ts';
import { MAX_RETENTION_YEARS, MIN_RETENTION_YEARS } from './retention.ts';

const named = z.object({ id: z.string(), name: z.string() });
const retentionView = z.object({
  yearsAfterLastContact: z.number().int(), isDefault: z.boolean(), defaultYears: z.number(), minimumYears: z.number(), maximumYears: z.number(),
  updatedAt: z.string().nullable(), updatedBy: named.nullable(), automaticDeletion: z.literal(false),
});
const clientExport = z.object({
  kind: z.literal('holdspace.client-record'), exportedAt: z.string(),
  practice: z.object({ name: z.string(), timeZone: z.string() }), client: named, basis: z.string(), excluded: z.array(z.string()),
  fhir: bundleSchema,
  // As GET /api/clients/{clientId}/accounting answers (src/modules/disclosures) and the signed report (src/modules/reports).
  accountingOfDisclosures: z.any().describe('The accounting of disclosures for the six years before today (HIPAA 45 CFR 164.528)'),
  incidentReports: z.array(z.any().describe('A signed incident report with its addenda')),
  documents: z.array(z.object({ title: z.string(), format: z.enum(['pdf', 'csv']), url: z.string() })),
});

export const exportsRoutes = (deps: AppDeps): FastifyPluginAsyncZod => async (app) => {
  app.get('/api/clients/:clientId/export', {
    config: { action: 'client.export' },
    schema: {
      tags: ['exports'],
      summary: "The client's full record for their right of access (HIPAA 45 CFR 164.524), as one JSON document: FHIR bundle, accounting of disclosures, signed incident reports, documents. No psychotherapy notes.",
      params: z.object({ clientId: uuidField }),
      response: { 200: clientExport },
    },
  }, async (request, reply) => {
    const record = await exportsService.clientExport(deps.db, requireAuth(request), request.params.clientId, requestMeta(request), baseUrlOf(deps, request));
    const day = record.exportedAt.slice(0, 10);
    return reply.header('content-disposition', `attachment; filename="client-record-${record.client.id.slice(0, 8)}-${day}.json"`).send(record);
  });

  app.get('/api/practice/retention', {
    config: { action: 'retention.manage' },
    schema: { tags: ['exports'], summary: "How many years the practice keeps a client's record after the last contact", response: { 200: retentionView } },
  }, async (request) => exportsService.getRetention(deps.db, requireAuth(request)));

  app.put('/api/practice/retention', {
    config: { action: 'retention.manage' },
    schema: {
      tags: ['exports'],
      summary: `Sets the retention period (${MIN_RETENTION_YEARS} to ${MAX_RETENTION_YEARS} years after the last contact; default 7). Recorded and shown; nothing is deleted automatically.`,
      body: z.strictObject({ yearsAfterLastContact: z.number().int().min(MIN_RETENTION_YEARS).max(MAX_RETENTION_YEARS) }),
      response: { 200: retentionView },
    },
  }, async (request) => exportsService.setRetention(deps.db, requireAuth(request), request.body.yearsAfterLastContact, requestMeta(request)));
};
