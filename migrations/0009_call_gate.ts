import { sql, type Kysely } from 'kysely';

/**
 * The urgent-call gate (issue 7): while a clinician's session runs, only urgent calls and
 * texts to their direct line reach them ("their calling system allows them to filter
 * calls", seed 000). Settings per clinician and per practice, every call and text to a
 * line (call_events), the discreet alerts in the session view (session_alerts), and
 * messages that go to a caller rather than a client (a text back: purpose 'call_back').
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table call_gate_settings (
      practice_id uuid not null,
      user_id uuid not null,
      enabled boolean not null default false,
      direct_number text check (direct_number ~ '^\\+[1-9][0-9]{7,14}$'),
      forward_to text check (forward_to ~ '^\\+[1-9][0-9]{7,14}$'),
      otherwise text not null default 'voicemail' check (otherwise in ('voicemail', 'front_desk', 'on_call')),
      breakthrough_numbers jsonb not null default '[]' check (jsonb_typeof(breakthrough_numbers) = 'array'),
      updated_by uuid,
      updated_at timestamptz not null default now(),
      primary key (practice_id, user_id),
      foreign key (practice_id, user_id) references users (practice_id, id)
    );
    -- The webhook finds the clinician by the number called (Twilio's To): one line, one clinician.
    create unique index call_gate_settings_line_idx on call_gate_settings (practice_id, direct_number) where direct_number is not null;

    create table practice_call_gate_settings (
      practice_id uuid primary key references practices (id),
      repeat_call_minutes integer not null default 5 check (repeat_call_minutes between 1 and 60),
      press_one_enabled boolean not null default true,
      front_desk_number text check (front_desk_number ~ '^\\+[1-9][0-9]{7,14}$'),
      emergency_numbers jsonb not null default '[]' check (jsonb_typeof(emergency_numbers) = 'array'),
      updated_by uuid,
      updated_at timestamptz not null default now()
    );

    create table session_alerts (
      practice_id uuid not null,
      id uuid not null,
      session_id uuid not null,
      clinician_id uuid not null,
      source text not null check (source in ('call', 'text', 'front_desk')),
      from_number text,
      who text not null check (char_length(who) between 1 and 200),
      why text not null check (why in ('on_list', 'emergency_contact', 'emergency_number', 'repeat_call', 'pressed_1', 'front_desk')),
      message text check (char_length(message) <= 1000),
      kind text not null check (kind in ('personal', 'facility')),
      status text not null default 'open' check (status in ('open', 'stepped_out', 'texted_back', 'declined')),
      created_by uuid,
      created_at timestamptz not null,
      decided_by uuid,
      decided_at timestamptz,
      minutes integer check (minutes between 1 and 120),
      incident_id uuid,
      message_id uuid,
      primary key (practice_id, id),
      foreign key (practice_id, session_id) references therapy_sessions (practice_id, id),
      check ((status = 'open') = (decided_at is null))
    );
    -- GET /api/sessions/:id/alerts: open first, newest first.
    create index session_alerts_session_idx on session_alerts (practice_id, session_id, created_at desc);

    create table call_events (
      practice_id uuid not null,
      id uuid not null,
      clinician_id uuid not null,
      session_id uuid,
      channel text not null check (channel in ('call', 'text')),
      -- Twilio's CallSid or MessageSid and the step of the call: a redelivered webhook does nothing twice.
      provider_sid text not null,
      step text not null check (step in ('voice', 'gather', 'text')),
      from_number text not null,
      to_number text not null,
      at timestamptz not null,
      outcome text not null check (outcome in ('breakthrough', 'voicemail', 'front_desk', 'on_call', 'normal', 'asked_press_1')),
      why text check (why in ('on_list', 'emergency_contact', 'emergency_number', 'repeat_call', 'pressed_1')),
      who text not null,
      alert_id uuid,
      -- What Twilio was told, answered again to a redelivery.
      response text not null,
      primary key (practice_id, id),
      unique (practice_id, provider_sid, step)
    );
    -- The repeated-call rule: this number's calls to this clinician in the last N minutes.
    create index call_events_repeat_idx on call_events (practice_id, clinician_id, from_number, at desc);
    -- GET /api/me/calls: the clinician's record, newest first.
    create index call_events_clinician_idx on call_events (practice_id, clinician_id, at desc);

    -- A text back goes to a caller, not to a client: such a message has no client.
    alter table messages alter column client_id drop not null;
    alter table messages drop constraint messages_purpose_check;
    alter table messages add constraint messages_purpose_check check (purpose in ('check_in', 'appointment', 'caring_contact', 'call_back'));
    alter table messages add constraint messages_client_check check ((client_id is null) = (purpose = 'call_back'));
  `.execute(db);
}
