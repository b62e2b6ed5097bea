/**
 * How long an agent waits to open a ticket with the customer's orders beside it: the ticket
 * (GET /tickets/:id) and the orders panel (GET /customers/:id/orders) fetched together, as the
 * workspace does, over HTTP on loopback. Cold: the first look at that customer (the store's
 * answers are not cached). Cached: the same ticket again within the cache's lifetime.
 *
 * Two stores behind the same storedesk: the built-in store (its tables sit in storedesk's own
 * database), and the built-in store behind a simulated network with --latency ms per call, which
 * stands for a hosted platform (Shopify, a remote Vendure or Medusa) — cold, the panel asks it
 * twice in a row (the customer's account, then their orders). With STOREDESK_TEST_VENDURE_URL
 * (and _USER, _PASS) set, as .ci/setup-vendure.sh prints them, a third store is a real Vendure:
 * a few customers with three orders each are seeded through its Admin API, and the panel reads
 * them through the Vendure connector.
 *
 *   node --import tsx bench/order-panel.ts --db pglite|postgres [--customers 200] [--iterations 60] [--latency 80]
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { Type } from '@sinclair/typebox';
import { loadConfig } from '../src/config.ts';
import { openDatabase, type Database } from '../src/db/database.ts';
import { migrateToLatest } from '../src/db/migrator.ts';
import { buildApp } from '../src/http/app.ts';
import { LiveBus } from '../src/shared/live-bus.ts';
import { systemContext } from '../src/shared/context.ts';
import { createAgent } from '../src/modules/agents/agents.service.ts';
import { createApiToken } from '../src/modules/auth/auth.service.ts';
import { insertStore } from '../src/modules/stores/stores.queries.ts';
import { createTicket } from '../src/modules/tickets/tickets.service.ts';
import { seedDemoCatalogue } from '../src/modules/stores/connectors/builtin/demo-catalogue.ts';
import { createBuiltinConnector, createSimulatedTransport } from '../src/modules/stores/connectors/builtin/builtin.connector.ts';
import { loadStoreInfo, overrideStoreConnector } from '../src/modules/stores/connectors/connector-registry.ts';
import { upsertStoreConnection } from '../src/modules/stores/stores.queries.ts';
import { createVendureClient } from '../src/modules/stores/connectors/vendure/vendure.client.ts';
import { createVendureConnector } from '../src/modules/stores/connectors/vendure/vendure.connector.ts';
import { ensureContractProducts, placeOrder, shipOrder } from '../src/modules/stores/connectors/vendure/testing/vendure-seed.ts';
import { READ_CACHE_TTL_MS, storeReadCache } from '../src/modules/stores/connectors/read-cache.ts';
import { machineLine, ms, percentile, printTable } from './lib/stats.ts';

const USAGE = `Usage: node --import tsx bench/order-panel.ts [--db pglite|postgres] [--customers N] [--iterations N] [--latency MS]`;
const { values } = parseArgs({
  options: {
    db: { type: 'string', default: 'pglite' },
    customers: { type: 'string', default: '200' },
    iterations: { type: 'string', default: '60' },
    latency: { type: 'string', default: '80' },
    help: { type: 'boolean', default: false },
  },
});
if (values.help || (values.db !== 'pglite' && values.db !== 'postgres')) {
  console.log(USAGE);
  process.exit(values.help ? 0 : 2);
}
const CUSTOMERS = Number(values.customers);
const ITERATIONS = Math.min(Number(values.iterations), Math.floor(CUSTOMERS / 2));
const LATENCY = Number(values.latency);
const PG_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

console.log(`bench:order-panel  db=${values.db} customers=${CUSTOMERS} iterations=${ITERATIONS} simulated latency=${LATENCY} ms per store call`);
console.log(`  machine: ${machineLine()}`);

// --- a fresh database with two stores, their customers, a ticket each, and the demo catalogue ---
let database: Database;
let dropDatabase = async () => {};
if (values.db === 'postgres') {
  const name = `storedesk_bench_orders_${randomBytes(3).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(PG_URL);
  url.pathname = `/${name}`;
  database = await openDatabase({ databaseUrl: url.toString(), poolSize: 8 });
  dropDatabase = async () => {
    const c = new pg.Client({ connectionString: PG_URL });
    await c.connect();
    await c.query(`drop database if exists ${name} with (force)`);
    await c.end();
  };
} else {
  database = await openDatabase({ pgliteDir: 'memory://' });
}
await migrateToLatest(database.db);
const live = new LiveBus();
const ctx = systemContext(database.db, live, 'bench');
const setupStart = performance.now();
const stores = {
  local: await insertStore(ctx.db, { name: 'Northwind Outfitters', slug: 'northwind', currency: 'EUR', timezone: 'Europe/Amsterdam' }),
  remote: await insertStore(ctx.db, { name: 'Northwind (remote)', slug: 'northwind-remote', currency: 'EUR', timezone: 'Europe/Amsterdam' }),
};
const tickets: Record<keyof typeof stores, { id: string; customerId: string }[]> = { local: [], remote: [] };
for (const [key, store] of Object.entries(stores) as [keyof typeof stores, { id: string }][]) {
  for (let i = 0; i < CUSTOMERS; i++) {
    const t = await createTicket(ctx, {
      storeId: store.id, subject: `Where is my order? (${i})`, customer: { email: `customer${i}@${key}.example.com`, name: `Customer ${i}` },
      message: { body: 'Hello, my parcel has not arrived yet. Can you check?' }, channel: 'email',
    });
    tickets[key].push({ id: t.id, customerId: t.customerId });
  }
  await seedDemoCatalogue(ctx, { storeId: store.id, customers: tickets[key].map((t, i) => ({ id: t.customerId, email: `customer${i}@${key}.example.com`, name: `Customer ${i}` })), now: new Date() });
}
const orderCount = Number((await ctx.db.selectFrom('shop_orders').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
console.log(`  set up ${2 * CUSTOMERS} customers with a ticket each and ${orderCount} orders in ${((performance.now() - setupStart) / 1000).toFixed(1)} s`);

// --- a real Vendure, when CI's test server (or another) is named ---
const VENDURE = { url: process.env.STOREDESK_TEST_VENDURE_URL ?? '', user: process.env.STOREDESK_TEST_VENDURE_USER ?? '', pass: process.env.STOREDESK_TEST_VENDURE_PASS ?? '' };
const vendureTickets: { id: string; customerId: string }[] = [];
let vendureStoreId: string | null = null;
if (VENDURE.url) {
  const seedStart = performance.now();
  const row = await insertStore(ctx.db, { name: 'Northwind (Vendure)', slug: 'northwind-vendure', currency: 'EUR', timezone: 'Europe/Amsterdam' });
  await upsertStoreConnection(ctx.db, { storeId: row.id, platform: 'vendure', orderNumberPrefix: null, orderNumberPattern: null, settings: { api_url: VENDURE.url } });
  const admin = createVendureClient({ apiUrl: VENDURE.url, auth: { kind: 'password', username: VENDURE.user, password: VENDURE.pass } });
  const variants = await ensureContractProducts(admin);
  const tag = randomBytes(3).toString('hex');
  const address = { fullName: 'Bench Customer', streetLine1: 'Damrak 1', city: 'Amsterdam', postalCode: '1012 LG', countryCode: 'NL' };
  for (let i = 0; i < Math.min(ITERATIONS, 10); i++) {
    const email = `customer${i}.${tag}@vendure.example.com`;
    const t = await createTicket(ctx, {
      storeId: row.id, subject: `Where is my order? (${i})`, customer: { email, name: `Customer ${i}` }, message: { body: 'Hello, my parcel has not arrived yet.' }, channel: 'email',
    });
    vendureTickets.push({ id: t.id, customerId: t.customerId });
    const created = await admin.request(`mutation($i: CreateCustomerInput!) { createCustomer(input: $i) { ... on Customer { id } } }`,
      { i: { emailAddress: email, firstName: 'Customer', lastName: String(i) } }, Type.Object({ createCustomer: Type.Object({ id: Type.String() }) }));
    for (const [n, sku] of ['CT-JACKET-M', 'CT-SOCKS', 'CT-BEANIE'].entries()) {
      const placed = await placeOrder(admin, { customerId: created.createCustomer.id, address, shippingMethodCode: 'standard', lines: [{ variantId: variants.get(sku) ?? '', quantity: 1 }] });
      if (n === 0) await shipOrder(admin, placed.id, 'PostNL', `3SBNCH${Date.now()}`, true);
    }
  }
  overrideStoreConnector(row.id, createVendureConnector(await loadStoreInfo(ctx, row.id), { username: VENDURE.user, password: VENDURE.pass }));
  vendureStoreId = row.id;
  console.log(`  seeded ${vendureTickets.length} customers with 3 orders each in Vendure at ${new URL(VENDURE.url).host} in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`);
}

const transport = createSimulatedTransport({ latencyMs: LATENCY });
overrideStoreConnector(stores.remote.id, createBuiltinConnector(await loadStoreInfo(ctx, stores.remote.id), { transport }));

const config = loadConfig({ STOREDESK_DATA_DIR: `/tmp/storedesk-bench-orders-${process.pid}`, LOG_LEVEL: 'silent', STOREDESK_DEMO: 'false' });
const app = await buildApp({ config, database, live, logger: false });
const address = await app.listen({ host: '127.0.0.1', port: 0 });
await createAgent(ctx, { email: 'bench-agent@bench.storedesk.dev', role: 'agent', name: 'Bench Agent', password: 'bench-password' });
const token = (await createApiToken(ctx, { email: 'bench-agent@bench.storedesk.dev', name: 'bench' })).token;
const headers = { authorization: `Bearer ${token}` };

async function get(path: string): Promise<number> {
  const start = performance.now();
  const res = await fetch(`${address}${path}`, { headers });
  await res.arrayBuffer();
  if (!res.ok) throw new Error(`GET ${path}: HTTP ${res.status}`);
  return performance.now() - start;
}

/** Opens a ticket as the workspace does: the ticket and the customer's orders together. */
async function openTicket(t: { id: string; customerId: string }) {
  const start = performance.now();
  const [ticket, orders] = await Promise.all([get(`/api/v1/tickets/${t.id}`), get(`/api/v1/customers/${t.customerId}/orders?limit=10`)]);
  return { total: performance.now() - start, ticket, orders };
}

