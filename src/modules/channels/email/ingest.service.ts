/**
 * Inbound email, from raw bytes to a ticket message, in one transaction. The raw .eml and the
 * attachments go to the blob store first (content-addressed, so a retry rewrites nothing); then
 * one transaction dedups (Message-ID, then same content from the same sender in a short window),
 * handles bounces and floods, threads the email, stores the message, and logs the email with
 * its outcome. The caller acknowledges the email (SMTP 250, IMAP flag) only after this
 * resolves, i.e. after commit.
 *
 * Round trips are what an email costs most on a busy server, so the transaction makes few: one
 * dedup query; the sender's rate count together with the look-up of their customer (used for
 * threading, for the author, and to know whether an undeliverable mark needs clearing); and the
 * log row written once, at the end.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { AttachmentMeta, DB, InboundOutcome, MailboxRow } from '../../../db/schema.ts';
import type { BlobStore } from '../../../blobs/blob-store.ts';
import { detectContentType, safeFilename } from '../../../blobs/content-type.ts';
import { inTransaction, type Ctx } from '../../../shared/context.ts';
import { htmlToText, sanitizeMessageHtml, textToHtml } from '../../../shared/html.ts';
import { addMessage, createTicket } from '../../tickets/tickets.service.ts';
import { insertTicketEvent } from '../../tickets/tickets.queries.ts';
import { attachmentUrl } from '../../tickets/tickets.schema.ts';
import { createCustomerByEmail } from '../../customers/customers.service.ts';
import { classifyAutomated, detectBounce, type BounceReport } from './classify.ts';
import { contentHash, parseEmail, type ParsedEmail } from './mime.ts';
import { extractReplyHtml, extractReplyText } from './reply-extract.ts';
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
}

const DEFAULT_DEDUP_WINDOW_MS = 10 * 60_000;

/** Start of the rate-limit window an instant falls in (one hour). */
export function senderWindowStart(at = new Date()): Date {
  return new Date(Math.floor(at.getTime() / 3600_000) * 3600_000);
}

/** Stores attachments in the blob store (all at once), with the content type read from the bytes. */
async function storeAttachments(email: ParsedEmail, deps: IngestDeps, problems: string[]): Promise<AttachmentMeta[]> {
  const kept = email.attachments.filter((a) => {
    if (a.content.length <= deps.maxAttachmentBytes) return true;
    problems.push(`attachment_too_large: ${a.filename}`);
    return false;
  });
  return Promise.all(
    kept.map(async (a): Promise<AttachmentMeta> => {
      const [blob, contentType] = await Promise.all([deps.blobs.put(a.content), detectContentType(a.content, a.contentType)]);
      return {
        id: randomBytes(8).toString('hex'),
        filename: safeFilename(a.filename),
        content_type: contentType,
        size: a.content.length,
        ...(a.inline ? { inline: true } : {}),
        ...(a.contentId ? { content_id: a.contentId } : {}),
        blob_key: blob.key,
      };
    }),
  );
}

/** Another transaction logged the same Message-ID first; the email is retried as a duplicate. */
class InboundRaceError extends Error {}

/** The new part of the email as text, and whether quoted history was removed. */
function replyText(email: ParsedEmail): { text: string; full: string; quotedRemoved: boolean } {
  const full = (email.text || (email.html ? htmlToText(email.html) : '')).replace(/\r\n/g, '\n').trim();
  const text = extractReplyText(full);
  return { text, full, quotedRemoved: text.trim() !== full };
}

/** Safe HTML of the new part, with inline images pointing at their attachment URLs. */
function replyHtml(email: ParsedEmail, messageId: string, attachments: AttachmentMeta[]): { html: string; blocked: number } | null {
  if (!email.html) return null;
  const byCid = new Map(attachments.filter((a) => a.content_id).map((a) => [a.content_id ?? '', a]));
  const resolveCid = (cid: string) => {
    const a = byCid.get(cid.replace(/^<|>$/g, ''));
    return a ? attachmentUrl(messageId, a) : undefined;
  };
  const cut = extractReplyHtml(email.html);
  let s = sanitizeMessageHtml(cut.html, { resolveCid });
  if (cut.cut && !htmlToText(s.html).trim() && !/<img/i.test(s.html)) s = sanitizeMessageHtml(email.html, { resolveCid });
  return { html: s.html, blocked: s.blockedRemoteImages };
}

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
  // Parsing and writing the raw .eml (with its fsync) overlap; attachments follow in parallel.
  const [email, raw] = await Promise.all([parseEmail(input.raw), deps.blobs.put(input.raw)]);
  const problems = [...email.problems];
  const attachments = await storeAttachments(email, deps, problems);
  const prepared: Prepared = { email, raw, attachments, problems };
  try {
    return await inTransaction(ctx, (tx) => storeEmail(tx, deps, input, prepared));
  } catch (err) {
    // Inside a caller's transaction, only the caller can roll back: let it fail.
    if (!(err instanceof InboundRaceError) || ctx.db.isTransaction) throw err;
    // Rolled back; the second pass finds the email that won and answers as a duplicate.
    return inTransaction(ctx, (tx) => storeEmail(tx, deps, input, prepared));
  }
}

interface Prepared {
  email: ParsedEmail;
  raw: { key: string };
  attachments: AttachmentMeta[];
  problems: string[];
}

