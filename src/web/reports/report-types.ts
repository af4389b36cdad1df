// The incident report as the API sends it (src/modules/reports/reports.routes.ts).
export type Named = { id: string; name: string };
export type RiskLevel = 'none' | 'low' | 'moderate' | 'high';
export type ReportStatus = 'draft' | 'awaiting_review' | 'reviewed' | 'closed';

export interface ReportFields {
  whatHappened: string;
  exactWords: string | null;
  riskLevel: RiskLevel | null;
  riskJustification: string | null;
  mitigationPlan: string | null;
}

export interface ReportFacts {
  protocols: { key: string; title: string; startedAt: string; status: 'open' | 'completed' }[];
  openedAt: string;
  openedBy: string;
  closedAt: string | null;
  session: { modality: string; startedAt: string; endedAt: string | null; endedEarly: boolean | null; endReason: string | null; rescheduledTo: string | null } | null;
  actions: { at: string; by: string | null; what: string }[];
  contacted: {
    pages: { reason: string; at: string; notified: string[]; acknowledgedBy: string | null; acknowledgedAt: string | null; status: string }[];
    emergencyContacts: { name: string; contact: string | null; at: string; whatWasSaid: string }[];
  };
  disclosures: { recipientKind: string; recipientName: string; recipientContact: string | null; whatWasSaid: string; legalBasis: string; purpose: string; at: string }[];
  followUps: { title: string; dueAt: string; status: string; assignedTo: string }[];
}

export interface Signature { by: Named; at: string; contentHash: string }

export interface Report {
  incidentId: string;
  clientId: string;
  client: Named;
  kind: 'client' | 'clinician_emergency';
  protocolKey: string;
  protocolTitle: string;
  status: ReportStatus;
  version: number;
  fields: ReportFields;
  cssrs: { risk: RiskLevel; answers: Record<string, boolean>; at: string | null } | null;
  facts: ReportFacts;
  signature: (Signature & { verified: boolean }) | null;
  cosignature: (Signature & { note: string | null }) | null;
  closed: { by: Named; at: string } | null;
  addenda: { id: string; text: string; author: Named; signedAt: string; contentHash: string; verified: boolean }[];
  viewer: { canEdit: boolean; canSign: boolean; canAddAddendum: boolean; canCosign: boolean; canClose: boolean };
}

export interface ReviewItem {
  incidentId: string; client: Named; protocolKey: string; protocolTitle: string; kind: Report['kind']; status: ReportStatus;
  signedBy: Named; signedAt: string; addenda: number;
}

export const STATUS_WORDS: Record<ReportStatus, string> = {
  draft: 'Draft',
  awaiting_review: 'Signed · awaiting review',
  reviewed: 'Reviewed and co-signed',
  closed: 'Closed',
};

export const RISK_WORDS: Record<RiskLevel, string> = { none: 'No risk identified', low: 'Low', moderate: 'Moderate', high: 'High' };

export function reportPath(incidentId: string, suffix = ''): string {
  return `/api/incidents/${encodeURIComponent(incidentId)}/report${suffix}`;
}
