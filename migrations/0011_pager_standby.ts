import { sql, type Kysely } from 'kysely';

/**
 * Pager standby: a browser whose session has ended (the idle timeout, HIPAA 45 CFR
 * 164.312(a)(2)(iii) automatic logoff) still hears that its person is being paged. The
 * standby is a second, narrow credential given at sign-in: it reads nothing, it only
 * opens a stream that says "you are being paged". It lasts a shift (12 hours) and ends
 * with an explicit sign-out or when the person is deactivated.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table pager_standby (
      token_hash text primary key,
      practice_id uuid not null,
      user_id uuid not null,
      created_at timestamptz not null default now(),
      expires_at timestamptz not null,
      foreign key (practice_id, user_id) references users (practice_id, id)
    );
    create index pager_standby_user_idx on pager_standby (practice_id, user_id);
  `.execute(db);
}