// Warm the server and the database's own caches a little, on customers not measured below.
for (const t of tickets.local.slice(-5)) await openTicket(t);

type Row = { scenario: string; samples: number[] };
const rows: Row[] = [];
const parts: Row[] = [];
const scenarios = [
  { label: 'built-in store', storeId: stores.local.id, list: tickets.local },
  { label: `remote store (+${LATENCY} ms per call)`, storeId: stores.remote.id, list: tickets.remote },
  ...(vendureStoreId ? [{ label: 'Vendure (real server, loopback)', storeId: vendureStoreId, list: vendureTickets }] : []),
];
for (const { label, storeId, list } of scenarios) {
  const cold: number[] = [];
  const cached: number[] = [];
  const coldOrders: number[] = [];
  const cachedOrders: number[] = [];
  const ticketOnly: number[] = [];
  for (const t of list.slice(0, ITERATIONS)) {
    storeReadCache.invalidateStore(storeId);
    const c = await openTicket(t);
    const w = await openTicket(t);
    cold.push(c.total);
    cached.push(w.total);
    coldOrders.push(c.orders);
    cachedOrders.push(w.orders);
    ticketOnly.push(c.ticket, w.ticket);
  }
  rows.push({ scenario: `${label}: open ticket + orders, cold`, samples: cold }, { scenario: `${label}: open ticket + orders, cached`, samples: cached });
  parts.push(
    { scenario: `${label}: GET customer orders, cold`, samples: coldOrders },
    { scenario: `${label}: GET customer orders, cached`, samples: cachedOrders },
    { scenario: `${label}: GET ticket (alongside)`, samples: ticketOnly },
  );
}

const table = (list: Row[]) =>
  printTable(['scenario', 'n', 'p50', 'p90', 'p99', 'mean'], list.map((r) => [
    r.scenario, String(r.samples.length), ms(percentile(r.samples, 50)), ms(percentile(r.samples, 90)), ms(percentile(r.samples, 99)),
    ms(r.samples.reduce((a, b) => a + b, 0) / r.samples.length),
  ]));
console.log('\nWhat the agent waits for (both requests in parallel, wall clock):');
table(rows);
console.log('\nThe parts:');
table(parts);
console.log(`\n  store read cache: ${JSON.stringify(storeReadCache.stats())}, lifetime ${READ_CACHE_TTL_MS / 1000} s; simulated store calls made: ${transport.calls.length}`);

overrideStoreConnector(stores.remote.id, null);
if (vendureStoreId) overrideStoreConnector(vendureStoreId, null);
await app.close();
await database.close();
await dropDatabase();
