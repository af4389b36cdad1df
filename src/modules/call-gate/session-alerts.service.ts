import type { Kysely } from 'kysely';
import type { Database } from '../../server/database.ts';
import type { JobQueue } from '../../server/jobs.ts';
import type { LiveHub, LiveMessage } from '../../server/live.ts';
import { Problem } from '../../server/problems.ts';
import { can, type Action } from '../../domain/permissions.ts';
import { isDialable } from '../../domain/call-gate.ts';
import { appendAuditEvent } from '../audit/audit.repository.ts';
import type { AuthContext } from '../auth/auth.service.ts';
import { openIncident } from '../incidents/incidents.service.ts';
import { queueCallBack } from '../messaging/outbox.ts';
import { publishAll, systemClock, type Clock } from '../paging/paging.service.ts';
import type { AlertKind, SessionAlert } from './call-gate.table.ts';
import * as repo from './call-gate.repository.ts';

type Db = Kysely<Database>;

export interface AlertDeps { db: Db; jobs: JobQueue; live: LiveHub; clock?: Clock }

export interface SessionAlertView {
  id: string; sessionId: string; source: SessionAlert['source']; from: string | null; who: string; why: SessionAlert['why'];
  message: string | null; kind: AlertKind; status: SessionAlert['status']; createdAt: string; decidedAt: string | null;
  minutes: number | null; incidentId: string | null;
}

export function alertView(a: SessionAlert): SessionAlertView {
  return {
    id: a.id, sessionId: a.session_id, source: a.source, from: a.from_number, who: a.who, why: a.why, message: a.message, kind: a.kind,
    status: a.status, createdAt: a.created_at.toISOString(), decidedAt: a.decided_at?.toISOString() ?? null, minutes: a.minutes, incidentId: a.incident_id,
  };
}

/** Tells the session's clinician, live, that an alert is waiting (ids only; the browser GETs the alerts). */
export function alertMessage(practiceId: string, a: Pick<SessionAlert, 'id' | 'session_id' | 'clinician_id'>): LiveMessage {
  return { type: 'session.alert', practiceId, userIds: [a.clinician_id], data: { sessionId: a.session_id, alertId: a.id } };
}

/**
 * The session, for its own clinician only: a session's alerts say who is trying to reach
 * them, which is theirs alone (not even their supervisor's). Anyone else: 404, audited.
 */
async function sessionOfMine(db: Db, auth: AuthContext, sessionId: string, action: Action, ip: string | null) {
  const session = await repo.findSession(db, auth.practice.id, sessionId);
  if (!session || !can(action, auth.actor, { practiceId: auth.practice.id, ownerUserId: session.clinician_id })) {
    await appendAuditEvent(db, {
      practiceId: auth.practice.id, actorUserId: auth.user.id, actorRole: auth.user.role, action, resourceType: 'therapy_session',
      resourceId: sessionId, clientId: session?.client_id ?? null, ip, outcome: 'denied',
      detail: { reason: session ? 'not_the_sessions_clinician' : 'no_such_session_in_practice' },
    });
    throw new Problem('NOT_FOUND', 'No such session.');
  }
  return session;
}

export async function listSessionAlerts(db: Db, auth: AuthContext, sessionId: string, ip: string | null): Promise<SessionAlertView[]> {
  const session = await sessionOfMine(db, auth, sessionId, 'session.alerts.read', ip);
  const alerts = await repo.listAlerts(db, auth.practice.id, sessionId);
  await appendAuditEvent(db, {
    practiceId: auth.practice.id, actorUserId: auth.user.id, actorRole: auth.user.role, action: 'session.alerts.read', resourceType: 'therapy_session',
    resourceId: sessionId, clientId: session.client_id, ip, outcome: 'success', detail: { alertIds: alerts.map((a) => a.id) },
  });
  return alerts.map(alertView);
}

// --- the front desk raises one ------------------------------------------------------------------------

export interface RunningSessionView { id: string; appointmentId: string | null; clinicianId: string; startedAt: string }

