/**
 * Fills a database with a realistic helpdesk history, fast: customers with email identities,
 * tickets spread over --days (recent ones still open, older ones solved or closed), several
 * messages per ticket, and the ticket event log. Rows go in with bulk multi-row INSERTs
 * (`insert … select from unnest($1::uuid[], $2::text[], …)`, one statement per table per batch),
 * never one service call per row. On an empty database the secondary indexes are dropped
 * first and built once at the end, as a restore would; foreign-key triggers are skipped inside
 * the load transactions because the generator creates consistent rows by construction.
 *
 *   npm run bench:generate -- --tickets 100000 --db pglite|postgres [--fresh]
 */
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { sql, type Kysely } from 'kysely';
import { migrateToLatest } from '../src/db/migrator.ts';
import type { DB } from '../src/db/schema.ts';
import { LiveBus } from '../src/shared/live-bus.ts';
import { systemContext } from '../src/shared/context.ts';
import { ensureDefaultStore } from '../src/modules/stores/stores.service.ts';
import { createAgent } from '../src/modules/agents/agents.service.ts';
import { findAgentByEmail } from '../src/modules/agents/agents.queries.ts';
import { ConversationWriter, FIRST_NAMES, LAST_NAMES, RARE_WORD, Rng, textToSimpleHtml } from './lib/text.ts';
import { BENCH_ADMIN_EMAIL, BENCH_ADMIN_PASSWORD, describeTarget, openTarget, parseFlags, prepareTarget, readCount, resolveTarget, targetSizeBytes } from './lib/target.ts';
import { bytes, duration, machineLine, num } from './lib/stats.ts';

const USAGE = `Usage: npm run bench:generate -- --tickets N [options]

  --tickets N        tickets to create (100000, 100k, 1m)                 [100000]
  --db KIND          pglite | postgres                                     [pglite]
  --url URL          postgres database URL (default: storedesk_bench_<size> on $BENCH_PG_URL's server)
  --dir PATH         PGlite data folder (default: bench/.data/pglite-<size>)
  --fresh            drop the database / folder first
  --append           add to a database that already has tickets (keeps indexes)
  --customers N      customers (default: 40% of tickets)
  --days N           history length in days                               [730]
  --batch N          tickets per INSERT batch                             [2000]
  --seed N           PRNG seed                                            [42]
  --keep-indexes     keep secondary indexes during the load (slower)
  --check-fks        keep foreign-key triggers during the load (slower)
  --no-vacuum        only ANALYZE at the end instead of VACUUM ANALYZE`;

const values = parseFlags(
  {
    fresh: { type: 'boolean', default: false },
    append: { type: 'boolean', default: false },
    customers: { type: 'string' },
    days: { type: 'string', default: '730' },
    batch: { type: 'string', default: '2000' },
    seed: { type: 'string', default: '42' },
    'keep-indexes': { type: 'boolean', default: false },
    'check-fks': { type: 'boolean', default: false },
    'no-vacuum': { type: 'boolean', default: false },
  },
  USAGE,
);

const TICKETS = readCount(values.tickets, 'tickets');
const CUSTOMERS = values.customers ? readCount(values.customers, 'customers') : Math.max(1, Math.round(TICKETS * 0.4));
const DAYS = readCount(values.days, 'days');
const BATCH = readCount(values.batch, 'batch');
const rng = new Rng(readCount(values.seed, 'seed'));
const writer = new ConversationWriter(rng);
const target = resolveTarget(values);
const LOAD_TABLES = ['customers', 'customer_identities', 'tickets', 'messages', 'ticket_events'];
const DAY = 86_400_000;

const AGENT_COUNT = 25;
const TEAMS = ['Tier 1', 'Returns & Refunds', 'Escalations'];

