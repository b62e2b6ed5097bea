/**
 * Shopify's orders and customers in storedesk's terms. Shopify speaks decimal strings in a
 * MoneyBag (the shop's currency and the customer's presentment currency); storedesk speaks
 * integer minor units of the currency the customer paid in, so every amount is read from
 * presentmentMoney and converted exactly once, here, at the currency's own precision (JPY 0
 * decimals, KWD 3).
 */
import { toMinorUnits } from '../../money.ts';
import { trackingUrlFor } from '../carriers.ts';
import type {
  FinancialStatus, FulfillmentStatus, PaymentStatus, ShipmentStatus, StoreCustomer, StoreFulfillment, StoreOrder, StorePayment,
  StoreRefund, StoreReturn,
} from '../connector.ts';
import type { MoneyBag, ShopifyCustomerNode, ShopifyOrderNode } from './shopify.queries.ts';

/** Minor units of a MoneyBag in the customer's currency. */
export function presentment(bag: MoneyBag | null | undefined): number {
  if (!bag) return 0;
  return toMinorUnits(bag.presentmentMoney.amount, bag.presentmentMoney.currencyCode);
}

/** The numeric tail of a Shopify global id (gid://shopify/Order/123 → 123). */
export function legacyId(gid: string): string {
  return gid.slice(gid.lastIndexOf('/') + 1);
}

/** A Shopify global id of a type from a numeric id, or the gid itself. */
export function toGid(type: string, id: string | number): string {
  const s = String(id);
  return s.startsWith('gid://') ? s : `gid://shopify/${type}/${s}`;
}

const FINANCIAL: Record<string, FinancialStatus> = {
  AUTHORIZED: 'authorized', EXPIRED: 'voided', PAID: 'paid', PARTIALLY_PAID: 'pending', PARTIALLY_REFUNDED: 'partially_refunded',
  PENDING: 'pending', REFUNDED: 'refunded', VOIDED: 'voided',
};

const SHIPMENT: Record<string, ShipmentStatus> = {
  ATTEMPTED_DELIVERY: 'out_for_delivery', CARRIER_PICKED_UP: 'in_transit', CONFIRMED: 'in_transit', DELAYED: 'in_transit', DELIVERED: 'delivered',
  FAILURE: 'exception', FULFILLED: 'in_transit', IN_TRANSIT: 'in_transit', LABEL_PRINTED: 'pending', LABEL_PURCHASED: 'pending', LABEL_VOIDED: 'pending',
  MARKED_AS_FULFILLED: 'in_transit', NOT_DELIVERED: 'exception', OUT_FOR_DELIVERY: 'out_for_delivery', PICKED_UP: 'delivered',
  READY_FOR_PICKUP: 'out_for_delivery', SUBMITTED: 'pending',
};

const RETURN_STATUS: Record<string, StoreReturn['status']> = { REQUESTED: 'requested', OPEN: 'requested', CLOSED: 'closed', CANCELED: 'cancelled', DECLINED: 'cancelled' };

/** "Visa •••• 4242" from Shopify's masked card number ("•••• •••• •••• 4242"). */
function cardLabel(details: ShopifyOrderNode['transactions'][number]['paymentDetails']): string | null {
  if (!details || details.__typename !== 'CardPaymentDetails') return null;
  const last4 = (details.number ?? '').replace(/[^0-9]/g, '').slice(-4);
  if (!details.company && !last4) return null;
  return [details.company, last4 ? `•••• ${last4}` : null].filter(Boolean).join(' ');
}

/** The payments of an order: sales and captures, open authorizations, failed attempts. */
function payments(o: ShopifyOrderNode): StorePayment[] {
  const txs = o.transactions;
  const captured = new Set(txs.filter((t) => t.kind === 'CAPTURE' && t.status === 'SUCCESS').map((t) => t.parentTransaction?.id));
  const voided = new Set(txs.filter((t) => t.kind === 'VOID' && t.status === 'SUCCESS').map((t) => t.parentTransaction?.id));
  const out: StorePayment[] = [];
  for (const t of txs) {
    if (t.kind !== 'SALE' && t.kind !== 'CAPTURE' && t.kind !== 'AUTHORIZATION') continue;
    if (t.kind === 'AUTHORIZATION' && captured.has(t.id)) continue;
    let status: PaymentStatus;
    if (t.status === 'SUCCESS') status = t.kind === 'AUTHORIZATION' ? (voided.has(t.id) ? 'voided' : 'authorized') : 'captured';
    else if (t.status === 'PENDING' || t.status === 'AWAITING_RESPONSE') status = 'pending';
    else status = 'failed';
    const gateway = (t.gateway ?? 'unknown').toLowerCase();
    const card = cardLabel(t.paymentDetails);
    out.push({
      id: t.id,
      method: card ? 'card' : gateway.replace(/[^a-z0-9]+/g, '_'),
      methodDetail: card ?? t.formattedGateway ?? null,
      amount: presentment(t.amountSet),
      status,
      createdAt: new Date(t.createdAt),
    });
  }
  return out;
}

