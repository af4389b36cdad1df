import pg from 'pg';
import { Kysely, Migrator, PostgresDialect, sql } from 'kysely';
import { PreparingClient } from './prepared-statements.ts';
import { migrations } from '../../migrations/index.ts';
import type { PracticeTable } from '../modules/practices/practices.table.ts';
import type { AuthSessionTable, InviteTable, SignInFailureTable, SupervisionTable, UserTable } from '../modules/auth/auth.table.ts';
import type { AuditChainTable, AuditEventTable, AuditHeadTable, AuditPendingTable } from '../modules/audit/audit.table.ts';
import type { ChannelConsentTable, ClientClinicianTable, ClientTable, EmergencyContactTable, RiskAssessmentTable } from '../modules/clients/clients.table.ts';
import type { LocationTable } from '../modules/locations/locations.table.ts';
import type { PolicyAcknowledgementTable, PolicyTable } from '../modules/policies/policies.table.ts';
import type { SafetyPlanTable } from '../modules/safety-plans/safety-plans.table.ts';
import type { AppointmentTable } from '../modules/schedule/schedule.table.ts';
import type { SessionStepOutTable, TherapySessionTable } from '../modules/sessions/sessions.table.ts';
import type {
  DisclosureTable, FollowUpTaskTable, IncidentTable, IncidentTimelineTable, ProtocolParametersTable, ProtocolRunTable, RunEventTable,
} from '../modules/incidents/incidents.table.ts';
import type { EscalationPolicyTable, PageRecipientTable, PagerStandbyTable, PageTable } from '../modules/paging/paging.table.ts';
import type { FollowUpAttemptTable, FollowUpSettingsTable, NotificationTable } from '../modules/follow-ups/follow-ups.table.ts';
import type { InboundMessageTable, MessageEventTable, MessageTable, MessagingSettingsTable } from '../modules/messaging/messaging.table.ts';
import type {
  AgendaItemTable, ApproachNoteTable, CaringContactSeriesTable, CaringContactTable, ReferralTable, ReflectionNoteTable,
} from '../modules/aftercare/aftercare.table.ts';
import type { DataKeyTable } from './field-crypto.ts';
import type { BreakGlassGrantTable } from '../modules/break-glass/break-glass.table.ts';
import type { AccountingRequestTable } from '../modules/disclosures/disclosures.table.ts';
import type { IncidentReportAddendumTable, IncidentReportTable } from '../modules/reports/reports.table.ts';
import type { RetentionSettingsTable } from '../modules/exports/exports.table.ts';
import type {
  CallEventTable, CallGateSettingsTable, PracticeCallGateSettingsTable, SessionAlertTable,
} from '../modules/call-gate/call-gate.table.ts';

export interface Database {
  practices: PracticeTable;
  users: UserTable;
  supervision: SupervisionTable;
  invites: InviteTable;
  auth_sessions: AuthSessionTable;
  sign_in_failures: SignInFailureTable;
  audit_heads: AuditHeadTable;
  audit_events: AuditEventTable;
  audit_pending: AuditPendingTable;
  audit_chain: AuditChainTable;
  locations: LocationTable;
  clients: ClientTable;
  client_clinicians: ClientClinicianTable;
  emergency_contacts: EmergencyContactTable;
  channel_consents: ChannelConsentTable;
  policies: PolicyTable;
  policy_acknowledgements: PolicyAcknowledgementTable;
  safety_plans: SafetyPlanTable;
  risk_assessments: RiskAssessmentTable;
  appointments: AppointmentTable;
  therapy_sessions: TherapySessionTable;
  session_step_outs: SessionStepOutTable;
  protocol_parameters: ProtocolParametersTable;
  escalation_policies: EscalationPolicyTable;
  incidents: IncidentTable;
  protocol_runs: ProtocolRunTable;
  run_events: RunEventTable;
  incident_timeline: IncidentTimelineTable;
  pages: PageTable;
  page_recipients: PageRecipientTable;
  pager_standby: PagerStandbyTable;
  disclosures: DisclosureTable;
  follow_up_tasks: FollowUpTaskTable;
  follow_up_attempts: FollowUpAttemptTable;
  follow_up_settings: FollowUpSettingsTable;
  notifications: NotificationTable;
  messaging_settings: MessagingSettingsTable;
  messages: MessageTable;
  message_events: MessageEventTable;
  inbound_messages: InboundMessageTable;
  caring_contact_series: CaringContactSeriesTable;
  caring_contacts: CaringContactTable;
  agenda_items: AgendaItemTable;
  reflection_notes: ReflectionNoteTable;
  approach_notes: ApproachNoteTable;
  referrals: ReferralTable;
  data_keys: DataKeyTable;
  break_glass_grants: BreakGlassGrantTable;
  accounting_requests: AccountingRequestTable;
  incident_reports: IncidentReportTable;
  incident_report_addenda: IncidentReportAddendumTable;
  retention_settings: RetentionSettingsTable;
  call_gate_settings: CallGateSettingsTable;
  practice_call_gate_settings: PracticeCallGateSettingsTable;
  session_alerts: SessionAlertTable;
  call_events: CallEventTable;
}

export type Db = Kysely<Database>;

// Return bigint columns (audit seq) as JS numbers; they stay far below 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));
// Calendar dates (a birthday, a consent's date) stay 'YYYY-MM-DD': no time zone to shift them.
pg.types.setTypeParser(pg.types.builtins.DATE, (value) => value);

export function createDatabase(url: string, poolSize = 10): { db: Db; pool: pg.Pool } {
  const pool = new pg.Pool({ connectionString: url, max: poolSize, connectionTimeoutMillis: 10_000, Client: PreparingClient });
  // A dropped connection (PostgreSQL restarting) must not crash the server; the pool reconnects.
  // The pool listens for errors only on idle clients: one lost while checked out (a transaction
  // waiting between statements) would emit an unhandled 'error' and end the process. Its next
  // statement fails instead (503 to the caller), and the pool discards it on release.
  pool.on('error', () => {});
  pool.on('connect', (client) => client.on('error', () => {}));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, pool };
}

/** Holdspace relies on PostgreSQL 15 features (e.g. NULLS NOT DISTINCT, MERGE). */
export async function assertSupportedPostgres(db: Kysely<any>): Promise<void> {
  const { rows } = await sql<{ v: string }>`select current_setting('server_version_num') as v`.execute(db);
  const version = Number(rows[0]?.v ?? 0);
  if (version < 150000) {
    throw new Error(`Holdspace needs PostgreSQL 15 or newer; the server at DATABASE_URL runs ${Math.floor(version / 10000)}.`);
  }
}

/**
 * Runs the forward-only migrations. Kysely's migrator takes a row lock first, so two
 * servers starting at once do not both migrate: one runs them, the other waits and
 * finds them done. The pending migrations run inside one transaction.
 */
export async function migrate(db: Kysely<any>): Promise<string[]> {
  // The advisory lock also covers the migrator creating its own bookkeeping tables,
  // which two servers on an empty database would otherwise race to create.
  const { error, results } = await db.connection().execute(async (conn) => {
    await sql`select pg_advisory_lock(hashtext('holdspace:migrate'))`.execute(conn);
    try {
      const migrator = new Migrator({
        db: conn,
        provider: { getMigrations: async () => migrations },
      });
      return await migrator.migrateToLatest();
    } finally {
      await sql`select pg_advisory_unlock(hashtext('holdspace:migrate'))`.execute(conn);
    }
  });
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    throw new Error(`Migration ${failed ?? ''} failed: ${String(error)}`);
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
