import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../server/database.ts';
import { inTransaction, type JobQueue } from '../../server/jobs.ts';
import type { LiveHub, LiveMessage } from '../../server/live.ts';
import { Problem } from '../../server/problems.ts';
import { can } from '../../domain/permissions.ts';
import {
  DEFAULT_ESCALATION_POLICY, EscalationPolicySchema, nextReachable, TARGET_LABELS, waitMinutesAt,
  type EscalationPolicy, type EscalationStep, type EscalationTarget,
} from '../../domain/escalation.ts';
import { builtInProtocol } from '../../domain/protocols/catalog.ts';
import { appendAuditEvent } from '../audit/audit.repository.ts';
import type { AuthContext } from '../auth/auth.service.ts';
import { incidentAudience } from '../incidents/incidents.repository.ts';
import type { PageStatus } from './paging.table.ts';
import * as repo from './paging.repository.ts';
import { queuePageText } from '../messaging/outbox.ts';

type Db = Kysely<Database>;

/** Where paging reads the time: every page timestamp and job start comes from it, so tests control time. */
export interface Clock { now(): Date }
export const systemClock: Clock = { now: () => new Date() };

/** The pg-boss queue of escalation timers: one job per page and step, due when that step's wait is over. */
export const ESCALATION_QUEUE = 'page-escalation';
export interface EscalationJob { practiceId: string; pageId: string; level: number; round: number }
export const escalationJobKey = (job: Pick<EscalationJob, 'pageId' | 'level' | 'round'>) => `page-escalation:${job.pageId}:${job.level}:${job.round}`;

/** Creates the escalation queue ('short': a second job with the same key while the first still waits is not queued). */
export function ensureEscalationQueue(jobs: JobQueue): Promise<void> {
  return jobs.ensureQueue(ESCALATION_QUEUE, { policy: 'short', retryLimit: 5, retryDelay: 5, retryBackoff: true, expireInSeconds: 60 });
}

/** Queues the timer inside the caller's transaction: it exists exactly when the page change that needs it commits. */
async function scheduleEscalation(trx: Transaction<Database>, jobs: JobQueue, job: EscalationJob, startAfter: Date): Promise<void> {
  await ensureEscalationQueue(jobs);
  await jobs.boss.send(ESCALATION_QUEUE, job, {
    startAfter,
    singletonKey: escalationJobKey(job),
    db: inTransaction(trx),
  });
}

// --- views ----------------------------------------------------------------------------------

/** A page as the person paged sees it (the alert, and GET /api/pages). Level counts from 0, round from 1. */
export type PageForMe = {
  id: string;
  incidentId: string;
  status: PageStatus;
  reason: string;
  createdAt: string;
  requestedBy: { id: string; name: string };
  protocolTitle: string;
  discreetTitle: string;
  where: string | null;
  level: number;
  round: number;
  acknowledgedBy: { id: string; name: string } | null;
  acknowledgedAt: string | null;
};

function pageForMe(r: repo.PageViewRow): PageForMe {
  const protocol = builtInProtocol(r.protocol_key);
  return {
    id: r.id, incidentId: r.incident_id, status: r.status, reason: r.reason, createdAt: r.created_at.toISOString(),
    requestedBy: { id: r.requested_by, name: r.requested_by_name },
    protocolTitle: protocol?.title ?? r.protocol_key,
    discreetTitle: protocol?.discreetTitle ?? 'Help requested',
    where: r.modality === 'telehealth' ? 'Telehealth session' : r.location_name !== null ? `${r.location_name}, ${r.location_address ?? ''}`.replace(/, $/, '') : null,
    level: r.level, round: r.round,
    acknowledgedBy: r.acknowledged_by ? { id: r.acknowledged_by, name: r.acknowledged_by_name ?? '' } : null,
    acknowledgedAt: r.acknowledged_at?.toISOString() ?? null,
  };
}

