/**
 * Orders link themselves from what customers write: every stored customer message queues a
 * job that, after the commit, asks the store about the order and tracking numbers in it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/harness.ts';
import { JobWorker } from '../../jobs/job-worker.ts';
import { findJobByKey } from '../../jobs/jobs.queries.ts';
import { requeueJob } from '../../jobs/jobs.service.ts';
import type { LiveEvent } from '../../shared/live-bus.ts';
import type { Ctx } from '../../shared/context.ts';
import { insertStore } from '../stores/stores.queries.ts';
import { createBuiltinConnector, createSimulatedTransport } from '../stores/connectors/builtin/builtin.connector.ts';
import { loadStoreInfo, overrideStoreConnector } from '../stores/connectors/connector-registry.ts';
import { storeReadCache } from '../stores/connectors/read-cache.ts';
import { addMessage, createTicket, MESSAGE_ORDER_LINKS_QUEUE } from '../tickets/tickets.service.ts';
import { ensureDefaultStore } from '../stores/stores.service.ts';
import { startEmailKit, type EmailKit } from '../channels/email/testing/email-test-kit.ts';
import { orderLinkJobHandlers } from './order-links.jobs.ts';

const DAY = 24 * 3600_000;
let t: TestApp;
let admin: Awaited<ReturnType<TestApp['agent']>>;
let agent: Awaited<ReturnType<TestApp['agent']>>;
let storeId = '';
let worker: JobWorker;

const address = { name: 'Lena Vos', line1: 'Prinsengracht 263', postal_code: '1016 GV', city: 'Amsterdam', country: 'NL' };
const jobKey = (messageId: string) => `${MESSAGE_ORDER_LINKS_QUEUE}:${messageId}`;

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.agent('admin', 'Alex Admin');
  agent = await t.agent('agent', 'Sam Rivera');
  const store = await insertStore(t.ctx.db, { name: 'Northwind Outfitters', slug: 'northwind-links', currency: 'EUR', timezone: 'Europe/Amsterdam' });
  storeId = store.id;
  const conn = await t.app.inject({ method: 'PATCH', url: `/api/v1/stores/${storeId}/connection`, headers: admin.headers, payload: { order_number_prefix: 'NW-' } });
  expect(conn.statusCode).toBe(200);
  const products = await t.app.inject({
    method: 'POST', url: `/api/v1/stores/${storeId}/products`, headers: admin.headers,
    payload: { products: [{ handle: 'merino-socks', title: 'Merino Socks', category: 'Accessories', variants: [{ sku: 'MS-1', title: 'One size', price: 1_450 }] }] },
  });
  expect(products.statusCode).toBe(200);
  const now = Date.now();
  for (const [number, tracking] of [['NW-10234', 'JVGL05512345678'], ['NW-10101', '3SNWTR0000001']] as const) {
    const res = await t.app.inject({
      method: 'POST', url: `/api/v1/stores/${storeId}/orders`, headers: admin.headers,
      payload: {
        number, placed_at: new Date(now - 10 * DAY).toISOString(), customer: { email: 'lena@example.com', name: 'Lena Vos' },
        lines: [{ sku: 'MS-1', quantity: 1 }], shipping: { amount: 495, address }, payment: { method: 'card', method_detail: 'Visa •••• 4242' },
        fulfillments: [{ carrier: 'DHL', tracking_number: tracking, shipped_at: new Date(now - 9 * DAY).toISOString() }],
      },
    });
    expect(res.statusCode).toBe(201);
  }
  worker = new JobWorker({ db: t.database.db, live: t.live, handlers: orderLinkJobHandlers() });
});

afterAll(async () => {
  overrideStoreConnector(storeId, null);
  await t?.close();
});

/** Opens a ticket through the API, as an agent logging what the customer wrote. */
async function openTicket(body: string, subject = 'A question'): Promise<{ id: string; message_id: string }> {
  const res = await t.app.inject({
    method: 'POST', url: '/api/v1/tickets', headers: agent.headers,
    payload: { subject, customer: { email: 'lena@example.com', name: 'Lena Vos' }, message: { body }, channel: 'phone', store_id: storeId },
  });
  expect(res.statusCode).toBe(201);
  return res.json();
}

async function linkedOrders(ticketId: string): Promise<string[]> {
  const res = await t.app.inject({ method: 'GET', url: `/api/v1/tickets/${ticketId}`, headers: agent.headers });
  expect(res.statusCode).toBe(200);
  return [...(res.json().ticket.order_numbers as string[])].sort();
}

async function linkEvents(ticketId: string): Promise<number> {
  const res = await t.app.inject({ method: 'GET', url: `/api/v1/tickets/${ticketId}`, headers: agent.headers });
  return res.json().events.filter((e: { type: string }) => e.type === 'orders.linked').length;
}

