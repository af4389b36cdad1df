import type { FastifyInstance, FastifyReply } from 'fastify';

/** A comment line this often keeps proxies and browsers from closing an idle stream. */
export const PING_MS = 15_000;

export interface EventStream {
  send(event: string, data: unknown): void;
  /** Ends the stream (the browser's EventSource reconnects after `retryMs`, and is then asked again). */
  end(): void;
}

export interface EventStreamOptions {
  /** How soon a browser's EventSource reconnects after the stream drops. */
  retryMs: number;
  /**
   * Asked every PING_MS: false ends the stream (signed out, timed out, standby over); true
   * sends a ping. A check that fails (the database briefly unreachable) keeps the stream.
   */
  stillValid: () => Promise<boolean>;
  /** Runs once when the stream ends, however it ends. */
  onEnd: () => void;
}

/**
 * Server-Sent Event streams of one plugin (the live updates, the pager standby): each
 * takes over its reply, and every open one is ended when the server closes, or the close
 * would wait for them.
 */
export function eventStreams(app: FastifyInstance): { open(reply: FastifyReply, options: EventStreamOptions): EventStream } {
  const open = new Set<() => void>();
  app.addHook('preClose', async () => {
    for (const end of [...open]) end();
  });

  return {
    open(reply, { retryMs, stillValid, onEnd }) {
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
      const end = () => {
        if (closed) return;
        closed = true;
        open.delete(end);
        clearInterval(ping);
        onEnd();
        // Destroy rather than end: an ended stream would leave a keep-alive connection the server waits for on close.
        res.destroy();
      };
      const ping = setInterval(() => {
        stillValid().then((valid) => (valid ? write(': ping\n\n') : end()), () => write(': ping\n\n'));
      }, PING_MS);
      ping.unref();
      open.add(end);
      res.on('close', end);
      res.on('error', end);

      write(`retry: ${retryMs}\n\n`);
      return { send: (event, data) => write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`), end };
    },
  };
}
