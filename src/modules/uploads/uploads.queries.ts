/**
 * SQL for agents' uploads (files to attach to a reply or note).
 */
import type { Executor } from '../../db/database.ts';

/** Records an upload. */
export function insertUpload(db: Executor, u: { agentId: string; blobKey: string; filename: string; contentType: string; size: number }) {
  return db
    .insertInto('uploads')
    .values({ agent_id: u.agentId, blob_key: u.blobKey, filename: u.filename, content_type: u.contentType, size: u.size })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Uploads by id that belong to an agent and are younger than `since`. */
export function findAgentUploads(db: Executor, agentId: string, ids: readonly string[], since: Date) {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('uploads')
    .selectAll()
    .where('id', 'in', ids)
    .where('agent_id', '=', agentId)
    .where('created_at', '>', since)
    .execute();
}
