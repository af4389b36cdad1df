import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../server/database.ts';
import { Problem } from '../../server/problems.ts';
import { contactCallableInEmergency } from '../../domain/readiness.ts';
import { appendAuditEvent, type NewAuditEvent } from '../audit/audit.repository.ts';
import type { AuthContext, RequestMeta } from '../auth/auth.service.ts';
import { authorizeClient } from './client-access.ts';
import * as repo from './clients.repository.ts';
import { clientReadiness } from './readiness.repository.ts';
import { localDate } from '../../domain/zoned-time.ts';
import type { Channel, ConsentScope, RiskLevel } from './clients.table.ts';

type Db = Kysely<Database>;

export interface ClientDetails {
  legalName: string;
  preferredName?: string | null | undefined;
  pronouns?: string | null | undefined;
  dateOfBirth?: string | null | undefined;
  phone?: string | null | undefined;
  email?: string | null | undefined;
  address?: string | null | undefined;
}

const event = (auth: AuthContext, meta: RequestMeta, e: Omit<NewAuditEvent, 'practiceId' | 'actorUserId' | 'actorRole' | 'ip' | 'outcome'>): NewAuditEvent => ({
  practiceId: auth.practice.id, actorUserId: auth.user.id, actorRole: auth.user.role, ip: meta.ip, outcome: 'success', ...e,
});

async function assertClinicians(db: Db, practiceId: string, ids: string[]) {
  const found = await db.selectFrom('users').select('id').where('practice_id', '=', practiceId).where('id', 'in', ids)
    .where('role', 'in', ['clinician', 'supervisor']).where('active', '=', true).execute();
  if (found.length !== new Set(ids).size) throw new Problem('NOT_A_CLINICIAN', 'Every assigned clinician must be an active clinician of this practice.');
}

/** Intake: a clinician creating a client is on the care team; an admin must name the clinicians. */
export async function createClient(db: Db, auth: AuthContext, input: ClientDetails & { clinicianIds?: string[] | undefined }, meta: RequestMeta) {
  const isClinician = auth.user.role === 'clinician' || auth.user.role === 'supervisor';
  const clinicianIds = [...new Set([...(isClinician ? [auth.user.id] : []), ...(input.clinicianIds ?? [])])];
  if (clinicianIds.length === 0) throw new Problem('VALIDATION_FAILED', 'Assign at least one clinician to the client.', { errors: [{ path: 'body.clinicianIds', message: 'Assign at least one clinician' }] });
  const id = randomUUID();
  await db.transaction().execute(async (trx) => {
    await assertClinicians(trx, auth.practice.id, clinicianIds);
    await repo.insertClient(trx, {
      practice_id: auth.practice.id, id, legal_name: input.legalName, preferred_name: input.preferredName ?? null,
      pronouns: input.pronouns ?? null, date_of_birth: input.dateOfBirth ?? null, phone: input.phone ?? null,
      email: input.email ?? null, address: input.address ?? null,
    });
    await repo.assignClinicians(trx, auth.practice.id, id, clinicianIds);
    await appendAuditEvent(trx, event(auth, meta, { action: 'clients.create', resourceType: 'client', resourceId: id, clientId: id, detail: { clinicianIds } }));
  });
  return { id };
}

export async function updateClient(db: Db, auth: AuthContext, clientId: string, patch: Partial<ClientDetails>, meta: RequestMeta) {
  await authorizeClient(db, auth, clientId, 'client.update', meta.ip);
  const columns = {
    legal_name: patch.legalName, preferred_name: patch.preferredName, pronouns: patch.pronouns, date_of_birth: patch.dateOfBirth,
    phone: patch.phone, email: patch.email, address: patch.address,
  };
  const changed = Object.fromEntries(Object.entries(columns).filter(([, v]) => v !== undefined));
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('clients').set({ ...changed, updated_at: new Date() })
      .where('practice_id', '=', auth.practice.id).where('id', '=', clientId).execute();
    await appendAuditEvent(trx, event(auth, meta, { action: 'client.update', resourceType: 'client', resourceId: clientId, clientId, detail: { fields: Object.keys(changed) } }));
  });
}

export async function archiveClient(db: Db, auth: AuthContext, clientId: string, archived: boolean, meta: RequestMeta) {
  await authorizeClient(db, auth, clientId, 'client.archive', meta.ip);
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('clients').set({ archived_at: archived ? new Date() : null, updated_at: new Date() })
      .where('practice_id', '=', auth.practice.id).where('id', '=', clientId).execute();
    await appendAuditEvent(trx, event(auth, meta, { action: 'client.archive', resourceType: 'client', resourceId: clientId, clientId, detail: { archived } }));
  });
}

