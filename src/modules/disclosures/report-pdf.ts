/**
 * The signed incident report as a PDF on the shared layout (src/server/pdf.ts): what the
 * clinician signed, the signatures with the SHA-256 of what each signed, and the addenda
 * after it. The report itself is helper E's (src/modules/reports): read through
 * `loadReportForExport`. The report of a clinician's own emergency carries no client
 * detail, so neither does its PDF (not even the client's name).
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../server/database.ts';
import { PdfDocument } from '../../server/pdf.ts';
import { Problem } from '../../server/problems.ts';
import { can } from '../../domain/permissions.ts';
import { appendAuditEvent } from '../audit/audit.repository.ts';
import { breakGlassIncidentAccess } from '../break-glass/break-glass-access.ts';
import type { AuthContext, RequestMeta } from '../auth/auth.service.ts';
import { findIncidentForAccess } from '../incidents/incidents.repository.ts';
import { loadReportForExport, type SignedReport } from '../reports/reports.service.ts';
import { displayPhone } from '../safety-plans/safety-plan-pdf.ts';
import { findClientNames } from './disclosures.repository.ts';

type Db = Kysely<Database>;

const STATUS: Record<SignedReport['status'], string> = {
  awaiting_review: 'Signed; awaiting supervisor review',
  reviewed: 'Reviewed and co-signed by the supervisor',
  closed: 'Reviewed, co-signed and closed',
};
const RISK: Record<string, string> = { none: 'None', low: 'Low', moderate: 'Moderate', high: 'High' };

/** The PDF of an incident's signed report; 404 to anyone outside the client's care team, or before it is signed. */
export async function incidentReportPdf(db: Db, auth: AuthContext, incidentId: string, meta: RequestMeta, options: { compress?: boolean } = {}): Promise<Buffer> {
  const practiceId = auth.practice.id;
  const access = await findIncidentForAccess(db, practiceId, incidentId);
  const allowed = access !== undefined && (can('incident.report.read', auth.actor, { practiceId, assignedClinicianIds: access.assigned, pagedUserIds: access.paged })
    // Break-glass (issue 6): read-only under a grant on the client, audited as such.
    || await breakGlassIncidentAccess(db, auth, access, 'incident.report.read', meta.ip, { type: 'incident_report', id: incidentId }) !== null);
  if (!allowed) {
    await appendAuditEvent(db, {
      practiceId, actorUserId: auth.user.id, actorRole: auth.user.role, action: 'incident.report.read', resourceType: 'incident_report',
      resourceId: incidentId, clientId: access?.client_id ?? null, ip: meta.ip, outcome: 'denied', detail: { format: 'pdf' },
    });
    throw new Problem('NOT_FOUND', 'No such incident.');
  }
  const report = await loadReportForExport(db, practiceId, incidentId);
  if (!report) throw new Problem('NOT_FOUND', 'This incident has no signed report yet.');
  const names = report.kind === 'client' ? await findClientNames(db, practiceId, report.clientId) : undefined;
  const pdf = await renderIncidentReportPdf(report, {
    practiceName: auth.practice.name, timeZone: auth.practice.timeZone, clientName: names ? (names.preferred_name ?? names.legal_name) : null,
  }, options);
  await appendAuditEvent(db, {
    practiceId, actorUserId: auth.user.id, actorRole: auth.user.role, action: 'incident.report.read', resourceType: 'incident_report',
    resourceId: incidentId, clientId: report.clientId, ip: meta.ip, outcome: 'success', detail: { format: 'pdf', addenda: report.addenda.length },
  });
  return pdf;
}

