/**
 * What the FHIR export reads, all filtered by practice and client. Psychotherapy notes
 * (reflection_notes, HIPAA 45 CFR 164.501) are never read here: they are not part of
 * the record that is exported (164.524(a)(1)(i) excludes them from the right of access).
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../server/database.ts';

type Db = Kysely<Database>;

/** Everything in the client's compartment, read in parallel. */
export async function readClientRecord(db: Db, practiceId: string, clientId: string) {
  const [practice, client, careTeam, contacts, channels, risks, appointments, sessions, incidents, runs, tasks, messages, referrals, disclosures] = await Promise.all([
    db.selectFrom('practices').select(['id', 'name']).where('id', '=', practiceId).executeTakeFirstOrThrow(),
    db.selectFrom('clients').selectAll().where('practice_id', '=', practiceId).where('id', '=', clientId).executeTakeFirst(),
    db.selectFrom('client_clinicians').select('clinician_id').where('practice_id', '=', practiceId).where('client_id', '=', clientId).execute(),
    db.selectFrom('emergency_contacts').selectAll().where('practice_id', '=', practiceId).where('client_id', '=', clientId).orderBy('priority').orderBy('created_at').execute(),
    db.selectFrom('channel_consents').selectAll().where('practice_id', '=', practiceId).where('client_id', '=', clientId).orderBy('channel').execute(),
    db.selectFrom('risk_assessments').selectAll().where('practice_id', '=', practiceId).where('client_id', '=', clientId).orderBy('assessed_at').execute(),
    db.selectFrom('appointments').selectAll().where('practice_id', '=', practiceId).where('client_id', '=', clientId).orderBy('starts_at').execute(),
    db.selectFrom('therapy_sessions').selectAll().where('practice_id', '=', practiceId).where('client_id', '=', clientId).orderBy('started_at').execute(),
    db.selectFrom('incidents').selectAll().where('practice_id', '=', practiceId).where('client_id', '=', clientId).orderBy('opened_at').execute(),
    db.selectFrom('protocol_runs as r')
      .innerJoin('incidents as i', (j) => j.onRef('i.practice_id', '=', 'r.practice_id').onRef('i.id', '=', 'r.incident_id'))
      .select(['r.id', 'r.incident_id', 'r.state']).where('r.practice_id', '=', practiceId).where('i.client_id', '=', clientId)
      .orderBy('r.started_at').orderBy('r.id').execute(),
    db.selectFrom('follow_up_tasks').selectAll().where('practice_id', '=', practiceId).where('client_id', '=', clientId).orderBy('due_at').execute(),
    db.selectFrom('messages').selectAll().where('practice_id', '=', practiceId).where('client_id', '=', clientId).orderBy('created_at').execute(),
    db.selectFrom('referrals').selectAll().where('practice_id', '=', practiceId).where('client_id', '=', clientId).orderBy('created_at').execute(),
    db.selectFrom('disclosures').selectAll().where('practice_id', '=', practiceId).where('client_id', '=', clientId).orderBy('disclosed_at').execute(),
  ]);
  return { practice, client, careTeam: careTeam.map((c) => c.clinician_id), contacts, channels, risks, appointments, sessions, incidents, runs, tasks, messages, referrals, disclosures };
}
export type ClientRecord = Awaited<ReturnType<typeof readClientRecord>>;

/** The people the record names (authors, owners, clinicians), for Practitioner resources: names only. */
export async function readPractitioners(db: Db, practiceId: string, userIds: Iterable<string>) {
  const ids = [...new Set(userIds)];
  if (ids.length === 0) return [];
  return db.selectFrom('users').select(['id', 'name', 'role', 'active']).where('practice_id', '=', practiceId).where('id', 'in', ids).orderBy('name').execute();
}
