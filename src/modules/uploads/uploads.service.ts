/**
 * Agents' uploads: a file goes to the blob store first (its type read from its bytes), then a
 * reply or note names it by id to attach it. An upload can be attached only by the agent who
 * uploaded it, within a day; it is copied into the message's attachment list, so the message
 * keeps its files whatever happens to the upload later.
 */
import { randomBytes } from 'node:crypto';
import type { AttachmentMeta } from '../../db/schema.ts';
import type { BlobStore } from '../../blobs/blob-store.ts';
import { detectContentType, safeFilename } from '../../blobs/content-type.ts';
import { actorAgentId, requireRole, type Ctx } from '../../shared/context.ts';
import { AppError } from '../../shared/errors.ts';
import * as q from './uploads.queries.ts';

/** How long an upload can be attached after it was uploaded. */
export const UPLOAD_TTL_MS = 24 * 3600_000;
/** The most files one message can carry. */
export const MAX_ATTACHMENTS_PER_MESSAGE = 10;

/** An upload as the API shows it. */
export interface Upload {
  id: string;
  filename: string;
  contentType: string;
  size: number;
  createdAt: Date;
}

function agentOf(ctx: Ctx): string {
  requireRole(ctx, 'agent');
  const agentId = actorAgentId(ctx.actor);
  if (!agentId) throw new AppError('forbidden', 'Only agents upload attachments.');
  return agentId;
}

/** Stores an uploaded file. */
export async function createUpload(ctx: Ctx, blobs: BlobStore, file: { filename: string; declaredType: string; bytes: Buffer; maxBytes: number }): Promise<Upload> {
  const agentId = agentOf(ctx);
  if (file.bytes.length === 0) throw new AppError('validation_failed', 'The file is empty.', { errors: [{ field: 'body', message: 'is empty' }] });
  if (file.bytes.length > file.maxBytes) {
    throw new AppError('payload_too_large', `The file is ${(file.bytes.length / 1048576).toFixed(1)} MB; attachments can be at most ${(file.maxBytes / 1048576).toFixed(0)} MB.`);
  }
  const blob = await blobs.put(file.bytes);
  const row = await q.insertUpload(ctx.db, {
    agentId, blobKey: blob.key, filename: safeFilename(file.filename), contentType: await detectContentType(file.bytes, file.declaredType), size: file.bytes.length,
  });
  return { id: row.id, filename: row.filename, contentType: row.content_type, size: row.size, createdAt: row.created_at };
}

/**
 * The attachments a message gets from upload ids: each must be the acting agent's own, recent
 * upload; otherwise 400 naming the id (nothing is sent).
 */
export async function attachmentsFromUploads(ctx: Ctx, ids: readonly string[]): Promise<AttachmentMeta[]> {
  if (ids.length === 0) return [];
  const agentId = agentOf(ctx);
  const unique = [...new Set(ids)];
  if (unique.length > MAX_ATTACHMENTS_PER_MESSAGE) {
    throw new AppError('validation_failed', `A message can carry at most ${MAX_ATTACHMENTS_PER_MESSAGE} files.`, { errors: [{ field: 'attachment_ids', message: `more than ${MAX_ATTACHMENTS_PER_MESSAGE}` }] });
  }
  const rows = await q.findAgentUploads(ctx.db, agentId, unique, new Date(Date.now() - UPLOAD_TTL_MS));
  const byId = new Map(rows.map((r) => [r.id, r]));
  const missing = unique.filter((id) => !byId.has(id));
  if (missing.length > 0) {
    throw new AppError('validation_failed', 'Some attachments are not available: upload the files again.', {
      errors: missing.map((id) => ({ field: 'attachment_ids', message: `${id} is not an upload of yours from the last 24 hours` })),
    });
  }
  return unique.map((id) => {
    const r = byId.get(id)!;
    return { id: randomBytes(8).toString('hex'), filename: r.filename, content_type: r.content_type, size: r.size, blob_key: r.blob_key };
  });
}
