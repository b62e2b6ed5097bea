import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import nodemailer from 'nodemailer';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../db/database.ts';
import { installNetworkGuard } from './testing/network-guard.ts';

const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'testing', 'smtp-child.ts');
const dataDir = path.join(os.tmpdir(), `storedesk-crash-${randomBytes(4).toString('hex')}`);
const base = process.env.TEST_DATABASE_URL;
let databaseUrl: string | undefined;
const children: ChildProcess[] = [];

installNetworkGuard();

async function prepareDatabase() {
  if (!base || databaseUrl) return;
  const name = `storedesk_crash_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const c = new pg.Client({ connectionString: base });
  await c.connect();
  await c.query(`create database ${name}`);
  await c.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  databaseUrl = url.toString();
}

/** Starts the listener process; resolves with its port and a way to wait for a line. */
async function startChild(pause?: string): Promise<{ child: ChildProcess; port: number; waitFor: (text: string) => Promise<void> }> {
  const env: Record<string, string> = { ...process.env as Record<string, string>, STOREDESK_DATA_DIR: dataDir, STOREDESK_DEMO: 'false' };
  delete env.DATABASE_URL;
  if (databaseUrl) env.DATABASE_URL = databaseUrl;
  if (pause) env.STOREDESK_TEST_PAUSE = pause;
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  let out = '';
  const waiters: Array<{ text: string; resolve: () => void }> = [];
  child.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
    for (const w of waiters) if (out.includes(w.text)) w.resolve();
  });
  const waitFor = (text: string) =>
    new Promise<void>((resolve, reject) => {
      if (out.includes(text)) return resolve();
      child.once('exit', (code) => reject(new Error(`child exited (${code}) before printing ${text}; got: ${out}`)));
      const timer = setTimeout(() => reject(new Error(`child never printed ${text}; got: ${out}`)), 300_000);
      waiters.push({ text, resolve: () => { clearTimeout(timer); resolve(); } });
    });
  await waitFor('READY ');
  const port = Number(/READY (\d+)/.exec(out)?.[1]);
  return { child, port, waitFor };
}

function killHard(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

function send(port: number, messageId: string, text: string) {
  const client = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true, connectionTimeout: 10_000 });
  return client.sendMail({ from: 'crash@example.com', to: 'support@shop.test', subject: 'Crash test', messageId: `<${messageId}>`, text }).finally(() => client.close());
}

afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  if (databaseUrl && base) {
    const c = new pg.Client({ connectionString: base });
    await c.connect();
    await c.query(`drop database if exists ${new URL(databaseUrl).pathname.slice(1)} with (force)`);
    await c.end();
  }
});

describe('a crash between receiving and acknowledging', () => {
  it('loses nothing and stores nothing twice when the listener is killed before commit or before the 250', { timeout: 900_000 }, async () => {
    await prepareDatabase();
    const beforeCommit = `${randomBytes(6).toString('hex')}@crash.example.com`;
    const beforeAck = `${randomBytes(6).toString('hex')}@crash.example.com`;

    // 1. Killed inside the transaction, after DATA: the client sees no 250 and keeps the mail.
    const a = await startChild('before-commit');
    const first = send(a.port, beforeCommit, 'Killed before commit').catch((e: unknown) => e);
    await a.waitFor('PAUSED before-commit');
    await killHard(a.child);
    expect(await first).toBeInstanceOf(Error);

    // 2. Killed after commit but before the 250: the client will send it again.
    const b = await startChild('before-ack');
    const second = send(b.port, beforeAck, 'Killed before ack').catch((e: unknown) => e);
    await b.waitFor('PAUSED before-ack');
    await killHard(b.child);
    expect(await second).toBeInstanceOf(Error);

    // 3. After the restart the sending side retries both.
    const c = await startChild();
    const retriedCommit = await send(c.port, beforeCommit, 'Killed before commit');
    const retriedAck = await send(c.port, beforeAck, 'Killed before ack');
    expect(retriedCommit.response).toMatch(/^250 /);
    expect(retriedCommit.response).not.toContain('duplicate');
    expect(retriedAck.response).toMatch(/^250 .*\(duplicate\)/);
    await stop(c.child);

    const database = await openDatabase({ databaseUrl, pgliteDir: `${dataDir}/pglite` });
    try {
      const messages = await database.db.selectFrom('messages').select('external_id').where('external_id', 'in', [beforeCommit, beforeAck]).execute();
      expect(messages.map((m) => m.external_id).sort()).toEqual([beforeCommit, beforeAck].sort());
      const inbound = await database.db.selectFrom('inbound_emails').select('message_id_header').execute();
      expect(inbound).toHaveLength(2);
      const tickets = await database.db.selectFrom('tickets').select('id').execute();
      expect(tickets).toHaveLength(2);
    } finally {
      await database.close();
    }
  });
});
