/**
 * Outbound email through a transactional outbox. An agent's reply on an email ticket writes,
 * in the reply's own transaction, the message's Message-ID, an outbound_emails row and an
 * `email.send` job. The job composes the email once (kept in the blob store, so a retry sends the
 * same bytes with the same Message-ID) and hands it to the mailbox's relay, or keeps it in the
 * local outbox when no relay is configured (the demo). 5xx answers fail at once, everything
 * else is retried with backoff; the message shows queued / sent / failed with the reason.
 */
import { randomUUID } from 'node:crypto';
import nodemailer from 'nodemailer';
import MailComposer from 'nodemailer/lib/mail-composer';
import DKIM from 'nodemailer/lib/dkim';
import type { BlobStore } from '../../../blobs/blob-store.ts';
import type { MailboxRow } from '../../../db/schema.ts';
import { emitLive, type Ctx } from '../../../shared/context.ts';
import { AppError, notFound } from '../../../shared/errors.ts';
import { enqueueJob, requeueJob } from '../../../jobs/jobs.service.ts';
import { PermanentJobError, type JobHandler } from '../../../jobs/job-worker.ts';
import type { OutboundReply } from '../channel-registry.ts';
import { mailboxSecrets } from './mailboxes.service.ts';
import { ticketToken } from './threading.ts';
import * as q from './email.queries.ts';

/** The job queue outbound email runs on. */
export const EMAIL_SEND_QUEUE = 'email.send';

/** From address used when a store has no mailbox yet (mail stays in the local outbox). */
export const FALLBACK_FROM = 'support@storedesk.localhost';

