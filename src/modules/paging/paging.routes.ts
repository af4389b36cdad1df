import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppDeps } from '../../server/app.ts';
import { requestMeta, requireAuth } from '../../server/auth-hooks.ts';
import { phoneField, uuidField } from '../../server/schemas.ts';
import { ESCALATION_TARGETS, EscalationPolicySchema } from '../../domain/escalation.ts';
import * as paging from './paging.service.ts';

const named = z.object({ id: z.string(), name: z.string() });
const pageForMe = z.object({
  id: z.string(), incidentId: z.string(), status: z.enum(['open', 'acknowledged', 'exhausted', 'cancelled']), reason: z.string(),
  createdAt: z.string(), requestedBy: named, protocolTitle: z.string(), discreetTitle: z.string(), where: z.string().nullable(),
  level: z.number().describe('the level last paged, counted from 0'), round: z.number().describe('the round, counted from 1'),
  acknowledgedBy: named.nullable(), acknowledgedAt: z.string().nullable(),
});
const policyView = z.object({
  levels: z.array(z.object({ target: z.enum(ESCALATION_TARGETS), waitMinutes: z.number() })),
  rounds: z.number(), onCallUserIds: z.array(z.string()), onCall: z.array(named),
});

/** `clock` lets tests set the time of acknowledgements; the server uses the system clock. */
export const pagingRoutes = (deps: AppDeps & { clock?: paging.Clock }): FastifyPluginAsyncZod => async (app) => {
  const clock = deps.clock ?? paging.systemClock;

  app.get('/api/me/page-phone', {
    config: { action: 'me.page_phone' },
    schema: { tags: ['paging'], summary: 'The number my pages are also texted to (null: pages reach me in the browser only)', response: { 200: z.object({ phone: z.string().nullable() }) } },
  }, async (request) => ({ phone: await paging.readPagePhone(deps.db, requireAuth(request)) }));

  app.put('/api/me/page-phone', {
    config: { action: 'me.page_phone' },
    schema: {
      tags: ['paging'], summary: 'Sets (or with null, clears) the number my pages are also texted to, at any hour',
      body: z.strictObject({ phone: phoneField.nullable() }), response: { 200: z.object({ phone: z.string().nullable() }) },
    },
  }, async (request) => ({ phone: await paging.savePagePhone(deps.db, requireAuth(request), request.body.phone, requestMeta(request).ip) }));

  app.get('/api/pages', {
    config: { action: 'pages.read' },
    schema: {
      tags: ['paging'],
      summary: 'Pages I was notified of that are still waiting for an answer (open, or exhausted), newest first: the alert after a reload',
      response: { 200: z.object({ pages: z.array(pageForMe) }) },
    },
  }, async (request) => ({ pages: await paging.listMyPages(deps.db, requireAuth(request), requestMeta(request).ip) }));

  app.post('/api/pages/:pageId/acknowledge', {
    config: { action: 'pages.acknowledge' },
    schema: {
      tags: ['paging'],
      summary: "Acknowledge a page I was notified of (\"I'm on it\"): stops the escalation. The first acknowledgement wins; again answers the page unchanged",
      params: z.strictObject({ pageId: uuidField }),
      response: { 200: z.object({ page: pageForMe }) },
    },
  }, async (request) => {
    const result = await paging.acknowledgePage(deps.db, requireAuth(request), request.params.pageId, requestMeta(request).ip, clock);
    await paging.publishAll(deps.live, deps.db, result.messages);
    return { page: result.page };
  });

  app.get('/api/practice/escalation-policy', {
    config: { action: 'escalation.read' },
    schema: {
      tags: ['paging'],
      summary: "The practice's escalation policy (the default until one is saved), with the names of the people on call",
      response: { 200: policyView },
    },
  }, async (request) => paging.readPolicy(deps.db, requireAuth(request)));

  app.put('/api/practice/escalation-policy', {
    config: { action: 'escalation.manage' },
    schema: {
      tags: ['paging'],
      summary: 'Set who is paged in what order, how many minutes each level has before the next, and how many rounds. Open pages follow it from their next step',
      body: EscalationPolicySchema,
      response: { 200: policyView },
    },
  }, async (request) => paging.savePolicy(deps.db, requireAuth(request), request.body, requestMeta(request).ip, clock));
};