export function renderIncidentReportPdf(
  r: SignedReport, ctx: { practiceName: string; timeZone: string; clientName: string | null }, options: { compress?: boolean } = {},
): Promise<Buffer> {
  const when = (iso: string) => new Intl.DateTimeFormat('en-US', { timeZone: ctx.timeZone, dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
  const own = r.kind === 'clinician_emergency';
  const pdf = new PdfDocument({
    title: 'Incident report', practiceName: ctx.practiceName, compress: options.compress ?? true,
    footer: `Incident report: ${r.protocolTitle}, opened ${when(r.facts.openedAt)}`,
  });
  pdf.title('Incident report').subtitle(r.protocolTitle);
  pdf.space(0.3);
  if (own) pdf.text("The clinician's own emergency: this report holds no client detail.", 'muted');
  else if (ctx.clientName) pdf.field('Client', ctx.clientName);
  pdf.field('Opened', `${when(r.facts.openedAt)} by ${r.facts.openedBy}`);
  if (r.facts.closedAt) pdf.field('Incident closed', when(r.facts.closedAt));
  pdf.field('Status', STATUS[r.status]);

  pdf.heading('What happened').text(r.fields.whatHappened);
  if (!own && r.fields.exactWords) pdf.heading("The client's exact words").text(`“${r.fields.exactWords}”`);
  if (!own) {
    // Joint Commission NPSG 15.01.01: the risk, its clinical justification and the plan to mitigate it.
    pdf.heading('Risk');
    if (r.cssrs) pdf.field('C-SSRS screener', `${RISK[r.cssrs.risk] ?? r.cssrs.risk}${r.cssrs.at ? ` (${when(r.cssrs.at)})` : ''}`);
    pdf.field('Risk level', r.fields.riskLevel ? RISK[r.fields.riskLevel] ?? r.fields.riskLevel : 'Not recorded');
    pdf.field('Clinical justification', r.fields.riskJustification ?? 'Not recorded');
    pdf.field('Mitigation plan', r.fields.mitigationPlan ?? 'Not recorded');
  }
  if (r.facts.actions.length > 0) {
    pdf.heading('Actions');
    pdf.list(r.facts.actions.map((a) => `${when(a.at)} — ${a.what}${a.by ? ` (${a.by})` : ''}`));
  }
  const contacted = [
    ...r.facts.contacted.pages.map((p) => `${when(p.at)} — paged ${p.notified.join(', ') || 'nobody'}: ${p.reason}${p.acknowledgedBy ? `; acknowledged by ${p.acknowledgedBy}` : ` (${p.status})`}`),
    ...(own ? [] : r.facts.contacted.emergencyContacts.map((c) => `${when(c.at)} — ${c.name}${c.contact ? `, ${displayPhone(c.contact)}` : ''}: ${c.whatWasSaid}`)),
  ];
  if (contacted.length > 0) pdf.heading('Who was contacted').list(contacted);
  if (!own && r.facts.disclosures.length > 0) {
    pdf.heading('Disclosures (HIPAA 45 CFR 164.528)');
    pdf.list(r.facts.disclosures.map((d) => `${when(d.at)} — ${d.recipientName}: ${d.whatWasSaid} Purpose: ${d.purpose}. Legal basis: ${d.legalBasis}.`));
  }
  if (r.facts.followUps.length > 0) {
    pdf.heading('Follow-ups').list(r.facts.followUps.map((f) => `${f.title} — due ${when(f.dueAt)}, ${f.assignedTo} (${f.status.replaceAll('_', ' ')})`));
  }

  pdf.heading('Signatures');
  pdf.field('Signed', `${r.signature.by.name}, ${when(r.signature.at)}`);
  pdf.text(`SHA-256 of the signed content: ${r.signature.contentHash}${r.signature.verified ? ' (verified)' : ' (DOES NOT MATCH the content)'}`, 'muted');
  if (r.cosignature) {
    pdf.space(0.3).field('Reviewed and co-signed', `${r.cosignature.by.name}, ${when(r.cosignature.at)}`);
    if (r.cosignature.note) pdf.field('Review note', r.cosignature.note);
    pdf.text(`SHA-256: ${r.cosignature.contentHash}`, 'muted');
  } else {
    pdf.space(0.3).text('Not yet co-signed by a supervisor.', 'italic');
  }
  if (r.closed) pdf.space(0.3).field('Review closed', `${r.closed.by.name}, ${when(r.closed.at)}`);

  if (r.addenda.length > 0) {
    pdf.heading('Addenda');
    r.addenda.forEach((a, i) => {
      pdf.keepTogether(80);
      pdf.text(`Addendum ${i + 1} — ${a.author.name}, ${when(a.signedAt)}`, 'strong').text(a.text);
      pdf.text(`SHA-256: ${a.contentHash}${a.verified ? ' (verified)' : ' (DOES NOT MATCH the content)'}`, 'muted').space(0.5);
    });
  }
  return pdf.finish();
}
