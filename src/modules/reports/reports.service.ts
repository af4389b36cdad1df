/**
 * The incident report (DESIGN.md "After"; issue 6 item 1). A draft is built from the
 * incident's record and edited by the care team; an assigned clinician signs it, which
 * freezes its facts and locks it (the database refuses any change: migrations/0005);
 * later changes are addenda, each signed by its author. A supervisor of the clinician who
 * signed reviews and co-signs it, then closes the review. Each signature records who,
 * when, and the SHA-256 of what was signed. Narrative is encrypted at rest; every read
 * and write is audited in the same transaction as the change.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../server/database.ts';
import { decryptOptional, decryptText, encryptOptional, encryptText } from '../../server/field-crypto.ts';
import { Problem } from '../../server/problems.ts';
import { can, type Action, type ResourceContext } from '../../domain/permissions.ts';
import { builtInProtocol } from '../../domain/protocols/catalog.ts';
import { appendAuditEvent } from '../audit/audit.repository.ts';
import { breakGlassIncidentAccess } from '../break-glass/break-glass-access.ts';
import type { AuthContext } from '../auth/auth.service.ts';
import { findIncidentForAccess, insertTimeline, type IncidentAccessRow } from '../incidents/incidents.repository.ts';
import {
  buildReport, clientDetailIn, missingForSignature, type BuiltReport, type IncidentRecord, type ReportDraft, type ReportFacts,
} from './report-builder.ts';
import * as repo from './reports.repository.ts';
import type { CssrsResult, IncidentReport, ReportKind, ReportStatus } from './reports.table.ts';

type Db = Kysely<Database>;
type Trx = Transaction<Database>;
type Named = { id: string; name: string };

export interface Signature { by: Named; at: string; contentHash: string }

/** A signed report as it stands: what the clinician signed, the addenda after it, and its review. */
export interface SignedReport {
  incidentId: string;
  clientId: string;
  kind: ReportKind;
  protocolKey: string;
  protocolTitle: string;
  status: Exclude<ReportStatus, 'draft'>;
  fields: ReportDraft;
  cssrs: CssrsResult | null;
  facts: ReportFacts;
  signature: Signature & { verified: boolean };
  cosignature: (Signature & { note: string | null }) | null;
  closed: { by: Named; at: string } | null;
  addenda: { id: string; text: string; author: Named; signedAt: string; contentHash: string; verified: boolean }[];
}

export interface ReportView extends Omit<SignedReport, 'status' | 'signature'> {
  status: ReportStatus;
  client: Named;
  /** 0 while nothing is saved: the fields are the prefill built from the incident. */
  version: number;
  signature: (Signature & { verified: boolean }) | null;
  viewer: { canEdit: boolean; canSign: boolean; canAddAddendum: boolean; canCosign: boolean; canClose: boolean };
}

interface ReportAccess { access: IncidentAccessRow; resource: ResourceContext }

/**
 * The gate to an incident's report: the client's care team reads and writes it, an
 * assigned clinician signs it, a supervisor of the signer co-signs. Everyone else gets
 * 404, audited, as for the client's record.
 */
async function authorizeReport(db: Db, auth: AuthContext, incidentId: string, action: Action, ip: string | null): Promise<ReportAccess> {
  const practiceId = auth.practice.id;
  const access = await findIncidentForAccess(db, practiceId, incidentId);
  const resource: ResourceContext | undefined = access && {
    practiceId, assignedClinicianIds: access.assigned, pagedUserIds: access.paged, signedByUserId: await repo.reportSigner(db, practiceId, incidentId),
  };
  if (access && resource && can(action, auth.actor, resource)) return { access, resource };
  // Break-glass (issue 6): under a grant on the client, the report is read, never written; the read audited as one.
  if (access && resource && await breakGlassIncidentAccess(db, auth, access, action, ip, { type: 'incident_report', id: incidentId })) {
    return { access, resource: { ...resource, breakGlassUserIds: [auth.user.id] } };
  }
  await appendAuditEvent(db, {
    practiceId, actorUserId: auth.user.id, actorRole: auth.user.role, action, resourceType: 'incident_report', resourceId: incidentId,
    clientId: access?.client_id ?? null, ip, outcome: 'denied', detail: { reason: access ? 'not_permitted_for_report' : 'no_such_incident_in_practice' },
  });
  throw new Problem('NOT_FOUND', 'No such incident.');
}

