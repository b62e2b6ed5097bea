/**
 * storedesk's own SMTP listener, for stores that forward mail or point MX at it. It accepts
 * only recipients of a configured mailbox, refuses a message over the size limit with 552, holds
 * back a flooding sender with 451, and answers 250 only after the email is committed: a crash
 * before that leaves the sending server retrying, and dedup makes the retry harmless.
 */
import fs from 'node:fs';
import os from 'node:os';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import type { Kysely } from 'kysely';
import type { DB, MailboxRow } from '../../../db/schema.ts';
import type { LiveBus } from '../../../shared/live-bus.ts';
import { systemContext } from '../../../shared/context.ts';
import type { BlobStore } from '../../../blobs/blob-store.ts';
import { ingestEmail, senderWindowStart, type IngestHooks } from './ingest.service.ts';
import { matchMailbox } from './mailboxes.service.ts';
import type { EmailPreparer } from './prepare-pool.ts';
import * as q from './email.queries.ts';

/** Settings of the listener. */
export interface SmtpListenerOptions {
  db: Kysely<DB>;
  live: LiveBus;
  blobs: BlobStore;
  /** Where emails are parsed and their blobs written (worker threads); the calling thread when absent. */
  preparer?: EmailPreparer | undefined;
  port: number;
  host: string;
  maxBytes: number;
  senderHourlyLimit: number;
  tlsKeyFile?: string | undefined;
  tlsCertFile?: string | undefined;
  /** Test-only pauses (crash tests). */
  hooks?: IngestHooks & { afterData?(): Promise<void>; beforeAck?(): Promise<void> };
  log?: (level: 'info' | 'warn' | 'error', msg: string, data?: Record<string, unknown>) => void;
}

/** A listening SMTP server. */
export interface SmtpListener {
  port: number;
  close(): Promise<void>;
}

function smtpError(code: number, message: string): Error {
  return Object.assign(new Error(message), { responseCode: code });
}

/**
 * Senders known to be over the hourly limit in the current window, learnt from the counts
 * that ingestion keeps in the database (the authority: it holds an email back inside its
 * transaction). This lets MAIL FROM refuse a flood with 451 without a query per email; after a
 * restart, the first email from a flooding sender is held back by the transaction and teaches
 * the listener again.
 */
class FloodingSenders {
  private window = 0;
  private readonly senders = new Set<string>();

  private current(): number {
    const window = senderWindowStart().getTime();
    if (window !== this.window) {
      this.window = window;
      this.senders.clear();
    }
    return window;
  }

  isHeldBack(sender: string): boolean {
    this.current();
    return this.senders.has(sender);
  }

  /** What ingestion counted for a sender (this email included). */
  learn(sender: string | null, count: number | null, limit: number): void {
    this.current();
    if (sender && count !== null && count >= limit) this.senders.add(sender);
  }
}

/** Starts the listener and resolves once it accepts connections. */
export async function startSmtpListener(o: SmtpListenerOptions): Promise<SmtpListener> {
  const ctx = systemContext(o.db, o.live, 'email');
  const flooding = new FloodingSenders();
  let cache: { at: number; rows: MailboxRow[] } | undefined;
  const mailboxes = async () => {
    if (!cache || Date.now() - cache.at > 5000) cache = { at: Date.now(), rows: await q.listMailboxes(o.db) };
    return cache.rows;
  };
  const tls = o.tlsKeyFile && o.tlsCertFile ? { key: fs.readFileSync(o.tlsKeyFile), cert: fs.readFileSync(o.tlsCertFile) } : undefined;
  const options: SMTPServerOptions = {
    name: os.hostname(),
    banner: 'storedesk',
    size: o.maxBytes,
    authOptional: true,
    disabledCommands: tls ? ['AUTH'] : ['AUTH', 'STARTTLS'],
    ...(tls ?? {}),
    logger: false,
    socketTimeout: 60_000,
    closeTimeout: 5_000,
    onMailFrom(address, _session, callback) {
      const sender = address.address.toLowerCase();
      callback(sender && flooding.isHeldBack(sender) ? smtpError(451, '4.7.1 Too many messages from this sender; try again later') : undefined);
    },
    onRcptTo(address, _session, callback) {
      mailboxes().then(
        (rows) => callback(matchMailbox(rows, address.address) ? undefined : smtpError(550, `5.1.1 <${address.address}>: no such mailbox here`)),
        () => callback(smtpError(451, '4.3.0 Temporary failure, try again')),
      );
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('error', (err) => callback(err));
      stream.on('end', () => {
        if (stream.sizeExceeded) {
          callback(smtpError(552, `5.3.4 Message too big: the limit is ${o.maxBytes} bytes`));
          return;
        }
        const raw = Buffer.concat(chunks);
        void (async () => {
          try {
            await o.hooks?.afterData?.();
            const rows = await mailboxes();
            const mailbox = session.envelope.rcptTo.map((r) => matchMailbox(rows, r.address)).find((m) => m !== undefined);
            if (!mailbox) throw smtpError(550, '5.1.1 No accepted recipient');
            const mailFrom = session.envelope.mailFrom;
            const result = await ingestEmail(
              ctx,
              { blobs: o.blobs, preparer: o.preparer, maxAttachmentBytes: o.maxBytes, senderHourlyLimit: o.senderHourlyLimit, hooks: o.hooks },
              { raw, source: 'smtp', mailbox, envelopeFrom: mailFrom ? mailFrom.address : '' },
            );
            flooding.learn(result.sender, result.senderCount, o.senderHourlyLimit);
            await o.hooks?.beforeAck?.();
            callback(null, `2.0.0 Stored as ${result.inboundId}${result.duplicate ? ' (duplicate)' : ''}`);
          } catch (err) {
            const code = (err as { responseCode?: number }).responseCode;
            if (code) return callback(err as Error);
            o.log?.('error', 'inbound email could not be stored', { err: err instanceof Error ? err.message : String(err) });
            callback(smtpError(451, '4.3.0 Temporary failure storing the message, try again'));
          }
        })();
      });
    },
  };
  const server = new SMTPServer(options);
  server.on('error', (err) => o.log?.('warn', 'smtp connection error', { err: err.message }));
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(o.port, o.host, () => resolve());
  });
  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : o.port;
  return {
    port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
