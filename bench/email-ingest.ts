/**
 * Email ingestion benchmark: pushes a batch of realistic emails (new threads with quoted
 * history, replies threaded by In-Reply-To, HTML with inline images, attachments) through the
 * SMTP listener over loopback with several concurrent SMTP clients, and prints messages per
 * second, latency and memory. Runs on a fresh PGlite folder or a fresh PostgreSQL database.
 *
 *   npx tsx bench/email-ingest.ts --db pglite --messages 2000
 *   npx tsx bench/email-ingest.ts --db postgres --messages 5000 --concurrency 16
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import nodemailer from 'nodemailer';
import MailComposer from 'nodemailer/lib/mail-composer';
import pg from 'pg';
import { openDatabase } from '../src/db/database.ts';
import { migrateToLatest } from '../src/db/migrator.ts';
import { LiveBus } from '../src/shared/live-bus.ts';
import { systemContext } from '../src/shared/context.ts';
import { ensureDefaultStore } from '../src/modules/stores/stores.service.ts';
import { LocalBlobStore } from '../src/blobs/local-blob-store.ts';
import { startSmtpListener } from '../src/modules/channels/email/smtp-listener.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: {
    db: { type: 'string', default: 'pglite' },
    messages: { type: 'string', default: '2000' },
    concurrency: { type: 'string', default: '8' },
    url: { type: 'string', default: process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres' },
    keep: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (values.help) {
  console.log('usage: npx tsx bench/email-ingest.ts [--db pglite|postgres] [--messages 2000] [--concurrency 8] [--url postgres://…] [--keep]');
  process.exit(0);
}
const total = Number(values.messages);
const concurrency = Number(values.concurrency);
const kind = values.db === 'postgres' ? 'postgres' : 'pglite';

const FIRST = ['Lena', 'Omar', 'Yuki', 'Maria', 'Jonas', 'Aisha', 'Pierre', 'Sofia', 'Liam', 'Chen'];
const TOPICS = [
  ['Where is my order', 'My order #{o} has not arrived yet, the tracking has not moved for five days.'],
  ['Wrong size', 'I ordered a medium but received a large. Can I exchange it? Order {o}.'],
  ['Refund request', 'The jacket from order #{o} has a broken zipper. I would like a refund please.'],
  ['Change address', 'I moved last week; could you ship order {o} to my new address instead?'],
  ['Discount code', 'The code SPRING10 did not work at checkout for order #{o}.'],
];
const QUOTE = '\n\nOn Mon, 2 Mar 2026 at 09:14, Shop Support <support@shop.test> wrote:\n> Thank you for contacting us.\n> We will get back to you shortly.\n>\n> -- \n> Shop Support\n';
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

/** Builds the batch up front so that composing is not measured. */
async function buildBatch(): Promise<Array<{ from: string; raw: Buffer }>> {
  const sent: Array<{ id: string; from: string; subject: string }> = [];
  const out: Array<{ from: string; raw: Buffer }> = [];
  for (let i = 0; i < total; i++) {
    const customer = i % Math.max(10, Math.floor(total / 4));
    const name = `${FIRST[customer % FIRST.length]} ${customer}`;
    const from = `customer${customer}@example.com`;
    const id = `bench-${i}-${randomBytes(5).toString('hex')}@client.example.com`;
    const topic = TOPICS[i % TOPICS.length] ?? TOPICS[0];
    const order = String(100000 + (customer % 5000));
    const body = (topic?.[1] ?? '').replace('{o}', order);
    const r = i % 20;
    const previous = r < 5 ? [...sent].reverse().find((s) => s.from === from) : undefined;
    const mail: ConstructorParameters<typeof MailComposer>[0] = {
      from: { name, address: from }, to: 'support@shop.test', messageId: `<${id}>`, date: new Date(),
      subject: previous ? `Re: ${previous.subject}` : `${topic?.[0]} (${i})`,
      text: `Hello,\n\n${body}${previous ? ` Any news on this? (follow-up ${i})` : ''}\n\nThanks,\n${name}${QUOTE}`,
      ...(previous ? { inReplyTo: `<${previous.id}>`, references: [`<${previous.id}>`] } : {}),
    };
    if (r === 10 || r === 11) {
      mail.html = `<p>Hello,</p><p>${body}</p><p><img src="cid:photo${i}"></p><div class="gmail_quote">On Monday you wrote: earlier text</div>`;
      mail.attachments = [{ filename: 'photo.png', content: PNG, cid: `photo${i}` }];
    }
    if (r === 12) mail.attachments = [{ filename: 'receipt.pdf', content: Buffer.concat([Buffer.from('%PDF-1.4\n'), randomBytes(40_000)]) }];
    out.push({ from, raw: await new MailComposer(mail).compile().build() });
    sent.push({ id, from, subject: String(mail.subject) });
  }
  return out;
}

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
  const database = await openDatabase({ databaseUrl, pgliteDir: path.join(dataDir, 'pglite'), poolSize: 10 });
  await migrateToLatest(database.db);
  const live = new LiveBus();
  const storeId = await ensureDefaultStore(systemContext(database.db, live, 'bench'));
  await database.db.insertInto('mailboxes').values({ store_id: storeId, address: 'support@shop.test', is_default: true }).execute();
  const smtp = await startSmtpListener({
    db: database.db, live, blobs: new LocalBlobStore(path.join(dataDir, 'blobs')), port: 0, host: '127.0.0.1',
    maxBytes: 25 * 1024 * 1024, senderHourlyLimit: 1_000_000,
  });

  const loadBefore = os.loadavg();
  process.stdout.write(`building ${total} emails… `);
  const batch = await buildBatch();
  const bytes = batch.reduce((n, m) => n + m.raw.length, 0);
  console.log(`${(bytes / 1024 / 1024).toFixed(1)} MiB`);

  let peakRss = 0;
  let peakHeap = 0;
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
  }, 100);
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      const client = nodemailer.createTransport({ host: '127.0.0.1', port: smtp.port, secure: false, ignoreTLS: true, pool: true, maxConnections: 1, maxMessages: Infinity });
      for (;;) {
        const i = next++;
        const item = batch[i];
        if (!item) break;
        const t0 = performance.now();
        await client.sendMail({ envelope: { from: item.from, to: ['support@shop.test'] }, raw: item.raw });
        latencies.push(performance.now() - t0);
      }
      client.close();
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  const loadAfter = os.loadavg();
  const cpu = process.cpuUsage(cpuBefore);
  // CPU time this process spent per email (SMTP clients, listener, ingestion, and PGlite's worker
  // when in-process): unlike messages/s it hardly depends on what else the machine is doing.
  const cpuPerEmail = (cpu.user + cpu.system) / 1000 / total;

  const inbound = await database.db.selectFrom('inbound_emails').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const tickets = await database.db.selectFrom('tickets').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? 0;
  const rate = total / seconds;
  console.log(`database:      ${kind}`);
  console.log(`emails:        ${total} (${Number(inbound.n)} stored, ${Number(tickets.n)} tickets), ${concurrency} SMTP clients`);
  console.log(`throughput:    ${rate.toFixed(1)} messages/s (${seconds.toFixed(1)} s)`);
  console.log(`latency:       p50 ${pct(50).toFixed(0)} ms, p95 ${pct(95).toFixed(0)} ms, p99 ${pct(99).toFixed(0)} ms (SMTP DATA to 250)`);
  const load = (l: number[]) => l.map((x) => x.toFixed(1)).join(' ');
  console.log(`machine load:  ${load(loadBefore)} before, ${load(loadAfter)} after (1/5/15 min averages, ${os.cpus().length} cores)`);
  console.log(`cpu:           ${cpuPerEmail.toFixed(1)} ms per email in this process (user ${(cpu.user / 1000 / total).toFixed(1)}, system ${(cpu.system / 1000 / total).toFixed(1)})`);
  console.log(`memory:        peak RSS ${(peakRss / 1024 / 1024).toFixed(0)} MiB, peak heap ${(peakHeap / 1024 / 1024).toFixed(0)} MiB`);
  console.log(`| ${kind} | ${total} | ${concurrency} | ${rate.toFixed(0)} | ${pct(50).toFixed(0)} / ${pct(95).toFixed(0)} ms | ${(peakRss / 1024 / 1024).toFixed(0)} MiB | ${cpuPerEmail.toFixed(1)} ms | ${os.cpus().length} cores, load ${loadAfter[0]?.toFixed(1)} |`);
  if (Number(inbound.n) !== total) {
    console.error(`expected ${total} stored emails, found ${Number(inbound.n)}`);
    process.exitCode = 1;
  }

  await smtp.close();
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

await main();
