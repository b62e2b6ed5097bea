/**
 * What an agent waits for, at the size bench:generate made: the inbox list (new + open,
 * unassigned; page 2 through the cursor; "my tickets"; everything), the inbox counters,
 * opening a ticket, and global search (a broad word, a rare word, a phrase). A real server in
 * its own process on loopback answers one request at a time; each scenario repeats until
 * --iterations or --budget seconds. With --explain, the SQL behind each scenario is run again
 * through the app's own query functions as EXPLAIN (ANALYZE, BUFFERS) and the plans are saved.
 *
 *   npm run bench:inbox-search -- --tickets 100000 --db pglite|postgres [--explain]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BENCH_ADMIN_EMAIL, ROOT, describeTarget, openTarget, parseFlags, readCount, resolveTarget, serverEnv, targetExists } from './lib/target.ts';
import { startBenchServer } from './lib/server.ts';
import { machineLine, ms, num, percentile, printTable } from './lib/stats.ts';
import { RARE_WORD } from './lib/text.ts';
import { executionMs, explainingDb } from './lib/explain.ts';
import { countTickets, findTicketSummary, listMessages, listTicketEvents, listTicketSummaries, type TicketFilter } from '../src/modules/tickets/tickets.queries.ts';
import { searchCustomers, searchMessages, searchTicketIdsBySubject } from '../src/modules/search/search.queries.ts';
import { decodeCursor } from '../src/shared/cursor.ts';

const USAGE = `Usage: npm run bench:inbox-search -- --tickets N --db pglite|postgres [options]

  --tickets/--db/--url/--dir  which generated database (as for bench:generate)
  --iterations N    requests per scenario at most                        [100]
  --budget S        seconds per scenario at most                          [20]
  --warmup N        unmeasured requests per scenario first               [3]
  --explain         also save EXPLAIN (ANALYZE, BUFFERS) of each scenario's SQL`;

const values = parseFlags(
  {
    iterations: { type: 'string', default: '100' },
    budget: { type: 'string', default: '20' },
    warmup: { type: 'string', default: '3' },
    'min-samples': { type: 'string', default: '5' },
    explain: { type: 'boolean', default: false },
  },
  USAGE,
);
const ITERATIONS = readCount(values.iterations, 'iterations');
const BUDGET_MS = readCount(values.budget, 'budget') * 1000;
const WARMUP = Number(values.warmup);
const MIN_SAMPLES = readCount(values['min-samples'], 'min-samples');
const target = resolveTarget(values);

if (!(await targetExists(target))) {
  console.error(`No generated database at ${describeTarget(target)}. Run: npm run bench:generate -- --tickets ${values.tickets} --db ${target.kind}`);
  process.exit(2);
}

console.log(`bench:inbox-search  ${describeTarget(target)}`);
console.log(`  machine: ${machineLine()}`);
const server = await startBenchServer(serverEnv(target));
console.log(`  server (${server.kind}) listening at ${server.url}, ready in ${server.startSeconds.toFixed(1)} s`);
const headers = { authorization: `Bearer ${server.token}` };

async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(`${server.url}${url}`, { headers });
  if (!res.ok) throw new Error(`GET ${url}: HTTP ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

interface Page { items: Array<{ id: string; number: number }>; next_cursor: string | null }
interface Agents { items?: Array<{ id: string; email: string }>; agents?: Array<{ id: string; email: string }> }

// Inputs the scenarios need: a cursor for page 2, an agent with tickets, ticket numbers to open.
const INBOX = '/api/v1/tickets?status=new,open&assignee=none&limit=50';
const page1 = await getJson<Page>(INBOX);
const cursor = page1.next_cursor;
const agentsAnswer = await getJson<Agents | Array<{ id: string; email: string }>>('/api/v1/agents');
const agentList = Array.isArray(agentsAnswer) ? agentsAnswer : agentsAnswer.items ?? agentsAnswer.agents ?? [];
const agent = agentList.find((a) => a.email.startsWith('agent') && a.email.endsWith('@bench.storedesk.dev')) ?? agentList.find((a) => a.email !== BENCH_ADMIN_EMAIL);
const recent = await getJson<Page>('/api/v1/tickets?limit=100');
const numbers = recent.items.map((t) => t.number);
let openIndex = 0;

interface Scenario {
  name: string;
  url: () => string;
  /** The same work through the app's query functions, for EXPLAIN. */
  explain?: (db: Parameters<typeof listTicketSummaries>[0]) => Promise<unknown>;
}
const inboxFilter: TicketFilter = { statuses: ['new', 'open'], assigneeId: null };
const scenarios: Scenario[] = [
  { name: 'inbox: new+open, unassigned, page 1', url: () => INBOX, explain: (db) => listTicketSummaries(db, inboxFilter, { limit: 50 }) },
  ...(cursor
    ? [{ name: 'inbox: same, page 2 (cursor)', url: () => `${INBOX}&cursor=${encodeURIComponent(cursor)}`, explain: (db: Parameters<typeof listTicketSummaries>[0]) => listTicketSummaries(db, inboxFilter, { limit: 50, after: decodeCursor(cursor) }) }]
    : []),
  ...(agent
    ? [{ name: "agent's open+pending tickets", url: () => `/api/v1/tickets?status=open,pending&assignee=${agent.id}&limit=50`, explain: (db: Parameters<typeof listTicketSummaries>[0]) => listTicketSummaries(db, { statuses: ['open', 'pending'], assigneeId: agent.id }, { limit: 50 }) }]
    : []),
  { name: 'all tickets, page 1', url: () => '/api/v1/tickets?limit=50', explain: (db) => listTicketSummaries(db, {}, { limit: 50 }) },
  { name: 'list filtered by word (q=refund)', url: () => '/api/v1/tickets?q=refund&limit=50', explain: (db) => listTicketSummaries(db, { q: 'refund' }, { limit: 50 }) },
  {
    name: 'inbox counts (7 capped counts)',
    url: () => '/api/v1/tickets/counts',
    explain: async (db) => {
      await countTickets(db, { assigneeId: null, statuses: ['new', 'open', 'pending', 'on_hold'] }, 10_000);
      await countTickets(db, {}, 10_000);
    },
  },
  {
    name: 'open a ticket (detail)',
    url: () => `/api/v1/tickets/${numbers[openIndex++ % Math.max(1, numbers.length)] ?? 1001}`,
    explain: async (db) => {
      const id = recent.items[0]?.id ?? '00000000-0000-0000-0000-000000000000';
      await findTicketSummary(db, id);
      await listMessages(db, id);
      await listTicketEvents(db, id);
    },
  },
  ...[
    ['search: broad word "order"', 'order'],
    ['search: common word "refund"', 'refund'],
    [`search: rare word "${RARE_WORD}"`, RARE_WORD],
    ['search: phrase "tracking number"', '"tracking number"'],
  ].map(([name, q]) => ({
    name: name ?? '',
    url: () => `/api/v1/search?q=${encodeURIComponent(q ?? '')}`,
    explain: async (db: Parameters<typeof listTicketSummaries>[0]) => {
      await searchTicketIdsBySubject(db, q ?? '', 20);
      await searchMessages(db, q ?? '', 20);
      await searchCustomers(db, q ?? '', 10);
    },
  })),
];

