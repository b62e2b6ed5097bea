/**
 * The contract every store connector keeps, written once and run against each platform: the
 * built-in store now; Vendure, Medusa and a Shopify fake (following Shopify's published schema)
 * later, each through its own harness. A harness seeds CONTRACT_FIXTURE in the platform's own
 * way (through the platform's API), says what the platform assigned (order numbers, totals), and
 * can make the store unreachable.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ctx } from '../../../../shared/context.ts';
import { planAction, type PlanResult } from '../action-planner.ts';
import {
  StoreUnavailableError, type ActionPlan, type OrderActionRequest, type StoreConnector, type StoreInfo, type StoreOrder,
} from '../connector.ts';
import { AppError } from '../../../../shared/errors.ts';
import { callStore } from '../connector-registry.ts';
import { lineStates, orderGlance, paidAmount, refundableAmount, refundedAmount } from '../order-math.ts';

/** What every harness seeds: one customer, a small catalogue, and orders in known states. */
export const CONTRACT_FIXTURE = {
  customer: { email: 'casey.contract@example.com', name: 'Casey Contract', phone: '+31612345678' },
  /** Prices in minor units of the store's currency, tax included. */
  products: [
    { sku: 'CT-JACKET-M', title: 'Contract Jacket', variant: 'M', price: 12_900 },
    { sku: 'CT-JACKET-L', title: 'Contract Jacket', variant: 'L', price: 12_900 },
    { sku: 'CT-SOCKS', title: 'Contract Socks', variant: 'One size', price: 1_450 },
    { sku: 'CT-BEANIE', title: 'Contract Beanie', variant: 'One size', price: 2_495 },
  ],
  /** Orders by role, oldest first; each harness places them in this order. */
  orders: {
    delivered: { lines: [{ sku: 'CT-JACKET-M', quantity: 1 }, { sku: 'CT-SOCKS', quantity: 1 }], shipping: 0, state: 'delivered' },
    shipped: { lines: [{ sku: 'CT-BEANIE', quantity: 1 }], shipping: 495, state: 'shipped' },
    refundable: { lines: [{ sku: 'CT-JACKET-M', quantity: 1 }, { sku: 'CT-SOCKS', quantity: 2 }], shipping: 495, state: 'paid' },
    cancellable: { lines: [{ sku: 'CT-BEANIE', quantity: 2 }], shipping: 495, state: 'paid' },
  },
} as const;

/** An order role of the fixture. */
export type ContractOrderRole = keyof typeof CONTRACT_FIXTURE.orders;

/** What the platform made of the fixture. */
export interface SeededFixture {
  customerExternalId: string;
  /**
   * The customer's email and phone when the harness made them unique (a shared remote store
   * that every run seeds again); CONTRACT_FIXTURE.customer's otherwise.
   */
  customerEmail?: string | undefined;
  customerPhone?: string | undefined;
  orders: Record<ContractOrderRole, { number: string; total: number; currency: string; trackingNumber: string | null }>;
}

/** How a harness can make its store fail. */
export type ContractFailureMode = 'down' | 'drop_after_write' | 'rate_limited';

/** The Retry-After a harness's 'rate_limited' store announces, in seconds. */
export const CONTRACT_RETRY_AFTER_SECONDS = 7;

/** One platform, ready for the contract. */
export interface ContractHarness {
  connector: StoreConnector;
  /** A context for connector calls. */
  ctx: Ctx;
  store: StoreInfo;
  seeded: SeededFixture;
  /**
   * Makes the store unreachable ('down'), drop answers after acting where the harness can
   * ('drop_after_write'), answer every request with HTTP 429 and Retry-After
   * CONTRACT_RETRY_AFTER_SECONDS ('rate_limited'), or reachable again (false).
   */
  setUnreachable(mode: false | ContractFailureMode): void;
  /** Which failure modes this harness can simulate. */
  failureModes: readonly ContractFailureMode[];
  /**
   * True when a write whose answer was dropped stays done (a remote store: the refund happened,
   * only the answer was lost). The contract then checks that it happened exactly once and that
   * the retry finds it instead of acting again; otherwise, that nothing changed.
   */
  dropAfterWriteKeepsWrite?: boolean | undefined;
  /** Reads an order straight from the store, past any cache or simulated outage. */
  readOrder(number: string): Promise<StoreOrder | null>;
  close(): Promise<void>;
}

