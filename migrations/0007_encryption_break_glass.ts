import { sql, type Kysely } from 'kysely';

/**
 * Encryption at rest (data keys per practice, wrapped by the master key, which is never
 * stored here) and break-glass access to a client's record by a clinician outside the
 * care team: a time-limited, audited grant given after stating a reason.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table data_keys (
      practice_id uuid not null references practices (id),
      id uuid not null,
      wrapped_key text not null,
      -- which master key wrapped it (an HMAC fingerprint, not the key): during a rotation
      -- servers unwrap with the previous or the current key
      master_key_id text not null,
      created_at timestamptz not null default now(),
      retired_at timestamptz,
      primary key (practice_id, id),
      unique (id)
    );
    -- one active data key per practice
    create unique index data_keys_active_idx on data_keys (practice_id) where retired_at is null;
    create index data_keys_master_idx on data_keys (master_key_id);

    create table break_glass_grants (
      practice_id uuid not null,
      id uuid not null,
      client_id uuid not null,
      user_id uuid not null,
      reason text not null check (char_length(reason) between 10 and 2000),
      granted_at timestamptz not null default now(),
      expires_at timestamptz not null,
      primary key (practice_id, id),
      foreign key (practice_id, client_id) references clients (practice_id, id),
      foreign key (practice_id, user_id) references users (practice_id, id),
      check (expires_at > granted_at)
    );
    create index break_glass_grants_lookup_idx on break_glass_grants (practice_id, client_id, user_id, expires_at);
  `.execute(db);
}
