/**
 * Polls an existing mailbox over IMAP (imapflow). New messages are found by UID above the last
 * one imported (kept in the database per mailbox, reset when UIDVALIDITY changes), imported one
 * by one, and flagged or moved only after their import committed; progress is saved after each.
 * A crash between commit and flag re-imports the email on the next run, and dedup by
 * Message-ID makes that a no-op. Between polls the connection IDLEs where the server has it.
 */
import { ImapFlow } from 'imapflow';
import type { Kysely } from 'kysely';
import type { DB, MailboxRow } from '../../../db/schema.ts';
import type { LiveBus } from '../../../shared/live-bus.ts';
import { systemContext } from '../../../shared/context.ts';
import type { BlobStore } from '../../../blobs/blob-store.ts';
import { ingestEmail } from './ingest.service.ts';
import type { EmailPreparer } from './prepare-pool.ts';
import { mailboxSecrets } from './mailboxes.service.ts';
import { forgetImapAccessToken, imapAccessToken } from './imap-oauth.ts';
import * as q from './email.queries.ts';

/** The keyword set on every message storedesk imported. */
export const IMPORTED_KEYWORD = '$StoredeskImported';

/** What polling needs. */
export interface ImapDeps {
  db: Kysely<DB>;
  live: LiveBus;
  blobs: BlobStore;
  /** Where emails are parsed and their blobs written (worker threads); the calling thread when absent. */
  preparer?: EmailPreparer | undefined;
  secretKey: Buffer;
  maxBytes: number;
  senderHourlyLimit: number;
  log?: (level: 'info' | 'warn' | 'error', msg: string, data?: Record<string, unknown>) => void;
}

/** Result of one pass over a mailbox. */
export interface ImapPollResult {
  imported: number;
  duplicates: number;
  lastUid: number;
}

/** A connected client, logged in with the mailbox's password or OAuth access token. */
async function connectClient(mailbox: MailboxRow, deps: ImapDeps, options: { autoIdleDelay?: number } = {}): Promise<ImapFlow> {
  const oauth = mailbox.imap_auth === 'oauth2';
  const user = mailbox.imap_user ?? '';
  const auth = oauth
    ? { user, accessToken: await imapAccessToken(deps.db, mailbox, deps.secretKey) }
    : { user, pass: mailboxSecrets(mailbox, deps.secretKey).imapPassword ?? '' };
  const client = new ImapFlow({
    host: mailbox.imap_host ?? '',
    port: mailbox.imap_port ?? 993,
    secure: mailbox.imap_tls,
    auth,
    logger: false,
    emitLogs: false,
    connectionTimeout: 30_000,
    ...options,
  });
  client.on('error', (err: Error) => deps.log?.('warn', 'imap connection error', { mailbox: mailbox.address, err: err.message }));
  try {
    await client.connect();
  } catch (err) {
    client.close();
    if (isAuthFailure(err)) {
      // A revoked or stale token: the next attempt asks the token endpoint for a new one.
      if (oauth) await forgetImapAccessToken(deps.db, mailbox);
      throw new Error(`IMAP login refused for ${user} (${oauth ? 'OAuth access token' : 'password'})`, { cause: err });
    }
    throw err;
  }
  return client;
}

function isAuthFailure(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { authenticationFailed?: unknown }).authenticationFailed === true;
}

/** Imports everything new in the open folder; the client must have the folder selected. */
async function importNew(client: ImapFlow, mailbox: MailboxRow, deps: ImapDeps): Promise<ImapPollResult> {
  const ctx = systemContext(deps.db, deps.live, 'email-imap');
  const status = client.mailbox;
  if (!status) throw new Error('no folder is open');
  const uidValidity = Number(status.uidValidity);
  const fresh = await q.findMailbox(deps.db, mailbox.id);
  if (!fresh) return { imported: 0, duplicates: 0, lastUid: 0 };
  let lastUid = fresh.imap_uid_validity === uidValidity ? fresh.imap_last_uid : 0;
  const result: ImapPollResult = { imported: 0, duplicates: 0, lastUid };
  // EXISTS updates the message count while IDLE, not UIDNEXT; an empty folder needs no fetch.
  if (status.exists === 0) {
    await q.saveImapProgress(deps.db, mailbox.id, { uidValidity, lastUid, error: null });
    return result;
  }
  // Collect UIDs first; fetching bodies while issuing STORE on the same connection would interleave.
  const uids: number[] = [];
  for await (const msg of client.fetch(`${lastUid + 1}:*`, { uid: true, flags: true, size: true }, { uid: true })) {
    if (msg.uid > lastUid) uids.push(msg.uid);
  }
  uids.sort((a, b) => a - b);
  for (const uid of uids) {
    const msg = await client.fetchOne(String(uid), { uid: true, source: true, flags: true }, { uid: true });
    if (msg && msg.source && !msg.flags?.has(IMPORTED_KEYWORD)) {
      const ingested = await ingestEmail(ctx, { blobs: deps.blobs, preparer: deps.preparer, maxAttachmentBytes: deps.maxBytes, senderHourlyLimit: deps.senderHourlyLimit }, {
        raw: msg.source, source: 'imap', mailbox: fresh,
      });
      if (ingested.duplicate) result.duplicates++;
      else result.imported++;
    }
    // Only after the commit above: mark on the server, then record progress.
    if (fresh.imap_after_import === 'move' && fresh.imap_move_to) {
      await client.messageFlagsAdd(String(uid), [IMPORTED_KEYWORD], { uid: true });
      await client.messageMove(String(uid), fresh.imap_move_to, { uid: true });
    } else {
      await client.messageFlagsAdd(String(uid), ['\\Seen', IMPORTED_KEYWORD], { uid: true });
    }
    lastUid = uid;
    result.lastUid = uid;
    await q.saveImapProgress(deps.db, mailbox.id, { uidValidity, lastUid, error: null });
  }
  return result;
}