// --- reading ---------------------------------------------------------------------------

export async function getReport(db: Db, auth: AuthContext, incidentId: string, ip: string | null): Promise<ReportView> {
  const gate = await authorizeReport(db, auth, incidentId, 'incident.report.read', ip);
  const view = await reportView(db, auth, gate);
  await appendAuditEvent(db, {
    practiceId: auth.practice.id, actorUserId: auth.user.id, actorRole: auth.user.role, action: 'incident.report.read', resourceType: 'incident_report',
    resourceId: incidentId, clientId: gate.access.client_id, ip, outcome: 'success', detail: { status: view.status, version: view.version },
  });
  return view;
}

async function reportView(db: Db, auth: AuthContext, gate: ReportAccess): Promise<ReportView> {
  const practiceId = auth.practice.id;
  const incidentId = gate.access.id;
  const row = await repo.findReport(db, practiceId, incidentId);
  const clientName = await db.selectFrom('clients').select((eb) => eb.fn.coalesce('preferred_name', 'legal_name').as('name'))
    .where('practice_id', '=', practiceId).where('id', '=', gate.access.client_id).executeTakeFirstOrThrow();
  const client = { id: gate.access.client_id, name: clientName.name };
  const resource = { ...gate.resource, signedByUserId: row?.signed_by ?? null };
  const may = (action: Action) => can(action, auth.actor, resource);

  if (row?.signed_at) {
    const signed = await signedReport(db, practiceId, row);
    return {
      ...signed, client, version: row.version,
      viewer: {
        canEdit: false, canSign: false, canAddAddendum: may('incident.report.write'),
        canCosign: row.status === 'awaiting_review' && may('incident.report.cosign'), canClose: row.status === 'reviewed' && may('incident.report.cosign'),
      },
    };
  }
  const built = await buildFromIncident(db, practiceId, incidentId, auth.practice.timeZone);
  const fields = row ? await decryptDraft(db, practiceId, row) : built.draft;
  const protocolKey = row?.protocol_key ?? built.protocolKey;
  return {
    incidentId, clientId: client.id, client, kind: built.kind, protocolKey, protocolTitle: titleOf(protocolKey), status: 'draft',
    fields, cssrs: built.cssrs, facts: built.facts, version: row?.version ?? 0,
    signature: null, cosignature: null, closed: null, addenda: [],
    viewer: { canEdit: may('incident.report.write'), canSign: may('incident.report.sign'), canAddAddendum: false, canCosign: false, canClose: false },
  };
}

/**
 * The signed report of an incident with its addenda, decrypted, or null when there is
 * none yet (for the PDF and FHIR exports; the caller authorizes and audits).
 */
export async function loadReportForExport(db: Db, practiceId: string, incidentId: string): Promise<SignedReport | null> {
  const row = await repo.findReport(db, practiceId, incidentId);
  return row?.signed_at ? signedReport(db, practiceId, row) : null;
}

async function signedReport(db: Db, practiceId: string, row: IncidentReport): Promise<SignedReport> {
  const [fields, factsText, addendaRows, note] = await Promise.all([
    decryptDraft(db, practiceId, row), decryptText(db, practiceId, row.facts!), repo.listAddenda(db, practiceId, row.incident_id),
    decryptOptional(db, practiceId, row.cosign_note),
  ]);
  const facts = JSON.parse(factsText) as ReportFacts;
  const names = await repo.userNames(db, practiceId, [row.signed_by, row.cosigned_by, row.closed_by, ...addendaRows.map((a) => a.author_id)]);
  const named = (id: string): Named => ({ id, name: names.get(id) ?? 'Someone' });
  const signedAt = row.signed_at!.toISOString();
  const addenda = await Promise.all(addendaRows.map(async (a) => {
    const text = await decryptText(db, practiceId, a.body);
    const at = a.signed_at.toISOString();
    return {
      id: a.id, text, author: named(a.author_id), signedAt: at, contentHash: a.content_hash,
      verified: addendumHash({ incidentId: row.incident_id, id: a.id, text, authorId: a.author_id, signedAt: at, reportHash: row.content_hash! }) === a.content_hash,
    };
  }));
  const content = { incidentId: row.incident_id, kind: row.kind, protocolKey: row.protocol_key, fields, cssrs: row.cssrs, facts, signedBy: row.signed_by!, signedAt };
  return {
    incidentId: row.incident_id, clientId: row.client_id, kind: row.kind, protocolKey: row.protocol_key, protocolTitle: titleOf(row.protocol_key),
    status: row.status as SignedReport['status'], fields, cssrs: row.cssrs, facts,
    signature: { by: named(row.signed_by!), at: signedAt, contentHash: row.content_hash!, verified: sha256(canonical(content)) === row.content_hash },
    cosignature: row.cosigned_at ? { by: named(row.cosigned_by!), at: row.cosigned_at.toISOString(), contentHash: row.cosign_hash!, note } : null,
    closed: row.closed_at ? { by: named(row.closed_by!), at: row.closed_at.toISOString() } : null,
    addenda,
  };
}

