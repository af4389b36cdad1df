import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../server/database.ts';
import type { EscalationPolicy, EscalationTarget } from '../../domain/escalation.ts';
import type { TimelineKind } from '../incidents/incidents.table.ts';
import type { Page, PageStatus } from './paging.table.ts';

type Db = Kysely<Database> | Transaction<Database>;

// --- the policy -----------------------------------------------------------------------

export async function findPolicy(db: Db, practiceId: string) {
  return db.selectFrom('escalation_policies').select(['levels', 'rounds', 'on_call_user_ids', 'updated_by', 'updated_at'])
    .where('practice_id', '=', practiceId).executeTakeFirst();
}

export async function savePolicy(db: Db, practiceId: string, policy: EscalationPolicy, updatedBy: string, at: Date) {
  const values = { levels: JSON.stringify(policy.levels), rounds: policy.rounds, on_call_user_ids: policy.onCallUserIds, updated_by: updatedBy, updated_at: at };
  await db.insertInto('escalation_policies').values({ practice_id: practiceId, ...values })
    .onConflict((oc) => oc.column('practice_id').doUpdateSet(values)).execute();
}

/** Active people of the practice among `ids`, with their role. */
export async function findUsers(db: Db, practiceId: string, ids: readonly string[]) {
  if (ids.length === 0) return [];
  return db.selectFrom('users').select(['id', 'name', 'role', 'active'])
    .where('practice_id', '=', practiceId).where('id', 'in', [...ids]).orderBy('name').execute();
}

// --- who a level pages ------------------------------------------------------------------

/**
 * The people each kind of level would page now: the requester's supervisors, the
 * on-call clinicians and supervisors, the owners. Only active people; never the requester.
 */
export async function findTargets(db: Db, practiceId: string, requestedBy: string, onCallUserIds: readonly string[]) {
  const { rows } = await sql<{ target: EscalationTarget; id: string; name: string; page_phone: string | null }>`
    select 'supervisor' as target, u.id, u.name, u.page_phone from supervision s
      join users u on u.practice_id = s.practice_id and u.id = s.supervisor_id
      where s.practice_id = ${practiceId} and s.clinician_id = ${requestedBy} and u.active and u.id <> ${requestedBy}
    union all
    select 'on_call', u.id, u.name, u.page_phone from users u
      where u.practice_id = ${practiceId} and u.id = any(${[...onCallUserIds]}::uuid[]) and u.active
        and u.role in ('clinician', 'supervisor') and u.id <> ${requestedBy}
    union all
    select 'owner', u.id, u.name, u.page_phone from users u
      where u.practice_id = ${practiceId} and u.role = 'owner' and u.active and u.id <> ${requestedBy}
    order by target, name, id`.execute(db);
  return rows;
}

/**
 * The practice's saved policy (null when it has none) and, in the same round trip, the
 * people each kind of level would page now, as `findTargets` with the saved on-call list.
 */
export async function findPolicyAndTargets(db: Db, practiceId: string, requestedBy: string) {
  const { rows } = await sql<{
    target: EscalationTarget | null; id: string | null; name: string | null; page_phone: string | null;
    levels: unknown; rounds: number | null; on_call_user_ids: string[] | null;
  }>`
    with ep as (select levels, rounds, on_call_user_ids from escalation_policies where practice_id = ${practiceId})
    select null as target, null::uuid as id, null as name, null as page_phone, ep.levels, ep.rounds, ep.on_call_user_ids from ep
    union all (
      select 'supervisor', u.id, u.name, u.page_phone, null::jsonb, null::integer, null::uuid[] from supervision s
        join users u on u.practice_id = s.practice_id and u.id = s.supervisor_id
        where s.practice_id = ${practiceId} and s.clinician_id = ${requestedBy} and u.active and u.id <> ${requestedBy}
      union all
      select 'on_call', u.id, u.name, u.page_phone, null::jsonb, null::integer, null::uuid[] from users u
        where u.practice_id = ${practiceId} and u.id = any(coalesce((select on_call_user_ids from ep), '{}'::uuid[])) and u.active
          and u.role in ('clinician', 'supervisor') and u.id <> ${requestedBy}
      union all
      select 'owner', u.id, u.name, u.page_phone, null::jsonb, null::integer, null::uuid[] from users u
        where u.practice_id = ${practiceId} and u.role = 'owner' and u.active and u.id <> ${requestedBy}
      order by 1, 3, 2
    )`.execute(db);
  const [first] = rows;
  const policy = first && first.target === null ? first : undefined;
  const targets = rows.filter((r): r is typeof r & { target: EscalationTarget; id: string; name: string; page_phone: string | null } => r.target !== null);
  return { policy, targets };
}

// --- incidents as paging sees them ------------------------------------------------------

/**
 * Takes the incident for paging (so two requests for help cannot both create a page)
 * and reads, in the same round trip, whether a page is already open, the requester's
 * role and name, the practice's saved policy, and where the session is (for the page's
 * alert). FOR NO KEY UPDATE: rows that merely reference
 * the incident (timeline entries, notes) are not held up.
 */
