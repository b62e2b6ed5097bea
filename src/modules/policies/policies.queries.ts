/**
 * SQL for store policies: the immutable versions of each store's policy document, and the
 * product facts (category, tags) the built-in store keeps for matching policy exceptions.
 */
import type { Executor } from '../../db/database.ts';

/** The active (newest) version's number and id, or undefined when the store never saved one. */
export function findLatestPolicyVersionNumber(db: Executor, storeId: string) {
  return db.selectFrom('store_policy_versions').select(['id', 'version']).where('store_id', '=', storeId).orderBy('version', 'desc').limit(1).executeTakeFirst();
}

/** One version in full. */
export function findPolicyVersion(db: Executor, storeId: string, version: number) {
  return db.selectFrom('store_policy_versions').selectAll().where('store_id', '=', storeId).where('version', '=', version).executeTakeFirst();
}

/** The newest version in full. */
export function findLatestPolicyVersion(db: Executor, storeId: string) {
  return db.selectFrom('store_policy_versions').selectAll().where('store_id', '=', storeId).orderBy('version', 'desc').limit(1).executeTakeFirst();
}

/** Every version of a store's policy, newest first. */
export function listPolicyVersions(db: Executor, storeId: string, limit: number) {
  return db.selectFrom('store_policy_versions').selectAll().where('store_id', '=', storeId).orderBy('version', 'desc').limit(limit).execute();
}

/** Appends a version; the unique (store_id, version) key refuses a second save of the same number. */
export function insertPolicyVersion(
  db: Executor,
  v: { storeId: string; version: number; document: Record<string, unknown>; summary: string; changes: string[]; changeNote: string; createdBy: string | null; createdByName: string },
) {
  return db
    .insertInto('store_policy_versions')
    .values({
      store_id: v.storeId, version: v.version, document: JSON.stringify(v.document), summary: v.summary, changes: JSON.stringify(v.changes),
      change_note: v.changeNote, created_by: v.createdBy, created_by_name: v.createdByName,
    })
    .onConflict((oc) => oc.columns(['store_id', 'version']).doNothing())
    .returningAll()
    .executeTakeFirst();
}

/** Product id, category and tags of the built-in store's variants, by SKU. */
export function findBuiltinProductFacts(db: Executor, storeId: string, skus: readonly string[]) {
  if (skus.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('shop_variants as v')
    .innerJoin('shop_products as p', 'p.id', 'v.product_id')
    .select(['v.sku', 'p.id as product_id', 'p.category', 'p.tags'])
    .where('v.store_id', '=', storeId)
    .where('v.sku', 'in', [...skus])
    .execute();
}
