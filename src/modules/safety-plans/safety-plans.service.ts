import type { Kysely } from 'kysely';
import type { Database } from '../../server/database.ts';
import { Problem } from '../../server/problems.ts';
import {
  emptySafetyPlan, safetyPlanGaps, SAFETY_PLAN_SECTIONS,
  type PlanContact, type PlanGap, type SafetyPlanContent, type SafetyPlanSectionKey,
} from '../../domain/safety-plan.ts';
import { appendAuditEvent } from '../audit/audit.repository.ts';
import type { AuthContext, RequestMeta } from '../auth/auth.service.ts';
import { authorizeClient } from '../clients/client-access.ts';
import * as repo from './safety-plans.repository.ts';
import { renderSafetyPlanPdf } from './safety-plan-pdf.ts';

type Db = Kysely<Database>;

/** Sections whose entries are people or services with a number; the others are lines of text. */
const CONTACT_SECTIONS: ReadonlySet<SafetyPlanSectionKey> = new Set(['distractionContacts', 'helpContacts', 'professionalContacts']);
export const isContactSection = (key: SafetyPlanSectionKey) => CONTACT_SECTIONS.has(key);

/** The sections in order, as the editor needs them. */
export function planSections() {
  return SAFETY_PLAN_SECTIONS.map((s) => ({ key: s.key, step: s.step, title: s.title, prompt: s.prompt, kind: isContactSection(s.key) ? 'contacts' as const : 'items' as const }));
}

/** The plan in one canonical shape (section order, no empty notes), so equal plans store as equal text. */
export function normalizePlan(plan: SafetyPlanContent): SafetyPlanContent {
  const contacts = (list: PlanContact[]) => list.map((c) => ({ name: c.name, ...(c.phone ? { phone: c.phone } : {}), ...(c.note ? { note: c.note } : {}) }));
  return {
    warningSigns: [...plan.warningSigns],
    copingStrategies: [...plan.copingStrategies],
    distractionContacts: contacts(plan.distractionContacts),
    helpContacts: contacts(plan.helpContacts),
    professionalContacts: contacts(plan.professionalContacts),
    safeEnvironment: [...plan.safeEnvironment],
    reasonsForLiving: [...plan.reasonsForLiving],
  };
}

export interface PlanVersionView {
  version: number;
  savedAt: string;
  savedByName: string | null;
  content: SafetyPlanContent;
  gaps: PlanGap[];
}

function toVersionView(row: { version: number; content: string; saved_at: Date; saved_by_name: string | null }): PlanVersionView {
  const content = JSON.parse(row.content) as SafetyPlanContent;
  return { version: row.version, savedAt: row.saved_at.toISOString(), savedByName: row.saved_by_name, content, gaps: safetyPlanGaps(content) };
}

async function auditRead(db: Db, auth: AuthContext, clientId: string, meta: RequestMeta, detail: Record<string, unknown>) {
  await appendAuditEvent(db, {
    practiceId: auth.practice.id, actorUserId: auth.user.id, actorRole: auth.user.role, action: 'client.read',
    resourceType: 'safety_plan', resourceId: clientId, clientId, ip: meta.ip, outcome: 'success', detail,
  });
}

/** The current plan with its gaps; before the first save, the template to start from. */
export async function safetyPlanOf(db: Db, auth: AuthContext, clientId: string, meta: RequestMeta) {
  await authorizeClient(db, auth, clientId, 'client.read', meta.ip);
  const row = await repo.findPlan(db, auth.practice.id, clientId);
  await auditRead(db, auth, clientId, meta, { version: row?.version ?? null });
  return { current: row ? toVersionView(row) : null, template: row ? null : emptySafetyPlan(), sections: planSections() };
}

export async function planVersions(db: Db, auth: AuthContext, clientId: string, meta: RequestMeta) {
  await authorizeClient(db, auth, clientId, 'client.read', meta.ip);
  const rows = await repo.listPlanVersions(db, auth.practice.id, clientId);
  await auditRead(db, auth, clientId, meta, { versions: rows.length });
  return rows.map((r) => ({ version: r.version, savedAt: r.saved_at.toISOString(), savedByName: r.saved_by_name }));
}

