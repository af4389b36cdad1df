import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppDeps } from './app.ts';
import { requireAuth } from './auth-hooks.ts';
import { findSession } from '../modules/auth/auth.repository.ts';

/** A comment line this often keeps proxies and browsers from closing an idle stream. */
export const PING_MS = 15_000;
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
  // Open streams never finish by themselves: end them when the server closes, or it would wait for them.
  const open = new Set<() => void>();
  app.addHook('preClose', async () => {
    for (const end of [...open]) end();
  });

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

    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      'x-accel-buffering': 'no',
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
    });
    // A page must reach the browser at once, not when a packet fills up.
    res.socket?.setNoDelay(true);

    let closed = false;
    const write = (chunk: string) => {
      if (!closed && !res.writableEnded && !res.destroyed) res.write(chunk);
    };
    const send = (event: string, data: unknown) => write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);

    const unsubscribe = deps.live.subscribe(auth.practice.id, auth.user.id, (message) => send(message.type, message.data));
    const end = () => {
      if (closed) return;
      closed = true;
      open.delete(end);
      clearInterval(ping);
      unsubscribe();
      // Destroy rather than end: an ended stream would leave a keep-alive connection the server waits for on close.
      res.destroy();
    };
    const ping = setInterval(() => {
      findSession(deps.db, auth.tokenHash, deps.config.idleTimeoutMinutes).then((s) => {
        if (!s || !s.user_active || s.idle_expired) end();
        else write(': ping\n\n');
      }, () => write(': ping\n\n')); // the database is briefly unreachable: keep the stream, the hub will resync
    }, PING_MS);
    ping.unref();
    open.add(end);
    res.on('close', end);
    res.on('error', end);

    write(`retry: ${RETRY_MS}\n\n`);
    send('ready', { userId: auth.user.id, listening: deps.live.connected });
    return reply;
  });
};
