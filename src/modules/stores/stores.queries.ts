/**
 * SQL for stores (brands). Every ticket and customer belongs to one store.
 */
import type { Executor } from '../../db/database.ts';

/** The first store created: where tickets go when no store is named. */
export function findDefaultStore(db: Executor) {
  return db.selectFrom('stores').selectAll().orderBy('created_at').orderBy('id').limit(1).executeTakeFirst();
}

/** One store by id. */
export function findStoreById(db: Executor, id: string) {
  return db.selectFrom('stores').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Inserts a store. */
export function insertStore(db: Executor, s: { name: string; slug: string; timezone?: string; currency?: string }) {
  return db.insertInto('stores').values(s).returningAll().executeTakeFirstOrThrow();
}
