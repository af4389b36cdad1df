import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Config } from './config.ts';
import type { Db } from './database.ts';
import type { JobQueue } from './jobs.ts';
import type { LiveHub } from './live.ts';
import { installAuthHooks } from './auth-hooks.ts';
import { installErrorHandlers, sendProblem } from './http-errors.ts';
import { Problem } from './problems.ts';
import { practicesRoutes } from '../modules/practices/practices.routes.ts';
import { authRoutes } from '../modules/auth/auth.routes.ts';
import { auditRoutes } from '../modules/audit/audit.routes.ts';
import { healthRoutes } from '../modules/health/health.routes.ts';
import { clientsRoutes } from '../modules/clients/clients.routes.ts';
import { locationsRoutes } from '../modules/locations/locations.routes.ts';
import { policiesRoutes } from '../modules/policies/policies.routes.ts';
import { safetyPlansRoutes } from '../modules/safety-plans/safety-plans.routes.ts';
import { scheduleRoutes } from '../modules/schedule/schedule.routes.ts';
import { sessionsRoutes } from '../modules/sessions/sessions.routes.ts';
import { incidentsRoutes } from '../modules/incidents/incidents.routes.ts';
import { pagingRoutes } from '../modules/paging/paging.routes.ts';
import { standbyRoutes } from '../modules/paging/standby.routes.ts';
import { followUpsRoutes } from '../modules/follow-ups/follow-ups.routes.ts';
import { aftercareRoutes } from '../modules/aftercare/aftercare.routes.ts';
import { messagingRoutes } from '../modules/messaging/messaging.routes.ts';
import { fhirRoutes } from '../modules/fhir/fhir.routes.ts';
import { exportsRoutes } from '../modules/exports/exports.routes.ts';
import { disclosuresRoutes } from '../modules/disclosures/disclosures.routes.ts';
import { reportsRoutes } from '../modules/reports/reports.routes.ts';
import { breakGlassRoutes } from '../modules/break-glass/break-glass.routes.ts';
import { callGateRoutes } from '../modules/call-gate/call-gate.routes.ts';
import { liveRoutes } from './live.routes.ts';

export interface AppDeps {
  db: Db;
  jobs: JobQueue;
  live: LiveHub;
  config: Config;
}

export const WEB_DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist/web');
/** Large enough for any form in the app; a safety plan is well under this. */
const BODY_LIMIT_BYTES = 256 * 1024;

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    logger: deps.config.logLevel === 'silent' ? false : { level: deps.config.logLevel },
    bodyLimit: BODY_LIMIT_BYTES,
    trustProxy: false,
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandlers(app);
  await app.register(cookie);
  await app.register(swagger, {
    openapi: {
      info: { title: 'Holdspace API', version: '0.1.0', description: 'Emergencies around therapy sessions: preparation, protocols, follow-through.' },
      components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'hs_session' } } },
    },
    transform: jsonSchemaTransform,
  });
  installAuthHooks(app, deps.db, deps.config.idleTimeoutMinutes);
  // PostgreSQL text cannot hold U+0000: refused here, for every route, before anything is read or written.
  app.addHook('preValidation', async (request) => {
    const where = nulPath({ body: request.body, querystring: request.query, params: request.params });
    if (where) throw new Problem('VALIDATION_FAILED', `${where}: text may not contain the NUL character (U+0000)`, { errors: [{ path: where, message: 'may not contain the NUL character (U+0000)' }] });
  });

  // Security headers on every response: no framing, no sniffing, no referrer leaks.
  app.addHook('onSend', async (_request, reply) => {
    if (String(reply.getHeader('content-type') ?? '').startsWith('text/html')) {
      reply.header('content-security-policy', "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'");
    }
    reply.header('x-content-type-options', 'nosniff');
    reply.header('x-frame-options', 'DENY');
    reply.header('referrer-policy', 'no-referrer');
    reply.header('cache-control', reply.getHeader('cache-control') ?? 'no-store');
  });

  await app.register(healthRoutes(deps));
  await app.register(practicesRoutes(deps));
  await app.register(authRoutes(deps));
  await app.register(auditRoutes(deps));
  await app.register(clientsRoutes(deps));
  await app.register(locationsRoutes(deps));
  await app.register(policiesRoutes(deps));
  await app.register(safetyPlansRoutes(deps));
  await app.register(scheduleRoutes(deps));
  await app.register(sessionsRoutes(deps));
  await app.register(incidentsRoutes(deps));
  await app.register(pagingRoutes(deps));
  await app.register(followUpsRoutes(deps));
  await app.register(aftercareRoutes(deps));
  await app.register(messagingRoutes(deps));
  await app.register(disclosuresRoutes(deps));
  await app.register(reportsRoutes(deps));
  await app.register(breakGlassRoutes(deps));
  await app.register(callGateRoutes(deps));
  await app.register(liveRoutes(deps));
  await app.register(standbyRoutes(deps));
  await app.register(exportsRoutes(deps));
  // FHIR R4 export: its own prefix, media type and error form (OperationOutcome).
  await app.register(fhirRoutes(deps), { prefix: '/fhir' });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  await serveWebApp(app);
  return app;
}

/** The built React app, with every non-API path answered by index.html (client routing). */
async function serveWebApp(app: FastifyInstance) {
  const hasBuild = fs.existsSync(path.join(WEB_DIST, 'index.html'));
  if (hasBuild) {
    await app.register(fastifyStatic, { root: WEB_DIST, wildcard: false, cacheControl: false });
  }
  app.setNotFoundHandler((request, reply) => {
    if (request.url.startsWith('/api/') || request.method !== 'GET' || !hasBuild) {
      return sendProblem(reply, new Problem('ROUTE_NOT_FOUND', `No endpoint ${request.method} ${request.url.split('?')[0]}`));
    }
    return reply.type('text/html').sendFile('index.html');
  });
}

/** The path of the first string (or key) holding U+0000 in a parsed request, or null. */
export function nulPath(value: unknown, path = ''): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path : null;
  if (value === null || typeof value !== 'object') return null;
  for (const [key, inner] of Object.entries(value)) {
    const here = path ? `${path}.${key}` : key;
    if (key.includes('\u0000')) return here;
    const found = nulPath(inner, here);
    if (found) return found;
  }
  return null;
}