export async function setCareTeam(db: Db, auth: AuthContext, clientId: string, clinicianIds: string[], meta: RequestMeta) {
  await authorizeClient(db, auth, clientId, 'client.assign', meta.ip);
  await db.transaction().execute(async (trx) => {
    await assertClinicians(trx, auth.practice.id, clinicianIds);
    await repo.assignClinicians(trx, auth.practice.id, clientId, [...new Set(clinicianIds)]);
    await appendAuditEvent(trx, event(auth, meta, { action: 'client.assign', resourceType: 'client', resourceId: clientId, clientId, detail: { clinicianIds } }));
  });
}

/** The client's safety net on one page (DESIGN.md, "Client"). An audited read. */
export async function getSafetyNet(db: Db, auth: AuthContext, clientId: string, meta: RequestMeta) {
  await authorizeClient(db, auth, clientId, 'client.read', meta.ip);
  const practiceId = auth.practice.id;
  const today = localDate(new Date(), auth.practice.timeZone);
  const [client, careTeam, contacts, channels, risk, readiness] = await Promise.all([
    repo.findClient(db, practiceId, clientId),
    repo.findCareTeam(db, practiceId, clientId),
    repo.listEmergencyContacts(db, practiceId, clientId),
    repo.listChannelConsents(db, practiceId, clientId),
    repo.listRiskHistory(db, practiceId, clientId),
    clientReadiness(db, practiceId, [clientId], today),
  ]);
  if (!client) throw new Problem('NOT_FOUND', 'No such client.');
  await appendAuditEvent(db, event(auth, meta, { action: 'client.read', resourceType: 'client', resourceId: clientId, clientId }));
  return {
    client, careTeam, channels, risk, readiness: readiness.get(clientId)!,
    contacts: contacts.map((c) => ({ ...c, callableInEmergency: contactCallableInEmergency({ consentScope: c.consent_scope, consentExpiresOn: c.consent_expires_on }, today) })),
  };
}

export async function listClientsFor(db: Db, auth: AuthContext, page: repo.ListPage, meta: RequestMeta) {
  const isClinician = auth.user.role === 'clinician' || auth.user.role === 'supervisor';
  // Clinicians see their care team's clients with risk and readiness; the front desk
  // and admins see the practice's directory of names only (minimum necessary).
  const rows = await repo.listClients(db, auth.practice.id, page, isClinician ? auth.actor : undefined);
  const readiness = isClinician ? await clientReadiness(db, auth.practice.id, rows.map((r) => r.id), localDate(new Date(), auth.practice.timeZone)) : null;
  await appendAuditEvent(db, event(auth, meta, { action: 'clients.directory', resourceType: 'client_list', detail: { returned: rows.length, search: page.search ? 'yes' : 'no' } }));
  return { rows, readiness };
}

// --- emergency contacts -------------------------------------------------------------

export interface ContactInput {
  name: string;
  relationship: string;
  phones: string[];
  priority: number;
  mayBeTold: string;
  consentScope: ConsentScope;
  consentGivenOn?: string | null | undefined;
  consentExpiresOn?: string | null | undefined;
}

function checkConsentDates(c: Partial<ContactInput>) {
  if (c.consentScope && c.consentScope !== 'none' && !c.consentGivenOn) {
    throw new Problem('VALIDATION_FAILED', 'Record the date the client gave consent.', { errors: [{ path: 'body.consentGivenOn', message: 'Required when consent was given' }] });
  }
  if (c.consentGivenOn && c.consentExpiresOn && c.consentExpiresOn < c.consentGivenOn) {
    throw new Problem('VALIDATION_FAILED', 'Consent cannot expire before it was given.', { errors: [{ path: 'body.consentExpiresOn', message: 'Must be after the date consent was given' }] });
  }
}

export async function addEmergencyContact(db: Db, auth: AuthContext, clientId: string, input: ContactInput, meta: RequestMeta) {
  await authorizeClient(db, auth, clientId, 'client.update', meta.ip);
  checkConsentDates(input);
  const id = randomUUID();
  await db.transaction().execute(async (trx) => {
    await repo.insertEmergencyContact(trx, {
      practice_id: auth.practice.id, id, client_id: clientId, name: input.name, relationship: input.relationship, phones: input.phones,
      priority: input.priority, may_be_told: input.mayBeTold, consent_scope: input.consentScope,
      consent_given_on: input.consentScope === 'none' ? null : (input.consentGivenOn ?? null), consent_expires_on: input.consentExpiresOn ?? null,
    });
    await appendAuditEvent(trx, event(auth, meta, { action: 'client.contact.add', resourceType: 'emergency_contact', resourceId: id, clientId }));
  });
  return { id };
}

