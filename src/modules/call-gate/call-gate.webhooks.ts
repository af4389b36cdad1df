import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import twilio from 'twilio';
import type { Database } from '../../server/database.ts';
import type { LiveHub } from '../../server/live.ts';
import { decideCall, sameNumber, type BreakthroughReason } from '../../domain/call-gate.ts';
import { appendAuditEvent } from '../audit/audit.repository.ts';
import type { TwilioParams } from '../messaging/twilio-webhooks.ts';
import { loadPolicy, publishAll, type Clock } from '../paging/paging.service.ts';
import type { CallOutcome, CallStep } from './call-gate.table.ts';
import * as repo from './call-gate.repository.ts';
import { practiceView } from './call-gate.service.ts';
import { alertMessage } from './session-alerts.service.ts';

type Db = Kysely<Database>;

export interface InboundDeps {
  db: Db;
  live: LiveHub;
  clock: Clock;
  /** The server's public address, as Twilio reaches it (the <Gather> and <Dial> actions point back here). */
  baseUrl: string;
}

const { VoiceResponse, MessagingResponse } = twilio.twiml;
const MAX_FORWARD = 1000;

const urls = (deps: InboundDeps, practiceId: string) => {
  const gather = `${deps.baseUrl.replace(/\/$/, '')}/api/webhooks/twilio/${practiceId}/voice/gather`;
  return { gather, afterDial: `${gather}?after=dial`, afterRecord: `${gather}?after=record` };
};

// --- TwiML -------------------------------------------------------------------------------------------

function voicemail(deps: InboundDeps, practiceId: string, r = new VoiceResponse()): string {
  r.say('The person you are calling cannot take your call right now. Please leave a message after the tone.');
  r.record({ maxLength: 120, playBeep: true, action: urls(deps, practiceId).afterRecord, method: 'POST' });
  return r.toString();
}

function dial(deps: InboundDeps, practiceId: string, number: string | null, say?: string): string {
  if (!number) return voicemail(deps, practiceId);
  const r = new VoiceResponse();
  if (say) r.say(say);
  // When nobody answers, the caller leaves a message (the action decides, from DialCallStatus).
  r.dial({ timeout: 25, action: urls(deps, practiceId).afterDial, method: 'POST' }).number(number);
  return r.toString();
}

function askPressOne(deps: InboundDeps, practiceId: string): string {
  const r = new VoiceResponse();
  const { gather } = urls(deps, practiceId);
  r.gather({ numDigits: 1, timeout: 6, action: gather, method: 'POST' }).say('If this is an emergency, press 1.');
  // Nothing pressed: the same action, without Digits.
  r.redirect({ method: 'POST' }, gather);
  return r.toString();
}

/** After a <Dial> or a <Record> of ours: hang up, or take a message when nobody answered. Writes nothing. */
export function afterCall(deps: InboundDeps, practiceId: string, params: TwilioParams, after: 'dial' | 'record'): string {
  const answered = ['completed', 'answered'].includes((params.DialCallStatus ?? '').toLowerCase());
  if (after === 'dial' && !answered) return voicemail(deps, practiceId);
  const r = new VoiceResponse();
  if (after === 'record') r.say('Thank you. Goodbye.');
  r.hangup();
  return r.toString();
}

// --- screening ----------------------------------------------------------------------------------------

interface Screened {
  clinicianId: string; sessionId: string | null; clientId: string | null;
  outcome: CallOutcome; why: BreakthroughReason | null; who: string;
  /** Where the call or text goes: a phone number, or null for voicemail / none. */
  to: string | null;
}

