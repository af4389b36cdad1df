import { sql, type Kysely } from 'kysely';
import type { Database } from '../../server/database.ts';

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
