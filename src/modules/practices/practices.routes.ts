import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppDeps } from '../../server/app.ts';
import { requestMeta, requireAuth } from '../../server/auth-hooks.ts';
import { emailField, passwordField, personName, timeZoneField } from '../../server/schemas.ts';
import { setPracticeRequiresTotp } from '../auth/auth.service.ts';
import { isSetupRequired, setupPractice } from './practices.service.ts';

export const practicesRoutes = (deps: AppDeps): FastifyPluginAsyncZod => async (app) => {
  app.get('/api/setup', {
    schema: { tags: ['setup'], summary: 'Whether the first-run practice setup is still needed', response: { 200: z.object({ setupRequired: z.boolean() }) } },
  }, async () => ({ setupRequired: await isSetupRequired(deps.db) }));

  app.post('/api/setup', {
    schema: {
      tags: ['setup'],
      summary: 'Create the practice and its owner (only while no user exists)',
      body: z.strictObject({
        practiceName: z.string().trim().min(1).max(200),
        timeZone: timeZoneField,
        ownerName: personName,
        email: emailField,
        password: passwordField,
      }),
      response: { 201: z.object({ practiceId: z.string(), userId: z.string() }) },
    },
  }, async (request, reply) => {
    const created = await setupPractice(deps.db, request.body, requestMeta(request));
    return reply.code(201).send(created);
  });

  app.put('/api/practice/security', {
    config: { action: 'practice.security.update' },
    schema: {
      tags: ['practice'],
      summary: 'Require a second factor (TOTP) for everyone in the practice',
      body: z.strictObject({ requireTotp: z.boolean() }),
      response: { 200: z.object({ requireTotp: z.boolean() }) },
    },
  }, async (request) => {
    await setPracticeRequiresTotp(deps.db, requireAuth(request), request.body.requireTotp, requestMeta(request));
    return { requireTotp: request.body.requireTotp };
  });
};
