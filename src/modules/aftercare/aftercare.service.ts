/**
 * After the session (seed 003, DESIGN.md "After"): the next session's agenda, the
 * clinician's reflection (a psychotherapy note), adjusting the approach, the
 * therapeutic fit, and a referral with a warm hand-off.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../server/database.ts';
import type { LiveMessage } from '../../server/live.ts';
import { Problem } from '../../server/problems.ts';
import { decryptText, encryptText } from '../../server/field-crypto.ts';
import { can, type Action } from '../../domain/permissions.ts';
import { appendAuditEvent } from '../audit/audit.repository.ts';
import type { AuthContext } from '../auth/auth.service.ts';
import { authorizeClient } from '../clients/client-access.ts';
import { findNextAppointment } from '../schedule/schedule.repository.ts';
import { notify } from '../follow-ups/notifications.ts';
import type { AgendaItem, ApproachNote, HandoffItem, Referral, ReferralStatus, ReflectionNote } from './aftercare.table.ts';
import { nextSessionWarnings, type NextSessionWarning } from './next-session.ts';

type Db = Kysely<Database>;
type Trx = Transaction<Database>;

function audit(db: Db | Trx, auth: AuthContext, clientId: string, action: string, resourceType: string, resourceId: string, ip: string | null, detail: Record<string, unknown> = {}) {
  return appendAuditEvent(db, {
    practiceId: auth.practice.id, actorUserId: auth.user.id, actorRole: auth.user.role, action, resourceType, resourceId, clientId, ip, outcome: 'success', detail,
  });
}

/** A record of a client reached by its own id: the care-team gate, or 404 (audited) when there is no such record here. */
async function gateByRecord(db: Db, auth: AuthContext, found: { client_id: string } | undefined, action: Action, resourceType: string, id: string, ip: string | null): Promise<string> {
  if (!found) {
    await appendAuditEvent(db, {
      practiceId: auth.practice.id, actorUserId: auth.user.id, actorRole: auth.user.role, action, resourceType, resourceId: id, ip,
      outcome: 'denied', detail: { reason: `no_such_${resourceType}_in_practice` },
    });
    throw new Problem('NOT_FOUND', 'Not found.');
  }
  await authorizeClient(db, auth, found.client_id, action, ip);
  return found.client_id;
}

/** An incident named in a request must be this client's (422 otherwise, nothing written). */
async function requireClientIncident(db: Db | Trx, practiceId: string, clientId: string, incidentId: string | null | undefined) {
  if (!incidentId) return;
  const found = await db.selectFrom('incidents').select('id').where('practice_id', '=', practiceId).where('id', '=', incidentId)
    .where('client_id', '=', clientId).executeTakeFirst();
  if (!found) throw new Problem('INCIDENT_NOT_FOR_CLIENT', "That incident is not this client's.", { errors: [{ path: 'body.incidentId', message: "is not one of this client's incidents" }] });
}

/**
 * Inserts a row whose id the browser made (a retried request is written once). The same
 * id for something else answers 409 RECORD_ID_REUSED.
 */
async function insertOnce<T extends { client_id: string }>(insert: () => Promise<T | undefined>, existing: () => Promise<T | undefined>, clientId: string): Promise<{ row: T; created: boolean }> {
  const row = await insert();
  if (row) return { row, created: true };
  const found = await existing();
  if (!found || found.client_id !== clientId) throw new Problem('RECORD_ID_REUSED', 'That id belongs to another record; make a new one.');
  return { row: found, created: false };
}

// --- the next session's agenda ----------------------------------------------------------------

export interface AgendaItemView {
  id: string;
  clientId: string;
  text: string;
  appointmentId: string | null;
  incidentId: string | null;
  createdAt: string;
  createdBy: string;
  discussedAt: string | null;
  discussedBy: string | null;
}

export const agendaItemView = (a: AgendaItem): AgendaItemView => ({
  id: a.id, clientId: a.client_id, text: a.text, appointmentId: a.appointment_id, incidentId: a.incident_id, createdAt: a.created_at.toISOString(),
  createdBy: a.created_by, discussedAt: a.discussed_at?.toISOString() ?? null, discussedBy: a.discussed_by,
});

