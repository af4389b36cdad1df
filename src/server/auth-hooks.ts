import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from './database.ts';
import { Problem } from './problems.ts';
import { mayAttempt, type Action } from '../domain/permissions.ts';
import { appendAuditEvent } from '../modules/audit/audit.repository.ts';
import { csrfTokenMatches, loadSession, type AuthContext, type RequestMeta } from '../modules/auth/auth.service.ts';

export const SESSION_COOKIE = 'hs_session';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** What a person who must still set up a second factor may do meanwhile. */
/** Route parameters that name something belonging to a client: refusals answer 404, as for the client. */
const CLIENT_SCOPED_PARAMS = [
  'clientId', 'incidentId', 'sessionId', 'followUpId', 'appointmentId',
  'caringContactId', 'seriesId', 'agendaItemId', 'reflectionId', 'referralId',
];
const ALLOWED_BEFORE_TOTP = new Set<Action>(['me.read', 'me.totp.enroll', 'auth.sign_out']);

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The permission this route needs; routes without one are public. */
    action?: Action;
  }
  interface FastifyRequest {
    auth: AuthContext | null;
  }
}

export function requestMeta(request: FastifyRequest): RequestMeta {
  const agent = request.headers['user-agent'];
  return { ip: request.ip ?? null, userAgent: typeof agent === 'string' ? agent.slice(0, 300) : null };
}

/** The signed-in person, or a 401 for a route that needs one. */
export function requireAuth(request: FastifyRequest): AuthContext {
  if (!request.auth) throw new Problem('NOT_SIGNED_IN');
  return request.auth;
}

/**
 * Every route that names an action gets: the session (idle sessions end), the CSRF
 * check on writes, the second-factor gate, and the permission check, whose refusals
 * are audited.
 */
export function installAuthHooks(app: FastifyInstance, db: Kysely<Database>, idleMinutes: number) {
  app.decorateRequest('auth', null);
  app.addHook('preHandler', async (request) => {
    const action = request.routeOptions.config.action;
    const token = request.cookies[SESSION_COOKIE];
    if (!action) return;
    if (!token) throw new Problem('NOT_SIGNED_IN');
    const session = await loadSession(db, token, idleMinutes);
    if (session.kind === 'expired') throw new Problem('SESSION_EXPIRED');
    if (session.kind === 'none') throw new Problem('NOT_SIGNED_IN');
    const auth = session.auth;
    const refuse = async (reason: string, problem: Problem) => {
      await appendAuditEvent(db, {
        practiceId: auth.practice.id, actorUserId: auth.user.id, actorRole: auth.user.role, action,
        resourceType: 'route', resourceId: `${request.method} ${request.routeOptions.url}`, ip: request.ip,
        outcome: 'denied', detail: { reason },
      });
      throw problem;
    };
    if (!SAFE_METHODS.has(request.method) && !csrfTokenMatches(auth, headerValue(request.headers['x-csrf-token']))) {
      await refuse('csrf', new Problem('CSRF_TOKEN_INVALID'));
    }
    if (auth.mustEnrollTotp && !ALLOWED_BEFORE_TOTP.has(action)) {
      await refuse('totp_enrollment_required', new Problem('TOTP_ENROLLMENT_REQUIRED'));
    }
    if (!mayAttempt(action, auth.actor)) {
      // A client's record answers "not found" to everyone outside its care team, so
      // that even its existence is not disclosed (minimum necessary).
      const params = (request.params ?? {}) as Record<string, unknown>;
      const aboutClient = CLIENT_SCOPED_PARAMS.some((name) => typeof params[name] === 'string');
      await refuse('permission', aboutClient ? new Problem('NOT_FOUND', 'Not found.') : new Problem('FORBIDDEN'));
    }
    request.auth = auth;
  });
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