async function loadPageForMe(db: Db | Transaction<Database>, practiceId: string, pageId: string): Promise<PageForMe> {
  const [row] = await repo.findPageViews(db, practiceId, [pageId]);
  if (!row) throw new Problem('NOT_FOUND', 'No such page.');
  return pageForMe(row);
}

/** A page as the incident view shows it (IncidentDetail.pages). */
export type IncidentPage = {
  id: string;
  status: PageStatus;
  reason: string;
  createdAt: string;
  requestedBy: { id: string; name: string };
  level: number;
  round: number;
  nextEscalationAt: string | null;
  acknowledgedBy: { id: string; name: string } | null;
  acknowledgedAt: string | null;
  recipients: { user: { id: string; name: string }; level: number; round: number; notifiedAt: string }[];
};

/** The pages of one incident, oldest first, each with everyone notified (for the incidents module's detail view). */
export async function incidentPages(db: Db | Transaction<Database>, practiceId: string, incidentId: string): Promise<IncidentPage[]> {
  const pages = await repo.findIncidentPageViews(db, practiceId, incidentId);
  const recipients = await repo.findRecipientsOfPages(db, practiceId, pages.map((p) => p.id));
  return pages.map((p) => ({
    id: p.id, status: p.status, reason: p.reason, createdAt: p.created_at.toISOString(),
    requestedBy: { id: p.requested_by, name: p.requested_by_name }, level: p.level, round: p.round,
    nextEscalationAt: p.next_escalation_at?.toISOString() ?? null,
    acknowledgedBy: p.acknowledged_by ? { id: p.acknowledged_by, name: p.acknowledged_by_name ?? '' } : null,
    acknowledgedAt: p.acknowledged_at?.toISOString() ?? null,
    recipients: recipients.filter((r) => r.page_id === p.id)
      .map((r) => ({ user: { id: r.user_id, name: r.name }, level: r.level, round: r.round, notifiedAt: r.notified_at.toISOString() })),
  }));
}

// --- the policy ---------------------------------------------------------------------------

/** The practice's saved policy, or the default. A stored policy that no longer validates pages by the default rather than not at all. */
export async function loadPolicy(db: Db | Transaction<Database>, practiceId: string): Promise<EscalationPolicy> {
  return policyOf(await repo.findPolicy(db, practiceId));
}

function policyOf(row: { levels: unknown; rounds: number | null; on_call_user_ids: string[] | null } | undefined): EscalationPolicy {
  if (!row || row.rounds === null) return DEFAULT_ESCALATION_POLICY;
  const parsed = EscalationPolicySchema.safeParse({ levels: row.levels, rounds: row.rounds, onCallUserIds: row.on_call_user_ids });
  return parsed.success ? parsed.data : DEFAULT_ESCALATION_POLICY;
}

export type EscalationPolicyView = EscalationPolicy & { onCall: { id: string; name: string }[] };

async function policyView(db: Db | Transaction<Database>, practiceId: string, policy: EscalationPolicy): Promise<EscalationPolicyView> {
  const users = new Map((await repo.findUsers(db, practiceId, policy.onCallUserIds)).map((u) => [u.id, u]));
  return {
    levels: policy.levels, rounds: policy.rounds, onCallUserIds: policy.onCallUserIds,
    onCall: policy.onCallUserIds.flatMap((id) => { const u = users.get(id); return u ? [{ id, name: u.name }] : []; }),
  };
}

export async function readPolicy(db: Db, auth: AuthContext): Promise<EscalationPolicyView> {
  return policyView(db, auth.practice.id, await loadPolicy(db, auth.practice.id));
}

