/**
 * The client's right of access (HIPAA 45 CFR 164.524): a copy of their record as one
 * JSON document — the FHIR R4 Patient/$everything bundle, the accounting of disclosures
 * (164.528), signed incident reports with their addenda, and the documents that can be
 * printed. Psychotherapy notes are excluded (164.524(a)(1)(i)). A disclosure to the
 * individual is not itself an entry in the accounting (164.528(a)(1)(ii)); it is audited.
 * Also: the practice's record retention setting.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../server/database.ts';
import { localDate } from '../../domain/zoned-time.ts';
import { appendAuditEvent } from '../audit/audit.repository.ts';
import type { AuthContext, RequestMeta } from '../auth/auth.service.ts';
import { authorizeClient } from '../clients/client-access.ts';
import { accountingOf, type Accounting } from '../disclosures/accounting.service.ts';
import { loadReportForExport } from '../reports/reports.service.ts';
import { listPlanVersions } from '../safety-plans/safety-plans.repository.ts';
import { clientBundle } from '../fhir/fhir.service.ts';
import type { Bundle } from '../fhir/fhir-types.ts';
import { DEFAULT_RETENTION_YEARS, MAX_RETENTION_YEARS, MIN_RETENTION_YEARS } from './retention.ts';

type Db = Kysely<Database>;

export interface ClientExport {
  kind: 'holdspace.client-record';
  exportedAt: string;
  practice: { name: string; timeZone: string };
  client: { id: string; name: string };
  basis: string;
  excluded: string[];
  fhir: Bundle;
  accountingOfDisclosures: Accounting;
  incidentReports: NonNullable<Awaited<ReturnType<typeof loadReportForExport>>>[];
  documents: { title: string; format: 'pdf' | 'csv'; url: string }[];
}

export async function clientExport(db: Db, auth: AuthContext, clientId: string, meta: RequestMeta, baseUrl: string): Promise<ClientExport> {
  await authorizeClient(db, auth, clientId, 'client.export', meta.ip);
  const practiceId = auth.practice.id;
  const [fhir, accounting, incidents, planVersions] = await Promise.all([
    clientBundle(db, auth, clientId, meta, baseUrl),
    accountingOf(db, auth, clientId, {}, meta, 'json'),
    db.selectFrom('incidents').select('id').where('practice_id', '=', practiceId).where('client_id', '=', clientId).orderBy('opened_at').execute(),
    listPlanVersions(db, practiceId, clientId),
  ]);
  const reports = (await Promise.all(incidents.map((i) => loadReportForExport(db, practiceId, i.id)))).filter((r) => r !== null);
  const documents: ClientExport['documents'] = [
    ...planVersions.map((v) => ({ title: `Safety plan, version ${v.version} (${localDate(v.saved_at, auth.practice.timeZone)})`, format: 'pdf' as const, url: `${baseUrl}/api/clients/${clientId}/safety-plan.pdf?version=${v.version}` })),
    { title: 'Accounting of disclosures (six years)', format: 'pdf', url: `${baseUrl}/api/clients/${clientId}/accounting.pdf` },
    { title: 'Accounting of disclosures (six years)', format: 'csv', url: `${baseUrl}/api/clients/${clientId}/accounting.csv` },
  ];
  await appendAuditEvent(db, {
    practiceId, actorUserId: auth.user.id, actorRole: auth.user.role, action: 'client.export', resourceType: 'client', resourceId: clientId, clientId,
    ip: meta.ip, outcome: 'success',
    detail: { basis: '45 CFR 164.524', resources: fhir.entry.length, disclosures: accounting.entries.length, incidentReports: reports.length },
  });
  return {
    kind: 'holdspace.client-record', exportedAt: new Date().toISOString(),
    practice: { name: auth.practice.name, timeZone: auth.practice.timeZone },
    client: { id: clientId, name: accounting.client.name },
    basis: "The client's right of access to their record (HIPAA 45 CFR 164.524)",
    excluded: ['Psychotherapy notes (45 CFR 164.501; excluded from the right of access by 164.524(a)(1)(i))'],
    fhir, accountingOfDisclosures: accounting, incidentReports: reports, documents,
  };
}

// --- retention ------------------------------------------------------------------------------

export interface RetentionView {
  yearsAfterLastContact: number;
  isDefault: boolean;
  defaultYears: number;
  minimumYears: number;
  maximumYears: number;
  updatedAt: string | null;
  updatedBy: { id: string; name: string } | null;
  /** Nothing is deleted automatically yet: the setting is recorded and shown. */
  automaticDeletion: false;
}

async function readRetention(db: Db, practiceId: string): Promise<RetentionView> {
  const row = await db.selectFrom('retention_settings as r')
    .leftJoin('users as u', (j) => j.onRef('u.practice_id', '=', 'r.practice_id').onRef('u.id', '=', 'r.updated_by'))
    .select(['r.years_after_last_contact', 'r.updated_at', 'r.updated_by', 'u.name as updated_by_name'])
    .where('r.practice_id', '=', practiceId).executeTakeFirst();
  return {
    yearsAfterLastContact: row?.years_after_last_contact ?? DEFAULT_RETENTION_YEARS, isDefault: !row,
    defaultYears: DEFAULT_RETENTION_YEARS, minimumYears: MIN_RETENTION_YEARS, maximumYears: MAX_RETENTION_YEARS,
    updatedAt: row?.updated_at.toISOString() ?? null,
    updatedBy: row?.updated_by ? { id: row.updated_by, name: row.updated_by_name ?? 'Someone' } : null,
    automaticDeletion: false,
  };
}

export async function getRetention(db: Db, auth: AuthContext): Promise<RetentionView> {
  return readRetention(db, auth.practice.id);
}

export async function setRetention(db: Db, auth: AuthContext, years: number, meta: RequestMeta): Promise<RetentionView> {
  const practiceId = auth.practice.id;
  await db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom('retention_settings').select('years_after_last_contact').where('practice_id', '=', practiceId).forUpdate().executeTakeFirst();
    await trx.insertInto('retention_settings').values({ practice_id: practiceId, years_after_last_contact: years, updated_by: auth.user.id })
      .onConflict((oc) => oc.column('practice_id').doUpdateSet({ years_after_last_contact: years, updated_by: auth.user.id, updated_at: new Date() })).execute();
    await appendAuditEvent(trx, {
      practiceId, actorUserId: auth.user.id, actorRole: auth.user.role, action: 'retention.manage', resourceType: 'retention_settings',
      resourceId: practiceId, ip: meta.ip, outcome: 'success', detail: { from: before?.years_after_last_contact ?? DEFAULT_RETENTION_YEARS, to: years },
    });
  });
  return readRetention(db, practiceId);
}
