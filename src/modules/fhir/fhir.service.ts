/**
 * FHIR R4 export: a client's record (Patient/$everything) and one incident
 * (Encounter/$everything on the incident's encounter). Both answer a searchset Bundle,
 * as the R4 operations define; both are for the client's care team and are audited.
 * Psychotherapy notes (reflection_notes) are never read, so never exported
 * (HIPAA 45 CFR 164.501, 164.524(a)(1)(i)).
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../server/database.ts';
import { Problem } from '../../server/problems.ts';
import type { Action } from '../../domain/permissions.ts';
import { localDate } from '../../domain/zoned-time.ts';
import { appendAuditEvent } from '../audit/audit.repository.ts';
import type { AuthContext, RequestMeta } from '../auth/auth.service.ts';
import { authorizeClient } from '../clients/client-access.ts';
import { authorizeIncident } from '../incidents/incidents.service.ts';
import { safetyPlanOf } from '../safety-plans/safety-plans.service.ts';
import * as people from './fhir-people.ts';
import * as care from './fhir-care.ts';
import { disclosureAuditEvent } from './fhir-audit.ts';
import { readClientRecord, readPractitioners, type ClientRecord } from './fhir.repository.ts';
import type { Bundle, FhirResource } from './fhir-types.ts';

type Db = Kysely<Database>;

/** The C-SSRS result recorded as risk names its incident (incidents.service.ts stepConsequences). */
const SCREENER_INCIDENT = /C-SSRS screener during incident ([0-9a-f-]{36})/;

interface Parts {
  record: ClientRecord & { client: NonNullable<ClientRecord['client']> };
  screeners: care.Screener[];
}

async function readParts(db: Db, practiceId: string, clientId: string): Promise<Parts> {
  const record = await readClientRecord(db, practiceId, clientId);
  if (!record.client) throw new Problem('NOT_FOUND', 'No such client.');
  return { record: { ...record, client: record.client }, screeners: record.runs.flatMap((r) => care.screenersOf(r)) };
}

/** The screener a C-SSRS risk assessment came from: same incident, same level, the latest before it. */
function screenerOf(r: ClientRecord['risks'][number], screeners: care.Screener[]): { incidentId: string | null; screenerId: string | null } {
  const incidentId = r.source === 'cssrs' ? (SCREENER_INCIDENT.exec(r.justification)?.[1] ?? null) : null;
  if (!incidentId) return { incidentId: null, screenerId: null };
  const candidates = screeners.filter((s) => s.incidentId === incidentId && s.risk === r.level);
  const before = candidates.filter((s) => Date.parse(s.at) <= r.assessed_at.getTime() + 60_000);
  const screener = before.at(-1) ?? candidates[0];
  return { incidentId, screenerId: screener?.id ?? null };
}

/** Every resource of the client's compartment, in a reading order. */
function compartment(parts: Parts, practiceId: string, today: string, carePlan: FhirResource | null): FhirResource[] {
  const { record, screeners } = parts;
  const sessionModality = new Map(record.sessions.map((s) => [s.id, s.modality]));
  const withSession = new Set(record.sessions.map((s) => s.appointment_id));
  return [
    people.patient(record.client, practiceId, record.careTeam),
    ...record.contacts.map((c) => people.relatedPerson(c, record.client.id)),
    ...record.channels.map((c) => people.channelConsent(c, practiceId)),
    ...record.contacts.flatMap((c) => people.emergencyContactConsent(c, practiceId, today) ?? []),
    ...(carePlan ? [carePlan] : []),
    ...(care.riskFlag(record.client) ? [care.riskFlag(record.client)!] : []),
    ...record.risks.map((r) => care.riskAssessment(r, screenerOf(r, screeners))),
    ...screeners.map((s) => care.cssrsResponse(s, record.client.id)),
    ...record.appointments.map((a) => care.appointment(a, withSession.has(a.id))),
    ...record.sessions.map((s) => care.sessionEncounter(s)),
    ...record.incidents.map((i) => care.incidentEncounter(i, i.session_id ? (sessionModality.get(i.session_id) ?? null) : null)),
    ...record.tasks.map((t) => care.followUpTask(t)),
    ...record.messages.map((m) => care.communication(m, practiceId)),
    ...record.referrals.map((r) => care.referral(r)),
    ...record.disclosures.map((d) => disclosureAuditEvent(d, practiceId)),
  ];
}

/** The practitioners and the organization the resources refer to ("include" entries). */
async function supporting(db: Db, practiceId: string, practice: { id: string; name: string }, resources: FhirResource[]): Promise<FhirResource[]> {
  const ids = new Set<string>();
  const walk = (value: unknown) => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === 'object') {
      for (const [key, v] of Object.entries(value)) {
        if (key === 'reference' && typeof v === 'string' && v.startsWith('Practitioner/')) ids.add(v.slice('Practitioner/'.length));
        else walk(v);
      }
    }
  };
  walk(resources);
  const users = await readPractitioners(db, practiceId, ids);
  return [people.organization(practice), ...users.map(people.practitioner)];
}

