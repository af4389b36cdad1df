import { sql, type Kysely } from 'kysely';

/**
 * The incident report: a draft built from the incident's timeline and structured fields,
 * signed by the clinician and then locked; later changes are addenda, each signed by its
 * author; supervisor review (awaiting review → reviewed and co-signed → closed).
 * Narrative columns hold ciphertext (src/server/field-crypto.ts); signatures carry the
 * SHA-256 of the plain content signed. The locks are triggers, so they hold against any
 * SQL the application's database user sends, not only against our routes.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table incident_reports (
      practice_id uuid not null,
      incident_id uuid not null,
      client_id uuid not null,
      protocol_key text not null,
      -- the clinician's own emergency (seed 000) is reported without the client's clinical detail
      kind text not null check (kind in ('client', 'clinician_emergency')),
      status text not null default 'draft' check (status in ('draft', 'awaiting_review', 'reviewed', 'closed')),
      -- narrative (encrypted at rest): what happened, the client's exact words, the clinical reasoning
      what_happened text not null default '',
      exact_words text,
      -- Joint Commission NPSG 15.01.01: risk level, its clinical justification and the mitigation plan
      risk_level text check (risk_level in ('none', 'low', 'moderate', 'high')),
      risk_justification text,
      mitigation_plan text,
      -- the C-SSRS screener result the risk was prefilled from (answers and triage)
      cssrs jsonb,
      -- the structured facts (timeline, contacts, disclosures, follow-ups) frozen at signing, encrypted JSON
      facts text,
      version integer not null default 1 check (version >= 1),
      created_by uuid not null,
      created_at timestamptz not null default now(),
      updated_by uuid not null,
      updated_at timestamptz not null default now(),
      signed_by uuid,
      signed_at timestamptz,
      content_hash text check (content_hash ~ '^[0-9a-f]{64}$'),
      cosigned_by uuid,
      cosigned_at timestamptz,
      cosign_note text,
      cosign_hash text check (cosign_hash ~ '^[0-9a-f]{64}$'),
      closed_by uuid,
      closed_at timestamptz,
      primary key (practice_id, incident_id),
      foreign key (practice_id, incident_id) references incidents (practice_id, id),
      foreign key (practice_id, client_id) references clients (practice_id, id),
      foreign key (practice_id, signed_by) references users (practice_id, id),
      foreign key (practice_id, cosigned_by) references users (practice_id, id),
      check ((kind = 'clinician_emergency') = (protocol_key = 'clinician-emergency')),
      -- SCENARIOS S3: no exact words, no risk level, no C-SSRS in the report of the clinician's own emergency
      check (kind <> 'clinician_emergency' or (exact_words is null and risk_level is null and risk_justification is null
        and mitigation_plan is null and cssrs is null)),
      check ((status = 'draft') = (signed_at is null)),
      check ((signed_at is null) = (signed_by is null) and (signed_at is null) = (content_hash is null) and (signed_at is null) = (facts is null)),
      check ((status in ('reviewed', 'closed')) = (cosigned_at is not null)),
      check ((cosigned_at is null) = (cosigned_by is null) and (cosigned_at is null) = (cosign_hash is null)),
      check ((status = 'closed') = (closed_at is not null) and (closed_at is null) = (closed_by is null)),
      -- NPSG 15.01.01: a signed report of a client's emergency states the risk, why, and the plan
      check (kind = 'clinician_emergency' or status = 'draft'
        or (risk_level is not null and risk_justification is not null and mitigation_plan is not null))
    );
    -- the supervisor's "Reviews waiting": reports of their supervisees awaiting review, oldest first
    create index incident_reports_review_idx on incident_reports (practice_id, signed_by, signed_at) where status = 'awaiting_review';

    create table incident_report_addenda (
      practice_id uuid not null,
      id uuid not null,
      incident_id uuid not null,
      -- encrypted at rest
      body text not null,
      author_id uuid not null,
      signed_at timestamptz not null,
      content_hash text not null check (content_hash ~ '^[0-9a-f]{64}$'),
      primary key (practice_id, id),
      foreign key (practice_id, incident_id) references incident_reports (practice_id, incident_id),
      foreign key (practice_id, author_id) references users (practice_id, id)
    );
    -- a report's addenda in order (report view, export)
    create index incident_report_addenda_report_idx on incident_report_addenda (practice_id, incident_id, signed_at);

    -- A signed report is locked: its content and signature never change, it is never deleted;
    -- the review may only move forward (co-signed once, closed once).
    create function incident_reports_guard() returns trigger language plpgsql as $$
    declare
      stages constant text[] := array['draft', 'awaiting_review', 'reviewed', 'closed'];
    begin
      if tg_op = 'DELETE' then
        if old.signed_at is not null then
          raise exception 'incident report % is signed and cannot be deleted', old.incident_id using errcode = 'insufficient_privilege';
        end if;
        return old;
      end if;
      if old.signed_at is null then
        return new;
      end if;
      if (new.practice_id, new.incident_id, new.client_id, new.protocol_key, new.kind, new.what_happened, new.exact_words,
          new.risk_level, new.risk_justification, new.mitigation_plan, new.cssrs, new.facts, new.version, new.created_by,
          new.created_at, new.updated_by, new.updated_at, new.signed_by, new.signed_at, new.content_hash)
        is distinct from
         (old.practice_id, old.incident_id, old.client_id, old.protocol_key, old.kind, old.what_happened, old.exact_words,
          old.risk_level, old.risk_justification, old.mitigation_plan, old.cssrs, old.facts, old.version, old.created_by,
          old.created_at, old.updated_by, old.updated_at, old.signed_by, old.signed_at, old.content_hash) then
        raise exception 'incident report % is signed and locked; add an addendum instead', old.incident_id using errcode = 'insufficient_privilege';
      end if;
      if old.cosigned_at is not null and (new.cosigned_by, new.cosigned_at, new.cosign_note, new.cosign_hash)
          is distinct from (old.cosigned_by, old.cosigned_at, old.cosign_note, old.cosign_hash) then
        raise exception 'incident report % is already co-signed', old.incident_id using errcode = 'insufficient_privilege';
      end if;
      if old.closed_at is not null and (new.closed_by, new.closed_at) is distinct from (old.closed_by, old.closed_at) then
        raise exception 'incident report % is already closed', old.incident_id using errcode = 'insufficient_privilege';
      end if;
      if array_position(stages, new.status) < array_position(stages, old.status) then
        raise exception 'incident report % cannot go back from % to %', old.incident_id, old.status, new.status using errcode = 'insufficient_privilege';
      end if;
      return new;
    end $$;
    create trigger incident_reports_locked before update or delete on incident_reports
      for each row execute function incident_reports_guard();

    create function incident_report_refuse_change() returns trigger language plpgsql as $$
    begin
      raise exception 'signed incident reports and their addenda cannot be changed (% refused)', tg_op using errcode = 'insufficient_privilege';
    end $$;
    create trigger incident_reports_no_truncate before truncate on incident_reports
      for each statement execute function incident_report_refuse_change();
    -- Addenda are append-only, each signed by its author.
    create trigger incident_report_addenda_no_update before update or delete on incident_report_addenda
      for each row execute function incident_report_refuse_change();
    create trigger incident_report_addenda_no_truncate before truncate on incident_report_addenda
      for each statement execute function incident_report_refuse_change();

    -- An addendum is added to a signed report only (a draft is simply edited).
    create function incident_report_addenda_need_signed() returns trigger language plpgsql as $$
    begin
      if not exists (select 1 from incident_reports r where r.practice_id = new.practice_id and r.incident_id = new.incident_id and r.signed_at is not null) then
        raise exception 'an addendum needs a signed report (incident %)', new.incident_id using errcode = 'check_violation';
      end if;
      return new;
    end $$;
    create trigger incident_report_addenda_signed_only before insert on incident_report_addenda
      for each row execute function incident_report_addenda_need_signed();
  `.execute(db);
}
