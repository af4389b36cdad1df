/**
 * The care of the record as FHIR R4 resources: appointments, encounters (therapy
 * sessions and the incidents within them), the risk flag and risk history, C-SSRS
 * screeners, the safety plan, follow-ups, messages and referrals. Status codes follow
 * each element's required binding in R4; the tests check them against those value sets.
 */
import { CSSRS_ITEMS, CSSRS_PANEL_LOINC, CSSRS_RISK_LEVEL_LOINC, type CssrsAnswers } from '../../domain/cssrs.ts';
import { builtInProtocol } from '../../domain/protocols/catalog.ts';
import type { RunState } from '../../domain/protocols/run.ts';
import { SAFETY_PLAN_SECTIONS, type SafetyPlanContent } from '../../domain/safety-plan.ts';
import type { Appointment } from '../schedule/schedule.table.ts';
import type { TherapySession } from '../sessions/sessions.table.ts';
import type { FollowUpTask, Incident } from '../incidents/incidents.table.ts';
import type { Message } from '../messaging/messaging.table.ts';
import type { Referral } from '../aftercare/aftercare.table.ts';
import type { Client, RiskLevel } from '../clients/clients.table.ts';
import { derivedId, instant, ref, SYSTEMS, type Coding, type FhirResource } from './fhir-types.ts';

/** v3-ActCode encounter classes: AMB (ambulatory, in the office), VR (virtual, telehealth). */
const encounterClass = (modality: 'in_person' | 'telehealth' | null): Coding => modality === 'telehealth'
  ? { system: SYSTEMS.actCode, code: 'VR', display: 'virtual' }
  : { system: SYSTEMS.actCode, code: 'AMB', display: 'ambulatory' };

const minutesLater = (d: Date, minutes: number) => new Date(d.getTime() + minutes * 60_000);

export function appointment(a: Appointment, hadSession: boolean): FhirResource {
  // Appointment.status (appointmentstatus, required): booked | fulfilled | cancelled …
  const status = a.status === 'cancelled' ? 'cancelled' : hadSession ? 'fulfilled' : 'booked';
  return {
    resourceType: 'Appointment', id: a.id, status,
    description: a.modality === 'telehealth' ? 'Therapy session (telehealth)' : 'Therapy session (in person)',
    start: instant(a.starts_at), end: instant(minutesLater(a.starts_at, a.minutes)), minutesDuration: a.minutes,
    created: instant(a.created_at),
    participant: [
      // participationstatus (required): accepted | declined | tentative | needs-action
      { actor: ref('Patient', a.client_id), required: 'required', status: 'accepted' },
      { actor: ref('Practitioner', a.clinician_id), required: 'required', status: 'accepted' },
    ],
  };
}

export function sessionEncounter(s: TherapySession): FhirResource {
  return {
    resourceType: 'Encounter', id: s.id,
    // encounter-status (required): in-progress while the session runs, finished once ended
    status: s.ended_at ? 'finished' : 'in-progress',
    class: encounterClass(s.modality),
    type: [{ text: 'Psychotherapy session' }],
    subject: ref('Patient', s.client_id),
    participant: [{ individual: ref('Practitioner', s.clinician_id) }],
    appointment: [ref('Appointment', s.appointment_id)],
    period: { start: instant(s.started_at), ...(s.ended_at ? { end: instant(s.ended_at) } : {}) },
  };
}

/** An incident is an encounter of its own (the crisis intervention), part of the session it happened in. */
export function incidentEncounter(i: Incident, sessionModality: 'in_person' | 'telehealth' | null): FhirResource {
  return {
    resourceType: 'Encounter', id: i.id,
    status: i.status === 'closed' ? 'finished' : 'in-progress',
    class: encounterClass(sessionModality),
    type: [{ text: `Emergency protocol: ${builtInProtocol(i.protocol_key)?.title ?? i.protocol_key}` }],
    subject: ref('Patient', i.client_id),
    participant: [{ individual: ref('Practitioner', i.opened_by) }],
    period: { start: instant(i.opened_at), ...(i.closed_at ? { end: instant(i.closed_at) } : {}) },
    ...(i.session_id ? { partOf: ref('Encounter', i.session_id) } : {}),
  };
}

const RISK_WORDS: Record<RiskLevel, string> = { none: 'no', low: 'low', moderate: 'moderate', high: 'high' };
/** The words of the risk-probability code system for each level. */
const RISK_PROBABILITY: Record<RiskLevel, string> = { none: 'negligible', low: 'low', moderate: 'moderate', high: 'high' };