/** The client's next scheduled appointment not yet held: one whose session has started (early, say) is not "next". */

/** Adds "talk about the walkout" to the client's next appointment (or to the next one booked, when none is yet). */
export async function addAgendaItem(db: Db, auth: AuthContext, clientId: string, input: { id: string; text: string; incidentId?: string | null | undefined }, ip: string | null): Promise<{ item: AgendaItemView; created: boolean }> {
  const practiceId = auth.practice.id;
  await authorizeClient(db, auth, clientId, 'client.agenda.manage', ip);
  return db.transaction().execute(async (trx) => {
    await requireClientIncident(trx, practiceId, clientId, input.incidentId);
    const next = await findNextAppointment(trx, practiceId, clientId, new Date());
    const { row, created } = await insertOnce(
      () => trx.insertInto('agenda_items').values({
        practice_id: practiceId, id: input.id, client_id: clientId, appointment_id: next?.id ?? null, incident_id: input.incidentId ?? null,
        text: input.text, created_by: auth.user.id, discussed_at: null, discussed_by: null,
      }).onConflict((oc) => oc.columns(['practice_id', 'id']).doNothing()).returningAll().executeTakeFirst(),
      () => trx.selectFrom('agenda_items').selectAll().where('practice_id', '=', practiceId).where('id', '=', input.id).executeTakeFirst(),
      clientId,
    );
    if (created) await audit(trx, auth, clientId, 'client.agenda.manage', 'agenda_item', row.id, ip, { event: 'added', appointmentId: row.appointment_id, incidentId: row.incident_id });
    return { item: agendaItemView(row), created };
  });
}

export interface ClientAgenda {
  items: AgendaItemView[];
  nextAppointment: { id: string; startsAt: string } | null;
  nextSessionWarnings: NextSessionWarning[];
}

/** Open items first (oldest first), then the last 20 discussed; with the next appointment and any next-session window unmet. */
export async function readAgenda(db: Db, auth: AuthContext, clientId: string, ip: string | null): Promise<ClientAgenda> {
  const practiceId = auth.practice.id;
  // Reading it is client.read: a break-glass reader sees when the client is next seen (audited as a break-glass read).
  await authorizeClient(db, auth, clientId, 'client.read', ip, { type: 'agenda', id: clientId });
  const [open, discussed, next, warnings] = await Promise.all([
    db.selectFrom('agenda_items').selectAll().where('practice_id', '=', practiceId).where('client_id', '=', clientId)
      .where('discussed_at', 'is', null).orderBy('created_at').orderBy('id').execute(),
    db.selectFrom('agenda_items').selectAll().where('practice_id', '=', practiceId).where('client_id', '=', clientId)
      .where('discussed_at', 'is not', null).orderBy('discussed_at', 'desc').limit(20).execute(),
    findNextAppointment(db, practiceId, clientId, new Date()),
    nextSessionWarnings(db, practiceId, auth.practice.timeZone, { clientId }),
  ]);
  await audit(db, auth, clientId, 'client.agenda.read', 'agenda', clientId, ip, { open: open.length, discussed: discussed.length });
  return {
    items: [...open, ...discussed].map(agendaItemView),
    nextAppointment: next ? { id: next.id, startsAt: next.starts_at.toISOString() } : null,
    nextSessionWarnings: warnings,
  };
}

/** Marks an item discussed (or not yet): a retried request answers the same. */
export async function markAgendaItem(db: Db, auth: AuthContext, itemId: string, discussed: boolean, ip: string | null): Promise<AgendaItemView> {
  const practiceId = auth.practice.id;
  const found = await db.selectFrom('agenda_items').select('client_id').where('practice_id', '=', practiceId).where('id', '=', itemId).executeTakeFirst();
  const clientId = await gateByRecord(db, auth, found, 'client.agenda.manage', 'agenda_item', itemId, ip);
  return db.transaction().execute(async (trx) => {
    const item = await trx.selectFrom('agenda_items').selectAll().where('practice_id', '=', practiceId).where('id', '=', itemId).forUpdate().executeTakeFirstOrThrow();
    if ((item.discussed_at !== null) === discussed) return agendaItemView(item);
    const updated = await trx.updateTable('agenda_items')
      .set(discussed ? { discussed_at: new Date(), discussed_by: auth.user.id } : { discussed_at: null, discussed_by: null })
      .where('practice_id', '=', practiceId).where('id', '=', itemId).returningAll().executeTakeFirstOrThrow();
    await audit(trx, auth, clientId, 'client.agenda.manage', 'agenda_item', itemId, ip, { event: discussed ? 'discussed' : 'reopened' });
    return agendaItemView(updated);
  });
}

