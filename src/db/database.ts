/**
 * Opens the database: PGlite on a worker thread by default (files under the data folder), or a
 * PostgreSQL server when DATABASE_URL is set. Both speak the same Postgres SQL through Kysely.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Kysely, PostgresDialect, sql, type Transaction } from 'kysely';
import pg from 'pg';
import { PGliteWorkerClient, PGliteWorkerDialect } from './pglite-driver.ts';
import { useNamedStatements } from './named-statements.ts';
import type { DB } from './schema.ts';

/** Which engine a Database runs on. */
export type DatabaseKind = 'pglite' | 'postgres';

/** Either the whole database or one open transaction; queries take this first. */
export type Executor = Kysely<DB> | Transaction<DB>;

/** An open database with its kind and a way to close it. */
export interface Database {
  readonly db: Kysely<DB>;
  readonly kind: DatabaseKind;
  /** Housekeeping the embedded database cannot do by itself (it has no autovacuum). */
  maintain(): Promise<void>;
  close(): Promise<void>;
}

/** Options for opening a database. */
export interface OpenDatabaseOptions {
  /** postgres:// URL; when absent, PGlite is used. */
  databaseUrl?: string | undefined;
  /** Folder for PGlite files; 'memory://' keeps everything in memory (tests). */
  pgliteDir?: string;
  /** Largest number of server connections in the pool. */
  poolSize?: number;
  /**
   * Whether PostgreSQL connections keep their statements prepared (named-statements.ts).
   * Default true; off for PgBouncer in transaction mode before 1.21.
   */
  preparedStatements?: boolean;
}

const INT8_OID = 20;

/** Opens the configured database and waits until it answers. */
export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  if (options.databaseUrl) {
    const pool = new pg.Pool({
      connectionString: options.databaseUrl,
      max: options.poolSize ?? 10,
      // storedesk's queries are short and indexed; JIT compilation only adds 50–80 ms to the few
      // that the planner costs high (measured on full-text searches at 1M tickets).
      options: '-c jit=off',
      types: {
        getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
          oid === INT8_OID ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
      },
    });
    // An idle connection can be cut by the server (restart, admin shutdown, a dropped test
    // database). The pool discards it and opens a new one; unhandled, the event would crash the process.
    pool.on('error', (err: Error & { code?: string }) => {
      if (err.code !== '57P01') console.warn(`database: an idle connection was closed (${err.code ?? err.message})`);
    });
    if (options.preparedStatements !== false) pool.on('connect', (client) => useNamedStatements(client));
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
    await sql`select 1`.execute(db);
    return {
      db,
      kind: 'postgres',
      maintain: async () => {},
      close: () => db.destroy(),
    };
  }
  const dir = options.pgliteDir ?? 'memory://';
  if (!dir.startsWith('memory://')) fs.mkdirSync(path.resolve(dir), { recursive: true });
  const client = new PGliteWorkerClient(dir);
  const db = new Kysely<DB>({ dialect: new PGliteWorkerDialect(client) });
  await client.ready;
  return {
    db,
    kind: 'pglite',
    // A checkpoint after vacuuming lets PGlite recycle its write-ahead log (hundreds of MB after a big import).
    maintain: async () => {
      await client.exec('vacuum analyze');
      await client.exec('checkpoint');
    },
    close: () => db.destroy(),
  };
}