/** Makes a job that waits for its next attempt due now (instead of in 30 s). */
async function makeDue(messageId: string): Promise<void> {
  await t.database.db.updateTable('jobs').set({ run_at: new Date(Date.now() - 1000) }).where('idempotency_key', '=', jobKey(messageId)).execute();
}

describe('linking orders from customer messages', () => {
  it('links the order and the tracking number a new ticket mentions once the job has run, not a typo', async () => {
    const created = await openTicket('Hi! About order #10101, and my parcel JVGL05512345678 has not come. Also NW-99999 (typo).');
    // The message's transaction only queued the job: nothing asked the store yet.
    expect(await linkedOrders(created.id)).toEqual([]);
    const live: LiveEvent[] = [];
    const stop = t.live.subscribe((e) => live.push(e));
    try {
      expect(await worker.runDue()).toBeGreaterThanOrEqual(1);
    } finally {
      stop();
    }
    expect(await linkedOrders(created.id)).toEqual(['NW-10101', 'NW-10234']);
    expect(await linkEvents(created.id)).toBe(1);
    expect(await findJobByKey(t.database.db, jobKey(created.message_id))).toMatchObject({ status: 'done', attempts: 1 });
    // Open ticket pages refetch the ticket and its orders on this event.
    expect(live).toContainEqual(expect.objectContaining({ type: 'ticket.updated', ticketId: created.id, changes: expect.arrayContaining(['order_numbers']) }));
  });

  it('does not link a number the store does not know', async () => {
    const created = await openTicket('My order is NW-99999, or maybe #55555.');
    await worker.runDue();
    expect(await linkedOrders(created.id)).toEqual([]);
    expect(await findJobByKey(t.database.db, jobKey(created.message_id))).toMatchObject({ status: 'done' });
  });

  it('links an order from the subject of a new ticket', async () => {
    const created = await openTicket('Where is it?', 'Where is NW-10101?');
    await worker.runDue();
    expect(await linkedOrders(created.id)).toEqual(['NW-10101']);
  });

  it('links a tracking number from a customer’s later message', async () => {
    const created = await openTicket('Hello, a question about my parcel.');
    await worker.runDue();
    const ticket = await t.database.db.selectFrom('tickets').select('customer_id').where('id', '=', created.id).executeTakeFirstOrThrow();
    const customer: Ctx = { ...t.ctx, actor: { type: 'customer', customerId: ticket.customer_id } };
    const later = await addMessage(customer, created.id, { body: 'The tracking number is 3SNWTR0000001.' });
    expect(await findJobByKey(t.database.db, jobKey(later.messageId))).toMatchObject({ status: 'queued', payload: { message_id: later.messageId, first: false } });
    await worker.runDue();
    expect(await linkedOrders(created.id)).toEqual(['NW-10101']);
  });

  it('links once however often the job runs', async () => {
    const created = await openTicket('Order #10234 please.');
    await worker.runDue();
    expect(await linkedOrders(created.id)).toEqual(['NW-10234']);
    // The message was queued once; running its job again changes nothing and logs nothing.
    expect(await requeueJob(t.ctx, jobKey(created.message_id))).toBe(true);
    expect(await worker.runDue()).toBe(1);
    expect(await linkedOrders(created.id)).toEqual(['NW-10234']);
    expect(await linkEvents(created.id)).toBe(1);
    const jobs = await t.database.db.selectFrom('jobs').select('id').where('idempotency_key', '=', jobKey(created.message_id)).execute();
    expect(jobs).toHaveLength(1);
  });

  it('queues nothing for an agent’s reply or internal note that quotes an order', async () => {
    const created = await openTicket('Hello.');
    await worker.runDue();
    for (const payload of [{ body: 'Your order NW-10234 ships today.' }, { body: 'Compare with NW-10101.', internal: true }]) {
      const res = await t.app.inject({ method: 'POST', url: `/api/v1/tickets/${created.id}/messages`, headers: agent.headers, payload });
      expect(res.statusCode).toBe(201);
      expect(await findJobByKey(t.database.db, jobKey(res.json().message.id))).toBeUndefined();
    }
    expect(await worker.runDue()).toBe(0);
    expect(await linkedOrders(created.id)).toEqual([]);
  });

  it('queues nothing for history being imported (the demo brings its own links)', async () => {
    const history: Ctx = { ...t.ctx, importing: true };
    const created = await createTicket(history, { subject: 'Old', customer: { email: 'lena@example.com' }, message: { body: 'About NW-10234' }, storeId, orderNumbers: ['NW-10234'] });
    expect(await findJobByKey(t.database.db, jobKey(created.messageId))).toBeUndefined();
  });

  it('stores the message while the store is down, and links once the store answers again', async () => {
    const transport = createSimulatedTransport({ mode: 'down' });
    overrideStoreConnector(storeId, createBuiltinConnector(await loadStoreInfo(t.ctx, storeId), { transport }));
    storeReadCache.invalidateStore(storeId);
    let created: { id: string; message_id: string };
    try {
      created = await openTicket('About #10101 and NW-10234 please.');
      await worker.runDue();
      expect(transport.calls.length).toBeGreaterThan(0);
      // The store's own spelling counts without the store; "#10101" waits for the store.
      expect(await linkedOrders(created.id)).toEqual(['NW-10234']);
      const waiting = await findJobByKey(t.database.db, jobKey(created.message_id));
      expect(waiting).toMatchObject({ status: 'queued', attempts: 1 });
      expect(waiting?.run_at.getTime()).toBeGreaterThan(Date.now() + 10_000);
      expect(waiting?.last_error).toContain('asking again later');
      expect(waiting?.last_error).not.toContain('#10101');
      // Still down at the next attempt: waits again.
      await makeDue(created.message_id);
      await worker.runDue();
      expect(await findJobByKey(t.database.db, jobKey(created.message_id))).toMatchObject({ status: 'queued', attempts: 2 });
    } finally {
      overrideStoreConnector(storeId, null);
    }
    storeReadCache.invalidateStore(storeId);
    await makeDue(created.message_id);
    await worker.runDue();
    expect(await linkedOrders(created.id)).toEqual(['NW-10101', 'NW-10234']);
    expect(await findJobByKey(t.database.db, jobKey(created.message_id))).toMatchObject({ status: 'done', attempts: 3 });
    expect(await linkEvents(created.id)).toBe(2);
  });
});

