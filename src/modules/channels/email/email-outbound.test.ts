import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmailKit, type EmailKit } from './testing/email-test-kit.ts';
import { startSmtpSink, type SmtpSink } from './testing/smtp-sink.ts';
import { blockedConnections } from './testing/network-guard.ts';

let k: EmailKit;
let sink: SmtpSink;
const dkimKey = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

beforeAll(async () => {
  sink = await startSmtpSink();
  k = await startEmailKit({
    mailbox: {
      smtp: { host: '127.0.0.1', port: sink.port, security: 'none', user: 'relay-user', password: 'relay-secret' },
      dkim: { domain: 'shop.test', selector: 'sd1', private_key: dkimKey },
    },
  });
}, 180_000);
afterAll(async () => {
  expect(blockedConnections()).toEqual([]);
  await k?.close();
  await sink?.close();
}, 180_000);

let seq = 0;
const uniq = () => `${Date.now().toString(36)}-${++seq}`;

async function customerWrites(from: string, subject: string, text: string, extra: Record<string, unknown> = {}) {
  const id = `${uniq()}@client.example.com`;
  await k.send({ from, to: 'support@shop.test', subject, messageId: `<${id}>`, text, ...extra });
  const row = await k.t.database.db.selectFrom('inbound_emails').select(['ticket_id']).where('message_id_header', '=', id).executeTakeFirstOrThrow();
  return { messageId: id, ticketId: row.ticket_id ?? '' };
}

async function agentReplies(ticketId: string, body: string) {
  const res = await k.t.app.inject({ method: 'POST', url: `/api/v1/tickets/${ticketId}/messages`, headers: k.agent.headers, payload: { body } });
  expect(res.statusCode).toBe(201);
  return res.json().message as { id: string; delivery_status: string };
}