console.log(`bench:generate  ${describeTarget(target)}`);
console.log(`  machine: ${machineLine()}`);
console.log(`  plan: ${num(TICKETS)} tickets, ${num(CUSTOMERS)} customers, ${DAYS} days of history, batches of ${num(BATCH)} tickets`);
console.log(`  text: templates${writer.usesSharedText ? ' + shared customer-service utterances (../shared/data/intents)' : ' only (shared utterances not found)'}`);

const started = performance.now();
const phases: Array<[string, number]> = [];
let phaseStart = performance.now();
function endPhase(name: string): void {
  const now = performance.now();
  phases.push([name, (now - phaseStart) / 1000]);
  phaseStart = now;
}

await prepareTarget(target, { fresh: values.fresh });
const database = await openTarget(target, 4);
const db = database.db;
await migrateToLatest(db);
const ctx = systemContext(db, new LiveBus(), 'bench');

const existing = Number((await sql<{ n: number }>`select count(*)::int as n from tickets`.execute(db)).rows[0]?.n ?? 0);
if (existing > 0 && !values.append) {
  console.error(`\nThe database already has ${num(existing)} tickets. Pass --fresh to start over, or --append to add to it.`);
  await database.close();
  process.exit(2);
}
const customerOffset = Number((await sql<{ n: number }>`select count(*)::int as n from customers`.execute(db)).rows[0]?.n ?? 0);
endPhase('open + migrate');

// --- Staff: a store, teams, agents (token-only) and one admin the benchmarks sign in as.
const storeId = await ensureDefaultStore(ctx);
if (!(await findAgentByEmail(db, BENCH_ADMIN_EMAIL))) {
  await createAgent(ctx, { email: BENCH_ADMIN_EMAIL, role: 'admin', name: 'Bench Admin', password: BENCH_ADMIN_PASSWORD });
}
for (const name of TEAMS) {
  await db.insertInto('teams').values({ name }).onConflict((oc) => oc.column('name').doNothing()).execute();
}
const teamIds = (await db.selectFrom('teams').select('id').execute()).map((t) => t.id);
const existingAgents = await db.selectFrom('agents').select(['id', 'name']).where('email', 'like', 'agent%@bench.storedesk.dev').execute();
if (existingAgents.length === 0) {
  const rows = Array.from({ length: AGENT_COUNT }, (_, i) => ({
    email: `agent${i + 1}@bench.storedesk.dev`,
    name: `${rng.pick(FIRST_NAMES)} ${rng.pick(LAST_NAMES)}`,
    role: 'agent' as const,
  }));
  await db.insertInto('agents').values(rows).execute();
}
const agents = await db.selectFrom('agents').select(['id', 'name']).where('email', 'like', 'agent%@bench.storedesk.dev').execute();

// --- Indexes: on an empty database drop the secondary ones and build them once at the end.
const dropIndexes = existing === 0 && customerOffset === 0 && !values['keep-indexes'] && !values.append;
let savedIndexes: Array<{ name: string; def: string }> = [];
if (dropIndexes) {
  const r = await sql<{ name: string; def: string }>`
    select i.indexname as name, i.indexdef as def
    from pg_indexes i
    where i.schemaname = current_schema() and i.tablename in (${sql.join(LOAD_TABLES)})
      and not exists (select 1 from pg_constraint c where c.conindid = (quote_ident(i.schemaname) || '.' || quote_ident(i.indexname))::regclass)
    order by i.tablename, i.indexname`.execute(db);
  savedIndexes = r.rows;
  for (const ix of savedIndexes) await sql.raw(`drop index ${ix.name}`).execute(db);
  console.log(`  dropped ${savedIndexes.length} secondary indexes for the load; they are rebuilt at the end`);
}
endPhase('setup');

/** Runs one batch of inserts in a transaction tuned for bulk loading. */
async function loadBatch(fn: (trx: Kysely<DB>) => Promise<void>): Promise<void> {
  await db.transaction().execute(async (trx) => {
    if (database.kind === 'postgres') await sql`set local synchronous_commit = off`.execute(trx);
    if (!values['check-fks']) await sql`set local session_replication_role = replica`.execute(trx);
    await fn(trx);
  });
}

