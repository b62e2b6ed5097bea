/**
 * The SMTP clients of the email benchmark, in their own process so that composing and sending
 * (nodemailer) do not count against the server's CPU. Forked by `bench/email-ingest.ts` with the
 * listener's port: it builds the batch of realistic emails up front (new threads with quoted
 * history and a signature, one in four a reply threaded by In-Reply-To, one in ten HTML with an
 * inline image, one in twenty with a 40 KB PDF), answers `ready`, sends on `go` with C
 * concurrent pooled connections, and answers `done` with each email's latency and its own CPU.
 */
import { randomBytes } from 'node:crypto';
import nodemailer from 'nodemailer';
import MailComposer from 'nodemailer/lib/mail-composer';

/** What the parent tells the clients. */
export interface ClientsConfig {
  port: number;
  total: number;
  concurrency: number;
}

/** Messages the clients send to the parent. */
export type FromClients =
  | { type: 'ready'; bytes: number }
  | { type: 'done'; latencies: number[]; cpuMs: number; failed: number; firstError: string | null };

/** Messages the parent sends to the clients. */
export type ToClients = { type: 'go' };

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
async function buildBatch(total: number): Promise<Array<{ from: string; raw: Buffer }>> {
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

/** Sends the whole batch with `concurrency` pooled SMTP connections; returns each email's latency. */
async function sendBatch(port: number, concurrency: number, batch: Array<{ from: string; raw: Buffer }>) {
  const latencies: number[] = [];
  let failed = 0;
  let firstError: string | null = null;
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      const client = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true, pool: true, maxConnections: 1, maxMessages: Infinity });
      for (;;) {
        const i = next++;
        const item = batch[i];
        if (!item) break;
        const t0 = performance.now();
        try {
          await client.sendMail({ envelope: { from: item.from, to: ['support@shop.test'] }, raw: item.raw });
          latencies.push(performance.now() - t0);
        } catch (err) {
          failed++;
          firstError ??= err instanceof Error ? err.message : String(err);
        }
      }
      client.close();
    }),
  );
  return { latencies, failed, firstError };
}

function send(msg: FromClients): void {
  process.send?.(msg);
}

const config = JSON.parse(process.argv[2] ?? '{}') as ClientsConfig;
const batch = await buildBatch(config.total);
process.once('message', (msg: ToClients) => {
  if (msg.type !== 'go') return;
  const cpuBefore = process.cpuUsage();
  void sendBatch(config.port, config.concurrency, batch).then((r) => {
    const cpu = process.cpuUsage(cpuBefore);
    send({ type: 'done', ...r, cpuMs: (cpu.user + cpu.system) / 1000 });
    process.disconnect();
  });
});
send({ type: 'ready', bytes: batch.reduce((n, m) => n + m.raw.length, 0) });
