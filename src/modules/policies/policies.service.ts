import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../server/database.ts';
import { Problem } from '../../server/problems.ts';
import { policyAcknowledgement, type PolicyAcknowledgement } from '../../domain/readiness.ts';
import { appendAuditEvent } from '../audit/audit.repository.ts';
import type { AuthContext, RequestMeta } from '../auth/auth.service.ts';
import { authorizeClient } from '../clients/client-access.ts';
import type { AcknowledgementMethod } from './policies.table.ts';
import * as repo from './policies.repository.ts';

type Db = Kysely<Database>;

export const DEFAULT_POLICY_TITLE = 'Emergency and interruption policy';

/**
 * A calendar date someone may honestly write down at this instant: it is already that
 * date somewhere on Earth. Clocks run from UTC−12 to UTC+14 (Line Islands, Kiribati).
 */
export function latestDateOnEarth(now = new Date()): string {
  return new Date(now.getTime() + 14 * 3_600_000).toISOString().slice(0, 10);
}
export function earliestDateOnEarth(at: Date): string {
  return new Date(at.getTime() - 12 * 3_600_000).toISOString().slice(0, 10);
}

export interface PolicyView {
  version: number;
  title: string;
  bodyMarkdown: string;
  publishedAt: string;
  publishedByName: string | null;
}

export async function currentPolicy(db: Db, auth: AuthContext): Promise<PolicyView | null> {
  const row = await repo.findPolicy(db, auth.practice.id);
  return row ? toView(row) : null;
}

export async function policyVersion(db: Db, auth: AuthContext, version: number): Promise<PolicyView> {
  const row = await repo.findPolicy(db, auth.practice.id, version);
  if (!row) throw new Problem('NOT_FOUND', `There is no version ${version} of the policy.`);
  return toView(row);
}

export async function policyVersions(db: Db, auth: AuthContext) {
  const rows = await repo.listPolicyVersions(db, auth.practice.id);
  return rows.map((r) => ({ version: r.version, title: r.title, publishedAt: r.published_at.toISOString(), publishedByName: r.published_by_name }));
}

/** Publishes the next version; earlier versions stay, because acknowledgements refer to them. */
export async function publishPolicy(db: Db, auth: AuthContext, input: { title?: string | undefined; bodyMarkdown: string }, meta: RequestMeta): Promise<{ version: number }> {
  const practiceId = auth.practice.id;
  return db.transaction().execute(async (trx) => {
    await repo.lockPracticeForPublishing(trx, practiceId);
    const version = ((await repo.currentPolicyVersion(trx, practiceId)) ?? 0) + 1;
    await repo.insertPolicy(trx, { practiceId, version, title: input.title || DEFAULT_POLICY_TITLE, bodyMarkdown: input.bodyMarkdown, publishedBy: auth.user.id });
    await appendAuditEvent(trx, {
      practiceId, actorUserId: auth.user.id, actorRole: auth.user.role, action: 'policy.publish',
      resourceType: 'policy', resourceId: String(version), ip: meta.ip, outcome: 'success',
      detail: { version, characters: input.bodyMarkdown.length },
    });
    return { version };
  });
}

// --- a client's acknowledgements ------------------------------------------------

export interface AcknowledgementSummary {
  status: PolicyAcknowledgement;
  currentVersion: number | null;
  acknowledgements: { id: string; version: number; acknowledgedOn: string; method: AcknowledgementMethod; recordedByName: string | null; recordedAt: string }[];
}

async function summarize(db: Db, practiceId: string, clientId: string): Promise<AcknowledgementSummary> {
  const [currentVersion, rows] = await Promise.all([
    repo.currentPolicyVersion(db, practiceId),
    repo.listAcknowledgements(db, practiceId, clientId),
  ]);
  return {
    status: policyAcknowledgement(currentVersion, rows[0]?.policy_version ?? null),
    currentVersion,
    acknowledgements: rows.map((r) => ({
      id: r.id, version: r.policy_version, acknowledgedOn: r.acknowledged_on, method: r.method,
      recordedByName: r.recorded_by_name, recordedAt: r.recorded_at.toISOString(),
    })),
  };
}

export async function acknowledgementsOf(db: Db, auth: AuthContext, clientId: string, meta: RequestMeta): Promise<AcknowledgementSummary> {
  await authorizeClient(db, auth, clientId, 'client.read', meta.ip);
  const summary = await summarize(db, auth.practice.id, clientId);
  await appendAuditEvent(db, {
    practiceId: auth.practice.id, actorUserId: auth.user.id, actorRole: auth.user.role, action: 'client.read',
    resourceType: 'policy_acknowledgements', resourceId: clientId, clientId, ip: meta.ip, outcome: 'success',
    detail: { status: summary.status, count: summary.acknowledgements.length },
  });
  return summary;
}

export interface AcknowledgementInput {
  version: number;
  acknowledgedOn: string;
  method: AcknowledgementMethod;
}

/** Records that the client acknowledged a version of the policy (at intake, and again when it changes). */
export async function recordAcknowledgement(db: Db, auth: AuthContext, clientId: string, input: AcknowledgementInput, meta: RequestMeta): Promise<AcknowledgementSummary> {
  await authorizeClient(db, auth, clientId, 'client.update', meta.ip);
  const practiceId = auth.practice.id;
  const policy = await repo.findPolicy(db, practiceId, input.version);
  if (!policy) {
    throw new Problem('POLICY_VERSION_UNKNOWN', `The practice has not published version ${input.version} of its policy.`,
      { errors: [{ path: 'body.version', message: 'No such version' }] });
  }
  if (input.acknowledgedOn < earliestDateOnEarth(policy.published_at)) {
    throw new Problem('ACKNOWLEDGED_BEFORE_PUBLISHED', `Version ${input.version} was published on ${policy.published_at.toISOString().slice(0, 10)}.`,
      { errors: [{ path: 'body.acknowledgedOn', message: 'Before this version was published' }] });
  }
  const id = randomUUID();
  return db.transaction().execute(async (trx) => {
    await repo.insertAcknowledgement(trx, { practiceId, id, clientId, ...input, recordedBy: auth.user.id });
    const summary = await summarize(trx, practiceId, clientId);
    await appendAuditEvent(trx, {
      practiceId, actorUserId: auth.user.id, actorRole: auth.user.role, action: 'client.update',
      resourceType: 'policy_acknowledgement', resourceId: id, clientId, ip: meta.ip, outcome: 'success',
      detail: { version: input.version, method: input.method, status: summary.status },
    });
    return summary;
  });
}

function toView(row: { version: number; title: string; body_markdown: string; published_at: Date; published_by_name: string | null }): PolicyView {
  return { version: row.version, title: row.title, bodyMarkdown: row.body_markdown, publishedAt: row.published_at.toISOString(), publishedByName: row.published_by_name };
}
