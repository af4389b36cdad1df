/**
 * Errors under /fhir as FHIR OperationOutcome (https://hl7.org/fhir/R4/operationoutcome.html)
 * with the same HTTP status and stable code as the API's problem responses.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { toProblem } from '../../server/http-errors.ts';
import { Problem, PROBLEMS } from '../../server/problems.ts';

export const FHIR_JSON = 'application/fhir+json; charset=utf-8';

/** issue-type (required binding) by HTTP status. */
function issueType(status: number): string {
  switch (status) {
    case 400: return 'invalid';
    case 401: return 'login';
    case 403: return 'forbidden';
    case 404: return 'not-found';
    case 405: case 415: return 'not-supported';
    case 409: return 'conflict';
    case 410: return 'deleted';
    case 413: return 'too-long';
    case 422: return 'processing';
    case 429: return 'throttled';
    case 503: return 'transient';
    default: return status >= 500 ? 'exception' : 'processing';
  }
}

export function operationOutcome(problem: Problem) {
  return {
    resourceType: 'OperationOutcome' as const,
    issue: [{
      severity: 'error' as const,
      code: issueType(problem.status),
      details: { coding: [{ system: 'https://holdspace.invalid/problems', code: problem.code }], text: PROBLEMS[problem.code].title },
      diagnostics: problem.message,
    }],
  };
}

export function sendOutcome(reply: FastifyReply, problem: Problem) {
  for (const [name, value] of Object.entries(problem.headers)) reply.header(name, value);
  return reply.code(problem.status).type(FHIR_JSON).send(operationOutcome(problem));
}

/** For the /fhir plugin: every error and unknown path answers an OperationOutcome. */
export function installFhirErrors(app: FastifyInstance) {
  app.setErrorHandler((err, request, reply) => {
    const problem = toProblem(err);
    if (problem) return sendOutcome(reply, problem);
    request.log.error({ err }, 'unhandled error');
    return sendOutcome(reply, new Problem('INTERNAL_ERROR', 'Something went wrong on our side. Try again.'));
  });
  app.setNotFoundHandler((request, reply) => sendOutcome(reply, new Problem('ROUTE_NOT_FOUND', `No FHIR endpoint ${request.method} ${request.url.split('?')[0]}`)));
}