/** Maps a Shopify order to storedesk's order. `adminBase` is the shop's admin URL, if known. */
export function toStoreOrder(o: ShopifyOrderNode, adminBase: string | null): StoreOrder {
  const currency = o.presentmentCurrencyCode;
  const taxesIncluded = o.taxesIncluded;
  const lines = o.lineItems.nodes.map((l) => {
    const unitPrice = presentment(l.originalUnitPriceSet);
    const discount = presentment(l.totalDiscountSet);
    const tax = l.taxLines.reduce((s, t) => s + presentment(t.priceSet), 0);
    const linePrice = unitPrice * l.quantity;
    return {
      id: l.id, productId: l.product?.id ?? null, variantId: l.variant?.id ?? null, productTitle: l.title, variantTitle: l.variantTitle,
      sku: l.sku, quantity: l.quantity, unitPrice, linePrice, discount, tax, total: linePrice - discount + (taxesIncluded ? 0 : tax),
    };
  });
  const lineTax = lines.reduce((s, l) => s + l.tax, 0);
  const taxTotal = presentment(o.totalTaxSet);
  const shippingTotal = presentment(o.totalShippingPriceSet) + (taxesIncluded ? 0 : Math.max(0, taxTotal - lineTax));

  const refunds: StoreRefund[] = o.refunds.map((r) => ({
    id: r.id,
    amount: presentment(r.totalRefundedSet),
    shipping: r.refundShippingLines.nodes.reduce((s, x) => s + presentment(x.subtotalAmountSet) + (taxesIncluded ? 0 : presentment(x.taxAmountSet)), 0),
    lines: r.refundLineItems.nodes.map((x) => ({ lineId: x.lineItem.id, quantity: x.quantity, amount: presentment(x.subtotalSet) + (taxesIncluded ? 0 : presentment(x.totalTaxSet)) })),
    destination: 'original_payment',
    reason: r.note ? stripMarker(r.note) : null,
    createdAt: new Date(r.createdAt ?? o.createdAt),
  }));

  const address = o.shippingAddress;
  const fulfillments: StoreFulfillment[] = o.fulfillments
    .filter((f) => f.status !== 'CANCELLED' && f.status !== 'ERROR' && f.status !== 'FAILURE')
    .map((f) => {
      const tracking = f.trackingInfo.find((t) => t.number) ?? f.trackingInfo[0] ?? null;
      const status: ShipmentStatus = f.deliveredAt ? 'delivered' : (f.displayStatus ? SHIPMENT[f.displayStatus] : undefined) ?? (f.status === 'SUCCESS' ? 'in_transit' : 'pending');
      const carrier = tracking?.company ?? null;
      const number = tracking?.number ?? null;
      return {
        id: f.id,
        kind: 'shipment',
        status,
        carrier,
        service: null,
        trackingNumber: number,
        trackingUrl: tracking?.url ?? trackingUrlFor(carrier, number, address?.zip ?? null, address?.countryCodeV2 ?? null),
        shippedAt: f.status === 'SUCCESS' ? new Date(f.inTransitAt ?? f.createdAt) : null,
        estimatedDeliveryAt: f.estimatedDeliveryAt ? new Date(f.estimatedDeliveryAt) : null,
        deliveredAt: f.deliveredAt ? new Date(f.deliveredAt) : null,
        lines: f.fulfillmentLineItems.nodes.map((fl) => {
          const line = lines.find((l) => l.id === fl.lineItem.id);
          return { lineId: fl.lineItem.id, sku: line?.sku ?? null, title: line ? line.productTitle : 'Item', quantity: fl.quantity ?? 0 };
        }),
      };
    });

  const returns: StoreReturn[] = o.returns.nodes.map((r) => ({
    id: r.id,
    number: r.name,
    kind: 'return',
    status: RETURN_STATUS[r.status] ?? 'requested',
    reason: r.returnLineItems.nodes.map((x) => stripMarker(x.returnReasonNote)).find((x) => x) ?? null,
    createdAt: new Date(r.createdAt),
    receivedAt: r.status === 'CLOSED' && r.closedAt ? new Date(r.closedAt) : null,
    lines: r.returnLineItems.nodes.flatMap((x) => (x.fulfillmentLineItem ? [{ lineId: x.fulfillmentLineItem.lineItem.id, quantity: x.quantity, reason: stripMarker(x.returnReasonNote), replacementSku: null }] : [])),
  }));

  const shipped = new Map<string, number>();
  for (const f of fulfillments) if (f.shippedAt) for (const fl of f.lines) if (fl.lineId) shipped.set(fl.lineId, (shipped.get(fl.lineId) ?? 0) + fl.quantity);
  const ordered = lines.reduce((s, l) => s + l.quantity, 0);
  const shippedUnits = lines.reduce((s, l) => s + Math.min(l.quantity, shipped.get(l.id) ?? 0), 0);
  const fulfillmentStatus: FulfillmentStatus = shippedUnits === 0 ? 'unfulfilled' : shippedUnits >= ordered ? 'fulfilled' : 'partially_fulfilled';

  return {
    number: o.name,
    externalId: o.id,
    customer: { externalId: o.customer?.id ?? null, email: o.email ?? o.customer?.defaultEmailAddress?.emailAddress ?? null, name: o.customer?.displayName ?? address?.name ?? null },
    currency,
    placedAt: new Date(o.processedAt ?? o.createdAt),
    cancelledAt: o.cancelledAt ? new Date(o.cancelledAt) : null,
    cancelReason: o.cancelReason ? o.cancelReason.toLowerCase() : null,
    financialStatus: (o.displayFinancialStatus ? FINANCIAL[o.displayFinancialStatus] : undefined) ?? 'pending',
    fulfillmentStatus,
    taxesIncluded,
    subtotal: lines.reduce((s, l) => s + l.linePrice, 0),
    discountTotal: presentment(o.totalDiscountsSet),
    shippingTotal,
    taxTotal,
    total: presentment(o.totalPriceSet),
    discountCodes: o.discountCodes,
    shippingMethod: o.shippingLine?.title ?? null,
    shippingAddress: address
      ? {
        name: address.name ?? '', line1: address.address1 ?? '', line2: address.address2, postalCode: address.zip ?? '', city: address.city ?? '',
        region: address.provinceCode ?? address.province, country: address.countryCodeV2 ?? '', phone: address.phone,
      }
      : null,
    expectedDeliveryAt: null,
    lines,
    payments: payments(o),
    refunds,
    fulfillments,
    returns,
    notes: o.note ? [{ body: o.note, author: null, createdAt: new Date(o.createdAt) }] : [],
    adminUrl: adminBase ? `${adminBase}/orders/${legacyId(o.id)}` : null,
  };
}

