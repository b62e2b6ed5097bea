/**
 * Named statements against a real PostgreSQL server: what the server holds
 * (pg_prepared_statements), eviction, a schema change under a prepared statement, and aborted
 * transactions. Runs in both suite runs: the server is TEST_DATABASE_URL, or the machine's
 * PostgreSQL on 127.0.0.1 (CI always has one).
 */
import { DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler, sql } from 'kysely';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from './database.ts';
import { isPreparable, namedStatementCount, useNamedStatements } from './named-statements.ts';
import type { DB } from './schema.ts';
import { countTickets, findTicketIdByNumber, listTicketSummaries } from '../modules/tickets/tickets.queries.ts';
import { searchCustomers, searchMessages, searchTicketIdsBySubject } from '../modules/search/search.queries.ts';
import { listCustomers } from '../modules/customers/customers.queries.ts';
import * as reports from '../modules/reports/consistency.queries.ts';

const url = process.env.TEST_DATABASE_URL ?? process.env.TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function reachable(): Promise<boolean> {
  const probe = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await probe.connect();
    return true;
  } catch {
    return false;
  } finally {
    await probe.end().catch(() => {});
  }
}

const serverUp = await reachable();
if (process.env.CI && !serverUp) throw new Error(`CI needs a PostgreSQL server for named statements: none answers at ${url}`);

/** What the server holds for this session, by statement text. */
async function prepared(client: pg.Client): Promise<Map<string, string>> {
  // A plain simple-protocol query: not itself prepared, so it does not count.
  const res = await client.query({ text: 'select name, statement from pg_prepared_statements', queryMode: 'simple' } as pg.QueryConfig);
  return new Map(res.rows.map((r: { name: string; statement: string }) => [r.statement, r.name]));
}

describe('which statements are kept prepared', () => {
  /** The SQL each call sends, without a database (Kysely's DummyDriver answers no rows). */
  async function sqlOf(run: (db: Kysely<DB>) => Promise<unknown>): Promise<string[]> {
    const sent: string[] = [];
    const db = new Kysely<DB>({
      dialect: {
        createAdapter: () => new PostgresAdapter(),
        createDriver: () => new DummyDriver(),
        createIntrospector: (k) => new PostgresIntrospector(k),
        createQueryCompiler: () => new PostgresQueryCompiler(),
      },
      log: (event) => void sent.push(event.query.sql),
    });
    // No rows come back: a call that needs one fails after its SQL was sent, which is all that matters here.
    await run(db).catch(() => undefined);
    return sent;
  }

  it('keeps data statements, not transaction control, DDL or statements marked plan-per-call', () => {
    expect(isPreparable('select * from tickets where id = $1')).toBe(true);
    expect(isPreparable('  WITH x as (select 1) select * from x')).toBe(true);
    expect(isPreparable('insert into t values ($1)')).toBe(true);
    expect(isPreparable('begin')).toBe(false);
    expect(isPreparable('create index on t (a)')).toBe(false);
    expect(isPreparable(`select ${'/* plan per call */'} * from tickets where subject like $1`)).toBe(false);
  });

  it('plans searches, filtered lists and reports for their own values on every call', async () => {
    const range = { from: new Date('2026-01-01'), to: new Date('2026-02-01') };
    const calls: Array<(db: Kysely<DB>) => Promise<unknown>> = [
      (db) => listTicketSummaries(db, { q: 'refund', statuses: ['open'] }, { limit: 25 }),
      (db) => countTickets(db, { assigneeId: null }, 10_000),
      (db) => searchMessages(db, 'broken zipper', 10),
      (db) => searchTicketIdsBySubject(db, 'broken zipper', 10),
      (db) => searchCustomers(db, 'lena', 10),
      (db) => listCustomers(db, { q: 'lena', limit: 25 }),
      (db) => reports.outcomesByProblem(db, range),
      (db) => reports.spendByAgent(db, range),
      (db) => reports.recentRemedies(db, range, 20),
      (db) => reports.approvalTurnaround(db, range),
    ];
    const planned = (await Promise.all(calls.map((call) => sqlOf(call)))).flat();
    expect(planned).toHaveLength(calls.length);
    for (const text of planned) expect(isPreparable(text), text.slice(0, 80)).toBe(false);
    // A point look-up is kept prepared.
    const kept = await sqlOf((db) => findTicketIdByNumber(db, 1042));
    expect(kept.map(isPreparable)).toEqual([true]);
  });
});