/** The items a session shows: those still open, and those marked discussed since it started. For the sessions module. */
export async function sessionAgenda(db: Db | Trx, practiceId: string, clientId: string, sessionStartedAt: Date): Promise<AgendaItemView[]> {
  const rows = await db.selectFrom('agenda_items').selectAll().where('practice_id', '=', practiceId).where('client_id', '=', clientId)
    .where((eb) => eb.or([eb('discussed_at', 'is', null), eb('discussed_at', '>=', sessionStartedAt)]))
    .orderBy('created_at').orderBy('id').execute();
  return rows.map(agendaItemView);
}

// --- reflection: a psychotherapy note --------------------------------------------------------
// HIPAA 45 CFR 164.501 (psychotherapy notes are kept apart from the record) and
// 164.508(a)(2) (their use or disclosure needs the client's specific authorization):
// only the author reads them. Exports (issue 6) must leave reflection_notes out.

export interface ReflectionView { id: string; clientId: string; incidentId: string | null; body: string; createdAt: string; updatedAt: string }
// The body is encrypted at rest (issue 6): decrypted only for its author's view.
const reflectionView = async (db: Db | Trx, r: ReflectionNote): Promise<ReflectionView> => ({
  id: r.id, clientId: r.client_id, incidentId: r.incident_id, body: await decryptText(db, r.practice_id, r.body), createdAt: r.created_at.toISOString(), updatedAt: r.updated_at.toISOString(),
});

export async function writeReflection(db: Db, auth: AuthContext, clientId: string, input: { id: string; body: string; incidentId?: string | null | undefined }, ip: string | null): Promise<{ note: ReflectionView; created: boolean }> {
  const practiceId = auth.practice.id;
  await authorizeClient(db, auth, clientId, 'client.reflection.write', ip);
  return db.transaction().execute(async (trx) => {
    await requireClientIncident(trx, practiceId, clientId, input.incidentId);
    const body = await encryptText(trx, practiceId, input.body);
    const { row, created } = await insertOnce(
      () => trx.insertInto('reflection_notes').values({
        practice_id: practiceId, id: input.id, client_id: clientId, incident_id: input.incidentId ?? null, author_id: auth.user.id, body,
      }).onConflict((oc) => oc.columns(['practice_id', 'id']).doNothing()).returningAll().executeTakeFirst(),
      // Only the author's own note counts as "the same": nobody learns of another's note by guessing its id.
      () => trx.selectFrom('reflection_notes').selectAll().where('practice_id', '=', practiceId).where('id', '=', input.id).where('author_id', '=', auth.user.id).executeTakeFirst(),
      clientId,
    );
    // The audit trail says a note was written, never what it says.
    if (created) await audit(trx, auth, clientId, 'client.reflection.write', 'reflection_note', row.id, ip, { incidentId: row.incident_id });
    return { note: await reflectionView(trx, row), created };
  });
}

/** The caller's own reflections on a client; a supervisor or colleague sees none of the clinician's. */
export async function listMyReflections(db: Db, auth: AuthContext, clientId: string, ip: string | null): Promise<ReflectionView[]> {
  await authorizeClient(db, auth, clientId, 'client.reflection.write', ip);
  const rows = await db.selectFrom('reflection_notes').selectAll().where('practice_id', '=', auth.practice.id).where('client_id', '=', clientId)
    .where('author_id', '=', auth.user.id).orderBy('created_at', 'desc').orderBy('id').execute();
  await audit(db, auth, clientId, 'reflection.read', 'reflection_notes', clientId, ip, { noteIds: rows.map((r) => r.id) });
  return Promise.all(rows.map((r) => reflectionView(db, r)));
}

