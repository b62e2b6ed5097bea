/**
 * Inbound email, from raw bytes to a ticket message. `prepare.ts` first does all that needs no
 * database (parsing, blobs, reply extraction, sanitizing), on a worker thread when there is one;
 * then one transaction, under a per-sender lock, dedups (Message-ID, then same content from the
 * same sender in a short window), handles bounces and floods, threads the email, stores the
 * message, and logs the email with its outcome. The caller acknowledges the email (SMTP 250,
 * IMAP flag) only after this resolves, i.e. after commit.
 *
 * Round trips are what an email costs most on a busy server, so the transaction makes few: the
 * lock; one screening statement (repeat? count the sender; who is the sender); the threading
 * look-ups that apply; the ticket or message with its event in one statement (with its HTML and
 * inline image URLs, since the message id is made here); and the log row, written once at the end.
 */
import { randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { Executor } from '../../../db/database.ts';
import type { DB, InboundOutcome, MailboxRow } from '../../../db/schema.ts';
import type { BlobStore } from '../../../blobs/blob-store.ts';
import { inTransaction, type Ctx } from '../../../shared/context.ts';
import { textToHtml } from '../../../shared/html.ts';
import { addMessage, createTicket } from '../../tickets/tickets.service.ts';
import { insertTicketEvent } from '../../tickets/tickets.queries.ts';
import { createCustomerByEmail } from '../../customers/customers.service.ts';
import type { BounceReport } from './classify.ts';
import { inThreadPreparer, type EmailPreparer } from './prepare-pool.ts';
import type { PreparedEmail } from './prepare.ts';
import { cleanSubject, extractOrderNumbers, findThread } from './threading.ts';
import * as q from './email.queries.ts';

/** Test-only pauses that let a test kill the process at a precise moment. */
export interface IngestHooks {
  /** Inside the transaction, after every row is written, before COMMIT. */
  beforeCommit?(): Promise<void>;
}

/** What ingestion needs besides the database. */
export interface IngestDeps {
  blobs: BlobStore;
  /** Where emails are parsed and their blobs written (worker threads); the calling thread when absent. */
  preparer?: EmailPreparer | undefined;
  /** Attachments larger than this are not stored (the email is, flagged). */
  maxAttachmentBytes: number;
  /** Emails one sender may send per hour before the rest are held back. */
  senderHourlyLimit: number;
  /** Same content from the same sender within this window is one email. */
  dedupWindowMs?: number;
  hooks?: IngestHooks;
}

/** One email to take in. */
export interface IngestInput {
  raw: Buffer;
  source: 'smtp' | 'imap' | 'api';
  mailbox: MailboxRow;
  /** SMTP MAIL FROM ('' for the null sender of bounces). */
  envelopeFrom?: string | null | undefined;
}

/** What became of an email. */
export interface IngestResult {
  outcome: InboundOutcome;
  /** The email had been taken in before; nothing new was written. */
  duplicate: boolean;
  inboundId: string;
  ticketId: string | null;
  ticketNumber: number | null;
  messageId: string | null;
  createdTicket: boolean;
  /** The sender and their emails in the current hour, this one included (null when it was not counted). */
  sender: string | null;
  senderCount: number | null;
}

const DEFAULT_DEDUP_WINDOW_MS = 10 * 60_000;

/** Start of the rate-limit window an instant falls in (one hour). */
export function senderWindowStart(at = new Date()): Date {
  return new Date(Math.floor(at.getTime() / 3600_000) * 3600_000);
}

/**
 * Drops the senders' counts of finished hours (one row per sender and hour would otherwise grow
 * with every sender for ever). The current hour's counts stay: they are the rate limit.
 */
export function pruneSenderCounters(db: Executor, now = new Date()): Promise<number> {
  return q.deleteSenderCountersBefore(db, senderWindowStart(now));
}

/** Another transaction logged the same Message-ID first; the email is retried as a duplicate. */
class InboundRaceError extends Error {}

/** Applies a bounce: marks addresses undeliverable and the bounced message failed. */
async function applyBounce(trx: Transaction<DB>, storeId: string, bounce: BounceReport): Promise<Record<string, unknown>> {
  const reason = [bounce.status, bounce.diagnostic].filter(Boolean).join(' ').slice(0, 500) || 'delivery failed';
  const marked: string[] = [];
  if (bounce.permanent) {
    for (const rcpt of bounce.recipients) {
      const rows = await q.markIdentityUndeliverable(trx, storeId, rcpt, reason);
      if (rows.length > 0) marked.push(rcpt);
    }
  }
  let ticketId: string | null = null;
  if (bounce.originalMessageId) {
    const rows = await q.findTicketsByExternalIds(trx, storeId, [bounce.originalMessageId]);
    const ours = rows.find((r) => r.kind === 'outbound');
    if (ours) {
      ticketId = ours.id;
      if (bounce.permanent) await q.setMessageDelivery(trx, ours.message_id, 'failed', `Bounced: ${reason}`);
      await insertTicketEvent(trx, {
        ticketId: ours.id, actorType: 'system', actorId: null, type: 'email.bounced',
        data: { message_id: ours.message_id, recipients: bounce.recipients, status: bounce.status, diagnostic: bounce.diagnostic, permanent: bounce.permanent },
      });
    }
  }
  return { bounce: { recipients: bounce.recipients, status: bounce.status, diagnostic: bounce.diagnostic, permanent: bounce.permanent, marked_undeliverable: marked, ticket_id: ticketId } };
}

/** Takes in one email; resolves after commit. Never throws for what the email contains. */
export async function ingestEmail(ctx: Ctx, deps: IngestDeps, input: IngestInput): Promise<IngestResult> {
  // Made now: the message's HTML links its inline images under this id.
  const messageId = randomUUID();
  const preparer = deps.preparer ?? inThreadPreparer(deps.blobs);
  const prepared = await preparer.prepare(input.raw, { maxAttachmentBytes: deps.maxAttachmentBytes, envelopeFrom: input.envelopeFrom, messageId });
  try {
    return await inTransaction(ctx, (tx) => storeEmail(tx, deps, input, prepared, messageId));
  } catch (err) {
    // Inside a caller's transaction, only the caller can roll back: let it fail.
    if (!(err instanceof InboundRaceError) || ctx.db.isTransaction) throw err;
    // Rolled back; the second pass finds the email that won and answers as a duplicate.
    return inTransaction(ctx, (tx) => storeEmail(tx, deps, input, prepared, messageId));
  }
}

/** The transaction: dedup, bounce, loop and flood checks, threading, the message, the log row. */
async function storeEmail(tx: Ctx, deps: IngestDeps, input: IngestInput, prepared: PreparedEmail, newMessageId: string): Promise<IngestResult> {
  if (!tx.db.isTransaction) throw new Error('ingest needs a transaction');
  const trx = tx.db as Transaction<DB>;
  const { email, attachments, problems, bounce, automated, body } = prepared;
  const sender = email.from?.address || input.envelopeFrom?.toLowerCase() || null;
  const storeId = input.mailbox.store_id;
  const windowMs = deps.dedupWindowMs ?? DEFAULT_DEDUP_WINDOW_MS;
  const isLoop = sender !== null && sender === input.mailbox.address;

  await q.lockSender(trx, sender ?? '');
  // Under the sender's lock, one round trip: is it a repeat; if not, count it (unless it is a
  // bounce or our own mail coming back); and who is the sender.
  const screen = await q.screenInbound(trx, {
    storeId, messageIdHeader: email.messageId, sender, hash: prepared.hash, since: new Date(Date.now() - windowMs),
    countSender: !bounce && sender !== null && !isLoop, windowStart: senderWindowStart(),
  });
  const prev = screen.duplicate;
  if (prev) {
    return {
      outcome: prev.outcome, duplicate: true, inboundId: prev.id, ticketId: prev.ticket_id, ticketNumber: null, messageId: prev.message_id, createdTicket: false,
      sender, senderCount: null,
    };
  }

  const inboundId = randomUUID();
  const detail: Record<string, unknown> = { subject: email.subject.slice(0, 300), problems };
  const finish = async (outcome: InboundOutcome, extra: Record<string, unknown> = {}, ticket?: { id: string; number: number; messageId: string; created: boolean }) => {
    const logged = await q.insertInbound(trx, {
      id: inboundId, storeId, mailboxId: input.mailbox.id, source: input.source, messageIdHeader: email.messageId, sender, contentHash: prepared.hash,
      rawBlobKey: prepared.rawKey, size: input.raw.length, outcome, ticketId: ticket?.id ?? null, messageId: ticket?.messageId ?? null, detail: { ...detail, ...extra },
    });
    if (!logged) throw new InboundRaceError('the same Message-ID was stored concurrently');
    await deps.hooks?.beforeCommit?.();
    return {
      outcome, duplicate: false, inboundId, ticketId: ticket?.id ?? null, ticketNumber: ticket?.number ?? null, messageId: ticket?.messageId ?? null,
      createdTicket: ticket?.created ?? false, sender, senderCount: screen.count,
    } satisfies IngestResult;
  };

  if (bounce) return finish('bounce', await applyBounce(trx, storeId, bounce));
  if (!sender) return finish('ignored', { reason: 'no sender address' });
  if (isLoop) return finish('ignored', { reason: 'sent by this mailbox (loop)' });
  if ((screen.count ?? 0) > deps.senderHourlyLimit) return finish('rate_limited', { reason: `more than ${deps.senderHourlyLimit} emails this hour` });
  const identity = screen.identity;
  const senderCustomerId = identity?.customerId ?? null;
  const thread = await findThread(trx, storeId, email, senderCustomerId);
  const text = body.text || (attachments.length > 0 ? '(attachments only)' : '(empty message)');
  const metadata: Record<string, unknown> = {
    email: {
      from: email.from, to: email.to, cc: email.cc, reply_to: email.replyTo, subject: email.subject, message_id: email.messageId,
      in_reply_to: email.inReplyTo, references: email.references.slice(-20), date: email.date?.toISOString() ?? null,
      source: input.source, mailbox_id: input.mailbox.id, inbound_email_id: inboundId,
    },
    raw_blob_key: prepared.rawKey,
    no_auto_reply: automated.noAutoReply,
    ...(automated.noAutoReply ? { automated: { kind: automated.kind, reasons: automated.reasons } } : {}),
    ...(problems.length ? { problems } : {}),
    ...(body.quotedRemoved ? { quoted_removed: true, full_text: body.full.slice(0, 200_000) } : {}),
    ...(thread ? { threaded_by: thread.via } : {}),
  };
  // Sanitized while preparing, with inline images pointing at this message's attachment URLs.
  const safeHtml = prepared.html ? prepared.html.html || textToHtml(text) : undefined;
  const at = new Date();
  let ticket: { id: string; number: number; messageId: string; created: boolean };
  if (thread && thread.status !== 'closed') {
    // The ticket's customer wrote (not someone else in the thread): the message is theirs.
    const fromTicketCustomer = Boolean(email.from) && senderCustomerId === thread.customerId;
    const actorCtx: Ctx = { ...tx, actor: fromTicketCustomer ? { type: 'customer', customerId: thread.customerId } : tx.actor };
    const added = await addMessage(actorCtx, thread.ticketId, { id: newMessageId, body: text, safeHtml, attachments, externalId: email.messageId, metadata, at });
    ticket = { id: added.ticketId, number: added.number, messageId: added.messageId, created: false };
  } else {
    const subject = cleanSubject(email.subject) || (body.text.split('\n')[0] ?? '').slice(0, 80) || '(no subject)';
    // Looked up above, under the sender's lock: an unknown address is a new customer.
    const customerId = senderCustomerId ?? (await createCustomerByEmail(tx, storeId, sender, email.from?.name)).id;
    const created = await createTicket(tx, {
      subject,
      customer: { email: sender, name: email.from?.name ?? undefined, id: customerId },
      message: { id: newMessageId, body: text, safeHtml, attachments, externalId: email.messageId, metadata },
      channel: 'email',
      // The mailbox row names its store (a foreign key): no need to look it up again.
      knownStoreId: storeId,
      orderNumbers: extractOrderNumbers(email.subject, body.text),
      followUpOfId: thread?.ticketId ?? null,
      at,
    });
    ticket = { id: created.id, number: created.number, messageId: created.messageId, created: true };
  }
  // The customer writes again from an address mail to which had bounced: it works after all.
  if (identity?.undeliverable) await q.clearIdentityUndeliverable(trx, storeId, sender);
  return finish('message', { threaded_by: thread?.via ?? null, automated: automated.noAutoReply }, ticket);
}