/** Subject of a reply: the ticket's subject with Re: and the ticket token, once each. */
export function replySubject(subject: string, number: number): string {
  const token = ticketToken(number);
  const base = subject.replace(/\s*\[#\d{1,9}\]\s*/g, ' ').trim();
  const re = /^re:/i.test(base) ? base : `Re: ${base}`;
  return `${re} ${token}`;
}

function idempotencyKey(messageId: string): string {
  return `${EMAIL_SEND_QUEUE}:${messageId}`;
}

/**
 * Queues the email for an agent's reply; runs inside the reply's transaction (registered as the
 * email channel's onAgentReply), so the reply and its outbox row commit or roll back together.
 */
export async function queueReplyEmail(ctx: Ctx, reply: OutboundReply): Promise<void> {
  const db = ctx.db;
  const message = await q.findMessageForEmail(db, reply.messageId);
  if (!message) throw notFound('The message');
  const mailboxId = await q.findTicketMailboxId(db, reply.ticketId);
  const mailbox = (mailboxId ? await q.findMailbox(db, mailboxId) : undefined) ?? (await q.findDefaultMailbox(db, reply.storeId));
  const from = mailbox?.address ?? FALLBACK_FROM;
  const domain = from.split('@')[1] ?? 'storedesk.localhost';
  // Fixed before anything is sent: a resend after a crash is the same email.
  const messageIdHeader = `${randomUUID()}@${domain}`;
  await q.setMessageExternalId(db, message.id, messageIdHeader);
  const to = await q.findCustomerEmail(db, reply.customerId);
  if (!to) {
    await q.setMessageDelivery(db, message.id, 'failed', 'The customer has no email address.');
    return;
  }
  const thread = await q.ticketThreadIds(db, reply.ticketId, message.id);
  const outbound = await q.insertOutbound(db, {
    messageId: message.id, ticketId: reply.ticketId, mailboxId: mailbox?.id ?? null, messageIdHeader, from, to: to.value,
    subject: replySubject(message.ticket_subject, reply.ticketNumber),
  });
  if (to.undeliverable_at) {
    // Mail to this address bounced before: do not send blindly; the agent can retry on purpose.
    const error = `Not sent: ${to.value} bounced earlier (${to.undeliverable_reason ?? 'undeliverable'}). Retry to send anyway.`;
    await q.updateOutbound(db, outbound.id, { status: 'failed', lastError: error });
    await q.setMessageDelivery(db, message.id, 'failed', error);
    return;
  }
  await enqueueJob(ctx, {
    queue: EMAIL_SEND_QUEUE,
    payload: { outbound_id: outbound.id, in_reply_to: thread.lastInbound, references: [...thread.ids.slice(0, 1), ...thread.ids.slice(1).slice(-29)] },
    idempotencyKey: idempotencyKey(message.id),
    maxAttempts: 8,
  });
}

/** Sends a failed email again, from its first attempt. */
export async function retryMessageDelivery(ctx: Ctx, messageId: string): Promise<void> {
  const outbound = await q.findOutboundByMessage(ctx.db, messageId);
  if (!outbound) throw new AppError('conflict', 'This message has no outbound email to retry.');
  if (outbound.status !== 'failed') throw new AppError('conflict', `This email is ${outbound.status}; only a failed email can be retried.`);
  await q.updateOutbound(ctx.db, outbound.id, { status: 'queued', lastError: null });
  await q.setMessageDelivery(ctx.db, messageId, 'queued', null);
  if (!(await requeueJob(ctx, idempotencyKey(messageId)))) {
    const thread = await q.ticketThreadIds(ctx.db, outbound.ticket_id, messageId);
    await enqueueJob(ctx, {
      queue: EMAIL_SEND_QUEUE,
      payload: { outbound_id: outbound.id, in_reply_to: thread.lastInbound, references: [...thread.ids.slice(0, 1), ...thread.ids.slice(1).slice(-29)] },
      idempotencyKey: `${idempotencyKey(messageId)}:${Date.now()}`,
    });
  }
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** What the send handler needs besides the database. */
export interface OutboundDeps {
  blobs: BlobStore;
  secretKey: Buffer;
  /** Connection, greeting and socket timeout for relays, in ms. */
  smtpTimeoutMs?: number;
}

/** Builds the email's bytes: threaded headers, text and HTML parts, signature, attachments. */
async function composeRaw(
  deps: OutboundDeps,
  out: NonNullable<Awaited<ReturnType<typeof q.findOutbound>>>,
  message: NonNullable<Awaited<ReturnType<typeof q.findMessageForEmail>>>,
  mailbox: MailboxRow | undefined,
  thread: { inReplyTo: string | null; references: string[] },
): Promise<Buffer> {
  const signature = mailbox?.signature?.trim();
  const text = signature ? `${message.body_text}\n\n-- \n${signature}` : message.body_text;
  const bodyHtml = message.body_html ?? `<p>${escapeHtml(message.body_text)}</p>`;
  const html = signature ? `${bodyHtml}<div class="signature"><br>-- <br>${escapeHtml(signature).replace(/\n/g, '<br>')}</div>` : bodyHtml;
  const attachments = [];
  for (const a of message.attachments) {
    if (!a.blob_key) continue;
    attachments.push({ filename: a.filename, contentType: a.content_type, content: await deps.blobs.get(a.blob_key), ...(a.content_id ? { cid: a.content_id } : {}) });
  }
  const composer = new MailComposer({
    from: { name: mailbox?.display_name ?? '', address: out.from_address },
    to: out.to_address,
    subject: out.subject,
    messageId: `<${out.message_id_header}>`,
    ...(thread.inReplyTo ? { inReplyTo: `<${thread.inReplyTo}>` } : {}),
    ...(thread.references.length ? { references: thread.references.map((r) => `<${r}>`) } : {}),
    date: message.created_at,
    text,
    html: `<!doctype html><html><body>${html}</body></html>`,
    attachments,
    headers: { 'X-Storedesk-Ticket': String(message.ticket_number) },
  });
  const raw = await composer.compile().build();
  const secrets = mailbox ? mailboxSecrets(mailbox, deps.secretKey) : null;
  if (!mailbox?.dkim_domain || !mailbox.dkim_selector || !secrets?.dkimPrivateKey) return raw;
  // Signed once here and stored, so a resend carries the very same signature.
  const signer = new DKIM({ domainName: mailbox.dkim_domain, keySelector: mailbox.dkim_selector, privateKey: secrets.dkimPrivateKey });
  const chunks: Buffer[] = [];
  for await (const chunk of signer.sign(raw)) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string));
  return Buffer.concat(chunks);
}

function transportFor(mailbox: MailboxRow, deps: OutboundDeps) {
  const secrets = mailboxSecrets(mailbox, deps.secretKey);
  const timeout = deps.smtpTimeoutMs ?? 30_000;
  return nodemailer.createTransport({
    host: mailbox.smtp_host ?? undefined,
    port: mailbox.smtp_port ?? 587,
    secure: mailbox.smtp_security === 'tls',
    requireTLS: mailbox.smtp_security === 'starttls',
    ignoreTLS: mailbox.smtp_security === 'none',
    ...(mailbox.smtp_user && secrets.smtpPassword ? { auth: { user: mailbox.smtp_user, pass: secrets.smtpPassword } } : {}),
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
  });
}

/** A short, secret-free description of a send error. */
function describeError(err: unknown): { text: string; permanent: boolean } {
  const e = err as { responseCode?: number; response?: string; code?: string; message?: string };
  if (typeof e.responseCode === 'number') {
    return { text: (e.response ?? `${e.responseCode} ${e.message ?? ''}`).slice(0, 500), permanent: e.responseCode >= 500 && e.responseCode < 600 };
  }
  return { text: `${e.code ? `${e.code}: ` : ''}${e.message ?? String(err)}`.slice(0, 500), permanent: false };
}

/** The job handler that sends outbound email. */
export function emailSendHandler(deps: OutboundDeps): JobHandler {
  const notify = async (ctx: Ctx, messageId: string) => {
    const m = await q.findMessageForEmail(ctx.db, messageId);
    if (m) emitLive(ctx, { type: 'ticket.updated', ticketId: m.ticket_id, number: m.ticket_number, changes: ['delivery'] });
  };
  const outboundOf = async (ctx: Ctx, payload: Record<string, unknown>) =>
    typeof payload.outbound_id === 'string' ? q.findOutbound(ctx.db, payload.outbound_id) : undefined;
  return {
    queue: EMAIL_SEND_QUEUE,
    leaseSeconds: 180,
    backoffMs: (attempt) => Math.min(3600_000, 10_000 * 2 ** (attempt - 1)),
    async run(ctx, job) {
      const out = await outboundOf(ctx, job.payload);
      if (!out || out.status === 'sent') return;
      const message = await q.findMessageForEmail(ctx.db, out.message_id);
      if (!message) return;
      const mailbox = out.mailbox_id ? await q.findMailbox(ctx.db, out.mailbox_id) : undefined;
      await q.updateOutbound(ctx.db, out.id, { status: 'sending', bumpAttempts: true });
      let raw: Buffer;
      if (out.raw_blob_key) {
        raw = await deps.blobs.get(out.raw_blob_key);
      } else {
        const inReplyTo = typeof job.payload.in_reply_to === 'string' ? job.payload.in_reply_to : null;
        const references = Array.isArray(job.payload.references) ? job.payload.references.filter((r): r is string => typeof r === 'string') : [];
        raw = await composeRaw(deps, out, message, mailbox, { inReplyTo, references });
        await q.updateOutbound(ctx.db, out.id, { rawBlobKey: (await deps.blobs.put(raw)).key });
      }
      if (!mailbox?.smtp_host) {
        await q.updateOutbound(ctx.db, out.id, { status: 'sent', transport: 'local', sent: true, lastError: null, smtpResponse: 'kept in the local outbox (no relay configured)' });
        await q.setMessageDelivery(ctx.db, out.message_id, 'sent', null);
        await notify(ctx, out.message_id);
        return;
      }
      const transport = transportFor(mailbox, deps);
      try {
        const info = await transport.sendMail({ envelope: { from: mailbox.address, to: [out.to_address] }, raw });
        await q.updateOutbound(ctx.db, out.id, { status: 'sent', transport: 'smtp', sent: true, lastError: null, smtpResponse: String(info.response ?? '').slice(0, 500) });
        await q.setMessageDelivery(ctx.db, out.message_id, 'sent', null);
        await notify(ctx, out.message_id);
      } catch (err) {
        const d = describeError(err);
        if (d.permanent) throw new PermanentJobError(d.text);
        throw new Error(d.text);
      } finally {
        transport.close();
      }
    },
    async onRetry(ctx, job, error, nextRunAt) {
      const out = await outboundOf(ctx, job.payload);
      if (!out) return;
      await q.updateOutbound(ctx.db, out.id, { status: 'queued', lastError: error });
      await q.setMessageDelivery(ctx.db, out.message_id, 'queued', `Attempt ${job.attempt} failed (${error}); retrying at ${nextRunAt.toISOString()}.`);
      await notify(ctx, out.message_id);
    },
    async onFailed(ctx, job, error) {
      const out = await outboundOf(ctx, job.payload);
      if (!out) return;
      await q.updateOutbound(ctx.db, out.id, { status: 'failed', lastError: error });
      await q.setMessageDelivery(ctx.db, out.message_id, 'failed', error);
      await notify(ctx, out.message_id);
    },
  };
}
