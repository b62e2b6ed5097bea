/**
 * The Dovecot that .ci/setup-imap.sh starts on loopback (it prints these variables), and what
 * the IMAP tests do with it: a folder of their own, mail appended to it, poller dependencies.
 */
import { randomBytes } from 'node:crypto';
import { ImapFlow } from 'imapflow';
import { blobStoreFor } from '../../../../blobs/blob-store.ts';
import { secretKeyFor } from '../../../../shared/secrets.ts';
import type { ImapDeps } from '../imap-poller.ts';
import * as q from '../email.queries.ts';
import { buildRaw, type EmailKit } from './email-test-kit.ts';

/** Where the test Dovecot listens and its account; `host` is unset when it is not running. */
export const dovecotEnv = {
  host: process.env.STOREDESK_TEST_IMAP_HOST,
  port: Number(process.env.STOREDESK_TEST_IMAP_PORT ?? 0),
  user: process.env.STOREDESK_TEST_IMAP_USER ?? '',
  pass: process.env.STOREDESK_TEST_IMAP_PASS ?? '',
  oauthKey: process.env.STOREDESK_TEST_IMAP_OAUTH_KEY ?? '',
};

/** A folder name of our own per run: both database modes and reruns share one Dovecot account. */
export function uniqueFolder(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
}

/** Logs in with the account's password and creates the folder. */
export async function openDovecotFolder(folder: string): Promise<ImapFlow> {
  const admin = new ImapFlow({ host: dovecotEnv.host ?? '', port: dovecotEnv.port, secure: false, auth: { user: dovecotEnv.user, pass: dovecotEnv.pass }, logger: false });
  await admin.connect();
  await admin.mailboxCreate(folder);
  return admin;
}

/** Deletes the folder and logs out; never throws (it runs in afterAll). */
export async function closeDovecotFolder(admin: ImapFlow | undefined, folder: string): Promise<void> {
  await admin?.mailboxDelete(folder).catch(() => {});
  await admin?.logout().catch(() => {});
}

/** Appends `n` emails to the folder, each with a fresh Message-ID `<tag-i-random@domain>`; returns those ids. */
export async function appendMails(
  admin: ImapFlow,
  folder: string,
  n: number,
  tag: string,
  domain: string,
  mail: (i: number) => { from: string; subject: string; text: string },
): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const id = `${tag}-${i}-${randomBytes(4).toString('hex')}@${domain}`;
    ids.push(id);
    const m = mail(i);
    const raw = await buildRaw({ from: m.from, to: 'support@shop.test', subject: m.subject, messageId: `<${id}>`, text: m.text });
    await admin.append(folder, raw, []);
  }
  return ids;
}

/** What pollMailboxOnce needs, from the kit's server. */
export function imapDepsFor(k: EmailKit, extra: Partial<ImapDeps> = {}): ImapDeps {
  return {
    db: k.t.database.db, live: k.t.live, blobs: blobStoreFor(k.t.config), secretKey: secretKeyFor(k.t.config),
    maxBytes: k.t.config.emailMaxBytes, senderHourlyLimit: 1000, ...extra,
  };
}

/** The kit's mailbox as stored now. */
export async function kitMailboxRow(k: EmailKit) {
  const row = await q.findMailbox(k.t.database.db, k.mailbox.id);
  if (!row) throw new Error('mailbox missing');
  return row;
}