/** Keeps up to `limit` batches in flight: the next batch is generated while the database works. */
class Pipeline {
  private readonly running: Promise<void>[] = [];
  constructor(private readonly limit: number) {}
  async push(work: Promise<void>): Promise<void> {
    this.running.push(work);
    if (this.running.length >= this.limit) await this.running.shift();
  }
  async drain(): Promise<void> {
    while (this.running.length) await this.running.shift();
  }
}
const inflight = database.kind === 'postgres' ? 3 : 2;

/** Progress lines every two seconds: percent, rows/s, ETA. */
function progress(label: string, total: number) {
  const t0 = performance.now();
  let last = 0;
  let rows = 0;
  return {
    add(done: number, newRows: number) {
      rows += newRows;
      const now = performance.now();
      if (now - last < 2000 && done < total) return;
      last = now;
      const secs = (now - t0) / 1000;
      const rate = done / secs;
      const eta = rate > 0 ? (total - done) / rate : 0;
      console.log(`  ${label} ${num(done).padStart(num(total).length)}/${num(total)} (${((done / total) * 100).toFixed(1).padStart(5)}%)  ${num(rate)} ${label}/s  ${num(rows / secs)} rows/s  ${done < total ? `ETA ${duration(eta)}` : `done in ${duration(secs)}`}`);
    },
    get rows() {
      return rows;
    },
  };
}

const now = Date.now();
const historyStart = now - DAYS * DAY;
let totalRows = 0;

// --- Customers and their email identities.
const customerIds: string[] = new Array<string>(CUSTOMERS);
const customerFirstNames: string[] = new Array<string>(CUSTOMERS);
{
  const pipe = new Pipeline(inflight);
  const prog = progress('customers', CUSTOMERS);
  const CBATCH = 5000;
  for (let start = 0; start < CUSTOMERS; start += CBATCH) {
    const end = Math.min(CUSTOMERS, start + CBATCH);
    const ids: string[] = [];
    const names: string[] = [];
    const emails: string[] = [];
    const created: string[] = [];
    for (let i = start; i < end; i++) {
      const id = randomUUID();
      const c = writer.customer(customerOffset + i + 1);
      customerIds[i] = id;
      customerFirstNames[i] = c.name.split(' ')[0] ?? c.name;
      ids.push(id);
      names.push(c.name);
      emails.push(c.email);
      created.push(new Date(historyStart + (i / CUSTOMERS) * (now - historyStart) * 0.95).toISOString());
    }
    const n = ids.length;
    await pipe.push(
      loadBatch(async (trx) => {
        await sql`
          insert into customers (id, store_id, name, created_at, updated_at)
          select id, ${storeId}::uuid, name, created_at, created_at
          from unnest(${ids}::uuid[], ${names}::text[], ${created}::timestamptz[]) as t(id, name, created_at)`.execute(trx);
        await sql`
          insert into customer_identities (store_id, customer_id, kind, value, is_primary, created_at)
          select ${storeId}::uuid, id, 'email', value, true, created_at
          from unnest(${ids}::uuid[], ${emails}::text[], ${created}::timestamptz[]) as t(id, value, created_at)`.execute(trx);
      }).then(() => prog.add(end, 2 * n)),
    );
  }
  await pipe.drain();
  totalRows += prog.rows;
}
endPhase('customers');