/** The client's current risk status, as a clinical flag; none while the risk is unknown. */
export function riskFlag(client: Client): FhirResource | null {
  if (client.risk_level === 'unknown') return null;
  return {
    resourceType: 'Flag', id: derivedId('risk-flag', client.id),
    // flag-status (required): active | inactive | entered-in-error
    status: 'active',
    category: [{ coding: [{ system: SYSTEMS.flagCategory, code: 'safety', display: 'Safety' }] }],
    code: { text: `Suicide and safety risk: ${RISK_WORDS[client.risk_level]} risk` },
    subject: ref('Patient', client.id),
    ...(client.risk_assessed_at ? { period: { start: instant(client.risk_assessed_at) } } : {}),
  };
}

export interface RiskRow { id: string; client_id: string; level: RiskLevel; source: 'cssrs' | 'clinical_judgement'; justification: string; assessed_by: string; assessed_at: Date }

export function riskAssessment(r: RiskRow, context: { incidentId: string | null; screenerId: string | null }): FhirResource {
  return {
    resourceType: 'RiskAssessment', id: r.id,
    // observation-status (required): a recorded assessment is final
    status: 'final',
    code: { text: 'Suicide and safety risk assessment' },
    method: r.source === 'cssrs'
      ? { coding: [{ system: SYSTEMS.loinc, code: CSSRS_PANEL_LOINC }], text: 'C-SSRS screener' }
      : { text: 'Clinical judgement' },
    subject: ref('Patient', r.client_id),
    ...(context.incidentId ? { encounter: ref('Encounter', context.incidentId) } : {}),
    occurrenceDateTime: instant(r.assessed_at),
    performer: ref('Practitioner', r.assessed_by),
    ...(context.screenerId ? { basis: [ref('QuestionnaireResponse', context.screenerId)] } : {}),
    // The level goes in the notes, not prediction.qualitativeRisk: @medplum/core 4.5.2 reports invariant ras-2
    // as failed on any prediction without a numeric probability, which Holdspace does not have.
    note: [{ text: `Risk level: ${r.level} (${RISK_PROBABILITY[r.level]})` }, { text: r.justification }],
  };
}

/** LOINC answers for a C-SSRS yes/no item. */
const YES: Coding = { system: SYSTEMS.loinc, code: 'LA33-6', display: 'Yes' };
const NO: Coding = { system: SYSTEMS.loinc, code: 'LA32-8', display: 'No' };

export interface Screener { id: string; incidentId: string; runId: string; stepId: string; at: string; actor: string; answers: CssrsAnswers; risk: string }

/** The C-SSRS screeners recorded in a run (steps of kind 'assessment'): answers as stored in the run state. */
export function screenersOf(run: { id: string; incident_id: string; state: RunState }): Screener[] {
  return run.state.definition.steps.flatMap((step) => {
    const st = run.state.steps[step.id];
    if (step.kind !== 'assessment' || st?.status !== 'done' || !st.answers || !st.at || !st.actor) return [];
    return [{ id: derivedId('cssrs', run.id, step.id), incidentId: run.incident_id, runId: run.id, stepId: step.id, at: st.at, actor: st.actor, answers: st.answers, risk: String(st.value ?? '') }];
  });
}

/** A C-SSRS screener (LOINC panel 93373-9) as a QuestionnaireResponse, items by their LOINC codes. */
export function cssrsResponse(s: Screener, clientId: string): FhirResource {
  const answered = CSSRS_ITEMS.filter((item) => s.answers[item.key] !== undefined).map((item) => ({
    linkId: item.loinc, text: item.text, answer: [{ valueCoding: s.answers[item.key] ? YES : NO }],
  }));
  return {
    resourceType: 'QuestionnaireResponse', id: s.id,
    questionnaire: `http://loinc.org/q/${CSSRS_PANEL_LOINC}`,
    // questionnaire-answers-status (required): a scored screener is completed
    status: 'completed',
    subject: ref('Patient', clientId),
    encounter: ref('Encounter', s.incidentId),
    authored: s.at,
    author: ref('Practitioner', s.actor),
    item: [...answered, { linkId: CSSRS_RISK_LEVEL_LOINC, text: 'C-SSRS screener risk level', answer: [{ valueString: s.risk }] }],
  };
}

/** The current safety plan (Stanley & Brown) as a care plan, one note per section. */
export function safetyCarePlan(clientId: string, plan: { version: number; savedAt: string; savedByName: string | null; content: SafetyPlanContent }): FhirResource {
  const line = (entry: string | { name: string; phone?: string | undefined; note?: string | undefined }) =>
    typeof entry === 'string' ? entry : [entry.name, entry.phone, entry.note].filter(Boolean).join(' — ');
  return {
    resourceType: 'CarePlan', id: derivedId('safety-plan', clientId),
    meta: { versionId: String(plan.version), lastUpdated: plan.savedAt },
    // request-status (required) and care-plan-intent (required)
    status: 'active', intent: 'plan',
    category: [{ text: 'Safety plan' }],
    title: 'Safety plan',
    description: 'Safety Planning Intervention (Stanley & Brown 2012): warning signs, coping, people and professionals to contact, a safer environment, reasons for living.',
    subject: ref('Patient', clientId),
    created: plan.savedAt,
    ...(plan.savedByName ? { author: { display: plan.savedByName } } : {}),
    note: SAFETY_PLAN_SECTIONS.filter((s) => plan.content[s.key].length > 0).map((s) => ({
      text: `${s.title}: ${(plan.content[s.key] as (string | { name: string })[]).map(line).join('; ')}`,
    })),
  };
}