/**
 * The sessions under way, so that the front desk can offer "Let the clinician know" on
 * Today. Ids and times only: no client, nothing clinical (minimum necessary, HIPAA 45 CFR
 * 164.502(b)); the schedule already shows the front desk who is booked when.
 */
export async function listRunningSessions(db: Db, auth: AuthContext, ip: string | null): Promise<RunningSessionView[]> {
  const rows = await repo.listRunningSessions(db, auth.practice.id);
  await appendAuditEvent(db, {
    practiceId: auth.practice.id, actorUserId: auth.user.id, actorRole: auth.user.role, action: 'sessions.running.read', resourceType: 'therapy_sessions',
    resourceId: auth.practice.id, ip, outcome: 'success', detail: { sessionIds: rows.map((r) => r.id) },
  });
  return rows.map((r) => ({ id: r.id, appointmentId: r.appointment_id, clinicianId: r.clinician_id, startedAt: r.started_at.toISOString() }));
}

export interface RaiseInput { id: string; who: string; message: string; kind: AlertKind }

/**
 * Something urgent at the door or on the phone: the front desk (or an administrator) lets
 * the clinician in session know, without seeing anything of the session but that it runs.
 * The id is made by the browser: a retry answers the same alert (`created: false`).
 */
export async function raiseAlert(deps: AlertDeps, auth: AuthContext, sessionId: string, input: RaiseInput, ip: string | null): Promise<{ alert: SessionAlertView; created: boolean }> {
  const { db } = deps;
  const practiceId = auth.practice.id;
  const now = (deps.clock ?? systemClock).now();
  const outcome = await db.transaction().execute(async (trx) => {
    const session = await repo.findSession(trx, practiceId, sessionId);
    if (!session || session.ended_at) {
      await appendAuditEvent(trx, {
        practiceId, actorUserId: auth.user.id, actorRole: auth.user.role, action: 'session.alert.raise', resourceType: 'therapy_session',
        resourceId: sessionId, ip, outcome: 'denied', detail: { reason: session ? 'session_not_running' : 'no_such_session_in_practice' },
      });
      return { refused: true as const };
    }
    const inserted = await repo.insertAlert(trx, {
      practice_id: practiceId, id: input.id, session_id: sessionId, clinician_id: session.clinician_id, source: 'front_desk', from_number: null,
      who: input.who, why: 'front_desk', message: input.message, kind: input.kind, created_by: auth.user.id, created_at: now,
      decided_by: null, decided_at: null, minutes: null, incident_id: null, message_id: null,
    });
    if (!inserted) {
      const existing = await repo.findAlert(trx, practiceId, input.id);
      if (!existing || existing.session_id !== sessionId || existing.created_by !== auth.user.id) {
        throw new Problem('RECORD_ID_REUSED', 'That alert id belongs to another alert. Make a new id.');
      }
      return { refused: false as const, alert: existing, created: false };
    }
    await appendAuditEvent(trx, {
      practiceId, actorUserId: auth.user.id, actorRole: auth.user.role, action: 'session.alert.raise', resourceType: 'session_alert',
      resourceId: inserted.id, clientId: session.client_id, ip, outcome: 'success', detail: { sessionId, kind: input.kind },
    });
    return { refused: false as const, alert: inserted, created: true };
  });
  // Refused after the commit, so that the denial stays recorded.
  if (outcome.refused) throw new Problem('NOT_FOUND', 'No running session with that id.');
  if (outcome.created) await publishAll(deps.live, db, [alertMessage(practiceId, outcome.alert)]);
  return { alert: alertView(outcome.alert), created: outcome.created };
}

// --- the clinician answers ------------------------------------------------------------------------

export type DecisionInput =
  | { choice: 'step_out'; incidentId: string; runId: string }
  | { choice: 'text_back'; minutes: number }
  | { choice: 'decline' };

// Calls and texts to one's own line are personal; the front desk says which. The matching
// protocol (DESIGN.md protocols): the clinician's own emergency, or stepping out of the room.
const STEP_OUT_PROTOCOL: Record<AlertKind, string> = { personal: 'clinician-emergency', facility: 'stepping-out' };