/** One reflection, for its author alone: anyone else gets 404 (audited), as if it did not exist. */
export async function readReflection(db: Db, auth: AuthContext, noteId: string, ip: string | null): Promise<ReflectionView> {
  const note = await db.selectFrom('reflection_notes').selectAll().where('practice_id', '=', auth.practice.id).where('id', '=', noteId).executeTakeFirst();
  if (!note || !can('reflection.read', auth.actor, { practiceId: auth.practice.id, ownerUserId: note.author_id })) {
    await appendAuditEvent(db, {
      practiceId: auth.practice.id, actorUserId: auth.user.id, actorRole: auth.user.role, action: 'reflection.read', resourceType: 'reflection_note',
      resourceId: noteId, clientId: note?.client_id ?? null, ip, outcome: 'denied', detail: { reason: note ? 'not_the_author' : 'no_such_note_in_practice' },
    });
    throw new Problem('NOT_FOUND', 'Not found.');
  }
  await audit(db, auth, note.client_id, 'reflection.read', 'reflection_note', note.id, ip);
  return reflectionView(db, note);
}

// --- adjusting the approach; the therapeutic fit --------------------------------------------

export interface ApproachNoteView {
  id: string; clientId: string; incidentId: string | null; kind: 'adjustment' | 'fit'; body: string;
  fit: 'good' | 'uncertain' | 'poor' | null; decision: 'continue' | 'adjust' | 'refer' | null;
  author: { id: string; name: string }; createdAt: string;
}
const approachView = (n: ApproachNote, names: Map<string, string>): ApproachNoteView => ({
  id: n.id, clientId: n.client_id, incidentId: n.incident_id, kind: n.kind, body: n.body, fit: n.fit, decision: n.decision,
  author: { id: n.author_id, name: names.get(n.author_id) ?? '' }, createdAt: n.created_at.toISOString(),
});

export type ApproachInput =
  | { id: string; kind: 'adjustment'; body: string; incidentId?: string | null | undefined }
  | { id: string; kind: 'fit'; body: string; fit: 'good' | 'uncertain' | 'poor'; decision: 'continue' | 'adjust' | 'refer'; incidentId?: string | null | undefined };

export async function writeApproachNote(db: Db, auth: AuthContext, clientId: string, input: ApproachInput, ip: string | null): Promise<{ note: ApproachNoteView; created: boolean }> {
  const practiceId = auth.practice.id;
  await authorizeClient(db, auth, clientId, 'client.aftercare.write', ip);
  return db.transaction().execute(async (trx) => {
    await requireClientIncident(trx, practiceId, clientId, input.incidentId);
    const { row, created } = await insertOnce(
      () => trx.insertInto('approach_notes').values({
        practice_id: practiceId, id: input.id, client_id: clientId, incident_id: input.incidentId ?? null, kind: input.kind, body: input.body,
        fit: input.kind === 'fit' ? input.fit : null, decision: input.kind === 'fit' ? input.decision : null, author_id: auth.user.id,
      }).onConflict((oc) => oc.columns(['practice_id', 'id']).doNothing()).returningAll().executeTakeFirst(),
      () => trx.selectFrom('approach_notes').selectAll().where('practice_id', '=', practiceId).where('id', '=', input.id).executeTakeFirst(),
      clientId,
    );
    if (created) await audit(trx, auth, clientId, 'client.aftercare.write', 'approach_note', row.id, ip, { kind: row.kind, fit: row.fit, decision: row.decision, incidentId: row.incident_id });
    return { note: approachView(row, new Map([[auth.user.id, auth.user.name]])), created };
  });
}

export async function listApproachNotes(db: Db, auth: AuthContext, clientId: string, ip: string | null): Promise<ApproachNoteView[]> {
  await authorizeClient(db, auth, clientId, 'client.aftercare.write', ip);
  const rows = await db.selectFrom('approach_notes').selectAll().where('practice_id', '=', auth.practice.id).where('client_id', '=', clientId)
    .orderBy('created_at', 'desc').orderBy('id').limit(100).execute();
  const names = await userNames(db, auth.practice.id, rows.map((r) => r.author_id));
  await audit(db, auth, clientId, 'client.aftercare.read', 'approach_notes', clientId, ip, { count: rows.length });
  return rows.map((r) => approachView(r, names));
}