/** task-status (required) for a follow-up's status. */
const TASK_STATUS = { open: 'requested', done: 'completed', cancelled: 'cancelled', unable_to_reach: 'failed' } as const;

export function followUpTask(t: FollowUpTask): FhirResource {
  return {
    resourceType: 'Task', id: t.id,
    status: t.status === 'open' && t.failed_attempts > 0 ? 'in-progress' : TASK_STATUS[t.status],
    // task-intent (required): the protocol or clinician orders the follow-up
    intent: 'order',
    priority: t.kind === 'wic-8105-report' ? 'urgent' : 'routine',
    code: { text: t.kind },
    description: t.title,
    for: ref('Patient', t.client_id),
    ...(t.incident_id ? { encounter: ref('Encounter', t.incident_id) } : {}),
    authoredOn: instant(t.created_at),
    lastModified: instant(t.updated_at > t.created_at ? t.updated_at : t.created_at),
    owner: ref('Practitioner', t.assigned_to),
    ...(t.created_by ? { requester: ref('Practitioner', t.created_by) } : {}),
    restriction: { period: { end: instant(t.due_at) } },
    ...(t.done_at ? { executionPeriod: { end: instant(t.done_at) } } : {}),
    ...(t.note ? { note: [{ text: t.note }] } : {}),
  };
}

/** event-status (required) for an outbox message's status. */
const COMMUNICATION_STATUS = {
  queued: 'preparation', sending: 'in-progress', sent: 'completed', delivered: 'completed',
  failed: 'stopped', undeliverable: 'stopped', cancelled: 'not-done',
} as const;

/** A message to the client (its templates carry no clinical detail). */
export function communication(m: Message, practiceId: string): FhirResource {
  return {
    resourceType: 'Communication', id: m.id,
    status: COMMUNICATION_STATUS[m.status],
    category: [{ text: m.purpose.replace('_', ' ') }],
    medium: [m.channel === 'email'
      ? { coding: [{ system: SYSTEMS.participationMode, code: 'EMAILWRIT', display: 'email' }] }
      : { coding: [{ system: SYSTEMS.participationMode, code: 'WRITTEN', display: 'written' }], text: 'Text message (SMS)' }],
    // A client's messages only (a text back to a caller has no client and is in no client's bundle).
    ...(m.client_id ? { subject: ref('Patient', m.client_id) } : {}),
    ...(m.follow_up_task_id ? { basedOn: [ref('Task', m.follow_up_task_id)] } : {}),
    ...(m.sent_at ? { sent: instant(m.sent_at) } : {}),
    ...(m.client_id ? { recipient: [ref('Patient', m.client_id)] } : {}),
    sender: m.created_by ? ref('Practitioner', m.created_by) : ref('Organization', practiceId),
    payload: [{ contentString: m.subject ? `${m.subject}\n\n${m.body}` : m.body }],
  };
}

/** request-status (required) for a referral's status; intent (request-intent, required) is a plan. */
const REFERRAL_STATUS = { proposed: 'active', contacted: 'active', accepted: 'active', completed: 'completed', declined: 'revoked', cancelled: 'revoked' } as const;

export function referral(r: Referral): FhirResource {
  return {
    resourceType: 'ServiceRequest', id: r.id,
    status: REFERRAL_STATUS[r.status],
    intent: 'plan',
    // SNOMED CT 3457005 Patient referral (procedure)
    code: { coding: [{ system: SYSTEMS.snomed, code: '3457005', display: 'Patient referral' }], text: 'Referral' },
    subject: ref('Patient', r.client_id),
    ...(r.incident_id ? { encounter: ref('Encounter', r.incident_id) } : {}),
    authoredOn: instant(r.created_at),
    requester: ref('Practitioner', r.created_by),
    performer: [r.to_kind === 'internal' && r.to_user_id ? ref('Practitioner', r.to_user_id, r.to_name) : { display: r.to_contact ? `${r.to_name} (${r.to_contact})` : r.to_name }],
    reasonCode: [{ text: r.reason }],
    note: [{ text: `Referral status: ${r.status}` }],
  };
}