export async function planVersion(db: Db, auth: AuthContext, clientId: string, version: number, meta: RequestMeta): Promise<PlanVersionView> {
  await authorizeClient(db, auth, clientId, 'client.read', meta.ip);
  const row = await repo.findPlan(db, auth.practice.id, clientId, version);
  if (!row) throw new Problem('NOT_FOUND', `This client's safety plan has no version ${version}.`);
  await auditRead(db, auth, clientId, meta, { version });
  return toVersionView(row);
}

export interface SavePlanInput {
  content: SafetyPlanContent;
  /** The version the editor started from; null for a first plan. */
  basedOnVersion: number | null;
}

/**
 * Saves the plan as a new version; nothing is ever overwritten. A save based on an
 * older version than the current one is refused, so nobody silently undoes a
 * colleague's changes. Sending the current plan again (a retried request) writes nothing.
 */
export async function saveSafetyPlan(db: Db, auth: AuthContext, clientId: string, input: SavePlanInput, meta: RequestMeta): Promise<{ version: number; gaps: PlanGap[]; created: boolean }> {
  await authorizeClient(db, auth, clientId, 'client.safety_plan.write', meta.ip);
  const practiceId = auth.practice.id;
  const content = normalizePlan(input.content);
  const text = JSON.stringify(content);
  return db.transaction().execute(async (trx) => {
    await repo.lockClientForPlanSave(trx, practiceId, clientId);
    const current = await repo.findPlan(trx, practiceId, clientId);
    const currentVersion = current?.version ?? null;
    const audit = (version: number, detail: Record<string, unknown>) => appendAuditEvent(trx, {
      practiceId, actorUserId: auth.user.id, actorRole: auth.user.role, action: 'client.safety_plan.write',
      resourceType: 'safety_plan', resourceId: clientId, clientId, ip: meta.ip, outcome: 'success', detail: { version, ...detail },
    });
    if (current && current.content === text) {
      await audit(current.version, { unchanged: true });
      return { version: current.version, gaps: safetyPlanGaps(content), created: false };
    }
    if (input.basedOnVersion !== currentVersion) {
      throw new Problem('SAFETY_PLAN_CHANGED', current
        ? `Version ${current.version} was saved by ${current.saved_by_name ?? 'someone'} while you were editing. Reload the plan, then make your changes again.`
        : 'This client has no saved safety plan yet. Reload and start from the template.');
    }
    const version = (currentVersion ?? 0) + 1;
    await repo.insertPlanVersion(trx, { practiceId, clientId, version, content: text, savedBy: auth.user.id });
    await audit(version, { basedOnVersion: input.basedOnVersion, entries: countEntries(content) });
    return { version, gaps: safetyPlanGaps(content), created: true };
  });
}

/** The printable plan (the current version unless one is asked for). */
export async function safetyPlanPdf(db: Db, auth: AuthContext, clientId: string, meta: RequestMeta, version?: number): Promise<{ version: number; pdf: Buffer }> {
  await authorizeClient(db, auth, clientId, 'client.read', meta.ip);
  const [row, clientName] = await Promise.all([
    repo.findPlan(db, auth.practice.id, clientId, version),
    repo.findClientName(db, auth.practice.id, clientId),
  ]);
  if (!row || clientName === undefined) {
    throw new Problem('NOT_FOUND', version === undefined ? 'This client has no safety plan yet.' : `This client's safety plan has no version ${version}.`);
  }
  const pdf = await renderSafetyPlanPdf({
    practiceName: auth.practice.name, clientName, version: row.version, savedAt: row.saved_at,
    timeZone: auth.practice.timeZone, content: JSON.parse(row.content) as SafetyPlanContent,
  });
  await auditRead(db, auth, clientId, meta, { version: row.version, format: 'pdf' });
  return { version: row.version, pdf };
}

/** How many entries each section has: enough for the audit trail, nothing of what they say. */
function countEntries(plan: SafetyPlanContent): Record<SafetyPlanSectionKey, number> {
  return Object.fromEntries(SAFETY_PLAN_SECTIONS.map((s) => [s.key, plan[s.key].length])) as Record<SafetyPlanSectionKey, number>;
}
