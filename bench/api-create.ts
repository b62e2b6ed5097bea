/**
 * Ticket creation through the HTTP API: a real server in its own process on loopback, N
 * concurrent clients POSTing /api/v1/tickets until --count tickets or --duration seconds,
 * whichever comes first. Prints tickets/s, latency percentiles, the server's event-loop delay
 * (perf_hooks.monitorEventLoopDelay) and, from a separate slow probe, how fast the server
 * answers a request that needs no database while the database is busy — with PGlite on its
 * worker thread both stay small even when every query waits its turn for the single session.
 *
 *   npm run bench:api-create -- --db pglite|postgres [--concurrency 16] [--count 5000] [--duration 30]
 */
import { DEFAULT_PG_URL, describeTarget, dropTarget, parseFlags, prepareTarget, readCount, resolveTarget, serverEnv, type BenchTarget } from './lib/target.ts';
import { startBenchServer } from './lib/server.ts';
import { machineLine, ms, num, percentile, printTable } from './lib/stats.ts';
import { FIRST_NAMES, LAST_NAMES, Rng } from './lib/text.ts';

const USAGE = `Usage: npm run bench:api-create -- [options]

  --db KIND          pglite | postgres                                    [pglite]
  --concurrency N    concurrent clients                                   [16]
  --count N          stop after this many tickets                         [5000]
  --duration S       ... or after this many seconds                       [30]
  --warmup N         tickets created before measuring                     [200]
  --on-generated     use the database bench:generate made for --tickets (kept afterwards)
                     instead of a fresh throw-away one
  --tickets/--url/--dir as for bench:generate (with --on-generated)`;

const values = parseFlags(
  {
    concurrency: { type: 'string', default: '16' },
    count: { type: 'string', default: '5000' },
    duration: { type: 'string', default: '30' },
    warmup: { type: 'string', default: '200' },
    'on-generated': { type: 'boolean', default: false },
  },
  USAGE,
);
const CONCURRENCY = readCount(values.concurrency, 'concurrency');
const COUNT = readCount(values.count, 'count');
const DURATION_MS = readCount(values.duration, 'duration') * 1000;
const WARMUP = Number(values.warmup);

/** A fresh throw-away database unless --on-generated: the generated one for --tickets. */
function chooseTarget(): BenchTarget {
  if (values['on-generated']) return resolveTarget(values);
  if (values.db === 'postgres' || values.url) {
    const u = new URL(values.url ?? DEFAULT_PG_URL);
    if (!values.url) u.pathname = '/storedesk_bench_api_create';
    const t = resolveTarget({ db: 'postgres', tickets: '1', url: u.toString() });
    if (t.kind === 'postgres' && !t.database.startsWith('storedesk_bench')) {
      throw new Error(`refusing to drop and recreate "${t.database}": a throw-away database name must start with storedesk_bench`);
    }
    return t;
  }
  return resolveTarget({ db: 'pglite', tickets: '1', dir: values.dir ?? 'bench/.data/api-create' });
}
const target = chooseTarget();
const throwaway = !values['on-generated'];

console.log(`bench:api-create  ${describeTarget(target)}${throwaway ? ' (fresh, dropped afterwards)' : ''}`);
console.log(`  machine: ${machineLine()}`);
console.log(`  ${CONCURRENCY} concurrent clients, up to ${num(COUNT)} tickets or ${DURATION_MS / 1000} s, after ${WARMUP} warm-up tickets`);

if (throwaway) await prepareTarget(target, { fresh: true });
const server = await startBenchServer(serverEnv(target));
console.log(`  server (${server.kind}) listening at ${server.url}, ready in ${server.startSeconds.toFixed(1)} s`);

