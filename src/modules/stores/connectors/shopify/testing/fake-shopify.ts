/**
 * A fake Shopify shop for tests: an HTTP server on loopback that answers the Admin GraphQL API
 * at `/admin/api/<version>/graphql.json` the way Shopify does, from in-memory state.
 *
 * Faithful where it matters to storedesk: every request is parsed and validated with graphql-js
 * against SHOPIFY_ADMIN_SDL (a subset of Shopify's published 2026-01 schema), so an unknown
 * field, argument, type or misplaced directive is rejected with a GraphQL validation error, as
 * Shopify would; a wrong access token gets Shopify's 401; an unknown path gets 404. Mutations
 * keep Shopify's rules (refunds within what each payment can return and what each line has
 * left; no cancelling an order with fulfillments; returns only of fulfilled units; unique
 * discount codes; `@idempotent` on refundCreate; a store credit account's history of credits) and
 * answer refusals as userErrors. 'drop_after_write' performs a mutation and cuts the connection
 * before its answer (only mutations calling `dropOnly` when that is set). Amounts go
 * out as Shopify's decimal strings ("129.0", "1500.0" for JPY, "12.345" for KWD).
 *
 * Everything surprising (validation errors, unknown paths, unsupported search filters) is kept
 * in `surprises`; `assertNoSurprises()` fails a test that caused one. Seeding goes through
 * `seedCustomer`/`seedOrder`/`fulfill`, which stand in for the merchant's Shopify admin.
 */
import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  GraphQLError, Kind, buildSchema, execute, getDirectiveValues, parse, specifiedRules, validate,
  type ASTNode, type DocumentNode, type GraphQLDirective, type GraphQLResolveInfo, type ValidationRule,
} from 'graphql';
import { SHOPIFY_ADMIN_SDL } from './admin-schema.graphql.ts';

/** How the fake behaves right now. */
export type FakeShopifyMode = 'up' | 'down' | 'error_503' | 'throttled' | 'throttled_graphql' | 'drop_after_write';

/** One request the fake received. */
export interface FakeRequest {
  path: string;
  operationName: string | null;
  query: string;
  variables: Record<string, unknown>;
  /** Root fields asked for (orders, refundCreate, …). */
  fields: string[];
  mutation: boolean;
  status: number;
}

const SHOP_MINOR_DIGITS: Record<string, number> = { JPY: 0, KRW: 0, VND: 0, CLP: 0, ISK: 0, KWD: 3, BHD: 3, JOD: 3, OMR: 3, TND: 3 };
const digitsOf = (currency: string) => SHOP_MINOR_DIGITS[currency] ?? 2;

/** Shopify-style decimal: at least one fractional digit, trailing zeros trimmed ("129.0", "4.95"). */
export function shopifyDecimal(minor: number, currency: string): string {
  const d = digitsOf(currency);
  const sign = minor < 0 ? '-' : '';
  const abs = Math.abs(minor).toString().padStart(d + 1, '0');
  const whole = d === 0 ? abs : abs.slice(0, -d);
  const frac = d === 0 ? '0' : abs.slice(-d).replace(/0+$/, '') || '0';
  return `${sign}${whole}.${frac}`;
}

/** A refusal the fake answers as a userError. */
class FakeUserError extends Error {
  constructor(message: string, readonly field: string[] | null = null, readonly code: string | null = null) {
    super(message);
  }
}

/** Parses an amount Shopify was sent; more decimals than the currency has is an error, as on Shopify. */
function parseAmount(value: unknown, currency: string, field: string[]): number {
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
  const m = /^(\d+)(?:\.(\d+))?$/.exec(text);
  if (!m) throw new FakeUserError(`Amount is invalid`, field, 'INVALID');
  const d = digitsOf(currency);
  const frac = (m[2] ?? '').replace(/0+$/, '');
  if (frac.length > d) throw new FakeUserError(`Amount has too many decimal places for ${currency}`, field, 'INVALID');
  return Number(`${m[1]}${frac.padEnd(d, '0')}`);
}

// ---------------------------------------------------------------------------------------------
// State

interface FakeCustomer { id: number; firstName: string; lastName: string; email: string | null; phone: string | null; createdAt: Date; credit: Map<string, FakeCreditAccount> }
interface FakeCreditAccount { accountId: number; balance: number; transactions: { id: number; amount: number; balanceAfter: number; createdAt: Date; expiresAt: string | null }[] }
interface FakeLine { id: number; title: string; variantTitle: string | null; sku: string | null; quantity: number; unitPrice: number; discount: number; tax: number; productId: number; variantId: number }
interface FakeTransaction { id: number; kind: string; status: string; gateway: string; amount: number; createdAt: Date; parentId: number | null; card: { company: string; number: string } | null }
interface FakeRefund { id: number; createdAt: Date; note: string | null; lines: { id: number; lineId: number; quantity: number; subtotal: number; tax: number }[]; shipping: { id: number; subtotal: number; tax: number } | null; transactionIds: number[] }
interface FakeFulfillment {
  id: number; name: string; status: string; displayStatus: string | null; createdAt: Date; inTransitAt: Date | null; deliveredAt: Date | null; estimatedDeliveryAt: Date | null;
  tracking: { company: string | null; number: string | null; url: string | null } | null; lines: { id: number; lineId: number; quantity: number }[];
}
interface FakeReturn { id: number; name: string; status: string; createdAt: Date; closedAt: Date | null; lines: { id: number; fulfillmentLineItemId: number; quantity: number; note: string }[] }
interface FakeAddress { name: string; address1: string; address2?: string | null; zip: string; city: string; provinceCode?: string | null; countryCode: string; phone?: string | null }
interface FakeOrder {
  id: number; name: string; customerId: number | null; email: string | null; createdAt: Date; currency: string; taxesIncluded: boolean;
  lines: FakeLine[]; shipping: { title: string; price: number; tax: number } | null; discountCodes: string[]; address: FakeAddress | null;
  transactions: FakeTransaction[]; refunds: FakeRefund[]; fulfillments: FakeFulfillment[]; returns: FakeReturn[];
  cancelledAt: Date | null; cancelReason: string | null; note: string | null; tags: string[];
  metafields: Map<string, { id: number; namespace: string; key: string; type: string; value: string }>;
}
interface FakeDiscount { id: number; code: string; kind: 'basic' | 'free_shipping'; input: Record<string, unknown> }

/** What a seeded order looks like, in minor units of its currency. */
export interface SeedOrderInput {
  customerId?: string | null;
  email?: string | null;
  currency: string;
  taxesIncluded?: boolean;
  createdAt?: Date;
  lines: { title: string; variantTitle?: string | null; sku: string; quantity: number; price: number; discount?: number; tax?: number }[];
  shipping?: { title: string; price: number; tax?: number } | null;
  discountCodes?: string[];
  address?: FakeAddress | null;
  /** The payment; null leaves the order unpaid. Default: a captured Visa card sale of the total. */
  payment?: { gateway?: string; kind?: 'SALE' | 'AUTHORIZATION'; card?: { company: string; number: string } | null } | null;
}