/** The clinician's line, session, lists and rule, and where the call goes; reads only. */
async function screen(deps: InboundDeps, practiceId: string, line: NonNullable<Awaited<ReturnType<typeof repo.findSettingsByLine>>>, input: {
  channel: 'call' | 'text'; from: string; sid: string; digits?: string | undefined;
}): Promise<Screened> {
  const { db } = deps;
  const now = deps.clock.now();
  const [session, practice, lastContactAt] = await Promise.all([
    repo.findRunningSession(db, practiceId, line.user_id),
    repo.findPracticeSettings(db, practiceId).then(practiceView),
    repo.lastContactAt(db, practiceId, line.user_id, input.from, input.sid),
  ]);
  const decision = decideCall({
    channel: input.channel, from: input.from, inSession: !!session, enabled: line.enabled, list: line.breakthrough_numbers,
    emergencyContactNumbers: session ? await repo.emergencyContactNumbers(db, practiceId, session.client_id) : [],
    emergencyNumbers: practice.emergencyNumbers, lastContactAt, now, repeatCallMinutes: practice.repeatCallMinutes,
    pressOneEnabled: practice.pressOneEnabled, digits: input.digits, otherwise: line.otherwise,
  });
  const base = { clinicianId: line.user_id, sessionId: session?.id ?? null, clientId: session?.client_id ?? null };
  switch (decision.route) {
    case 'normal':
      return { ...base, outcome: 'normal', why: null, who: line.breakthrough_numbers.find((n) => sameNumber(input.from, n.number))?.label ?? input.from, to: line.forward_to };
    case 'breakthrough':
      return { ...base, outcome: 'breakthrough', why: decision.why, who: decision.who, to: line.forward_to };
    case 'ask_press_1':
      return { ...base, outcome: 'asked_press_1', why: null, who: input.from, to: null };
    case 'voicemail':
      return { ...base, outcome: 'voicemail', why: null, who: decision.who, to: null };
    case 'front_desk':
      return practice.frontDeskNumber
        ? { ...base, outcome: 'front_desk', why: null, who: decision.who, to: practice.frontDeskNumber }
        : { ...base, outcome: 'voicemail', why: null, who: decision.who, to: null };
    case 'on_call': {
      const onCall = await onCallNumber(db, practiceId, line.user_id);
      return onCall
        ? { ...base, outcome: 'on_call', why: null, who: decision.who, to: onCall }
        : { ...base, outcome: 'voicemail', why: null, who: decision.who, to: null };
    }
  }
}

/**
 * The on-call clinician's phone: the first on the escalation policy's on-call list, other
 * than the clinician called, who has a phone to ring and is not in a session themselves.
 */
async function onCallNumber(db: Db, practiceId: string, clinicianId: string): Promise<string | null> {
  const policy = await loadPolicy(db, practiceId);
  const ids = policy.onCallUserIds.filter((id) => id !== clinicianId);
  const phones = new Map((await repo.findForwardNumbers(db, practiceId, ids)).map((r) => [r.user_id, r.forward_to]));
  for (const id of ids) {
    const phone = phones.get(id);
    if (phone && !(await repo.findRunningSession(db, practiceId, id))) return phone;
  }
  return null;
}

/**
 * Records the call's step, with its alert for a breakthrough, in one transaction; a
 * redelivered webhook (same sid and step) gets the answer it got the first time and
 * changes nothing. The clinician is told live after the commit.
 */
async function record(deps: InboundDeps, practiceId: string, s: Screened, input: {
  channel: 'call' | 'text'; step: CallStep; sid: string; from: string; to: string; message: string | null; response: string;
}): Promise<string> {
  const { db } = deps;
  const at = deps.clock.now();
  const alertId = s.outcome === 'breakthrough' && s.sessionId ? randomUUID() : null;
  const { response } = input;
  const outcome = await db.transaction().execute(async (trx) => {
    const event = await repo.insertCallEvent(trx, {
      practice_id: practiceId, id: randomUUID(), clinician_id: s.clinicianId, session_id: s.sessionId, channel: input.channel, provider_sid: input.sid,
      step: input.step, from_number: input.from, to_number: input.to, at, outcome: s.outcome, why: s.why, who: s.who, alert_id: alertId, response,
    });
    if (!event) {
      const earlier = await repo.findCallEvent(trx, practiceId, input.sid, input.step);
      return { response: earlier?.response ?? response, alert: null };
    }
    const alert = alertId && s.sessionId && s.why ? await repo.insertAlert(trx, {
      practice_id: practiceId, id: alertId, session_id: s.sessionId, clinician_id: s.clinicianId, source: input.channel, from_number: input.from,
      who: s.who.slice(0, 200), why: s.why, message: input.message, kind: 'personal', created_by: null, created_at: at,
      decided_by: null, decided_at: null, minutes: null, incident_id: null, message_id: null,
    }) : null;
    await appendAuditEvent(trx, {
      practiceId, actorUserId: null, actorRole: 'system', action: input.channel === 'call' ? 'call_gate.call' : 'call_gate.text', resourceType: 'call_event',
      resourceId: event.id, clientId: alert ? s.clientId : null, ip: null, outcome: 'success',
      detail: { clinicianId: s.clinicianId, sessionId: s.sessionId, step: input.step, outcome: s.outcome, why: s.why, alertId: alert?.id ?? null },
    });
    return { response, alert: alert ?? null };
  });
  if (outcome.alert) await publishAll(deps.live, db, [alertMessage(practiceId, outcome.alert)]);
  return outcome.response;
}