/** Saves the practice's policy. On call: active clinicians and supervisors of this practice only. */
export async function savePolicy(db: Db, auth: AuthContext, policy: EscalationPolicy, ip: string | null, clock: Clock = systemClock): Promise<EscalationPolicyView> {
  const practiceId = auth.practice.id;
  const found = new Map((await repo.findUsers(db, practiceId, policy.onCallUserIds)).map((u) => [u.id, u]));
  const refused = policy.onCallUserIds.filter((id) => {
    const u = found.get(id);
    return !u || !u.active || (u.role !== 'clinician' && u.role !== 'supervisor');
  });
  if (refused.length) {
    throw new Problem('ON_CALL_NOT_CLINICIAN', `Only active clinicians and supervisors of this practice can be on call; not ${refused.join(', ')}.`, {
      errors: refused.map((id) => ({ path: `body.onCallUserIds.${policy.onCallUserIds.indexOf(id)}`, message: 'is not an active clinician or supervisor of this practice' })),
    });
  }
  return db.transaction().execute(async (trx) => {
    const before = await loadPolicy(trx, practiceId);
    await repo.savePolicy(trx, practiceId, policy, auth.user.id, clock.now());
    await appendAuditEvent(trx, {
      practiceId, actorUserId: auth.user.id, actorRole: auth.user.role, action: 'escalation.manage',
      resourceType: 'escalation_policy', resourceId: practiceId, ip, outcome: 'success', detail: { before, after: policy },
    });
    return policyView(trx, practiceId, policy);
  });
}

// --- paging and escalating ------------------------------------------------------------------

export interface PageRequested {
  pageId: string;
  /**
   * Who follows the incident live (`incidentAudience`), as read in this transaction after
   * the page was stored; absent when no page was created (an open page was returned).
   */
  audience?: string[];
  /** False when a page was already open for the incident and is returned instead (nobody is paged twice). */
  created: boolean;
  /** Who this call notified; for an existing page, everyone notified for it so far. */
  notifiedUserIds: string[];
  /** To publish after the transaction commits (`publishAll`). */
  messages: LiveMessage[];
}

type Person = { id: string; name: string; pagePhone: string | null };
type People = Map<EscalationTarget, Person[]>;

async function resolveTargets(trx: Transaction<Database>, practiceId: string, requestedBy: string, policy: EscalationPolicy): Promise<People> {
  return peopleOf(await repo.findTargets(trx, practiceId, requestedBy, policy.onCallUserIds));
}

function peopleOf(rows: { target: EscalationTarget; id: string; name: string; page_phone: string | null }[]): People {
  const people: People = new Map([['supervisor', []], ['on_call', []], ['owner', []]]);
  for (const row of rows) people.get(row.target)!.push({ id: row.id, name: row.name, pagePhone: row.page_phone });
  return people;
}

/** The practice's policy and who its levels would page, in one round trip (as `loadPolicy` then `resolveTargets`). */
async function policyAndPeople(trx: Transaction<Database>, practiceId: string, requestedBy: string): Promise<{ policy: EscalationPolicy; people: People }> {
  const found = await repo.findPolicyAndTargets(trx, practiceId, requestedBy);
  const policy = policyOf(found.policy);
  // The statement read the saved on-call list; a saved policy that no longer validates pages by the default's (nobody on call).
  const onCall = new Set(policy.onCallUserIds);
  return { policy, people: peopleOf(found.targets.filter((t) => t.target !== 'on_call' || onCall.has(t.id))) };
}

const names = (list: { name: string }[]) =>
  list.length <= 1 ? (list[0]?.name ?? '') : `${list.slice(0, -1).map((p) => p.name).join(', ')} and ${list[list.length - 1]!.name}`;
const levelOf = (policy: EscalationPolicy, step: EscalationStep) =>
  `level ${step.level + 1} of ${policy.levels.length}, round ${step.round} of ${policy.rounds}`;
const targetAt = (policy: EscalationPolicy, step: EscalationStep): EscalationTarget => policy.levels[step.level]?.target ?? 'owner';

/** Where a page stands after a step (as stored on it). */
type PageWhereNow = { status: 'open' | 'exhausted'; level: number; round: number; next_escalation_at: Date | null };

interface Advance {
  practiceId: string;
  incidentId: string;
  clientId: string;
  pageId: string;
  policy: EscalationPolicy;
  people: People;
  at: Date;
  /** Who caused it: the requester for a new page; nobody (the timer) for an escalation. */
  actor: { userId: string; role: string } | null;
}

