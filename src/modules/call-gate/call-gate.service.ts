import type { Kysely } from 'kysely';
import type { Database } from '../../server/database.ts';
import { Problem } from '../../server/problems.ts';
import type { BreakthroughReason, LabelledNumber, OtherwiseRoute } from '../../domain/call-gate.ts';
import { appendAuditEvent } from '../audit/audit.repository.ts';
import type { AuthContext } from '../auth/auth.service.ts';
import { systemClock, type Clock } from '../paging/paging.service.ts';
import type { CallGateSettings, CallEvent, EmergencyNumber, PracticeCallGateSettings } from './call-gate.table.ts';
import * as repo from './call-gate.repository.ts';

type Db = Kysely<Database>;

export const DEFAULT_REPEAT_CALL_MINUTES = 5;

// --- a clinician's gate ---------------------------------------------------------------------------

export interface CallGateView {
  enabled: boolean; directNumber: string | null; forwardTo: string | null; otherwise: OtherwiseRoute; breakthroughNumbers: LabelledNumber[];
}

export function gateView(s: CallGateSettings | undefined): CallGateView {
  return {
    enabled: s?.enabled ?? false, directNumber: s?.direct_number ?? null, forwardTo: s?.forward_to ?? null,
    otherwise: s?.otherwise ?? 'voicemail', breakthroughNumbers: s?.breakthrough_numbers ?? [],
  };
}

export async function readMyGate(db: Db, auth: AuthContext): Promise<CallGateView> {
  return gateView(await repo.findSettings(db, auth.practice.id, auth.user.id));
}

export async function saveMyGate(db: Db, auth: AuthContext, input: CallGateView, ip: string | null, clock: Clock = systemClock): Promise<CallGateView> {
  const practiceId = auth.practice.id;
  return db.transaction().execute(async (trx) => {
    if (input.directNumber) {
      const owner = await repo.findLineOwner(trx, practiceId, input.directNumber);
      if (owner && owner.user_id !== auth.user.id) throw new Problem('DIRECT_NUMBER_IN_USE', `${input.directNumber} is already another clinician's line.`);
    }
    const before = gateView(await repo.findSettings(trx, practiceId, auth.user.id));
    const saved = gateView(await repo.saveSettings(trx, {
      practiceId, userId: auth.user.id, enabled: input.enabled, directNumber: input.directNumber, forwardTo: input.forwardTo,
      otherwise: input.otherwise, breakthroughNumbers: input.breakthroughNumbers, updatedBy: auth.user.id, at: clock.now(),
    }));
    await appendAuditEvent(trx, {
      practiceId, actorUserId: auth.user.id, actorRole: auth.user.role, action: 'call_gate.own', resourceType: 'call_gate',
      resourceId: auth.user.id, ip, outcome: 'success', detail: { before, after: saved },
    });
    return saved;
  });
}

// --- the practice's numbers -------------------------------------------------------------------------

export interface PracticeCallGateView {
  repeatCallMinutes: number; pressOneEnabled: boolean; frontDeskNumber: string | null; emergencyNumbers: EmergencyNumber[];
}

export function practiceView(s: PracticeCallGateSettings | undefined): PracticeCallGateView {
  return {
    repeatCallMinutes: s?.repeat_call_minutes ?? DEFAULT_REPEAT_CALL_MINUTES, pressOneEnabled: s?.press_one_enabled ?? true,
    frontDeskNumber: s?.front_desk_number ?? null, emergencyNumbers: s?.emergency_numbers ?? [],
  };
}

export async function readPracticeGate(db: Db, auth: AuthContext): Promise<PracticeCallGateView> {
  return practiceView(await repo.findPracticeSettings(db, auth.practice.id));
}

export async function savePracticeGate(db: Db, auth: AuthContext, input: PracticeCallGateView, ip: string | null, clock: Clock = systemClock): Promise<PracticeCallGateView> {
  const practiceId = auth.practice.id;
  return db.transaction().execute(async (trx) => {
    const before = practiceView(await repo.findPracticeSettings(trx, practiceId));
    const saved = practiceView(await repo.savePracticeSettings(trx, { practiceId, ...input, updatedBy: auth.user.id, at: clock.now() }));
    await appendAuditEvent(trx, {
      practiceId, actorUserId: auth.user.id, actorRole: auth.user.role, action: 'call_gate.practice', resourceType: 'practice_call_gate',
      resourceId: practiceId, ip, outcome: 'success', detail: { before, after: saved },
    });
    return saved;
  });
}

// --- the clinician's record of calls ------------------------------------------------------------------

export interface CallRecord {
  at: string; from: string; who: string; channel: 'call' | 'text'; sessionId: string | null;
  outcome: Exclude<CallEvent['outcome'], 'asked_press_1'>; why: BreakthroughReason | null;
}

export async function listMyCalls(db: Db, auth: AuthContext, limit: number, ip: string | null): Promise<CallRecord[]> {
  const rows = await repo.listCalls(db, auth.practice.id, auth.user.id, limit);
  await appendAuditEvent(db, {
    practiceId: auth.practice.id, actorUserId: auth.user.id, actorRole: auth.user.role, action: 'call_gate.calls.read', resourceType: 'call_events',
    resourceId: auth.user.id, ip, outcome: 'success', detail: { count: rows.length },
  });
  return rows.flatMap((r) => (r.outcome === 'asked_press_1' ? [] : [{
    at: r.at.toISOString(), from: r.from_number, who: r.who, channel: r.channel, sessionId: r.session_id, outcome: r.outcome, why: r.why,
  }]));
}
