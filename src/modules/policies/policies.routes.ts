import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppDeps } from '../../server/app.ts';
import { requestMeta, requireAuth } from '../../server/auth-hooks.ts';
import { calendarDate, requiredText, shortText, uuidField } from '../../server/schemas.ts';
import * as policies from './policies.service.ts';

const METHODS = ['signed_in_person', 'signed_electronically', 'verbal_in_session', 'verbal_telehealth'] as const;
const versionNumber = z.coerce.number().int().min(1).max(2_147_483_647);

const policySchema = z.object({
  version: z.number(), title: z.string(), bodyMarkdown: z.string(), publishedAt: z.string(), publishedByName: z.string().nullable(),
});
const versionSummary = z.object({ version: z.number(), title: z.string(), publishedAt: z.string(), publishedByName: z.string().nullable() });
const acknowledgementSummary = z.object({
  status: z.enum(['current', 'outdated', 'missing', 'no_policy']),
  currentVersion: z.number().nullable(),
  acknowledgements: z.array(z.object({
    id: z.string(), version: z.number(), acknowledgedOn: z.string(), method: z.enum(METHODS),
    recordedByName: z.string().nullable(), recordedAt: z.string(),
  })),
});
const clientParams = z.object({ clientId: uuidField });

export const policiesRoutes = (deps: AppDeps): FastifyPluginAsyncZod => async (app) => {
  app.get('/api/policy', {
    config: { action: 'policy.read' },
    schema: {
      tags: ['policy'],
      summary: "The practice's current emergency and interruption policy, or null before one is published",
      response: { 200: z.object({ policy: policySchema.nullable() }) },
    },
  }, async (request) => ({ policy: await policies.currentPolicy(deps.db, requireAuth(request)) }));

  app.get('/api/policy/versions', {
    config: { action: 'policy.read' },
    schema: {
      tags: ['policy'],
      summary: 'Every published version of the policy, newest first',
      response: { 200: z.object({ versions: z.array(versionSummary) }) },
    },
  }, async (request) => ({ versions: await policies.policyVersions(deps.db, requireAuth(request)) }));

  app.get('/api/policy/versions/:version', {
    config: { action: 'policy.read' },
    schema: {
      tags: ['policy'],
      summary: 'One published version of the policy, with its text',
      params: z.object({ version: versionNumber }),
      response: { 200: z.object({ policy: policySchema }) },
    },
  }, async (request) => ({ policy: await policies.policyVersion(deps.db, requireAuth(request), request.params.version) }));

  app.post('/api/policy', {
    config: { action: 'policy.publish' },
    schema: {
      tags: ['policy'],
      summary: 'Publish a new version of the policy; clients who acknowledged an earlier one become outdated',
      body: z.strictObject({ title: shortText(200).optional(), bodyMarkdown: requiredText(20_000) }),
      response: { 201: z.object({ version: z.number() }) },
    },
  }, async (request, reply) => reply.code(201).send(await policies.publishPolicy(deps.db, requireAuth(request), request.body, requestMeta(request))));

  app.get('/api/clients/:clientId/policy-acknowledgements', {
    config: { action: 'client.read' },
    schema: {
      tags: ['policy'],
      summary: "A client's acknowledgements of the policy and whether the current version is acknowledged",
      params: clientParams,
      response: { 200: acknowledgementSummary },
    },
  }, async (request) => policies.acknowledgementsOf(deps.db, requireAuth(request), request.params.clientId, requestMeta(request)));

  app.post('/api/clients/:clientId/policy-acknowledgements', {
    config: { action: 'client.update' },
    schema: {
      tags: ['policy'],
      summary: 'Record that the client acknowledged a version of the policy',
      params: clientParams,
      body: z.strictObject({
        version: z.number().int().min(1).max(2_147_483_647),
        acknowledgedOn: calendarDate.refine((d) => d <= policies.latestDateOnEarth(), 'This date has not arrived yet'),
        method: z.enum(METHODS),
      }),
      response: { 201: acknowledgementSummary },
    },
  }, async (request, reply) => {
    const summary = await policies.recordAcknowledgement(deps.db, requireAuth(request), request.params.clientId, request.body, requestMeta(request));
    return reply.code(201).send(summary);
  });
};