/**
 * Moves a page to the first step after `after` that pages somebody (or the first step
 * of a new page): records the skipped levels and the people paged on the timeline,
 * notifies them, and queues the next timer; or, when no step is left, marks the page
 * exhausted (it can still be acknowledged). Returns who was notified and where it stands.
 */
async function advance(
  trx: Transaction<Database>, jobs: JobQueue, a: Advance, after: EscalationStep | null,
  savePage: ((where: PageWhereNow) => Promise<void>) | { insert: (where: PageWhereNow) => repo.NewPage },
) {
  const { policy, people } = a;
  const { step, skipped } = nextReachable(policy, after, (t) => (people.get(t)?.length ?? 0) > 0);
  const nextEscalationAt = step === 'exhausted' ? null : new Date(a.at.getTime() + waitMinutesAt(policy, step.level) * 60_000);
  const saved = step === 'exhausted'
    ? { status: 'exhausted' as const, level: after?.level ?? 0, round: after?.round ?? 1, next_escalation_at: null }
    : { status: 'open' as const, level: step.level, round: step.round, next_escalation_at: nextEscalationAt };
  // A new page is inserted with its first step, in one statement.
  const newPage = typeof savePage === 'function' ? (await savePage(saved), null) : savePage.insert(saved);
  const timeline: { what: string }[] = skipped.map((s) => ({
    what: `Nobody to page at ${levelOf(policy, s)} (${TARGET_LABELS[targetAt(policy, s)]}): skipped`,
  }));
  let notified: Person[] = [];
  if (step === 'exhausted') {
    timeline.push({
      what: after === null
        ? 'Nobody could be paged: the escalation policy names nobody who can be reached'
        : `Nobody acknowledged after ${policy.rounds} round${policy.rounds === 1 ? '' : 's'}; anyone paged can still acknowledge`,
    });
  } else {
    notified = people.get(targetAt(policy, step)) ?? [];
    timeline.push({ what: `Paged ${names(notified)} (${TARGET_LABELS[targetAt(policy, step)]}), ${levelOf(policy, step)}` });
  }
  await repo.insertStep(trx, {
    practiceId: a.practiceId, pageId: a.pageId, incidentId: a.incidentId, at: a.at, actorUserId: a.actor?.userId ?? null, newPage,
    notified: step === 'exhausted' ? null : { userIds: notified.map((p) => p.id), level: step.level, round: step.round },
    timeline: timeline.map((t) => t.what),
  });
  if (step !== 'exhausted') {
    await scheduleEscalation(trx, jobs, { practiceId: a.practiceId, pageId: a.pageId, level: step.level, round: step.round }, nextEscalationAt!);
    await textThePaged(trx, jobs, a, step, notified);
  }
  // Who was given access to the incident by being paged (minimum necessary: recorded who and why).
  await appendAuditEvent(trx, {
    practiceId: a.practiceId, actorUserId: a.actor?.userId ?? null, actorRole: a.actor?.role ?? 'system',
    action: after === null ? 'pages.request' : 'pages.escalate', resourceType: 'page', resourceId: a.pageId, clientId: a.clientId,
    ip: null, outcome: 'success',
    detail: { incidentId: a.incidentId, step, skipped, notifiedUserIds: notified.map((p) => p.id), nextEscalationAt: nextEscalationAt?.toISOString() ?? null },
  });
  return { step, notified, nextEscalationAt, saved };
}

/** Each person this step paged who gave a number for it is texted too, once per page, level and round. */
async function textThePaged(trx: Transaction<Database>, jobs: JobQueue, a: Advance, step: EscalationStep, notified: Person[]): Promise<void> {
  const withPhone = notified.filter((p): p is Person & { pagePhone: string } => p.pagePhone !== null);
  if (withPhone.length === 0) return;
  const practice = await trx.selectFrom('practices').select('name').where('id', '=', a.practiceId).executeTakeFirstOrThrow();
  for (const person of withPhone) {
    await queuePageText(trx, jobs, {
      practiceId: a.practiceId, toAddress: person.pagePhone, practiceName: practice.name, now: a.at,
      idempotencyKey: `page:${a.pageId}:${step.level}:${step.round}:${person.id}`,
    });
  }
}