/** A fake Shopify shop on loopback. */
export interface FakeShopify {
  /** `http://127.0.0.1:<port>`: the connector's base URL override. */
  readonly baseUrl: string;
  readonly shopDomain: string;
  readonly apiVersion: string;
  readonly accessToken: string;
  /** The app's client secret that signs webhooks. */
  readonly webhookSecret: string;
  mode: FakeShopifyMode;
  /** Seconds announced by Retry-After in 'throttled' mode. */
  retryAfterSeconds: number;
  /**
   * In 'drop_after_write' mode, only mutations calling this root field (e.g. 'storeCreditAccountCredit')
   * lose their answer; every mutation when null.
   */
  dropOnly: string | null;
  readonly requests: FakeRequest[];
  /** Requests the fake did not know (validation errors, unknown paths, unsupported filters). */
  readonly surprises: string[];
  /** Throws when any request surprised the fake; call it at the end of a test. */
  assertNoSurprises(): void;
  /** Forgets recorded requests and surprises. */
  clearLog(): void;
  seedCustomer(input: { email: string | null; firstName: string; lastName: string; phone?: string | null; createdAt?: Date }): { id: string };
  seedOrder(input: SeedOrderInput): { id: string; name: string; total: number };
  /** Ships some or all units of an order, with tracking. */
  fulfill(orderId: string, input: { company: string; number: string; url?: string | null; at: Date; lines?: { sku: string; quantity: number }[]; deliveredAt?: Date | null; estimatedDeliveryAt?: Date | null }): { id: string; name: string };
  /** Marks a parcel delivered, as the carrier's tracking would. */
  markDelivered(fulfillmentId: string, at: Date): void;
  /** A signed delivery as Shopify sends it (headers and raw body), without sending it anywhere. */
  webhook(topic: string, payload: Record<string, unknown>, options?: { webhookId?: string; secret?: string; shopDomain?: string }): { headers: Record<string, string>; rawBody: Buffer };
  /** POSTs a signed delivery to a URL; the response status. */
  deliver(url: string, delivery: { headers: Record<string, string>; rawBody: Buffer }): Promise<number>;
  /** REST-shaped webhook payloads built from the current state. */
  orderPayload(orderId: string): Record<string, unknown>;
  refundPayload(refundId: string): Record<string, unknown>;
  fulfillmentPayload(fulfillmentId: string): Record<string, unknown>;
  /** The state of an order, for assertions. */
  orderState(orderId: string): FakeOrder;
  close(): Promise<void>;
}

const gid = (type: string, id: number) => `gid://shopify/${type}/${id}`;
function parseGid(value: unknown, type: string): number | null {
  if (typeof value !== 'string') return null;
  const m = new RegExp(`^gid://shopify/${type}/(\\d+)$`).exec(value);
  return m ? Number(m[1]) : null;
}
const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** A page of a list, Relay style, with opaque cursors. */
function connection<T>(items: readonly T[], args: { first?: number | null; after?: string | null; reverse?: boolean | null }): { edges: { cursor: string; node: T }[]; nodes: T[]; pageInfo: Record<string, unknown> } {
  const list = args.reverse ? [...items].reverse() : [...items];
  const start = args.after ? Number(Buffer.from(args.after, 'base64url').toString('utf8').replace(/^i:/, '')) + 1 : 0;
  const first = args.first ?? list.length;
  if (first > 250) throw new GraphQLError('The first argument must be at most 250.');
  const slice = list.slice(start, start + first);
  const edges = slice.map((node, i) => ({ cursor: Buffer.from(`i:${start + i}`).toString('base64url'), node }));
  return {
    edges, nodes: slice,
    pageInfo: { hasNextPage: start + first < list.length, hasPreviousPage: start > 0, startCursor: edges[0]?.cursor ?? null, endCursor: edges[edges.length - 1]?.cursor ?? null },
  };
}

/** Shopify search syntax, as far as the fake supports it: `field:value` terms, values optionally quoted. */
function parseSearch(query: string | null | undefined): Map<string, string> {
  const terms = new Map<string, string>();
  if (!query) return terms;
  const re = /(\w+):(?:"((?:[^"\\]|\\.)*)"|(\S+))/g;
  let rest = query;
  for (const m of query.matchAll(re)) {
    terms.set(m[1] ?? '', (m[2] ?? m[3] ?? '').replace(/\\(.)/g, '$1'));
    rest = rest.replace(m[0], '');
  }
  if (rest.trim()) terms.set('_free', rest.trim());
  return terms;
}

/** Shopify 2026-01 accepts @idempotent only on the mutations that support it; here, refundCreate. */
const idempotentOnlyOnRefundCreate: ValidationRule = (context) => ({
  Directive(node, _key, _parent, _path, ancestors) {
    if (node.name.value !== 'idempotent') return;
    const field = [...ancestors].reverse().find((a): a is ASTNode => !Array.isArray(a) && typeof a === 'object' && a !== null && 'kind' in a && a.kind === Kind.FIELD);
    if (!field || field.kind !== Kind.FIELD || field.name.value !== 'refundCreate') {
      context.reportError(new GraphQLError('The @idempotent directive is not supported on this field.', { nodes: [node] }));
    }
  },
});

