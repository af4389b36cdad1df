/**
 * The protocol catalog as a practice runs it: the built-in definitions with the
 * practice's own numbers (the walkout wait, follow-up windows) as their defaults.
 * Practices change parameters, never steps; a run pins the values it started with.
 */
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../server/database.ts';
import { Problem } from '../../server/problems.ts';
import { BUILT_IN_PROTOCOLS, builtInProtocol } from '../../domain/protocols/catalog.ts';
import type { ParameterDefinition, ProtocolDefinition } from '../../domain/protocols/definition.ts';
import { resolveParameters } from '../../domain/protocols/run.ts';
import { appendAuditEvent } from '../audit/audit.repository.ts';
import type { AuthContext } from '../auth/auth.service.ts';
import * as repo from './incidents.repository.ts';

type Db = Kysely<Database>;

/** The catalog for the browser to cache: each definition with the practice's values as defaults. */
export async function practiceCatalog(db: Db, practiceId: string): Promise<{ protocols: ProtocolDefinition[]; etag: string }> {
  const overrides = await repo.practiceParameterOverrides(db, practiceId);
  const protocols = BUILT_IN_PROTOCOLS.map((def) => {
    const values = resolveParameters(def, overrides.get(def.key) ?? {});
    const parameters = Object.fromEntries(Object.entries(def.parameters).map(([name, p]) => [name, { ...p, default: values[name]! }]));
    return { ...def, parameters };
  });
  const etag = createHash('sha256').update(JSON.stringify(protocols)).digest('hex').slice(0, 16);
  return { protocols, etag };
}

export interface ProtocolParametersView {
  key: string;
  title: string;
  parameters: Record<string, ParameterDefinition>;
  values: Record<string, number>;
}

export async function listProtocolParameters(db: Db, auth: AuthContext): Promise<ProtocolParametersView[]> {
  const overrides = await repo.practiceParameterOverrides(db, auth.practice.id);
  return BUILT_IN_PROTOCOLS.filter((def) => Object.keys(def.parameters).length > 0).map((def) => ({
    key: def.key, title: def.title, parameters: def.parameters, values: resolveParameters(def, overrides.get(def.key) ?? {}),
  }));
}

/** Sets a practice's values for one protocol; out-of-range values are refused and change nothing. */
export async function setProtocolParameters(db: Db, auth: AuthContext, protocolKey: string, values: Record<string, number>, ip: string | null): Promise<ProtocolParametersView> {
  const def = builtInProtocol(protocolKey);
  if (!def) throw new Problem('UNKNOWN_PROTOCOL', `There is no protocol "${protocolKey}".`);
  const resolved = resolveParameters(def, values); // throws UNKNOWN_PARAMETER / PARAMETER_OUT_OF_RANGE
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('protocol_parameters').values({
      practice_id: auth.practice.id, protocol_key: def.key, values: JSON.stringify(values), updated_by: auth.user.id,
    }).onConflict((oc) => oc.columns(['practice_id', 'protocol_key']).doUpdateSet({
      values: JSON.stringify(values), updated_by: auth.user.id, updated_at: new Date(),
    })).execute();
    await appendAuditEvent(trx, {
      practiceId: auth.practice.id, actorUserId: auth.user.id, actorRole: auth.user.role, action: 'protocols.configure',
      resourceType: 'protocol_parameters', resourceId: def.key, ip, outcome: 'success', detail: { values },
    });
  });
  return { key: def.key, title: def.title, parameters: def.parameters, values: resolved };
}