// --- the draft -------------------------------------------------------------------------

export interface DraftInput {
  basedOnVersion: number;
  whatHappened: string;
  exactWords?: string | null | undefined;
  riskLevel?: ReportDraft['riskLevel'] | undefined;
  riskJustification?: string | null | undefined;
  mitigationPlan?: string | null | undefined;
}

/** Saves the draft (the first save creates it). A signed report refuses: 409 REPORT_SIGNED. */
export async function saveDraft(db: Db, auth: AuthContext, incidentId: string, input: DraftInput, ip: string | null): Promise<ReportView> {
  const practiceId = auth.practice.id;
  const gate = await authorizeReport(db, auth, incidentId, 'incident.report.write', ip);
  const draft: ReportDraft = {
    whatHappened: input.whatHappened.trim(), exactWords: blankToNull(input.exactWords), riskLevel: input.riskLevel ?? null,
    riskJustification: blankToNull(input.riskJustification), mitigationPlan: blankToNull(input.mitigationPlan),
  };
  const version = await db.transaction().execute(async (trx) => {
    const row = await repo.lockReport(trx, practiceId, incidentId);
    if (row?.signed_at) throw new Problem('REPORT_SIGNED', 'This report is signed and locked. Add an addendum for anything new.');
    if ((row?.version ?? 0) !== input.basedOnVersion) throw new Problem('REPORT_CHANGED', 'Someone saved this report meanwhile. Reload it, then make your change again.');
    const built = await buildFromIncident(trx, practiceId, incidentId, auth.practice.timeZone);
    refuseClientDetail(built.kind, draft);
    const stored = { ...(await encryptDraft(trx, practiceId, draft)), cssrs: built.cssrs };
    let saved = 1;
    if (row) saved = await repo.updateDraft(trx, practiceId, incidentId, auth.user.id, stored);
    else if (!await repo.insertDraft(trx, { practiceId, incidentId, clientId: gate.access.client_id, protocolKey: built.protocolKey, kind: built.kind, by: auth.user.id, draft: stored })) {
      throw new Problem('REPORT_CHANGED', 'Someone saved this report meanwhile. Reload it, then make your change again.');
    }
    await appendAuditEvent(trx, {
      practiceId, actorUserId: auth.user.id, actorRole: auth.user.role, action: 'incident.report.write', resourceType: 'incident_report',
      resourceId: incidentId, clientId: gate.access.client_id, ip, outcome: 'success', detail: { version: saved, created: !row },
    });
    return saved;
  });
  return { ...(await reportView(db, auth, gate)), version };
}

// --- signing -----------------------------------------------------------------------------

/**
 * The clinician signs the version they read: the facts are frozen with it, the content
 * hashed, and from then on the report is locked. It then awaits the supervisor's review.
 */