let keyCounter = 0;
/** A fresh idempotency key. */
function newKey(label: string): string {
  keyCounter++;
  return `contract-${label}-${Date.now().toString(36)}-${keyCounter}`;
}

/** Plans on an order as the pipeline would, failing the test with the refusal if there is one. */
async function mustPlan(h: ContractHarness, order: StoreOrder, request: OrderActionRequest): Promise<ActionPlan> {
  const skus = request.action === 'exchange' ? request.lines.map((l) => l.replacementSku) : [];
  const variants = skus.length ? await h.connector.findVariants(h.ctx, skus) : [];
  const result: PlanResult = planAction(order, request, { platform: h.connector.platform, capabilities: h.connector.capabilities, variants, timeZone: h.store.timezone });
  if (!result.ok) throw new Error(`expected a plan, got refusal ${result.refusal.code}: ${result.refusal.message}`);
  return result.plan;
}

async function mustRead(h: ContractHarness, number: string): Promise<StoreOrder> {
  const order = await h.readOrder(number);
  if (!order) throw new Error(`order ${number} should exist`);
  return order;
}

/** Registers the contract for one connector; the factory seeds a fresh store. */
export function describeConnectorContract(name: string, factory: () => Promise<ContractHarness>): void {
  describe(`store connector contract: ${name}`, () => {
    let h: ContractHarness;
    beforeAll(async () => {
      h = await factory();
    }, 300_000);
    afterAll(async () => {
      await h?.close();
    });

    const spec = CONTRACT_FIXTURE;
    const email = () => (h.seeded.customerEmail ?? spec.customer.email).toLowerCase();
    const phone = () => h.seeded.customerPhone ?? spec.customer.phone;
    const line = (order: StoreOrder, sku: string) => {
      const l = order.lines.find((x) => x.sku === sku);
      if (!l) throw new Error(`${order.number} has no line ${sku}`);
      return l;
    };

    describe('read', () => {
      it('finds the customer by email, and by every other lookup it declares', async () => {
        const byEmail = await h.connector.findCustomer(h.ctx, { by: 'email', email: email().toUpperCase() });
        expect(byEmail?.externalId).toBe(h.seeded.customerExternalId);
        expect(byEmail?.email?.toLowerCase()).toBe(email());
        if (h.connector.capabilities.customerLookup.includes('external_id')) {
          expect((await h.connector.findCustomer(h.ctx, { by: 'external_id', externalId: h.seeded.customerExternalId }))?.email?.toLowerCase()).toBe(email());
        }
        if (h.connector.capabilities.customerLookup.includes('phone')) {
          expect((await h.connector.findCustomer(h.ctx, { by: 'phone', phone: phone() }))?.externalId).toBe(h.seeded.customerExternalId);
        }
        expect(await h.connector.findCustomer(h.ctx, { by: 'email', email: 'nobody-at-all@example.com' })).toBeNull();
        if (byEmail?.stats) expect(byEmail.stats.orderCount).toBe(Object.keys(spec.orders).length);
      });

      it('lists the customer’s orders newest first, one page at a time', async () => {
        const first = await h.connector.listCustomerOrders(h.ctx, h.seeded.customerExternalId, { limit: 2 });
        expect(first.orders).toHaveLength(2);
        expect(first.nextCursor).not.toBeNull();
        const rest = await h.connector.listCustomerOrders(h.ctx, h.seeded.customerExternalId, { limit: 10, cursor: first.nextCursor ?? undefined });
        const all = [...first.orders, ...rest.orders];
        expect(rest.nextCursor).toBeNull();
        expect(all.map((o) => o.number).sort()).toEqual(Object.values(h.seeded.orders).map((o) => o.number).sort());
        const times = all.map((o) => o.placedAt.getTime());
        expect([...times].sort((a, b) => b - a)).toEqual(times);
      });

      it('reads one order with its lines, amounts, payment and state', async () => {
        const seeded = h.seeded.orders.refundable;
        const order = await h.connector.getOrder(h.ctx, seeded.number);
        if (!order) throw new Error('order not found');
        expect(order.number).toBe(seeded.number);
        expect(order.currency).toBe(seeded.currency);
        for (const want of spec.orders.refundable.lines) {
          const product = spec.products.find((p) => p.sku === want.sku);
          const got = line(order, want.sku);
          expect(got.quantity).toBe(want.quantity);
          expect(got.unitPrice).toBe(product?.price);
          expect(got.linePrice).toBe((product?.price ?? 0) * want.quantity);
          expect(got.productTitle).toContain(product?.title ?? '?');
        }
        expect(order.total).toBe(seeded.total);
        expect(order.lines.reduce((s, l) => s + l.total, 0) + order.shippingTotal).toBe(order.total);
        expect(order.shippingTotal).toBe(spec.orders.refundable.shipping);
        expect(paidAmount(order)).toBe(order.total);
        expect(order.financialStatus).toBe('paid');
        expect(order.fulfillmentStatus).toBe('unfulfilled');
        expect(order.customer.email?.toLowerCase()).toBe(email());
        expect(order.shippingAddress?.city).toBeTruthy();
        expect(order.payments[0]?.method).toBeTruthy();
        expect(orderGlance(order, new Date()).state).toBe('paid');
      });

      it('a shipped order carries the carrier, tracking number and a tracking link', async () => {
        const seeded = h.seeded.orders.shipped;
        const order = await mustRead(h, seeded.number);
        expect(order.fulfillmentStatus).toBe('fulfilled');
        const parcel = order.fulfillments.find((f) => f.trackingNumber);
        expect(parcel?.trackingNumber).toBe(seeded.trackingNumber);
        expect(parcel?.carrier).toBeTruthy();
        expect(parcel?.trackingUrl).toMatch(/^https:\/\//);
        expect(parcel?.shippedAt).toBeInstanceOf(Date);
        expect(orderGlance(order, order.placedAt).state).toBe('shipped');
      });

      it('a delivered order says when it was delivered', async () => {
        const order = await mustRead(h, h.seeded.orders.delivered.number);
        const glance = orderGlance(order, new Date());
        expect(glance.state).toBe('delivered');
        expect(glance.deliveredAt).toBeInstanceOf(Date);
        expect(lineStates(order).every((s) => s.shipped === s.line.quantity)).toBe(true);
      });

      it('an unknown order number is null, not an error', async () => {
        expect(await h.connector.getOrder(h.ctx, 'NO-SUCH-ORDER-99999')).toBeNull();
      });

      it('finds the order behind a tracking number, when it declares tracking lookup', async () => {
        if (!h.connector.capabilities.trackingLookup) return;
        const seeded = h.seeded.orders.shipped;
        const found = await h.connector.findOrdersByTracking(h.ctx, [seeded.trackingNumber ?? '', 'NOTATRACKINGNUMBER1']);
        expect(found.map((f) => f.orderNumber)).toEqual([seeded.number]);
      });
    });

    describe('act', () => {
      it('a refund of some lines changes the store by exactly the planned amount', async () => {
        const number = h.seeded.orders.refundable.number;
        const before = await mustRead(h, number);
        const socks = line(before, 'CT-SOCKS');
        const plan = await mustPlan(h, before, { action: 'refund', scope: 'lines', lines: [{ lineId: socks.id, quantity: 1 }], reason: 'contract: one pair arrived torn' });
        expect(plan.amount).toBe(socks.total / 2);
        const outcome = await h.connector.perform(h.ctx, before, plan, { idempotencyKey: newKey('refund-lines'), actorName: 'Contract Agent' });
        expect(outcome).toMatchObject({ ok: true, action: 'refund', amount: { amount: plan.amount, currency: before.currency } });
        const after = await mustRead(h, number);
        expect(refundedAmount(after)).toBe(refundedAmount(before) + plan.amount);
        expect(after.financialStatus).toBe('partially_refunded');
        expect(lineStates(after).find((s) => s.line.id === socks.id)?.refunded).toBe(1);
      });

      it('a repeated action with the same key does not act twice', async () => {
        const number = h.seeded.orders.refundable.number;
        const before = await mustRead(h, number);
        const plan = await mustPlan(h, before, { action: 'refund', scope: 'amount', amount: 100, reason: 'contract: goodwill' });
        const key = newKey('repeat');
        const first = await h.connector.perform(h.ctx, before, plan, { idempotencyKey: key, actorName: 'Contract Agent' });
        const second = await h.connector.perform(h.ctx, before, plan, { idempotencyKey: key, actorName: 'Contract Agent' });
        expect(first.ok).toBe(true);
        expect(second).toMatchObject({ ok: true, amount: { amount: 100 } });
        if (first.ok && second.ok) expect(second.storeReference).toBe(first.storeReference);
        const after = await mustRead(h, number);
        expect(refundedAmount(after)).toBe(refundedAmount(before) + 100);
      });

      it('refuses to refund more than the refundable maximum, saying how much is possible', async () => {
        const number = h.seeded.orders.refundable.number;
        const before = await mustRead(h, number);
        const max = refundableAmount(before);
        const refused = planAction(before, { action: 'refund', scope: 'amount', amount: max + 1 }, { platform: h.connector.platform, capabilities: h.connector.capabilities });
        expect(refused).toMatchObject({ ok: false, refusal: { code: 'exceeds_refundable', limit: { amount: max, currency: before.currency } } });
        if (!refused.ok) expect(refused.refusal.message).toMatch(/at most/);
        // A plan that slipped past the planner (or went stale) is refused by the store itself.
        const plan = await mustPlan(h, before, { action: 'refund', scope: 'amount', amount: max });
        const forged: ActionPlan = { ...plan, amount: max + 1, request: { action: 'refund', scope: 'amount', amount: max + 1 } };
        const outcome = await h.connector.perform(h.ctx, before, forged, { idempotencyKey: newKey('too-much'), actorName: 'Contract Agent' });
        expect(outcome.ok).toBe(false);
        expect(refundedAmount(await mustRead(h, number))).toBe(refundedAmount(before));
      });

      it('a cancel changes the store: cancelled and the payment refunded', async () => {
        const number = h.seeded.orders.cancellable.number;
        const before = await mustRead(h, number);
        const plan = await mustPlan(h, before, { action: 'cancel', reason: 'contract: customer changed their mind' });
        const outcome = await h.connector.perform(h.ctx, before, plan, { idempotencyKey: newKey('cancel'), actorName: 'Contract Agent' });
        expect(outcome.ok).toBe(true);
        const after = await mustRead(h, number);
        expect(after.cancelledAt).toBeInstanceOf(Date);
        expect(refundedAmount(after)).toBe(paidAmount(before));
        expect(orderGlance(after, new Date()).state).toBe('cancelled');
      });

      it('a shipped order cannot be cancelled, by the planner nor by the store', async () => {
        const number = h.seeded.orders.shipped.number;
        const before = await mustRead(h, number);
        const refused = planAction(before, { action: 'cancel' }, { platform: h.connector.platform, capabilities: h.connector.capabilities });
        expect(refused).toMatchObject({ ok: false, refusal: { code: 'already_shipped' } });
        if (!refused.ok) expect(refused.refusal.message).toContain(h.seeded.orders.shipped.trackingNumber ?? number);
        const forged: ActionPlan = {
          action: 'cancel', orderNumber: number, currency: before.currency, amount: 0, request: { action: 'cancel', refundPayment: false },
          refundAmount: 0, voidAmount: 0, restock: false, reason: null, summary: 'forged', effects: [],
        };
        const outcome = await h.connector.perform(h.ctx, before, forged, { idempotencyKey: newKey('cancel-shipped'), actorName: 'Contract Agent' });
        expect(outcome.ok).toBe(false);
        expect((await mustRead(h, number)).cancelledAt).toBeNull();
      });

      it('two actions on one order at the same moment both count, and repeating either acts no more', async () => {
        const number = h.seeded.orders.refundable.number;
        const before = await mustRead(h, number);
        const first = await mustPlan(h, before, { action: 'refund', scope: 'amount', amount: 100, reason: 'contract: two agents at once (1)' });
        const second = await mustPlan(h, before, { action: 'refund', scope: 'amount', amount: 200, reason: 'contract: two agents at once (2)' });
        const keys = [newKey('at-once-1'), newKey('at-once-2')] as const;
        const both = () =>
          Promise.all([
            h.connector.perform(h.ctx, before, first, { idempotencyKey: keys[0], actorName: 'Contract Agent' }),
            h.connector.perform(h.ctx, before, second, { idempotencyKey: keys[1], actorName: 'Contract Agent' }),
          ]);
        const done = await both();
        expect(done.map((o) => o.ok && o.amount?.amount)).toEqual([100, 200]);
        expect(refundedAmount(await mustRead(h, number))).toBe(refundedAmount(before) + 300);
        // Both are on the order's record: a retry of either, at the same moment, finds it instead of refunding again.
        const again = await both();
        expect(again.map((o) => o.ok && o.amount?.amount)).toEqual([100, 200]);
        if (done[0].ok && again[0].ok) expect(again[0].storeReference).toBe(done[0].storeReference);
        if (done[1].ok && again[1].ok) expect(again[1].storeReference).toBe(done[1].storeReference);
        expect(refundedAmount(await mustRead(h, number))).toBe(refundedAmount(before) + 300);
      });
    });

    describe('a store that is down', () => {
      it('reads fail with StoreUnavailableError', async () => {
        h.setUnreachable('down');
        try {
          await expect(h.connector.getOrder(h.ctx, h.seeded.orders.refundable.number)).rejects.toBeInstanceOf(StoreUnavailableError);
        } finally {
          h.setUnreachable(false);
        }
      });

      it('an action fails clearly and leaves nothing half done; retrying with the same key acts once', async () => {
        const number = h.seeded.orders.refundable.number;
        const before = await mustRead(h, number);
        const plan = await mustPlan(h, before, { action: 'refund', scope: 'shipping', reason: 'contract: late parcel' });
        const key = newKey('down');
        let done = 0;
        for (const mode of h.failureModes) {
          h.setUnreachable(mode);
          try {
            const attempt = h.connector.perform(h.ctx, before, plan, { idempotencyKey: key, actorName: 'Contract Agent' });
            await expect(attempt).rejects.toBeInstanceOf(StoreUnavailableError);
            if (mode === 'rate_limited') {
              // An outage to wait out, with the wait the store announced: never a refusal.
              await expect(attempt).rejects.toMatchObject({ options: { retryAfterSeconds: CONTRACT_RETRY_AFTER_SECONDS } });
              const shown = await callStore(h.store, 'The refund was not done.', () => h.connector.perform(h.ctx, before, plan, { idempotencyKey: key, actorName: 'Contract Agent' })).catch((e: unknown) => e);
              expect(shown).toBeInstanceOf(AppError);
              expect(shown).toMatchObject({ code: 'service_unavailable', status: 503, extra: { retry_after: CONTRACT_RETRY_AFTER_SECONDS } });
              expect(String(shown instanceof Error ? shown.message : shown)).toMatch(new RegExp(`could not be reached: .*\\bis rate limiting storedesk\\b.*; try again in ${CONTRACT_RETRY_AFTER_SECONDS} s\\. The refund was not done\\.`));
            }
          } finally {
            h.setUnreachable(false);
          }
          const unchanged = await mustRead(h, number);
          // A dropped answer may leave the refund done (once); every other failure changes nothing.
          if (mode === 'drop_after_write' && h.dropAfterWriteKeepsWrite) done = 1;
          expect(refundedAmount(unchanged)).toBe(refundedAmount(before) + done * plan.amount);
          expect(unchanged.refunds).toHaveLength(before.refunds.length + done);
        }
        const retried = await h.connector.perform(h.ctx, before, plan, { idempotencyKey: key, actorName: 'Contract Agent' });
        const again = await h.connector.perform(h.ctx, before, plan, { idempotencyKey: key, actorName: 'Contract Agent' });
        expect(retried.ok && again.ok).toBe(true);
        expect(refundedAmount(await mustRead(h, number))).toBe(refundedAmount(before) + plan.amount);
      });
    });
  });
}
