/**
 * Builds an incident report's facts and first draft from what the incident recorded:
 * its protocol runs (pinned definitions and step states), timeline, pages, disclosures,
 * follow-ups and session. Pure: the service reads the rows and decrypts, this decides.
 *
 * The report of a clinician's own emergency (protocol `clinician-emergency`, seed 000;
 * SCENARIOS S3) says what happened to the session and holds none of the client's
 * clinical detail: no exact words, no risk level, no C-SSRS, no disclosures, no notes.
 */
import { CSSRS_ITEMS, type CssrsAnswers, type CssrsRisk } from '../../domain/cssrs.ts';
import type { RunState } from '../../domain/protocols/run.ts';
import type { CssrsResult, ReportKind, RiskLevel } from './reports.table.ts';

export const CLINICIAN_EMERGENCY = 'clinician-emergency';

export function reportKindOf(protocolKey: string): ReportKind {
  return protocolKey === CLINICIAN_EMERGENCY ? 'clinician_emergency' : 'client';
}

export interface ReportFacts {
  protocols: { key: string; title: string; startedAt: string; status: 'open' | 'completed' }[];
  openedAt: string;
  openedBy: string;
  closedAt: string | null;
  session: {
    modality: string; startedAt: string; endedAt: string | null; endedEarly: boolean | null; endReason: string | null; rescheduledTo: string | null;
  } | null;
  /** What was done, in order: the protocol's steps, pages, session changes (and, for a client's emergency, notes). */
  actions: { at: string; by: string | null; what: string }[];
  /** Who was contacted: the people paged (and who acknowledged), and the client's emergency contacts told. */
  contacted: {
    pages: { reason: string; at: string; notified: string[]; acknowledgedBy: string | null; acknowledgedAt: string | null; status: string }[];
    emergencyContacts: { name: string; contact: string | null; at: string; whatWasSaid: string }[];
  };
  /** Disclosures outside treatment (HIPAA 45 CFR 164.528): recipient, what, legal basis. */
  disclosures: { recipientKind: string; recipientName: string; recipientContact: string | null; whatWasSaid: string; legalBasis: string; purpose: string; at: string }[];
  followUps: { title: string; dueAt: string; status: string; assignedTo: string }[];
}

export interface ReportDraft {
  whatHappened: string;
  exactWords: string | null;
  riskLevel: RiskLevel | null;
  riskJustification: string | null;
  mitigationPlan: string | null;
}

/** The incident as the builder needs it, narrative already decrypted, names resolved. */
export interface IncidentRecord {
  protocolKey: string;
  openedAt: Date;
  openedBy: string;
  closedAt: Date | null;
  runs: { protocolKey: string; startedAt: Date; status: 'open' | 'completed'; state: RunState }[];
  timeline: { at: Date; by: string | null; kind: string; what: string }[];
  pages: { reason: string; createdAt: Date; status: string; notified: string[]; acknowledgedBy: string | null; acknowledgedAt: Date | null }[];
  disclosures: { recipientKind: string; recipientName: string; recipientContact: string | null; whatWasSaid: string; legalBasis: string; purpose: string; disclosedAt: Date }[];
  followUps: { title: string; dueAt: Date; status: string; assignedTo: string }[];
  session: { modality: string; startedAt: Date; endedAt: Date | null; endedEarly: boolean | null; endReason: string | null; rescheduledTo: Date | null } | null;
}

export interface BuiltReport {
  kind: ReportKind;
  facts: ReportFacts;
  cssrs: CssrsResult | null;
  draft: ReportDraft;
}

export function buildReport(incident: IncidentRecord, timeZone: string): BuiltReport {
  const kind = reportKindOf(incident.protocolKey);
  const clientDetail = kind === 'client';
  const iso = (d: Date) => d.toISOString();
  const facts: ReportFacts = {
    protocols: incident.runs.map((r) => ({ key: r.protocolKey, title: r.state.definition.title, startedAt: iso(r.startedAt), status: r.status })),
    openedAt: iso(incident.openedAt),
    openedBy: incident.openedBy,
    closedAt: incident.closedAt ? iso(incident.closedAt) : null,
    session: incident.session && {
      modality: incident.session.modality, startedAt: iso(incident.session.startedAt), endedAt: incident.session.endedAt ? iso(incident.session.endedAt) : null,
      endedEarly: incident.session.endedEarly, endReason: incident.session.endReason, rescheduledTo: incident.session.rescheduledTo ? iso(incident.session.rescheduledTo) : null,
    },
    // Notes and disclosure entries may carry the client's words: not in the clinician's own emergency.
    actions: incident.timeline.filter((t) => clientDetail || (t.kind !== 'note' && t.kind !== 'disclosure'))
      .map((t) => ({ at: iso(t.at), by: t.by, what: t.what })),
    contacted: {
      pages: incident.pages.map((p) => ({
        reason: p.reason, at: iso(p.createdAt), notified: p.notified, acknowledgedBy: p.acknowledgedBy, acknowledgedAt: p.acknowledgedAt ? iso(p.acknowledgedAt) : null, status: p.status,
      })),
      emergencyContacts: clientDetail
        ? incident.disclosures.filter((d) => d.recipientKind === 'emergency_contact')
          .map((d) => ({ name: d.recipientName, contact: d.recipientContact, at: iso(d.disclosedAt), whatWasSaid: d.whatWasSaid }))
        : [],
    },
    disclosures: clientDetail
      ? incident.disclosures.map((d) => ({
        recipientKind: d.recipientKind, recipientName: d.recipientName, recipientContact: d.recipientContact, whatWasSaid: d.whatWasSaid,
        legalBasis: d.legalBasis, purpose: d.purpose, at: iso(d.disclosedAt),
      }))
      : [],
    followUps: incident.followUps.map((f) => ({ title: f.title, dueAt: iso(f.dueAt), status: f.status, assignedTo: f.assignedTo })),
  };
  const cssrs = clientDetail ? latestCssrs(incident.runs) : null;
  const draft = clientDetail ? clientDraft(incident, cssrs, timeZone) : clinicianEmergencyDraft(incident, timeZone);
  return { kind, facts, cssrs, draft };
}