// --- the webhooks -------------------------------------------------------------------------------------

/**
 * A call to a clinician's line ('voice'), or the caller's answer to "press 1" ('gather').
 * Answers TwiML: ring the clinician (normal routing, or a breakthrough after an alert),
 * ask "press 1", or the clinician's otherwise (voicemail, the front desk, on call).
 */
export async function receiveCall(deps: InboundDeps, practiceId: string, params: TwilioParams, step: 'voice' | 'gather'): Promise<string> {
  const from = (params.From ?? '').trim();
  const to = (params.To ?? '').trim();
  const sid = params.CallSid ?? '';
  const line = to ? await repo.findSettingsByLine(deps.db, practiceId, to) : undefined;
  if (!line || !line.active || !sid) return notInService(deps, practiceId);
  const earlier = await repo.findCallEvent(deps.db, practiceId, sid, step);
  if (earlier) return earlier.response;
  const s = await screen(deps, practiceId, line, { channel: 'call', from, sid, digits: step === 'gather' ? (params.Digits ?? '') : undefined });
  return record(deps, practiceId, s, {
    channel: 'call', step, sid, from, to, message: null,
    response: s.outcome === 'asked_press_1' ? askPressOne(deps, practiceId)
      : s.outcome === 'breakthrough' ? dial(deps, practiceId, s.to, 'Please hold while they are alerted.')
      : dial(deps, practiceId, s.to),
  });
}

async function notInService(deps: InboundDeps, practiceId: string): Promise<string> {
  const frontDesk = practiceView(await repo.findPracticeSettings(deps.db, practiceId)).frontDeskNumber;
  if (frontDesk) return dial(deps, practiceId, frontDesk);
  const r = new VoiceResponse();
  r.say('This number is not in service.');
  r.hangup();
  return r.toString();
}

/**
 * A text to a clinician's line. It reaches their phone as always (forwarded), and in
 * session breaks through as an alert when the rule says so; otherwise it goes to the front
 * desk or the on-call clinician, and the sender is told it will be answered later.
 * Replying to a text someone has just sent is no unsolicited message (TCPA, 47 U.S.C. 227;
 * the sender started the exchange); the replies carry nothing about anyone's care.
 */
export async function receiveLineText(deps: InboundDeps, practiceId: string, params: TwilioParams): Promise<string> {
  const from = (params.From ?? '').trim();
  const to = (params.To ?? '').trim();
  const sid = params.MessageSid ?? params.SmsSid ?? '';
  const body = (params.Body ?? '').trim();
  const line = to ? await repo.findSettingsByLine(deps.db, practiceId, to) : undefined;
  if (!line || !line.active || !sid) return new MessagingResponse().toString();
  const earlier = await repo.findCallEvent(deps.db, practiceId, sid, 'text');
  if (earlier) return earlier.response;
  const s = await screen(deps, practiceId, line, { channel: 'text', from, sid });
  return record(deps, practiceId, s, {
    channel: 'text', step: 'text', sid, from, to, message: body.slice(0, 1000) || null,
    response: (() => {
      const r = new MessagingResponse();
      const forwarded = `From ${from}: ${body}`.slice(0, MAX_FORWARD);
      if (s.outcome === 'breakthrough') r.message('Thank you. Your message has been passed on now.');
      else if (s.outcome !== 'normal') r.message('Thank you. Your message will be answered as soon as possible.');
      // The clinician's own phone keeps every text to their line; the front desk or on call gets one routed to them.
      if (line.forward_to) r.message({ to: line.forward_to }, forwarded);
      if ((s.outcome === 'front_desk' || s.outcome === 'on_call') && s.to) r.message({ to: s.to }, `For ${line.name}. ${forwarded}`.slice(0, MAX_FORWARD));
      return r.toString();
    })(),
  });
}