export async function signReport(db: Db, auth: AuthContext, incidentId: string, input: { version: number }, ip: string | null): Promise<ReportView> {
  const practiceId = auth.practice.id;
  const gate = await authorizeReport(db, auth, incidentId, 'incident.report.sign', ip);
  await db.transaction().execute(async (trx) => {
    const row = await repo.lockReport(trx, practiceId, incidentId);
    if (!row) throw new Problem('REPORT_NOT_SAVED', 'Save the draft first, then sign it.');
    if (row.signed_at) throw new Problem('REPORT_SIGNED', 'This report is already signed.');
    if (row.version !== input.version) throw new Problem('REPORT_CHANGED', 'The draft changed since you read it. Read it again before signing.');
    const fields = await decryptDraft(trx, practiceId, row);
    const missing = missingForSignature(row.kind, fields);
    if (missing.length) {
      throw new Problem('REPORT_INCOMPLETE', `Before signing, fill in: ${missing.map((m) => FIELD_NAMES[m]).join(', ')}.`, {
        errors: missing.map((m) => ({ path: m, message: `${FIELD_NAMES[m]} is needed before signing` })),
      });
    }
    const built = await buildFromIncident(trx, practiceId, incidentId, auth.practice.timeZone);
    const at = new Date();
    const content = { incidentId, kind: row.kind, protocolKey: row.protocol_key, fields, cssrs: built.cssrs, facts: built.facts, signedBy: auth.user.id, signedAt: at.toISOString() };
    const hash = sha256(canonical(content));
    await repo.markSigned(trx, practiceId, incidentId, { by: auth.user.id, at, facts: await encryptText(trx, practiceId, JSON.stringify(built.facts)), cssrs: built.cssrs, hash });
    await insertTimeline(trx, practiceId, incidentId, [{ at, actorUserId: auth.user.id, runId: null, stepId: null, kind: 'incident', what: `Incident report signed by ${auth.user.name}` }]);
    await appendAuditEvent(trx, {
      practiceId, actorUserId: auth.user.id, actorRole: auth.user.role, action: 'incident.report.sign', resourceType: 'incident_report',
      resourceId: incidentId, clientId: gate.access.client_id, ip, outcome: 'success', detail: { version: row.version, contentHash: hash, status: 'awaiting_review' },
    });
  });
  return reportView(db, auth, gate);
}

/** A later change to a signed report: an addendum, signed by its author, never changed. */
export async function addAddendum(db: Db, auth: AuthContext, incidentId: string, input: { id?: string | undefined; text: string }, ip: string | null): Promise<ReportView> {
  const practiceId = auth.practice.id;
  const gate = await authorizeReport(db, auth, incidentId, 'incident.report.write', ip);
  const id = input.id ?? randomUUID();
  const text = input.text.trim();
  await db.transaction().execute(async (trx) => {
    const row = await repo.lockReport(trx, practiceId, incidentId);
    if (!row?.signed_at) throw new Problem('REPORT_NOT_SIGNED', 'A draft is edited directly; addenda are for a signed report.');
    const earlier = await repo.findAddendum(trx, practiceId, id);
    if (earlier) {
      // A resent addendum (same id) is the one written, if it is the same.
      if (earlier.incident_id !== incidentId || earlier.author_id !== auth.user.id || await decryptText(trx, practiceId, earlier.body) !== text) {
        throw new Problem('RECORD_ID_REUSED', 'That addendum id belongs to another addendum. Make a new id.');
      }
      return;
    }
    const at = new Date();
    const hash = addendumHash({ incidentId, id, text, authorId: auth.user.id, signedAt: at.toISOString(), reportHash: row.content_hash! });
    await repo.insertAddendum(trx, { practiceId, id, incidentId, body: await encryptText(trx, practiceId, text), authorId: auth.user.id, signedAt: at, hash });
    await insertTimeline(trx, practiceId, incidentId, [{ at, actorUserId: auth.user.id, runId: null, stepId: null, kind: 'incident', what: `Addendum to the incident report by ${auth.user.name}` }]);
    await appendAuditEvent(trx, {
      practiceId, actorUserId: auth.user.id, actorRole: auth.user.role, action: 'incident.report.write', resourceType: 'incident_report_addendum',
      resourceId: id, clientId: gate.access.client_id, ip, outcome: 'success', detail: { incidentId, contentHash: hash },
    });
  });
  return reportView(db, auth, gate);
}

// --- supervisor review ---------------------------------------------------------------------