/** Checks a draft against the kind of report: the clinician's own emergency holds no client detail. */
export function clientDetailIn(kind: ReportKind, draft: ReportDraft): string[] {
  if (kind === 'client') return [];
  const fields: (keyof ReportDraft)[] = ['exactWords', 'riskLevel', 'riskJustification', 'mitigationPlan'];
  return fields.filter((f) => draft[f] !== null && draft[f] !== '');
}

/** What a signature needs (NPSG 15.01.01 for a client's emergency: the risk, why, and the plan). */
export function missingForSignature(kind: ReportKind, draft: ReportDraft): string[] {
  const missing: string[] = [];
  if (!draft.whatHappened.trim()) missing.push('whatHappened');
  if (kind === 'client') {
    if (!draft.riskLevel) missing.push('riskLevel');
    if (!draft.riskJustification?.trim()) missing.push('riskJustification');
    if (!draft.mitigationPlan?.trim()) missing.push('mitigationPlan');
  }
  return missing;
}

function clientDraft(incident: IncidentRecord, cssrs: CssrsResult | null, timeZone: string): ReportDraft {
  const when = formatIn(incident.openedAt, timeZone);
  const titles = [...new Set(incident.runs.map((r) => r.state.definition.title))].join(', then ');
  const where = incident.session ? ` during a ${incident.session.modality === 'telehealth' ? 'video' : 'in-person'} session` : '';
  const notes = documented(incident.runs, 'notes');
  const exactWords = documented(incident.runs, 'exact_words');
  const followUps = incident.followUps.filter((f) => f.status !== 'cancelled')
    .map((f) => `${f.title} (due ${formatIn(f.dueAt, timeZone)}, ${f.assignedTo})`);
  return {
    whatHappened: [`${titles}: opened ${when}${where} by ${incident.openedBy}.`, ...notes].join('\n\n'),
    exactWords: exactWords.length ? exactWords.join('\n\n') : null,
    // NPSG 15.01.01: prefilled from the screener when there is one; the clinician decides.
    riskLevel: cssrs?.risk ?? null,
    riskJustification: cssrs ? cssrsSummary(cssrs) : null,
    mitigationPlan: followUps.length ? `Follow-ups: ${followUps.join('; ')}.` : null,
  };
}

function clinicianEmergencyDraft(incident: IncidentRecord, timeZone: string): ReportDraft {
  const s = incident.session;
  const parts = [`The clinician's own urgent emergency, ${formatIn(incident.openedAt, timeZone)}.`];
  if (s?.endedAt) parts.push(s.endedEarly ? `The session ended early at ${formatIn(s.endedAt, timeZone)}.` : `The session ended at ${formatIn(s.endedAt, timeZone)}.`);
  if (s?.rescheduledTo) parts.push(`A priority reschedule was booked for ${formatIn(s.rescheduledTo, timeZone)}.`);
  parts.push(...documented(incident.runs, 'notes'));
  return { whatHappened: parts.join(' '), exactWords: null, riskLevel: null, riskJustification: null, mitigationPlan: null };
}

/** The texts of the done documentation steps of one field, in protocol order. */
function documented(runs: IncidentRecord['runs'], field: 'exact_words' | 'notes'): string[] {
  return runs.flatMap((r) => r.state.definition.steps
    .filter((s) => s.kind === 'documentation' && s.field === field)
    .map((s) => r.state.steps[s.id])
    .filter((st) => st?.status === 'done' && typeof st.text === 'string' && st.text.trim() !== '')
    .map((st) => st!.text!.trim()));
}

/** The last C-SSRS screener scored in any run of the incident. */
function latestCssrs(runs: IncidentRecord['runs']): CssrsResult | null {
  let found: CssrsResult | null = null;
  for (const r of runs) {
    for (const step of r.state.definition.steps) {
      const st = r.state.steps[step.id];
      if (step.kind !== 'assessment' || st?.status !== 'done' || !st.answers) continue;
      if (!found || (st.at ?? '') >= (found.at ?? '')) found = { risk: st.value as CssrsRisk, answers: st.answers, at: st.at ?? null };
    }
  }
  return found;
}

export function cssrsSummary(c: { risk: CssrsRisk; answers: CssrsAnswers }): string {
  const items = CSSRS_ITEMS.filter((i) => c.answers[i.key] !== undefined)
    .map((i) => `${i.key.slice(1)} ${c.answers[i.key] ? 'yes' : 'no'}`);
  return `C-SSRS screener (recent): items ${items.join(', ')}; triage ${c.risk}.`;
}

function formatIn(d: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-US', { timeZone, dateStyle: 'medium', timeStyle: 'short' }).format(d);
}
