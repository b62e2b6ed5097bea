/**
 * SQL for the email channel: mailboxes, the inbound log (dedup), sender counters, threading
 * look-ups, and outbound emails (which are also the local outbox).
 */
import { sql, type Transaction } from 'kysely';
import type { Executor } from '../../../db/database.ts';
import type { DB, InboundOutcome, MailboxesTable, OutboundEmailStatus, TicketStatus } from '../../../db/schema.ts';
import type { Insertable, Updateable } from 'kysely';

/** Every mailbox (a store has a handful; matching recipients happens in memory). */
export function listMailboxes(db: Executor) {
  return db.selectFrom('mailboxes').selectAll().orderBy('created_at').execute();
}

/** One mailbox. */
export function findMailbox(db: Executor, id: string) {
  return db.selectFrom('mailboxes').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The default mailbox of a store (or its oldest one). */
export function findDefaultMailbox(db: Executor, storeId: string) {
  return db.selectFrom('mailboxes').selectAll().where('store_id', '=', storeId).orderBy('is_default', 'desc').orderBy('created_at').limit(1).executeTakeFirst();
}

/** Inserts a mailbox. */
export function insertMailbox(db: Executor, row: Insertable<MailboxesTable>) {
  return db.insertInto('mailboxes').values(row).returningAll().executeTakeFirstOrThrow();
}

/** Changes a mailbox. */
export function updateMailbox(db: Executor, id: string, patch: Updateable<MailboxesTable>) {
  return db.updateTable('mailboxes').set({ ...patch, updated_at: sql`now()` }).where('id', '=', id).returningAll().executeTakeFirst();
}

/** Clears the default flag on a store's other mailboxes. */
export async function clearDefaultMailbox(db: Executor, storeId: string, exceptId: string) {
  await db.updateTable('mailboxes').set({ is_default: false }).where('store_id', '=', storeId).where('id', '!=', exceptId).execute();
}

/** Deletes a mailbox; its emails stay. */
export async function deleteMailbox(db: Executor, id: string): Promise<boolean> {
  const r = await db.deleteFrom('mailboxes').where('id', '=', id).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

/** Records IMAP progress: the last imported UID and the folder's UIDVALIDITY. */
export async function saveImapProgress(db: Executor, id: string, p: { uidValidity: number; lastUid: number; error: string | null }) {
  await db
    .updateTable('mailboxes')
    .set({ imap_uid_validity: p.uidValidity, imap_last_uid: p.lastUid, imap_last_error: p.error, imap_last_poll_at: sql`now()` })
    .where('id', '=', id)
    .execute();
}

/** Records an IMAP error without moving progress. */
export async function saveImapError(db: Executor, id: string, error: string) {
  await db.updateTable('mailboxes').set({ imap_last_error: error.slice(0, 1000), imap_last_poll_at: sql`now()` }).where('id', '=', id).execute();
}

/**
 * Caches an access token obtained with a mailbox's refresh token (and a refresh token the
 * provider rotated), unless an admin replaced the refresh token meanwhile. Leaves updated_at
 * alone: pollers restart when a mailbox's settings change, not when its token is renewed.
 */
export async function saveImapOAuthToken(
  db: Executor,
  id: string,
  t: { previousRefreshTokenEnc: string; accessTokenEnc: string; expiresAt: Date; refreshTokenEnc: string | null },
) {
  await db
    .updateTable('mailboxes')
    .set({
      imap_oauth_access_token_enc: t.accessTokenEnc,
      imap_oauth_expires_at: t.expiresAt,
      ...(t.refreshTokenEnc ? { imap_oauth_refresh_token_enc: t.refreshTokenEnc } : {}),
    })
    .where('id', '=', id)
    .where('imap_oauth_refresh_token_enc', '=', t.previousRefreshTokenEnc)
    .execute();
}

/** Forgets a cached OAuth access token (the refresh token stays). */
export async function clearImapOAuthToken(db: Executor, id: string) {
  await db
    .updateTable('mailboxes')
    .set({ imap_oauth_access_token_enc: null, imap_oauth_expires_at: null })
    .where('id', '=', id)
    .where('imap_oauth_refresh_token_enc', 'is not', null)
    .execute();
}

/** Serializes the ingestion of one sender's mail (dedup and counting stay exact under concurrency). */
export async function lockSender(trx: Transaction<DB>, sender: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext(${`storedesk-email:${sender}`}))`.execute(trx);
}

/** What `screenInbound` found. */
export interface InboundScreen {
  /** The earlier inbound email this one repeats, if any (nothing was counted then). */
  duplicate: { id: string; outcome: InboundOutcome; ticket_id: string | null; message_id: string | null } | undefined;
  /** The sender's emails in the current window, this one included; null when not counted. */
  count: number | null;
  /** The customer behind the sender's address, and whether mail to it bounced. */
  identity: { customerId: string; undeliverable: boolean } | null;
}

/**
 * Everything ingestion must know before it decides, in one round trip, run under the sender's
 * lock: the earlier inbound email this one repeats (the same Message-ID in the store first, else
 * the same content from the same sender since a time); unless it is a repeat, one more email
 * counted for the sender in the current window (when `countSender`); and the customer behind
 * the address with its undeliverable mark. One fixed SQL text whatever is null, so that the
 * connection keeps it prepared (src/db/named-statements.ts).
 */
export async function screenInbound(
  trx: Transaction<DB>,
  p: { storeId: string; messageIdHeader: string | null; sender: string | null; hash: string; since: Date; countSender: boolean; windowStart: Date },
): Promise<InboundScreen> {
  const { rows } = await sql<{
    dup_id: string | null; dup_outcome: InboundOutcome | null; dup_ticket_id: string | null; dup_message_id: string | null;
    count: number | null; customer_id: string | null; merged_into_id: string | null; undeliverable_at: Date | null;
  }>`
    with dup as (
      select id, outcome, ticket_id, message_id from (
        (select id, outcome, ticket_id, message_id, 1 as rank from inbound_emails
          where store_id = ${p.storeId} and message_id_header = ${p.messageIdHeader}::text limit 1)
        union all
        (select id, outcome, ticket_id, message_id, 2 as rank from inbound_emails
          where sender = ${p.sender}::text and content_hash = ${p.hash} and received_at > ${p.since} order by received_at desc limit 1)
      ) as found order by rank limit 1
    ),
    bump as (
      insert into email_sender_counters (sender, window_start, count)
      select ${p.sender}::text, ${p.windowStart}, 1 where ${p.countSender}::boolean and not exists (select 1 from dup)
      on conflict (sender, window_start) do update set count = email_sender_counters.count + 1
      returning count
    ),
    identity as (
      select customers.id as customer_id, customers.merged_into_id, customer_identities.undeliverable_at
      from customer_identities join customers on customers.id = customer_identities.customer_id
      where customer_identities.store_id = ${p.storeId} and customer_identities.kind = 'email'
        and customer_identities.provider = '' and customer_identities.value = lower(${p.sender}::text)
      limit 1
    )
    select dup.id as dup_id, dup.outcome as dup_outcome, dup.ticket_id as dup_ticket_id, dup.message_id as dup_message_id,
      (select count from bump) as count, identity.customer_id, identity.merged_into_id, identity.undeliverable_at
    from (select 1) as one left join dup on true left join identity on true`.execute(trx);
  const row = rows[0];
  if (!row) throw new Error('screening an inbound email returned no row');
  return {
    duplicate: row.dup_id && row.dup_outcome ? { id: row.dup_id, outcome: row.dup_outcome, ticket_id: row.dup_ticket_id, message_id: row.dup_message_id } : undefined,
    count: row.count,
    identity: row.customer_id ? { customerId: row.merged_into_id ?? row.customer_id, undeliverable: row.undeliverable_at !== null } : null,
  };
}

/** Forgets senders' counts of windows that started before `before`; returns how many rows went. */
export async function deleteSenderCountersBefore(db: Executor, before: Date): Promise<number> {
  const res = await db.deleteFrom('email_sender_counters').where('window_start', '<', before).executeTakeFirst();
  return Number(res.numDeletedRows);
}

/** Logs an inbound email with what became of it; undefined when its Message-ID is already there. */
export function insertInbound(
  db: Executor,
  r: {
    id: string; storeId: string; mailboxId: string | null; source: 'smtp' | 'imap' | 'api'; messageIdHeader: string | null; sender: string | null;
    contentHash: string; rawBlobKey: string; size: number; outcome: InboundOutcome; ticketId: string | null; messageId: string | null;
    detail: Record<string, unknown>;
  },
) {
  return db
    .insertInto('inbound_emails')
    .values({
      id: r.id, store_id: r.storeId, mailbox_id: r.mailboxId, source: r.source, message_id_header: r.messageIdHeader, sender: r.sender,
      content_hash: r.contentHash, raw_blob_key: r.rawBlobKey, size: r.size, outcome: r.outcome, ticket_id: r.ticketId, message_id: r.messageId,
      detail: JSON.stringify(r.detail),
    })
    .onConflict((oc) => oc.columns(['store_id', 'message_id_header']).doNothing())
    .returning('id')
    .executeTakeFirst();
}

/** Tickets whose messages carry one of these Message-IDs (ours or the customer's). */
export function findTicketsByExternalIds(db: Executor, storeId: string, ids: string[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('messages')
    .innerJoin('tickets', 'tickets.id', 'messages.ticket_id')
    .select(['tickets.id', 'tickets.number', 'tickets.status', 'tickets.customer_id', 'messages.external_id', 'messages.id as message_id', 'messages.kind'])
    .where('tickets.store_id', '=', storeId)
    // `= any(array)` rather than `in (…)`: one statement text whatever the number of ids, so it stays prepared.
    .where('messages.external_id', '=', sql<string>`any(${ids}::text[])`)
    .execute();
}

/** A ticket by number within a store. */
export function findTicketByNumber(db: Executor, storeId: string, number: number) {
  return db.selectFrom('tickets').select(['id', 'number', 'status', 'customer_id']).where('store_id', '=', storeId).where('number', '=', number).executeTakeFirst();
}

/** A customer's most recent ticket about one of these orders; open tickets before closed ones. */
export function findTicketByOrderNumbers(db: Executor, customerId: string, orderNumbers: string[]) {
  return db
    .selectFrom('tickets')
    .select(['id', 'number', 'status', 'customer_id'])
    .where('customer_id', '=', customerId)
    .where(sql<boolean>`order_numbers && ${sql.val(orderNumbers)}::text[]`)
    .orderBy(sql`status = 'closed'`)
    .orderBy('last_message_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** Current status of a ticket. */
export async function ticketStatus(db: Executor, id: string): Promise<TicketStatus | undefined> {
  return (await db.selectFrom('tickets').select('status').where('id', '=', id).executeTakeFirst())?.status;
}

/** A message with what the email channel needs (metadata, attachments, ticket, customer). */
export function findMessageForEmail(db: Executor, messageId: string) {
  return db
    .selectFrom('messages')
    .innerJoin('tickets', 'tickets.id', 'messages.ticket_id')
    .select([
      'messages.id', 'messages.ticket_id', 'messages.kind', 'messages.channel', 'messages.body_text', 'messages.body_html', 'messages.attachments',
      'messages.external_id', 'messages.delivery_status', 'messages.metadata', 'messages.created_at', 'messages.author_agent_id',
      'tickets.number as ticket_number', 'tickets.subject as ticket_subject', 'tickets.customer_id', 'tickets.store_id',
    ])
    .where('messages.id', '=', messageId)
    .executeTakeFirst();
}

/** The email address a customer is written to: primary first. */
export function findCustomerEmail(db: Executor, customerId: string) {
  return db
    .selectFrom('customer_identities')
    .select(['value', 'undeliverable_at', 'undeliverable_reason'])
    .where('customer_id', '=', customerId)
    .where('kind', '=', 'email')
    .orderBy('is_primary', 'desc')
    .orderBy('created_at')
    .limit(1)
    .executeTakeFirst();
}

/** Marks an email identity as undeliverable; returns the customers it belongs to. */
export async function markIdentityUndeliverable(db: Executor, storeId: string, email: string, reason: string) {
  return db
    .updateTable('customer_identities')
    .set({ undeliverable_at: sql`now()`, undeliverable_reason: reason.slice(0, 500) })
    .where('store_id', '=', storeId)
    .where('kind', '=', 'email')
    .where('value', '=', email.toLowerCase())
    .returning(['customer_id'])
    .execute();
}

/** Clears the undeliverable mark when a customer writes again from the address. */
export async function clearIdentityUndeliverable(db: Executor, storeId: string, email: string) {
  await db
    .updateTable('customer_identities')
    .set({ undeliverable_at: null, undeliverable_reason: null })
    .where('store_id', '=', storeId)
    .where('kind', '=', 'email')
    .where('value', '=', email.toLowerCase())
    .where('undeliverable_at', 'is not', null)
    .execute();
}

/** The mailbox a ticket's mail last came through. */
export async function findTicketMailboxId(db: Executor, ticketId: string): Promise<string | null> {
  const row = await db
    .selectFrom('inbound_emails')
    .select('mailbox_id')
    .where('ticket_id', '=', ticketId)
    .where('mailbox_id', 'is not', null)
    .orderBy('received_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.mailbox_id ?? null;
}

/** Message-IDs of a ticket's emails in order (for References), and the last inbound one. */
export async function ticketThreadIds(db: Executor, ticketId: string, excludeMessageId: string) {
  const rows = await db
    .selectFrom('messages')
    .select(['external_id', 'kind'])
    .where('ticket_id', '=', ticketId)
    .where('external_id', 'is not', null)
    .where('id', '!=', excludeMessageId)
    .where('kind', '!=', 'note')
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  const ids = rows.map((r) => r.external_id).filter((x): x is string => Boolean(x));
  const lastInbound = [...rows].reverse().find((r) => r.kind === 'inbound')?.external_id ?? ids[ids.length - 1] ?? null;
  return { ids, lastInbound };
}

/** Sets a message's Message-ID. */
export async function setMessageExternalId(db: Executor, messageId: string, externalId: string) {
  await db.updateTable('messages').set({ external_id: externalId }).where('id', '=', messageId).execute();
}

/** Sets a message's delivery status and error. */
export async function setMessageDelivery(db: Executor, messageId: string, status: 'queued' | 'sent' | 'failed', error: string | null) {
  await db.updateTable('messages').set({ delivery_status: status, delivery_error: error }).where('id', '=', messageId).execute();
}

/** Records an outbound email. */
export function insertOutbound(
  db: Executor,
  r: { messageId: string; ticketId: string; mailboxId: string | null; messageIdHeader: string; from: string; to: string; subject: string },
) {
  return db
    .insertInto('outbound_emails')
    .values({
      message_id: r.messageId, ticket_id: r.ticketId, mailbox_id: r.mailboxId, message_id_header: r.messageIdHeader,
      from_address: r.from, to_address: r.to, subject: r.subject,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
}

/** One outbound email. */
export function findOutbound(db: Executor, id: string) {
  return db.selectFrom('outbound_emails').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The outbound email of a message. */
export function findOutboundByMessage(db: Executor, messageId: string) {
  return db.selectFrom('outbound_emails').selectAll().where('message_id', '=', messageId).executeTakeFirst();
}

/** Changes an outbound email. */
export async function updateOutbound(
  db: Executor,
  id: string,
  p: { status?: OutboundEmailStatus; transport?: 'smtp' | 'local'; rawBlobKey?: string; lastError?: string | null; smtpResponse?: string | null; sent?: boolean; bumpAttempts?: boolean },
) {
  await db
    .updateTable('outbound_emails')
    .set({
      ...(p.status ? { status: p.status } : {}),
      ...(p.transport ? { transport: p.transport } : {}),
      ...(p.rawBlobKey ? { raw_blob_key: p.rawBlobKey } : {}),
      ...(p.lastError !== undefined ? { last_error: p.lastError } : {}),
      ...(p.smtpResponse !== undefined ? { smtp_response: p.smtpResponse } : {}),
      ...(p.sent ? { sent_at: sql`now()` } : {}),
      ...(p.bumpAttempts ? { attempts: sql`attempts + 1` } : {}),
    })
    .where('id', '=', id)
    .execute();
}

/** The local outbox: mail kept here because no relay is configured, newest first. */
export function listLocalOutbox(db: Executor, limit: number) {
  return db
    .selectFrom('outbound_emails')
    .selectAll()
    .where('transport', '=', 'local')
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

/** An inbound log entry by the message it became. */
export function findInboundByMessage(db: Executor, messageId: string) {
  return db.selectFrom('inbound_emails').selectAll().where('message_id', '=', messageId).executeTakeFirst();
}
