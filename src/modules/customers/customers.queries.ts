/**
 * SQL for customers and their identities (emails, phones, social handles).
 */
import { sql } from 'kysely';
import type { Executor } from '../../db/database.ts';
import { planPerCall } from '../../db/named-statements.ts';
import { likePrefix } from '../../db/sql.ts';
import type { IdentityKind } from '../../db/schema.ts';
import type { KeysetPosition } from '../../shared/cursor.ts';

/** The customer owning an identity in a store, following merges to the surviving customer. */
export function findCustomerByIdentity(db: Executor, storeId: string, kind: IdentityKind, value: string, provider = '') {
  return db
    .selectFrom('customer_identities')
    .innerJoin('customers', 'customers.id', 'customer_identities.customer_id')
    .select(['customers.id', 'customers.name', 'customers.merged_into_id'])
    .where('customer_identities.store_id', '=', storeId)
    .where('customer_identities.kind', '=', kind)
    .where('customer_identities.provider', '=', provider)
    .where('customer_identities.value', '=', value)
    .executeTakeFirst();
}

/** Inserts a customer. */
export function insertCustomer(db: Executor, c: { storeId: string; name: string | null }) {
  return db.insertInto('customers').values({ store_id: c.storeId, name: c.name }).returning(['id', 'name']).executeTakeFirstOrThrow();
}

/**
 * Inserts a customer with their primary email identity in one round trip. `identityAdded` is
 * false when the store already knows the address (another customer got it first); the new
 * customer row is then unused and the caller deletes it.
 */
export async function insertCustomerWithEmail(db: Executor, c: { storeId: string; name: string | null; email: string }) {
  const { rows } = await sql<{ id: string; identity_id: string | null }>`
    with c as (insert into customers (store_id, name) values (${c.storeId}, ${c.name}) returning id),
    i as (
      insert into customer_identities (store_id, customer_id, kind, provider, value, is_primary)
      select ${c.storeId}, c.id, 'email', '', ${c.email}, true from c
      on conflict (store_id, kind, provider, value) do nothing
      returning id
    )
    select c.id, (select id from i) as identity_id from c`.execute(db);
  const row = rows[0];
  if (!row) throw new Error('customer insert returned nothing');
  return { id: row.id, identityAdded: row.identity_id !== null };
}

/** Deletes a customer that was never used (lost a race to create the same identity). */
export async function deleteCustomer(db: Executor, id: string) {
  await db.deleteFrom('customers').where('id', '=', id).execute();
}

/** Adds an identity to a customer; does nothing if the store already knows it. */
export async function insertIdentity(
  db: Executor,
  i: { storeId: string; customerId: string; kind: IdentityKind; value: string; provider?: string; isPrimary?: boolean },
) {
  return db
    .insertInto('customer_identities')
    .values({
      store_id: i.storeId,
      customer_id: i.customerId,
      kind: i.kind,
      value: i.value,
      provider: i.provider ?? '',
      is_primary: i.isPrimary ?? false,
    })
    .onConflict((oc) => oc.columns(['store_id', 'kind', 'provider', 'value']).doNothing())
    .returning('id')
    .executeTakeFirst();
}

/** One customer row. */
export function findCustomerById(db: Executor, id: string) {
  return db.selectFrom('customers').select(['id', 'store_id', 'name', 'note', 'merged_into_id', 'created_at', 'updated_at']).where('id', '=', id).executeTakeFirst();
}

/** Locks two customers for a merge, in id order to avoid deadlocks. */
export function lockCustomers(trx: Executor & { isTransaction: true }, ids: string[]) {
  return trx.selectFrom('customers').select(['id', 'store_id', 'name', 'merged_into_id']).where('id', 'in', ids).orderBy('id').forUpdate().execute();
}

