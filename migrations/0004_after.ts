import { sql, type Kysely } from 'kysely';

/**
 * After the session: follow-up tasks with logged contact attempts, reminders and
 * escalation; in-app notifications; messages to clients (a transactional outbox with
 * delivery status, inbound texts for STOP); caring contacts; the next session's agenda;
 * reflection (a psychotherapy note), approach adjustments, therapeutic-fit assessments
 * and referrals with a warm hand-off.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- Follow-up tasks: by hand as well as from protocols; attempts counted toward "unable to reach".
    alter table follow_up_tasks drop constraint follow_up_tasks_status_check;
    alter table follow_up_tasks add constraint follow_up_tasks_status_check
      check (status in ('open', 'done', 'cancelled', 'unable_to_reach'));
    alter table follow_up_tasks
      add column source text not null default 'protocol' check (source in ('protocol', 'manual')),
      add column channel text check (channel in ('voice', 'text', 'email', 'in_person')),
      -- failed attempts before "unable to reach" (DESIGN.md: 3–5 attempts before treating as lost to contact)
      add column max_attempts integer not null default 3 check (max_attempts between 1 and 5),
      add column failed_attempts integer not null default 0 check (failed_attempts >= 0),
      add column remind_at timestamptz,
      add column reminded_at timestamptz,
      add column escalated_at timestamptz,
      add column escalation_reason text check (escalation_reason in ('overdue', 'unable_to_reach')),
      -- bumped whenever the due time changes: a timer job carrying an older version does nothing
      add column schedule_version integer not null default 1,
      add column created_by uuid,
      add column updated_at timestamptz not null default now();
    -- the supervisor's view: the team's open and overdue follow-ups
    create index follow_up_tasks_open_due_idx on follow_up_tasks (practice_id, due_at) where status in ('open', 'unable_to_reach');
    create index follow_up_tasks_client_idx on follow_up_tasks (practice_id, client_id, due_at);

    create table follow_up_attempts (
      practice_id uuid not null,
      id uuid not null,
      task_id uuid not null,
      client_id uuid not null,
      channel text not null check (channel in ('voice', 'text', 'email', 'in_person')),
      outcome text not null check (outcome in ('reached', 'no_answer', 'left_message', 'wrong_number')),
      note text not null default '',
      message_id uuid,
      attempted_at timestamptz not null,
      recorded_by uuid not null,
      primary key (practice_id, id),
      foreign key (practice_id, task_id) references follow_up_tasks (practice_id, id)
    );
    create index follow_up_attempts_task_idx on follow_up_attempts (practice_id, task_id, attempted_at);

    create table follow_up_settings (
      practice_id uuid primary key references practices (id),
      reminder_lead_minutes integer not null default 60 check (reminder_lead_minutes between 0 and 1440),
      default_max_attempts integer not null default 3 check (default_max_attempts between 1 and 5),
      updated_by uuid,
      updated_at timestamptz not null default now()
    );

    -- What the app tells a person (reminders, escalations): titles carry no clinical detail.
    create table notifications (
      practice_id uuid not null,
      id uuid not null,
      user_id uuid not null,
      kind text not null,
      title text not null,
      client_id uuid,
      follow_up_task_id uuid,
      -- one notification per reason: a repeated timer job adds nothing
      dedupe_key text not null,
      created_at timestamptz not null default now(),
      read_at timestamptz,
      primary key (practice_id, id),
      unique (practice_id, user_id, dedupe_key)
    );
    create index notifications_user_idx on notifications (practice_id, user_id, created_at desc);

    -- Messaging per practice: SMTP for email, a text provider (development or Twilio).
    create table messaging_settings (
      practice_id uuid primary key references practices (id),
      email_enabled boolean not null default false,
      smtp_host text,
      smtp_port integer check (smtp_port between 1 and 65535),
      smtp_secure boolean not null default false,
      smtp_user text,
      smtp_password text,
      email_from text,
      text_provider text not null default 'development' check (text_provider in ('none', 'development', 'twilio')),
      twilio_account_sid text,
      twilio_auth_token text,
      twilio_from text,
      twilio_api_base_url text,
      -- practice-wide quiet hours in the practice's time zone; a client's own (channel_consents) come first
      quiet_hours_start time not null default '21:00',
      quiet_hours_end time not null default '08:00',
      updated_by uuid,
      updated_at timestamptz not null default now()
    );

    -- The outbox: committed with the work that caused it, sent by a job.
    create table messages (
      practice_id uuid not null,
      id uuid not null,
      client_id uuid not null,
      channel text not null check (channel in ('text', 'email')),
      to_address text not null,
      purpose text not null check (purpose in ('check_in', 'appointment', 'caring_contact')),
      template text not null,
      subject text,
      body text not null,
      transport text not null check (transport in ('development', 'smtp', 'twilio')),
      status text not null default 'queued'
        check (status in ('queued', 'sending', 'sent', 'delivered', 'failed', 'undeliverable', 'cancelled')),
      send_after timestamptz not null,
      idempotency_key text not null,
      attempts integer not null default 0,
      last_error text,
      provider_message_id text,
      follow_up_task_id uuid,
      caring_contact_id uuid,
      created_by uuid,
      created_at timestamptz not null default now(),
      sent_at timestamptz,
      status_at timestamptz,
      primary key (practice_id, id),
      unique (practice_id, idempotency_key),
      foreign key (practice_id, client_id) references clients (practice_id, id)
    );
    create index messages_client_idx on messages (practice_id, client_id, created_at desc);
    create index messages_provider_idx on messages (provider_message_id) where provider_message_id is not null;

    create table message_events (
      practice_id uuid not null,
      seq bigint generated always as identity,
      message_id uuid not null,
      at timestamptz not null default now(),
      status text not null,
      detail text not null default '',
      primary key (practice_id, seq),
      foreign key (practice_id, message_id) references messages (practice_id, id)
    );
    create index message_events_message_idx on message_events (practice_id, message_id, seq);

    create table inbound_messages (
      practice_id uuid not null,
      id uuid not null,
      provider_message_id text,
      from_address text not null,
      to_address text not null,
      body text not null,
      client_id uuid,
      action text not null default 'none' check (action in ('none', 'opt_out', 'opt_in')),
      received_at timestamptz not null default now(),
      primary key (practice_id, id),
      unique (practice_id, provider_message_id)
    );

    -- Caring contacts (Motto & Bostrom 2001): brief messages that ask nothing.
    create table caring_contact_series (
      practice_id uuid not null,
      id uuid not null,
      client_id uuid not null,
      clinician_id uuid not null,
      channel text not null check (channel in ('text', 'email')),
      status text not null default 'active' check (status in ('active', 'stopped', 'completed')),
      starts_on date not null,
      contact_count integer not null check (contact_count between 1 and 60),
      stopped_at timestamptz,
      stopped_by uuid,
      stop_reason text check (stop_reason in ('client_opt_out', 'clinician')),
      created_by uuid not null,
      created_at timestamptz not null default now(),
      primary key (practice_id, id),
      foreign key (practice_id, client_id) references clients (practice_id, id)
    );
    -- one active series per client
    create unique index caring_contact_series_active_key on caring_contact_series (practice_id, client_id) where status = 'active';

    create table caring_contacts (
      practice_id uuid not null,
      id uuid not null,
      series_id uuid not null,
      client_id uuid not null,
      seq integer not null check (seq >= 1),
      due_on date not null,
      body text not null,
      edited_by uuid,
      edited_at timestamptz,
      -- not_sent: its day came but the outbox could not take it (no address, channel not configured)
      status text not null default 'scheduled' check (status in ('scheduled', 'sent', 'cancelled', 'not_sent')),
      not_sent_reason text,
      message_id uuid,
      primary key (practice_id, id),
      unique (practice_id, series_id, seq),
      foreign key (practice_id, series_id) references caring_contact_series (practice_id, id)
    );
    create index caring_contacts_due_idx on caring_contacts (practice_id, due_on) where status = 'scheduled';

    -- The next session: what to talk about.
    create table agenda_items (
      practice_id uuid not null,
      id uuid not null,
      client_id uuid not null,
      appointment_id uuid,
      incident_id uuid,
      text text not null check (length(text) between 1 and 500),
      created_by uuid not null,
      created_at timestamptz not null default now(),
      discussed_at timestamptz,
      discussed_by uuid,
      primary key (practice_id, id),
      foreign key (practice_id, client_id) references clients (practice_id, id)
    );
    create index agenda_items_client_idx on agenda_items (practice_id, client_id, created_at) where discussed_at is null;

    -- Reflection is a psychotherapy note (HIPAA 45 CFR 164.501, 164.508(a)(2)): its author alone reads it.
    create table reflection_notes (
      practice_id uuid not null,
      id uuid not null,
      client_id uuid not null,
      incident_id uuid,
      author_id uuid not null,
      body text not null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      primary key (practice_id, id),
      foreign key (practice_id, client_id) references clients (practice_id, id)
    );
    create index reflection_notes_author_idx on reflection_notes (practice_id, author_id, client_id, created_at desc);

    -- Adjusting the approach, and whether the therapeutic fit still holds (seed 003).
    create table approach_notes (
      practice_id uuid not null,
      id uuid not null,
      client_id uuid not null,
      incident_id uuid,
      kind text not null check (kind in ('adjustment', 'fit')),
      body text not null,
      fit text check (fit in ('good', 'uncertain', 'poor')),
      decision text check (decision in ('continue', 'adjust', 'refer')),
      author_id uuid not null,
      created_at timestamptz not null default now(),
      primary key (practice_id, id),
      foreign key (practice_id, client_id) references clients (practice_id, id),
      check ((kind = 'fit') = (fit is not null and decision is not null))
    );
    create index approach_notes_client_idx on approach_notes (practice_id, client_id, created_at desc);

    create table referrals (
      practice_id uuid not null,
      id uuid not null,
      client_id uuid not null,
      incident_id uuid,
      to_kind text not null check (to_kind in ('internal', 'external')),
      to_user_id uuid,
      to_name text not null,
      to_contact text not null default '',
      reason text not null,
      status text not null default 'proposed'
        check (status in ('proposed', 'contacted', 'accepted', 'completed', 'declined', 'cancelled')),
      -- the warm hand-off checklist: [{ key, label, doneAt, doneBy }]
      handoff jsonb not null,
      created_by uuid not null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      primary key (practice_id, id),
      foreign key (practice_id, client_id) references clients (practice_id, id),
      check ((to_kind = 'internal') = (to_user_id is not null))
    );
    create index referrals_client_idx on referrals (practice_id, client_id, created_at desc);
  `.execute(db);
}