export const callBackText = (minutes: number) => `I will call you in ${minutes} minutes.`;

/**
 * One touch in the session view: step out (opens the matching protocol for the session's
 * client, through openIncident), text the caller back "I will call you in N minutes." (the
 * messaging outbox), or decline. Each decision is audited; an alert is answered once.
 */
export async function decideAlert(deps: AlertDeps, auth: AuthContext, sessionId: string, alertId: string, input: DecisionInput, ip: string | null): Promise<{ alert: SessionAlertView; incidentId?: string }> {
  const { db } = deps;
  const practiceId = auth.practice.id;
  const session = await sessionOfMine(db, auth, sessionId, 'session.alert.decide', ip);
  const found = await repo.findAlert(db, practiceId, alertId);
  if (!found || found.session_id !== sessionId) throw new Problem('NOT_FOUND', 'No such alert in this session.');
  const repeatedStepOut = (a: SessionAlert) => input.choice === 'step_out' && a.status === 'stepped_out' && a.incident_id === input.incidentId;
  if (found.status !== 'open' && !repeatedStepOut(found)) throw alreadyDecided(found);
  if (input.choice === 'text_back' && !(found.from_number && isDialable(found.from_number))) {
    throw new Problem('NO_NUMBER_TO_TEXT', found.source === 'front_desk' ? 'The front desk raised this alert: there is no number to text.' : 'The caller withheld their number.');
  }

  let incidentId: string | undefined;
  if (input.choice === 'step_out') {
    // A retried press (same ids) answers the incident already opened (openIncident is idempotent on its id).
    const opened = await openIncident(deps, auth, {
      id: input.incidentId, runId: input.runId, clientId: session.client_id, sessionId, protocolKey: STEP_OUT_PROTOCOL[found.kind],
    }, ip);
    incidentId = opened.incident.id;
  }
  const now = (deps.clock ?? systemClock).now();
  const alert = await db.transaction().execute(async (trx) => {
    const locked = await repo.lockAlert(trx, practiceId, sessionId, alertId);
    if (!locked) throw new Problem('NOT_FOUND', 'No such alert in this session.');
    if (repeatedStepOut(locked)) return locked;
    if (locked.status !== 'open') throw alreadyDecided(locked);
    let decided: SessionAlert;
    if (input.choice === 'step_out') {
      decided = await repo.decideAlert(trx, practiceId, alertId, { status: 'stepped_out', decidedBy: auth.user.id, at: now, incidentId: incidentId ?? null });
    } else if (input.choice === 'text_back') {
      const message = await queueCallBack(trx, deps.jobs, {
        practiceId, toAddress: locked.from_number ?? '', body: callBackText(input.minutes), idempotencyKey: `call-back:${alertId}`, createdBy: auth.user.id, now,
      });
      decided = await repo.decideAlert(trx, practiceId, alertId, { status: 'texted_back', decidedBy: auth.user.id, at: now, minutes: input.minutes, messageId: message.id });
    } else {
      decided = await repo.decideAlert(trx, practiceId, alertId, { status: 'declined', decidedBy: auth.user.id, at: now });
    }
    await appendAuditEvent(trx, {
      practiceId, actorUserId: auth.user.id, actorRole: auth.user.role, action: 'session.alert.decide', resourceType: 'session_alert',
      resourceId: alertId, clientId: session.client_id, ip, outcome: 'success',
      detail: { sessionId, choice: input.choice, minutes: decided.minutes, incidentId: decided.incident_id, messageId: decided.message_id },
    });
    return decided;
  });
  return { alert: alertView(alert), ...(incidentId ? { incidentId } : {}) };
}

function alreadyDecided(a: SessionAlert): Problem {
  const what = { stepped_out: 'you stepped out', texted_back: 'you texted back', declined: 'you declined', open: '' }[a.status];
  return new Problem('ALERT_ALREADY_DECIDED', `This alert was answered already: ${what}.`);
}
