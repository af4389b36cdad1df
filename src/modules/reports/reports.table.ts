import type { ColumnType, JSONColumnType, Selectable } from 'kysely';
import type { CssrsAnswers, CssrsRisk } from '../../domain/cssrs.ts';

export type ReportKind = 'client' | 'clinician_emergency';
export type ReportStatus = 'draft' | 'awaiting_review' | 'reviewed' | 'closed';
export type RiskLevel = 'none' | 'low' | 'moderate' | 'high';

export interface CssrsResult { risk: CssrsRisk; answers: CssrsAnswers; at: string | null }

/** One report per incident (migrations/0005_incident_reports.ts); narrative columns hold ciphertext. */
export interface IncidentReportTable {
  practice_id: string;
  incident_id: string;
  client_id: string;
  protocol_key: string;
  kind: ReportKind;
  status: ColumnType<ReportStatus, ReportStatus | undefined, ReportStatus>;
  what_happened: string;
  exact_words: string | null;
  risk_level: RiskLevel | null;
  risk_justification: string | null;
  mitigation_plan: string | null;
  cssrs: JSONColumnType<CssrsResult | null, string | null, string | null>;
  facts: string | null;
  version: number;
  created_by: string;
  created_at: ColumnType<Date, Date | undefined, never>;
  updated_by: string;
  updated_at: ColumnType<Date, Date | undefined, Date>;
  signed_by: string | null;
  signed_at: Date | null;
  content_hash: string | null;
  cosigned_by: string | null;
  cosigned_at: Date | null;
  cosign_note: string | null;
  cosign_hash: string | null;
  closed_by: string | null;
  closed_at: Date | null;
}
export type IncidentReport = Selectable<IncidentReportTable>;

/** Append-only (a trigger refuses UPDATE and DELETE); `body` holds ciphertext. */
export interface IncidentReportAddendumTable {
  practice_id: string;
  id: string;
  incident_id: string;
  body: string;
  author_id: string;
  signed_at: Date;
  content_hash: string;
}
export type IncidentReportAddendum = Selectable<IncidentReportAddendumTable>;