async function userNames(db: Db | Trx, practiceId: string, ids: string[]): Promise<Map<string, string>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const rows = await db.selectFrom('users').select(['id', 'name']).where('practice_id', '=', practiceId).where('id', 'in', unique).execute();
  return new Map(rows.map((u) => [u.id, u.name]));
}

// --- referral with a warm hand-off ----------------------------------------------------------

/** The warm hand-off: the client is not simply given a name, they are walked across. */
export const HANDOFF_CHECKLIST: readonly { key: string; label: string }[] = [
  { key: 'discuss', label: 'Discussed the referral with the client and agreed on it' },
  // HIPAA 45 CFR 164.506: disclosures for treatment need no authorization or accounting; consent is still documented.
  { key: 'consent', label: 'Client consented to sharing information with the receiving clinician' },
  { key: 'contact', label: 'Contacted the receiving clinician' },
  { key: 'summary', label: 'Shared a summary' },
  { key: 'introduction', label: 'Joint introduction held or first appointment booked' },
  { key: 'attended', label: 'Confirmed the client attended' },
];
export const HANDOFF_KEYS = HANDOFF_CHECKLIST.map((i) => i.key) as [string, ...string[]];
const CLOSED: ReadonlySet<ReferralStatus> = new Set(['completed', 'declined', 'cancelled']);

export interface ReferralView {
  id: string; clientId: string; incidentId: string | null; toKind: 'internal' | 'external'; toUserId: string | null; toName: string; toContact: string;
  reason: string; status: ReferralStatus; handoff: HandoffItem[]; createdBy: string; createdAt: string; updatedAt: string;
}
const referralView = (r: Referral): ReferralView => ({
  id: r.id, clientId: r.client_id, incidentId: r.incident_id, toKind: r.to_kind, toUserId: r.to_user_id, toName: r.to_name, toContact: r.to_contact,
  reason: r.reason, status: r.status, handoff: r.handoff, createdBy: r.created_by, createdAt: r.created_at.toISOString(), updatedAt: r.updated_at.toISOString(),
});

export interface ReferralInput {
  id: string; toKind: 'internal' | 'external'; toUserId?: string | undefined; toName?: string | undefined; toContact?: string | undefined;
  reason: string; incidentId?: string | null | undefined;
}

/** Makes a referral. An internal one goes to an active clinician of the practice, who is notified (calm words, no clinical detail). */
export async function createReferral(db: Db, auth: AuthContext, clientId: string, input: ReferralInput, ip: string | null): Promise<{ referral: ReferralView; created: boolean; messages: LiveMessage[] }> {
  const practiceId = auth.practice.id;
  await authorizeClient(db, auth, clientId, 'client.referral.manage', ip);
  let toName = input.toName ?? '';
  if (input.toKind === 'internal') {
    const to = await db.selectFrom('users').select(['name', 'role', 'active']).where('practice_id', '=', practiceId).where('id', '=', input.toUserId ?? '').executeTakeFirst();
    if (!to || !to.active || (to.role !== 'clinician' && to.role !== 'supervisor')) {
      throw new Problem('REFERRAL_CLINICIAN_INVALID', 'Refer to an active clinician of this practice.', { errors: [{ path: 'body.toUserId', message: 'is not an active clinician of this practice' }] });
    }
    toName ||= to.name;
  }
  return db.transaction().execute(async (trx) => {
    await requireClientIncident(trx, practiceId, clientId, input.incidentId);
    const now = new Date();
    const { row, created } = await insertOnce(
      () => trx.insertInto('referrals').values({
        practice_id: practiceId, id: input.id, client_id: clientId, incident_id: input.incidentId ?? null, to_kind: input.toKind,
        to_user_id: input.toKind === 'internal' ? input.toUserId! : null, to_name: toName, to_contact: input.toContact ?? '', reason: input.reason,
        handoff: JSON.stringify(HANDOFF_CHECKLIST.map((i) => ({ ...i, doneAt: null, doneBy: null }))), created_by: auth.user.id, created_at: now, updated_at: now,
      }).onConflict((oc) => oc.columns(['practice_id', 'id']).doNothing()).returningAll().executeTakeFirst(),
      () => trx.selectFrom('referrals').selectAll().where('practice_id', '=', practiceId).where('id', '=', input.id).executeTakeFirst(),
      clientId,
    );
    let messages: LiveMessage[] = [];
    if (created) {
      await audit(trx, auth, clientId, 'client.referral.manage', 'referral', row.id, ip, { event: 'created', toKind: row.to_kind, toUserId: row.to_user_id, incidentId: row.incident_id });
      if (row.to_user_id && row.to_user_id !== auth.user.id) {
        messages = await notify(trx, {
          practiceId, userIds: [row.to_user_id], kind: 'referral', title: `${auth.user.name} would like to refer a client to you`,
          clientId, dedupeKey: `referral:${row.id}`, at: now,
        });
      }
    }
    return { referral: referralView(row), created, messages };
  });
}

