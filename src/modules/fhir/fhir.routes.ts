import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyRequest } from 'fastify';
import type { AppDeps } from '../../server/app.ts';
import { requestMeta, requireAuth } from '../../server/auth-hooks.ts';
import { uuidField } from '../../server/schemas.ts';
import { FHIR_JSON, installFhirErrors } from './operation-outcome.ts';
import * as fhir from './fhir.service.ts';

const resource = z.looseObject({ resourceType: z.string(), id: z.string() });
export const bundleSchema = z.object({
  resourceType: z.literal('Bundle'), id: z.string(), type: z.literal('searchset'), timestamp: z.string(), total: z.number(),
  link: z.array(z.object({ relation: z.string(), url: z.string() })),
  entry: z.array(z.object({ fullUrl: z.string(), resource, search: z.object({ mode: z.enum(['match', 'include']) }) })),
});
const outcome = z.looseObject({ resourceType: z.literal('OperationOutcome'), issue: z.array(z.looseObject({ severity: z.string(), code: z.string() })) });

/** Where the server is reached: the configured public URL, else the request's own. */
export function baseUrlOf(deps: AppDeps, request: FastifyRequest): string {
  return (deps.config.publicUrl ?? `${request.protocol}://${request.host}`).replace(/\/+$/, '');
}

/**
 * FHIR R4 read-only export under /fhir (registered with that prefix): the same sign-in
 * and permission checks as /api, answers as application/fhir+json, errors as OperationOutcome.
 */
export const fhirRoutes = (deps: AppDeps): FastifyPluginAsyncZod => async (app) => {
  installFhirErrors(app);

  app.get('/Patient/:clientId/$everything', {
    config: { action: 'fhir.read' },
    schema: {
      tags: ['fhir'],
      summary: "FHIR R4 Patient/$everything: the client's record as a searchset Bundle (no psychotherapy notes)",
      params: z.object({ clientId: uuidField }),
      response: { 200: bundleSchema, 404: outcome },
    },
  }, async (request, reply) => {
    const body = await fhir.patientEverything(deps.db, requireAuth(request), request.params.clientId, requestMeta(request), baseUrlOf(deps, request));
    return reply.type(FHIR_JSON).send(body);
  });

  app.get('/Encounter/:incidentId/$everything', {
    config: { action: 'fhir.read' },
    schema: {
      tags: ['fhir'],
      summary: "FHIR R4 Encounter/$everything on an incident's encounter: the incident bundle",
      params: z.object({ incidentId: uuidField }),
      response: { 200: bundleSchema, 404: outcome },
    },
  }, async (request, reply) => {
    const body = await fhir.incidentEverything(deps.db, requireAuth(request), request.params.incidentId, requestMeta(request), baseUrlOf(deps, request));
    return reply.type(FHIR_JSON).send(body);
  });
};