/** A customer's identities, primary first. */
export function listIdentities(db: Executor, customerIds: string[]) {
  if (customerIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('customer_identities')
    .select(['id', 'customer_id', 'kind', 'provider', 'value', 'is_primary', 'undeliverable_at', 'undeliverable_reason', 'created_at'])
    .where('customer_id', 'in', customerIds)
    .orderBy('is_primary', 'desc')
    .orderBy('created_at')
    .execute();
}

/** Customers page by page, newest first, optionally by email prefix or name words. */
export function listCustomers(db: Executor, f: { email?: string | undefined; q?: string | undefined; after?: KeysetPosition | undefined; limit: number }) {
  let query = db
    .selectFrom('customers')
    // Its best plan depends on the words given: planned each time, never kept prepared.
    .modifyFront(planPerCall)
    .select(['customers.id', 'customers.store_id', 'customers.name', 'customers.created_at', sql<string>`to_json(customers.created_at)#>>'{}'`.as('cursor_t')])
    .where('customers.merged_into_id', 'is', null);
  if (f.email) {
    const email = f.email.toLowerCase();
    query = query.where((eb) =>
      eb.exists(
        eb.selectFrom('customer_identities as ci')
          .select('ci.id')
          .whereRef('ci.customer_id', '=', 'customers.id')
          .where('ci.kind', '=', 'email')
          .where('ci.value', '=', email),
      ),
    );
  }
  if (f.q) {
    const q = f.q.trim();
    const prefix = likePrefix(q);
    query = query.where((eb) =>
      eb.or([
        eb(sql`customers.search_vector`, '@@', sql`websearch_to_tsquery('simple', ${q})`),
        eb.exists(
          eb.selectFrom('customer_identities as ci').select('ci.id').whereRef('ci.customer_id', '=', 'customers.id').where('ci.value', 'like', prefix),
        ),
      ]),
    );
  }
  if (f.after) {
    const after = f.after;
    query = query.where(sql<boolean>`(customers.created_at, customers.id) < (${after.t}::timestamptz, ${after.id}::uuid)`);
  }
  return query.orderBy('customers.created_at', 'desc').orderBy('customers.id', 'desc').limit(f.limit + 1).execute();
}

/** Ticket counts and last contact per customer. */
export function customerTicketStats(db: Executor, customerIds: string[]) {
  if (customerIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('tickets')
    .select(['customer_id'])
    .select((eb) => [eb.fn.countAll<number>().as('ticket_count'), eb.fn.max('created_at').as('last_ticket_at')])
    .where('customer_id', 'in', customerIds)
    .groupBy('customer_id')
    .execute();
}

/** Moves identities and tickets of one customer to another and marks the first as merged. */
export async function moveCustomer(trx: Executor, fromId: string, toId: string) {
  // Identities the target already has are duplicates: drop them, move the rest.
  await trx
    .deleteFrom('customer_identities as a')
    .where('a.customer_id', '=', fromId)
    .where((eb) =>
      eb.exists(
        eb.selectFrom('customer_identities as b')
          .select('b.id')
          .where('b.customer_id', '=', toId)
          .whereRef('b.kind', '=', 'a.kind')
          .whereRef('b.provider', '=', 'a.provider')
          .whereRef('b.value', '=', 'a.value'),
      ),
    )
    .execute();
  await trx.updateTable('customer_identities').set({ customer_id: toId, is_primary: false }).where('customer_id', '=', fromId).execute();
  const moved = await trx.updateTable('tickets').set({ customer_id: toId }).where('customer_id', '=', fromId).returning(['id']).execute();
  await trx.updateTable('messages').set({ author_customer_id: toId }).where('author_customer_id', '=', fromId).execute();
  await trx.updateTable('customers').set({ merged_into_id: toId, updated_at: new Date() }).where('id', '=', fromId).execute();
  // Anyone merged into the source earlier now points at the survivor.
  await trx.updateTable('customers').set({ merged_into_id: toId }).where('merged_into_id', '=', fromId).execute();
  return moved.map((r) => r.id);
}

/** Updates a customer's name or note. */
export async function updateCustomer(db: Executor, id: string, patch: { name?: string | null; note?: string | null }) {
  await db.updateTable('customers').set({ ...patch, updated_at: new Date() }).where('id', '=', id).execute();
}