/** The transaction: dedup, bounce, loop and flood checks, threading, the message, the log row. */
async function storeEmail(tx: Ctx, deps: IngestDeps, input: IngestInput, { email, raw, attachments, problems }: Prepared): Promise<IngestResult> {
  if (!tx.db.isTransaction) throw new Error('ingest needs a transaction');
  const trx = tx.db as Transaction<DB>;
  const sender = email.from?.address || input.envelopeFrom?.toLowerCase() || null;
  const hash = contentHash(email);
  const storeId = input.mailbox.store_id;
  const windowMs = deps.dedupWindowMs ?? DEFAULT_DEDUP_WINDOW_MS;

  await q.lockSender(trx, sender ?? '');
  const prev = await q.findDuplicateInbound(trx, { storeId, messageIdHeader: email.messageId, sender, hash, since: new Date(Date.now() - windowMs) });
  if (prev) {
    return { outcome: prev.outcome, duplicate: true, inboundId: prev.id, ticketId: prev.ticket_id, ticketNumber: null, messageId: prev.message_id, createdTicket: false };
  }

  const inboundId = randomUUID();
  const detail: Record<string, unknown> = { subject: email.subject.slice(0, 300), problems };
  const finish = async (outcome: InboundOutcome, extra: Record<string, unknown> = {}, ticket?: { id: string; number: number; messageId: string; created: boolean }) => {
    const logged = await q.insertInbound(trx, {
      id: inboundId, storeId, mailboxId: input.mailbox.id, source: input.source, messageIdHeader: email.messageId, sender, contentHash: hash,
      rawBlobKey: raw.key, size: input.raw.length, outcome, ticketId: ticket?.id ?? null, messageId: ticket?.messageId ?? null, detail: { ...detail, ...extra },
    });
    if (!logged) throw new InboundRaceError('the same Message-ID was stored concurrently');
    await deps.hooks?.beforeCommit?.();
    return {
      outcome, duplicate: false, inboundId, ticketId: ticket?.id ?? null, ticketNumber: ticket?.number ?? null, messageId: ticket?.messageId ?? null,
      createdTicket: ticket?.created ?? false,
    } satisfies IngestResult;
  };

  const bounce = detectBounce(email);
  if (bounce) return finish('bounce', await applyBounce(trx, storeId, bounce));
  if (!sender) return finish('ignored', { reason: 'no sender address' });
  if (sender === input.mailbox.address) return finish('ignored', { reason: 'sent by this mailbox (loop)' });
  const { count, identity } = await q.bumpSenderAndFindIdentity(trx, storeId, sender, senderWindowStart());
  if (count > deps.senderHourlyLimit) return finish('rate_limited', { reason: `more than ${deps.senderHourlyLimit} emails this hour` });
  const senderCustomerId = identity?.customerId ?? null;
  const thread = await findThread(trx, storeId, email, senderCustomerId);
  const automated = classifyAutomated(email, input.envelopeFrom);
  const body = replyText(email);
  const text = body.text || (attachments.length > 0 ? '(attachments only)' : '(empty message)');
  const metadata: Record<string, unknown> = {
    email: {
      from: email.from, to: email.to, cc: email.cc, reply_to: email.replyTo, subject: email.subject, message_id: email.messageId,
      in_reply_to: email.inReplyTo, references: email.references.slice(-20), date: email.date?.toISOString() ?? null,
      source: input.source, mailbox_id: input.mailbox.id, inbound_email_id: inboundId,
    },
    raw_blob_key: raw.key,
    no_auto_reply: automated.noAutoReply,
    ...(automated.noAutoReply ? { automated: { kind: automated.kind, reasons: automated.reasons } } : {}),
    ...(problems.length ? { problems } : {}),
    ...(body.quotedRemoved ? { quoted_removed: true, full_text: body.full.slice(0, 200_000) } : {}),
    ...(thread ? { threaded_by: thread.via } : {}),
  };
  const at = new Date();
  let ticket: { id: string; number: number; messageId: string; created: boolean };
  if (thread && thread.status !== 'closed') {
    // The ticket's customer wrote (not someone else in the thread): the message is theirs.
    const fromTicketCustomer = Boolean(email.from) && senderCustomerId === thread.customerId;
    const actorCtx: Ctx = { ...tx, actor: fromTicketCustomer ? { type: 'customer', customerId: thread.customerId } : tx.actor };
    const added = await addMessage(actorCtx, thread.ticketId, { body: text, attachments, externalId: email.messageId, metadata, at });
    ticket = { id: added.ticketId, number: added.number, messageId: added.messageId, created: false };
  } else {
    const subject = cleanSubject(email.subject) || (body.text.split('\n')[0] ?? '').slice(0, 80) || '(no subject)';
    // Looked up above, under the sender's lock: an unknown address is a new customer.
    const customerId = senderCustomerId ?? (await createCustomerByEmail(tx, storeId, sender, email.from?.name)).id;
    const created = await createTicket(tx, {
      subject,
      customer: { email: sender, name: email.from?.name ?? undefined, id: customerId },
      message: { body: text, attachments, externalId: email.messageId, metadata },
      channel: 'email',
      storeId,
      orderNumbers: extractOrderNumbers(email.subject, body.text),
      followUpOfId: thread?.ticketId ?? null,
      at,
    });
    ticket = { id: created.id, number: created.number, messageId: created.messageId, created: true };
  }
  const html = replyHtml(email, ticket.messageId, attachments);
  if (html) await q.setMessageHtml(trx, ticket.messageId, html.html || textToHtml(text));
  // The customer writes again from an address mail to which had bounced: it works after all.
  if (identity?.undeliverable) await q.clearIdentityUndeliverable(trx, storeId, sender);
  return finish('message', { threaded_by: thread?.via ?? null, automated: automated.noAutoReply }, ticket);
}
