import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppDeps } from '../../server/app.ts';
import { requestMeta, requireAuth, SESSION_COOKIE } from '../../server/auth-hooks.ts';
import { emailField, passwordField, personName, uuidField } from '../../server/schemas.ts';
import { ROLES } from '../../domain/permissions.ts';
import * as auth from './auth.service.ts';
import { listUsers } from './auth.repository.ts';
import { endStandby, STANDBY_COOKIE } from '../paging/standby.service.ts';

const meSchema = z.object({
  user: z.object({ id: z.string(), name: z.string(), email: z.string(), role: z.enum(ROLES), totpEnabled: z.boolean() }),
  practice: z.object({ id: z.string(), name: z.string(), timeZone: z.string(), requireTotp: z.boolean() }),
  supervisees: z.array(z.object({ id: z.string(), name: z.string() })),
  csrfToken: z.string(),
  mustEnrollTotp: z.boolean(),
  allowed: z.array(z.string()),
});
const invitableRole = z.enum(['admin', 'clinician', 'supervisor', 'front_desk']);
const totpCode = z.string().regex(/^\d{6}$/, 'Enter the 6-digit code');

export const authRoutes = (deps: AppDeps): FastifyPluginAsyncZod => async (app) => {
  const cookieOptions = { path: '/', httpOnly: true, sameSite: 'strict' as const, secure: deps.config.secureCookies };

  app.post('/api/auth/sign-in', {
    schema: {
      tags: ['auth'],
      summary: 'Sign in with email, password and, when enrolled, an authenticator code',
      body: z.strictObject({ email: emailField, password: z.string().min(1).max(256), totpCode: totpCode.optional() }),
      response: { 200: meSchema },
    },
  }, async (request, reply) => {
    const previous = request.cookies[SESSION_COOKIE];
    const { token, context } = await auth.signIn(deps.db, request.body, requestMeta(request), previous ? auth.sha256(previous) : undefined);
    reply.setCookie(SESSION_COOKIE, token, cookieOptions);
    return auth.describeMe(context);
  });

  app.post('/api/auth/sign-out', {
    config: { action: 'auth.sign_out' },
    schema: { tags: ['auth'], summary: 'Sign out of this browser (and stop it standing by for pages)' },
  }, async (request, reply) => {
    await auth.signOut(deps.db, requireAuth(request), requestMeta(request));
    reply.clearCookie(SESSION_COOKIE, cookieOptions);
    // Signing out on purpose also stops this browser standing by for pages (an idle timeout does not).
    await endStandby(deps.db, request.cookies[STANDBY_COOKIE], requestMeta(request).ip, 'signed_out');
    reply.clearCookie(STANDBY_COOKIE, { ...cookieOptions, path: '/api' });
    return reply.code(204).send();
  });

  app.get('/api/me', {
    config: { action: 'me.read' },
    schema: { tags: ['auth'], summary: 'The signed-in person, their practice and what they may do', response: { 200: meSchema } },
  }, async (request) => auth.describeMe(requireAuth(request)));

  app.post('/api/me/totp', {
    config: { action: 'me.totp.enroll' },
    schema: { tags: ['auth'], summary: 'Start setting up an authenticator app', response: { 200: z.object({ secret: z.string(), otpauthUri: z.string() }) } },
  }, async (request) => auth.startTotpEnrollment(deps.db, requireAuth(request), requestMeta(request)));

  app.post('/api/me/totp/confirm', {
    config: { action: 'me.totp.enroll' },
    schema: { tags: ['auth'], summary: 'Finish setting up the authenticator app with a code from it', body: z.strictObject({ code: totpCode }) },
  }, async (request, reply) => {
    await auth.confirmTotpEnrollment(deps.db, requireAuth(request), request.body.code, requestMeta(request));
    return reply.code(204).send();
  });

  app.get('/api/users', {
    config: { action: 'users.list' },
    schema: {
      tags: ['users'],
      summary: "The practice's people",
      response: { 200: z.object({ users: z.array(z.object({
        id: z.string(), name: z.string(), email: z.string(), role: z.enum(ROLES), active: z.boolean(),
        totpEnabled: z.boolean(), superviseeIds: z.array(z.string()),
      })) }) },
    },
  }, async (request) => {
    const users = await listUsers(deps.db, requireAuth(request).practice.id);
    return { users: users.map((u) => ({ id: u.id, name: u.name, email: u.email, role: u.role, active: u.active, totpEnabled: u.totp_enabled, superviseeIds: u.supervisee_ids })) };
  });

  app.get('/api/clinicians', {
    config: { action: 'schedule.read' },
    schema: {
      tags: ['users'],
      summary: "The practice's active clinicians, for booking and choosing whose day to see (names only)",
      response: { 200: z.object({ clinicians: z.array(z.object({ id: z.string(), name: z.string(), role: z.enum(['clinician', 'supervisor']) })) }) },
    },
  }, async (request) => {
    const rows = await listUsers(deps.db, requireAuth(request).practice.id);
    return { clinicians: rows.filter((u) => u.active && (u.role === 'clinician' || u.role === 'supervisor')).map((u) => ({ id: u.id, name: u.name, role: u.role as 'clinician' | 'supervisor' })) };
  });

  app.post('/api/users/invites', {
    config: { action: 'users.invite' },
    schema: {
      tags: ['users'],
      summary: 'Invite a person; the link expires after 72 hours',
      body: z.strictObject({ email: emailField, name: personName, role: invitableRole, superviseeIds: z.array(uuidField).max(200).optional() }),
      response: { 201: z.object({ inviteUrl: z.string(), expiresAt: z.string() }) },
    },
  }, async (request, reply) => {
    const { token, expiresAt } = await auth.inviteUser(deps.db, requireAuth(request), request.body, requestMeta(request));
    const base = deps.config.publicUrl ?? `${request.protocol}://${request.host}`;
    return reply.code(201).send({ inviteUrl: `${base}/invite/${token}`, expiresAt: expiresAt.toISOString() });
  });

  app.put('/api/users/:userId/supervisees', {
    config: { action: 'users.supervisees.update' },
    schema: {
      tags: ['users'],
      summary: 'Set the clinicians a supervisor supervises',
      params: z.object({ userId: uuidField }),
      body: z.strictObject({ clinicianIds: z.array(uuidField).max(200) }),
      response: { 200: z.object({ clinicianIds: z.array(z.string()) }) },
    },
  }, async (request) => {
    await auth.setSupervisees(deps.db, requireAuth(request), request.params.userId, request.body.clinicianIds, requestMeta(request));
    return { clinicianIds: request.body.clinicianIds };
  });

  const inviteToken = z.object({ token: z.string().min(20).max(100) });
  app.get('/api/invites/:token', {
    schema: {
      tags: ['users'],
      summary: 'What an invite link is for',
      params: inviteToken,
      response: { 200: z.object({ email: z.string(), name: z.string(), role: z.string(), practiceName: z.string(), expiresAt: z.string() }) },
    },
  }, async (request) => {
    const invite = await auth.describeInvite(deps.db, request.params.token);
    return { email: invite.email, name: invite.name, role: invite.role, practiceName: invite.practice_name, expiresAt: invite.expires_at.toISOString() };
  });

  app.post('/api/invites/:token/accept', {
    schema: {
      tags: ['users'],
      summary: 'Accept an invite by choosing a password',
      params: inviteToken,
      body: z.strictObject({ password: passwordField }),
      response: { 201: z.object({ userId: z.string() }) },
    },
  }, async (request, reply) => reply.code(201).send(await auth.acceptInvite(deps.db, request.params.token, request.body.password, requestMeta(request))));
};