export async function listReferrals(db: Db, auth: AuthContext, clientId: string, ip: string | null): Promise<ReferralView[]> {
  await authorizeClient(db, auth, clientId, 'client.referral.manage', ip);
  const rows = await db.selectFrom('referrals').selectAll().where('practice_id', '=', auth.practice.id).where('client_id', '=', clientId)
    .orderBy('created_at', 'desc').orderBy('id').execute();
  await audit(db, auth, clientId, 'client.referral.read', 'referrals', clientId, ip, { referralIds: rows.map((r) => r.id) });
  return rows.map(referralView);
}

export interface ReferralPatch {
  status?: ReferralStatus | undefined;
  /** Tick (or untick) one item of the hand-off checklist. */
  item?: { key: string; done: boolean } | undefined;
  /** On completing an internal referral: add the receiving clinician to the care team (default true). */
  addToCareTeam?: boolean | undefined;
}

/**
 * Moves a referral along and ticks its checklist. A completed, declined or cancelled
 * referral is closed (409). Completing an internal referral adds the receiving
 * clinician to the client's care team unless told not to; the referring clinician stays.
 */
export async function updateReferral(db: Db, auth: AuthContext, referralId: string, patch: ReferralPatch, ip: string | null): Promise<ReferralView> {
  const practiceId = auth.practice.id;
  const found = await db.selectFrom('referrals').select('client_id').where('practice_id', '=', practiceId).where('id', '=', referralId).executeTakeFirst();
  const clientId = await gateByRecord(db, auth, found, 'client.referral.manage', 'referral', referralId, ip);
  return db.transaction().execute(async (trx) => {
    const r = await trx.selectFrom('referrals').selectAll().where('practice_id', '=', practiceId).where('id', '=', referralId).forUpdate().executeTakeFirstOrThrow();
    if (CLOSED.has(r.status)) throw new Problem('REFERRAL_CLOSED', `This referral is ${r.status}; make a new one if needed.`);
    const now = new Date();
    const handoff = r.handoff.map((i) => (patch.item && i.key === patch.item.key
      ? { ...i, doneAt: patch.item.done ? (i.doneAt ?? now.toISOString()) : null, doneBy: patch.item.done ? (i.doneBy ?? auth.user.id) : null }
      : i));
    const status = patch.status ?? r.status;
    const updated = await trx.updateTable('referrals').set({ status, handoff: JSON.stringify(handoff), updated_at: now })
      .where('practice_id', '=', practiceId).where('id', '=', referralId).returningAll().executeTakeFirstOrThrow();
    let addedToCareTeam = false;
    if (status === 'completed' && r.to_kind === 'internal' && r.to_user_id && patch.addToCareTeam !== false) {
      const added = await trx.insertInto('client_clinicians').values({ practice_id: practiceId, client_id: clientId, clinician_id: r.to_user_id })
        .onConflict((oc) => oc.doNothing()).returning('clinician_id').executeTakeFirst();
      addedToCareTeam = added !== undefined;
    }
    await audit(trx, auth, clientId, 'client.referral.manage', 'referral', referralId, ip, {
      event: 'updated', from: r.status, status, item: patch.item ?? null, addedToCareTeam: addedToCareTeam ? r.to_user_id : null,
    });
    return referralView(updated);
  });
}