async function messageRow(id: string) {
  return k.t.database.db.selectFrom('messages').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

describe('outbound email', () => {
  it('sends an agent reply as a threaded, signed email that the customer answer lands back on', async () => {
    const first = await customerWrites('Ada <ada@example.com>', 'Broken zipper', 'The zipper broke on day one.');
    const reply = await agentReplies(first.ticketId, 'Sorry to hear that! A replacement is on its way.');
    expect(reply.delivery_status).toBe('queued');
    const queued = await messageRow(reply.id);
    expect(queued.external_id).toMatch(/@shop\.test$/);
    expect(await k.worker.runDue()).toBe(1);
    const [mail] = await sink.waitFor(1);
    const number = (await k.t.database.db.selectFrom('tickets').select('number').where('id', '=', first.ticketId).executeTakeFirstOrThrow()).number;
    expect(mail?.envelope).toEqual({ from: 'support@shop.test', to: ['ada@example.com'] });
    const p = mail?.parsed;
    expect(p?.messageId).toBe(`<${queued.external_id}>`);
    expect(p?.inReplyTo).toBe(`<${first.messageId}>`);
    expect(p?.references).toEqual(`<${first.messageId}>`);
    expect(p?.subject).toBe(`Re: Broken zipper [#${number}]`);
    expect(p?.from?.value[0]).toEqual({ address: 'support@shop.test', name: 'Shop Support' });
    expect(p?.to && !Array.isArray(p.to) ? p.to.value[0]?.address : null).toBe('ada@example.com');
    expect(p?.text).toContain('A replacement is on its way.');
    expect(p?.text).toContain('-- \nShop Support Team');
    expect(p?.html).toContain('A replacement is on its way.');
    expect(p?.headers.get('x-storedesk-ticket')).toBe(String(number));
    expect(mail?.raw.toString()).toMatch(/^DKIM-Signature: v=1; a=rsa-sha256;[\s\S]*?d=shop\.test;[\s\S]*?s=sd1;/m);
    expect((await messageRow(reply.id)).delivery_status).toBe('sent');

    // The customer's mail client answers the reply: it joins the same ticket.
    const answer = await customerWrites('ada@example.com', p?.subject ? `Re: ${p.subject}` : '', 'Thanks, got it!', { inReplyTo: p?.messageId, references: [`<${first.messageId}>`, p?.messageId] });
    expect(answer.ticketId).toBe(first.ticketId);
  });

  it('sends the files an agent uploaded as attachments of the reply', async () => {
    const first = await customerWrites('cora@example.com', 'Invoice please', 'Could you send the invoice?');
    const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n%storedesk test invoice\n'), Buffer.alloc(2048, 32), Buffer.from('\n%%EOF\n')]);
    const up = await k.t.app.inject({
      method: 'POST', url: '/api/v1/uploads?filename=Invoice%20NW-10001.pdf', headers: { ...k.agent.headers, 'content-type': 'text/html' }, payload: pdf,
    });
    expect(up.statusCode).toBe(201);
    // The type comes from the bytes, not from what the browser claimed.
    expect(up.json()).toMatchObject({ filename: 'Invoice NW-10001.pdf', content_type: 'application/pdf', size: pdf.length });
    const res = await k.t.app.inject({
      method: 'POST', url: `/api/v1/tickets/${first.ticketId}/messages`, headers: k.agent.headers, payload: { body: 'Here is your invoice.', attachment_ids: [up.json().id] },
    });
    expect(res.statusCode).toBe(201);
    const message = res.json().message;
    expect(message.attachments).toEqual([expect.objectContaining({ filename: 'Invoice NW-10001.pdf', content_type: 'application/pdf', size: pdf.length })]);
    const download = await k.t.app.inject({ method: 'GET', url: message.attachments[0].url, headers: k.agent.headers });
    expect(download.rawPayload.equals(pdf)).toBe(true);

    const before = sink.received.length;
    expect(await k.worker.runDue()).toBe(1);
    const [mail] = (await sink.waitFor(before + 1)).slice(before);
    expect(mail?.parsed.text).toContain('Here is your invoice.');
    expect(mail?.parsed.attachments.map((a) => [a.filename, a.contentType])).toEqual([['Invoice NW-10001.pdf', 'application/pdf']]);
    expect(mail?.parsed.attachments[0]?.content.equals(pdf)).toBe(true);
  });

  it('refuses attachments that are not the agent’s own uploads, and sends nothing', async () => {
    const first = await customerWrites('dina@example.com', 'Photo', 'See attached?');
    const other = await k.t.agent('agent');
    const up = await k.t.app.inject({ method: 'POST', url: '/api/v1/uploads?filename=note.txt', headers: { ...other.headers, 'content-type': 'text/plain' }, payload: 'private notes' });
    expect(up.statusCode).toBe(201);
    const res = await k.t.app.inject({
      method: 'POST', url: `/api/v1/tickets/${first.ticketId}/messages`, headers: k.agent.headers, payload: { body: 'Attaching.', attachment_ids: [up.json().id] },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'validation_failed', errors: [{ field: 'attachment_ids' }] });
    const count = await k.t.database.db.selectFrom('messages').select('id').where('ticket_id', '=', first.ticketId).execute();
    expect(count).toHaveLength(1);
    const empty = await k.t.app.inject({ method: 'POST', url: '/api/v1/uploads?filename=empty.txt', headers: { ...k.agent.headers, 'content-type': 'text/plain' }, payload: '' });
    expect(empty.statusCode).toBe(400);
    const anonymous = await k.t.app.inject({ method: 'POST', url: '/api/v1/uploads?filename=x.txt', headers: { 'content-type': 'text/plain' }, payload: 'x' });
    expect(anonymous.statusCode).toBe(401);
  });

  it('retries temporary failures with backoff and shows the reason while queued', async () => {
    const first = await customerWrites('ben@example.com', 'Late', 'Where is it?');
    const reply = await agentReplies(first.ticketId, 'Checking with the courier.');
    sink.failNext(451);
    const before = sink.received.length;
    await k.worker.runDue().catch(() => 0);
    const pending = await messageRow(reply.id);
    expect(pending.delivery_status).toBe('queued');
    expect(pending.delivery_error).toMatch(/451/);
    await k.t.database.db.updateTable('jobs').set({ run_at: new Date(Date.now() - 1000) }).where('idempotency_key', '=', `email.send:${reply.id}`).execute();
    await k.worker.runDue();
    await sink.waitFor(before + 1);
    const sent = await messageRow(reply.id);
    expect(sent).toMatchObject({ delivery_status: 'sent', delivery_error: null });
  });

  it('shows a permanent failure on the message, and an agent can retry it', async () => {
    const first = await customerWrites('cleo@example.com', 'Wrong size', 'I need a larger size.');
    const reply = await agentReplies(first.ticketId, 'We can exchange it.');
    sink.failNext(550);
    await k.worker.runDue();
    const failed = await messageRow(reply.id);
    expect(failed.delivery_status).toBe('failed');
    expect(failed.delivery_error).toMatch(/550/);
    const before = sink.received.length;
    const retry = await k.t.app.inject({ method: 'POST', url: `/api/v1/messages/${reply.id}/retry`, headers: k.agent.headers });
    expect(retry.statusCode).toBe(202);
    await k.worker.runDue();
    const [again] = (await sink.waitFor(before + 1)).slice(-1);
    expect(again?.parsed.messageId).toBe(`<${failed.external_id}>`);
    expect((await messageRow(reply.id)).delivery_status).toBe('sent');
    const twice = await k.t.app.inject({ method: 'POST', url: `/api/v1/messages/${reply.id}/retry`, headers: k.agent.headers });
    expect(twice.statusCode).toBe(409);
  });

  it('sends the same email with the same Message-ID when a send is repeated after a crash', async () => {
    const first = await customerWrites('dan@example.com', 'Crash', 'Hello');
    const reply = await agentReplies(first.ticketId, 'Answer that must not change.');
    await k.worker.runDue();
    const before = sink.received.length;
    // A worker that died after the relay accepted but before recording it: the job runs again.
    await k.t.database.db.updateTable('outbound_emails').set({ status: 'sending' }).where('message_id', '=', reply.id).execute();
    await k.t.database.db.updateTable('jobs').set({ status: 'running', locked_until: new Date(Date.now() - 1000), locked_by: 'dead' }).where('idempotency_key', '=', `email.send:${reply.id}`).execute();
    await k.worker.runDue();
    const all = await sink.waitFor(before + 1);
    const copies = all.filter((m) => m.parsed.text?.includes('Answer that must not change.'));
    expect(copies).toHaveLength(2);
    expect(copies[0]?.raw.equals(copies[1]?.raw ?? Buffer.alloc(0))).toBe(true);
  });

  it('does not send blindly to an address that bounced, but an agent can send anyway', async () => {
    const first = await customerWrites('bounced@example.com', 'Old address', 'Hello from an address that later bounces.');
    await k.t.database.db.updateTable('customer_identities').set({ undeliverable_at: new Date(), undeliverable_reason: '5.1.1 user unknown' }).where('value', '=', 'bounced@example.com').execute();
    const reply = await agentReplies(first.ticketId, 'Are you still there?');
    const failed = await messageRow(reply.id);
    expect(failed.delivery_status).toBe('failed');
    expect(failed.delivery_error).toContain('bounced earlier');
    const before = sink.received.length;
    const retry = await k.t.app.inject({ method: 'POST', url: `/api/v1/messages/${reply.id}/retry`, headers: k.agent.headers });
    expect(retry.statusCode).toBe(202);
    await k.worker.runDue();
    const [sent] = (await sink.waitFor(before + 1)).slice(-1);
    expect(sent?.envelope.to).toEqual(['bounced@example.com']);
    expect(sent?.parsed.inReplyTo).toBe(`<${first.messageId}>`);
    expect((await messageRow(reply.id)).delivery_status).toBe('sent');
  });

  it('never returns relay secrets and keeps them encrypted at rest', async () => {
    const res = await k.t.app.inject({ method: 'GET', url: `/api/v1/mailboxes/${k.mailbox.id}`, headers: k.admin.headers });
    expect(res.statusCode).toBe(200);
    expect(res.body).not.toContain('relay-secret');
    expect(res.body).not.toContain('PRIVATE KEY');
    expect(res.json()).toMatchObject({ smtp: { password_set: true, user: 'relay-user' }, dkim: { private_key_set: true } });
    const row = await k.t.database.db.selectFrom('mailboxes').selectAll().where('id', '=', k.mailbox.id).executeTakeFirstOrThrow();
    expect(row.smtp_password_enc).toMatch(/^v1:/);
    expect(JSON.stringify(row)).not.toContain('relay-secret');
    const asAgent = await k.t.app.inject({ method: 'GET', url: '/api/v1/mailboxes', headers: k.agent.headers });
    expect(asAgent.statusCode).toBe(403);
  });
});

describe('demo without a relay', () => {
  let demo: EmailKit;
  beforeAll(async () => {
    demo = await startEmailKit();
  }, 180_000);
  afterAll(async () => {
    await demo?.close();
  }, 180_000);

  it('keeps outbound mail in a local outbox that admins can read', async () => {
    const id = `${uniq()}@client.example.com`;
    await demo.send({ from: 'eve@example.com', to: 'support@shop.test', subject: 'Demo', messageId: `<${id}>`, text: 'Hello demo' });
    const ticketId = (await demo.t.database.db.selectFrom('inbound_emails').select('ticket_id').where('message_id_header', '=', id).executeTakeFirstOrThrow()).ticket_id;
    const res = await demo.t.app.inject({ method: 'POST', url: `/api/v1/tickets/${ticketId}/messages`, headers: demo.agent.headers, payload: { body: 'Hi Eve, answered locally.' } });
    expect(res.statusCode).toBe(201);
    await demo.worker.runDue();
    const outbox = await demo.t.app.inject({ method: 'GET', url: '/api/v1/outbox', headers: demo.admin.headers });
    expect(outbox.statusCode).toBe(200);
    const [entry] = outbox.json().items;
    expect(entry).toMatchObject({ to: 'eve@example.com', from: 'support@shop.test', status: 'sent' });
    const raw = await demo.t.app.inject({ method: 'GET', url: entry.raw_url, headers: demo.admin.headers });
    expect(raw.body).toContain('Hi Eve, answered locally.');
    expect(raw.body).toContain(`In-Reply-To: <${id}>`);
    const msg = await demo.t.database.db.selectFrom('messages').select('delivery_status').where('id', '=', res.json().message.id).executeTakeFirstOrThrow();
    expect(msg.delivery_status).toBe('sent');
  });

  it('validates mailbox input with problem+json naming the field', async () => {
    const res = await demo.t.app.inject({ method: 'POST', url: '/api/v1/mailboxes', headers: demo.admin.headers, payload: { address: 'x@shop.test', smtp: { host: 'h', port: 25, security: 'none', colour: 1 } } });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({ code: 'validation_failed', errors: [{ field: 'smtp' }] });
    const dup = await demo.t.app.inject({ method: 'POST', url: '/api/v1/mailboxes', headers: demo.admin.headers, payload: { address: 'SUPPORT@shop.test' } });
    expect(dup.statusCode).toBe(409);
  });
});