/** The signer's supervisor co-signs what was signed and every addendum so far. */
export async function cosignReport(db: Db, auth: AuthContext, incidentId: string, input: { note?: string | null | undefined }, ip: string | null): Promise<ReportView> {
  const practiceId = auth.practice.id;
  const gate = await authorizeReport(db, auth, incidentId, 'incident.report.cosign', ip);
  const note = blankToNull(input.note);
  await db.transaction().execute(async (trx) => {
    const row = await repo.lockReport(trx, practiceId, incidentId);
    if (!row?.signed_at) throw new Problem('REPORT_NOT_SIGNED', 'The clinician has not signed this report yet.');
    if (row.status !== 'awaiting_review') throw new Problem('REPORT_ALREADY_REVIEWED', 'This report has already been co-signed.');
    const addenda = await repo.listAddenda(trx, practiceId, incidentId);
    const at = new Date();
    const hash = sha256(canonical({ reportHash: row.content_hash, addenda: addenda.map((a) => a.content_hash), note, cosignedBy: auth.user.id, cosignedAt: at.toISOString() }));
    await repo.markCosigned(trx, practiceId, incidentId, { by: auth.user.id, at, note: await encryptOptional(trx, practiceId, note), hash });
    await insertTimeline(trx, practiceId, incidentId, [{ at, actorUserId: auth.user.id, runId: null, stepId: null, kind: 'incident', what: `Incident report reviewed and co-signed by ${auth.user.name}` }]);
    await appendAuditEvent(trx, {
      practiceId, actorUserId: auth.user.id, actorRole: auth.user.role, action: 'incident.report.cosign', resourceType: 'incident_report',
      resourceId: incidentId, clientId: gate.access.client_id, ip, outcome: 'success', detail: { cosignHash: hash, addenda: addenda.length, status: 'reviewed' },
    });
  });
  return reportView(db, auth, gate);
}

/** Closes the review of a co-signed report. Addenda may still follow. */
export async function closeReport(db: Db, auth: AuthContext, incidentId: string, ip: string | null): Promise<ReportView> {
  const practiceId = auth.practice.id;
  const gate = await authorizeReport(db, auth, incidentId, 'incident.report.cosign', ip);
  await db.transaction().execute(async (trx) => {
    const row = await repo.lockReport(trx, practiceId, incidentId);
    if (!row?.signed_at) throw new Problem('REPORT_NOT_SIGNED', 'The clinician has not signed this report yet.');
    if (row.status === 'awaiting_review') throw new Problem('REPORT_NOT_REVIEWED', 'Co-sign the report before closing it.');
    if (row.status === 'closed') throw new Problem('REPORT_ALREADY_CLOSED', 'This report is already closed.');
    const at = new Date();
    await repo.markClosed(trx, practiceId, incidentId, auth.user.id, at);
    await insertTimeline(trx, practiceId, incidentId, [{ at, actorUserId: auth.user.id, runId: null, stepId: null, kind: 'incident', what: `Incident report closed by ${auth.user.name}` }]);
    await appendAuditEvent(trx, {
      practiceId, actorUserId: auth.user.id, actorRole: auth.user.role, action: 'incident.report.cosign', resourceType: 'incident_report',
      resourceId: incidentId, clientId: gate.access.client_id, ip, outcome: 'success', detail: { status: 'closed' },
    });
  });
  return reportView(db, auth, gate);
}

export interface ReviewQueueItem {
  incidentId: string; client: Named; protocolKey: string; protocolTitle: string; kind: ReportKind; status: ReportStatus;
  signedBy: Named; signedAt: string; addenda: number;
}

/** A supervisor's "Reviews waiting": their supervisees' signed reports in one review status. */
export async function listReviewQueue(db: Db, auth: AuthContext, status: ReportStatus, ip: string | null): Promise<ReviewQueueItem[]> {
  const rows = await repo.reviewQueue(db, auth.practice.id, auth.actor.superviseeIds ?? [], status);
  await appendAuditEvent(db, {
    practiceId: auth.practice.id, actorUserId: auth.user.id, actorRole: auth.user.role, action: 'reports.review_queue', resourceType: 'incident_report_list',
    resourceId: null, ip, outcome: 'success', detail: { status, count: rows.length, clientIds: [...new Set(rows.map((r) => r.client_id))] },
  });
  return rows.map((r) => ({
    incidentId: r.incident_id, client: { id: r.client_id, name: r.client_name }, protocolKey: r.protocol_key, protocolTitle: titleOf(r.protocol_key),
    kind: r.kind, status: r.status, signedBy: { id: r.signed_by, name: r.signer_name }, signedAt: r.signed_at.toISOString(), addenda: r.addenda,
  }));
}

// --- helpers -------------------------------------------------------------------------------

const FIELD_NAMES: Record<string, string> = {
  whatHappened: 'what happened', riskLevel: 'the risk level', riskJustification: 'the clinical justification', mitigationPlan: 'the mitigation plan',
  exactWords: "the client's exact words",
};

