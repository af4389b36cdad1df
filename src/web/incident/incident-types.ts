// What the /api/incidents endpoints send (issue 4 contract, "Incidents").
import type { RunAction, RunState } from '../../domain/protocols/run.ts';

export interface Named {
  id: string;
  name: string;
}

export type CrisisKind = 'emergency' | 'crisis_line' | 'mobile_crisis' | 'emergency_department' | 'poison_control';

export interface CrisisResources {
  locationId: string;
  locationName: string;
  address: string;
  timeZone: string | null;
  resources: { kind: CrisisKind; label: string; phone: string | null; address: string | null }[];
}

export interface RunView {
  id: string;
  protocolKey: string;
  status: 'open' | 'completed';
  startedAt: string;
  openedByStep: string | null;
  state: RunState;
}

export type TimelineKind = 'protocol' | 'page' | 'note' | 'session' | 'disclosure' | 'follow_up' | 'incident';

export interface TimelineEntry {
  seq: number;
  at: string;
  actor: Named | null;
  runId: string | null;
  stepId: string | null;
  kind: TimelineKind;
  what: string;
}

export type PageStatus = 'open' | 'acknowledged' | 'exhausted' | 'cancelled';

export interface PageView {
  id: string;
  status: PageStatus;
  reason: string;
  createdAt: string;
  requestedBy: Named;
  /** 0-based: the index of the escalation policy level (the backend counts rounds from 1). */
  level: number;
  round: number;
  acknowledgedBy: Named | null;
  acknowledgedAt: string | null;
  recipients: { user: Named; level: number; round: number; notifiedAt: string }[];
}

export interface DisclosureView {
  id: string;
  recipientKind: string;
  recipientName: string;
  recipientContact: string | null;
  whatWasSaid: string;
  legalBasis: string;
  purpose: string;
  disclosedAt: string;
  stepId: string | null;
}

export interface FollowUpView {
  id: string;
  kind: string;
  title: string;
  dueAt: string;
  status: 'open' | 'done' | 'cancelled' | 'unable_to_reach';
  stepId: string | null;
  assignedTo: Named;
}

export interface IncidentContact {
  id: string;
  name: string;
  relationship: string;
  phones: string[];
  consentScope: string;
  mayBeTold: string;
}

export interface IncidentDetail {
  id: string;
  status: 'open' | 'closed';
  protocolKey: string;
  discreet: boolean;
  openedAt: string;
  openedBy: Named;
  closedAt: string | null;
  client: Named;
  sessionId: string | null;
  session: {
    id: string;
    modality: 'in_person' | 'telehealth';
    clientLocation: string | null;
    callbackPhone: string | null;
    location: { id: string; name: string; address: string } | null;
  } | null;
  crisisResources: CrisisResources | null;
  runs: RunView[];
  timeline: TimelineEntry[];
  pages: PageView[];
  disclosures: DisclosureView[];
  followUps: FollowUpView[];
  emergencyContacts: IncidentContact[];
  /** canNote and breakGlass are absent from copies kept before they existed. */
  viewer: { canAct: boolean; canNote?: boolean; breakGlass?: boolean };
}

export interface IncidentSummary {
  id: string;
  status: 'open' | 'closed';
  protocolKey: string;
  /** Sent by the server as well (not in the contract): used when the catalog lacks the key. */
  protocolTitle?: string;
  discreet: boolean;
  openedAt: string;
  client: Named;
  openedBy: Named;
  openPages: number;
}

export interface DisclosureInput {
  recipientName: string;
  recipientContact?: string;
  whatWasSaid: string;
}

/** Body of POST /api/incidents/:incidentId/runs/:runId/events. */
export interface RunEventBody {
  id: string;
  occurredAt: string;
  action: RunAction;
  disclosure?: DisclosureInput;
}

/** Answer of POST …/events. */
export interface RunEventResult {
  run: { id: string; status: 'open' | 'completed'; state: RunState };
  timeline: TimelineEntry[];
  replayed: boolean;
  openedRunId: string | null;
}

/** Body of POST /api/incidents. */
export interface OpenIncidentBody {
  id: string;
  runId: string;
  clientId: string;
  sessionId: string | null;
  protocolKey: string;
  discreet: boolean;
  occurredAt: string;
}
