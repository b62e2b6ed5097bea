/**
 * Where a benchmark's data lives: a PGlite folder under bench/.data, or a database on the
 * PostgreSQL server. The same flags mean the same database in every benchmark, so
 * `bench:generate -- --tickets 100000 --db postgres` and `bench:inbox-search -- --tickets 100000
 * --db postgres` meet in `storedesk_bench_100k`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import pg from 'pg';
import { openDatabase, type Database } from '../../src/db/database.ts';

/** The repository root. */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Server used when no --url is given; any database on it may be named in the path. */
export const DEFAULT_PG_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** The admin the generator creates and the benchmarks create API tokens for. */
export const BENCH_ADMIN_EMAIL = 'bench-admin@bench.storedesk.dev';
/** Its password, so a person can sign in to a generated database and look around. */
export const BENCH_ADMIN_PASSWORD = 'bench-password';

/** Which database a benchmark uses. */
export type BenchTarget =
  | { kind: 'pglite'; label: string; dataDir: string; pgliteDir: string }
  | { kind: 'postgres'; label: string; url: string; database: string };

/** Flags every benchmark understands for choosing its database. */
export const TARGET_OPTIONS = {
  db: { type: 'string', default: 'pglite' },
  tickets: { type: 'string', default: '100000' },
  url: { type: 'string' },
  dir: { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false },
} as const satisfies ParseArgsConfig['options'];

/** Parses flags with the shared target options plus the benchmark's own; --help prints usage. */
export function parseFlags<const O extends NonNullable<ParseArgsConfig['options']>>(options: O, usage: string) {
  const { values } = parseArgs({ args: process.argv.slice(2), options: { ...TARGET_OPTIONS, ...options }, allowPositionals: false, strict: true });
  if ('help' in values && values.help === true) {
    console.log(usage);
    process.exit(0);
  }
  return values;
}

/** Reads a positive integer flag ("100000", "100k", "1m", "1_000_000"). */
export function readCount(raw: string | undefined, name: string): number {
  const s = String(raw ?? '').trim().toLowerCase().replace(/[_,]/g, '');
  const m = /^(\d+(?:\.\d+)?)([km]?)$/.exec(s);
  if (!m?.[1]) throw new Error(`--${name} must be a number like 100000, 100k or 1m (got "${raw}")`);
  const n = Number(m[1]) * (m[2] === 'k' ? 1e3 : m[2] === 'm' ? 1e6 : 1);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`--${name} must be a positive whole number (got "${raw}")`);
  return n;
}

/** "100k", "1m", "2500": a short name for a size. */
export function sizeLabel(n: number): string {
  if (n % 1_000_000 === 0) return `${n / 1_000_000}m`;
  if (n % 1000 === 0) return `${n / 1000}k`;
  return String(n);
}

/** Resolves --db/--tickets/--url/--dir into a target. */
export function resolveTarget(values: { db?: string | undefined; tickets?: string | undefined; url?: string | undefined; dir?: string | undefined }): BenchTarget {
  const label = sizeLabel(readCount(values.tickets, 'tickets'));
  if (values.db === 'postgres' || values.url) {
    const url = new URL(values.url ?? DEFAULT_PG_URL);
    if (!values.url) url.pathname = `/storedesk_bench_${label}`;
    const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
    if (!/^[a-z_][a-z0-9_]*$/.test(database)) throw new Error(`database name "${database}" must be lower-case letters, digits and _`);
    return { kind: 'postgres', label, url: url.toString(), database };
  }
  if (values.db !== 'pglite') throw new Error(`--db must be pglite or postgres (got "${values.db}")`);
  const dataDir = path.resolve(values.dir ?? path.join(ROOT, 'bench', '.data', `pglite-${label}`));
  return { kind: 'pglite', label, dataDir, pgliteDir: path.join(dataDir, 'pglite') };
}

/** A connection string to the server's maintenance database, for CREATE/DROP DATABASE. */
function adminUrl(url: string): string {
  const u = new URL(url);
  u.pathname = '/postgres';
  return u.toString();
}

/** Runs one statement on the maintenance database. */
async function adminQuery(url: string, statement: string, params: unknown[] = []): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: adminUrl(url) });
  await client.connect();
  try {
    return await client.query(statement, params);
  } finally {
    await client.end();
  }
}

/** Creates the target database if needed; with fresh, drops the old one first. */
export async function prepareTarget(target: BenchTarget, opts: { fresh: boolean }): Promise<void> {
  if (target.kind === 'pglite') {
    if (opts.fresh) fs.rmSync(target.dataDir, { recursive: true, force: true });
    fs.mkdirSync(target.pgliteDir, { recursive: true });
    return;
  }
  if (opts.fresh) await adminQuery(target.url, `drop database if exists ${target.database} with (force)`);
  const exists = await adminQuery(target.url, 'select 1 from pg_database where datname = $1', [target.database]);
  if (exists.rowCount === 0) await adminQuery(target.url, `create database ${target.database}`);
}

/** Drops a postgres target database or removes a PGlite folder. */
export async function dropTarget(target: BenchTarget): Promise<void> {
  if (target.kind === 'pglite') fs.rmSync(target.dataDir, { recursive: true, force: true });
  else await adminQuery(target.url, `drop database if exists ${target.database} with (force)`);
}

/** Whether the target already exists (a PGlite folder with data, or a database on the server). */
export async function targetExists(target: BenchTarget): Promise<boolean> {
  if (target.kind === 'pglite') return fs.existsSync(path.join(target.pgliteDir, 'PG_VERSION'));
  const r = await adminQuery(target.url, 'select 1 from pg_database where datname = $1', [target.database]);
  return (r.rowCount ?? 0) > 0;
}

/** Opens the target with the application's own opener. */
export function openTarget(target: BenchTarget, poolSize = 4): Promise<Database> {
  return target.kind === 'pglite'
    ? openDatabase({ pgliteDir: target.pgliteDir })
    : openDatabase({ databaseUrl: target.url, poolSize });
}

/** Environment that points a storedesk server at the target. */
export function serverEnv(target: BenchTarget): Record<string, string> {
  return target.kind === 'pglite'
    ? { STOREDESK_DATA_DIR: target.dataDir, DATABASE_URL: '' }
    : { DATABASE_URL: target.url, STOREDESK_DATA_DIR: path.join(ROOT, 'bench', '.data', 'server-postgres') };
}

/** Size on disk of the target, for the report. */
export async function targetSizeBytes(target: BenchTarget): Promise<number> {
  if (target.kind === 'postgres') {
    const r = await adminQuery(target.url, 'select pg_database_size($1)::bigint as n', [target.database]);
    return Number((r.rows[0] as { n: string } | undefined)?.n ?? 0);
  }
  let total = 0;
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else total += fs.statSync(p).size;
    }
  };
  if (fs.existsSync(target.pgliteDir)) walk(target.pgliteDir);
  return total;
}

/** Human-readable target for printouts. */
export function describeTarget(target: BenchTarget): string {
  if (target.kind === 'pglite') return `PGlite (embedded, worker thread) in ${path.relative(process.cwd(), target.dataDir) || target.dataDir}`;
  const u = new URL(target.url);
  return `PostgreSQL ${u.hostname}:${u.port || 5432}/${target.database}`;
}
