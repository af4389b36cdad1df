import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppDeps } from '../../server/app.ts';
import { requestMeta, requireAuth } from '../../server/auth-hooks.ts';
import { eventStreams } from '../../server/event-stream.ts';
import { Problem } from '../../server/problems.ts';
import * as standby from './standby.service.ts';

/** How soon a browser's EventSource reconnects after the stream drops. */
const RETRY_MS = 5_000;

/**
 * Pager standby (standby.service.ts): given at sign-in, heard on the sign-in screen after
 * the session has ended. The stream is the only thing the standby cookie opens.
 */
export const standbyRoutes = (deps: AppDeps): FastifyPluginAsyncZod => async (app) => {
  const cookieOptions = { path: '/api', httpOnly: true, sameSite: 'strict' as const, secure: deps.config.secureCookies };
  const streams = eventStreams(app);

  app.post('/api/pager/standby', {
    config: { action: 'pager.standby' },
    schema: {
      tags: ['paging'],
      summary: 'Stand this browser by for my pages for 12 hours (renews): after my session ends, the sign-in screen still hears that I am paged, and nothing more',
      response: { 200: z.object({ until: z.string() }) },
    },
  }, async (request, reply) => {
    const { token, until } = await standby.standBy(deps.db, requireAuth(request), request.cookies[standby.STANDBY_COOKIE], requestMeta(request).ip);
    reply.setCookie(standby.STANDBY_COOKIE, token, { ...cookieOptions, expires: until });
    return { until: until.toISOString() };
  });

  app.post('/api/pager/standby/stop', {
    schema: { tags: ['paging'], summary: "Stop this browser standing by for pages (from the sign-in screen: the standby cookie, no session)" },
  }, async (request, reply) => {
    await standby.endStandby(deps.db, request.cookies[standby.STANDBY_COOKIE], requestMeta(request).ip, 'stopped');
    reply.clearCookie(standby.STANDBY_COOKIE, cookieOptions);
    return reply.code(204).send();
  });

  app.get('/api/pager/stream', {
    schema: {
      tags: ['paging'],
      summary: 'Standing by, as text/event-stream (the standby cookie, no session): ready { until, name }, then paged { pageId, at } whenever I am paged; no client, protocol or place',
    },
  }, async (request, reply) => {
    const holder = await standby.findStandby(deps.db, request.cookies[standby.STANDBY_COOKIE]);
    if (!holder) throw new Problem('STANDBY_ENDED');

    let unsubscribe = () => {};
    const stream = streams.open(reply, {
      retryMs: RETRY_MS,
      stillValid: async () => (await standby.findStandby(deps.db, request.cookies[standby.STANDBY_COOKIE])) !== null,
      onEnd: () => unsubscribe(),
    });
    const paged = (pageId: string, at: Date) => stream.send('paged', { pageId, at: at.toISOString() });
    const tellWaiting = () => standby.openPagesFor(deps.db, holder).then((pages) => pages.forEach((p) => paged(p.pageId, p.at)), () => {});
    unsubscribe = deps.live.subscribe(holder.practiceId, holder.userId, (message) => {
      // Only that a page reached this person; its details wait behind sign-in.
      if (message.type === 'page' && typeof message.data.id === 'string') paged(message.data.id, new Date());
      // The instance lost its LISTEN connection for a moment: whatever is still waiting is told again.
      else if (message.type === 'resync') void tellWaiting();
    });
    stream.send('ready', { until: holder.expiresAt.toISOString(), name: holder.name });
    await tellWaiting();
    return reply;
  });
};
