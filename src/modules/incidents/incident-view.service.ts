/**
 * Reading incidents: the incident view (timeline, checklist, pages, disclosures,
 * follow-ups), the list a supervisor watches, a client's accounting of disclosures,
 * and the follow-ups a clinician owes. Every read of client data is audited.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../server/database.ts';
import { builtInProtocol } from '../../domain/protocols/catalog.ts';
import { CLINICIAN_EMERGENCY } from '../reports/report-builder.ts';
import type { RunState } from '../../domain/protocols/run.ts';
import { appendAuditEvent } from '../audit/audit.repository.ts';
import type { AuthContext } from '../auth/auth.service.ts';
import { breakGlassIncidentAccess } from '../break-glass/break-glass-access.ts';
import { authorizeClient } from '../clients/client-access.ts';
import { listEmergencyContacts } from '../clients/clients.repository.ts';
import { crisisResourcesFor, type CrisisResources } from '../locations/locations.service.ts';
import * as repo from './incidents.repository.ts';
import { authorizeIncident, timelineView, type IncidentAccess, type IncidentDeps, type TimelineView } from './incidents.service.ts';
import type { Disclosure, FollowUpTask } from './incidents.table.ts';

type Db = Kysely<Database>;
type Named = { id: string; name: string };

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
  session: { id: string; modality: string; clientLocation: string | null; callbackPhone: string | null; location: { id: string; name: string; address: string } | null } | null;
  crisisResources: CrisisResources | null;
  runs: { id: string; protocolKey: string; status: 'open' | 'completed'; startedAt: string; openedByStep: string | null; state: RunState }[];
  timeline: TimelineView[];
  pages: PageView[];
  disclosures: DisclosureView[];
  followUps: FollowUpView[];
  emergencyContacts: { id: string; name: string; relationship: string; phones: string[]; consentScope: string; mayBeTold: string }[];
  /** canNote: care team and paged responders add notes; a break-glass reader only reads. */
  viewer: { canAct: boolean; canNote: boolean; breakGlass: boolean };
}

export interface PageView {
  id: string; status: string; reason: string; createdAt: string; requestedBy: Named; level: number; round: number;
  acknowledgedBy: Named | null; acknowledgedAt: string | null;
  recipients: { user: Named; level: number; round: number; notifiedAt: string }[];
}
export interface DisclosureView {
  id: string; recipientKind: string; recipientName: string; recipientContact: string | null; whatWasSaid: string; legalBasis: string;
  purpose: string; disclosedAt: string; stepId: string | null; incidentId: string | null;
}
export interface FollowUpView { id: string; kind: string; title: string; dueAt: string; status: string; stepId: string | null; assignedTo: Named }