/**
 * The messages for a page that just paged people (and, when `statusChanged`, changed
 * status), to `audience` (the incident's, `incidentAudience`, read after the recipients
 * were stored) and `recipients` (everyone notified for the page so far).
 */
function pageMessages(practiceId: string, view: PageForMe, notifiedUserIds: string[], statusChanged: boolean, audience: string[], recipients: string[]): LiveMessage[] {
  const messages: LiveMessage[] = [];
  if (notifiedUserIds.length) messages.push({ type: 'page', practiceId, userIds: notifiedUserIds, data: { ...view } });
  if (statusChanged) messages.push(pageUpdated(practiceId, view, [...new Set([...recipients, ...audience])]));
  messages.push({ type: 'incident.updated', practiceId, userIds: audience, data: { incidentId: view.incidentId } });
  return messages;
}

const pageUpdated = (practiceId: string, view: PageForMe, userIds: string[]): LiveMessage => ({
  type: 'page.updated', practiceId, userIds,
  data: { pageId: view.id, incidentId: view.incidentId, status: view.status, acknowledgedBy: view.acknowledgedBy },
});

async function recipientsAndAudience(trx: Transaction<Database>, practiceId: string, pageId: string, audience: string[]) {
  return [...new Set([...(await repo.recipientIds(trx, practiceId, pageId)), ...audience])];
}

/**
 * Pages for help on an incident, inside the caller's transaction (the incidents
 * service calls it when a protocol needs help or a clinician asks): the first level of
 * the practice's policy that pages somebody is notified now, and the timer for the next
 * level is queued in pg-boss in the same transaction. An incident with a page already
 * open gets that page back: pressing twice does not page twice. Publish the returned
 * messages after the commit (`publishAll`).
 */
export async function requestPage(trx: Transaction<Database>, jobs: JobQueue, input: RequestPageInput): Promise<PageRequested> {
  const { practiceId, incidentId, requestedBy, at } = input;
  const queueReady = ensureEscalationQueue(jobs);
  let known: { clientId: string; requester: { role: string; name: string }; protocolKey: string; where: PageWhere };
  let policy: EscalationPolicy;
  let people: People;
  if (input.newIncident) {
    // Created by the caller in this transaction: nobody else can see it, lock it or have paged for it yet.
    const { incident } = input;
    known = incident;
    ({ policy, people } = await policyAndPeople(trx, practiceId, requestedBy));
  } else {
    const incident = await repo.lockIncident(trx, practiceId, incidentId, requestedBy);
    if (!incident) throw new Problem('NOT_FOUND', 'No such incident.');
    if (incident.status === 'closed') throw new Problem('INCIDENT_ALREADY_CLOSED', 'This incident is closed; nobody was paged.');
    if (incident.open_page_id) {
      return { pageId: incident.open_page_id, created: false, notifiedUserIds: await repo.recipientIds(trx, practiceId, incident.open_page_id), messages: [] };
    }
    if (!incident.requester_role) throw new Problem('NOT_FOUND', 'No such person in this practice.');
    known = {
      clientId: incident.client_id, requester: { role: incident.requester_role, name: incident.requester_name ?? '' }, protocolKey: incident.protocol_key,
      where: { modality: incident.modality, locationName: incident.location_name, locationAddress: incident.location_address },
    };
    policy = policyOf(incident);
    people = await resolveTargets(trx, practiceId, requestedBy, policy);
  }
  const pageId = randomUUID();
  await queueReady;
  const { step, notified, saved } = await advance(trx, jobs, {
    practiceId, incidentId, clientId: known.clientId, pageId, policy, people, at, actor: { userId: requestedBy, role: known.requester.role },
  }, null, { insert: (where) => ({
    practice_id: practiceId, id: pageId, incident_id: incidentId, requested_by: requestedBy, reason: input.reason, created_at: at, ...where,
  }) });
  const notifiedUserIds = notified.map((p) => p.id);
  // The page as just stored (what `findPageViews` would read back), and the incident's audience: for a new
  // incident its care team and whoever this page notified (the only page recipients it has).
  const view = pageForMe({
    id: pageId, incident_id: incidentId, status: saved.status, reason: input.reason, created_at: at,
    requested_by: requestedBy, requested_by_name: known.requester.name, level: saved.level, round: saved.round,
    acknowledged_by: null, acknowledged_by_name: null, acknowledged_at: null, next_escalation_at: saved.next_escalation_at,
    protocol_key: known.protocolKey, client_id: known.clientId,
    modality: known.where.modality, location_name: known.where.locationName, location_address: known.where.locationAddress,
  });
  const audience = input.newIncident
    ? [...new Set([...input.incident.careTeam, ...notifiedUserIds])]
    : await incidentAudience(trx, practiceId, incidentId);
  return {
    pageId, created: true, notifiedUserIds, audience,
    // A new page's recipients are exactly the people it just notified.
    messages: pageMessages(practiceId, view, notifiedUserIds, step === 'exhausted', audience, notifiedUserIds),
  };
}

