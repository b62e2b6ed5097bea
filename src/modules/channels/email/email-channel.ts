/**
 * The email channel: registers its strategy with the ticket core at module load (agents'
 * replies on email tickets queue an email in the reply's transaction) and starts its moving
 * parts for the server: the SMTP listener, the IMAP pollers, and the send job handler.
 */
import type { Kysely } from 'kysely';
import type { Config } from '../../../config.ts';
import type { DB } from '../../../db/schema.ts';
import type { LiveBus } from '../../../shared/live-bus.ts';
import { blobStoreFor } from '../../../blobs/blob-store.ts';
import { emailPreparerFor } from './prepare-pool.ts';
import type { JobHandler } from '../../../jobs/job-worker.ts';
import { registerChannel } from '../channel-registry.ts';
import { emailSendHandler, queueReplyEmail } from './outbound.service.ts';
import { startSmtpListener, type SmtpListener } from './smtp-listener.ts';
import { ImapPollers } from './imap-poller.ts';
import { secretKeyFor } from '../../../shared/secrets.ts';

registerChannel({ channel: 'email', onAgentReply: queueReplyEmail });

/** A logger the channel reports to. */
export type EmailLog = (level: 'info' | 'warn' | 'error', msg: string, data?: Record<string, unknown>) => void;

/** The job handlers of the email channel, for the server's job worker. */
export function emailJobHandlers(config: Config, log: EmailLog = () => {}): JobHandler[] {
  return [emailSendHandler({ blobs: blobStoreFor(config), secretKey: secretKeyFor(config, (l) => log('warn', l)) })];
}

/** The running listener and pollers. */
export interface EmailChannel {
  smtp: SmtpListener | undefined;
  stop(): Promise<void>;
}

/** Starts the SMTP listener on SMTP_PORT and the IMAP pollers of enabled mailboxes. */
export async function startEmailChannel(o: { config: Config; db: Kysely<DB>; live: LiveBus; log?: EmailLog }): Promise<EmailChannel> {
  const log = o.log ?? (() => {});
  const blobs = blobStoreFor(o.config);
  const preparer = emailPreparerFor(blobs, o.config.emailParseWorkers);
  // Loaded in the background now, so that the first email does not wait for it.
  void preparer.warmUp();
  const secretKey = secretKeyFor(o.config, (l) => log('warn', l));
  let smtp: SmtpListener | undefined;
  try {
    smtp = await startSmtpListener({
      db: o.db, live: o.live, blobs, preparer, port: o.config.smtpPort, host: o.config.smtpHost, maxBytes: o.config.emailMaxBytes,
      senderHourlyLimit: o.config.emailSenderHourlyLimit, tlsKeyFile: o.config.smtpTlsKeyFile, tlsCertFile: o.config.smtpTlsCertFile, log,
    });
  } catch (err) {
    // The workspace, IMAP and outbound mail still work; say loudly that SMTP intake does not.
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'EADDRINUSE' && code !== 'EACCES') throw err;
    log('error', `SMTP listener could not bind ${o.config.smtpHost}:${o.config.smtpPort} (${code}); inbound email over SMTP is off. Set SMTP_PORT to a free port.`);
  }
  const imap = new ImapPollers({ db: o.db, live: o.live, blobs, preparer, secretKey, maxBytes: o.config.emailMaxBytes, senderHourlyLimit: o.config.emailSenderHourlyLimit, log });
  imap.start();
  return {
    smtp,
    stop: async () => {
      await imap.stop();
      await smtp?.close();
      await preparer.close();
    },
  };
}
