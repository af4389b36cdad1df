import { sql, type Kysely } from 'kysely';
import type { TimelineKind } from './incidents.table.ts';
import type { Modality } from '../schedule/schedule.table.ts';
import type { Database } from '../../server/database.ts';
import { openRunState } from './run-texts.ts';

type Db = Kysely<Database>;

/**
 * Who follows an incident live: the client's assigned clinicians, their supervisors,
 * and everyone paged for it so far (the people `incident.read` lets in).
 */
export async function incidentAudience(db: Db, practiceId: string, incidentId: string): Promise<string[]> {
  const { rows } = await sql<{ user_id: string }>`
    with incident as (select client_id from incidents where practice_id = ${practiceId} and id = ${incidentId}),
    assigned as (
      select cc.clinician_id as user_id from client_clinicians cc, incident i
      where cc.practice_id = ${practiceId} and cc.client_id = i.client_id
    )
    select user_id from assigned
    union select s.supervisor_id from supervision s where s.practice_id = ${practiceId} and s.clinician_id in (select user_id from assigned)
    union select pr.user_id from page_recipients pr join pages p on p.practice_id = pr.practice_id and p.id = pr.page_id
      where p.practice_id = ${practiceId} and p.incident_id = ${incidentId}`.execute(db);
  return rows.map((r) => r.user_id);
}

export interface IncidentAccessRow {
  id: string;
  client_id: string;
  session_id: string | null;
  status: 'open' | 'closed';
  opened_by: string;
  opened_at: Date;
  assigned: string[];
  paged: string[];
}

/** An incident with what the access rule needs: the client's clinicians and everyone paged for it. */
export async function findIncidentForAccess(db: Db, practiceId: string, incidentId: string): Promise<IncidentAccessRow | undefined> {
  const { rows } = await sql<IncidentAccessRow>`
    select i.id, i.client_id, i.session_id, i.status, i.opened_by, i.opened_at,
      array(select cc.clinician_id from client_clinicians cc where cc.practice_id = i.practice_id and cc.client_id = i.client_id) as assigned,
      array(select distinct pr.user_id from page_recipients pr join pages p on p.practice_id = pr.practice_id and p.id = pr.page_id
            where p.practice_id = i.practice_id and p.incident_id = i.id) as paged
    from incidents i where i.practice_id = ${practiceId} and i.id = ${incidentId}`.execute(db);
  return rows[0];
}

export interface NewTimelineEntry {
  at: Date;
  actorUserId: string | null;
  runId: string | null;
  stepId: string | null;
  kind: TimelineKind;
  what: string;
}

export async function insertTimeline(db: Db, practiceId: string, incidentId: string, entries: NewTimelineEntry[]) {
  if (entries.length === 0) return [];
  return db.insertInto('incident_timeline').values(entries.map((e) => ({
    practice_id: practiceId, incident_id: incidentId, at: e.at, actor_user_id: e.actorUserId, run_id: e.runId, step_id: e.stepId, kind: e.kind, what: e.what,
  }))).returning(['seq', 'at', 'actor_user_id', 'run_id', 'step_id', 'kind', 'what']).execute();
}

export interface NewIncident {
  practiceId: string;
  id: string;
  clientId: string;
  sessionId: string | null;
  protocolKey: string;
  discreet: boolean;
  openedBy: string;
  openedAt: Date;
  run: { id: string; protocolVersion: number; state: string; status: 'open' | 'completed'; startedAt: Date };
  timeline: NewTimelineEntry[];
}

export interface InsertedIncident {
  /** False when an incident with this id already existed (then nothing was written). */
  created: boolean;
  /** The client's assigned clinicians and their supervisors (the incident's audience before anyone is paged). */
  care_team: string[];
  /** Where the session is, if the incident is during one. */
  modality: Modality | null;
  location_name: string | null;
  location_address: string | null;
}

/**
 * Opens an incident in one round trip: the incident (nothing when its id exists), its
 * first protocol run and its timeline entries (in order), and reads who follows it
 * (`incidentAudience` before any page) and where its session is.
 */