export async function lockIncident(trx: Transaction<Database>, practiceId: string, incidentId: string, requestedBy: string) {
  return trx.selectFrom('incidents as i')
    .leftJoin('users as r', (j) => j.onRef('r.practice_id', '=', 'i.practice_id').on('r.id', '=', requestedBy))
    .leftJoin('escalation_policies as ep', 'ep.practice_id', 'i.practice_id')
    .leftJoin('therapy_sessions as s', (j) => j.onRef('s.practice_id', '=', 'i.practice_id').onRef('s.id', '=', 'i.session_id'))
    .leftJoin('locations as l', (j) => j.onRef('l.practice_id', '=', 's.practice_id').onRef('l.id', '=', 's.location_id'))
    .select(['i.id', 'i.client_id', 'i.status', 'i.protocol_key', 'r.role as requester_role', 'r.name as requester_name', 'ep.levels', 'ep.rounds', 'ep.on_call_user_ids'])
    .select(['s.modality', 'l.name as location_name', 'l.address as location_address'])
    .select((eb) => eb.selectFrom('pages as p').select('p.id')
      .whereRef('p.practice_id', '=', 'i.practice_id').whereRef('p.incident_id', '=', 'i.id').where('p.status', '=', 'open')
      .orderBy('p.created_at', 'desc').limit(1).as('open_page_id'))
    .where('i.practice_id', '=', practiceId).where('i.id', '=', incidentId)
    .forNoKeyUpdate('i').executeTakeFirst();
}

export async function findUserName(db: Db, practiceId: string, userId: string): Promise<string | null> {
  const row = await db.selectFrom('users').select('name').where('practice_id', '=', practiceId).where('id', '=', userId).executeTakeFirst();
  return row?.name ?? null;
}

// --- pages ------------------------------------------------------------------------------

export type NewPage = Omit<Page, 'acknowledged_by' | 'acknowledged_at'>;

/**
 * Takes a page to change it. Its incident first (KEY SHARE: it must stay, and whoever
 * holds it to close it finishes first), then the page: the same order as the incidents
 * service, which takes the incident before the pages, so the two cannot deadlock.
 */
export async function lockPage(trx: Transaction<Database>, practiceId: string, pageId: string): Promise<(Page & { client_id: string; incident_status: 'open' | 'closed' }) | undefined> {
  const incident = await trx.selectFrom('incidents as i').select(['i.id', 'i.client_id', 'i.status'])
    .where('i.practice_id', '=', practiceId)
    .where('i.id', '=', (eb) => eb.selectFrom('pages').select('incident_id').where('practice_id', '=', practiceId).where('id', '=', pageId))
    .forKeyShare().executeTakeFirst();
  if (!incident) return undefined;
  const page = await trx.selectFrom('pages').selectAll().where('practice_id', '=', practiceId).where('id', '=', pageId).forUpdate().executeTakeFirst();
  return page && { ...page, client_id: incident.client_id, incident_status: incident.status };
}

export async function updatePage(trx: Transaction<Database>, practiceId: string, pageId: string, patch: {
  status?: PageStatus; level?: number; round?: number; next_escalation_at?: Date | null; acknowledged_by?: string | null; acknowledged_at?: Date | null;
}) {
  await trx.updateTable('pages').set(patch).where('practice_id', '=', practiceId).where('id', '=', pageId).execute();
}

/**
 * A step of a page in one round trip: the new page itself (for its first step), the
 * people it notified (none: nobody to page) and its timeline entries for the incident,
 * in order (as `insertPage`, then the recipients, then `insertTimeline`).
 */
export async function insertStep(trx: Transaction<Database>, step: {
  practiceId: string; pageId: string; incidentId: string; at: Date; actorUserId: string | null;
  newPage: NewPage | null; notified: { userIds: string[]; level: number; round: number } | null; timeline: string[];
}) {
  const ids = step.notified?.userIds ?? [];
  const p = step.newPage;
  const page = p ? sql`page as (
      insert into pages (practice_id, id, incident_id, requested_by, reason, status, level, round, created_at, next_escalation_at, acknowledged_by, acknowledged_at)
      values (${p.practice_id}, ${p.id}, ${p.incident_id}, ${p.requested_by}, ${p.reason}, ${p.status}, ${p.level}, ${p.round}, ${p.created_at},
        ${p.next_escalation_at}, null, null)
    ), ` : sql``;
  await sql`
    with ${page}recipients as (
      insert into page_recipients (practice_id, page_id, user_id, level, round, notified_at)
      select ${step.practiceId}::uuid, ${step.pageId}::uuid, x.user_id, ${step.notified?.level ?? 0}::integer, ${step.notified?.round ?? 1}::integer, ${step.at}::timestamptz
      from unnest(${ids}::uuid[]) as x(user_id)
      on conflict do nothing
    )
    insert into incident_timeline (practice_id, incident_id, at, actor_user_id, run_id, step_id, kind, what)
    select ${step.practiceId}::uuid, ${step.incidentId}::uuid, ${step.at}::timestamptz, ${step.actorUserId}::uuid, null, null, 'page', t.what
    from unnest(${step.timeline}::text[]) with ordinality as t(what, n)
    order by t.n`.execute(trx);
}

