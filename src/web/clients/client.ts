// What the /api/clients endpoints send, and the plain words we show for it.

export type RiskLevel = 'none' | 'low' | 'moderate' | 'high';
export type PolicyStatus = 'current' | 'outdated' | 'missing' | 'no_policy';
export type ReadinessGap = 'no_safety_plan' | 'no_emergency_contact' | 'policy_missing' | 'policy_outdated';
export type ConsentScope = 'emergency' | 'ask_at_time' | 'none';
export type Channel = 'voice' | 'text' | 'email';

export interface Readiness {
  safetyPlan: boolean;
  callableEmergencyContact: boolean;
  policy: PolicyStatus;
  gaps: ReadinessGap[];
}

/** A row of the client list; clinical fields only for the care team. */
export interface ClientSummary {
  id: string;
  name: string;
  archived: boolean;
  legalName?: string;
  pronouns?: string | null;
  riskLevel?: RiskLevel | 'unknown';
  riskAssessedAt?: string | null;
  readiness?: Readiness;
}

export interface ClientCursor {
  afterName: string;
  afterId: string;
}

export interface ClientList {
  clients: ClientSummary[];
  next: ClientCursor | null;
}

export interface ClientDetails {
  id: string;
  legalName: string;
  preferredName: string | null;
  name: string;
  pronouns: string | null;
  dateOfBirth: string | null;
  phone: string | null;
  email: string | null;
  address: string | null;
  archived: boolean;
  riskLevel: RiskLevel | 'unknown';
  riskAssessedAt: string | null;
}

export interface CareTeamMember {
  id: string;
  name: string;
  role: string;
}

export interface EmergencyContact {
  id: string;
  name: string;
  relationship: string;
  phones: string[];
  priority: number;
  mayBeTold: string;
  consentScope: ConsentScope;
  consentGivenOn: string | null;
  consentExpiresOn: string | null;
  callableInEmergency: boolean;
}

export interface ChannelConsent {
  channel: Channel;
  consent: 'given' | 'refused';
  decidedOn: string;
  quietHours: { start: string; end: string } | null;
  mayLeaveMessage: boolean;
}

export interface RiskEntry {
  id: string;
  level: RiskLevel;
  source: 'cssrs' | 'clinical_judgement';
  justification: string;
  assessedAt: string;
  assessedByName: string | null;
}

/** GET /api/clients/:id: the client's safety net. */
export interface SafetyNet {
  client: ClientDetails;
  careTeam: CareTeamMember[];
  emergencyContacts: EmergencyContact[];
  channels: ChannelConsent[];
  riskHistory: RiskEntry[];
  readiness: Readiness;
}

export const RISK_NAMES: Record<RiskLevel | 'unknown', string> = {
  unknown: 'Risk not assessed',
  none: 'No risk identified',
  low: 'Low risk',
  moderate: 'Moderate risk',
  high: 'High risk',
};

/** Choices for recording a level, highest last so the list reads calmly. */
export const RISK_CHOICES: { value: RiskLevel; label: string }[] = [
  { value: 'none', label: 'None' },
  { value: 'low', label: 'Low' },
  { value: 'moderate', label: 'Moderate' },
  { value: 'high', label: 'High' },
];

export const RISK_SOURCES: Record<RiskEntry['source'], string> = {
  cssrs: 'C-SSRS screen',
  clinical_judgement: 'Clinical judgement',
};

export const GAP_WORDS: Record<ReadinessGap, string> = {
  no_safety_plan: 'No safety plan',
  no_emergency_contact: 'No emergency contact we may call',
  policy_missing: 'Policy not acknowledged',
  policy_outdated: 'Policy acknowledgement outdated',
};

export const CONSENT_SCOPES: { value: ConsentScope; label: string }[] = [
  { value: 'emergency', label: 'May be called in an emergency' },
  { value: 'ask_at_time', label: 'Ask the client at the time' },
  { value: 'none', label: 'No consent' },
];

export const CHANNELS: { channel: Channel; name: string }[] = [
  { channel: 'voice', name: 'Voice call' },
  { channel: 'text', name: 'Text message' },
  { channel: 'email', name: 'Email' },
];

export const ACK_METHODS = [
  { value: 'signed_in_person', label: 'Signed in person' },
  { value: 'signed_electronically', label: 'Signed electronically' },
  { value: 'verbal_in_session', label: 'Agreed verbally in a session' },
  { value: 'verbal_telehealth', label: 'Agreed verbally by telehealth' },
] as const;
export type AckMethod = (typeof ACK_METHODS)[number]['value'];

export function clientPath(id: string): string {
  return `/api/clients/${encodeURIComponent(id)}`;
}

/** The policy acknowledgement in words, for the readiness summary and the policy panel. */
export const POLICY_WORDS: Record<PolicyStatus, string> = {
  current: 'The client has acknowledged the current emergency and interruption policy.',
  outdated: 'The client acknowledged an earlier version of the policy. Go over the current version with them when you can.',
  missing: 'The client has not acknowledged the emergency and interruption policy yet.',
  no_policy: 'The practice has not published an emergency and interruption policy yet.',
};