/** Maps a Shopify customer; the balance is the store credit account in the store's currency. */
export function toStoreCustomer(c: ShopifyCustomerNode, storeCurrency: string): StoreCustomer {
  const account = c.storeCreditAccounts.nodes.find((a) => a.balance.currencyCode === storeCurrency) ?? c.storeCreditAccounts.nodes[0];
  return {
    externalId: c.id,
    email: c.defaultEmailAddress?.emailAddress ?? null,
    phone: c.defaultPhoneNumber?.phoneNumber ?? null,
    name: c.displayName || null,
    createdAt: new Date(c.createdAt),
    stats: {
      orderCount: Number(c.numberOfOrders),
      lifetimeValue: { amount: toMinorUnits(c.amountSpent.amount, c.amountSpent.currencyCode), currency: c.amountSpent.currencyCode },
      firstOrderAt: null,
      lastOrderAt: null,
    },
    storeCreditBalance: account ? { amount: toMinorUnits(account.balance.amount, account.balance.currencyCode), currency: account.balance.currencyCode } : null,
  };
}

/** The marker storedesk puts in refund notes and return reason notes so a retry can find what it made. */
export function refundMarker(keyHash: string): string {
  return `[storedesk ${keyHash}]`;
}

/** A refund note or return reason note without storedesk's marker. */
export function stripMarker(note: string): string | null {
  const s = note.replace(/\s*\[storedesk [0-9a-f]{12,}\]\s*$/, '').trim();
  return s || null;
}