/** Where the session of an incident is, for the page's alert (none: not during a session). */
export interface PageWhere { modality: repo.PageViewRow['modality']; locationName: string | null; locationAddress: string | null }

export type RequestPageInput = {
  practiceId: string; incidentId: string; requestedBy: string; reason: string; at: Date;
} & (
  | { newIncident?: false }
  | {
    /** The caller created the incident in this same transaction: it is not locked or checked for an open page again. */
    newIncident: true;
    /** What the caller already knows of the new incident, so nothing about it is read back. */
    incident: {
      clientId: string;
      protocolKey: string;
      requester: { role: string; name: string };
      where: PageWhere;
      /** The client's assigned clinicians and their supervisors, read in this transaction. */
      careTeam: readonly string[];
    };
  }
);

export interface EscalationResult {
  outcome: 'stale' | 'escalated' | 'exhausted';
  notifiedUserIds: string[];
  messages: LiveMessage[];
}

/**
 * What the timer does when a level's wait is over: if the page is still open at that
 * level and round, pages the next level that has somebody (or marks the page exhausted
 * after the last round) and queues the next timer. A page acknowledged, cancelled,
 * already moved on, or of a closed incident is left alone (a stale or repeated job).
 */
export async function escalatePage(db: Db, jobs: JobQueue, job: EscalationJob, clock: Clock): Promise<EscalationResult> {
  return db.transaction().execute(async (trx): Promise<EscalationResult> => {
    const page = await repo.lockPage(trx, job.practiceId, job.pageId);
    if (!page || page.status !== 'open' || page.incident_status !== 'open' || page.level !== job.level || page.round !== job.round) {
      return { outcome: 'stale', notifiedUserIds: [], messages: [] };
    }
    const at = clock.now();
    const { policy, people } = await policyAndPeople(trx, job.practiceId, page.requested_by);
    const { step, notified } = await advance(trx, jobs, {
      practiceId: job.practiceId, incidentId: page.incident_id, clientId: page.client_id, pageId: page.id, policy, people, at, actor: null,
    }, { level: page.level, round: page.round }, (where) => repo.updatePage(trx, job.practiceId, page.id, where));
    const exhausted = step === 'exhausted';
    const notifiedUserIds = notified.map((p) => p.id);
    const audience = await incidentAudience(trx, job.practiceId, page.incident_id);
    const view = await loadPageForMe(trx, job.practiceId, page.id);
    const recipients = exhausted ? await repo.recipientIds(trx, job.practiceId, page.id) : [];
    return {
      outcome: exhausted ? 'exhausted' : 'escalated', notifiedUserIds,
      messages: pageMessages(job.practiceId, view, notifiedUserIds, exhausted, audience, recipients),
    };
  });
}

