import { sql, type Kysely } from 'kysely';

/**
 * Practices, people, sign-in sessions and the audit trail.
 * Tenancy: every table of practice data carries practice_id and leads its keys with it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table practices (
      id uuid primary key,
      name text not null check (length(name) between 1 and 200),
      time_zone text not null,
      require_totp boolean not null default false,
      created_at timestamptz not null default now()
    );

    create table users (
      practice_id uuid not null references practices (id),
      id uuid not null,
      email text not null check (email = lower(email)),
      name text not null check (length(name) between 1 and 200),
      role text not null check (role in ('owner', 'admin', 'clinician', 'supervisor', 'front_desk')),
      password_hash text not null,
      totp_secret text,
      totp_enabled boolean not null default false,
      -- the last 30-second step accepted, so a code cannot be replayed
      totp_last_step bigint,
      active boolean not null default true,
      created_at timestamptz not null default now(),
      primary key (practice_id, id),
      unique (id)
    );
    -- sign-in looks a person up by email before any practice is known
    create unique index users_email_key on users (email);

    create table supervision (
      practice_id uuid not null,
      supervisor_id uuid not null,
      clinician_id uuid not null,
      primary key (practice_id, supervisor_id, clinician_id),
      foreign key (practice_id, supervisor_id) references users (practice_id, id),
      foreign key (practice_id, clinician_id) references users (practice_id, id)
    );
    -- "who supervises this clinician" when a clinician pages for help
    create index supervision_clinician_idx on supervision (practice_id, clinician_id);

    create table invites (
      practice_id uuid not null references practices (id),
      id uuid not null,
      token_hash text not null,
      email text not null check (email = lower(email)),
      name text not null,
      role text not null check (role in ('admin', 'clinician', 'supervisor', 'front_desk')),
      supervisee_ids uuid[] not null default '{}',
      invited_by uuid not null,
      expires_at timestamptz not null,
      accepted_at timestamptz,
      created_at timestamptz not null default now(),
      primary key (practice_id, id)
    );
    -- opening an invite link finds the invite by its token alone
    create unique index invites_token_key on invites (token_hash);

    create table auth_sessions (
      token_hash text primary key,
      practice_id uuid not null,
      user_id uuid not null,
      csrf_token text not null,
      mfa_verified boolean not null default false,
      created_at timestamptz not null default now(),
      last_seen_at timestamptz not null default now(),
      ip text,
      user_agent text,
      foreign key (practice_id, user_id) references users (practice_id, id)
    );
    -- signing a person out everywhere (role change, deactivation)
    create index auth_sessions_user_idx on auth_sessions (practice_id, user_id);

    -- Failed sign-ins, counted per account and per address over a sliding window.
    -- Not practice data: a failure may name no known account.
    create table sign_in_failures (
      key text not null,
      at timestamptz not null default now()
    );
    -- the throttle's count of recent failures for one key
    create index sign_in_failures_key_at_idx on sign_in_failures (key, at);

    -- The audit trail. An event is written in the same transaction as the work it
    -- records, together with a row in audit_pending; a sealer then links pending events
    -- into their practice's hash chain (audit_chain) shortly after they commit. Work
    -- never waits on the chain, and practices never wait on each other.
    create table audit_events (
      practice_id uuid not null,
      seq bigint generated always as identity,
      at timestamptz not null,
      actor_user_id uuid,
      actor_role text,
      action text not null,
      resource_type text,
      resource_id text,
      client_id uuid,
      ip text,
      outcome text not null check (outcome in ('success', 'denied', 'failure')),
      detail text not null,
      primary key (practice_id, seq)
    );
    -- the audit browser's filter by person, newest first
    create index audit_events_actor_idx on audit_events (practice_id, actor_user_id, seq desc);
    -- a client's access history (who read or changed this client's record)
    create index audit_events_client_idx on audit_events (practice_id, client_id, seq desc) where client_id is not null;

    -- Events written but not yet in the chain: the sealer's work queue.
    create table audit_pending (
      practice_id uuid not null,
      seq bigint not null,
      primary key (practice_id, seq)
    );

    -- One chain per practice: position n links event seq to position n-1 by hash.
    create table audit_chain (
      practice_id uuid not null,
      position bigint not null,
      seq bigint not null,
      prev_hash text not null,
      hash text not null,
      sealed_at timestamptz not null default now(),
      primary key (practice_id, position),
      unique (practice_id, seq)
    );

    create table audit_heads (
      practice_id uuid primary key,
      position bigint not null,
      hash text not null
    );
    insert into audit_heads (practice_id, position, hash)
      values ('00000000-0000-0000-0000-000000000000', 0, repeat('0', 64));

    create function audit_events_refuse_change() returns trigger language plpgsql as $$
    begin
      raise exception 'audit events are append-only (% refused)', tg_op using errcode = 'insufficient_privilege';
    end $$;
    create trigger audit_events_no_update before update or delete on audit_events
      for each row execute function audit_events_refuse_change();
    create trigger audit_events_no_truncate before truncate on audit_events
      for each statement execute function audit_events_refuse_change();
    create trigger audit_chain_no_update before update or delete on audit_chain
      for each row execute function audit_events_refuse_change();
    create trigger audit_chain_no_truncate before truncate on audit_chain
      for each statement execute function audit_events_refuse_change();
  `.execute(db);
}
