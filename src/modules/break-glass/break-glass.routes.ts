import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppDeps } from '../../server/app.ts';
import { requestMeta, requireAuth } from '../../server/auth-hooks.ts';
import { uuidField } from '../../server/schemas.ts';
import { BREAK_GLASS_MINUTES, breakGlass, myActiveGrant } from './break-glass.service.ts';

const grant = z.object({ id: z.string(), clientId: z.string(), reason: z.string(), grantedAt: z.string(), expiresAt: z.string() });
const clientParams = z.object({ clientId: uuidField });

export const breakGlassRoutes = (deps: AppDeps): FastifyPluginAsyncZod => async (app) => {
  app.post('/api/clients/:clientId/break-glass', {
    config: { action: 'client.break_glass' },
    schema: {
      tags: ['break-glass'],
      summary: `Emergency access to a client outside your care team: read-only for ${BREAK_GLASS_MINUTES} minutes, audited with your reason; the care team and their supervisors are told`,
      params: clientParams,
      body: z.strictObject({ reason: z.string().trim().min(10, 'Say why, in at least 10 characters').max(2000) }),
      response: { 200: z.object({ grant: z.null(), onCareTeam: z.literal(true) }), 201: z.object({ grant, onCareTeam: z.literal(false) }) },
    },
  }, async (request, reply) => {
    const result = await breakGlass(deps, requireAuth(request), request.params.clientId, request.body.reason, requestMeta(request).ip);
    return result.grant ? reply.code(201).send({ grant: result.grant, onCareTeam: false }) : reply.code(200).send({ grant: null, onCareTeam: true });
  });

  app.get('/api/clients/:clientId/break-glass', {
    config: { action: 'client.break_glass' },
    schema: {
      tags: ['break-glass'], summary: 'Your active break-glass access to this client (404 when there is none)',
      params: clientParams, response: { 200: z.object({ grant }) },
    },
  }, async (request) => ({ grant: await myActiveGrant(deps.db, requireAuth(request), request.params.clientId) }));
};
