import { sql, type Kysely } from 'kysely';

/**
 * In the session: therapy sessions (started from an appointment) with their step-outs,
 * incidents with their protocol runs, the applied step events (client-made ids, so a
 * retried or offline-queued action is applied once), the incident timeline, paging with
 * escalation, disclosures (HIPAA 164.528 accounting) and the follow-up tasks protocols
 * ask for. Per-practice protocol parameters and the escalation policy are data.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table therapy_sessions (
      practice_id uuid not null,
      id uuid not null,
      appointment_id uuid not null,
      client_id uuid not null,
      clinician_id uuid not null,
      modality text not null check (modality in ('in_person', 'telehealth')),
      -- the practice location whose crisis resources apply (the room, or the region a telehealth client is in)
      location_id uuid,
      started_at timestamptz not null,
      -- telehealth (DESIGN.md protocol 8): where the client is and how to call back, confirmed at the start
      client_location text,
      callback_phone text,
      location_confirmed_at timestamptz,
      -- the clinician may have to take an urgent call (seed 000) and told the client in advance
      availability_notice boolean not null default false,
      availability_notice_told_client boolean not null default false,
      ended_at timestamptz,
      ended_early boolean,
      end_reason text,
      reschedule_appointment_id uuid,
      created_at timestamptz not null default now(),
      primary key (practice_id, id),
      unique (practice_id, appointment_id),
      foreign key (practice_id, appointment_id) references appointments (practice_id, id),
      foreign key (practice_id, client_id) references clients (practice_id, id),
      foreign key (practice_id, clinician_id) references users (practice_id, id),
      check (modality <> 'telehealth' or (client_location is not null and callback_phone is not null and location_confirmed_at is not null)),
      check ((ended_at is null) = (ended_early is null)),
      check (ended_early is not true or end_reason is not null)
    );
    create index therapy_sessions_clinician_idx on therapy_sessions (practice_id, clinician_id, started_at desc);
    create index therapy_sessions_client_idx on therapy_sessions (practice_id, client_id, started_at desc);

    create table session_step_outs (
      practice_id uuid not null,
      id uuid not null,
      session_id uuid not null,
      reason text not null,
      told_client text not null,
      left_at timestamptz not null,
      returned_at timestamptz,
      primary key (practice_id, id),
      foreign key (practice_id, session_id) references therapy_sessions (practice_id, id),
      check (returned_at is null or returned_at >= left_at)
    );
    -- at most one step-out under way per session
    create unique index session_step_outs_open_idx on session_step_outs (practice_id, session_id) where returned_at is null;

    -- A practice's own numbers for the built-in protocols (the walkout wait, follow-up windows).
    create table protocol_parameters (
      practice_id uuid not null references practices (id),
      protocol_key text not null,
      "values" jsonb not null,
      updated_by uuid not null,
      updated_at timestamptz not null default now(),
      primary key (practice_id, protocol_key)
    );

    -- Who is paged, in what order, how long each level has to acknowledge, how many rounds.
    create table escalation_policies (
      practice_id uuid primary key references practices (id),
      levels jsonb not null,
      rounds integer not null check (rounds between 1 and 10),
      on_call_user_ids uuid[] not null default '{}',
      updated_by uuid,
      updated_at timestamptz not null default now()
    );

    create table incidents (
      practice_id uuid not null,
      id uuid not null,
      client_id uuid not null,
      session_id uuid,
      protocol_key text not null,
      discreet boolean not null default false,
      status text not null default 'open' check (status in ('open', 'closed')),
      opened_by uuid not null,
      opened_at timestamptz not null,
      closed_by uuid,
      closed_at timestamptz,
      primary key (practice_id, id),
      foreign key (practice_id, client_id) references clients (practice_id, id),
      foreign key (practice_id, session_id) references therapy_sessions (practice_id, id),
      foreign key (practice_id, opened_by) references users (practice_id, id),
      check ((status = 'closed') = (closed_at is not null))
    );
    create index incidents_client_idx on incidents (practice_id, client_id, opened_at desc);
    create index incidents_open_idx on incidents (practice_id, opened_at desc) where status = 'open';

    create table protocol_runs (
      practice_id uuid not null,
      id uuid not null,
      incident_id uuid not null,
      protocol_key text not null,
      protocol_version integer not null,
      -- the run state of src/domain/protocols/run.ts, definition included (pinned at start)
      state jsonb not null,
      status text not null check (status in ('open', 'completed')),
      started_at timestamptz not null,
      started_by uuid not null,
      -- the step of another run that opened this one (start_protocol), if any
      opened_by_step text,
      primary key (practice_id, id),
      foreign key (practice_id, incident_id) references incidents (practice_id, id)
    );
    create index protocol_runs_incident_idx on protocol_runs (practice_id, incident_id, started_at);

    -- Each accepted step action, keyed by the id the browser made: a retry is answered from here.
    create table run_events (
      practice_id uuid not null,
      id uuid not null,
      run_id uuid not null,
      incident_id uuid not null,
      actor_user_id uuid not null,
      occurred_at timestamptz not null,
      received_at timestamptz not null default now(),
      action jsonb not null,
      primary key (practice_id, id),
      foreign key (practice_id, run_id) references protocol_runs (practice_id, id)
    );
    create index run_events_run_idx on run_events (practice_id, run_id, occurred_at);

    create table incident_timeline (
      seq bigint generated always as identity primary key,
      practice_id uuid not null,
      incident_id uuid not null,
      at timestamptz not null,
      actor_user_id uuid,
      run_id uuid,
      step_id text,
      kind text not null check (kind in ('protocol', 'page', 'note', 'session', 'disclosure', 'follow_up', 'incident')),
      what text not null,
      -- the id the browser made for a note, so a resent note (offline queue) is written once
      client_ref uuid,
      foreign key (practice_id, incident_id) references incidents (practice_id, id)
    );
    create index incident_timeline_incident_idx on incident_timeline (practice_id, incident_id, seq);
    -- a note resent with the same id is found, not written again
    create unique index incident_timeline_client_ref_idx on incident_timeline (practice_id, client_ref) where client_ref is not null;

    create table pages (
      practice_id uuid not null,
      id uuid not null,
      incident_id uuid not null,
      requested_by uuid not null,
      reason text not null,
      status text not null default 'open' check (status in ('open', 'acknowledged', 'exhausted', 'cancelled')),
      -- where the escalation stands: the level and round last notified
      level integer not null default 0,
      round integer not null default 1,
      created_at timestamptz not null,
      next_escalation_at timestamptz,
      acknowledged_by uuid,
      acknowledged_at timestamptz,
      primary key (practice_id, id),
      foreign key (practice_id, incident_id) references incidents (practice_id, id),
      check ((status = 'acknowledged') = (acknowledged_at is not null))
    );
    create index pages_incident_idx on pages (practice_id, incident_id, created_at);

    create table page_recipients (
      practice_id uuid not null,
      page_id uuid not null,
      user_id uuid not null,
      level integer not null,
      round integer not null,
      notified_at timestamptz not null,
      primary key (practice_id, page_id, user_id, round, level),
      foreign key (practice_id, page_id) references pages (practice_id, id),
      foreign key (practice_id, user_id) references users (practice_id, id)
    );
    -- "pages for me" and the incident access rule for responders
    create index page_recipients_user_idx on page_recipients (practice_id, user_id, page_id);

    -- Disclosures outside treatment, for the accounting of disclosures (HIPAA 45 CFR 164.528).
    create table disclosures (
      practice_id uuid not null,
      id uuid not null,
      client_id uuid not null,
      incident_id uuid,
      run_id uuid,
      step_id text,
      recipient_kind text not null check (recipient_kind in ('victim', 'law_enforcement', 'emergency_contact', 'emergency_services', 'other')),
      recipient_name text not null,
      recipient_contact text,
      what_was_said text not null,
      legal_basis text not null,
      purpose text not null,
      disclosed_at timestamptz not null,
      recorded_by uuid not null,
      created_at timestamptz not null default now(),
      primary key (practice_id, id),
      foreign key (practice_id, client_id) references clients (practice_id, id)
    );
    create index disclosures_client_idx on disclosures (practice_id, client_id, disclosed_at);

    -- What must follow: created by protocol steps (one per run and step) or by hand.
    create table follow_up_tasks (
      practice_id uuid not null,
      id uuid not null,
      client_id uuid not null,
      incident_id uuid,
      run_id uuid,
      step_id text,
      kind text not null,
      title text not null,
      due_at timestamptz not null,
      assigned_to uuid not null,
      status text not null default 'open' check (status in ('open', 'done', 'cancelled')),
      done_at timestamptz,
      done_by uuid,
      note text,
      created_at timestamptz not null default now(),
      primary key (practice_id, id),
      foreign key (practice_id, client_id) references clients (practice_id, id),
      unique nulls distinct (practice_id, run_id, step_id)
    );
    create index follow_up_tasks_assignee_idx on follow_up_tasks (practice_id, assigned_to, due_at) where status = 'open';
    create index follow_up_tasks_incident_idx on follow_up_tasks (practice_id, incident_id);
  `.execute(db);
}