export async function insertIncident(db: Db, i: NewIncident): Promise<InsertedIncident> {
  const t = i.timeline;
  const { rows } = await sql<InsertedIncident>`
    with incident as (
      insert into incidents (practice_id, id, client_id, session_id, protocol_key, discreet, opened_by, opened_at, closed_by, closed_at)
      values (${i.practiceId}, ${i.id}, ${i.clientId}, ${i.sessionId}, ${i.protocolKey}, ${i.discreet}, ${i.openedBy}, ${i.openedAt}, null, null)
      on conflict do nothing
      returning practice_id, id
    ), run as (
      insert into protocol_runs (practice_id, id, incident_id, protocol_key, protocol_version, state, status, started_at, started_by, opened_by_step)
      select incident.practice_id, ${i.run.id}::uuid, incident.id, ${i.protocolKey}::text, ${i.run.protocolVersion}::integer, ${i.run.state}::jsonb,
        ${i.run.status}::text, ${i.run.startedAt}::timestamptz, ${i.openedBy}::uuid, null from incident
    ), timeline as (
      insert into incident_timeline (practice_id, incident_id, at, actor_user_id, run_id, step_id, kind, what)
      select incident.practice_id, incident.id, e.at, e.actor_user_id, e.run_id, e.step_id, e.kind, e.what
      from incident, unnest(${t.map((e) => e.at)}::timestamptz[], ${t.map((e) => e.actorUserId)}::uuid[], ${t.map((e) => e.runId)}::uuid[],
        ${t.map((e) => e.stepId)}::text[], ${t.map((e) => e.kind)}::text[], ${t.map((e) => e.what)}::text[])
        with ordinality as e(at, actor_user_id, run_id, step_id, kind, what, n)
      order by e.n
    ), assigned as (
      select cc.clinician_id as user_id from client_clinicians cc where cc.practice_id = ${i.practiceId} and cc.client_id = ${i.clientId}
    )
    select exists (select 1 from incident) as created,
      array(select user_id from assigned
            union select s.supervisor_id from supervision s where s.practice_id = ${i.practiceId} and s.clinician_id in (select user_id from assigned))::text[] as care_team,
      s.modality, l.name as location_name, l.address as location_address
    from (select 1) as one
      left join therapy_sessions s on s.practice_id = ${i.practiceId} and s.id = ${i.sessionId}::uuid
      left join locations l on l.practice_id = s.practice_id and l.id = s.location_id`.execute(db);
  return rows[0]!;
}

export async function lockRun(db: Db, practiceId: string, incidentId: string, runId: string) {
  return db.selectFrom('protocol_runs').selectAll().where('practice_id', '=', practiceId).where('incident_id', '=', incidentId)
    .where('id', '=', runId).forUpdate().executeTakeFirst();
}

export async function lockIncident(db: Db, practiceId: string, incidentId: string) {
  // NO KEY UPDATE: serialises changes to the incident without blocking rows that reference it (timeline, pages).
  return db.selectFrom('incidents').selectAll().where('practice_id', '=', practiceId).where('id', '=', incidentId).forNoKeyUpdate().executeTakeFirst();
}

export async function findRunEvent(db: Db, practiceId: string, eventId: string) {
  return db.selectFrom('run_events').selectAll().where('practice_id', '=', practiceId).where('id', '=', eventId).executeTakeFirst();
}

export async function practiceParameterOverrides(db: Db, practiceId: string): Promise<Map<string, Record<string, number>>> {
  const rows = await db.selectFrom('protocol_parameters').select(['protocol_key', 'values']).where('practice_id', '=', practiceId).execute();
  return new Map(rows.map((r) => [r.protocol_key, r.values]));
}

export async function overridesFor(db: Db, practiceId: string, protocolKey: string): Promise<Record<string, number>> {
  const row = await db.selectFrom('protocol_parameters').select('values').where('practice_id', '=', practiceId)
    .where('protocol_key', '=', protocolKey).executeTakeFirst();
  return row?.values ?? {};
}