/**
 * Runs the escalation timers of this instance: pg-boss hands each due job to one
 * instance. A failed run is retried by pg-boss (the transaction rolled back, so it
 * starts over). Returns how to stop.
 */
export async function startEscalationWorker(deps: { db: Db; jobs: JobQueue; live: LiveHub; clock: Clock }): Promise<{ stop(): Promise<void> }> {
  await ensureEscalationQueue(deps.jobs);
  // Two side by side, each asking again at once while timers are due: pages falling due together escalate together.
  const ids = await deps.jobs.workContinuously<EscalationJob>(ESCALATION_QUEUE, { pollingIntervalSeconds: 1 }, async ([job]) => {
    if (!job) return;
    const result = await escalatePage(deps.db, deps.jobs, job.data, deps.clock);
    await publishAll(deps.live, deps.db, result.messages);
  }, 2);
  return { stop: async () => { for (const id of ids) await deps.jobs.boss.offWork({ id }); } };
}

/** The pause before each retry of an announcement that failed (two retries). */
const PUBLISH_RETRY_MS = [100, 400];

/**
 * Announces committed changes to the browsers, trying again after a failure (a
 * connection lost that instant: a page must not go unheard because of it). Never throws:
 * the change is committed and must not be reported as failed; browsers refetch on
 * `resync` and on reload, and an unanswered page escalates.
 */
export async function publishAll(live: LiveHub, db: Kysely<any>, messages: readonly LiveMessage[]): Promise<void> {
  const addressed = messages.filter((m) => m.userIds.length > 0);
  if (addressed.length === 0) return;
  for (let attempt = 0; ; attempt++) {
    try {
      await live.publishAll(db, addressed);
      return;
    } catch (err) {
      const pause = PUBLISH_RETRY_MS[attempt];
      if (pause === undefined) {
        console.error('Could not announce live updates:', err);
        return;
      }
      await sleep(pause);
    }
  }
}

// --- answering a page -------------------------------------------------------------------------

/** The open (or exhausted) pages I was notified of, for the alert after a reload. */
// --- where my pages are texted ---------------------------------------------------------------

export async function readPagePhone(db: Db, auth: AuthContext): Promise<string | null> {
  const row = await db.selectFrom('users').select('page_phone').where('practice_id', '=', auth.practice.id).where('id', '=', auth.user.id).executeTakeFirst();
  return row?.page_phone ?? null;
}

export async function savePagePhone(db: Db, auth: AuthContext, phone: string | null, ip: string | null): Promise<string | null> {
  return db.transaction().execute(async (trx) => {
    const before = await readPagePhone(trx, auth);
    await trx.updateTable('users').set({ page_phone: phone }).where('practice_id', '=', auth.practice.id).where('id', '=', auth.user.id).execute();
    await appendAuditEvent(trx, {
      practiceId: auth.practice.id, actorUserId: auth.user.id, actorRole: auth.user.role, action: 'me.page_phone', resourceType: 'user',
      resourceId: auth.user.id, ip, outcome: 'success', detail: { before, after: phone },
    });
    return phone;
  });
}

export async function listMyPages(db: Db, auth: AuthContext, ip: string | null): Promise<PageForMe[]> {
  const rows = await repo.findPagesForUser(db, auth.practice.id, auth.user.id);
  await appendAuditEvent(db, {
    practiceId: auth.practice.id, actorUserId: auth.user.id, actorRole: auth.user.role, action: 'pages.read',
    resourceType: 'pages', resourceId: auth.user.id, ip, outcome: 'success',
    detail: { pageIds: rows.map((r) => r.id), clientIds: [...new Set(rows.map((r) => r.client_id))] },
  });
  return rows.map(pageForMe);
}

/**
 * "I'm on it": the first person notified to acknowledge stops the escalation (the
 * timer finds the page acknowledged and does nothing). Acknowledging again, or after
 * someone else did, answers the page unchanged. Anyone not notified for the page gets
 * 404, audited, as for a page that does not exist.
 */
