/**
 * The Shopify connector: reads customers and orders through Shopify's Admin GraphQL API, acts on
 * orders with its mutations, and reads its signed webhooks into order events.
 *
 * Every action re-reads the order from Shopify and re-plans it before acting, so a stale preview
 * is refused instead of executed. Repeats are prevented in three ways: refunds carry Shopify's own
 * idempotency key (`@idempotent`, API 2026-01) and a marker in the refund note, and returns a marker
 * in their return reason notes, so a retry after a lost answer finds the refund or return it made;
 * store credit, which has no field to carry a key, is announced first in an order metafield
 * (`storedesk.credit_<key>`, with the newest credit already on the account), and a retry looks for
 * a credit of that amount after it before crediting again; every action also records its key in
 * an order metafield (`storedesk.actions`) after it succeeds and checks it first. Exchanges and reships
 * are not offered: Shopify's exchange flow and free replacement orders need more than a refund
 * or a return, and a half-made replacement is worse than none.
 */
import { createHash } from 'node:crypto';
import type { Ctx } from '../../../../shared/context.ts';
import { formatMoney, toDecimalString, toMinorUnits } from '../../money.ts';
import { planAction } from '../action-planner.ts';
import {
  ORDER_ACTION_KINDS, StoreUnavailableError, refuse, type ActionOptions, type ActionOutcome, type ActionPlan, type ActionSuccess, type ConnectorCapabilities,
  type CustomerLookup, type OrderPage, type PlatformDescriptor, type StoreConnector, type StoreCredentials, type StoreCustomer, type StoreInfo,
  type StoreOrder, type StoreVariant, type TrackingMatch,
} from '../connector.ts';
import { paymentLabel } from '../order-math.ts';
import { createTurnTaking } from '../remote.ts';
import { createShopifyClient, type ShopifyClient } from './shopify.client.ts';
import { legacyId, presentment, refundMarker, toGid, toStoreCustomer, toStoreOrder } from './shopify.mapping.ts';
import * as g from './shopify.queries.ts';
import { deliveryEvents, readShopifyDelivery, type OrderRef } from './shopify.webhooks.ts';

/** The Admin API version storedesk is written and tested against. */
export const SHOPIFY_API_VERSION = '2026-01';

/** What an admin fills in to connect a Shopify store. */
export const SHOPIFY_PLATFORM: PlatformDescriptor = {
  platform: 'shopify',
  name: 'Shopify',
  settings: [
    { key: 'shop_domain', label: 'Shop domain', kind: 'text', required: true, help: 'The store’s myshopify.com address, e.g. northwind.myshopify.com.' },
    { key: 'api_version', label: 'Admin API version', kind: 'text', required: false, help: `Leave empty for ${SHOPIFY_API_VERSION}, the version storedesk is tested with.` },
  ],
  credentials: [
    { key: 'access_token', label: 'Admin API access token', kind: 'secret', required: true, help: 'From the custom app’s API credentials (starts with shpat_).' },
    { key: 'webhook_secret', label: 'Webhook signing secret', kind: 'secret', required: true, help: 'The app’s client secret (API secret key); Shopify signs webhooks with it.' },
  ],
};

/** What storedesk can do on Shopify. */
export const SHOPIFY_CAPABILITIES: ConnectorCapabilities = {
  customerLookup: ['email', 'phone', 'external_id'],
  actions: { refund: true, cancel: true, create_return: true, exchange: false, reship: false, discount_code: true, store_credit: true, add_note: true },
  refundScopes: ['order', 'lines', 'shipping', 'amount'],
  refundToStoreCredit: false,
  trackingLookup: false,
  changeFeed: 'webhook',
  idempotency: 'emulated',
};

/** Test seams: where Shopify is, and how long to wait. */
export interface ShopifyConnectorOptions {
  /** Replaces `https://{shop_domain}` (the fake on loopback). */
  baseUrl?: string | undefined;
  fetch?: typeof fetch | undefined;
  timeoutMs?: number | undefined;
  /** Pause between looks at an order-cancel job. */
  jobPollMs?: number | undefined;
}

const SHOP_DOMAIN = /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/;