describe('linking orders from email', () => {
  let k: EmailKit;
  let emailWorker: JobWorker;

  beforeAll(async () => {
    k = await startEmailKit();
    const defaultStoreId = await ensureDefaultStore(k.t.ctx);
    const conn = await k.t.app.inject({ method: 'PATCH', url: `/api/v1/stores/${defaultStoreId}/connection`, headers: k.admin.headers, payload: { order_number_prefix: 'NW-' } });
    expect(conn.statusCode).toBe(200);
    const products = await k.t.app.inject({
      method: 'POST', url: `/api/v1/stores/${defaultStoreId}/products`, headers: k.admin.headers,
      payload: { products: [{ handle: 'merino-socks', title: 'Merino Socks', category: 'Accessories', variants: [{ sku: 'MS-1', title: 'One size', price: 1_450 }] }] },
    });
    expect(products.statusCode).toBe(200);
    for (const [number, tracking] of [['NW-20001', 'JVGL05599990001'], ['NW-20002', 'JVGL05599990002']] as const) {
      const res = await k.t.app.inject({
        method: 'POST', url: `/api/v1/stores/${defaultStoreId}/orders`, headers: k.admin.headers,
        payload: {
          number, customer: { email: 'mia@example.com', name: 'Mia' }, lines: [{ sku: 'MS-1', quantity: 1 }], shipping: { amount: 0, address },
          payment: { method: 'card' }, fulfillments: [{ carrier: 'DHL', tracking_number: tracking, shipped_at: new Date(Date.now() - DAY).toISOString() }],
        },
      });
      expect(res.statusCode).toBe(201);
    }
    emailWorker = new JobWorker({ db: k.t.database.db, live: k.t.live, handlers: orderLinkJobHandlers() });
  });

  afterAll(async () => {
    await k?.close();
  });

  const ordersOf = async (subject: string) =>
    [...(await k.t.database.db.selectFrom('tickets').select('order_numbers').where('subject', '=', subject).executeTakeFirstOrThrow()).order_numbers].sort();

  it('links the orders of the tracking numbers in a new email and in the customer’s reply', async () => {
    const first = `links-${Date.now()}@example.com`;
    await k.send({ from: 'mia@example.com', to: 'support@shop.test', subject: 'My parcel', messageId: `<${first}>`, text: 'Parcel JVGL05599990001 is stuck.' });
    expect(await ordersOf('My parcel')).toEqual([]);
    expect(await emailWorker.runDue()).toBe(1);
    expect(await ordersOf('My parcel')).toEqual(['NW-20001']);
    await k.send({
      from: 'mia@example.com', to: 'support@shop.test', subject: 'Re: My parcel', messageId: `<re-${first}>`, inReplyTo: `<${first}>`, references: [`<${first}>`],
      text: 'And JVGL05599990002 too.',
    });
    expect(await emailWorker.runDue()).toBe(1);
    expect(await ordersOf('My parcel')).toEqual(['NW-20001', 'NW-20002']);
  });
});