const rng = new Rng(7);
let serial = 0;
/** A new ticket: mostly new customers, some returning ones. */
function ticketBody(): string {
  serial++;
  const returning = serial > 50 && rng.chance(0.3);
  const n = returning ? rng.int(1, serial - 1) : serial;
  const first = FIRST_NAMES[n % FIRST_NAMES.length] ?? 'Alex';
  const last = LAST_NAMES[(n * 7) % LAST_NAMES.length] ?? 'Smith';
  return JSON.stringify({
    subject: `Order NW-${100000 + n} has not arrived`,
    customer: { email: `api-bench-${n}@customers.example`, name: `${first} ${last}` },
    message: { body: `Hi,\n\nI ordered hiking boots two weeks ago (order NW-${100000 + n}) and the tracking number has not changed since. Can you check?\n\nThanks,\n${first}` },
    channel: 'email',
    tags: rng.chance(0.3) ? ['shipping'] : [],
  });
}

const headers = { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' };
async function createOne(): Promise<{ ok: boolean; ms: number; status: number }> {
  const t0 = performance.now();
  const res = await fetch(`${server.url}/api/v1/tickets`, { method: 'POST', headers, body: ticketBody() });
  await res.arrayBuffer();
  return { ok: res.status === 201, ms: performance.now() - t0, status: res.status };
}

// Warm-up: JIT, connection pools, caches.
for (let i = 0; i < WARMUP; i += CONCURRENCY) {
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, WARMUP - i) }, () => createOne()));
}

// The probe: a request that touches no database, twice a second-ish, throughout the run.
const probeLatencies: number[] = [];
let probing = true;
const probe = (async () => {
  while (probing) {
    const t0 = performance.now();
    const res = await fetch(`${server.url}/api/health`);
    await res.arrayBuffer();
    probeLatencies.push(performance.now() - t0);
    await new Promise((r) => setTimeout(r, 50));
  }
})();

await server.reset();
const latencies: number[] = [];
const failures = new Map<number, number>();
let started = 0;
const t0 = performance.now();
const deadline = t0 + DURATION_MS;
await Promise.all(
  Array.from({ length: CONCURRENCY }, async () => {
    while (started < COUNT && performance.now() < deadline) {
      started++;
      const r = await createOne();
      if (r.ok) latencies.push(r.ms);
      else failures.set(r.status, (failures.get(r.status) ?? 0) + 1);
    }
  }),
);
const elapsed = (performance.now() - t0) / 1000;
const stats = await server.stats();
probing = false;
await probe;
await server.stop();
if (throwaway) await dropTarget(target);

console.log('');
console.log(`Created ${num(latencies.length)} tickets in ${elapsed.toFixed(1)} s: ${num(latencies.length / elapsed)} tickets/s` +
  (failures.size ? `  (failures: ${[...failures].map(([s, n]) => `${n}×HTTP ${s}`).join(', ')})` : ''));
printTable(
  ['figure', 'p50', 'p90', 'p99', 'max'],
  [
    ['POST /api/v1/tickets latency', ms(percentile(latencies, 50)), ms(percentile(latencies, 90)), ms(percentile(latencies, 99)), ms(Math.max(...latencies))],
    ['GET /api/health during load (no DB)', ms(percentile(probeLatencies, 50)), ms(percentile(probeLatencies, 90)), ms(percentile(probeLatencies, 99)), ms(Math.max(...probeLatencies))],
    ['server event-loop delay', ms(stats.loopP50), '', ms(stats.loopP99), ms(stats.loopMax)],
  ],
);
const cpuWhat = server.kind === 'pglite' ? 'main thread + PGlite worker' : 'storedesk only; PostgreSQL runs in its own processes';
console.log(`  server process CPU: ${stats.cpuSeconds.toFixed(1)} s over ${stats.wallSeconds.toFixed(1)} s wall (${((stats.cpuSeconds / stats.wallSeconds) * 100).toFixed(0)}% of one core; ${cpuWhat}), RSS ${stats.rssMb.toFixed(0)} MB`);
console.log(`  ${describeTarget(target)}, ${CONCURRENCY} clients`);
if (failures.size > 0) process.exitCode = 1;