export async function readIncident(deps: IncidentDeps, auth: AuthContext, incidentId: string, ip: string | null): Promise<IncidentDetail> {
  const { db } = deps;
  const practiceId = auth.practice.id;
  const access = await authorizeIncidentRead(db, auth, incidentId, 'incident.read', ip);
  const parts = await repo.readIncidentParts(db, practiceId, incidentId);
  const { incident, userNames } = parts;
  const named = (id: string): Named => ({ id, name: userNames.get(id) ?? 'Someone' });
  const locationId = incident.location_id ?? null;
  const [resources, contacts, location] = await Promise.all([
    locationId ? crisisResourcesFor(db, practiceId, locationId) : null,
    // Emergency contacts are for the care team acting on the protocol; a paged responder does not need them.
    access.canAct ? listEmergencyContacts(db, practiceId, incident.client_id) : [],
    locationId ? db.selectFrom('locations').select(['id', 'name', 'address']).where('practice_id', '=', practiceId).where('id', '=', locationId).executeTakeFirst() : undefined,
  ]);
  await appendAuditEvent(db, {
    practiceId, actorUserId: auth.user.id, actorRole: auth.user.role, action: 'incident.read', resourceType: 'incident', resourceId: incidentId,
    clientId: incident.client_id, ip, outcome: 'success',
    detail: { as: access.breakGlassGrantId ? 'break_glass' : access.canAct ? 'care_team' : 'paged_responder', ...(access.breakGlassGrantId ? { grantId: access.breakGlassGrantId } : {}) },
  });
  return {
    id: incident.id, status: incident.status, protocolKey: incident.protocol_key, discreet: incident.discreet,
    openedAt: incident.opened_at.toISOString(), openedBy: named(incident.opened_by), closedAt: incident.closed_at?.toISOString() ?? null,
    client: { id: incident.client_id, name: incident.client_name }, sessionId: incident.session_id,
    session: incident.session_id && incident.modality ? {
      id: incident.session_id, modality: incident.modality, clientLocation: incident.client_location, callbackPhone: incident.callback_phone,
      location: location ?? null,
    } : null,
    crisisResources: resources,
    runs: parts.runs.map((r) => ({ id: r.id, protocolKey: r.protocol_key, status: r.status, startedAt: r.started_at.toISOString(), openedByStep: r.opened_by_step, state: r.state })),
    timeline: parts.timeline.map((t) => timelineView(t, userNames)),
    pages: parts.pages.map((p) => ({
      id: p.id, status: p.status, reason: p.reason, createdAt: p.created_at.toISOString(), requestedBy: named(p.requested_by), level: p.level, round: p.round,
      acknowledgedBy: p.acknowledged_by ? named(p.acknowledged_by) : null, acknowledgedAt: p.acknowledged_at?.toISOString() ?? null,
      recipients: parts.recipients.filter((r) => r.page_id === p.id).map((r) => ({ user: named(r.user_id), level: r.level, round: r.round, notifiedAt: r.notified_at.toISOString() })),
    })),
    disclosures: parts.disclosures.map(disclosureView),
    followUps: parts.followUps.map((f) => followUpView(f, named)),
    emergencyContacts: contacts.map((c) => ({ id: c.id, name: c.name, relationship: c.relationship, phones: c.phones, consentScope: c.consent_scope, mayBeTold: c.may_be_told })),
    viewer: { canAct: access.canAct, canNote: access.breakGlassGrantId === null, breakGlass: access.breakGlassGrantId !== null },
  };
}

/**
 * The gate for reading an incident: its care team and paged responders (authorizeIncident),
 * and under a break-glass grant on its client, read-only (src/modules/break-glass/break-glass-access.ts).
 */
export async function authorizeIncidentRead(
  db: Db, auth: AuthContext, incidentId: string, action: 'incident.read' | 'incident.report.read', ip: string | null,
): Promise<IncidentAccess & { breakGlassGrantId: string | null }> {
  const row = await repo.findIncidentForAccess(db, auth.practice.id, incidentId);
  const glass = row ? await breakGlassIncidentAccess(db, auth, row, action, ip) : null;
  if (glass) return glass;
  return { ...(await authorizeIncident(db, auth, incidentId, action, ip)), breakGlassGrantId: null };
}

export interface IncidentSummary {
  id: string; status: 'open' | 'closed'; protocolKey: string; protocolTitle: string; discreet: boolean; openedAt: string;
  client: Named; openedBy: Named; openPages: number;
}

/** The incidents the reader may see (care team or paged), newest first. */
export async function listIncidents(db: Db, auth: AuthContext, status: 'open' | 'closed' | 'all', ip: string | null): Promise<IncidentSummary[]> {
  const actor = auth.actor;
  const clinicians = actor.role === 'supervisor' ? [actor.userId, ...(actor.superviseeIds ?? [])] : [actor.userId];
  const { rows } = await sql<{ id: string; status: 'open' | 'closed'; protocol_key: string; discreet: boolean; opened_at: Date; client_id: string; client_name: string; opened_by: string; opener_name: string; open_pages: number }>`
    select i.id, i.status, i.protocol_key, i.discreet, i.opened_at, i.client_id, coalesce(c.preferred_name, c.legal_name) as client_name,
      i.opened_by, u.name as opener_name,
      (select count(*) from pages p where p.practice_id = i.practice_id and p.incident_id = i.id and p.status in ('open', 'exhausted'))::int as open_pages
    from incidents i
    join clients c on c.practice_id = i.practice_id and c.id = i.client_id
    join users u on u.practice_id = i.practice_id and u.id = i.opened_by
    where i.practice_id = ${auth.practice.id}
      and (${status} = 'all' or i.status = ${status})
      and (
        (${actor.role === 'clinician' || actor.role === 'supervisor'} and i.client_id in (
          select client_id from client_clinicians where practice_id = ${auth.practice.id} and clinician_id = any(${clinicians}::uuid[])))
        or exists (select 1 from page_recipients pr join pages p on p.practice_id = pr.practice_id and p.id = pr.page_id
                   where p.practice_id = i.practice_id and p.incident_id = i.id and pr.user_id = ${actor.userId})
      )
    order by i.opened_at desc
    limit 200`.execute(db);
  await appendAuditEvent(db, {
    practiceId: auth.practice.id, actorUserId: auth.user.id, actorRole: auth.user.role, action: 'incidents.list', resourceType: 'incident_list',
    resourceId: null, ip, outcome: 'success', detail: { status, count: rows.length, clientIds: [...new Set(rows.map((r) => r.client_id))] },
  });
  return rows.map((r) => ({
    id: r.id, status: r.status, protocolKey: r.protocol_key, protocolTitle: builtInProtocol(r.protocol_key)?.title ?? r.protocol_key,
    discreet: r.discreet, openedAt: r.opened_at.toISOString(), client: { id: r.client_id, name: r.client_name },
    openedBy: { id: r.opened_by, name: r.opener_name }, openPages: r.open_pages,
  }));
}

