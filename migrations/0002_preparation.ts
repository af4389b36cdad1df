import { sql, type Kysely } from 'kysely';

/**
 * Before any emergency: locations with their crisis resources, clients and their
 * clinicians, emergency contacts, channel consents, the practice's emergency policy
 * and its acknowledgements, safety plans, risk status and the schedule.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table locations (
      practice_id uuid not null references practices (id),
      id uuid not null,
      name text not null,
      address text not null,
      time_zone text,
      emergency_number text not null default '911',
      crisis_line text not null default '988',
      mobile_crisis_name text,
      mobile_crisis_phone text,
      emergency_department_name text,
      emergency_department_address text,
      emergency_department_phone text,
      poison_control_phone text not null default '+18002221222',
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      primary key (practice_id, id)
    );

    create table clients (
      practice_id uuid not null references practices (id),
      id uuid not null,
      legal_name text not null,
      preferred_name text,
      pronouns text,
      date_of_birth date,
      phone text,
      email text,
      address text,
      -- current risk, kept with the client so lists and the schedule need no extra lookup;
      -- the history is risk_assessments
      risk_level text not null default 'unknown' check (risk_level in ('unknown', 'none', 'low', 'moderate', 'high')),
      risk_assessed_at timestamptz,
      archived_at timestamptz,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      primary key (practice_id, id)
    );
    -- the client list, alphabetical by the name the client uses, paged by keyset
    create index clients_list_idx on clients (practice_id, lower(coalesce(preferred_name, legal_name)), id) where archived_at is null;

    create table client_clinicians (
      practice_id uuid not null,
      client_id uuid not null,
      clinician_id uuid not null,
      assigned_at timestamptz not null default now(),
      primary key (practice_id, client_id, clinician_id),
      foreign key (practice_id, client_id) references clients (practice_id, id),
      foreign key (practice_id, clinician_id) references users (practice_id, id)
    );
    -- "my clients" and the entitlement check: which clients a clinician is assigned to
    create index client_clinicians_clinician_idx on client_clinicians (practice_id, clinician_id, client_id);

    create table emergency_contacts (
      practice_id uuid not null,
      id uuid not null,
      client_id uuid not null,
      name text not null,
      relationship text not null,
      phones text[] not null check (cardinality(phones) between 1 and 5),
      priority integer not null check (priority between 1 and 99),
      may_be_told text not null default '',
      consent_scope text not null check (consent_scope in ('emergency', 'ask_at_time', 'none')),
      consent_given_on date,
      consent_expires_on date,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      primary key (practice_id, id),
      foreign key (practice_id, client_id) references clients (practice_id, id)
    );
    -- a client's contacts in the order to call them
    create index emergency_contacts_client_idx on emergency_contacts (practice_id, client_id, priority);

    create table channel_consents (
      practice_id uuid not null,
      client_id uuid not null,
      channel text not null check (channel in ('voice', 'text', 'email')),
      consent text not null check (consent in ('given', 'refused')),
      decided_on date not null,
      quiet_hours_start time,
      quiet_hours_end time,
      may_leave_message boolean not null default false,
      updated_at timestamptz not null default now(),
      primary key (practice_id, client_id, channel),
      foreign key (practice_id, client_id) references clients (practice_id, id),
      check ((quiet_hours_start is null) = (quiet_hours_end is null))
    );

    create table policies (
      practice_id uuid not null references practices (id),
      version integer not null check (version > 0),
      title text not null,
      body_markdown text not null,
      published_by uuid not null,
      published_at timestamptz not null default now(),
      primary key (practice_id, version)
    );

    create table policy_acknowledgements (
      practice_id uuid not null,
      id uuid not null,
      client_id uuid not null,
      policy_version integer not null,
      acknowledged_on date not null,
      method text not null check (method in ('signed_in_person', 'signed_electronically', 'verbal_in_session', 'verbal_telehealth')),
      recorded_by uuid not null,
      recorded_at timestamptz not null default now(),
      primary key (practice_id, id),
      foreign key (practice_id, client_id) references clients (practice_id, id),
      foreign key (practice_id, policy_version) references policies (practice_id, version)
    );
    -- a client's latest acknowledgement
    create index policy_acknowledgements_client_idx on policy_acknowledgements (practice_id, client_id, policy_version desc);

    create table safety_plans (
      practice_id uuid not null,
      client_id uuid not null,
      version integer not null check (version > 0),
      content text not null,
      saved_by uuid not null,
      saved_at timestamptz not null default now(),
      primary key (practice_id, client_id, version),
      foreign key (practice_id, client_id) references clients (practice_id, id)
    );

    create table risk_assessments (
      practice_id uuid not null,
      id uuid not null,
      client_id uuid not null,
      level text not null check (level in ('none', 'low', 'moderate', 'high')),
      source text not null check (source in ('cssrs', 'clinical_judgement')),
      justification text not null default '',
      assessed_by uuid not null,
      assessed_at timestamptz not null default now(),
      primary key (practice_id, id),
      foreign key (practice_id, client_id) references clients (practice_id, id)
    );
    -- a client's risk history, newest first
    create index risk_assessments_client_idx on risk_assessments (practice_id, client_id, assessed_at desc);

    create table appointments (
      practice_id uuid not null,
      id uuid not null,
      client_id uuid not null,
      clinician_id uuid not null,
      starts_at timestamptz not null,
      minutes integer not null check (minutes between 5 and 480),
      modality text not null check (modality in ('in_person', 'telehealth')),
      location_id uuid,
      status text not null default 'scheduled' check (status in ('scheduled', 'cancelled')),
      created_by uuid not null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      primary key (practice_id, id),
      foreign key (practice_id, client_id) references clients (practice_id, id),
      foreign key (practice_id, clinician_id) references users (practice_id, id),
      foreign key (practice_id, location_id) references locations (practice_id, id)
    );
    -- a clinician's day
    create index appointments_clinician_day_idx on appointments (practice_id, clinician_id, starts_at);
    -- a client's appointments, and their next one
    create index appointments_client_idx on appointments (practice_id, client_id, starts_at);
    -- the front desk's day across clinicians
    create index appointments_day_idx on appointments (practice_id, starts_at);
  `.execute(db);
}
