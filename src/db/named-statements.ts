/**
 * Named prepared statements for the PostgreSQL pool.
 *
 * Kysely hands the pg driver every query as an unnamed statement, so PostgreSQL parses and
 * plans it again on every call. storedesk runs a few hundred distinct statement texts over and
 * over (an inbound email is eight of them), so each pooled connection here gives a statement
 * text a name the first time it is run and reuses it afterwards: the server parses and plans it
 * once per connection. Measured on the email ingest, this took PostgreSQL's CPU per email from
 * ≈ 3.5 ms to ≈ 2.2 ms (bench/RESULTS.md).
 *
 * Three things need care, and are handled here:
 * - **Memory.** Texts that differ only by the length of an `in (…)` list are distinct
 *   statements. Each connection keeps at most `maxPerConnection` of them, least recently used
 *   first out; an evicted one is deallocated on the server.
 * - **Names are never reused.** A name is a per-connection counter, so a statement whose
 *   deallocation failed (say, inside an aborted transaction) can never collide with a new one.
 * - **Schema changes by another process.** A prepared `select *` whose table gained a column
 *   fails with "cached plan must not change result type". That query fails once (inside a
 *   transaction nothing can be retried safely); the connection then forgets and deallocates all
 *   its statements, so the next call prepares afresh.
 *
 * Statements that are not plain DML (BEGIN, COMMIT, DDL in migrations, SET) stay unnamed, and so
 * do statements that carry `planPerCall`: after five runs PostgreSQL may switch a prepared
 * statement to one generic plan for all values, which suits point look-ups and inserts but not a
 * search or a filtered list over a million tickets, whose best plan depends on the words and
 * filters given (and whose planning is small next to their execution). PgBouncer in transaction mode before 1.21 cannot follow named statements:
 * `DATABASE_PREPARED_STATEMENTS=false` turns all this off.
 */
import { sql, type RawBuilder } from 'kysely';
import type pg from 'pg';

/** How many named statements one connection keeps by default. */
export const DEFAULT_STATEMENTS_PER_CONNECTION = 500;

/** Only data statements are worth preparing; transaction control and DDL stay as they are. */
const PREPARABLE = /^\s*(select|insert|update|delete|with)\b/i;

const PLAN_PER_CALL_TEXT = '/* plan per call */';

/**
 * Marks a statement to be planned for its own values on every call (never prepared): put it in
 * searches, filtered lists and reports — `.modifyFront(planPerCall)` on a select, or
 * `${planPerCall}` at the start of a `sql` template.
 */
export const planPerCall: RawBuilder<unknown> = sql.raw(PLAN_PER_CALL_TEXT);

/** Whether a statement text is named (kept prepared) on a connection. */
export function isPreparable(text: string): boolean {
  return PREPARABLE.test(text) && !text.includes(PLAN_PER_CALL_TEXT);
}

/** SQLSTATE 0A000 with this message: a cached plan's result columns changed under it. */
const STALE_PLAN = /cached plan must not change result type/;

/** The parts of pg's connection object this module relies on (pg 8). */
interface PgConnectionInternals {
  parsedStatements: Record<string, string>;
}

type QueryFn = (...args: unknown[]) => unknown;

/** Statement names and their use order for one connection. */
class StatementCache {
  /** Statement text → name; a Map iterates in insertion order, so the first entry is the least recently used. */
  private readonly names = new Map<string, string>();
  private next = 0;

  constructor(private readonly max: number) {}

  /** The name for a text, and the names evicted to make room for it. */
  nameFor(text: string): { name: string; evicted: string[] } {
    const known = this.names.get(text);
    if (known !== undefined) {
      this.names.delete(text);
      this.names.set(text, known);
      return { name: known, evicted: [] };
    }
    const evicted: string[] = [];
    while (this.names.size >= this.max) {
      const [oldest, name] = this.names.entries().next().value as [string, string];
      this.names.delete(oldest);
      evicted.push(name);
    }
    const name = `sd_${(this.next++).toString(36)}`;
    this.names.set(text, name);
    return { name, evicted };
  }

  /** Forgets every statement; returns their names. */
  clear(): string[] {
    const all = [...this.names.values()];
    this.names.clear();
    return all;
  }

  get size(): number {
    return this.names.size;
  }
}

/** Makes one pg client name its data statements. Idempotent per client. */
export function useNamedStatements(client: pg.PoolClient | pg.Client, maxPerConnection = DEFAULT_STATEMENTS_PER_CONNECTION): void {
  const marked = client as unknown as { __storedeskNamed?: StatementCache };
  if (marked.__storedeskNamed) return;
  const cache = new StatementCache(Math.max(1, maxPerConnection));
  marked.__storedeskNamed = cache;
  const original = client.query.bind(client) as QueryFn;
  const connection = (client as unknown as { connection: PgConnectionInternals }).connection;

  /**
   * Deallocations waiting to be sent. They go out just before the connection's next named
   * query, never alongside a running one (pg 9 will not queue queries on a busy client).
   */
  let toDeallocate: string[] = [];

  /** Forgets statements here and in the driver's bookkeeping; the server is told before the next query. */
  const forget = (names: string[]) => {
    for (const name of names) {
      // Only what the server acknowledged exists there: deallocating an unknown name would be an
      // error, and an error inside a healthy transaction would abort it.
      if (connection.parsedStatements[name] === undefined) continue;
      delete connection.parsedStatements[name];
      toDeallocate.push(name);
    }
  };

  const named: QueryFn = (config: unknown, values?: unknown, callback?: unknown) => {
    if (typeof config !== 'string' || typeof values === 'function' || callback !== undefined || !isPreparable(config)) {
      return original(config, values, callback);
    }
    const { name, evicted } = cache.nameFor(config);
    forget(evicted);
    const run = () =>
      (original({ name, text: config, values: values ?? [] }) as Promise<unknown>).catch((err: unknown) => {
        if (err instanceof Error && STALE_PLAN.test(err.message)) forget(cache.clear());
        throw err;
      });
    if (toDeallocate.length === 0) return run();
    const names = toDeallocate;
    toDeallocate = [];
    // A failure (say, in an aborted transaction) leaves the statements on the server: only memory,
    // since names are never reused.
    return (original(names.map((n) => `deallocate ${n}`).join('; ')) as Promise<unknown>).then(run, run);
  };
  (client as unknown as { query: QueryFn }).query = named;
}

/** How many named statements a client holds (for tests and diagnostics). */
export function namedStatementCount(client: pg.PoolClient | pg.Client): number {
  return (client as unknown as { __storedeskNamed?: StatementCache }).__storedeskNamed?.size ?? 0;
}