// --- Tickets, messages and events.
const CHANNELS = [['email', 0.6], ['chat', 0.2], ['contact_form', 0.1], ['portal', 0.05], ['phone', 0.03], ['social', 0.02]] as const;
const PRIORITIES = [['normal', 0.8], ['high', 0.1], ['low', 0.07], ['urgent', 0.03]] as const;
function weighted<T extends string>(list: ReadonlyArray<readonly [T, number]>): T {
  let x = rng.next();
  for (const [v, w] of list) {
    if ((x -= w) < 0) return v;
  }
  return list[0]?.[0] as T;
}
/** Messages per ticket: mostly 2–4, sometimes one, a long tail up to ten. */
function messageCount(): number {
  const x = rng.next();
  if (x < 0.12) return 1;
  if (x < 0.42) return 2;
  if (x < 0.67) return 3;
  if (x < 0.84) return 4;
  if (x < 0.93) return 5;
  return rng.int(6, 10);
}
/** Time until the next message: minutes to days, mostly hours. */
function gapMs(): number {
  return Math.round(-Math.log(1 - rng.next()) * 6 * 3600_000) + 60_000;
}

let ticketCounter = 0;
let messageTotal = 0;
let eventTotal = 0;
{
  const pipe = new Pipeline(inflight);
  const prog = progress('tickets', TICKETS);
  const RECENT = now - 14 * DAY;
  for (let start = 0; start < TICKETS; start += BATCH) {
    const end = Math.min(TICKETS, start + BATCH);
    const t = {
      id: [] as string[], subject: [] as string[], status: [] as string[], priority: [] as string[], channel: [] as string[],
      customer: [] as string[], assignee: [] as (string | null)[], team: [] as (string | null)[], tags: [] as string[], orders: [] as string[],
      count: [] as number[], created: [] as string[], updated: [] as string[], lastMsg: [] as string[], firstResp: [] as (string | null)[],
      solved: [] as (string | null)[], closed: [] as (string | null)[],
    };
    const m = {
      ticket: [] as string[], kind: [] as string[], channel: [] as string[], agent: [] as (string | null)[], customer: [] as (string | null)[],
      text: [] as string[], html: [] as string[], delivery: [] as (string | null)[], created: [] as string[],
    };
    const e = { ticket: [] as string[], actorType: [] as string[], actor: [] as (string | null)[], type: [] as string[], data: [] as string[], created: [] as string[] };

    for (let i = start; i < end; i++) {
      const id = randomUUID();
      const createdAt = historyStart + ((i + rng.next()) / TICKETS) * (now - historyStart - 3600_000);
      const ci = rng.int(0, CUSTOMERS - 1);
      const customerId = customerIds[ci] ?? '';
      const customerName = customerFirstNames[ci] ?? 'there';
      const agent = rng.pick(agents);
      const channel = weighted(CHANNELS);
      let count = messageCount();
      // Message times: each one some time after the previous, never in the future.
      const times: number[] = [];
      let at = createdAt;
      for (let k = 0; k < count; k++) {
        if (k > 0) at += gapMs();
        if (at > now - 60_000) break;
        times.push(at);
      }
      count = Math.max(1, times.length);
      const lastAt = times[times.length - 1] ?? createdAt;
      let status: string;
      if (lastAt >= RECENT) {
        const x = rng.next();
        status = x < 0.2 ? 'new' : x < 0.55 ? 'open' : x < 0.75 ? 'pending' : x < 0.8 ? 'on_hold' : 'solved';
      } else {
        const x = rng.next();
        status = x < 0.55 ? 'closed' : x < 0.98 ? 'solved' : x < 0.99 ? 'pending' : 'open';
      }
      if (status === 'new') count = 1;
      const convo = writer.conversation(count, customerName, agent.name.split(' ')[0] ?? agent.name);
      const assigned = status === 'new' ? null : status === 'open' ? (rng.chance(0.7) ? agent.id : null) : rng.chance(0.9) ? agent.id : null;
      let firstResponse: number | null = null;
      for (let k = 0; k < convo.messages.length; k++) {
        const msg = convo.messages[k];
        const when = times[k] ?? lastAt;
        if (!msg) continue;
        const fromAgent = msg.kind !== 'inbound';
        if (msg.kind === 'outbound' && firstResponse === null) firstResponse = when;
        m.ticket.push(id);
        m.kind.push(msg.kind);
        m.channel.push(channel);
        m.agent.push(fromAgent ? agent.id : null);
        m.customer.push(fromAgent ? null : customerId);
        m.text.push(msg.text);
        m.html.push(textToSimpleHtml(msg.text));
        m.delivery.push(channel === 'email' ? (msg.kind === 'inbound' ? 'received' : msg.kind === 'outbound' ? 'sent' : null) : null);
        m.created.push(new Date(when).toISOString());
      }
      const solvedAt = status === 'solved' || status === 'closed' ? Math.min(now - 1000, lastAt + 3600_000) : null;
      const closedAt = status === 'closed' && solvedAt !== null ? Math.min(now - 500, solvedAt + 4 * DAY) : null;
      const updatedAt = Math.max(lastAt, solvedAt ?? 0, closedAt ?? 0);
      t.id.push(id);
      t.subject.push(convo.subject);
      t.status.push(status);
      t.priority.push(weighted(PRIORITIES));
      t.channel.push(channel);
      t.customer.push(customerId);
      t.assignee.push(assigned);
      t.team.push(rng.chance(0.5) ? rng.pick(teamIds) : null);
      t.tags.push(`{${convo.tags.join(',')}}`);
      t.orders.push(rng.chance(0.7) ? `{${convo.orderNumber}}` : '{}');
      t.count.push(convo.messages.length);
      t.created.push(new Date(createdAt).toISOString());
      t.updated.push(new Date(updatedAt).toISOString());
      t.lastMsg.push(new Date(lastAt).toISOString());
      t.firstResp.push(firstResponse === null ? null : new Date(firstResponse).toISOString());
      t.solved.push(solvedAt === null ? null : new Date(solvedAt).toISOString());
      t.closed.push(closedAt === null ? null : new Date(closedAt).toISOString());
      // The audit trail: created, assigned, solved, closed.
      const event = (actorType: string, actor: string | null, type: string, data: Record<string, unknown>, when: number) => {
        e.ticket.push(id);
        e.actorType.push(actorType);
        e.actor.push(actor);
        e.type.push(type);
        e.data.push(JSON.stringify(data));
        e.created.push(new Date(when).toISOString());
      };
      event('customer', customerId, 'ticket.created', { channel, subject: convo.subject, customer_id: customerId, follow_up_of_id: null }, createdAt);
      if (assigned) event('agent', agent.id, 'assignee.changed', { from: null, to: agent.id, from_name: null, to_name: agent.name }, createdAt + 60_000);
      if (solvedAt !== null) event('agent', agent.id, 'status.changed', { from: 'open', to: 'solved' }, solvedAt);
      if (closedAt !== null) event('system', null, 'status.changed', { from: 'solved', to: 'closed' }, closedAt);
    }
    const batchRows = t.id.length + m.ticket.length + e.ticket.length;
    ticketCounter += t.id.length;
    messageTotal += m.ticket.length;
    eventTotal += e.ticket.length;
    await pipe.push(
      loadBatch(async (trx) => {
        await sql`
          insert into tickets (id, store_id, subject, status, priority, channel, customer_id, assignee_id, team_id, tags, order_numbers,
            message_count, created_at, updated_at, last_message_at, first_response_at, solved_at, closed_at)
          select id, ${storeId}::uuid, subject, status, priority, channel, customer_id, assignee_id, team_id, tags::text[], order_numbers::text[],
            message_count, created_at, updated_at, last_message_at, first_response_at, solved_at, closed_at
          from unnest(${t.id}::uuid[], ${t.subject}::text[], ${t.status}::text[], ${t.priority}::text[], ${t.channel}::text[], ${t.customer}::uuid[],
            ${t.assignee}::uuid[], ${t.team}::uuid[], ${t.tags}::text[], ${t.orders}::text[], ${t.count}::int[], ${t.created}::timestamptz[],
            ${t.updated}::timestamptz[], ${t.lastMsg}::timestamptz[], ${t.firstResp}::timestamptz[], ${t.solved}::timestamptz[], ${t.closed}::timestamptz[])
            as u(id, subject, status, priority, channel, customer_id, assignee_id, team_id, tags, order_numbers, message_count, created_at,
              updated_at, last_message_at, first_response_at, solved_at, closed_at)
          order by created_at`.execute(trx);
        await sql`
          insert into messages (ticket_id, kind, channel, author_agent_id, author_customer_id, body_text, body_html, delivery_status, created_at)
          select * from unnest(${m.ticket}::uuid[], ${m.kind}::text[], ${m.channel}::text[], ${m.agent}::uuid[], ${m.customer}::uuid[],
            ${m.text}::text[], ${m.html}::text[], ${m.delivery}::text[], ${m.created}::timestamptz[])`.execute(trx);
        await sql`
          insert into ticket_events (ticket_id, actor_type, actor_id, type, data, created_at)
          select ticket_id, actor_type, actor_id, type, data::jsonb, created_at
          from unnest(${e.ticket}::uuid[], ${e.actorType}::text[], ${e.actor}::uuid[], ${e.type}::text[], ${e.data}::text[], ${e.created}::timestamptz[])
            as u(ticket_id, actor_type, actor_id, type, data, created_at)`.execute(trx);
      }).then(() => prog.add(end, batchRows)),
    );
  }
  await pipe.drain();
  totalRows += prog.rows;
}
endPhase('tickets + messages + events');