describe.runIf(serverUp)('named statements on PostgreSQL', () => {
  const clients: pg.Client[] = [];
  async function connect(max?: number): Promise<pg.Client> {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    useNamedStatements(client, max);
    clients.push(client);
    return client;
  }
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.end().catch(() => {})));
  });
  it('prepares a data statement once per connection and reuses it with new values', async () => {
    const client = await connect();
    const text = 'select $1::int * 2 as doubled';
    expect((await client.query(text, [21])).rows).toEqual([{ doubled: 42 }]);
    expect((await client.query(text, [5])).rows).toEqual([{ doubled: 10 }]);
    const held = await prepared(client);
    expect(held.has(text)).toBe(true);
    expect(held.size).toBe(1);
    expect(namedStatementCount(client)).toBe(1);
  });

  it('leaves transaction control, DDL and callback-style calls unnamed', async () => {
    const client = await connect();
    await client.query('begin');
    await client.query('create temp table t_unnamed (a int)');
    await client.query('insert into t_unnamed values ($1)', [1]);
    await client.query('commit');
    const held = await prepared(client);
    expect([...held.keys()]).toEqual(['insert into t_unnamed values ($1)']);
  });

  it('keeps at most the configured number per connection, least recently used out first', async () => {
    const client = await connect(2);
    await client.query('select $1::int as a', [1]);
    await client.query('select $1::int as b', [1]);
    await client.query('select $1::int as a', [2]); // a is now the most recent
    await client.query('select $1::int as c', [3]); // evicts b
    const held = await prepared(client);
    expect([...held.keys()].sort()).toEqual(['select $1::int as a', 'select $1::int as c']);
    // b comes back under a new name and works.
    expect((await client.query('select $1::int as b', [7])).rows).toEqual([{ b: 7 }]);
    expect((await prepared(client)).size).toBe(2);
  });

  it('evicting inside a healthy transaction does not disturb it', async () => {
    const client = await connect(1);
    await client.query('create temp table t_tx (a int)');
    await client.query('insert into t_tx values ($1)', [1]);
    await client.query('begin');
    await client.query('insert into t_tx values ($1 + 0)', [2]); // evicts the first insert
    await client.query('insert into t_tx values ($1)', [3]); // evicts again, re-prepares under a new name
    await client.query('commit');
    const rows = (await client.query('select a from t_tx order by a')).rows;
    expect(rows.map((r: { a: number }) => r.a)).toEqual([1, 2, 3]);
  });

  it('recovers after an aborted transaction', async () => {
    const client = await connect(1);
    await client.query('begin');
    await expect(client.query('select $1::int / 0 as boom', [1])).rejects.toThrow(/division by zero/);
    await expect(client.query('select $1::int as after_error', [1])).rejects.toThrow(/aborted/);
    await client.query('rollback');
    expect((await client.query('select $1::int as after_error', [4])).rows).toEqual([{ after_error: 4 }]);
    expect((await client.query('select $1::int / 1 as boom', [6])).rows).toEqual([{ boom: 6 }]);
  });

  it('a prepared select * whose table changed fails once, then works with the new columns', async () => {
    const client = await connect();
    const other = await connect();
    await client.query('create temp table t_shape (a int)');
    await client.query('insert into t_shape values (1)');
    const text = 'select * from t_shape where a = $1';
    expect((await client.query(text, [1])).rows).toEqual([{ a: 1 }]);
    // Temp tables are per session, so this session changes its own table: the same effect as a migration elsewhere.
    await client.query('alter table t_shape add column b text default $$x$$');
    await expect(client.query(text, [1])).rejects.toThrow(/cached plan must not change result type/);
    expect((await client.query(text, [1])).rows).toEqual([{ a: 1, b: 'x' }]);
    expect((await other.query('select $1::text as fine', ['yes'])).rows).toEqual([{ fine: 'yes' }]);
  });

  it('the pool opened by openDatabase names Kysely queries', async () => {
    const database = await openDatabase({ databaseUrl: url, poolSize: 1 });
    try {
      for (const n of [1, 2, 3]) {
        const row = await sql<{ n: number }>`select ${n}::int + 1 as n`.execute(database.db);
        expect(row.rows[0]?.n).toBe(n + 1);
      }
      const held = await sql<{ statement: string }>`select statement from pg_prepared_statements where statement like ${'%+ 1 as n'}`.execute(database.db);
      expect(held.rows).toHaveLength(1);
    } finally {
      await database.close();
    }
    const off = await openDatabase({ databaseUrl: url, poolSize: 1, preparedStatements: false });
    try {
      await sql`select ${1}::int + 2 as m`.execute(off.db);
      const held = await sql<{ c: number }>`select count(*)::int as c from pg_prepared_statements`.execute(off.db);
      expect(held.rows[0]?.c).toBe(0);
    } finally {
      await off.close();
    }
  });
});