const rows: string[][] = [];
for (const s of scenarios) {
  for (let i = 0; i < WARMUP; i++) await getJson(s.url());
  await server.reset();
  const samples: number[] = [];
  let resultCount = 0;
  const t0 = performance.now();
  while (samples.length < ITERATIONS && (performance.now() - t0 < BUDGET_MS || samples.length < MIN_SAMPLES)) {
    const t = performance.now();
    const body = await getJson<Record<string, unknown>>(s.url());
    samples.push(performance.now() - t);
    const items = body.items ?? body.tickets;
    resultCount = Array.isArray(items) ? items.length + (Array.isArray(body.messages) ? body.messages.length : 0) : Object.keys(body).length;
  }
  const cpu = await server.stats();
  rows.push([s.name, String(samples.length), String(resultCount), ms(percentile(samples, 50)), ms(percentile(samples, 90)), ms(percentile(samples, 99)), ms(Math.max(...samples)), ms((cpu.cpuSeconds * 1000) / samples.length)]);
  console.log(`  ${s.name}: p50 ${ms(percentile(samples, 50))}, p99 ${ms(percentile(samples, 99))} (${samples.length} requests)`);
}
await server.stop();

console.log('');
console.log(`Latency over HTTP, one request at a time — ${describeTarget(target)}`);
printTable(['scenario', 'n', 'results', 'p50', 'p90', 'p99', 'max', 'CPU/req'], rows);
console.log(`  CPU/req: CPU time of the storedesk process per request${server.kind === 'pglite' ? ' (includes the PGlite worker, so all database work)' : ' (excludes PostgreSQL\'s own processes)'}; load average now ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);

if (values.explain) {
  const database = await openTarget(target, 2);
  const out: string[] = [`EXPLAIN (ANALYZE, BUFFERS) — ${describeTarget(target)} — ${new Date().toISOString()}`, ''];
  const summary: string[][] = [];
  for (const s of scenarios) {
    if (!s.explain) continue;
    const { db, plans } = explainingDb(database.db);
    await s.explain(db).catch((err: unknown) => console.log(`  (explain of "${s.name}" stopped early: ${err instanceof Error ? err.message : String(err)})`));
    for (const [i, p] of plans.entries()) {
      summary.push([`${s.name}${plans.length > 1 ? ` [${i + 1}]` : ''}`, ms(executionMs(p.plan))]);
      out.push(`### ${s.name} [statement ${i + 1}/${plans.length}]`, p.sql.replace(/\s+/g, ' ').trim(), '', p.plan, '');
    }
  }
  await database.close();
  const file = path.join(ROOT, 'bench', '.data', 'logs', `explain-${target.kind}-${target.label}.txt`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, out.join('\n'));
  console.log('');
  console.log(`Server-side execution time of each statement (EXPLAIN ANALYZE, one run), plans in ${path.relative(process.cwd(), file)}`);
  printTable(['statement', 'execution'], summary);
}
console.log(`\n  ${num(numbers.length)} recent tickets sampled for "open a ticket"; ${describeTarget(target)}`);