/**
 * What opening an incident reads first, in one round trip: the practice's parameter
 * overrides for the protocol (`overridesFor`) and, when it names a session, whose it is
 * (undefined: no such session in this practice).
 */
export async function openingContext(db: Db, practiceId: string, protocolKey: string, sessionId: string | null) {
  const { rows } = await sql<{ overrides: Record<string, number> | null; session_client_id: string | null }>`
    select (select values from protocol_parameters where practice_id = ${practiceId} and protocol_key = ${protocolKey}) as overrides,
      (select client_id from therapy_sessions where practice_id = ${practiceId} and id = ${sessionId}::uuid) as session_client_id`.execute(db);
  const row = rows[0]!;
  return { overrides: row.overrides ?? {}, session: sessionId && row.session_client_id !== null ? { client_id: row.session_client_id } : undefined };
}

/** Everything the incident view shows, read in parallel. */
export async function readIncidentParts(db: Db, practiceId: string, incidentId: string) {
  const names = (ids: (string | null)[]) => ids.filter((x): x is string => x !== null);
  const [incident, sealedRuns, timeline, pages, recipients, disclosures, followUps] = await Promise.all([
    db.selectFrom('incidents as i')
      .innerJoin('clients as c', (j) => j.onRef('c.practice_id', '=', 'i.practice_id').onRef('c.id', '=', 'i.client_id'))
      .leftJoin('therapy_sessions as s', (j) => j.onRef('s.practice_id', '=', 'i.practice_id').onRef('s.id', '=', 'i.session_id'))
      .selectAll('i')
      .select(sql<string>`coalesce(c.preferred_name, c.legal_name)`.as('client_name'))
      .select(['s.modality', 's.client_location', 's.callback_phone', 's.location_id'])
      .where('i.practice_id', '=', practiceId).where('i.id', '=', incidentId).executeTakeFirstOrThrow(),
    db.selectFrom('protocol_runs').selectAll().where('practice_id', '=', practiceId).where('incident_id', '=', incidentId).orderBy('started_at').orderBy('id').execute(),
    db.selectFrom('incident_timeline').selectAll().where('practice_id', '=', practiceId).where('incident_id', '=', incidentId).orderBy('seq').execute(),
    db.selectFrom('pages').selectAll().where('practice_id', '=', practiceId).where('incident_id', '=', incidentId).orderBy('created_at').execute(),
    db.selectFrom('page_recipients as pr').innerJoin('pages as p', (j) => j.onRef('p.practice_id', '=', 'pr.practice_id').onRef('p.id', '=', 'pr.page_id'))
      .selectAll('pr').where('p.practice_id', '=', practiceId).where('p.incident_id', '=', incidentId).orderBy('pr.notified_at').execute(),
    db.selectFrom('disclosures').selectAll().where('practice_id', '=', practiceId).where('incident_id', '=', incidentId).orderBy('disclosed_at').execute(),
    db.selectFrom('follow_up_tasks').selectAll().where('practice_id', '=', practiceId).where('incident_id', '=', incidentId).orderBy('due_at').execute(),
  ]);
  const userIds = new Set<string>([
    ...names([incident.opened_by, incident.closed_by]), ...names(timeline.map((t) => t.actor_user_id)),
    ...pages.flatMap((p) => names([p.requested_by, p.acknowledged_by])), ...recipients.map((r) => r.user_id), ...followUps.map((f) => f.assigned_to),
  ]);
  const users = userIds.size
    ? await db.selectFrom('users').select(['id', 'name']).where('practice_id', '=', practiceId).where('id', 'in', [...userIds]).execute()
    : [];
  const runs = await Promise.all(sealedRuns.map(async (r) => ({ ...r, state: await openRunState(db, practiceId, r.state) })));
  return { incident, runs, timeline, pages, recipients, disclosures, followUps, userNames: new Map(users.map((u) => [u.id, u.name])) };
}
