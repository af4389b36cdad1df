import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import type { Db } from '../../src/server/database.ts';
import { ACTIONS, can, mayAttempt, ROLES, type Action, type Actor, type Role } from '../../src/domain/permissions.ts';
import { Browser, createTestApp } from '../support/app.ts';
import { createClient, createPractice, FIXTURE_PASSWORD, type FixturePractice } from '../support/fixtures.ts';

type Call = { method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'; url: string; body?: unknown };
interface World {
  p: FixturePractice; clientId: string; role: Role; n: number;
  /** Resources of the client's care team, made before the walk (see `careTeamResources`). */
  sessionId: string; incidentId: string; pageId: string; followUpId: string; newId: string; newRunId: string;
  /** A follow-up that stays open when acted on (an attempt that reached the client, a new due time). */
  openFollowUpId: string;
  /** A reflection (psychotherapy note) written by the clinician: only its author reads it. */
  reflectionId: string;
  /** Incident reports: one saved as a draft (the clinician signs it), one signed (addenda, co-signature). */
  reportToSignIncidentId: string; signedReportIncidentId: string;
  /** An open alert in the session, one per role (answering one is a one-time act). */
  alertId: string;
}

/** One real request per action; the walk fails if an action has no request here. */
const CALLS: Record<Action, (w: World) => Call> = {
  'me.read': () => ({ method: 'GET', url: '/api/me' }),
  'me.totp.enroll': () => ({ method: 'POST', url: '/api/me/totp' }),
  'me.page_phone': () => ({ method: 'PUT', url: '/api/me/page-phone', body: { phone: '+15105550142' } }),
  'auth.sign_out': () => ({ method: 'POST', url: '/api/auth/sign-out' }),
  'users.list': () => ({ method: 'GET', url: '/api/users' }),
  'users.invite': (w) => ({ method: 'POST', url: '/api/users/invites', body: { email: `walk-${w.role}-${w.n}@example.test`, name: 'Walk', role: 'clinician' } }),
  'users.supervisees.update': (w) => ({ method: 'PUT', url: `/api/users/${w.p.users.supervisor.id}/supervisees`, body: { clinicianIds: [w.p.users.clinician.id] } }),
  'practice.security.update': () => ({ method: 'PUT', url: '/api/practice/security', body: { requireTotp: false } }),
  'audit.browse': () => ({ method: 'GET', url: '/api/audit/events' }),
  'audit.verify': () => ({ method: 'GET', url: '/api/audit/verify' }),
  'clients.directory': () => ({ method: 'GET', url: '/api/clients' }),
  'clients.create': (w) => ({ method: 'POST', url: '/api/clients', body: { legalName: `Walk Client ${w.role}`, clinicianIds: [w.p.users.clinician.id] } }),
  'client.read': (w) => ({ method: 'GET', url: `/api/clients/${w.clientId}` }),
  'client.update': (w) => ({ method: 'PATCH', url: `/api/clients/${w.clientId}`, body: { pronouns: 'they/them' } }),
  'client.archive': (w) => ({ method: 'POST', url: `/api/clients/${w.clientId}/archive`, body: { archived: false } }),
  'client.assign': (w) => ({ method: 'PUT', url: `/api/clients/${w.clientId}/clinicians`, body: { clinicianIds: [w.p.users.clinician.id] } }),
  'client.safety_plan.write': (w) => ({ method: 'GET', url: `/api/clients/${w.clientId}/safety-plan` }),
  'client.risk.record': (w) => ({ method: 'POST', url: `/api/clients/${w.clientId}/risk`, body: { level: 'low', justification: 'Walk.' } }),
  'policy.read': () => ({ method: 'GET', url: '/api/policy' }),
  'policy.publish': (w) => ({ method: 'POST', url: '/api/policy', body: { title: `Policy by ${w.role}`, bodyMarkdown: 'We may be interrupted only for emergencies.' } }),
  'locations.read': () => ({ method: 'GET', url: '/api/locations' }),
  'locations.manage': (w) => ({ method: 'POST', url: '/api/locations', body: { name: `Office ${w.role}`, address: '1 Example Way, Oakland, CA' } }),
  'schedule.read': () => ({ method: 'GET', url: '/api/schedule/day?date=2026-11-23' }),
  'appointments.book': (w) => ({ method: 'POST', url: '/api/appointments', body: {
    clientId: w.clientId, clinicianId: w.p.users.clinician.id, startsAt: `2026-12-0${ROLES.indexOf(w.role) + 1}T17:00:00Z`, minutes: 50, modality: 'telehealth',
  } }),
  'session.run': (w) => ({ method: 'GET', url: `/api/sessions/${w.sessionId}` }),
  'protocols.read': () => ({ method: 'GET', url: '/api/protocols' }),
  'protocols.configure': () => ({ method: 'PUT', url: '/api/practice/protocol-parameters/client-walks-out', body: { values: { walkoutWaitMinutes: 10 } } }),
  'escalation.read': () => ({ method: 'GET', url: '/api/practice/escalation-policy' }),
  'escalation.manage': (w) => ({ method: 'PUT', url: '/api/practice/escalation-policy', body: {
    levels: [{ target: 'supervisor', waitMinutes: 2 }, { target: 'on_call', waitMinutes: 3 }, { target: 'owner', waitMinutes: 5 }], rounds: 2, onCallUserIds: [w.p.users.clinician.id],
  } }),
  'incident.open': (w) => ({ method: 'POST', url: '/api/incidents', body: { id: w.newId, runId: w.newRunId, clientId: w.clientId, protocolKey: 'client-walks-out' } }),
  'incident.act': (w) => ({ method: 'POST', url: `/api/incidents/${w.incidentId}/pages`, body: { reason: `Walk ${w.role}` } }),
  'incident.read': (w) => ({ method: 'GET', url: `/api/incidents/${w.incidentId}` }),
  'incident.note': (w) => ({ method: 'POST', url: `/api/incidents/${w.incidentId}/notes`, body: { text: `Note by ${w.role}` } }),
  'incidents.list': () => ({ method: 'GET', url: '/api/incidents' }),
  'pages.acknowledge': (w) => ({ method: 'POST', url: `/api/pages/${w.pageId}/acknowledge` }),
  'pages.read': () => ({ method: 'GET', url: '/api/pages' }),
  'live.subscribe': () => ({ method: 'GET', url: '/api/live?probe=1' }),
  'pager.standby': () => ({ method: 'POST', url: '/api/pager/standby' }),
  'client.disclosures.read': (w) => ({ method: 'GET', url: `/api/clients/${w.clientId}/disclosures` }),
  'follow_ups.read': () => ({ method: 'GET', url: '/api/follow-ups' }),
  'follow_up.complete': (w) => ({ method: 'POST', url: `/api/follow-ups/${w.followUpId}/complete`, body: { note: `Done by ${w.role}` } }),
  'follow_up.create': (w) => ({ method: 'POST', url: `/api/clients/${w.clientId}/follow-ups`, body: { id: w.newId, title: `Call by ${w.role}`, dueAt: '2031-03-04T23:00:00Z' } }),
  'follow_up.attempt': (w) => ({ method: 'POST', url: `/api/follow-ups/${w.openFollowUpId}/attempts`, body: { id: w.newId, channel: 'voice', outcome: 'reached' } }),
  'follow_up.update': (w) => ({ method: 'PATCH', url: `/api/follow-ups/${w.openFollowUpId}`, body: { dueAt: `2031-03-0${ROLES.indexOf(w.role) + 1}T23:00:00Z` } }),
  'follow_ups.team': () => ({ method: 'GET', url: '/api/follow-ups/team' }),
  'follow_ups.settings': () => ({ method: 'PUT', url: '/api/practice/follow-up-settings', body: { reminderLeadMinutes: 60, defaultMaxAttempts: 3 } }),
  'notifications.read': () => ({ method: 'GET', url: '/api/notifications' }),
  'client.caring_contacts.manage': (w) => ({ method: 'GET', url: `/api/clients/${w.clientId}/caring-contacts` }),
  'client.agenda.manage': (w) => ({ method: 'POST', url: `/api/clients/${w.clientId}/agenda`, body: { id: w.newId, text: `Agenda by ${w.role}` } }),
  'client.aftercare.write': (w) => ({ method: 'POST', url: `/api/clients/${w.clientId}/approach-notes`, body: { id: w.newId, kind: 'adjustment', body: `Adjustment by ${w.role}` } }),
  'client.referral.manage': (w) => ({ method: 'POST', url: `/api/clients/${w.clientId}/referrals`, body: { id: w.newId, toKind: 'external', toName: 'Bay Family Clinic', reason: `Referral by ${w.role}` } }),
  'client.reflection.write': (w) => ({ method: 'POST', url: `/api/clients/${w.clientId}/reflections`, body: { id: w.newId, body: `Reflection by ${w.role}` } }),
  'reflection.read': (w) => ({ method: 'GET', url: `/api/reflections/${w.reflectionId}` }),
  'incident.report.read': (w) => ({ method: 'GET', url: `/api/incidents/${w.incidentId}/report` }),
  // Addenda are append-only, so every role may try one on the signed report.
  'incident.report.write': (w) => ({ method: 'POST', url: `/api/incidents/${w.signedReportIncidentId}/report/addenda`, body: { text: `Addendum by ${w.role}` } }),
  'incident.report.sign': (w) => ({ method: 'POST', url: `/api/incidents/${w.reportToSignIncidentId}/report/sign`, body: { version: 1 } }),
  'incident.report.cosign': (w) => ({ method: 'POST', url: `/api/incidents/${w.signedReportIncidentId}/report/cosign`, body: { note: `Reviewed by ${w.role}` } }),
  'reports.review_queue': () => ({ method: 'GET', url: '/api/reports?status=awaiting_review' }),
  'fhir.read': (w) => ({ method: 'GET', url: `/fhir/Patient/${w.clientId}/$everything` }),
  'client.export': (w) => ({ method: 'GET', url: `/api/clients/${w.clientId}/export` }),
  'retention.manage': () => ({ method: 'PUT', url: '/api/practice/retention', body: { yearsAfterLastContact: 7 } }),
  'messaging.settings.read': () => ({ method: 'GET', url: '/api/practice/messaging' }),
  'messaging.settings.manage': () => ({ method: 'PUT', url: '/api/practice/messaging', body: {
    emailEnabled: false, smtpHost: null, smtpPort: null, smtpSecure: false, smtpUser: null, emailFrom: null,
    textProvider: 'development', twilioAccountSid: null, twilioFrom: null, twilioApiBaseUrl: null, quietHours: { start: '21:00', end: '08:00' },
  } }),
  'outbox.read': () => ({ method: 'GET', url: '/api/messaging/outbox' }),
  'client.accounting_requests.manage': (w) => ({ method: 'POST', url: `/api/clients/${w.clientId}/accounting-requests`, body: {
    requestedBy: `The client, by ${w.role}`, receivedOn: '2026-01-05', receivedVia: 'in_writing',
  } }),
  'accounting_requests.list': () => ({ method: 'GET', url: '/api/accounting-requests' }),
  'client.messages.read': (w) => ({ method: 'GET', url: `/api/clients/${w.clientId}/messages` }),
  // The walk's client has consented to no channel: previewing (same permission as sending) answers why it cannot go.
  'client.message.send': (w) => ({ method: 'POST', url: `/api/clients/${w.clientId}/messages/preview`, body: { channel: 'email', template: 'check_in' } }),
  // The walk's client is the care team's own: the answer says so, and no grant is made.
  'client.break_glass': (w) => ({ method: 'POST', url: `/api/clients/${w.clientId}/break-glass`, body: { reason: `Walk: emergency access by ${w.role}` } }),
  'call_gate.own': () => ({ method: 'GET', url: '/api/me/call-gate' }),
  'call_gate.practice': () => ({ method: 'PUT', url: '/api/practice/call-gate', body: { repeatCallMinutes: 5, pressOneEnabled: true, frontDeskNumber: null, emergencyNumbers: [] } }),
  'session.alerts.read': (w) => ({ method: 'GET', url: `/api/sessions/${w.sessionId}/alerts` }),
  'session.alert.decide': (w) => ({ method: 'POST', url: `/api/sessions/${w.sessionId}/alerts/${w.alertId}/decision`, body: { choice: 'decline' } }),
  'session.alert.raise': (w) => ({ method: 'POST', url: `/api/sessions/${w.sessionId}/alerts`, body: { id: w.newId, who: `Walk ${w.role}`, message: 'A parcel needs a signature.', kind: 'facility' } }),
};
// Writing a safety plan needs the plan's current version first; done in its own test below.
const READ_FIRST = new Set<Action>(['client.safety_plan.write']);

/**
 * The client's care-team resources the walk acts on, made by the clinician through the
 * API: a session, an incident that paged the supervisor, and one open follow-up per role
 * (completing one is a one-time act).
 */
async function careTeamResources(app: FastifyInstance, db: Db, p: FixturePractice, clientId: string) {
  const clinician = new Browser(app);
  await clinician.signIn(p.users.clinician.email, FIXTURE_PASSWORD);
  const booked = await clinician.post('/api/appointments', { clientId, clinicianId: p.users.clinician.id, startsAt: '2026-11-30T17:00:00Z', minutes: 50, modality: 'telehealth' });
  if (booked.statusCode !== 201) throw new Error(`walk booking failed: ${booked.body}`);
  const session = await clinician.post(`/api/appointments/${booked.json().id}/session`, { clientLocation: '12 Example Street, Oakland, CA', callbackPhone: '+15105550100' });
  const incidentId = randomUUID();
  const opened = await clinician.post('/api/incidents', { id: incidentId, runId: randomUUID(), clientId, protocolKey: 'medical-emergency' });
  if (session.statusCode !== 201 || opened.statusCode !== 201) throw new Error(`walk set-up failed: ${session.body} ${opened.body}`);
  const followUpIds = {} as Record<Role, string>;
  const openFollowUpIds = {} as Record<Role, string>;
  for (const role of ROLES) {
    followUpIds[role] = randomUUID();
    openFollowUpIds[role] = randomUUID();
    await db.insertInto('follow_up_tasks').values({
      practice_id: p.practiceId, id: openFollowUpIds[role], client_id: clientId, incident_id: incidentId, run_id: null, step_id: null,
      kind: 'walk', title: `Walk follow-up kept open (${role})`, due_at: new Date(), assigned_to: p.users.clinician.id, done_at: null, done_by: null, note: null,
    }).execute();
    await db.insertInto('follow_up_tasks').values({
      practice_id: p.practiceId, id: followUpIds[role], client_id: clientId, incident_id: incidentId, run_id: null, step_id: null,
      kind: 'walk', title: `Walk follow-up (${role})`, due_at: new Date(), assigned_to: p.users.clinician.id, done_at: null, done_by: null, note: null,
    }).execute();
  }
  const reflectionId = randomUUID();
  const reflected = await clinician.post(`/api/clients/${clientId}/reflections`, { id: reflectionId, body: 'Walk reflection.' });
  if (reflected.statusCode !== 201) throw new Error(`walk reflection failed: ${reflected.body}`);
  // Two more incidents with reports: a saved draft for the clinician to sign, and one signed already.
  const reportDraft = { basedOnVersion: 0, whatHappened: 'Walk report.', riskLevel: 'low', riskJustification: 'Walk.', mitigationPlan: 'Walk.' };
  const [reportToSignIncidentId, signedReportIncidentId] = [randomUUID(), randomUUID()];
  for (const id of [reportToSignIncidentId, signedReportIncidentId]) {
    const made = await clinician.post('/api/incidents', { id, runId: randomUUID(), clientId, protocolKey: 'client-walks-out' });
    const drafted = await clinician.put(`/api/incidents/${id}/report`, reportDraft);
    if (made.statusCode !== 201 || drafted.statusCode !== 200) throw new Error(`walk report set-up failed: ${made.body} ${drafted.body}`);
  }
  const signed = await clinician.post(`/api/incidents/${signedReportIncidentId}/report/sign`, { version: 1 });
  if (signed.statusCode !== 200) throw new Error(`walk report signing failed: ${signed.body}`);
  const sessionId = session.json().id as string;
  const alertIds = {} as Record<Role, string>;
  for (const role of ROLES) {
    alertIds[role] = randomUUID();
    await db.insertInto('session_alerts').values({
      practice_id: p.practiceId, id: alertIds[role], session_id: sessionId, clinician_id: p.users.clinician.id, source: 'front_desk', from_number: null,
      who: `Walk alert (${role})`, why: 'front_desk', message: 'Walk.', kind: 'facility', created_by: p.users.front_desk.id, created_at: new Date(),
      decided_by: null, decided_at: null, minutes: null, incident_id: null, message_id: null,
    }).execute();
  }
  return {
    sessionId, incidentId, pageId: opened.json().pageId as string, followUpIds, openFollowUpIds, reflectionId,
    reportToSignIncidentId, signedReportIncidentId, alertIds,
  };
}

describe('every role through every action, over HTTP', async () => {
  const { app, db } = await createTestApp();
  const signedInBrowser = async (email: string) => {
    const b = new Browser(app);
    await b.signIn(email, FIXTURE_PASSWORD);
    return b;
  };
  const practice = await createPractice(db);
  const other = await createPractice(db, 'Other');
  const client = await createClient(db, practice, { name: 'Walk Reyes' }); // on the clinician's care team
  const resources = await careTeamResources(app, db, practice, client.id);
  const world = (role: Role, n: number): World => ({
    p: practice, clientId: client.id, role, n, sessionId: resources.sessionId, incidentId: resources.incidentId, pageId: resources.pageId,
    followUpId: resources.followUpIds[role], openFollowUpId: resources.openFollowUpIds[role], newId: randomUUID(), newRunId: randomUUID(),
    reflectionId: resources.reflectionId, reportToSignIncidentId: resources.reportToSignIncidentId, signedReportIncidentId: resources.signedReportIncidentId,
    alertId: resources.alertIds[role],
  });
  const actorOf = (role: Role): Actor => ({
    role, userId: practice.users[role].id, practiceId: practice.practiceId,
    superviseeIds: role === 'supervisor' ? [practice.users.clinician.id] : [],
  });
  // A request about the client's record, or something of it (a session, an incident, its page, a follow-up).
  const clientScoped = (call: Call) => [client.id, resources.sessionId, resources.incidentId, resources.pageId, ...Object.values(resources.followUpIds), ...Object.values(resources.openFollowUpIds), resources.reflectionId,
    resources.reportToSignIncidentId, resources.signedReportIncidentId]
    .some((id) => call.url.includes(id)) || JSON.stringify(call.body ?? {}).includes(client.id);
  // Only the supervisor was paged (level 1 of the default escalation policy).
  const clientResource = { practiceId: practice.practiceId, assignedClinicianIds: [practice.users.clinician.id], pagedUserIds: [practice.users.supervisor.id] };

  it('has a request for every action', () => {
    expect(Object.keys(CALLS).sort()).toEqual([...ACTIONS].sort());
  });

  for (const role of ROLES) {
    it(`${role}: allowed actions succeed; the rest are refused (404 for a client's record, else 403) and audited`, async () => {
      const refused: string[] = [];
      let n = 0;
      for (const action of ACTIONS.filter((a) => !READ_FIRST.has(a))) {
        const browser = new Browser(app);
        await browser.signIn(practice.users[role].email, FIXTURE_PASSWORD);
        const call = CALLS[action](world(role, n++));
        const res = await browser.request(call.method, call.url, call.body);
        // A reflection is read by its author alone (the clinician wrote the walk's note).
        const resource = action === 'reflection.read' ? { ...clientResource, ownerUserId: practice.users.clinician.id }
          // The clinician signed the walk's report: their supervisor co-signs it.
          : action === 'incident.report.cosign' ? { ...clientResource, signedByUserId: practice.users.clinician.id }
          // A session's alerts are its clinician's (the walk's session is the clinician's).
          : action === 'session.alerts.read' || action === 'session.alert.decide' ? { ...clientResource, ownerUserId: practice.users.clinician.id } : clientResource;
        const allowed = clientScoped(call) ? can(action, actorOf(role), resource) : mayAttempt(action, actorOf(role));
        if (allowed) {
          expect(res.statusCode, `${role} ${action}: ${res.body}`).toBeLessThan(300);
        } else {
          // A role that may never do this is told so (403) unless the URL names something of a client (404, nothing disclosed).
          const namesClientThing = clientScoped(call) && (mayAttempt(action, actorOf(role)) || !JSON.stringify(call.body ?? {}).includes(client.id));
          expect(res.statusCode, `${role} ${action}`).toBe(namesClientThing ? 404 : 403);
          refused.push(action);
        }
      }
      const audited = await db.selectFrom('audit_events').select('action').where('practice_id', '=', practice.practiceId)
        .where('actor_user_id', '=', practice.users[role].id).where('outcome', '=', 'denied').execute();
      expect(audited.map((e) => e.action).sort()).toEqual(refused.sort());
    }, 120_000); // ~75 requests, each signing in (argon2id): slow on two busy cores
  }

  it('the care team writes the safety plan; nobody else can', async () => {
    for (const role of ROLES) {
      const browser = new Browser(app);
      await browser.signIn(practice.users[role].email, FIXTURE_PASSWORD);
      const current = await browser.get(`/api/clients/${client.id}/safety-plan`);
      const basedOnVersion = current.statusCode === 200 ? (current.json().current?.version ?? null) : null;
      const res = await browser.put(`/api/clients/${client.id}/safety-plan`, { basedOnVersion, content: {
        warningSigns: ['Not sleeping'], copingStrategies: [], distractionContacts: [], helpContacts: [],
        professionalContacts: [{ name: '988 Suicide & Crisis Lifeline', phone: '988' }], safeEnvironment: [], reasonsForLiving: [],
      } });
      const allowed = can('client.safety_plan.write', actorOf(role), { practiceId: practice.practiceId, assignedClinicianIds: [practice.users.clinician.id] });
      expect(res.statusCode, role).toBe(allowed ? (role === 'clinician' ? 201 : 200) : 404);
    }
  });

  it("nobody reaches another practice's client, or a client off their care team, by any client route", async () => {
    const spec = (await (async () => {
      const b = new Browser(app);
      await b.signIn(practice.users.owner.email, FIXTURE_PASSWORD);
      return b.get('/api/openapi.json');
    })()).json() as { paths: Record<string, Record<string, unknown>> };
    const routes = Object.entries(spec.paths).filter(([path]) => path.includes('{clientId}'))
      .flatMap(([path, ops]) => Object.keys(ops).map((method) => ({ path, method: method.toUpperCase() as Call['method'] })));
    expect(routes.length).toBeGreaterThanOrEqual(10);
    const foreign = await createClient(db, other, { name: 'Foreign Client' });
    const offTeam = await createClient(db, practice, { name: 'Off Team', clinicianIds: [] });
    const before = await db.selectFrom('audit_events').select((eb) => eb.fn.countAll<string>().as('n')).where('practice_id', '=', other.practiceId).executeTakeFirstOrThrow();
    for (const role of ROLES) {
      const browser = new Browser(app);
      await browser.signIn(practice.users[role].email, FIXTURE_PASSWORD);
      for (const target of [foreign.id, offTeam.id]) {
        for (const route of routes) {
          const url = route.path.replace('{clientId}', target).replace(/\{[^}]+\}/g, '00000000-0000-4000-8000-000000000001');
          const res = await browser.request(route.method, url, route.method === 'GET' || route.method === 'DELETE' ? undefined : {});
          // The front desk and admins may see any client's appointment times in their own practice.
          // Admins keep a practice's requests for an accounting of disclosures (dates and names, 164.528(c)).
          const entitled = (target === offTeam.id && route.method === 'GET' && route.path.endsWith('/appointments') && ['owner', 'admin', 'front_desk'].includes(role))
            || (target === offTeam.id && route.method === 'GET' && route.path.endsWith('/accounting-requests') && ['owner', 'admin'].includes(role));
          // 400 for a body the route cannot accept, before it looks anything up; otherwise 404
          expect(entitled ? [200] : [400, 404], `${role} ${route.method} ${url}: ${res.statusCode}`).toContain(res.statusCode);
        }
      }
    }
    // nothing was written into the other practice
    const after = await db.selectFrom('audit_events').select((eb) => eb.fn.countAll<string>().as('n')).where('practice_id', '=', other.practiceId).executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
  });

  it("nobody reaches another practice's sessions, incidents, pages or follow-ups by their ids", async () => {
    const foreignClient = await createClient(db, other, { name: 'Foreign Walk' });
    const foreign = await careTeamResources(app, db, other, foreignClient.id);
    const ids: Record<string, string> = {
      sessionId: foreign.sessionId, incidentId: foreign.incidentId, pageId: foreign.pageId, followUpId: foreign.followUpIds.clinician,
      runId: '00000000-0000-4000-8000-000000000001', stepOutId: '00000000-0000-4000-8000-000000000001',
    };
    const spec = (await (await signedInBrowser(practice.users.owner.email)).get('/api/openapi.json')).json() as { paths: Record<string, Record<string, unknown>> };
    const routes = Object.entries(spec.paths).filter(([path]) => /\{(sessionId|incidentId|pageId|followUpId)\}/.test(path))
      .flatMap(([path, ops]) => Object.keys(ops).map((method) => ({ path, method: method.toUpperCase() as Call['method'] })));
    expect(routes.length).toBeGreaterThanOrEqual(10);
    const before = await db.selectFrom('audit_events').select((eb) => eb.fn.countAll<string>().as('n')).where('practice_id', '=', other.practiceId).executeTakeFirstOrThrow();
    for (const role of ROLES) {
      const browser = await signedInBrowser(practice.users[role].email);
      for (const route of routes) {
        const url = route.path.replace(/\{([^}]+)\}/g, (_m, name: string) => ids[name] ?? '00000000-0000-4000-8000-000000000001');
        const res = await browser.request(route.method, url, route.method === 'GET' ? undefined : {});
        expect([400, 404], `${role} ${route.method} ${url}: ${res.statusCode}`).toContain(res.statusCode);
      }
    }
    const after = await db.selectFrom('audit_events').select((eb) => eb.fn.countAll<string>().as('n')).where('practice_id', '=', other.practiceId).executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
    const untouched = await db.selectFrom('pages').select(['status']).where('id', '=', foreign.pageId).executeTakeFirstOrThrow();
    expect(untouched.status).toBe('open');
  });

  it("an admin cannot reach another practice's people by their ids", async () => {
    const admin = new Browser(app);
    await admin.signIn(practice.users.admin.email, FIXTURE_PASSWORD);
    const res = await admin.put(`/api/users/${other.users.supervisor.id}/supervisees`, { clinicianIds: [other.users.clinician.id] });
    expect(res.statusCode).toBe(404);
    const users = (await admin.get('/api/users')).json().users as { id: string }[];
    expect(users.some((u) => Object.values(other.users).some((o) => o.id === u.id))).toBe(false);
  });

  it('without signing in, every action is refused with 401', async () => {
    for (const action of ACTIONS) {
      const call = CALLS[action](world('owner', 0));
      const res = await new Browser(app).request(call.method, call.url, call.body);
      expect(res.statusCode, action).toBe(401);
    }
  });
});
