/**
 * A Kysely dialect for PGlite running on a worker thread.
 *
 * PGlite computes on the thread that calls it; in-process it would stall HTTP, SMTP and live
 * updates for the length of every query. This dialect keeps the database on its own thread and
 * talks to it by message. PGlite has a single session, so the driver hands out one connection
 * at a time: a transaction holds it from BEGIN to COMMIT and other work waits its turn.
 */
import { Worker } from 'node:worker_threads';
import {
  CompiledQuery,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  type QueryResult,
  type TransactionSettings,
} from 'kysely';

interface WorkerReply {
  id: number;
  rows?: Record<string, unknown>[];
  affectedRows?: number;
  ready?: boolean;
  error?: { message: string; code?: string; detail?: string; constraint?: string; table?: string; column?: string };
}

/** A database error from PGlite, carrying the SQLSTATE code like node-postgres errors do. */
export class PGliteQueryError extends Error {
  code: string | undefined;
  detail: string | undefined;
  constraint: string | undefined;
  constructor(e: NonNullable<WorkerReply['error']>) {
    super(e.message);
    this.name = 'PGliteQueryError';
    this.code = e.code;
    this.detail = e.detail;
    this.constraint = e.constraint;
  }
}

/** The worker thread and its request/response bookkeeping. */
export class PGliteWorkerClient {
  private readonly worker: Worker;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (r: WorkerReply) => void; reject: (e: Error) => void }>();
  readonly ready: Promise<void>;
  private closed = false;

  constructor(dataDir: string) {
    this.worker = new Worker(new URL('./pglite-worker.js', import.meta.url), { workerData: { dataDir } });
    this.ready = new Promise<void>((resolve, reject) => {
      this.pending.set(0, {
        resolve: (reply) => (reply.error ? reject(new PGliteQueryError(reply.error)) : resolve()),
        reject,
      });
    });
    this.worker.on('message', (reply: WorkerReply) => {
      const waiter = this.pending.get(reply.id);
      if (!waiter) return;
      this.pending.delete(reply.id);
      waiter.resolve(reply);
    });
    this.worker.on('error', (err) => this.failAll(err));
    this.worker.on('exit', (code) => {
      if (!this.closed) this.failAll(new Error(`PGlite worker exited with code ${code}`));
    });
  }

  private failAll(err: Error): void {
    for (const waiter of this.pending.values()) waiter.reject(err);
    this.pending.clear();
  }

  /** Runs one parameterised statement and returns its rows. */
  async query(sql: string, params: readonly unknown[]): Promise<{ rows: Record<string, unknown>[]; affectedRows: number }> {
    const reply = await this.send({ type: 'query', sql, params });
    return { rows: reply.rows ?? [], affectedRows: reply.affectedRows ?? 0 };
  }

  /** Runs a script of several statements without parameters (VACUUM, ANALYZE, DDL). */
  async exec(sql: string): Promise<void> {
    await this.send({ type: 'exec', sql });
  }

  private send(msg: Record<string, unknown>): Promise<WorkerReply> {
    if (this.closed) return Promise.reject(new Error('the embedded database is closed'));
    const id = this.nextId++;
    return new Promise<WorkerReply>((resolve, reject) => {
      this.pending.set(id, {
        resolve: (reply) => (reply.error ? reject(new PGliteQueryError(reply.error)) : resolve(reply)),
        reject,
      });
      this.worker.postMessage({ ...msg, id });
    });
  }

  /** Closes the database cleanly (flushes to disk) and stops the thread. */
  async close(): Promise<void> {
    if (this.closed) return;
    try {
      await this.send({ type: 'close' });
    } finally {
      this.closed = true;
      await this.worker.terminate();
    }
  }
}

class PGliteConnection implements DatabaseConnection {
  constructor(private readonly client: PGliteWorkerClient) {}

  async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    const { rows, affectedRows } = await this.client.query(compiled.sql, compiled.parameters);
    const isWrite = /^\s*(insert|update|delete|merge)/i.test(compiled.sql);
    return {
      rows: rows as R[],
      ...(isWrite ? { numAffectedRows: BigInt(affectedRows) } : {}),
    };
  }

  // eslint-disable-next-line require-yield
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('streaming is not supported on the embedded database');
  }
}

/** Hands out the single PGlite session to one user at a time, in arrival order. */
class PGliteDriver implements Driver {
  private readonly connection: PGliteConnection;
  private queue: Array<() => void> = [];
  private busy = false;

  constructor(private readonly client: PGliteWorkerClient) {
    this.connection = new PGliteConnection(client);
  }

  async init(): Promise<void> {
    await this.client.ready;
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    if (this.busy) await new Promise<void>((resolve) => this.queue.push(resolve));
    this.busy = true;
    return this.connection;
  }

  async beginTransaction(conn: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    const level = settings.isolationLevel ? ` isolation level ${settings.isolationLevel}` : '';
    await conn.executeQuery(CompiledQuery.raw(`begin${level}`));
  }

  async commitTransaction(conn: DatabaseConnection): Promise<void> {
    await conn.executeQuery(CompiledQuery.raw('commit'));
  }

  async rollbackTransaction(conn: DatabaseConnection): Promise<void> {
    await conn.executeQuery(CompiledQuery.raw('rollback'));
  }

  async releaseConnection(): Promise<void> {
    const next = this.queue.shift();
    if (next) next();
    else this.busy = false;
  }

  async destroy(): Promise<void> {
    await this.client.close();
  }
}

/** Kysely dialect: Postgres SQL compiled by Kysely, executed by PGlite on a worker thread. */
export class PGliteWorkerDialect implements Dialect {
  constructor(private readonly client: PGliteWorkerClient) {}
  createAdapter() {
    return new PostgresAdapter();
  }
  createDriver(): Driver {
    return new PGliteDriver(this.client);
  }
  createIntrospector(db: Kysely<unknown>) {
    return new PostgresIntrospector(db);
  }
  createQueryCompiler() {
    return new PostgresQueryCompiler();
  }
}