/** Everyone notified for a page so far, once each. */
export async function recipientIds(db: Db, practiceId: string, pageId: string): Promise<string[]> {
  const rows = await db.selectFrom('page_recipients').select('user_id').distinct()
    .where('practice_id', '=', practiceId).where('page_id', '=', pageId).execute();
  return rows.map((r) => r.user_id);
}

export async function openPagesOfIncident(trx: Transaction<Database>, practiceId: string, incidentId: string) {
  return trx.selectFrom('pages').selectAll().where('practice_id', '=', practiceId).where('incident_id', '=', incidentId)
    .where('status', 'in', ['open', 'exhausted']).orderBy('created_at').forUpdate().execute();
}

export async function insertTimeline(trx: Transaction<Database>, rows: {
  practiceId: string; incidentId: string; at: Date; actorUserId: string | null; kind?: TimelineKind; what: string;
}[]) {
  if (rows.length === 0) return;
  await trx.insertInto('incident_timeline').values(rows.map((r) => ({
    practice_id: r.practiceId, incident_id: r.incidentId, at: r.at, actor_user_id: r.actorUserId, run_id: null, step_id: null,
    kind: r.kind ?? 'page', what: r.what,
  }))).execute();
}

// --- pages as their readers see them ----------------------------------------------------

/** A page with what its alert shows: who asked, for which protocol, where. */
function pageViews(db: Db, practiceId: string) {
  return db.selectFrom('pages as p')
    .innerJoin('incidents as i', (j) => j.onRef('i.practice_id', '=', 'p.practice_id').onRef('i.id', '=', 'p.incident_id'))
    .innerJoin('users as r', (j) => j.onRef('r.practice_id', '=', 'p.practice_id').onRef('r.id', '=', 'p.requested_by'))
    .leftJoin('users as a', (j) => j.onRef('a.practice_id', '=', 'p.practice_id').onRef('a.id', '=', 'p.acknowledged_by'))
    .leftJoin('therapy_sessions as s', (j) => j.onRef('s.practice_id', '=', 'i.practice_id').onRef('s.id', '=', 'i.session_id'))
    .leftJoin('locations as l', (j) => j.onRef('l.practice_id', '=', 's.practice_id').onRef('l.id', '=', 's.location_id'))
    .select([
      'p.id', 'p.incident_id', 'p.status', 'p.reason', 'p.created_at', 'p.requested_by', 'r.name as requested_by_name', 'p.level', 'p.round',
      'p.acknowledged_by', 'a.name as acknowledged_by_name', 'p.acknowledged_at', 'p.next_escalation_at',
      'i.protocol_key', 'i.client_id', 's.modality', 'l.name as location_name', 'l.address as location_address',
    ])
    .where('p.practice_id', '=', practiceId);
}
export type PageViewRow = Awaited<ReturnType<ReturnType<typeof pageViews>['execute']>>[number];

export async function findPageViews(db: Db, practiceId: string, pageIds: readonly string[]): Promise<PageViewRow[]> {
  if (pageIds.length === 0) return [];
  return pageViews(db, practiceId).where('p.id', 'in', [...pageIds]).orderBy('p.created_at', 'desc').execute();
}

/** Pages still waiting for an answer that this person was notified of, newest first. */
export async function findPagesForUser(db: Db, practiceId: string, userId: string): Promise<PageViewRow[]> {
  return pageViews(db, practiceId)
    .where('p.status', 'in', ['open', 'exhausted'])
    .where((eb) => eb.exists(eb.selectFrom('page_recipients as pr').select(sql`1`.as('one'))
      .whereRef('pr.practice_id', '=', 'p.practice_id').whereRef('pr.page_id', '=', 'p.id').where('pr.user_id', '=', userId)))
    .orderBy('p.created_at', 'desc').limit(50).execute();
}

export async function findIncidentPageViews(db: Db, practiceId: string, incidentId: string): Promise<PageViewRow[]> {
  return pageViews(db, practiceId).where('p.incident_id', '=', incidentId).orderBy('p.created_at').execute();
}

export async function findRecipientsOfPages(db: Db, practiceId: string, pageIds: readonly string[]) {
  if (pageIds.length === 0) return [];
  return db.selectFrom('page_recipients as pr')
    .innerJoin('users as u', (j) => j.onRef('u.practice_id', '=', 'pr.practice_id').onRef('u.id', '=', 'pr.user_id'))
    .select(['pr.page_id', 'pr.user_id', 'u.name', 'pr.level', 'pr.round', 'pr.notified_at'])
    .where('pr.practice_id', '=', practiceId).where('pr.page_id', 'in', [...pageIds])
    .orderBy('pr.notified_at').orderBy('pr.round').orderBy('pr.level').orderBy('u.name').execute();
}