export async function acknowledgePage(db: Db, auth: AuthContext, pageId: string, ip: string | null, clock: Clock = systemClock): Promise<{ page: PageForMe; changed: boolean; messages: LiveMessage[] }> {
  const practiceId = auth.practice.id;
  const result = await db.transaction().execute(async (trx) => {
    const page = await repo.lockPage(trx, practiceId, pageId);
    const pagedUserIds = page ? await repo.recipientIds(trx, practiceId, pageId) : [];
    if (!page || !can('pages.acknowledge', auth.actor, { practiceId, pagedUserIds })) {
      await appendAuditEvent(trx, {
        practiceId, actorUserId: auth.user.id, actorRole: auth.user.role, action: 'pages.acknowledge', resourceType: 'page', resourceId: pageId,
        clientId: page?.client_id ?? null, ip, outcome: 'denied', detail: { reason: page ? 'not_notified' : 'no_such_page' },
      });
      return null;
    }
    const changed = page.status === 'open' || page.status === 'exhausted';
    if (changed) {
      const at = clock.now();
      await repo.updatePage(trx, practiceId, pageId, { status: 'acknowledged', acknowledged_by: auth.user.id, acknowledged_at: at, next_escalation_at: null });
      await repo.insertTimeline(trx, [{ practiceId, incidentId: page.incident_id, at, actorUserId: auth.user.id, what: `Acknowledged by ${auth.user.name}` }]);
    }
    await appendAuditEvent(trx, {
      practiceId, actorUserId: auth.user.id, actorRole: auth.user.role, action: 'pages.acknowledge', resourceType: 'page', resourceId: pageId,
      clientId: page.client_id, ip, outcome: 'success',
      detail: changed ? { incidentId: page.incident_id, was: page.status, level: page.level, round: page.round } : { incidentId: page.incident_id, unchanged: page.status, acknowledgedBy: page.acknowledged_by },
    });
    const view = await loadPageForMe(trx, practiceId, pageId);
    let messages: LiveMessage[] = [];
    if (changed) {
      const audience = await incidentAudience(trx, practiceId, page.incident_id);
      messages = [
        pageUpdated(practiceId, view, [...new Set([...pagedUserIds, ...audience])]),
        { type: 'incident.updated', practiceId, userIds: audience, data: { incidentId: page.incident_id } },
      ];
    }
    return { page: view, changed, messages };
  });
  if (!result) throw new Problem('NOT_FOUND', 'No such page.');
  return result;
}

/**
 * Cancels an incident's pages still waiting for an answer (for the incidents service,
 * inside its transaction, e.g. when the incident closes). Their timers then find them
 * cancelled and do nothing. Publish the returned messages after the commit.
 */
export async function cancelIncidentPages(trx: Transaction<Database>, input: {
  practiceId: string; incidentId: string; by: string; at: Date; why: string;
}): Promise<LiveMessage[]> {
  const pages = await repo.openPagesOfIncident(trx, input.practiceId, input.incidentId);
  if (pages.length === 0) return [];
  const audience = await incidentAudience(trx, input.practiceId, input.incidentId);
  const messages: LiveMessage[] = [];
  for (const page of pages) {
    await repo.updatePage(trx, input.practiceId, page.id, { status: 'cancelled', next_escalation_at: null });
    await repo.insertTimeline(trx, [{ practiceId: input.practiceId, incidentId: input.incidentId, at: input.at, actorUserId: input.by, what: `Page cancelled: ${input.why}` }]);
    const view = await loadPageForMe(trx, input.practiceId, page.id);
    messages.push(pageUpdated(input.practiceId, view, await recipientsAndAudience(trx, input.practiceId, page.id, audience)));
  }
  messages.push({ type: 'incident.updated', practiceId: input.practiceId, userIds: audience, data: { incidentId: input.incidentId } });
  return messages;
}
