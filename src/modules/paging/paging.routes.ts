import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppDeps } from '../../server/app.ts';

export const pagingRoutes = (_deps: AppDeps): FastifyPluginAsyncZod => async () => {};
