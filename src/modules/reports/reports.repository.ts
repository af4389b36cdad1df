import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../server/database.ts';
import { readIncidentParts } from '../incidents/incidents.repository.ts';
import type { CssrsResult, IncidentReport, IncidentReportAddendum, ReportKind, ReportStatus, RiskLevel } from './reports.table.ts';

type Db = Kysely<Database> | Transaction<Database>;

export async function findReport(db: Db, practiceId: string, incidentId: string): Promise<IncidentReport | undefined> {
  return db.selectFrom('incident_reports').selectAll().where('practice_id', '=', practiceId).where('incident_id', '=', incidentId).executeTakeFirst();
}

/** The report under a row lock: every change to a report is decided on the row as it is now. */
export async function lockReport(trx: Transaction<Database>, practiceId: string, incidentId: string): Promise<IncidentReport | undefined> {
  return trx.selectFrom('incident_reports').selectAll().where('practice_id', '=', practiceId).where('incident_id', '=', incidentId)
    .forUpdate().executeTakeFirst();
}

/** Who signed a report, for the access rule (the signer's supervisor co-signs). */
export async function reportSigner(db: Db, practiceId: string, incidentId: string): Promise<string | null> {
  const row = await db.selectFrom('incident_reports').select('signed_by').where('practice_id', '=', practiceId)
    .where('incident_id', '=', incidentId).executeTakeFirst();
  return row?.signed_by ?? null;
}

/** Stored (already encrypted) draft fields. */
export interface StoredDraft {
  whatHappened: string;
  exactWords: string | null;
  riskLevel: RiskLevel | null;
  riskJustification: string | null;
  mitigationPlan: string | null;
  cssrs: CssrsResult | null;
}

/** The first save of a draft; false when someone else created it meanwhile. */
export async function insertDraft(trx: Transaction<Database>, r: { practiceId: string; incidentId: string; clientId: string; protocolKey: string; kind: ReportKind; by: string; draft: StoredDraft }): Promise<boolean> {
  const inserted = await trx.insertInto('incident_reports').values({
    practice_id: r.practiceId, incident_id: r.incidentId, client_id: r.clientId, protocol_key: r.protocolKey, kind: r.kind,
    what_happened: r.draft.whatHappened, exact_words: r.draft.exactWords, risk_level: r.draft.riskLevel, risk_justification: r.draft.riskJustification,
    mitigation_plan: r.draft.mitigationPlan, cssrs: r.draft.cssrs ? JSON.stringify(r.draft.cssrs) : null, facts: null, version: 1,
    created_by: r.by, updated_by: r.by, signed_by: null, signed_at: null, content_hash: null,
    cosigned_by: null, cosigned_at: null, cosign_note: null, cosign_hash: null, closed_by: null, closed_at: null,
  }).onConflict((oc) => oc.columns(['practice_id', 'incident_id']).doNothing()).returning('version').executeTakeFirst();
  return inserted !== undefined;
}

export async function updateDraft(trx: Transaction<Database>, practiceId: string, incidentId: string, by: string, draft: StoredDraft): Promise<number> {
  const row = await trx.updateTable('incident_reports').set((eb) => ({
    what_happened: draft.whatHappened, exact_words: draft.exactWords, risk_level: draft.riskLevel, risk_justification: draft.riskJustification,
    mitigation_plan: draft.mitigationPlan, cssrs: draft.cssrs ? JSON.stringify(draft.cssrs) : null,
    version: eb('version', '+', 1), updated_by: by, updated_at: new Date(),
  })).where('practice_id', '=', practiceId).where('incident_id', '=', incidentId).where('status', '=', 'draft')
    .returning('version').executeTakeFirstOrThrow();
  return row.version;
}

export async function markSigned(trx: Transaction<Database>, practiceId: string, incidentId: string, s: { by: string; at: Date; facts: string; cssrs: CssrsResult | null; hash: string }) {
  await trx.updateTable('incident_reports').set({
    status: 'awaiting_review', signed_by: s.by, signed_at: s.at, facts: s.facts, cssrs: s.cssrs ? JSON.stringify(s.cssrs) : null, content_hash: s.hash,
  }).where('practice_id', '=', practiceId).where('incident_id', '=', incidentId).where('status', '=', 'draft').executeTakeFirstOrThrow();
}

