/** SQL for playbooks: the standard remedy per kind of problem, per store. */
import type { Executor } from '../../db/database.ts';

/** A store's playbooks in the order managers put them. */
export function listPlaybooks(db: Executor, storeId: string, onlyActive = false) {
  let q = db.selectFrom('playbooks').selectAll().where('store_id', '=', storeId);
  if (onlyActive) q = q.where('is_active', '=', true);
  return q.orderBy('position').orderBy('created_at').execute();
}

/** One playbook row. */
export type PlaybookRow = Awaited<ReturnType<typeof listPlaybooks>>[number];

/** One playbook. */
export function findPlaybook(db: Executor, id: string) {
  return db.selectFrom('playbooks').selectAll().where('id', '=', id).executeTakeFirst();
}

/** How many playbooks a store has. */
export async function countPlaybooks(db: Executor, storeId: string): Promise<number> {
  const row = await db.selectFrom('playbooks').select((eb) => eb.fn.countAll<number>().as('n')).where('store_id', '=', storeId).executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** The columns a playbook is written with. */
export interface PlaybookValues {
  problemKind: string;
  name: string;
  description: string;
  keywords: string[];
  conditions: Record<string, unknown>;
  remedies: Record<string, unknown>[];
  returnRequired: boolean;
  isActive: boolean;
  position: number;
}

function columns(v: PlaybookValues, by: string | null) {
  return {
    problem_kind: v.problemKind, name: v.name, description: v.description, keywords: v.keywords, conditions: JSON.stringify(v.conditions),
    remedies: JSON.stringify(v.remedies), return_required: v.returnRequired, is_active: v.isActive, position: v.position, updated_by: by,
  };
}

/** Adds a playbook. */
export function insertPlaybook(db: Executor, storeId: string, v: PlaybookValues, by: string | null) {
  return db.insertInto('playbooks').values({ store_id: storeId, ...columns(v, by) }).returningAll().executeTakeFirstOrThrow();
}

/** Replaces a playbook's contents. */
export function updatePlaybookRow(db: Executor, id: string, v: PlaybookValues, by: string | null) {
  return db.updateTable('playbooks').set({ ...columns(v, by), updated_at: new Date() }).where('id', '=', id).returningAll().executeTakeFirst();
}

/** Removes a playbook (actions taken under it keep its id and problem kind). */
export async function deletePlaybookRow(db: Executor, id: string) {
  await db.deleteFrom('playbooks').where('id', '=', id).execute();
}

/** The actions storedesk took (or asked a manager for) on one order of a store, oldest first. */
export function listGivenOrderActions(db: Executor, storeId: string, orderNumber: string) {
  return db
    .selectFrom('order_actions')
    .select(['action', 'params', 'status', 'actor_name', 'created_at', 'completed_at'])
    .where('store_id', '=', storeId)
    .where('order_number', '=', orderNumber)
    .where('status', 'in', ['succeeded', 'awaiting_approval'])
    .orderBy('created_at')
    .execute();
}
