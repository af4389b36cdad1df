/**
 * Named prepared statements for the pool's connections. Kysely sends every query as an
 * unnamed statement, so PostgreSQL parses and plans it on every execution: measured on
 * the emergency button, planning took longer than executing (about 3 ms of 5 per press,
 * the session lookup alone 0.8 ms). A connection of this pool gives each parameterized
 * statement a name made from its text, so PostgreSQL parses it once per connection and,
 * after a few executions, reuses its plan (plan_cache_mode auto: custom plans until the
 * generic one is as cheap).
 *
 * Statements without parameters (BEGIN, COMMIT, migrations with several statements) stay
 * unnamed, and so do pg-boss's (sent through a transaction of ours): its job table is
 * partitioned by queue, with a partition attached when a queue is first used, and a plan
 * made before that cannot route a row to the new partition ("no partition of relation
 * \"job\" found for row", seen in the paging tests). A connection names at most `MAX_NAMED_PER_CONNECTION` texts, so texts that vary
 * (an IN list of each length) cannot grow its memory without end; beyond that they run
 * unnamed as before.
 */
import { createHash } from 'node:crypto';
import pg from 'pg';

export const MAX_NAMED_PER_CONNECTION = 500;
/** Names by statement text, shared by all connections (hashing a long statement every time costs more than a lookup). */
const NAMES = new Map<string, string | null>();
const MAX_REMEMBERED_NAMES = 5_000;

/** PostgreSQL refuses a prepared plan whose columns changed under it (DDL on a live connection): that text then runs unnamed. */
const CACHED_PLAN_CHANGED = '0A000';
/** pg-boss's schema (JobQueue's default), whose tables gain partitions while the server runs. */
const PARTITIONED = /\bpgboss\./i;

/** The statement's name, or null for one that must stay unnamed. */
function nameFor(text: string): string | null {
  let name = NAMES.get(text);
  if (name === undefined) {
    name = PARTITIONED.test(text) ? null : `hs_${createHash('sha1').update(text).digest('base64url')}`;
    if (NAMES.size < MAX_REMEMBERED_NAMES) NAMES.set(text, name);
  }
  return name;
}

export class PreparingClient extends pg.Client {
  readonly #named = new Set<string>();
  readonly #unnamed = new Set<string>();

  // pg's query() has many overloads; only the (text, values) form Kysely uses is changed.
  override query(...args: any[]): any {
    const [text, values, callback] = args as [unknown, unknown, unknown];
    if (typeof text !== 'string' || !Array.isArray(values) || values.length === 0 || typeof callback === 'function' || this.#unnamed.has(text)) {
      return (super.query as (...a: unknown[]) => unknown)(...args);
    }
    const name = nameFor(text);
    if (name === null) return (super.query as (...a: unknown[]) => unknown)(...args);
    if (!this.#named.has(name)) {
      if (this.#named.size >= MAX_NAMED_PER_CONNECTION) return (super.query as (...a: unknown[]) => unknown)(...args);
      this.#named.add(name);
    }
    const result = (super.query as (config: pg.QueryConfig) => Promise<pg.QueryResult>)({ name, text, values });
    return result.catch((err: unknown) => {
      if ((err as { code?: string }).code === CACHED_PLAN_CHANGED) this.#unnamed.add(text);
      throw err;
    });
  }
}