export async function markCosigned(trx: Transaction<Database>, practiceId: string, incidentId: string, c: { by: string; at: Date; note: string | null; hash: string }) {
  await trx.updateTable('incident_reports').set({ status: 'reviewed', cosigned_by: c.by, cosigned_at: c.at, cosign_note: c.note, cosign_hash: c.hash })
    .where('practice_id', '=', practiceId).where('incident_id', '=', incidentId).where('status', '=', 'awaiting_review').executeTakeFirstOrThrow();
}

export async function markClosed(trx: Transaction<Database>, practiceId: string, incidentId: string, by: string, at: Date) {
  await trx.updateTable('incident_reports').set({ status: 'closed', closed_by: by, closed_at: at })
    .where('practice_id', '=', practiceId).where('incident_id', '=', incidentId).where('status', '=', 'reviewed').executeTakeFirstOrThrow();
}

export async function insertAddendum(trx: Transaction<Database>, a: { practiceId: string; id: string; incidentId: string; body: string; authorId: string; signedAt: Date; hash: string }) {
  await trx.insertInto('incident_report_addenda').values({
    practice_id: a.practiceId, id: a.id, incident_id: a.incidentId, body: a.body, author_id: a.authorId, signed_at: a.signedAt, content_hash: a.hash,
  }).execute();
}

export async function listAddenda(db: Db, practiceId: string, incidentId: string): Promise<IncidentReportAddendum[]> {
  return db.selectFrom('incident_report_addenda').selectAll().where('practice_id', '=', practiceId).where('incident_id', '=', incidentId)
    .orderBy('signed_at').orderBy('id').execute();
}

export async function findAddendum(db: Db, practiceId: string, id: string): Promise<IncidentReportAddendum | undefined> {
  return db.selectFrom('incident_report_addenda').selectAll().where('practice_id', '=', practiceId).where('id', '=', id).executeTakeFirst();
}

/** Everything the report is built from: the incident's parts and what became of its session. */
export async function readIncidentForReport(db: Kysely<Database>, practiceId: string, incidentId: string) {
  const parts = await readIncidentParts(db, practiceId, incidentId);
  const session = parts.incident.session_id
    ? await db.selectFrom('therapy_sessions as s')
      .leftJoin('appointments as a', (j) => j.onRef('a.practice_id', '=', 's.practice_id').onRef('a.id', '=', 's.reschedule_appointment_id'))
      .select(['s.modality', 's.started_at', 's.ended_at', 's.ended_early', 's.end_reason', 'a.starts_at as rescheduled_to'])
      .where('s.practice_id', '=', practiceId).where('s.id', '=', parts.incident.session_id).executeTakeFirst()
    : undefined;
  return { ...parts, session };
}

export interface ReviewQueueRow {
  incident_id: string; client_id: string; client_name: string; protocol_key: string; kind: ReportKind; status: ReportStatus;
  signed_by: string; signer_name: string; signed_at: Date; addenda: number;
}

/** Signed reports of the given clinicians in one review status, oldest signature first. */
export async function reviewQueue(db: Kysely<Database>, practiceId: string, signerIds: readonly string[], status: ReportStatus): Promise<ReviewQueueRow[]> {
  if (signerIds.length === 0) return [];
  const { rows } = await sql<ReviewQueueRow>`
    select r.incident_id, r.client_id, coalesce(c.preferred_name, c.legal_name) as client_name, r.protocol_key, r.kind, r.status,
      r.signed_by, u.name as signer_name, r.signed_at,
      (select count(*) from incident_report_addenda a where a.practice_id = r.practice_id and a.incident_id = r.incident_id)::int as addenda
    from incident_reports r
    join clients c on c.practice_id = r.practice_id and c.id = r.client_id
    join users u on u.practice_id = r.practice_id and u.id = r.signed_by
    where r.practice_id = ${practiceId} and r.status = ${status} and r.signed_by = any(${[...signerIds]}::uuid[])
    order by r.signed_at
    limit 200`.execute(db);
  return rows;
}

export async function userNames(db: Db, practiceId: string, ids: (string | null)[]): Promise<Map<string, string>> {
  const wanted = [...new Set(ids.filter((x): x is string => x !== null))];
  if (!wanted.length) return new Map();
  const rows = await db.selectFrom('users').select(['id', 'name']).where('practice_id', '=', practiceId).where('id', 'in', wanted).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}
