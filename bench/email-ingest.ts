/**
 * Email ingestion benchmark: pushes a batch of realistic emails (new threads with quoted
 * history, replies threaded by In-Reply-To, HTML with inline images, attachments) through the
 * SMTP listener over loopback with several concurrent SMTP clients, and prints messages per
 * second, latency, memory and CPU per email. Runs on a fresh PGlite folder or a fresh
 * PostgreSQL database.
 *
 * The SMTP clients run in a child process (`bench/lib/email-clients.ts`), so the CPU printed for
 * the server is the listener's and ingestion's alone; the clients' CPU and, when /proc shows it,
 * the CPU of this run's PostgreSQL backends are printed next to it.
 *
 *   npx tsx bench/email-ingest.ts --db pglite --messages 2000
 *   npx tsx bench/email-ingest.ts --db postgres --messages 5000 --concurrency 16
 *   npx tsx bench/email-ingest.ts --db postgres --url 'postgres:///postgres?host=/var/run/postgresql'   (Unix socket)
 */
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import pg from 'pg';
import { openDatabase } from '../src/db/database.ts';
import { migrateToLatest } from '../src/db/migrator.ts';
import { LiveBus } from '../src/shared/live-bus.ts';
import { systemContext } from '../src/shared/context.ts';
import { ensureDefaultStore } from '../src/modules/stores/stores.service.ts';
import { LocalBlobStore } from '../src/blobs/local-blob-store.ts';
import { startSmtpListener } from '../src/modules/channels/email/smtp-listener.ts';
import { emailPreparerFor } from '../src/modules/channels/email/prepare-pool.ts';
import { loadConfig } from '../src/config.ts';
import type { ClientsConfig, FromClients, ToClients } from './lib/email-clients.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: {
    db: { type: 'string', default: 'pglite' },
    messages: { type: 'string', default: '2000' },
    concurrency: { type: 'string', default: '8' },
    url: { type: 'string', default: process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres' },
    keep: { type: 'boolean', default: false },
    // Worker threads that parse emails and write blobs (as EMAIL_PARSE_WORKERS; 0 = main thread).
    'parse-workers': { type: 'string', default: String(loadConfig({}).emailParseWorkers) },
    // Named prepared statements on PostgreSQL connections (as DATABASE_PREPARED_STATEMENTS).
    'prepared-statements': { type: 'string', default: 'true' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (values.help) {
  console.log('usage: npx tsx bench/email-ingest.ts [--db pglite|postgres] [--messages 2000] [--concurrency 8] [--url postgres://…] [--parse-workers N] [--prepared-statements true|false] [--keep]');
  process.exit(0);
}
const total = Number(values.messages);
const concurrency = Number(values.concurrency);
const kind = values.db === 'postgres' ? 'postgres' : 'pglite';

async function main(): Promise<void> {
  const stamp = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
  const dataDir = path.join(ROOT, 'bench', '.data', `email-${stamp}`);
  let databaseUrl: string | undefined;
  const dbName = `storedesk_bench_email_${stamp}`;
  if (kind === 'postgres') {
    const admin = new pg.Client({ connectionString: values.url });
    await admin.connect();
    await admin.query(`create database ${dbName}`);
    await admin.end();
    const u = new URL(values.url ?? '');
    u.pathname = `/${dbName}`;
    databaseUrl = u.toString();
  }
  const database = await openDatabase({ databaseUrl, pgliteDir: path.join(dataDir, 'pglite'), poolSize: 10, preparedStatements: values['prepared-statements'] !== 'false' });
  await migrateToLatest(database.db);
  const live = new LiveBus();
  const storeId = await ensureDefaultStore(systemContext(database.db, live, 'bench'));
  await database.db.insertInto('mailboxes').values({ store_id: storeId, address: 'support@shop.test', is_default: true }).execute();
  const blobs = new LocalBlobStore(path.join(dataDir, 'blobs'));
  const parseWorkers = Number(values['parse-workers']);
  const preparer = emailPreparerFor(blobs, parseWorkers);
  const smtp = await startSmtpListener({
    db: database.db, live, blobs, preparer, port: 0, host: '127.0.0.1',
    maxBytes: 25 * 1024 * 1024, senderHourlyLimit: 1_000_000,
  });

  process.stdout.write(`building ${total} emails in the clients' process… `);
  const clients = fork(path.join(ROOT, 'bench', 'lib', 'email-clients.ts'), [JSON.stringify({ port: smtp.port, total, concurrency } satisfies ClientsConfig)], {
    // Not profiled with the server: --cpu-prof and the like stay with this process.
    execArgv: ['--import', 'tsx'],
  });
  const fromClients = (type: FromClients['type']) =>
    new Promise<FromClients>((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`the SMTP clients' process exited (${code}) before '${type}'`));
      clients.once('exit', onExit);
      clients.on('message', function onMessage(msg: FromClients) {
        if (msg.type !== type) return;
        clients.off('message', onMessage);
        clients.off('exit', onExit);
        resolve(msg);
      });
    });
  const ready = await fromClients('ready');
  if (ready.type === 'ready') console.log(`${(ready.bytes / 1024 / 1024).toFixed(1)} MiB`);

  let peakRss = 0;
  let peakHeap = 0;
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
  }, 100);
  // As a server does at start: the parse workers load their modules before the first email.
  await preparer.warmUp();
  const loadBefore = os.loadavg();
  const pgBefore = await backendCpuMs(database.db, kind);
  const done = fromClients('done');
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const eluBefore = performance.eventLoopUtilization();
  clients.send({ type: 'go' } satisfies ToClients);
  const result = await done;
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const mainThreadBusy = performance.eventLoopUtilization(eluBefore).utilization;
  clearInterval(sampler);
  const loadAfter = os.loadavg();
  const pgAfter = await backendCpuMs(database.db, kind);
  if (result.type !== 'done') throw new Error('unexpected message from the clients');
  // CPU time per email of the server process (listener, ingestion, and PGlite's worker when
  // in-process), of this run's PostgreSQL backends, and of the clients: unlike messages/s these
  // hardly depend on what else the machine is doing.
  const perEmail = (ms: number) => (ms / total).toFixed(1);
  const serverCpuMs = (cpu.user + cpu.system) / 1000;
  const pgCpuMs = pgAfter && pgBefore ? [...pgAfter].reduce((n, [pid, ms]) => n + ms - (pgBefore.get(pid) ?? 0), 0) : null;

  const inbound = await database.db.selectFrom('inbound_emails').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const tickets = await database.db.selectFrom('tickets').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const latencies = result.latencies.sort((x, y) => x - y);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? 0;
  const rate = total / seconds;
  console.log(`database:      ${kind}${kind === 'postgres' && new URL(values.url ?? '').searchParams.has('host') ? ' (Unix socket)' : ''}`);
  console.log(`emails:        ${total} (${Number(inbound.n)} stored, ${Number(tickets.n)} tickets), ${concurrency} SMTP clients`);
  console.log(`throughput:    ${rate.toFixed(1)} messages/s (${seconds.toFixed(1)} s)`);
  console.log(`latency:       p50 ${pct(50).toFixed(0)} ms, p95 ${pct(95).toFixed(0)} ms, p99 ${pct(99).toFixed(0)} ms (SMTP DATA to 250)`);
  const load = (l: number[]) => l.map((x) => x.toFixed(1)).join(' ');
  console.log(`machine load:  ${load(loadBefore)} before, ${load(loadAfter)} after (1/5/15 min averages, ${os.cpus().length} cores)`);
  console.log(`server cpu:    ${perEmail(serverCpuMs)} ms per email (user ${perEmail(cpu.user / 1000)}, system ${perEmail(cpu.system / 1000)}; listener and ingestion${kind === 'pglite' ? ', PGlite included' : ''})`);
  console.log(`main thread:   busy ${(mainThreadBusy * 100).toFixed(0)} % of the run; ${parseWorkers > 0 ? `${parseWorkers} parse worker${parseWorkers > 1 ? 's' : ''}` : 'parsing on the main thread'}${kind === 'postgres' ? `; prepared statements ${values['prepared-statements'] === 'false' ? 'off' : 'on'}` : ''}`);
  if (pgCpuMs !== null) console.log(`postgres cpu:  ${perEmail(pgCpuMs)} ms per email (this run's backends, from /proc)`);
  console.log(`clients cpu:   ${perEmail(result.cpuMs)} ms per email (nodemailer, other process)`);
  console.log(`memory:        server peak RSS ${(peakRss / 1024 / 1024).toFixed(0)} MiB, peak heap ${(peakHeap / 1024 / 1024).toFixed(0)} MiB`);
  console.log(
    `| ${kind} | ${total} | ${concurrency} | ${rate.toFixed(0)} | ${pct(50).toFixed(0)} / ${pct(95).toFixed(0)} ms | ${perEmail(serverCpuMs)} ms | ${pgCpuMs === null ? '–' : `${perEmail(pgCpuMs)} ms`} | ${perEmail(result.cpuMs)} ms | load ${loadAfter[0]?.toFixed(1)} |`,
  );
  if (result.failed > 0) {
    console.error(`${result.failed} emails were refused: ${result.firstError}`);
    process.exitCode = 1;
  }
  if (Number(inbound.n) !== total) {
    console.error(`expected ${total} stored emails, found ${Number(inbound.n)}`);
    process.exitCode = 1;
  }

  await smtp.close();
  await preparer.close();
  await database.close();
  if (!values.keep) {
    fs.rmSync(dataDir, { recursive: true, force: true });
    if (kind === 'postgres') {
      const admin = new pg.Client({ connectionString: values.url });
      await admin.connect();
      await admin.query(`drop database if exists ${dbName} with (force)`);
      await admin.end();
    }
  }
}

/**
 * CPU milliseconds so far of each PostgreSQL backend connected to the benchmark's database, read
 * from /proc (null for PGlite, or when /proc is not readable, e.g. a server on another machine).
 */
async function backendCpuMs(db: Awaited<ReturnType<typeof openDatabase>>['db'], kind: string): Promise<Map<number, number> | null> {
  if (kind !== 'postgres') return null;
  const { rows } = await sql<{ pid: number }>`select pid from pg_stat_activity where datname = current_database()`.execute(db);
  const ticksPerSecond = 100; // USER_HZ, 100 on every Linux architecture Node supports
  const out = new Map<number, number>();
  for (const { pid } of rows) {
    try {
      // Fields after the command name (which is in parentheses): utime and stime are the 12th and 13th.
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(pid, ((Number(fields[11]) + Number(fields[12])) * 1000) / ticksPerSecond);
    } catch {
      return null;
    }
  }
  return out;
}

await main();