export async function updateEmergencyContact(db: Db, auth: AuthContext, clientId: string, contactId: string, patch: Partial<ContactInput>, meta: RequestMeta) {
  await authorizeClient(db, auth, clientId, 'client.update', meta.ip);
  await db.transaction().execute(async (trx) => {
    const current = await trx.selectFrom('emergency_contacts').selectAll().where('practice_id', '=', auth.practice.id)
      .where('client_id', '=', clientId).where('id', '=', contactId).forUpdate().executeTakeFirst();
    if (!current) throw new Problem('NOT_FOUND', 'No such emergency contact.');
    const merged = {
      consentScope: patch.consentScope ?? current.consent_scope,
      consentGivenOn: patch.consentGivenOn !== undefined ? patch.consentGivenOn : current.consent_given_on,
      consentExpiresOn: patch.consentExpiresOn !== undefined ? patch.consentExpiresOn : current.consent_expires_on,
    };
    checkConsentDates(merged);
    await trx.updateTable('emergency_contacts').set({
      name: patch.name, relationship: patch.relationship, phones: patch.phones, priority: patch.priority, may_be_told: patch.mayBeTold,
      consent_scope: merged.consentScope, consent_given_on: merged.consentScope === 'none' ? null : merged.consentGivenOn,
      consent_expires_on: merged.consentExpiresOn, updated_at: new Date(),
    }).where('practice_id', '=', auth.practice.id).where('id', '=', contactId).execute();
    await appendAuditEvent(trx, event(auth, meta, { action: 'client.contact.update', resourceType: 'emergency_contact', resourceId: contactId, clientId, detail: { fields: Object.keys(patch) } }));
  });
}

export async function removeEmergencyContact(db: Db, auth: AuthContext, clientId: string, contactId: string, meta: RequestMeta) {
  await authorizeClient(db, auth, clientId, 'client.update', meta.ip);
  await db.transaction().execute(async (trx) => {
    const removed = await trx.deleteFrom('emergency_contacts').where('practice_id', '=', auth.practice.id)
      .where('client_id', '=', clientId).where('id', '=', contactId).executeTakeFirst();
    if (removed.numDeletedRows === 0n) throw new Problem('NOT_FOUND', 'No such emergency contact.');
    await appendAuditEvent(trx, event(auth, meta, { action: 'client.contact.remove', resourceType: 'emergency_contact', resourceId: contactId, clientId }));
  });
}

// --- channels and consent ---------------------------------------------------------------

export interface ChannelInput {
  consent: 'given' | 'refused';
  decidedOn: string;
  quietHours?: { start: string; end: string } | null | undefined;
  mayLeaveMessage: boolean;
}

export async function setChannelConsent(db: Db, auth: AuthContext, clientId: string, channel: Channel, input: ChannelInput, meta: RequestMeta) {
  await authorizeClient(db, auth, clientId, 'client.update', meta.ip);
  await db.transaction().execute(async (trx) => {
    await repo.upsertChannelConsent(trx, {
      practiceId: auth.practice.id, clientId, channel, consent: input.consent, decidedOn: input.decidedOn,
      quietHoursStart: input.quietHours?.start ?? null, quietHoursEnd: input.quietHours?.end ?? null,
      mayLeaveMessage: input.consent === 'given' && input.mayLeaveMessage,
    });
    await appendAuditEvent(trx, event(auth, meta, { action: 'client.channel.set', resourceType: 'channel_consent', resourceId: channel, clientId, detail: { consent: input.consent } }));
  });
}

// --- risk --------------------------------------------------------------------------------

export async function recordClinicalRisk(db: Db, auth: AuthContext, clientId: string, input: { level: RiskLevel; justification: string }, meta: RequestMeta) {
  await authorizeClient(db, auth, clientId, 'client.risk.record', meta.ip);
  const id = randomUUID();
  const assessedAt = await db.transaction().execute(async (trx) => {
    const at = await repo.recordRisk(trx, { practiceId: auth.practice.id, id, clientId, level: input.level, source: 'clinical_judgement', justification: input.justification, assessedBy: auth.user.id });
    await appendAuditEvent(trx, event(auth, meta, { action: 'client.risk.record', resourceType: 'risk_assessment', resourceId: id, clientId, detail: { level: input.level } }));
    return at;
  });
  return { id, assessedAt };
}