/** Starts a fake shop on 127.0.0.1 (random port). */
export async function startFakeShopify(options: { shopDomain?: string; apiVersion?: string; accessToken?: string; webhookSecret?: string; shopCurrency?: string; shopName?: string } = {}): Promise<FakeShopify> {
  const shopDomain = options.shopDomain ?? 'contract-outfitters.myshopify.com';
  const apiVersion = options.apiVersion ?? '2026-01';
  const accessToken = options.accessToken ?? 'shpat_fake_0123456789abcdef';
  const webhookSecret = options.webhookSecret ?? 'fake-app-client-secret';
  const shopCurrency = options.shopCurrency ?? 'EUR';
  const schema = buildSchema(SHOPIFY_ADMIN_SDL);
  const idempotentDirective: GraphQLDirective | null | undefined = schema.getDirective('idempotent');

  let seq = 1000;
  const nextId = () => ++seq;
  let orderSeq = 1000;
  const customers = new Map<number, FakeCustomer>();
  const orders = new Map<number, FakeOrder>();
  const discounts = new Map<string, FakeDiscount>();
  const idempotency = new Map<string, unknown>();
  const requests: FakeRequest[] = [];
  const surprises: string[] = [];

  const bag = (minor: number, currency: string) => {
    const m = { amount: shopifyDecimal(minor, currency), currencyCode: currency };
    return { shopMoney: m, presentmentMoney: m };
  };
  const money = (minor: number, currency: string) => ({ amount: shopifyDecimal(minor, currency), currencyCode: currency });

  function orderOf(id: number | null): FakeOrder {
    const o = id === null ? undefined : orders.get(id);
    if (!o) throw new FakeUserError('Order does not exist', ['orderId'], 'NOT_FOUND');
    return o;
  }

  // --- derived order facts, as Shopify computes them
  const lineTotal = (o: FakeOrder, l: FakeLine) => l.unitPrice * l.quantity - l.discount + (o.taxesIncluded ? 0 : l.tax);
  const orderTotal = (o: FakeOrder) => o.lines.reduce((s, l) => s + lineTotal(o, l), 0) + (o.shipping ? o.shipping.price + (o.taxesIncluded ? 0 : o.shipping.tax) : 0);
  const captured = (o: FakeOrder) => o.transactions.filter((t) => (t.kind === 'SALE' || t.kind === 'CAPTURE') && t.status === 'SUCCESS');
  const refundedFrom = (o: FakeOrder, parentId: number) => o.transactions.filter((t) => t.kind === 'REFUND' && t.status === 'SUCCESS' && t.parentId === parentId).reduce((s, t) => s + t.amount, 0);
  const refundedQty = (o: FakeOrder, lineId: number) => o.refunds.reduce((s, r) => s + r.lines.filter((x) => x.lineId === lineId).reduce((a, x) => a + x.quantity, 0), 0);
  const refundedShipping = (o: FakeOrder) => o.refunds.reduce((s, r) => s + (r.shipping ? r.shipping.subtotal : 0), 0);
  const fulfilledQty = (o: FakeOrder, lineId: number) => o.fulfillments.filter((f) => f.status === 'SUCCESS').reduce((s, f) => s + f.lines.filter((x) => x.lineId === lineId).reduce((a, x) => a + x.quantity, 0), 0);

  function financialStatus(o: FakeOrder): string {
    const paid = captured(o).reduce((s, t) => s + t.amount, 0);
    const refunded = o.transactions.filter((t) => t.kind === 'REFUND' && t.status === 'SUCCESS').reduce((s, t) => s + t.amount, 0);
    if (paid === 0) {
      if (o.transactions.some((t) => t.kind === 'AUTHORIZATION' && t.status === 'SUCCESS')) return o.cancelledAt ? 'VOIDED' : 'AUTHORIZED';
      return 'PENDING';
    }
    if (refunded >= paid) return 'REFUNDED';
    return refunded > 0 ? 'PARTIALLY_REFUNDED' : 'PAID';
  }

  function fulfillmentStatus(o: FakeOrder): string {
    const total = o.lines.reduce((s, l) => s + l.quantity, 0);
    const done = o.lines.reduce((s, l) => s + Math.min(l.quantity, fulfilledQty(o, l.id)), 0);
    return done === 0 ? 'UNFULFILLED' : done >= total ? 'FULFILLED' : 'PARTIALLY_FULFILLED';
  }

  // --- GraphQL views (graphql-js calls function properties with the field's arguments)
  function customerView(c: FakeCustomer) {
    const theirOrders = [...orders.values()].filter((o) => o.customerId === c.id);
    const spent = theirOrders.reduce((s, o) => s + captured(o).reduce((a, t) => a + t.amount, 0) - o.transactions.filter((t) => t.kind === 'REFUND' && t.status === 'SUCCESS').reduce((a, t) => a + t.amount, 0), 0);
    return {
      id: gid('Customer', c.id), displayName: `${c.firstName} ${c.lastName}`.trim(), firstName: c.firstName, lastName: c.lastName,
      defaultEmailAddress: c.email ? { emailAddress: c.email } : null,
      defaultPhoneNumber: c.phone ? { phoneNumber: c.phone } : null,
      createdAt: c.createdAt.toISOString(),
      numberOfOrders: String(theirOrders.length),
      amountSpent: money(spent, shopCurrency),
      storeCreditAccounts: (args: { first?: number; after?: string }) => connection([...c.credit.entries()].map(([currency, a]) => creditAccountView(a, currency)), args),
    };
  }

  /** A store credit account with its history, oldest first (Shopify's default sort, CREATED_AT). */
  function creditAccountView(a: FakeCreditAccount, currency: string): Record<string, unknown> {
    const view: Record<string, unknown> = { id: gid('StoreCreditAccount', a.accountId), balance: money(a.balance, currency) };
    view.transactions = (args: { first?: number; after?: string; reverse?: boolean; sortKey?: string; query?: string | null }) => {
      if (args.query) surprises.push(`storeCreditAccount.transactions: unsupported query ${args.query}`);
      if (args.sortKey !== 'CREATED_AT') surprises.push(`storeCreditAccount.transactions: unsupported sort ${args.sortKey ?? ''}`);
      return connection(a.transactions.map((t) => ({
        __typename: 'StoreCreditAccountCreditTransaction', id: gid('StoreCreditAccountCreditTransaction', t.id), amount: money(t.amount, currency),
        balanceAfterTransaction: money(t.balanceAfter, currency), createdAt: t.createdAt.toISOString(), expiresAt: t.expiresAt, account: view,
      })), args);
    };
    return view;
  }

  function lineView(o: FakeOrder, l: FakeLine) {
    return {
      id: gid('LineItem', l.id), name: l.variantTitle ? `${l.title} - ${l.variantTitle}` : l.title, title: l.title, variantTitle: l.variantTitle, sku: l.sku, quantity: l.quantity,
      product: { id: gid('Product', l.productId), title: l.title }, variant: { id: gid('ProductVariant', l.variantId), title: l.variantTitle ?? 'Default Title', sku: l.sku },
      originalUnitPriceSet: bag(l.unitPrice, o.currency), originalTotalSet: bag(l.unitPrice * l.quantity, o.currency),
      discountedTotalSet: bag(l.unitPrice * l.quantity - l.discount, o.currency), totalDiscountSet: bag(l.discount, o.currency),
      taxLines: () => (l.tax ? [{ priceSet: bag(l.tax, o.currency), rate: null, title: 'VAT' }] : []),
    };
  }

  function transactionView(o: FakeOrder, t: FakeTransaction): Record<string, unknown> {
    const parent = t.parentId === null ? undefined : o.transactions.find((x) => x.id === t.parentId);
    return {
      id: gid('OrderTransaction', t.id), kind: t.kind, status: t.status, gateway: t.gateway, formattedGateway: t.gateway === 'shopify_payments' ? 'Shopify Payments' : t.gateway,
      createdAt: t.createdAt.toISOString(), processedAt: t.createdAt.toISOString(), amountSet: bag(t.amount, o.currency),
      paymentDetails: t.card ? { __typename: 'CardPaymentDetails', company: t.card.company, number: t.card.number, name: null, wallet: null } : null,
      parentTransaction: parent ? transactionView(o, parent) : null,
    };
  }

  function fulfillmentLineView(o: FakeOrder, fl: { id: number; lineId: number; quantity: number }) {
    const line = o.lines.find((l) => l.id === fl.lineId);
    return { id: gid('FulfillmentLineItem', fl.id), quantity: fl.quantity, lineItem: line ? lineView(o, line) : null };
  }

  function refundView(o: FakeOrder, r: FakeRefund) {
    const txs = o.transactions.filter((t) => r.transactionIds.includes(t.id));
    return {
      id: gid('Refund', r.id), createdAt: r.createdAt.toISOString(), updatedAt: r.createdAt.toISOString(), note: r.note,
      totalRefundedSet: bag(txs.reduce((s, t) => s + t.amount, 0), o.currency),
      refundLineItems: (args: { first?: number; after?: string }) => connection(r.lines.map((x) => {
        const line = o.lines.find((l) => l.id === x.lineId);
        return { id: gid('RefundLineItem', x.id), lineItem: line ? lineView(o, line) : null, quantity: x.quantity, restockType: 'NO_RESTOCK', subtotalSet: bag(x.subtotal, o.currency), totalTaxSet: bag(x.tax, o.currency) };
      }), args),
      refundShippingLines: (args: { first?: number; after?: string }) => connection(r.shipping ? [{
        id: gid('RefundShippingLine', r.shipping.id), shippingLine: shippingLineView(o), subtotalAmountSet: bag(r.shipping.subtotal, o.currency), taxAmountSet: bag(r.shipping.tax, o.currency),
      }] : [], args),
      transactions: (args: { first?: number; after?: string }) => connection(txs.map((t) => transactionView(o, t)), args),
    };
  }

  function shippingLineView(o: FakeOrder) {
    const s = o.shipping ?? { title: 'Shipping', price: 0, tax: 0 };
    return { id: null, title: s.title, originalPriceSet: bag(s.price, o.currency), discountedPriceSet: bag(s.price, o.currency), taxLines: s.tax ? [{ priceSet: bag(s.tax, o.currency), rate: null, title: 'VAT' }] : [] };
  }

  function orderView(o: FakeOrder) {
    const customer = o.customerId === null ? undefined : customers.get(o.customerId);
    const lineTax = o.lines.reduce((s, l) => s + l.tax, 0) + (o.shipping?.tax ?? 0);
    return {
      id: gid('Order', o.id), name: o.name, email: o.email, createdAt: o.createdAt.toISOString(), processedAt: o.createdAt.toISOString(),
      cancelledAt: iso(o.cancelledAt), cancelReason: o.cancelReason,
      displayFinancialStatus: financialStatus(o), displayFulfillmentStatus: fulfillmentStatus(o),
      currencyCode: o.currency, presentmentCurrencyCode: o.currency, taxesIncluded: o.taxesIncluded, note: o.note, tags: o.tags,
      customer: customer ? customerView(customer) : null,
      subtotalPriceSet: bag(o.lines.reduce((s, l) => s + l.unitPrice * l.quantity - l.discount, 0), o.currency),
      totalDiscountsSet: bag(o.lines.reduce((s, l) => s + l.discount, 0), o.currency),
      totalShippingPriceSet: bag(o.shipping?.price ?? 0, o.currency),
      totalTaxSet: bag(lineTax, o.currency),
      totalPriceSet: bag(orderTotal(o), o.currency),
      totalRefundedSet: bag(o.transactions.filter((t) => t.kind === 'REFUND' && t.status === 'SUCCESS').reduce((s, t) => s + t.amount, 0), o.currency),
      discountCodes: o.discountCodes,
      shippingLine: o.shipping ? shippingLineView(o) : null,
      shippingAddress: o.address ? {
        id: gid('MailingAddress', o.id), name: o.address.name, address1: o.address.address1, address2: o.address.address2 ?? null, zip: o.address.zip, city: o.address.city,
        province: null, provinceCode: o.address.provinceCode ?? null, countryCodeV2: o.address.countryCode, phone: o.address.phone ?? null,
      } : null,
      lineItems: (args: { first?: number; after?: string }) => connection(o.lines.map((l) => lineView(o, l)), args),
      transactions: (args: { first?: number }) => o.transactions.slice(0, args.first ?? undefined).map((t) => transactionView(o, t)),
      refunds: (args: { first?: number }) => o.refunds.slice(0, args.first ?? undefined).map((r) => refundView(o, r)),
      fulfillments: (args: { first?: number }) => o.fulfillments.slice(0, args.first ?? undefined).map((f) => ({
        id: gid('Fulfillment', f.id), name: f.name, status: f.status, displayStatus: f.displayStatus, createdAt: f.createdAt.toISOString(),
        inTransitAt: iso(f.inTransitAt), deliveredAt: iso(f.deliveredAt), estimatedDeliveryAt: iso(f.estimatedDeliveryAt),
        trackingInfo: () => (f.tracking ? [f.tracking] : []),
        fulfillmentLineItems: (a: { first?: number; after?: string }) => connection(f.lines.map((fl) => fulfillmentLineView(o, fl)), a),
      })),
      returns: (args: { first?: number; after?: string; query?: string }) => connection(o.returns.map((r) => ({
        id: gid('Return', r.id), name: r.name, status: r.status, createdAt: r.createdAt.toISOString(), closedAt: iso(r.closedAt),
        returnLineItems: (a: { first?: number; after?: string }) => connection(r.lines.map((x) => {
          const f = o.fulfillments.flatMap((ff) => ff.lines).find((fl) => fl.id === x.fulfillmentLineItemId);
          return { __typename: 'ReturnLineItem', id: gid('ReturnLineItem', x.id), quantity: x.quantity, returnReasonNote: x.note, customerNote: null, fulfillmentLineItem: f ? fulfillmentLineView(o, f) : null };
        }), a),
      })), args),
      metafield: (args: { namespace?: string | null; key: string }) => {
        const m = o.metafields.get(`${args.namespace ?? '$app'}.${args.key}`);
        return m ? { id: gid('Metafield', m.id), namespace: m.namespace, key: m.key, type: m.type, value: m.value } : null;
      },
    };
  }

  // --- mutations
  function userErrors<T extends Record<string, unknown>>(err: unknown, shape: (e: FakeUserError) => T): T[] {
    if (err instanceof FakeUserError) return [shape(err)];
    throw err;
  }

  function createRefund(o: FakeOrder, input: {
    note?: string | null; shipping?: { amount?: unknown; fullRefund?: boolean | null } | null;
    refundLineItems?: { lineItemId: string; quantity: number }[] | null; transactions?: { amount: unknown; gateway: string; kind: string; orderId: string; parentId?: string | null }[] | null;
  }): FakeRefund {
    const lines: FakeRefund['lines'] = [];
    for (const [i, rli] of (input.refundLineItems ?? []).entries()) {
      const lineId = parseGid(rli.lineItemId, 'LineItem');
      const line = o.lines.find((l) => l.id === lineId);
      if (!line) throw new FakeUserError('Line item does not exist', ['refundLineItems', String(i), 'lineItemId'], 'INVALID');
      if (rli.quantity < 1) throw new FakeUserError('Quantity must be greater than 0', ['refundLineItems', String(i), 'quantity'], 'INVALID');
      const done = refundedQty(o, line.id) + lines.filter((x) => x.lineId === line.id).reduce((s, x) => s + x.quantity, 0);
      if (rli.quantity > line.quantity - done) throw new FakeUserError(`Quantity cannot refund more items than were purchased`, ['refundLineItems', String(i), 'quantity'], 'INVALID');
      // Shopify splits the line's discounted subtotal and tax evenly over its units; the last unit takes the remainder.
      const share = (total: number, before: number, q: number) => Math.floor((total * (before + q)) / line.quantity) - Math.floor((total * before) / line.quantity);
      lines.push({ id: nextId(), lineId: line.id, quantity: rli.quantity, subtotal: share(line.unitPrice * line.quantity - line.discount, done, rli.quantity), tax: share(line.tax, done, rli.quantity) });
    }
    let shipping: FakeRefund['shipping'] = null;
    if (input.shipping) {
      const left = (o.shipping?.price ?? 0) - refundedShipping(o);
      const amount = input.shipping.fullRefund ? left : parseAmount(input.shipping.amount, o.currency, ['shipping', 'amount']);
      if (amount > left) throw new FakeUserError(`Shipping refund amount exceeds the refundable shipping of ${shopifyDecimal(left, o.currency)}`, ['shipping', 'amount'], 'INVALID');
      if (amount > 0) shipping = { id: nextId(), subtotal: amount, tax: 0 };
    }
    const txs: FakeTransaction[] = [];
    for (const [i, t] of (input.transactions ?? []).entries()) {
      if (t.kind !== 'REFUND') throw new FakeUserError('Transaction kind must be refund', ['transactions', String(i), 'kind'], 'INVALID');
      const parentId = parseGid(t.parentId, 'OrderTransaction');
      const parent = captured(o).find((p) => p.id === parentId);
      if (!parent) throw new FakeUserError('Parent transaction does not exist or cannot be refunded', ['transactions', String(i), 'parentId'], 'INVALID');
      if (t.gateway !== parent.gateway) throw new FakeUserError('Gateway does not match the parent transaction', ['transactions', String(i), 'gateway'], 'INVALID');
      const amount = parseAmount(t.amount, o.currency, ['transactions', String(i), 'amount']);
      const available = parent.amount - refundedFrom(o, parent.id) - txs.filter((x) => x.parentId === parent.id).reduce((s, x) => s + x.amount, 0);
      if (amount > available) throw new FakeUserError(`Refund amount ${shopifyDecimal(amount, o.currency)} is greater than the ${shopifyDecimal(available, o.currency)} available for refund`, ['transactions', String(i), 'amount'], 'INVALID');
      txs.push({ id: nextId(), kind: 'REFUND', status: 'SUCCESS', gateway: parent.gateway, amount, createdAt: new Date(), parentId: parent.id, card: parent.card });
    }
    if (lines.length === 0 && !shipping && txs.length === 0) throw new FakeUserError('Refund must contain line items, shipping or transactions', null, 'INVALID');
    o.transactions.push(...txs);
    const refund: FakeRefund = { id: nextId(), createdAt: new Date(), note: input.note ?? null, lines, shipping, transactionIds: txs.map((t) => t.id) };
    o.refunds.push(refund);
    return refund;
  }

  const rootValue = {
    shop: () => ({ id: gid('Shop', 1), name: options.shopName ?? 'Contract Outfitters', myshopifyDomain: shopDomain, currencyCode: shopCurrency }),
    customer: (args: { id: string }) => {
      const c = customers.get(parseGid(args.id, 'Customer') ?? -1);
      return c ? customerView(c) : null;
    },
    customers: (args: { first?: number; after?: string; query?: string }) => {
      const terms = parseSearch(args.query);
      for (const k of terms.keys()) if (k !== 'email' && k !== 'phone') surprises.push(`customers: unsupported search term ${k} in ${args.query ?? ''}`);
      const email = terms.get('email')?.toLowerCase();
      const phone = terms.get('phone')?.replace(/[^\d+]/g, '');
      const hits = [...customers.values()].filter((c) => (email === undefined || c.email?.toLowerCase() === email) && (phone === undefined || c.phone?.replace(/[^\d+]/g, '') === phone));
      return connection(hits.map(customerView), args);
    },
    order: (args: { id: string }) => {
      const o = orders.get(parseGid(args.id, 'Order') ?? -1);
      return o ? orderView(o) : null;
    },
    orders: (args: { first?: number; after?: string; reverse?: boolean; sortKey?: string; query?: string }) => {
      const terms = parseSearch(args.query);
      for (const k of terms.keys()) if (k !== 'name' && k !== 'customer_id') surprises.push(`orders: unsupported search term ${k} in ${args.query ?? ''}`);
      const name = terms.get('name')?.toLowerCase();
      const customerId = terms.get('customer_id');
      // Like Shopify's search, name: matches by prefix (#100 finds #1001 too); callers must check exactly.
      const hits = [...orders.values()].filter((o) => (name === undefined || o.name.toLowerCase().startsWith(name)) && (customerId === undefined || String(o.customerId) === customerId));
      const sorted = hits.sort((a, b) => (args.sortKey === 'CREATED_AT' || args.sortKey === 'PROCESSED_AT' ? a.createdAt.getTime() - b.createdAt.getTime() : a.id - b.id) || a.id - b.id);
      return connection(sorted.map(orderView), { first: args.first ?? null, after: args.after ?? null, reverse: args.reverse ?? false });
    },
    job: (args: { id: string }) => ({ id: args.id, done: true }),

    refundCreate: (args: { input: Parameters<typeof createRefund>[1] & { orderId: string; currency?: string | null } }, _ctx: unknown, info: GraphQLResolveInfo) => {
      const key = idempotencyKey(info);
      if (key && idempotency.has(`refund:${key}`)) return idempotency.get(`refund:${key}`);
      let result: unknown;
      try {
        const o = orderOf(parseGid(args.input.orderId, 'Order'));
        if (args.input.currency && args.input.currency !== o.currency) throw new FakeUserError('Currency must be the presentment currency of the order', ['currency'], 'INVALID');
        const refund = createRefund(o, args.input);
        result = { order: orderView(o), refund: refundView(o, refund), userErrors: [] };
      } catch (err) {
        result = { order: null, refund: null, userErrors: userErrors(err, (e) => ({ field: e.field, message: e.message })) };
      }
      if (key) idempotency.set(`refund:${key}`, result);
      return result;
    },

    orderCancel: (args: { orderId: string; reason: string; refund?: boolean | null; refundMethod?: { originalPaymentMethodsRefund?: boolean | null } | null; restock: boolean; staffNote?: string | null }) => {
      try {
        const o = orderOf(parseGid(args.orderId, 'Order'));
        if (o.cancelledAt) throw new FakeUserError('Order has already been cancelled', ['orderId'], 'INVALID');
        if (o.fulfillments.some((f) => f.status === 'SUCCESS')) throw new FakeUserError('Cannot cancel an order with fulfillments; cancel the fulfillments first', ['orderId'], 'INVALID');
        const refund = args.refundMethod?.originalPaymentMethodsRefund ?? args.refund ?? false;
        if (refund) {
          const transactions = captured(o).map((p) => ({ parent: p, left: p.amount - refundedFrom(o, p.id) })).filter((x) => x.left > 0)
            .map((x) => ({ amount: shopifyDecimal(x.left, o.currency), gateway: x.parent.gateway, kind: 'REFUND', orderId: gid('Order', o.id), parentId: gid('OrderTransaction', x.parent.id) }));
          const lines = o.lines.map((l) => ({ lineItemId: gid('LineItem', l.id), quantity: l.quantity - refundedQty(o, l.id) })).filter((l) => l.quantity > 0);
          const shippingLeft = (o.shipping?.price ?? 0) - refundedShipping(o);
          if (transactions.length || lines.length) createRefund(o, { note: 'Order canceled', refundLineItems: lines, transactions, shipping: shippingLeft > 0 ? { fullRefund: true } : null });
        }
        for (const t of o.transactions) {
          if (t.kind === 'AUTHORIZATION' && t.status === 'SUCCESS' && !o.transactions.some((x) => x.parentId === t.id)) {
            o.transactions.push({ id: nextId(), kind: 'VOID', status: 'SUCCESS', gateway: t.gateway, amount: t.amount, createdAt: new Date(), parentId: t.id, card: t.card });
          }
        }
        o.cancelledAt = new Date();
        o.cancelReason = args.reason;
        return { job: { id: gid('Job', nextId()), done: true }, orderCancelUserErrors: [], userErrors: [] };
      } catch (err) {
        const errors = userErrors(err, (e) => ({ field: e.field, message: e.message, code: e.code === 'NOT_FOUND' ? 'NOT_FOUND' : 'INVALID' }));
        return { job: null, orderCancelUserErrors: errors, userErrors: errors.map((e) => ({ field: e.field, message: e.message })) };
      }
    },

    returnCreate: (args: { returnInput: { orderId: string; returnLineItems: { fulfillmentLineItemId: string; quantity: number; returnReasonNote?: string | null }[] } }) => {
      try {
        const o = orderOf(parseGid(args.returnInput.orderId, 'Order'));
        if (args.returnInput.returnLineItems.length === 0) throw new FakeUserError('Return line items cannot be blank', ['returnInput', 'returnLineItems'], 'BLANK');
        const lines: FakeReturn['lines'] = [];
        for (const [i, x] of args.returnInput.returnLineItems.entries()) {
          const flId = parseGid(x.fulfillmentLineItemId, 'FulfillmentLineItem');
          const fl = o.fulfillments.filter((f) => f.status === 'SUCCESS').flatMap((f) => f.lines).find((y) => y.id === flId);
          if (!fl) throw new FakeUserError('Fulfillment line item does not exist', ['returnInput', 'returnLineItems', String(i), 'fulfillmentLineItemId'], 'NOT_FOUND');
          const inReturns = o.returns.filter((r) => r.status !== 'CANCELED' && r.status !== 'DECLINED').flatMap((r) => r.lines).filter((y) => y.fulfillmentLineItemId === fl.id).reduce((s, y) => s + y.quantity, 0);
          if (x.quantity < 1 || x.quantity > fl.quantity - inReturns) throw new FakeUserError(`Quantity must be less than or equal to the returnable quantity of ${fl.quantity - inReturns}`, ['returnInput', 'returnLineItems', String(i), 'quantity'], 'GREATER_THAN');
          lines.push({ id: nextId(), fulfillmentLineItemId: fl.id, quantity: x.quantity, note: x.returnReasonNote ?? '' });
        }
        const ret: FakeReturn = { id: nextId(), name: `${o.name}-R${o.returns.length + 1}`, status: 'OPEN', createdAt: new Date(), closedAt: null, lines };
        o.returns.push(ret);
        return { return: { id: gid('Return', ret.id), name: ret.name, status: ret.status }, userErrors: [] };
      } catch (err) {
        return { return: null, userErrors: userErrors(err, (e) => ({ field: e.field, message: e.message, code: e.code })) };
      }
    },

    discountCodeBasicCreate: (args: { basicCodeDiscount: Record<string, unknown> }) => createDiscount('basic', args.basicCodeDiscount, 'basicCodeDiscount'),
    discountCodeFreeShippingCreate: (args: { freeShippingCodeDiscount: Record<string, unknown> }) => createDiscount('free_shipping', args.freeShippingCodeDiscount, 'freeShippingCodeDiscount'),

    storeCreditAccountCredit: (args: { id: string; creditInput: { creditAmount: { amount: string; currencyCode: string }; expiresAt?: string | null } }) => {
      try {
        const customerId = parseGid(args.id, 'Customer');
        const accountOwner = customerId !== null ? customers.get(customerId) : [...customers.values()].find((c) => [...c.credit.values()].some((a) => a.accountId === parseGid(args.id, 'StoreCreditAccount')));
        if (!accountOwner) throw new FakeUserError('Owner does not exist', ['id'], customerId !== null ? 'OWNER_NOT_FOUND' : 'ACCOUNT_NOT_FOUND');
        const currency = args.creditInput.creditAmount.currencyCode;
        const amount = parseAmount(args.creditInput.creditAmount.amount, currency, ['creditInput', 'creditAmount', 'amount']);
        if (amount <= 0) throw new FakeUserError('A positive amount must be used to credit a store credit account', ['creditInput', 'creditAmount', 'amount'], 'NEGATIVE_OR_ZERO_AMOUNT');
        if (args.creditInput.expiresAt && Date.parse(args.creditInput.expiresAt) < Date.now()) throw new FakeUserError('The expiry date must be in the future', ['creditInput', 'expiresAt'], 'EXPIRES_AT_IN_PAST');
        const account = accountOwner.credit.get(currency) ?? { accountId: nextId(), balance: 0, transactions: [] };
        account.balance += amount;
        const tx = { id: nextId(), amount, balanceAfter: account.balance, createdAt: new Date(), expiresAt: args.creditInput.expiresAt ?? null };
        account.transactions.push(tx);
        accountOwner.credit.set(currency, account);
        return {
          storeCreditAccountTransaction: { id: gid('StoreCreditAccountCreditTransaction', tx.id), amount: money(amount, currency), balanceAfterTransaction: money(account.balance, currency), createdAt: tx.createdAt.toISOString(), expiresAt: tx.expiresAt, account: creditAccountView(account, currency) },
          userErrors: [],
        };
      } catch (err) {
        return { storeCreditAccountTransaction: null, userErrors: userErrors(err, (e) => ({ field: e.field, message: e.message, code: e.code })) };
      }
    },

    orderUpdate: (args: { input: { id: string; note?: string | null; tags?: string[] | null; email?: string | null; metafields?: { namespace?: string | null; key?: string | null; value?: string | null; type?: string | null }[] | null } }) => {
      try {
        const o = orderOf(parseGid(args.input.id, 'Order'));
        for (const [i, m] of (args.input.metafields ?? []).entries()) {
          if (!m.key || m.value === null || m.value === undefined || !m.type) throw new FakeUserError('Metafield key, value and type are required', ['metafields', String(i)], 'BLANK');
          if (m.type === 'json') {
            try {
              JSON.parse(m.value);
            } catch {
              throw new FakeUserError('Value must be valid JSON', ['metafields', String(i), 'value'], 'INVALID');
            }
          }
          const ns = m.namespace ?? '$app';
          const existing = o.metafields.get(`${ns}.${m.key}`);
          o.metafields.set(`${ns}.${m.key}`, { id: existing?.id ?? nextId(), namespace: ns, key: m.key, type: m.type, value: m.value });
        }
        if (args.input.note !== undefined) o.note = args.input.note;
        if (args.input.tags) o.tags = args.input.tags;
        if (args.input.email) o.email = args.input.email;
        return { order: orderView(o), userErrors: [] };
      } catch (err) {
        return { order: null, userErrors: userErrors(err, (e) => ({ field: e.field, message: e.message })) };
      }
    },
  };

  function createDiscount(kind: FakeDiscount['kind'], input: Record<string, unknown>, argName: string) {
    try {
      const code = typeof input.code === 'string' ? input.code.trim() : '';
      if (!code) throw new FakeUserError("Code can't be blank", [argName, 'code'], 'BLANK');
      if (discounts.has(code.toUpperCase())) throw new FakeUserError('Code must be unique. Please try a different code.', [argName, 'code'], 'TAKEN');
      const context = input.context && typeof input.context === 'object' ? input.context : null;
      const add = context && 'customers' in context && context.customers && typeof context.customers === 'object' && 'add' in context.customers && Array.isArray(context.customers.add) ? context.customers.add : [];
      for (const c of add) if (!customers.has(parseGid(c, 'Customer') ?? -1)) throw new FakeUserError('Customer does not exist', [argName, 'context', 'customers', 'add'], 'INVALID');
      const d: FakeDiscount = { id: nextId(), code, kind, input };
      discounts.set(code.toUpperCase(), d);
      return { codeDiscountNode: { id: gid('DiscountCodeNode', d.id) }, userErrors: [] };
    } catch (err) {
      return { codeDiscountNode: null, userErrors: userErrors(err, (e) => ({ field: e.field, message: e.message, code: e.code, extraInfo: null })) };
    }
  }

  function idempotencyKey(info: GraphQLResolveInfo): string | null {
    const node = info.fieldNodes[0];
    if (!node || !idempotentDirective) return null;
    const values = getDirectiveValues(idempotentDirective, node, info.variableValues);
    return values && typeof values.key === 'string' ? values.key : null;
  }

  // --- HTTP
  async function readBody(req: IncomingMessage): Promise<string> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
    return Buffer.concat(chunks).toString('utf8');
  }

  function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
    res.end(JSON.stringify(body));
  }

  const cost = { requestedQueryCost: 12, actualQueryCost: 12, throttleStatus: { maximumAvailable: 2000, currentlyAvailable: 1988, restoreRate: 100 } };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const record: FakeRequest = { path, operationName: null, query: '', variables: {}, fields: [], mutation: false, status: 0 };
    requests.push(record);
    if (fake.mode === 'down') {
      record.status = -1;
      req.socket.destroy();
      return;
    }
    if (req.method !== 'POST' || path !== `/admin/api/${apiVersion}/graphql.json`) {
      surprises.push(`unexpected ${req.method ?? '?'} ${path}`);
      record.status = 404;
      send(res, 404, { errors: 'Not Found' });
      return;
    }
    if (req.headers['x-shopify-access-token'] !== accessToken) {
      record.status = 401;
      send(res, 401, { errors: '[API] Invalid API key or access token (unrecognized login or wrong password)' });
      return;
    }
    if (fake.mode === 'error_503') {
      record.status = 503;
      send(res, 503, { errors: 'Service Unavailable' });
      return;
    }
    if (fake.mode === 'throttled') {
      record.status = 429;
      send(res, 429, { errors: 'Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service.' }, { 'retry-after': String(fake.retryAfterSeconds) });
      return;
    }
    let body: { query?: unknown; variables?: unknown; operationName?: unknown };
    try {
      body = JSON.parse(await readBody(req)) as typeof body;
    } catch {
      surprises.push('a request body that is not JSON');
      record.status = 400;
      send(res, 400, { errors: 'Bad Request' });
      return;
    }
    record.query = typeof body.query === 'string' ? body.query : '';
    record.variables = body.variables && typeof body.variables === 'object' ? { ...body.variables } : {};
    record.operationName = typeof body.operationName === 'string' ? body.operationName : null;
    let document: DocumentNode;
    try {
      document = parse(record.query);
    } catch (err) {
      surprises.push(`syntax error: ${String(err)}`);
      record.status = 200;
      send(res, 200, { errors: [{ message: err instanceof GraphQLError ? err.message : String(err), extensions: { code: 'syntaxError' } }] });
      return;
    }
    for (const def of document.definitions) {
      if (def.kind !== Kind.OPERATION_DEFINITION) continue;
      record.operationName ??= def.name?.value ?? null;
      record.mutation ||= def.operation === 'mutation';
      for (const sel of def.selectionSet.selections) if (sel.kind === Kind.FIELD) record.fields.push(sel.name.value);
    }
    const errors = validate(schema, document, [...specifiedRules, idempotentOnlyOnRefundCreate]);
    if (errors.length > 0) {
      surprises.push(`invalid request: ${errors.map((e) => e.message).join('; ')}`);
      record.status = 200;
      send(res, 200, { errors: errors.map((e) => ({ message: e.message, locations: e.locations, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } })) });
      return;
    }
    if (fake.mode === 'throttled_graphql') {
      record.status = 200;
      send(res, 200, {
        errors: [{ message: 'Throttled', extensions: { code: 'THROTTLED', documentation: 'https://shopify.dev/api/usage/rate-limits' } }],
        extensions: { cost: { requestedQueryCost: 302, actualQueryCost: null, throttleStatus: { maximumAvailable: 2000, currentlyAvailable: 2, restoreRate: 100 } } },
      });
      return;
    }
    const result = await execute({ schema, document, rootValue, variableValues: record.variables, operationName: record.operationName ?? undefined });
    if (result.errors?.length) surprises.push(`execution error: ${result.errors.map((e) => e.message).join('; ')}`);
    if (fake.mode === 'drop_after_write' && record.mutation && (fake.dropOnly === null || record.fields.includes(fake.dropOnly))) {
      record.status = -2;
      req.socket.destroy();
      return;
    }
    record.status = 200;
    send(res, 200, { ...(result.errors?.length ? { errors: result.errors.map((e) => ({ message: e.message, path: e.path })) } : {}), data: result.data ?? null, extensions: { cost } });
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      surprises.push(`fake crashed: ${String(err)}`);
      if (!res.headersSent) send(res, 500, { errors: 'Internal Server Error' });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as AddressInfo;

  function orderByGid(id: string): FakeOrder {
    const o = orders.get(parseGid(id, 'Order') ?? -1);
    if (!o) throw new Error(`fake Shopify has no order ${id}`);
    return o;
  }

  const fake: FakeShopify = {
    baseUrl: `http://127.0.0.1:${address.port}`,
    shopDomain, apiVersion, accessToken, webhookSecret,
    mode: 'up',
    retryAfterSeconds: 2,
    dropOnly: null,
    requests, surprises,
    assertNoSurprises() {
      if (surprises.length) throw new Error(`fake Shopify was surprised:\n${surprises.join('\n')}`);
    },
    clearLog() {
      requests.length = 0;
      surprises.length = 0;
    },
    seedCustomer(input) {
      const c: FakeCustomer = { id: nextId(), firstName: input.firstName, lastName: input.lastName, email: input.email, phone: input.phone ?? null, createdAt: input.createdAt ?? new Date(), credit: new Map() };
      customers.set(c.id, c);
      return { id: gid('Customer', c.id) };
    },
    seedOrder(input) {
      const customerId = input.customerId ? parseGid(input.customerId, 'Customer') : null;
      const customer = customerId === null ? undefined : customers.get(customerId);
      const o: FakeOrder = {
        id: nextId(), name: `#${++orderSeq}`, customerId: customer?.id ?? null, email: input.email ?? customer?.email ?? null, createdAt: input.createdAt ?? new Date(),
        currency: input.currency, taxesIncluded: input.taxesIncluded ?? true,
        lines: input.lines.map((l) => ({ id: nextId(), title: l.title, variantTitle: l.variantTitle ?? null, sku: l.sku, quantity: l.quantity, unitPrice: l.price, discount: l.discount ?? 0, tax: l.tax ?? 0, productId: nextId(), variantId: nextId() })),
        shipping: input.shipping ? { title: input.shipping.title, price: input.shipping.price, tax: input.shipping.tax ?? 0 } : null,
        discountCodes: input.discountCodes ?? [], address: input.address ?? null, transactions: [], refunds: [], fulfillments: [], returns: [],
        cancelledAt: null, cancelReason: null, note: null, tags: [], metafields: new Map(),
      };
      if (input.payment !== null) {
        const p = input.payment ?? {};
        o.transactions.push({
          id: nextId(), kind: p.kind ?? 'SALE', status: 'SUCCESS', gateway: p.gateway ?? 'shopify_payments', amount: orderTotal(o), createdAt: o.createdAt, parentId: null,
          card: p.card === undefined ? { company: 'Visa', number: '•••• •••• •••• 4242' } : p.card,
        });
      }
      orders.set(o.id, o);
      return { id: gid('Order', o.id), name: o.name, total: orderTotal(o) };
    },
    fulfill(orderId, input) {
      const o = orderByGid(orderId);
      const lines = input.lines
        ? input.lines.map((x) => {
          const line = o.lines.find((l) => l.sku === x.sku);
          if (!line) throw new Error(`order ${o.name} has no ${x.sku}`);
          return { id: nextId(), lineId: line.id, quantity: x.quantity };
        })
        : o.lines.map((l) => ({ id: nextId(), lineId: l.id, quantity: l.quantity - fulfilledQty(o, l.id) })).filter((x) => x.quantity > 0);
      const f: FakeFulfillment = {
        id: nextId(), name: `${o.name}.${o.fulfillments.length + 1}`, status: 'SUCCESS', displayStatus: input.deliveredAt ? 'DELIVERED' : 'IN_TRANSIT',
        createdAt: input.at, inTransitAt: input.at, deliveredAt: input.deliveredAt ?? null, estimatedDeliveryAt: input.estimatedDeliveryAt ?? null,
        tracking: { company: input.company, number: input.number, url: input.url ?? null }, lines,
      };
      o.fulfillments.push(f);
      return { id: gid('Fulfillment', f.id), name: f.name };
    },
    markDelivered(fulfillmentId, at) {
      const id = parseGid(fulfillmentId, 'Fulfillment');
      const f = [...orders.values()].flatMap((o) => o.fulfillments).find((x) => x.id === id);
      if (!f) throw new Error(`fake Shopify has no fulfillment ${fulfillmentId}`);
      f.deliveredAt = at;
      f.displayStatus = 'DELIVERED';
    },
    webhook(topic, payload, opts = {}) {
      const rawBody = Buffer.from(JSON.stringify(payload));
      return {
        rawBody,
        headers: {
          'content-type': 'application/json',
          'x-shopify-topic': topic,
          'x-shopify-hmac-sha256': createHmac('sha256', opts.secret ?? webhookSecret).update(rawBody).digest('base64'),
          'x-shopify-shop-domain': opts.shopDomain ?? shopDomain,
          'x-shopify-api-version': apiVersion,
          'x-shopify-webhook-id': opts.webhookId ?? `b54557e4-${nextId()}-4f3e-9d3b-6e0c2c1a7f00`,
          'x-shopify-triggered-at': new Date().toISOString(),
          'x-shopify-event-id': `e-${nextId()}`,
        },
      };
    },
    async deliver(url, delivery) {
      const res = await fetch(url, { method: 'POST', headers: delivery.headers, body: delivery.rawBody });
      await res.body?.cancel();
      return res.status;
    },
    orderPayload(orderId) {
      const o = orderByGid(orderId);
      const customer = o.customerId === null ? undefined : customers.get(o.customerId);
      return {
        id: o.id, admin_graphql_api_id: gid('Order', o.id), name: o.name, order_number: Number(o.name.replace(/\D/g, '')), email: o.email, contact_email: o.email,
        created_at: o.createdAt.toISOString(), updated_at: new Date().toISOString(), processed_at: o.createdAt.toISOString(),
        cancelled_at: iso(o.cancelledAt), cancel_reason: o.cancelReason ? o.cancelReason.toLowerCase() : null,
        currency: o.currency, presentment_currency: o.currency, total_price: shopifyDecimal(orderTotal(o), o.currency),
        financial_status: financialStatus(o).toLowerCase(), fulfillment_status: fulfillmentStatus(o) === 'UNFULFILLED' ? null : fulfillmentStatus(o).toLowerCase(),
        payment_gateway_names: [...new Set(o.transactions.map((t) => t.gateway))],
        customer: customer ? { id: customer.id, email: customer.email, first_name: customer.firstName, last_name: customer.lastName } : null,
        fulfillments: o.fulfillments.map((f) => ({
          id: f.id, name: f.name, order_id: o.id, status: f.status.toLowerCase(), created_at: f.createdAt.toISOString(), shipment_status: f.deliveredAt ? 'delivered' : 'in_transit',
          tracking_company: f.tracking?.company ?? null, tracking_number: f.tracking?.number ?? null, tracking_url: f.tracking?.url ?? null,
        })),
      };
    },
    refundPayload(refundId) {
      const id = parseGid(refundId, 'Refund');
      for (const o of orders.values()) {
        const r = o.refunds.find((x) => x.id === id);
        if (!r) continue;
        return {
          id: r.id, admin_graphql_api_id: gid('Refund', r.id), order_id: o.id, created_at: r.createdAt.toISOString(), processed_at: r.createdAt.toISOString(), note: r.note, restock: false,
          refund_line_items: r.lines.map((x) => ({ id: x.id, line_item_id: x.lineId, quantity: x.quantity, subtotal: shopifyDecimal(x.subtotal, o.currency), total_tax: shopifyDecimal(x.tax, o.currency) })),
          transactions: o.transactions.filter((t) => r.transactionIds.includes(t.id)).map((t) => ({
            id: t.id, order_id: o.id, kind: 'refund', status: 'success', gateway: t.gateway, amount: shopifyDecimal(t.amount, o.currency), currency: o.currency, parent_id: t.parentId,
          })),
        };
      }
      throw new Error(`fake Shopify has no refund ${refundId}`);
    },
    fulfillmentPayload(fulfillmentId) {
      const id = parseGid(fulfillmentId, 'Fulfillment');
      for (const o of orders.values()) {
        const f = o.fulfillments.find((x) => x.id === id);
        if (!f) continue;
        return {
          id: f.id, admin_graphql_api_id: gid('Fulfillment', f.id), order_id: o.id, name: f.name, email: o.email, status: f.status.toLowerCase(),
          created_at: f.createdAt.toISOString(), updated_at: (f.deliveredAt ?? f.createdAt).toISOString(), shipment_status: f.deliveredAt ? 'delivered' : 'in_transit',
          tracking_company: f.tracking?.company ?? null, tracking_number: f.tracking?.number ?? null, tracking_numbers: f.tracking?.number ? [f.tracking.number] : [],
          tracking_url: f.tracking?.url ?? null, tracking_urls: f.tracking?.url ? [f.tracking.url] : [],
          line_items: f.lines.map((x) => ({ id: x.lineId, quantity: x.quantity })),
        };
      }
      throw new Error(`fake Shopify has no fulfillment ${fulfillmentId}`);
    },
    orderState: orderByGid,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
  return fake;
}
