/**
 * EXPLAIN for exactly the SQL the application runs: a Kysely instance whose driver, instead of
 * running a query, runs `EXPLAIN (ANALYZE, BUFFERS)` of it on the real database and records the
 * plan. Pass it to the app's own query functions (they receive one empty row back) and read `plans`.
 */
import {
  CompiledQuery,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type QueryResult,
} from 'kysely';
import type { DB } from '../../src/db/schema.ts';

/** One recorded plan. */
export interface RecordedPlan {
  sql: string;
  plan: string;
}

/** A Kysely<DB> that explains instead of executing, on top of a real one. */
export function explainingDb(real: Kysely<DB>): { db: Kysely<DB>; plans: RecordedPlan[] } {
  const plans: RecordedPlan[] = [];
  const connection: DatabaseConnection = {
    async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
      const result = await real.executeQuery<{ 'QUERY PLAN': string }>(
        CompiledQuery.raw(`explain (analyze, buffers) ${compiled.sql}`, [...compiled.parameters]),
      );
      plans.push({ sql: compiled.sql, plan: result.rows.map((r) => r['QUERY PLAN']).join('\n') });
      // One empty row, so that callers expecting a row (counts, executeTakeFirstOrThrow) carry on.
      return { rows: [{} as R] };
    },
    // eslint-disable-next-line require-yield
    async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
      throw new Error('not supported');
    },
  };
  const driver: Driver = {
    init: async () => undefined,
    acquireConnection: async () => connection,
    beginTransaction: async () => undefined,
    commitTransaction: async () => undefined,
    rollbackTransaction: async () => undefined,
    releaseConnection: async () => undefined,
    destroy: async () => undefined,
  };
  const dialect: Dialect = {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => driver,
    createIntrospector: (db) => new PostgresIntrospector(db),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  };
  return { db: new Kysely<DB>({ dialect }), plans };
}

/** The "Execution Time" line of a plan, in ms. */
export function executionMs(plan: string): number {
  const m = /Execution Time: ([\d.]+) ms/.exec(plan);
  return m?.[1] ? Number(m[1]) : Number.NaN;
}
