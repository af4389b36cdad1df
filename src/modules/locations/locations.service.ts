import { randomUUID } from 'node:crypto';
import type { Kysely, Updateable } from 'kysely';
import type { Database } from '../../server/database.ts';
import { Problem } from '../../server/problems.ts';
import { appendAuditEvent } from '../audit/audit.repository.ts';
import type { AuthContext, RequestMeta } from '../auth/auth.service.ts';
import type { Location, LocationTable } from './locations.table.ts';
import * as repo from './locations.repository.ts';

type Db = Kysely<Database>;

/** The API's field names and their columns. */
const COLUMNS = {
  name: 'name',
  address: 'address',
  timeZone: 'time_zone',
  emergencyNumber: 'emergency_number',
  crisisLine: 'crisis_line',
  mobileCrisisName: 'mobile_crisis_name',
  mobileCrisisPhone: 'mobile_crisis_phone',
  emergencyDepartmentName: 'emergency_department_name',
  emergencyDepartmentAddress: 'emergency_department_address',
  emergencyDepartmentPhone: 'emergency_department_phone',
  poisonControlPhone: 'poison_control_phone',
} as const satisfies Record<string, keyof LocationTable>;
type Field = keyof typeof COLUMNS;

export interface LocationInput {
  name: string;
  address: string;
  timeZone?: string | null | undefined;
  emergencyNumber?: string | undefined;
  crisisLine?: string | undefined;
  mobileCrisisName?: string | null | undefined;
  mobileCrisisPhone?: string | null | undefined;
  emergencyDepartmentName?: string | null | undefined;
  emergencyDepartmentAddress?: string | null | undefined;
  emergencyDepartmentPhone?: string | null | undefined;
  poisonControlPhone?: string | undefined;
}
export type LocationChanges = Partial<LocationInput>;

export type CrisisResourceKind = 'emergency' | 'crisis_line' | 'mobile_crisis' | 'emergency_department' | 'poison_control';
export interface CrisisResource {
  kind: CrisisResourceKind;
  label: string;
  phone: string | null;
  address: string | null;
}
export interface CrisisResources {
  locationId: string;
  locationName: string;
  address: string;
  timeZone: string | null;
  resources: CrisisResource[];
}

/**
 * The numbers to call for a location, in the order to reach for them in an emergency.
 * 988 is the US Suicide & Crisis Lifeline (call or text, since 16 July 2022);
 * 1-800-222-1222 is Poison Help (HRSA), which reaches the local poison center.
 */
export function crisisResourcesOf(l: Location): CrisisResource[] {
  const resources: CrisisResource[] = [
    { kind: 'emergency', label: 'Emergency services', phone: l.emergency_number, address: null },
    { kind: 'crisis_line', label: l.crisis_line === '988' ? '988 Suicide & Crisis Lifeline (call or text)' : 'Crisis line', phone: l.crisis_line, address: null },
  ];
  if (l.mobile_crisis_phone) {
    resources.push({ kind: 'mobile_crisis', label: l.mobile_crisis_name ?? 'Mobile crisis team', phone: l.mobile_crisis_phone, address: null });
  }
  if (l.emergency_department_name || l.emergency_department_address || l.emergency_department_phone) {
    resources.push({
      kind: 'emergency_department', label: l.emergency_department_name ?? 'Nearest emergency department',
      phone: l.emergency_department_phone, address: l.emergency_department_address,
    });
  }
  resources.push({ kind: 'poison_control', label: 'Poison Help', phone: l.poison_control_phone, address: null });
  return resources;
}

/** What protocols and the telehealth check show for a location; null when the practice has no such location. */
export async function crisisResourcesFor(db: Db, practiceId: string, locationId: string): Promise<CrisisResources | null> {
  const l = await repo.findLocation(db, practiceId, locationId);
  return l ? { locationId: l.id, locationName: l.name, address: l.address, timeZone: l.time_zone, resources: crisisResourcesOf(l) } : null;
}

export function toLocationView(l: Location) {
  return {
    id: l.id, name: l.name, address: l.address, timeZone: l.time_zone,
    emergencyNumber: l.emergency_number, crisisLine: l.crisis_line,
    mobileCrisisName: l.mobile_crisis_name, mobileCrisisPhone: l.mobile_crisis_phone,
    emergencyDepartmentName: l.emergency_department_name, emergencyDepartmentAddress: l.emergency_department_address,
    emergencyDepartmentPhone: l.emergency_department_phone, poisonControlPhone: l.poison_control_phone,
    createdAt: l.created_at.toISOString(), updatedAt: l.updated_at.toISOString(),
    crisisResources: crisisResourcesOf(l),
  };
}
export type LocationView = ReturnType<typeof toLocationView>;

export async function listLocations(db: Db, auth: AuthContext): Promise<LocationView[]> {
  return (await repo.listLocations(db, auth.practice.id)).map(toLocationView);
}

export async function getLocation(db: Db, auth: AuthContext, id: string): Promise<LocationView> {
  const l = await repo.findLocation(db, auth.practice.id, id);
  if (!l) throw new Problem('NOT_FOUND', 'No such location.');
  return toLocationView(l);
}

export async function createLocation(db: Db, auth: AuthContext, input: LocationInput, meta: RequestMeta): Promise<LocationView> {
  const id = randomUUID();
  return db.transaction().execute(async (trx) => {
    const created = await repo.insertLocation(trx, {
      practice_id: auth.practice.id, id, name: input.name, address: input.address,
      time_zone: input.timeZone ?? null, mobile_crisis_name: null, mobile_crisis_phone: null,
      emergency_department_name: null, emergency_department_address: null, emergency_department_phone: null,
      ...toColumns(input),
    });
    await audit(trx, auth, meta, id, { created: true, fields: fieldsOf(input) });
    return toLocationView(created);
  });
}

export async function updateLocation(db: Db, auth: AuthContext, id: string, changes: LocationChanges, meta: RequestMeta): Promise<LocationView> {
  return db.transaction().execute(async (trx) => {
    const updated = await repo.updateLocation(trx, auth.practice.id, id, toColumns(changes));
    if (!updated) throw new Problem('NOT_FOUND', 'No such location.');
    await audit(trx, auth, meta, id, { fields: fieldsOf(changes) });
    return toLocationView(updated);
  });
}

function fieldsOf(input: LocationChanges): Field[] {
  return (Object.keys(COLUMNS) as Field[]).filter((f) => input[f] !== undefined);
}

/** Only the fields given; an empty optional text clears the column. */
function toColumns(input: LocationChanges): Updateable<LocationTable> {
  const row: Record<string, string | null> = {};
  for (const field of fieldsOf(input)) row[COLUMNS[field]] = input[field] === '' ? null : input[field] ?? null;
  return row as Updateable<LocationTable>;
}

async function audit(trx: Db, auth: AuthContext, meta: RequestMeta, id: string, detail: Record<string, unknown>) {
  await appendAuditEvent(trx, {
    practiceId: auth.practice.id, actorUserId: auth.user.id, actorRole: auth.user.role, action: 'locations.manage',
    resourceType: 'location', resourceId: id, ip: meta.ip, outcome: 'success', detail,
  });
}