function refuseClientDetail(kind: ReportKind, draft: ReportDraft) {
  const detail = clientDetailIn(kind, draft);
  if (detail.length) {
    throw new Problem('REPORT_NO_CLIENT_DETAIL', `The report of your own emergency says what happened to the session, without ${detail.map((d) => FIELD_NAMES[d]).join(', ')}.`, {
      errors: detail.map((d) => ({ path: d, message: 'Not part of the report of your own emergency' })),
    });
  }
}

/** Reads the incident and builds the report's facts and prefill (narrative decrypted first). */
async function buildFromIncident(db: Db | Trx, practiceId: string, incidentId: string, timeZone: string): Promise<BuiltReport & { protocolKey: string }> {
  const parts = await repo.readIncidentForReport(db, practiceId, incidentId);
  const name = (id: string | null) => (id ? parts.userNames.get(id) ?? 'Someone' : null);
  // The runs' documented words come decrypted from readIncidentParts (incidents/run-texts.ts).
  const runs = parts.runs.map((r) => ({ protocolKey: r.protocol_key, startedAt: r.started_at, status: r.status, state: r.state }));
  const timeline = await Promise.all(parts.timeline.map(async (t) => ({ at: t.at, by: name(t.actor_user_id), kind: t.kind, what: await decryptText(db, practiceId, t.what) })));
  const record: IncidentRecord = {
    protocolKey: parts.incident.protocol_key, openedAt: parts.incident.opened_at, openedBy: name(parts.incident.opened_by)!, closedAt: parts.incident.closed_at,
    runs, timeline,
    pages: parts.pages.map((p) => ({
      reason: p.reason, createdAt: p.created_at, status: p.status, acknowledgedBy: name(p.acknowledged_by), acknowledgedAt: p.acknowledged_at,
      notified: [...new Set(parts.recipients.filter((r) => r.page_id === p.id).map((r) => name(r.user_id)!))],
    })),
    disclosures: parts.disclosures.map((d) => ({
      recipientKind: d.recipient_kind, recipientName: d.recipient_name, recipientContact: d.recipient_contact, whatWasSaid: d.what_was_said,
      legalBasis: d.legal_basis, purpose: d.purpose, disclosedAt: d.disclosed_at,
    })),
    followUps: parts.followUps.map((f) => ({ title: f.title, dueAt: f.due_at, status: f.status, assignedTo: name(f.assigned_to)! })),
    session: parts.session ? {
      modality: parts.session.modality, startedAt: parts.session.started_at, endedAt: parts.session.ended_at, endedEarly: parts.session.ended_early,
      endReason: parts.session.end_reason, rescheduledTo: parts.session.rescheduled_to,
    } : null,
  };
  return { ...buildReport(record, timeZone), protocolKey: parts.incident.protocol_key };
}

async function encryptDraft(db: Db | Trx, practiceId: string, d: ReportDraft) {
  return {
    whatHappened: await encryptText(db, practiceId, d.whatHappened), exactWords: await encryptOptional(db, practiceId, d.exactWords), riskLevel: d.riskLevel,
    riskJustification: await encryptOptional(db, practiceId, d.riskJustification), mitigationPlan: await encryptOptional(db, practiceId, d.mitigationPlan),
  };
}

async function decryptDraft(db: Db | Trx, practiceId: string, row: IncidentReport): Promise<ReportDraft> {
  return {
    whatHappened: await decryptText(db, practiceId, row.what_happened), exactWords: await decryptOptional(db, practiceId, row.exact_words),
    riskLevel: row.risk_level, riskJustification: await decryptOptional(db, practiceId, row.risk_justification),
    mitigationPlan: await decryptOptional(db, practiceId, row.mitigation_plan),
  };
}

function addendumHash(a: { incidentId: string; id: string; text: string; authorId: string; signedAt: string; reportHash: string }): string {
  return sha256(canonical(a));
}

function titleOf(protocolKey: string): string {
  return builtInProtocol(protocolKey)?.title ?? protocolKey;
}

function blankToNull(value: string | null | undefined): string | null {
  const trimmed = value?.trim();
  return trimmed ? trimmed : null;
}

export function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** JSON with object keys sorted at every level: the same content always hashes the same. */
export function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => (v && typeof v === 'object' && !Array.isArray(v)
    ? Object.fromEntries(Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined).sort(([a], [b]) => a.localeCompare(b)))
    : v));
}