/** Connects, imports what is new in the mailbox's folder, and disconnects. */
export async function pollMailboxOnce(mailbox: MailboxRow, deps: ImapDeps): Promise<ImapPollResult> {
  let client: ImapFlow | undefined;
  try {
    client = await connectClient(mailbox, deps);
    const lock = await client.getMailboxLock(mailbox.imap_folder);
    try {
      return await importNew(client, mailbox, deps);
    } finally {
      lock.release();
    }
  } catch (err) {
    await q.saveImapError(deps.db, mailbox.id, err instanceof Error ? err.message : String(err));
    throw err;
  } finally {
    const c = client;
    if (c) await c.logout().catch(() => c.close());
  }
}

/** Keeps one IMAP connection per enabled mailbox, importing on new mail (IDLE) and on a timer. */
export class ImapPollers {
  private readonly running = new Map<string, { stop: () => void; done: Promise<void> }>();
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(private readonly deps: ImapDeps, private readonly options: { pollMs?: number; rescanMs?: number } = {}) {}

  /** Starts watching mailboxes; picks up added, changed and removed mailboxes on each rescan. */
  start(): void {
    const rescan = () => {
      void this.sync().catch((err: unknown) => this.deps.log?.('warn', 'imap rescan failed', { err: String(err) }));
    };
    rescan();
    this.timer = setInterval(rescan, this.options.rescanMs ?? 60_000);
    this.timer.unref();
  }

  private async sync(): Promise<void> {
    if (this.stopped) return;
    const rows = (await q.listMailboxes(this.deps.db)).filter((m) => m.imap_enabled && m.imap_host);
    const keyOf = (m: MailboxRow) => `${m.id}:${m.updated_at.getTime()}`;
    const wanted = new Set(rows.map(keyOf));
    for (const [key, w] of this.running) {
      if (!wanted.has(key)) {
        w.stop();
        this.running.delete(key);
      }
    }
    for (const m of rows) if (!this.running.has(keyOf(m))) this.running.set(keyOf(m), this.watch(m));
  }

  private watch(mailbox: MailboxRow): { stop: () => void; done: Promise<void> } {
    let active = true;
    let client: ImapFlow | undefined;
    let wake: (() => void) | undefined;
    const pollMs = this.options.pollMs ?? 60_000;
    const done = (async () => {
      let backoff = 5_000;
      while (active && !this.stopped) {
        client = undefined;
        try {
          // Between passes we send nothing, so IDLE can start almost at once.
          client = await connectClient(mailbox, this.deps, { autoIdleDelay: 1000 });
          client.on('exists', () => wake?.());
          await client.mailboxOpen(mailbox.imap_folder);
          backoff = 5_000;
          while (active && client.usable) {
            await importNew(client, mailbox, this.deps);
            if (!active) break;
            // imapflow IDLEs by itself while we wait; an EXISTS wakes us early.
            await new Promise<void>((resolve) => {
              wake = resolve;
              setTimeout(resolve, pollMs).unref();
            });
          }
        } catch (err) {
          const message = err instanceof Error ? err.message : String(err);
          this.deps.log?.('warn', 'imap polling failed; retrying', { mailbox: mailbox.address, err: message });
          await q.saveImapError(this.deps.db, mailbox.id, message).catch(() => {});
          if (active) {
            await new Promise<void>((resolve) => {
              wake = resolve;
              setTimeout(resolve, backoff).unref();
            });
          }
          backoff = Math.min(backoff * 2, 300_000);
        } finally {
          const c = client;
          if (c?.usable) await Promise.race([c.logout().catch(() => {}), new Promise((r) => setTimeout(r, 3000).unref())]);
          c?.close();
        }
      }
    })();
    return {
      stop: () => {
        active = false;
        wake?.();
        // A command in flight gets a moment to finish before the connection is cut.
        setTimeout(() => client?.close(), 5000).unref();
      },
      done,
    };
  }

  /** Stops every connection. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    const all = [...this.running.values()];
    for (const w of all) w.stop();
    await Promise.allSettled(all.map((w) => w.done));
    this.running.clear();
  }
}
