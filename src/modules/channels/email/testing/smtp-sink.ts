/**
 * Test support: an SMTP server on loopback that receives what storedesk sends, so tests can
 * check every header. It can be told to answer the next messages with an error.
 */
import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';

/** One email the sink received. */
export interface SunkEmail {
  envelope: { from: string; to: string[] };
  raw: Buffer;
  parsed: ParsedMail;
}

/** A running sink. */
export interface SmtpSink {
  port: number;
  received: SunkEmail[];
  /** Answers the next n messages with this SMTP code (e.g. 451 or 550). */
  failNext(code: number, n?: number): void;
  /** Resolves once `count` emails have arrived. */
  waitFor(count: number, timeoutMs?: number): Promise<SunkEmail[]>;
  close(): Promise<void>;
}

/** Starts a sink on 127.0.0.1 at a free port. */
export async function startSmtpSink(): Promise<SmtpSink> {
  const received: SunkEmail[] = [];
  const failures: number[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onAuth(auth, _session, cb) {
      cb(null, { user: auth.username });
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const code = failures.shift();
        if (code) return cb(Object.assign(new Error(code >= 500 ? '5.1.1 Mailbox unavailable' : '4.3.0 Try again later'), { responseCode: code }));
        const raw = Buffer.concat(chunks);
        void simpleParser(raw).then((parsed) => {
          received.push({
            envelope: { from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((r) => r.address) },
            raw, parsed,
          });
          cb(null, 'OK sunk');
        });
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    port,
    received,
    failNext(code, n = 1) {
      for (let i = 0; i < n; i++) failures.push(code);
    },
    async waitFor(count, timeoutMs = 10_000) {
      const start = Date.now();
      while (received.length < count) {
        if (Date.now() - start > timeoutMs) throw new Error(`sink got ${received.length} of ${count} emails`);
        await new Promise((r) => setTimeout(r, 25));
      }
      return received;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