/** `https://northwind.myshopify.com/` → `northwind.myshopify.com`. */
export function normalizeShopDomain(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const d = value.trim().toLowerCase().replace(/^https?:\/\//, '').replace(/\/.*$/, '');
  return SHOP_DOMAIN.test(d) ? d : null;
}

/** A value for Shopify's search syntax, quoted. */
function searchValue(v: string): string {
  return `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** What an idempotency record keeps of an outcome. */
interface ActionRecord { a: string; s: string; r: string | null; m: { amount: number; currency: string } | null; t: string }

function readRecords(value: string | null | undefined): Record<string, ActionRecord> {
  if (!value) return {};
  try {
    const parsed: unknown = JSON.parse(value);
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return {};
    const out: Record<string, ActionRecord> = {};
    for (const [k, v] of Object.entries(parsed)) {
      if (v && typeof v === 'object' && 'a' in v && 's' in v && typeof v.a === 'string' && typeof v.s === 'string') {
        const r = 'r' in v && typeof v.r === 'string' ? v.r : null;
        const m = 'm' in v && v.m && typeof v.m === 'object' && 'amount' in v.m && 'currency' in v.m && typeof v.m.amount === 'number' && typeof v.m.currency === 'string'
          ? { amount: v.m.amount, currency: v.m.currency } : null;
        out[k] = { a: v.a, s: v.s, r, m, t: 't' in v && typeof v.t === 'string' ? v.t : '' };
      }
    }
    return out;
  } catch {
    return {};
  }
}

/** The records with one more, keeping the newest 50. */
function withRecord(records: Record<string, ActionRecord>, key: string, outcome: ActionSuccess): string {
  const all = { ...records, [key]: { a: outcome.action, s: outcome.summary, r: outcome.storeReference, m: outcome.amount, t: new Date().toISOString() } };
  const kept = Object.entries(all).sort((x, y) => y[1].t.localeCompare(x[1].t)).slice(0, 50);
  return JSON.stringify(Object.fromEntries(kept));
}

/** A short stable hash of an idempotency key (for notes, metafields and Shopify's key). */
function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 32);
}

/** Shopify's idempotency key: a UUID-shaped rendering of the hash, as Shopify recommends UUIDs. */
function uuidOf(hash: string): string {
  return `${hash.slice(0, 8)}-${hash.slice(8, 12)}-4${hash.slice(13, 16)}-a${hash.slice(17, 20)}-${hash.slice(20, 32)}`;
}

/** A code a customer can type, derived from the key so a retry makes the same code. */
function codeFromKey(hash: string): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  let out = '';
  for (let i = 0; i < 8; i++) out += alphabet[parseInt(hash.slice(i * 2, i * 2 + 2), 16) % alphabet.length];
  return `SORRY-${out}`;
}

/** Shopify's userErrors in one sentence for an agent. */
function refusalText(errors: readonly g.UserError[]): string {
  return errors.map((e) => e.message.replace(/\.$/, '')).join('; ');
}

/** What storedesk writes on the order before giving store credit: the amount, and where the account's history stood. */
interface CreditIntent {
  amount: number;
  currency: string;
  /** The account's newest credit transaction before this credit (null: none yet); the credit, if given, is newer. */
  after: string | null;
}

function readCreditIntent(value: string | null | undefined): CreditIntent | null {
  if (!value) return null;
  try {
    const v: unknown = JSON.parse(value);
    if (!v || typeof v !== 'object' || !('amount' in v) || !('currency' in v) || typeof v.amount !== 'number' || typeof v.currency !== 'string') return null;
    return { amount: v.amount, currency: v.currency, after: 'after' in v && typeof v.after === 'string' ? v.after : null };
  } catch {
    return null;
  }
}

/** The metafield key of a store credit's intent (Shopify keys: 2–64 letters, digits, `_` or `-`). */
const creditIntentKey = (keyHash: string) => `credit_${keyHash}`;

/** How many of an account's newest transactions a retry looks through for the credit it may have given. */
const CREDIT_HISTORY_PAGE = 50;

/** What an opened return is called in the audit log and on the ticket. */
function returnSummary(plan: Extract<ActionPlan, { action: 'create_return' }>, rmaNumber: string): string {
  return `Return ${rmaNumber} opened for ${plan.lines.map((l) => `${l.quantity} × ${l.title}`).join(', ')}`;
}

/** A return reason note carrying storedesk's marker, within Shopify's 255 characters. */
function markedNote(reason: string, marker: string): string {
  const text = reason.slice(0, 255 - marker.length - 1).trim();
  return text ? `${text} ${marker}` : marker;
}

/** Builds the Shopify connector of one store. */
export function createShopifyConnector(store: StoreInfo, credentials: StoreCredentials, options: ShopifyConnectorOptions = {}): StoreConnector {
  const shopDomain = normalizeShopDomain(store.settings.shop_domain);
  const apiVersion = typeof store.settings.api_version === 'string' && /^\d{4}-\d{2}$/.test(store.settings.api_version.trim()) ? store.settings.api_version.trim() : SHOPIFY_API_VERSION;
  const adminBase = shopDomain ? `https://admin.shopify.com/store/${shopDomain.replace(/\.myshopify\.com$/, '')}` : null;
  const jobPollMs = options.jobPollMs ?? 500;
  let built: ShopifyClient | null = null;

  function client(): ShopifyClient {
    if (!shopDomain) throw new StoreUnavailableError('the shop domain is not set or not a myshopify.com address; an admin can fix it in Settings → Stores');
    const token = credentials.access_token;
    if (!token) throw new StoreUnavailableError('no Admin API access token is saved for this store; an admin can enter it in Settings → Stores');
    built ??= createShopifyClient({ shopDomain, apiVersion, accessToken: token, baseUrl: options.baseUrl, fetch: options.fetch, timeoutMs: options.timeoutMs });
    return built;
  }

  const money = (amount: number, currency: string) => formatMoney(amount, currency);

  async function orderNode(id: string): Promise<g.ShopifyOrderNode | null> {
    return (await client().request<g.OrderData>({ query: g.ORDER_QUERY, variables: { id } })).order;
  }

  /** The order's id by the name customers quote, checked exactly (Shopify's search is fuzzy). */
  async function findOrderId(orderNumber: string): Promise<string | null> {
    const wanted = orderNumber.trim();
    if (!wanted) return null;
    const candidates = wanted.startsWith('#') ? [wanted] : [wanted, `#${wanted}`];
    for (const name of candidates) {
      const data = await client().request<g.OrderIdsData>({ query: g.ORDER_IDS_QUERY, variables: { query: `name:${searchValue(name)}`, first: 5 } });
      const hit = data.orders.nodes.find((o) => o.name.toLowerCase() === name.toLowerCase());
      if (hit) return hit.id;
    }
    return null;
  }

  async function customers(query: string): Promise<g.ShopifyCustomerNode[]> {
    return (await client().request<g.CustomersData>({ query: g.CUSTOMERS_QUERY, variables: { query } })).customers.nodes;
  }

  async function recordAction(node: g.ShopifyOrderNode, key: string, outcome: ActionSuccess): Promise<void> {
    const value = withRecord(readRecords(node.metafield?.value), key, outcome);
    await client().request<g.OrderUpdateData>({
      query: g.ORDER_UPDATE,
      variables: { input: { id: node.id, metafields: [{ namespace: 'storedesk', key: 'actions', type: 'json', value }] } },
    });
  }

  function replay(record: ActionRecord): ActionSuccess {
    const action = ORDER_ACTION_KINDS.find((a) => a === record.a) ?? 'add_note';
    return { ok: true, action, summary: record.s, storeReference: record.r, amount: record.m, details: { replayed: true } };
  }

  /** Waits (briefly) for Shopify's asynchronous cancel job. */
  async function waitForJob(jobId: string): Promise<boolean> {
    for (let i = 0; i < 10; i++) {
      const data = await client().request<g.JobData>({ query: g.JOB_QUERY, variables: { id: jobId } });
      if (!data.job || data.job.done) return true;
      await new Promise((resolve) => setTimeout(resolve, jobPollMs));
    }
    return false;
  }

  /** The customer's store credit account in a currency with its newest transactions, or null when there is none. */
  async function creditAccount(customerId: string, currency: string) {
    const data = await client().request<g.StoreCreditHistoryData>({ query: g.STORE_CREDIT_HISTORY_QUERY, variables: { id: customerId, first: CREDIT_HISTORY_PAGE } });
    if (!data.customer) throw new StoreUnavailableError(`Shopify does not show the customer ${customerId} whose store credit storedesk looked up`);
    return data.customer.storeCreditAccounts.nodes.find((a) => a.balance.currencyCode === currency) ?? null;
  }

  /**
   * After an intent: the credit this key gave (a credit of the intended amount newer than the
   * intent's `after` that no other storedesk action on the order claims), 'none' when the history
   * shows it was not given, or 'unknown' when too much happened on the account since to tell.
   * An unreachable Shopify throws: nothing may be credited without knowing.
   */
  async function findCredit(customerId: string, intent: CreditIntent, claimed: ReadonlySet<string>) {
    const account = await creditAccount(customerId, intent.currency);
    if (!account) return 'none' as const;
    const history = account.transactions;
    let reachedAfter = false;
    for (const t of history.nodes) {
      if (t.__typename !== 'StoreCreditAccountCreditTransaction' || !t.id) continue;
      if (t.id === intent.after) {
        reachedAfter = true;
        break;
      }
      if (!claimed.has(t.id) && t.amount.currencyCode === intent.currency && toMinorUnits(t.amount.amount, t.amount.currencyCode) === intent.amount) {
        return { id: t.id, accountId: account.id, balance: toMinorUnits(account.balance.amount, account.balance.currencyCode) };
      }
    }
    return reachedAfter || !history.pageInfo.hasNextPage ? ('none' as const) : ('unknown' as const);
  }

  async function execute(node: g.ShopifyOrderNode, order: StoreOrder, plan: ActionPlan, opts: ActionOptions, key: string): Promise<ActionOutcome> {
    const ok = (summary: string, storeReference: string | null, amount: number | null, details: Record<string, unknown> = {}): ActionSuccess => ({
      ok: true, action: plan.action, summary, storeReference, amount: amount === null ? null : { amount, currency: order.currency }, details,
    });
    const currency = order.currency;
    switch (plan.action) {
      case 'refund': {
        const parents = node.transactions.filter((t) => (t.kind === 'SALE' || t.kind === 'CAPTURE') && t.status === 'SUCCESS');
        const refundedFrom = new Map<string, number>();
        for (const t of node.transactions) {
          if (t.kind === 'REFUND' && t.status === 'SUCCESS' && t.parentTransaction) refundedFrom.set(t.parentTransaction.id, (refundedFrom.get(t.parentTransaction.id) ?? 0) + presentment(t.amountSet));
        }
        const transactions: { amount: string; gateway: string; kind: 'REFUND'; orderId: string; parentId: string }[] = [];
        let left = plan.amount;
        for (const p of parents) {
          if (left === 0) break;
          const room = presentment(p.amountSet) - (refundedFrom.get(p.id) ?? 0);
          const take = Math.min(room, left);
          if (take <= 0) continue;
          transactions.push({ amount: toDecimalString(take, currency), gateway: p.gateway ?? 'manual', kind: 'REFUND', orderId: node.id, parentId: p.id });
          left -= take;
        }
        if (left > 0) return refuse('exceeds_refundable', `Shopify holds only ${money(plan.amount - left, currency)} of captured payments that can still be refunded on ${order.number}.`, { amount: plan.amount - left, currency });
        const input = {
          orderId: node.id,
          currency,
          note: `${plan.reason ?? 'Refund'} (by ${opts.actorName} via storedesk) ${refundMarker(key)}`,
          notify: false,
          ...(plan.shipping > 0 ? { shipping: { amount: toDecimalString(plan.shipping, currency) } } : {}),
          refundLineItems: plan.lines.map((l) => ({ lineItemId: l.lineId, quantity: l.quantity, restockType: 'NO_RESTOCK' })),
          transactions,
        };
        const data = await client().request<g.RefundCreateData>({ query: g.REFUND_CREATE, variables: { input, key: uuidOf(key) } });
        const result = data.refundCreate;
        if (!result?.refund) return refuse('store_refused', `Shopify did not refund: ${refusalText(result?.userErrors ?? [])}.`);
        const amount = presentment(result.refund.totalRefundedSet);
        return ok(plan.summary.replace(/^Refund /, 'Refunded '), result.refund.id, amount, { refund_id: result.refund.id, payment: paymentLabel(order), transactions: transactions.length });
      }
      case 'cancel': {
        const data = await client().request<g.OrderCancelData>({
          query: g.ORDER_CANCEL,
          variables: {
            orderId: node.id, reason: 'CUSTOMER', restock: plan.restock,
            refundMethod: plan.refundAmount > 0 ? { originalPaymentMethodsRefund: true } : null,
            staffNote: `${plan.reason ?? 'Cancelled'} (by ${opts.actorName} via storedesk)`.slice(0, 255),
          },
        });
        const result = data.orderCancel;
        if (!result || result.orderCancelUserErrors.length > 0 || !result.job) {
          return refuse('store_refused', `Shopify did not cancel ${order.number}: ${refusalText(result?.orderCancelUserErrors ?? [])}.`);
        }
        const done = result.job.done || (await waitForJob(result.job.id));
        const summary = plan.refundAmount ? `Cancelled ${order.number} and refunded ${money(plan.refundAmount, currency)} to ${paymentLabel(order)}` : `Cancelled ${order.number}`;
        return ok(done ? summary : `${summary} (Shopify is still finishing the cancellation)`, order.number, plan.refundAmount || null, { job_id: result.job.id, job_done: done, restocked: plan.restock });
      }
      case 'create_return': {
        const returned = new Map<string, number>();
        for (const r of node.returns.nodes) {
          if (r.status === 'CANCELED' || r.status === 'DECLINED') continue;
          for (const x of r.returnLineItems.nodes) if (x.fulfillmentLineItem) returned.set(x.fulfillmentLineItem.id, (returned.get(x.fulfillmentLineItem.id) ?? 0) + x.quantity);
        }
        const items: { fulfillmentLineItemId: string; quantity: number; returnReasonNote: string }[] = [];
        for (const l of plan.lines) {
          let want = l.quantity;
          for (const f of node.fulfillments) {
            if (f.status !== 'SUCCESS') continue;
            for (const fl of f.fulfillmentLineItems.nodes) {
              if (want === 0 || fl.lineItem.id !== l.lineId) continue;
              const room = (fl.quantity ?? 0) - (returned.get(fl.id) ?? 0);
              const take = Math.min(room, want);
              if (take <= 0) continue;
              // The marker lets a retry find this return when Shopify's answer is lost.
              items.push({ fulfillmentLineItemId: fl.id, quantity: take, returnReasonNote: markedNote(l.reason ?? plan.reason ?? '', refundMarker(key)) });
              want -= take;
            }
          }
          if (want > 0) return refuse('exceeds_quantity', `Shopify has no shipped units of ${l.title} left to return.`);
        }
        const data = await client().request<g.ReturnCreateData>({ query: g.RETURN_CREATE, variables: { returnInput: { orderId: node.id, returnLineItems: items, notifyCustomer: false } } });
        const ret = data.returnCreate?.return;
        if (!ret) return refuse('store_refused', `Shopify did not open the return: ${refusalText(data.returnCreate?.userErrors ?? [])}.`);
        return ok(returnSummary(plan, ret.name), ret.name, null, { return_id: ret.id, rma_number: ret.name });
      }
      case 'discount_code': {
        const generated = plan.code === null;
        const code = plan.code ?? codeFromKey(key);
        const customerId = order.customer.externalId;
        const common = {
          title: `storedesk: ${plan.reason ?? 'goodwill'} (${order.number})`.slice(0, 255),
          code,
          startsAt: new Date().toISOString(),
          endsAt: plan.expiresAt ? plan.expiresAt.toISOString() : null,
          usageLimit: 1,
          appliesOncePerCustomer: true,
          context: customerId ? { customers: { add: [customerId] } } : { all: 'ALL' },
        };
        let errors: g.CodedUserError[];
        let nodeId: string | null;
        if (plan.discountType === 'free_shipping') {
          const data = await client().request<g.DiscountFreeShippingData>({ query: g.DISCOUNT_FREE_SHIPPING_CREATE, variables: { input: { ...common, destination: { all: true } } } });
          errors = data.discountCodeFreeShippingCreate?.userErrors ?? [];
          nodeId = data.discountCodeFreeShippingCreate?.codeDiscountNode?.id ?? null;
        } else {
          const value = plan.discountType === 'percentage'
            ? { percentage: plan.value / 100 }
            : { discountAmount: { amount: toDecimalString(plan.value, currency), appliesOnEachItem: false } };
          const data = await client().request<g.DiscountBasicData>({ query: g.DISCOUNT_BASIC_CREATE, variables: { input: { ...common, customerGets: { value, items: { all: true } } } } });
          errors = data.discountCodeBasicCreate?.userErrors ?? [];
          nodeId = data.discountCodeBasicCreate?.codeDiscountNode?.id ?? null;
        }
        const what = plan.discountType === 'percentage' ? `${plan.value}% off` : plan.discountType === 'fixed_amount' ? `${money(plan.value, currency)} off` : 'free shipping';
        if (!nodeId) {
          const taken = errors.some((e) => e.code === 'TAKEN');
          // A generated code is derived from the idempotency key: "taken" means this very action ran before.
          if (taken && generated) return ok(`Discount code ${code} created: ${what}, single use`, code, plan.amount || null, { code, replayed: true });
          if (taken) return refuse('code_taken', `The discount code ${code} exists already in Shopify; choose another or let storedesk make one.`);
          return refuse('store_refused', `Shopify did not create the discount code: ${refusalText(errors)}.`);
        }
        return ok(`Discount code ${code} created: ${what}, single use`, code, plan.amount || null, { code, discount_id: nodeId, discount_type: plan.discountType, value: plan.value });
      }
      case 'store_credit': {
        const customerId = order.customer.externalId;
        if (!customerId) return refuse('invalid_request', `${order.number} has no customer account to credit.`);
        // Shopify keeps no key with a credit: announce it on the order first; a retry that finds
        // the announcement looks in the account's history before crediting again.
        const intentKey = creditIntentKey(key);
        const announced = await client().request<g.OrderMetafieldData>({ query: g.ORDER_METAFIELD_QUERY, variables: { id: node.id, key: intentKey } });
        const intent = readCreditIntent(announced.order?.metafield?.value);
        if (intent) {
          const claimed = new Set(Object.values(readRecords(node.metafield?.value)).flatMap((r) => (r.r ? [r.r] : [])));
          const given = await findCredit(customerId, intent, claimed);
          if (given === 'unknown') {
            return refuse('store_refused', `Shopify may have given this ${money(intent.amount, intent.currency)} store credit already (its answer was lost) and the account has changed too much since to tell; look at the customer’s store credit in Shopify before giving it again with a new request.`);
          }
          if (given !== 'none') {
            return ok(`Gave ${money(plan.amount, currency)} store credit (balance now ${money(given.balance, currency)})`, given.id, plan.amount, {
              transaction_id: given.id, account_id: given.accountId, balance: { amount: given.balance, currency }, replayed: true,
            });
          }
        } else {
          const account = await creditAccount(customerId, currency);
          const newest = account?.transactions.nodes.find((t) => t.__typename === 'StoreCreditAccountCreditTransaction' && t.id)?.id ?? null;
          const value: CreditIntent = { amount: plan.amount, currency, after: newest };
          const saved = await client().request<g.OrderUpdateData>({
            query: g.ORDER_UPDATE,
            variables: { input: { id: node.id, metafields: [{ namespace: 'storedesk', key: intentKey, type: 'json', value: JSON.stringify(value) }] } },
          });
          if (!saved.orderUpdate?.order) return refuse('store_refused', `Shopify did not save storedesk’s record of the store credit, so none was given: ${refusalText(saved.orderUpdate?.userErrors ?? [])}.`);
        }
        const data = await client().request<g.StoreCreditData>({
          query: g.STORE_CREDIT,
          variables: {
            id: customerId,
            creditInput: { creditAmount: { amount: toDecimalString(plan.amount, currency), currencyCode: currency }, ...(plan.expiresAt ? { expiresAt: plan.expiresAt.toISOString() } : {}) },
          },
        });
        const tx = data.storeCreditAccountCredit?.storeCreditAccountTransaction;
        if (!tx) return refuse('store_refused', `Shopify did not add store credit: ${refusalText(data.storeCreditAccountCredit?.userErrors ?? [])}.`);
        const balance = toMinorUnits(tx.balanceAfterTransaction.amount, tx.balanceAfterTransaction.currencyCode);
        return ok(`Gave ${money(plan.amount, currency)} store credit (balance now ${money(balance, tx.balanceAfterTransaction.currencyCode)})`, tx.id, plan.amount, {
          transaction_id: tx.id, account_id: tx.account.id, balance: { amount: balance, currency: tx.balanceAfterTransaction.currencyCode },
        });
      }
      case 'add_note': {
        const stamp = new Date().toISOString().slice(0, 16).replace('T', ' ');
        const note = [node.note?.trim(), `${stamp} UTC, ${opts.actorName} (storedesk): ${plan.note}`].filter((x) => x).join('\n\n');
        const outcome = ok(`Note added to ${order.number}`, null, null);
        // The note and the idempotency record are written by one mutation: both or neither.
        const data = await client().request<g.OrderUpdateData>({
          query: g.ORDER_UPDATE,
          variables: { input: { id: node.id, note, metafields: [{ namespace: 'storedesk', key: 'actions', type: 'json', value: withRecord(readRecords(node.metafield?.value), key, outcome) }] } },
        });
        if (!data.orderUpdate?.order) return refuse('store_refused', `Shopify did not save the note: ${refusalText(data.orderUpdate?.userErrors ?? [])}.`);
        return { ...outcome, details: { recorded: true } };
      }
      case 'exchange':
      case 'reship':
        return refuse('unsupported', `Shopify cannot ${plan.action === 'exchange' ? 'exchange items' : 'reship items at no charge'} through storedesk.`);
    }
  }

  const oneAtATime = createTurnTaking<ActionOutcome>();
  return {
    platform: 'shopify',
    capabilities: SHOPIFY_CAPABILITIES,

    async findCustomer(_ctx: Ctx, lookup: CustomerLookup): Promise<StoreCustomer | null> {
      if (lookup.by === 'external_id') {
        const id = lookup.externalId.trim();
        if (!/^(gid:\/\/shopify\/Customer\/)?\d+$/.test(id)) return null;
        const data = await client().request<g.CustomerData>({ query: g.CUSTOMER_QUERY, variables: { id: toGid('Customer', id) } });
        return data.customer ? toStoreCustomer(data.customer, store.currency) : null;
      }
      if (lookup.by === 'email') {
        const email = lookup.email.trim().toLowerCase();
        if (!email) return null;
        const hit = (await customers(`email:${searchValue(email)}`)).find((c) => c.defaultEmailAddress?.emailAddress?.toLowerCase() === email);
        return hit ? toStoreCustomer(hit, store.currency) : null;
      }
      const digits = lookup.phone.replace(/[^\d]/g, '');
      if (digits.length < 6) return null;
      const phone = lookup.phone.trim().startsWith('+') ? `+${digits}` : digits;
      const hit = (await customers(`phone:${searchValue(phone)}`)).find((c) => (c.defaultPhoneNumber?.phoneNumber ?? '').replace(/[^\d]/g, '').endsWith(digits));
      return hit ? toStoreCustomer(hit, store.currency) : null;
    },

    async listCustomerOrders(_ctx: Ctx, customerExternalId: string, page: { cursor?: string | undefined; limit: number }): Promise<OrderPage> {
      if (!/^(gid:\/\/shopify\/Customer\/)?\d+$/.test(customerExternalId)) return { orders: [], nextCursor: null };
      const first = Math.max(1, Math.min(page.limit, 50));
      const data = await client().request<g.OrderIdsData>({
        query: g.ORDER_IDS_QUERY,
        variables: { query: `customer_id:${legacyId(customerExternalId)}`, first, after: page.cursor ?? null },
      });
      const orders: StoreOrder[] = [];
      // One order per request keeps each well under Shopify's per-query cost limit; four at a time.
      for (let i = 0; i < data.orders.nodes.length; i += 4) {
        const chunk = await Promise.all(data.orders.nodes.slice(i, i + 4).map((o) => orderNode(o.id)));
        for (const node of chunk) if (node) orders.push(toStoreOrder(node, adminBase));
      }
      return { orders, nextCursor: data.orders.pageInfo.hasNextPage ? data.orders.pageInfo.endCursor : null };
    },

    async getOrder(_ctx: Ctx, orderNumber: string): Promise<StoreOrder | null> {
      const id = await findOrderId(orderNumber);
      if (!id) return null;
      const node = await orderNode(id);
      return node ? toStoreOrder(node, adminBase) : null;
    },

    async findOrdersByTracking(_ctx: Ctx, _trackingNumbers: readonly string[]): Promise<TrackingMatch[]> {
      // Shopify's order search has no tracking-number filter.
      return [];
    },

    async findVariants(_ctx: Ctx, _skus: readonly string[]): Promise<StoreVariant[]> {
      // Only exchanges need variants, and exchanges are not offered on Shopify.
      return [];
    },

    async perform(_ctx: Ctx, order: StoreOrder, plan: ActionPlan, opts: ActionOptions): Promise<ActionOutcome> {
      // One action at a time per order in this process: the order's `storedesk.actions` record is
      // read, changed and written back, so two at once could lose one of them.
      return oneAtATime(plan.orderNumber, async () => {
        const key = hashKey(opts.idempotencyKey);
        const id = order.externalId.startsWith('gid://shopify/Order/') ? order.externalId : await findOrderId(plan.orderNumber);
        const node = id ? await orderNode(id) : null;
        if (!node || node.name !== plan.orderNumber) return refuse('store_refused', `Shopify has no order ${plan.orderNumber}.`);
        const record = readRecords(node.metafield?.value)[key];
        if (record) {
          if (record.a !== plan.action) return refuse('invalid_request', `The idempotency key was used for a ${record.a} already; use a new key for a new action.`);
          return replay(record);
        }
        if (plan.action === 'refund') {
          const made = node.refunds.find((r) => r.note?.includes(refundMarker(key)));
          if (made) {
            const outcome: ActionSuccess = {
              ok: true, action: 'refund', summary: plan.summary.replace(/^Refund /, 'Refunded '), storeReference: made.id,
              amount: { amount: presentment(made.totalRefundedSet), currency: order.currency }, details: { refund_id: made.id, replayed: true },
            };
            await recordAction(node, key, outcome).catch(() => undefined);
            return outcome;
          }
        }
        if (plan.action === 'create_return') {
          const made = node.returns.nodes.find((r) => r.returnLineItems.nodes.some((x) => x.returnReasonNote.includes(refundMarker(key))));
          if (made) {
            const outcome: ActionSuccess = {
              ok: true, action: 'create_return', summary: returnSummary(plan, made.name), storeReference: made.name, amount: null,
              details: { return_id: made.id, rma_number: made.name, replayed: true },
            };
            await recordAction(node, key, outcome).catch(() => undefined);
            return outcome;
          }
        }
        const fresh = toStoreOrder(node, adminBase);
        const replanned = planAction(fresh, plan.request, { platform: 'shopify', capabilities: SHOPIFY_CAPABILITIES, timeZone: store.timezone });
        if (!replanned.ok) return replanned;
        if (replanned.plan.amount !== plan.amount) {
          return refuse('order_changed', `${plan.orderNumber} changed in Shopify since the preview: this would now be ${money(replanned.plan.amount, fresh.currency)} instead of ${money(plan.amount, fresh.currency)}. Look at the order again and retry.`);
        }
        const outcome = await execute(node, fresh, replanned.plan, opts, key);
        if (outcome.ok && outcome.action !== 'add_note') {
          // Best effort: the action is done; a lost record only weakens protection against a retry.
          try {
            await recordAction(node, key, outcome);
          } catch (err) {
            if (!(err instanceof StoreUnavailableError)) throw err;
            return { ...outcome, details: { ...outcome.details, idempotency_record: 'not saved' } };
          }
        }
        return outcome;
      });
    },

    async readWebhook(request) {
      const secret = credentials.webhook_secret;
      if (!secret) return null;
      const delivery = readShopifyDelivery(secret, shopDomain, request);
      if (!delivery) return null;
      return deliveryEvents(delivery, async (orderId): Promise<OrderRef | null> => {
        const data = await client().request<g.OrderRefData>({ query: g.ORDER_REF_QUERY, variables: { id: toGid('Order', orderId) } });
        const o = data.order;
        return o ? { number: o.name, email: o.email ?? o.customer?.defaultEmailAddress?.emailAddress ?? null } : null;
      });
    },

    async checkConnection(_ctx: Ctx): Promise<string> {
      const data = await client().request<g.ShopData>({ query: g.SHOP_QUERY });
      return `Shopify store “${data.shop.name}” (${data.shop.myshopifyDomain}), Admin API ${apiVersion}`;
    },
  };
}

