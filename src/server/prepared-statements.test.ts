import { afterAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { createTestDatabase } from '../../test/support/database.ts';
import { MAX_NAMED_PER_CONNECTION, PreparingClient } from './prepared-statements.ts';

describe('PreparingClient (named prepared statements for the pool)', async () => {
  const { url } = await createTestDatabase();
  const pool = new pg.Pool({ connectionString: url, max: 1, Client: PreparingClient });
  afterAll(() => pool.end());

  const prepared = async (client: pg.PoolClient) =>
    (await client.query<{ name: string; statement: string }>('select name, statement from pg_prepared_statements order by prepare_time')).rows;

  it('names a statement with parameters once per connection and reuses it; the answers are the same', async () => {
    const client = await pool.connect();
    try {
      const text = 'select $1::int + 1 as n';
      const answers = [];
      for (let i = 0; i < 7; i++) answers.push((await client.query<{ n: number }>(text, [i])).rows[0]!.n);
      expect(answers).toEqual([1, 2, 3, 4, 5, 6, 7]);
      const named = (await prepared(client)).filter((p) => p.statement === text);
      expect(named).toHaveLength(1);
      expect(named[0]!.name).toMatch(/^hs_[A-Za-z0-9_-]{27}$/);
    } finally {
      client.release();
    }
  });

  it('leaves statements without parameters unnamed (BEGIN, COMMIT, several statements at once)', async () => {
    const client = await pool.connect();
    try {
      await client.query('begin');
      await client.query('select 1; select 2');
      await client.query('commit');
      expect((await prepared(client)).map((p) => p.statement)).not.toContain('select 1; select 2');
      expect((await prepared(client)).some((p) => /^(begin|commit)$/i.test(p.statement))).toBe(false);
    } finally {
      client.release();
    }
  });

  it(`names at most ${MAX_NAMED_PER_CONNECTION} texts on one connection; the rest run unnamed and still answer`, async () => {
    // A pool of its own: this connection is full afterwards.
    const own = new pg.Pool({ connectionString: url, max: 1, Client: PreparingClient });
    const client = await own.connect();
    try {
      for (let i = 0; i < MAX_NAMED_PER_CONNECTION + 20; i++) {
        const r = await client.query<{ n: number }>(`select $1::int + ${i} as n /* distinct ${i} */`, [1]);
        expect(r.rows[0]!.n).toBe(i + 1);
      }
      const count = (await client.query<{ n: number }>(`select count(*)::int as n from pg_prepared_statements where name like 'hs\\_%'`)).rows[0]!.n;
      expect(count).toBeLessThanOrEqual(MAX_NAMED_PER_CONNECTION);
      expect(count).toBeGreaterThan(MAX_NAMED_PER_CONNECTION - 5);
    } finally {
      client.release();
      await own.end();
    }
  });

  it('a statement whose table changed under it answers with the new columns, or fails once (0A000) and then runs unnamed', async () => {
    const other = new pg.Pool({ connectionString: url, max: 1, Client: PreparingClient });
    try {
      await other.query('create table prepared_probe (id int primary key, a text)');
      await other.query(`insert into prepared_probe values (1, 'one')`);
      const text = 'select * from prepared_probe where id = $1';
      expect((await other.query(text, [1])).rows).toEqual([{ id: 1, a: 'one' }]);
      await other.query('alter table prepared_probe add column b text');
      expect((await other.query(text, [1])).rows).toEqual([{ id: 1, a: 'one', b: null }]);
      await other.query('alter table prepared_probe alter column a type int using length(a)');
      const changed = await other.query(text, [1]).then((r) => r.rows, (err: { code?: string }) => err.code);
      if (changed === '0A000') expect((await other.query(text, [1])).rows).toEqual([{ id: 1, a: 3, b: null }]);
      else expect(changed).toEqual([{ id: 1, a: 3, b: null }]);
    } finally {
      await other.end();
    }
  });

  // The failure this prevents ("no partition of relation \"job\" found for row") showed in the paging
  // tests' texts to the paged, whose outbox queue is created in the middle of a page's transaction.
  it("leaves pg-boss's statements unnamed: its tables gain partitions while the server runs", async () => {
    const client = await pool.connect();
    const other = new pg.Client({ connectionString: url });
    await other.connect();
    try {
      await client.query('create schema if not exists pgboss');
      await client.query('create table pgboss.probe (name text not null, n int) partition by list (name)');
      await client.query(`create table pgboss.probe_a partition of pgboss.probe for values in ('a')`);
      const insert = 'insert into pgboss.probe (name, n) values ($1, $2)';
      await client.query('begin');
      for (let n = 0; n < 6; n++) await client.query(insert, ['a', n]);
      // As pg-boss creates a queue the first time it is used: another connection attaches its partition.
      await other.query(`create table pgboss.probe_b (like pgboss.probe)`);
      await other.query(`alter table pgboss.probe attach partition pgboss.probe_b for values in ('b')`);
      await client.query(insert, ['b', 6]);
      await client.query('commit');
      expect((await client.query('select count(*)::int as n from pgboss.probe where $1::int = 1', [1])).rows).toEqual([{ n: 7 }]);
      expect((await prepared(client)).filter((p) => /pgboss\./.test(p.statement))).toEqual([]);
    } finally {
      client.release();
      await other.end();
    }
  });

  it('a statement that fails to parse is not remembered as prepared: the connection goes on working', async () => {
    const client = await pool.connect();
    try {
      await expect(client.query('select $1::int from no_such_table', [1])).rejects.toMatchObject({ code: '42P01' });
      await client.query('create temporary table no_such_table (x int)');
      await client.query('insert into no_such_table values (5)');
      expect((await client.query('select $1::int + x as y from no_such_table', [1])).rows).toEqual([{ y: 6 }]);
      expect((await client.query('select $1::int from no_such_table', [1])).rows).toEqual([{ int4: 1 }]);
    } finally {
      client.release();
    }
  });
});
