import type { Insertable, Kysely, Transaction } from 'kysely';
import type { Database } from '../../server/database.ts';
import type { LabelledNumber, OtherwiseRoute } from '../../domain/call-gate.ts';
import type {
  CallEvent, CallEventTable, CallGateSettings, EmergencyNumber, PracticeCallGateSettings, SessionAlert, SessionAlertTable,
} from './call-gate.table.ts';

type Db = Kysely<Database> | Transaction<Database>;

// --- settings ---------------------------------------------------------------------------------

export function findSettings(db: Db, practiceId: string, userId: string): Promise<CallGateSettings | undefined> {
  return db.selectFrom('call_gate_settings').selectAll().where('practice_id', '=', practiceId).where('user_id', '=', userId).executeTakeFirst();
}

/** The clinician whose line was called (Twilio's To), with their gate (call_gate_settings_line_idx). */
export function findSettingsByLine(db: Db, practiceId: string, directNumber: string) {
  return db.selectFrom('call_gate_settings as g')
    .innerJoin('users as u', (j) => j.onRef('u.practice_id', '=', 'g.practice_id').onRef('u.id', '=', 'g.user_id'))
    .selectAll('g').select(['u.name', 'u.role', 'u.active'])
    .where('g.practice_id', '=', practiceId).where('g.direct_number', '=', directNumber).executeTakeFirst();
}

export function findLineOwner(db: Db, practiceId: string, directNumber: string) {
  return db.selectFrom('call_gate_settings').select('user_id').where('practice_id', '=', practiceId).where('direct_number', '=', directNumber).executeTakeFirst();
}

export async function saveSettings(db: Db, row: {
  practiceId: string; userId: string; enabled: boolean; directNumber: string | null; forwardTo: string | null; otherwise: OtherwiseRoute;
  breakthroughNumbers: LabelledNumber[]; updatedBy: string; at: Date;
}): Promise<CallGateSettings> {
  const values = {
    enabled: row.enabled, direct_number: row.directNumber, forward_to: row.forwardTo, otherwise: row.otherwise,
    breakthrough_numbers: JSON.stringify(row.breakthroughNumbers), updated_by: row.updatedBy, updated_at: row.at,
  };
  return db.insertInto('call_gate_settings').values({ practice_id: row.practiceId, user_id: row.userId, ...values })
    .onConflict((oc) => oc.columns(['practice_id', 'user_id']).doUpdateSet(values)).returningAll().executeTakeFirstOrThrow();
}

export function findPracticeSettings(db: Db, practiceId: string): Promise<PracticeCallGateSettings | undefined> {
  return db.selectFrom('practice_call_gate_settings').selectAll().where('practice_id', '=', practiceId).executeTakeFirst();
}

export async function savePracticeSettings(db: Db, row: {
  practiceId: string; repeatCallMinutes: number; pressOneEnabled: boolean; frontDeskNumber: string | null; emergencyNumbers: EmergencyNumber[];
  updatedBy: string; at: Date;
}): Promise<PracticeCallGateSettings> {
  const values = {
    repeat_call_minutes: row.repeatCallMinutes, press_one_enabled: row.pressOneEnabled, front_desk_number: row.frontDeskNumber,
    emergency_numbers: JSON.stringify(row.emergencyNumbers), updated_by: row.updatedBy, updated_at: row.at,
  };
  return db.insertInto('practice_call_gate_settings').values({ practice_id: row.practiceId, ...values })
    .onConflict((oc) => oc.column('practice_id').doUpdateSet(values)).returningAll().executeTakeFirstOrThrow();
}

/** Where on-call clinicians' phones ring: their forwardTo, in the order of the escalation policy's list. */
export async function findForwardNumbers(db: Db, practiceId: string, userIds: readonly string[]) {
  if (userIds.length === 0) return [];
  return db.selectFrom('call_gate_settings as g')
    .innerJoin('users as u', (j) => j.onRef('u.practice_id', '=', 'g.practice_id').onRef('u.id', '=', 'g.user_id'))
    .select(['g.user_id', 'g.forward_to']).where('g.practice_id', '=', practiceId).where('g.user_id', 'in', [...userIds])
    .where('g.forward_to', 'is not', null).where('u.active', '=', true).execute();
}

// --- sessions -----------------------------------------------------------------------------------

/** The clinician's session under way (started, not ended), if any (therapy_sessions_clinician_idx). */
export function findRunningSession(db: Db, practiceId: string, clinicianId: string) {
  return db.selectFrom('therapy_sessions').select(['id', 'client_id', 'clinician_id', 'started_at'])
    .where('practice_id', '=', practiceId).where('clinician_id', '=', clinicianId).where('ended_at', 'is', null)
    .orderBy('started_at', 'desc').orderBy('id').limit(1).executeTakeFirst();
}

