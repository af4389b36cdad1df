import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { Problem, type ProblemCode } from './problems.ts';
import { ProtocolError } from '../domain/protocols/errors.ts';

/** Fastify's own error codes, translated to ours. */
const FASTIFY_CODES: Record<string, ProblemCode> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'MALFORMED_JSON',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'MALFORMED_JSON',
  FST_ERR_CTP_BODY_TOO_LARGE: 'BODY_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'VALIDATION_FAILED',
  FST_ERR_VALIDATION: 'VALIDATION_FAILED',
};

/** PostgreSQL or network failures that mean "the database is not reachable right now". */
const UNAVAILABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', '57P01', '57P02', '57P03', '08000', '08003', '08006']);
/** node-postgres reports a connection lost mid-request, or none to be had, without a code. */
const UNAVAILABLE_MESSAGE = /^(Connection terminated|Client has encountered a connection error|timeout exceeded when trying to connect|Client was closed and is not queryable)/;

function databaseUnreachable(e: { code?: string; message?: string }): boolean {
  return (!!e.code && UNAVAILABLE.has(e.code)) || UNAVAILABLE_MESSAGE.test(e.message ?? '');
}

export function sendProblem(reply: FastifyReply, problem: Problem) {
  for (const [name, value] of Object.entries(problem.headers)) reply.header(name, value);
  return reply.code(problem.status).type('application/problem+json').send(problem.toJSON());
}

export function toProblem(err: unknown): Problem | null {
  if (err instanceof Problem) return err;
  if (err instanceof ProtocolError) return new Problem(err.code, err.message);
  const e = err as FastifyError & { code?: string };
  if (hasZodFastifySchemaValidationErrors(e)) {
    const errors = e.validation.map((v) => ({
      path: [e.validationContext, ...(v.instancePath ? v.instancePath.split('/').filter(Boolean) : [])].join('.'),
      message: v.message ?? 'is not valid',
    }));
    return new Problem('VALIDATION_FAILED', errors.map((x) => `${x.path}: ${x.message}`).join('; '), { errors });
  }
  if (e.code && FASTIFY_CODES[e.code]) return new Problem(FASTIFY_CODES[e.code]!, e.message);
  if (databaseUnreachable(e)) return new Problem('SERVICE_UNAVAILABLE', 'The database is not reachable. Try again in a moment.');
  if (typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    return new Problem('VALIDATION_FAILED', e.message);
  }
  return null;
}

export function installErrorHandlers(app: FastifyInstance) {
  app.setErrorHandler((err, request, reply) => {
    const problem = toProblem(err);
    if (problem) return sendProblem(reply, problem);
    request.log.error({ err }, 'unhandled error');
    return sendProblem(reply, new Problem('INTERNAL_ERROR', 'Something went wrong on our side. Nothing you sent was lost; try again.'));
  });
}
