import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import nodemailer from 'nodemailer';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../config.ts';
import { startServer, type RunningServer } from '../../../server.ts';
import { startSmtpSink, type SmtpSink } from './testing/smtp-sink.ts';
import { blockedConnections, installNetworkGuard } from './testing/network-guard.ts';

// The whole product as a new user meets it: `storedesk start`, a mailbox set up through the API,
// mail from an ordinary client, the agent's answer in the client's inbox, and the answer to it.
installNetworkGuard();
const base = process.env.TEST_DATABASE_URL;
let dbName: string | undefined;
let server: RunningServer;
let sink: SmtpSink;
let cookie = '';

beforeAll(async () => {
  sink = await startSmtpSink();
  let databaseUrl: string | undefined;
  if (base) {
    dbName = `storedesk_srv_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
    const c = new pg.Client({ connectionString: base });
    await c.connect();
    await c.query(`create database ${dbName}`);
    await c.end();
    const u = new URL(base);
    u.pathname = `/${dbName}`;
    databaseUrl = u.toString();
  }
  const config = loadConfig({
    PORT: '0', HOST: '127.0.0.1', SMTP_PORT: '0', SMTP_HOST: '127.0.0.1', LOG_LEVEL: 'silent', STOREDESK_DEMO: 'false',
    STOREDESK_DATA_DIR: path.join(os.tmpdir(), `storedesk-srv-${randomBytes(4).toString('hex')}`),
    STOREDESK_ADMIN_EMAIL: 'owner@shop.test', STOREDESK_ADMIN_PASSWORD: 'owner-password-1',
    STOREDESK_SECRET_KEY: 'test-secret-key', ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
  });
  server = await startServer(config, () => {});
  const login = await fetch(`${server.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'owner@shop.test', password: 'owner-password-1' }) });
  expect(login.status).toBe(200);
  cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
}, 180_000);

afterAll(async () => {
  expect(blockedConnections()).toEqual([]);
  await server?.stop();
  await sink?.close();
  if (dbName && base) {
    const c = new pg.Client({ connectionString: base });
    await c.connect();
    await c.query(`drop database if exists ${dbName} with (force)`);
    await c.end();
  }
}, 60_000);

async function api(method: string, url: string, body?: unknown) {
  const res = await fetch(`${server.url}/api/v1${url}`, {
    method, headers: { cookie, ...(body ? { 'content-type': 'application/json' } : {}) }, ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, json: (await res.json()) as Record<string, any> };
}

async function until<T>(what: string, fn: () => Promise<T | undefined>, ms = 20_000): Promise<T> {
  const start = Date.now();
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() - start > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('storedesk start with the email channel', () => {
  it('takes mail in, sends the agent answer in the same thread, and files the customer reply on the same ticket', async () => {
    const created = await api('POST', '/mailboxes', {
      address: 'help@shop.test', display_name: 'Shop Help', signature: 'The Shop team',
      smtp: { host: '127.0.0.1', port: sink.port, security: 'none' },
    });
    expect(created.status).toBe(201);
    const smtpPort = server.email?.smtp?.port;
    expect(smtpPort).toBeGreaterThan(0);
    const client = nodemailer.createTransport({ host: '127.0.0.1', port: smtpPort, secure: false, ignoreTLS: true });
    const firstId = `<${randomBytes(6).toString('hex')}@client.example.com>`;
    await client.sendMail({ from: 'Rosa <rosa@example.com>', to: 'help@shop.test', subject: 'Missing item', messageId: firstId, text: 'One item is missing from my parcel.' });

    const ticket = await until('the ticket', async () => (await api('GET', '/tickets?q=missing')).json.items?.[0]);
    expect(ticket).toMatchObject({ subject: 'Missing item', channel: 'email', customer: { email: 'rosa@example.com' } });
    const reply = await api('POST', `/tickets/${ticket.id}/messages`, { body: 'We are sending the missing item today.' });
    expect(reply.status).toBe(201);

    const [sent] = await sink.waitFor(1, 20_000);
    expect(sent?.parsed.inReplyTo).toBe(firstId);
    expect(sent?.parsed.subject).toBe(`Re: Missing item [#${ticket.number}]`);
    expect(sent?.envelope.to).toEqual(['rosa@example.com']);

    await client.sendMail({
      from: 'rosa@example.com', to: 'help@shop.test', subject: `Re: ${sent?.parsed.subject}`, inReplyTo: sent?.parsed.messageId,
      references: [firstId, sent?.parsed.messageId ?? ''], text: `Great, thank you!\n\nOn Monday Shop Help wrote:\n> We are sending the missing item today.`,
    });
    client.close();
    const detail = await until('the reply on the ticket', async () => {
      const d = await api('GET', `/tickets/${ticket.id}`);
      return d.json.messages?.length === 3 ? d.json : undefined;
    });
    expect(detail.messages.map((m: { kind: string; body_text: string }) => [m.kind, m.body_text])).toEqual([
      ['inbound', 'One item is missing from my parcel.'],
      ['outbound', 'We are sending the missing item today.'],
      ['inbound', 'Great, thank you!'],
    ]);
    expect(detail.messages[1].delivery_status).toBe('sent');
  }, 120_000);
});
