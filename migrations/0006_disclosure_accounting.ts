import { sql, type Kysely } from 'kysely';

/**
 * The accounting of disclosures (HIPAA 45 CFR 164.528): the recipient's address where
 * known, and a client's requests for an accounting, each with its 60-day deadline and
 * at most one 30-day extension.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- 164.528(b)(2)(ii): "the name of the entity or person who received the PHI and, if known, the address"
    alter table disclosures add column recipient_address text;

    create table accounting_requests (
      practice_id uuid not null,
      id uuid not null,
      client_id uuid not null,
      -- the client or their personal representative (164.502(g))
      requested_by text not null,
      received_on date not null,
      received_via text not null check (received_via in ('in_writing', 'in_person', 'phone', 'email', 'portal')),
      received_by uuid not null,
      -- the period asked for: at most the six years before the request (164.528(a)(3))
      period_from date not null,
      period_to date not null,
      -- 164.528(c)(1): act no later than 60 days after receipt
      due_on date not null,
      -- 164.528(c)(1)(ii): one extension of at most 30 days, with a written statement of the reasons
      extended_due_on date,
      extension_reason text,
      extended_by uuid,
      extended_at timestamptz,
      status text not null default 'open' check (status in ('open', 'extended', 'provided')),
      provided_at timestamptz,
      provided_by uuid,
      provided_from date,
      provided_to date,
      created_at timestamptz not null default now(),
      primary key (practice_id, id),
      foreign key (practice_id, client_id) references clients (practice_id, id),
      check (period_from <= period_to),
      check (due_on = received_on + 60),
      check ((extended_due_on is null) = (extension_reason is null)),
      check (extended_due_on is null or (extended_due_on > due_on and extended_due_on <= due_on + 30)),
      check ((status = 'provided') = (provided_at is not null)),
      check ((provided_at is null) = (provided_from is null) and (provided_at is null) = (provided_to is null))
    );
    -- a client's requests on the client page
    create index accounting_requests_client_idx on accounting_requests (practice_id, client_id, received_on desc);
    -- the practice-wide list of requests still to answer, soonest deadline first
    create index accounting_requests_open_idx on accounting_requests (practice_id, due_on) where status <> 'provided';
  `.execute(db);
}