function bundle(baseUrl: string, selfUrl: string, matches: FhirResource[], includes: FhirResource[]): Bundle {
  const entry = (resource: FhirResource, mode: 'match' | 'include') => ({ fullUrl: `${baseUrl}/fhir/${resource.resourceType}/${resource.id}`, resource, search: { mode } });
  return {
    resourceType: 'Bundle', id: randomUUID(), type: 'searchset', timestamp: new Date().toISOString(), total: matches.length,
    link: [{ relation: 'self', url: `${baseUrl}${selfUrl}` }],
    entry: [...matches.map((r) => entry(r, 'match')), ...includes.map((r) => entry(r, 'include'))],
  };
}

function countByType(b: Bundle): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const e of b.entry) counts[e.resource.resourceType] = (counts[e.resource.resourceType] ?? 0) + 1;
  return counts;
}

/**
 * The client's record as a Bundle, for a caller already authorized for `action`
 * (fhir.read or client.export). Audited by the caller.
 */
export async function clientBundle(db: Db, auth: AuthContext, clientId: string, meta: RequestMeta, baseUrl: string): Promise<Bundle> {
  const practiceId = auth.practice.id;
  const [parts, plan] = await Promise.all([
    readParts(db, practiceId, clientId),
    // The safety plan through its module (which decrypts it and audits the read).
    safetyPlanOf(db, auth, clientId, meta),
  ]);
  const carePlan = plan.current ? care.safetyCarePlan(clientId, plan.current) : null;
  const matches = compartment(parts, practiceId, localDate(new Date(), auth.practice.timeZone), carePlan);
  return bundle(baseUrl, `/fhir/Patient/${clientId}/$everything`, matches, await supporting(db, practiceId, parts.record.practice, matches));
}

async function auditExport(db: Db, auth: AuthContext, action: Action, clientId: string, meta: RequestMeta, detail: Record<string, unknown>) {
  await appendAuditEvent(db, {
    practiceId: auth.practice.id, actorUserId: auth.user.id, actorRole: auth.user.role, action, resourceType: 'client', resourceId: clientId,
    clientId, ip: meta.ip, outcome: 'success', detail,
  });
}

/** GET /fhir/Patient/{id}/$everything */
export async function patientEverything(db: Db, auth: AuthContext, clientId: string, meta: RequestMeta, baseUrl: string): Promise<Bundle> {
  await authorizeClient(db, auth, clientId, 'fhir.read', meta.ip);
  const result = await clientBundle(db, auth, clientId, meta, baseUrl);
  await auditExport(db, auth, 'fhir.read', clientId, meta, { operation: 'Patient/$everything', resources: countByType(result) });
  return result;
}

/**
 * GET /fhir/Encounter/{incidentId}/$everything: one incident. An incident is exported as
 * an Encounter of its own (part of the session's); the operation returns it with the
 * session encounter, the client, the screeners and risk assessments made in it, its
 * follow-ups, the messages sent for them, its referrals and disclosures, and the risk flag.
 */
export async function incidentEverything(db: Db, auth: AuthContext, incidentId: string, meta: RequestMeta, baseUrl: string): Promise<Bundle> {
  const access = await authorizeIncident(db, auth, incidentId, 'fhir.read', meta.ip);
  const practiceId = auth.practice.id;
  const parts = await readParts(db, practiceId, access.client_id);
  const all = compartment(parts, practiceId, localDate(new Date(), auth.practice.timeZone), null);
  const incident = parts.record.incidents.find((i) => i.id === incidentId)!;
  const taskIds = new Set(parts.record.tasks.filter((t) => t.incident_id === incidentId).map((t) => t.id));
  const riskIds = new Set(parts.record.risks.filter((r) => screenerOf(r, parts.screeners).incidentId === incidentId).map((r) => r.id));
  const keep = (r: FhirResource): boolean => {
    switch (r.resourceType) {
      case 'Patient': case 'Flag': return true;
      case 'Encounter': return r.id === incidentId || r.id === incident.session_id;
      case 'QuestionnaireResponse': return parts.screeners.some((s) => s.id === r.id && s.incidentId === incidentId);
      case 'RiskAssessment': return riskIds.has(r.id);
      case 'Task': return taskIds.has(r.id);
      case 'Communication': return parts.record.messages.some((m) => m.id === r.id && m.follow_up_task_id !== null && taskIds.has(m.follow_up_task_id));
      case 'ServiceRequest': return parts.record.referrals.some((x) => x.id === r.id && x.incident_id === incidentId);
      case 'AuditEvent': return parts.record.disclosures.some((d) => d.id === r.id && d.incident_id === incidentId);
      default: return false;
    }
  };
  // The incident's own encounter first.
  const matches = all.filter(keep).sort((a, b) => Number(b.id === incidentId) - Number(a.id === incidentId));
  const result = bundle(baseUrl, `/fhir/Encounter/${incidentId}/$everything`, matches, await supporting(db, practiceId, parts.record.practice, matches));
  await auditExport(db, auth, 'fhir.read', access.client_id, meta, { operation: 'Encounter/$everything', incidentId, resources: countByType(result) });
  return result;
}