export interface ClientIncident { id: string; status: 'open' | 'closed'; protocolKey: string; protocolTitle: string; openedAt: string; closedAt: string | null }

/**
 * A client's incidents, newest first, for their record (the care team, or a break-glass
 * reader: then without the clinician's own emergencies, which are not the client's record).
 */
export async function listClientIncidents(db: Db, auth: AuthContext, clientId: string, ip: string | null): Promise<ClientIncident[]> {
  const { breakGlassGrantId } = await authorizeClient(db, auth, clientId, 'client.read', ip, { type: 'client_incidents', id: clientId });
  let query = db.selectFrom('incidents').select(['id', 'status', 'protocol_key', 'opened_at', 'closed_at'])
    .where('practice_id', '=', auth.practice.id).where('client_id', '=', clientId);
  if (breakGlassGrantId) query = query.where('protocol_key', '!=', CLINICIAN_EMERGENCY);
  const rows = await query.orderBy('opened_at', 'desc').limit(200).execute();
  await appendAuditEvent(db, {
    practiceId: auth.practice.id, actorUserId: auth.user.id, actorRole: auth.user.role, action: 'client.incidents.read', resourceType: 'client',
    resourceId: clientId, clientId, ip, outcome: 'success', detail: { count: rows.length, ...(breakGlassGrantId ? { grantId: breakGlassGrantId } : {}) },
  });
  return rows.map((r) => ({
    id: r.id, status: r.status, protocolKey: r.protocol_key, protocolTitle: builtInProtocol(r.protocol_key)?.title ?? r.protocol_key,
    openedAt: r.opened_at.toISOString(), closedAt: r.closed_at?.toISOString() ?? null,
  }));
}

/** The accounting of disclosures for a client (HIPAA 45 CFR 164.528): to whom, what, why, when. */
export async function listDisclosures(db: Db, auth: AuthContext, clientId: string, ip: string | null): Promise<DisclosureView[]> {
  await authorizeClient(db, auth, clientId, 'client.disclosures.read', ip);
  const rows = await db.selectFrom('disclosures').selectAll().where('practice_id', '=', auth.practice.id).where('client_id', '=', clientId)
    .orderBy('disclosed_at').execute();
  await appendAuditEvent(db, {
    practiceId: auth.practice.id, actorUserId: auth.user.id, actorRole: auth.user.role, action: 'client.disclosures.read', resourceType: 'client',
    resourceId: clientId, clientId, ip, outcome: 'success', detail: { count: rows.length },
  });
  return rows.map(disclosureView);
}

// The follow-ups a clinician owes, and marking one done: src/modules/follow-ups/follow-ups.service.ts.
export { completeFollowUp, listMyFollowUps } from '../follow-ups/follow-ups.service.ts';

function disclosureView(d: Disclosure): DisclosureView {
  return {
    id: d.id, recipientKind: d.recipient_kind, recipientName: d.recipient_name, recipientContact: d.recipient_contact, whatWasSaid: d.what_was_said,
    legalBasis: d.legal_basis, purpose: d.purpose, disclosedAt: d.disclosed_at.toISOString(), stepId: d.step_id, incidentId: d.incident_id,
  };
}

function followUpView(f: FollowUpTask, named: (id: string) => Named): FollowUpView {
  return { id: f.id, kind: f.kind, title: f.title, dueAt: f.due_at.toISOString(), status: f.status, stepId: f.step_id, assignedTo: named(f.assigned_to) };
}