/** The practice's sessions under way, for the front desk (ids and times only). */
export function listRunningSessions(db: Db, practiceId: string) {
  return db.selectFrom('therapy_sessions').select(['id', 'appointment_id', 'clinician_id', 'started_at'])
    .where('practice_id', '=', practiceId).where('ended_at', 'is', null).orderBy('started_at').orderBy('id').execute();
}

export function findSession(db: Db, practiceId: string, sessionId: string) {
  return db.selectFrom('therapy_sessions').select(['id', 'client_id', 'clinician_id', 'ended_at'])
    .where('practice_id', '=', practiceId).where('id', '=', sessionId).executeTakeFirst();
}

/** The phone numbers of a client's emergency contacts. */
export async function emergencyContactNumbers(db: Db, practiceId: string, clientId: string): Promise<string[]> {
  const rows = await db.selectFrom('emergency_contacts').select('phones').where('practice_id', '=', practiceId).where('client_id', '=', clientId).execute();
  return rows.flatMap((r) => r.phones);
}

// --- calls --------------------------------------------------------------------------------------

/** When this number last called or texted the clinician, this call apart (call_events_repeat_idx). */
export async function lastContactAt(db: Db, practiceId: string, clinicianId: string, from: string, exceptSid: string): Promise<Date | null> {
  const row = await db.selectFrom('call_events').select('at').where('practice_id', '=', practiceId).where('clinician_id', '=', clinicianId)
    .where('from_number', '=', from).where('provider_sid', '!=', exceptSid).orderBy('at', 'desc').limit(1).executeTakeFirst();
  return row?.at ?? null;
}

export function findCallEvent(db: Db, practiceId: string, providerSid: string, step: CallEvent['step']): Promise<CallEvent | undefined> {
  return db.selectFrom('call_events').selectAll().where('practice_id', '=', practiceId).where('provider_sid', '=', providerSid)
    .where('step', '=', step).executeTakeFirst();
}

/** Records a call's step unless it is recorded already (a redelivered webhook); returns it when recorded now. */
export function insertCallEvent(trx: Db, row: Insertable<CallEventTable>): Promise<CallEvent | undefined> {
  return trx.insertInto('call_events').values(row).onConflict((oc) => oc.doNothing()).returningAll().executeTakeFirst();
}

/** The clinician's calls and texts, newest first, without the "press 1" prompts (call_events_clinician_idx). */
export function listCalls(db: Db, practiceId: string, clinicianId: string, limit: number): Promise<CallEvent[]> {
  return db.selectFrom('call_events').selectAll().where('practice_id', '=', practiceId).where('clinician_id', '=', clinicianId)
    .where('outcome', '!=', 'asked_press_1').orderBy('at', 'desc').orderBy('id').limit(limit).execute();
}

// --- alerts -------------------------------------------------------------------------------------

export function insertAlert(trx: Db, row: Insertable<SessionAlertTable>): Promise<SessionAlert | undefined> {
  return trx.insertInto('session_alerts').values(row).onConflict((oc) => oc.doNothing()).returningAll().executeTakeFirst();
}

export function findAlert(db: Db, practiceId: string, id: string): Promise<SessionAlert | undefined> {
  return db.selectFrom('session_alerts').selectAll().where('practice_id', '=', practiceId).where('id', '=', id).executeTakeFirst();
}

export function lockAlert(trx: Transaction<Database>, practiceId: string, sessionId: string, id: string): Promise<SessionAlert | undefined> {
  return trx.selectFrom('session_alerts').selectAll().where('practice_id', '=', practiceId).where('session_id', '=', sessionId)
    .where('id', '=', id).forUpdate().executeTakeFirst();
}

/** A session's alerts, open first, newest first (session_alerts_session_idx). */
export function listAlerts(db: Db, practiceId: string, sessionId: string): Promise<SessionAlert[]> {
  return db.selectFrom('session_alerts').selectAll().where('practice_id', '=', practiceId).where('session_id', '=', sessionId)
    .orderBy((eb) => eb.case().when('status', '=', 'open').then(0).else(1).end()).orderBy('created_at', 'desc').orderBy('id').execute();
}

export async function decideAlert(trx: Db, practiceId: string, id: string, decision: {
  status: SessionAlert['status']; decidedBy: string; at: Date; minutes?: number | null; incidentId?: string | null; messageId?: string | null;
}): Promise<SessionAlert> {
  return trx.updateTable('session_alerts').set({
    status: decision.status, decided_by: decision.decidedBy, decided_at: decision.at,
    minutes: decision.minutes ?? null, incident_id: decision.incidentId ?? null, message_id: decision.messageId ?? null,
  }).where('practice_id', '=', practiceId).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}
