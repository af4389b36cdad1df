import { sql, type Kysely } from 'kysely';

/**
 * Record retention per practice: how many years a client's record is kept after the
 * last contact. Stored and shown; nothing is deleted by it yet.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table retention_settings (
      practice_id uuid primary key references practices (id),
      -- Default 7 (see src/modules/exports/retention.ts for the legal minimums it answers)
      years_after_last_contact integer not null default 7 check (years_after_last_contact between 6 and 100),
      updated_by uuid,
      updated_at timestamptz not null default now()
    );
  `.execute(db);
}
