import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppDeps } from './app.ts';
import { requireAuth } from './auth-hooks.ts';
import { eventStreams } from './event-stream.ts';
import { findSession } from '../modules/auth/auth.repository.ts';

/** How soon a browser's EventSource reconnects after the stream drops. */
const RETRY_MS = 2_000;

/**
 * The signed-in person's live stream (Server-Sent Events): pages, page updates and
 * incident updates addressed to them, from whichever instance made the change (the
 * LiveHub listens to PostgreSQL). Opens with `event: ready`; a `: ping` comment every
 * 15 s. The stream ends when the person signs out, is deactivated or their session
 * times out (checked at each ping, without extending the session).
 */
export const liveRoutes = (deps: AppDeps): FastifyPluginAsyncZod => async (app) => {
  const streams = eventStreams(app);

  app.get('/api/live', {
    config: { action: 'live.subscribe' },
    schema: {
      tags: ['live'],
      summary: 'My live updates as text/event-stream: events ready, page, page.updated, incident.updated, resync. ?probe=1 answers 204 at once',
      querystring: z.strictObject({ probe: z.enum(['1']).optional() }),
    },
  }, async (request, reply) => {
    const auth = requireAuth(request);
    if (request.query.probe) return reply.code(204).send();

    let unsubscribe = () => {};
    const stream = streams.open(reply, {
      retryMs: RETRY_MS,
      stillValid: async () => {
        const s = await findSession(deps.db, auth.tokenHash, deps.config.idleTimeoutMinutes);
        return Boolean(s && s.user_active && !s.idle_expired);
      },
      onEnd: () => unsubscribe(),
    });
    unsubscribe = deps.live.subscribe(auth.practice.id, auth.user.id, (message) => stream.send(message.type, message.data));
    stream.send('ready', { userId: auth.user.id, listening: deps.live.connected });
    return reply;
  });
};
