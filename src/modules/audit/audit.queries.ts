/**
 * The audit log: who changed what — authority grants (limit or budget set), approval requests,
 * approvals and refusals, playbook changes and agent changes. Written in the same
 * transaction as the change.
 */
import type { Executor } from '../../db/database.ts';
import type { ActorType } from '../../db/schema.ts';

/** One audit entry. */
export interface AuditEntry {
  storeId: string | null;
  actor: { type: ActorType; id: string | null; name: string | null };
  /** What happened: authority.limit_set, budget.set, approval.requested, approval.approved, approval.refused, playbook.created, agent.updated, … */
  action: string;
  subjectType: string;
  subjectId: string | null;
  data: Record<string, unknown>;
}

/** Appends one entry to the audit log. */
export async function insertAudit(db: Executor, e: AuditEntry): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      store_id: e.storeId, actor_type: e.actor.type, actor_id: e.actor.id, actor_name: e.actor.name, action: e.action,
      subject_type: e.subjectType, subject_id: e.subjectId, data: JSON.stringify(e.data),
    })
    .execute();
}

/** Audit entries, newest first, optionally for one store or one subject. */
export function listAudit(db: Executor, f: { storeId?: string | undefined; subjectType?: string | undefined; subjectId?: string | undefined; limit: number }) {
  let q = db.selectFrom('audit_log').selectAll().orderBy('id', 'desc').limit(f.limit);
  if (f.storeId) q = q.where('store_id', '=', f.storeId);
  if (f.subjectType) q = q.where('subject_type', '=', f.subjectType);
  if (f.subjectId) q = q.where('subject_id', '=', f.subjectId);
  return q.execute();
}
