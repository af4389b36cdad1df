import { sql, type Kysely } from 'kysely';

/**
 * Pages by text: whoever is paged is also texted at the number they gave for it, so a
 * supervisor away from a browser (at night, on the road) is still reached. The text is
 * a message without a client (purpose 'page'), sent through the outbox like any other.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table users add column page_phone text check (page_phone ~ '^\\+[1-9][0-9]{7,14}$');

    alter table messages drop constraint messages_purpose_check;
    alter table messages add constraint messages_purpose_check check (purpose in ('check_in', 'appointment', 'caring_contact', 'call_back', 'page'));
    alter table messages drop constraint messages_client_check;
    alter table messages add constraint messages_client_check check ((client_id is null) = (purpose in ('call_back', 'page')));
  `.execute(db);
}
