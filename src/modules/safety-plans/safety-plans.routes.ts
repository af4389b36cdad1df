import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppDeps } from '../../server/app.ts';
import { requestMeta, requireAuth } from '../../server/auth-hooks.ts';
import { phoneField, requiredText, shortText, uuidField } from '../../server/schemas.ts';
import { SAFETY_PLAN_SECTIONS } from '../../domain/safety-plan.ts';
import * as plans from './safety-plans.service.ts';

export const MAX_PLAN_ENTRIES = 30;

const planItems = z.array(z.string().trim().min(1, 'Remove empty entries').max(500)).max(MAX_PLAN_ENTRIES);
const planContacts = z.array(z.strictObject({
  name: requiredText(200),
  // 911 and 988 pass as they are dialled (phoneField).
  phone: phoneField.nullish().transform((v) => v ?? undefined),
  note: shortText(300).nullish().transform((v) => v || undefined),
})).max(MAX_PLAN_ENTRIES);
/** A whole plan, every section present; unknown sections are refused. */
export const planContentBody = z.strictObject({
  warningSigns: planItems,
  copingStrategies: planItems,
  distractionContacts: planContacts,
  helpContacts: planContacts,
  professionalContacts: planContacts,
  safeEnvironment: planItems,
  reasonsForLiving: planItems,
});

const contactOut = z.object({ name: z.string(), phone: z.string().optional(), note: z.string().optional() });
const contentOut = z.object({
  warningSigns: z.array(z.string()), copingStrategies: z.array(z.string()),
  distractionContacts: z.array(contactOut), helpContacts: z.array(contactOut), professionalContacts: z.array(contactOut),
  safeEnvironment: z.array(z.string()), reasonsForLiving: z.array(z.string()),
});
const sectionKey = z.enum(SAFETY_PLAN_SECTIONS.map((s) => s.key));
const gaps = z.array(z.object({ section: sectionKey, severity: z.enum(['warning', 'serious']), message: z.string() }));
const versionView = z.object({ version: z.number(), savedAt: z.string(), savedByName: z.string().nullable(), content: contentOut, gaps });
const sections = z.array(z.object({
  key: sectionKey, step: z.number().nullable(), title: z.string(), prompt: z.string(), kind: z.enum(['items', 'contacts']),
}));
const saved = z.object({ version: z.number(), gaps });
const versionNumber = z.coerce.number().int().min(1).max(2_147_483_647);
const clientParams = z.object({ clientId: uuidField });

export const safetyPlansRoutes = (deps: AppDeps): FastifyPluginAsyncZod => async (app) => {
  app.get('/api/clients/:clientId/safety-plan', {
    config: { action: 'client.read' },
    schema: {
      tags: ['safety plans'],
      summary: "A client's current safety plan with what it lacks; before the first save, the template to start from",
      params: clientParams,
      response: { 200: z.object({ current: versionView.nullable(), template: contentOut.nullable(), sections }) },
    },
  }, async (request) => plans.safetyPlanOf(deps.db, requireAuth(request), request.params.clientId, requestMeta(request)));

  app.put('/api/clients/:clientId/safety-plan', {
    config: { action: 'client.safety_plan.write' },
    schema: {
      tags: ['safety plans'],
      summary: 'Save the plan as a new version. basedOnVersion is the version the editor started from (null for a first plan); if someone saved meanwhile, 409 SAFETY_PLAN_CHANGED and nothing is written. Sending the current plan unchanged writes nothing (200).',
      params: clientParams,
      body: z.strictObject({ content: planContentBody, basedOnVersion: z.number().int().min(1).max(2_147_483_647).nullable() }),
      response: { 200: saved, 201: saved },
    },
  }, async (request, reply) => {
    const result = await plans.saveSafetyPlan(deps.db, requireAuth(request), request.params.clientId, request.body, requestMeta(request));
    return reply.code(result.created ? 201 : 200).send({ version: result.version, gaps: result.gaps });
  });

  app.get('/api/clients/:clientId/safety-plan/versions', {
    config: { action: 'client.read' },
    schema: {
      tags: ['safety plans'],
      summary: 'Every saved version of the plan, newest first',
      params: clientParams,
      response: { 200: z.object({ versions: z.array(z.object({ version: z.number(), savedAt: z.string(), savedByName: z.string().nullable() })) }) },
    },
  }, async (request) => ({ versions: await plans.planVersions(deps.db, requireAuth(request), request.params.clientId, requestMeta(request)) }));

  app.get('/api/clients/:clientId/safety-plan/versions/:version', {
    config: { action: 'client.read' },
    schema: {
      tags: ['safety plans'],
      summary: 'One saved version of the plan',
      params: z.object({ clientId: uuidField, version: versionNumber }),
      response: { 200: versionView },
    },
  }, async (request) => plans.planVersion(deps.db, requireAuth(request), request.params.clientId, request.params.version, requestMeta(request)));

  app.get('/api/clients/:clientId/safety-plan.pdf', {
    config: { action: 'client.read' },
    schema: {
      tags: ['safety plans'],
      summary: 'The plan as a printable PDF (application/pdf): the current version, or ?version=N',
      params: clientParams,
      querystring: z.strictObject({ version: versionNumber.optional() }),
    },
  }, async (request, reply) => {
    const { version, pdf } = await plans.safetyPlanPdf(deps.db, requireAuth(request), request.params.clientId, requestMeta(request), request.query.version);
    return reply.type('application/pdf').header('content-disposition', `inline; filename="safety-plan-v${version}.pdf"`).send(pdf);
  });
};
