import { sql } from 'kysely';
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppDeps } from '../../server/app.ts';

const part = z.object({ ok: z.boolean(), detail: z.string() });

export const healthRoutes = (deps: AppDeps): FastifyPluginAsyncZod => async (app) => {
  app.get('/api/health', {
    schema: {
      tags: ['health'],
      summary: 'Whether the database and the job queue are working',
      response: { 200: z.object({ status: z.literal('ok'), database: part, jobQueue: part }), 503: z.object({ status: z.literal('degraded'), database: part, jobQueue: part }) },
    },
  }, async (_request, reply) => {
    const database = await sql<{ version: string }>`select current_setting('server_version') as version`.execute(deps.db)
      .then((r) => ({ ok: true, detail: `PostgreSQL ${r.rows[0]?.version ?? '?'}` }), (err: Error) => ({ ok: false, detail: err.message }));
    const jobQueue = await deps.jobs.health();
    const healthy = database.ok && jobQueue.ok;
    return reply.code(healthy ? 200 : 503).send({ status: healthy ? 'ok' : 'degraded', database, jobQueue } as never);
  });
};
