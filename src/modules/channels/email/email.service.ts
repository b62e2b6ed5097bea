/**
 * What agents and admins read from the email channel: attachments and raw .eml files of
 * messages, and the local outbox of mail kept on this machine when no relay is configured.
 */
import type { AttachmentMeta } from '../../../db/schema.ts';
import { BlobNotFoundError, type BlobStore } from '../../../blobs/blob-store.ts';
import { requireRole, type Ctx } from '../../../shared/context.ts';
import { notFound } from '../../../shared/errors.ts';
import * as q from './email.queries.ts';

/** Types a browser may show inline; everything else is served as a download. */
const INLINE_SAFE = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/bmp', 'application/pdf', 'text/plain', 'audio/mpeg', 'video/mp4']);

/** Whether an attachment of this type may be shown in the browser rather than downloaded. */
export function isInlineSafe(contentType: string): boolean {
  return INLINE_SAFE.has(contentType.toLowerCase());
}

async function readBlob(blobs: BlobStore, key: string | undefined | null, what: string): Promise<Buffer> {
  if (!key) throw notFound(what);
  try {
    return await blobs.get(key);
  } catch (err) {
    if (err instanceof BlobNotFoundError) throw notFound(what);
    throw err;
  }
}

/** One attachment of a message with its bytes (agents only). */
export async function getAttachment(ctx: Ctx, blobs: BlobStore, messageId: string, attachmentId: string): Promise<{ meta: AttachmentMeta; bytes: Buffer }> {
  requireRole(ctx, 'agent');
  const message = await q.findMessageForEmail(ctx.db, messageId);
  const meta = message?.attachments.find((a) => a.id === attachmentId);
  if (!meta) throw notFound('The attachment');
  return { meta, bytes: await readBlob(blobs, meta.blob_key, 'The attachment') };
}

/** The original email of a message as received or sent (agents only). */
export async function getRawEmail(ctx: Ctx, blobs: BlobStore, messageId: string): Promise<Buffer> {
  requireRole(ctx, 'agent');
  const message = await q.findMessageForEmail(ctx.db, messageId);
  if (!message) throw notFound('The message');
  const inboundKey = typeof message.metadata.raw_blob_key === 'string' ? message.metadata.raw_blob_key : null;
  if (inboundKey) return readBlob(blobs, inboundKey, 'The original email');
  const outbound = await q.findOutboundByMessage(ctx.db, messageId);
  return readBlob(blobs, outbound?.raw_blob_key, 'The original email');
}

/** An entry of the local outbox. */
export type OutboxEntry = Awaited<ReturnType<typeof q.listLocalOutbox>>[number];

/** Mail kept in the local outbox, newest first (admins). */
export async function listOutbox(ctx: Ctx, limit: number): Promise<OutboxEntry[]> {
  requireRole(ctx, 'admin');
  return q.listLocalOutbox(ctx.db, limit);
}

/** The bytes of one outbox email (admins). */
export async function getOutboxRaw(ctx: Ctx, blobs: BlobStore, id: string): Promise<Buffer> {
  requireRole(ctx, 'admin');
  const out = await q.findOutbound(ctx.db, id);
  if (!out) throw notFound('The outbox email');
  return readBlob(blobs, out.raw_blob_key, 'The outbox email');
}