// --- Rebuild indexes, then statistics.
if (savedIndexes.length > 0) {
  if (database.kind === 'postgres') {
    await sql`set maintenance_work_mem = '1GB'`.execute(db);
    await sql`set max_parallel_maintenance_workers = 2`.execute(db);
  } else {
    await sql`set maintenance_work_mem = '256MB'`.execute(db);
  }
  for (const [i, ix] of savedIndexes.entries()) {
    const t0 = performance.now();
    await sql.raw(ix.def).execute(db);
    console.log(`  index ${String(i + 1).padStart(2)}/${savedIndexes.length} ${ix.name.padEnd(38)} ${duration((performance.now() - t0) / 1000)}`);
  }
  endPhase('build indexes');
}
if (values['no-vacuum']) await sql`analyze`.execute(db);
else await sql`vacuum analyze`.execute(db);
endPhase(values['no-vacuum'] ? 'analyze' : 'vacuum analyze');

const rare = (await sql<{ n: number }>`select count(*)::int as n from messages where search_vector @@ to_tsquery('english', ${RARE_WORD})`.execute(db)).rows[0]?.n ?? 0;
await database.close();
const size = await targetSizeBytes(target);
const total = (performance.now() - started) / 1000;

console.log('');
console.log(`Generated ${num(ticketCounter)} tickets, ${num(messageTotal)} messages (${(messageTotal / Math.max(1, ticketCounter)).toFixed(2)}/ticket), ${num(CUSTOMERS)} customers, ${num(eventTotal)} events in ${duration(total)}`);
for (const [name, secs] of phases) console.log(`  ${name.padEnd(30)} ${duration(secs)}`);
console.log(`  rows inserted: ${num(totalRows)} (${num(totalRows / total)} rows/s overall, ${num(ticketCounter / total)} tickets/s overall)`);
const cpu = process.cpuUsage();
console.log(`  CPU of this process: ${duration((cpu.user + cpu.system) / 1e6)} (user+sys${database.kind === 'pglite' ? ', includes the PGlite worker thread: all database work' : '; generation only, PostgreSQL works in its own processes'}); load average now ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
console.log(`  size on disk: ${bytes(size)}   messages with the rare word "${RARE_WORD}": ${num(rare)}`);
console.log(`  ${describeTarget(target)}`);
