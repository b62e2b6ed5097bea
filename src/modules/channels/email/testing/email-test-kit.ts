/**
 * Test support for the email channel: a test app with the SMTP listener on a free loopback
 * port, a mailbox, a real SMTP client, and a job worker to run the outbox.
 */
import nodemailer from 'nodemailer';
import MailComposer from 'nodemailer/lib/mail-composer';
import { createTestApp, type TestApp } from '../../../../../test/harness.ts';
import { blobStoreFor } from '../../../../blobs/blob-store.ts';
import { JobWorker } from '../../../../jobs/job-worker.ts';
import { startSmtpListener, type SmtpListener, type SmtpListenerOptions } from '../smtp-listener.ts';
import { emailJobHandlers } from '../email-channel.ts';
import { installNetworkGuard } from './network-guard.ts';

/** Everything an email test needs. */
export interface EmailKit {
  t: TestApp;
  smtp: SmtpListener;
  worker: JobWorker;
  admin: Awaited<ReturnType<TestApp['agent']>>;
  agent: Awaited<ReturnType<TestApp['agent']>>;
  mailbox: { id: string; address: string };
  /** Sends an email through a real SMTP client to the listener. */
  send(mail: Parameters<ReturnType<typeof nodemailer.createTransport>['sendMail']>[0]): Promise<{ response: string }>;
  /** Sends raw bytes through a real SMTP client to the listener. */
  sendRaw(raw: Buffer | string, envelope?: { from: string; to: string[] }): Promise<{ response: string }>;
  close(): Promise<void>;
}

/** Builds raw MIME bytes with nodemailer's composer. */
export function buildRaw(mail: ConstructorParameters<typeof MailComposer>[0]): Promise<Buffer> {
  return new MailComposer(mail).compile().build();
}

/** Starts a test app, its SMTP listener and a mailbox `support@shop.test` created through the API. */
export async function startEmailKit(o: { env?: Record<string, string>; mailbox?: Record<string, unknown>; listener?: Partial<SmtpListenerOptions> } = {}): Promise<EmailKit> {
  installNetworkGuard();
  const t = await createTestApp({ EMAIL_SENDER_HOURLY_LIMIT: '1000', ...o.env });
  const smtp = await startSmtpListener({
    db: t.database.db, live: t.live, blobs: blobStoreFor(t.config), port: 0, host: '127.0.0.1', maxBytes: t.config.emailMaxBytes,
    senderHourlyLimit: t.config.emailSenderHourlyLimit, ...o.listener,
  });
  const worker = new JobWorker({ db: t.database.db, live: t.live, handlers: emailJobHandlers(t.config) });
  const admin = await t.agent('admin');
  const agent = await t.agent('agent');
  const res = await t.app.inject({
    method: 'POST', url: '/api/v1/mailboxes', headers: admin.headers,
    payload: { address: 'support@shop.test', display_name: 'Shop Support', accepted_domains: ['help.shop.test'], signature: 'Shop Support Team', ...o.mailbox },
  });
  if (res.statusCode !== 201) throw new Error(`mailbox: ${res.statusCode} ${res.body}`);
  const mailbox = res.json() as { id: string; address: string };
  const client = nodemailer.createTransport({ host: '127.0.0.1', port: smtp.port, secure: false, ignoreTLS: true, connectionTimeout: 10_000 });
  return {
    t, smtp, worker, admin, agent, mailbox,
    send: async (mail) => client.sendMail(mail),
    sendRaw: async (raw, envelope) => client.sendMail({ envelope: envelope ?? { from: 'customer@example.com', to: ['support@shop.test'] }, raw }),
    async close() {
      client.close();
      await smtp.close();
      await t.close();
    },
  };
}
