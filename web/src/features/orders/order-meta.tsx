/**
 * How orders look everywhere: the state at a glance, parcel states, and the actions an agent
 * can take, each with its label, colour and icon.
 */
import { Badge, Tooltip, type BadgeProps } from '@mantine/core';
import {
  IconArrowsExchange,
  IconBan,
  IconCoins,
  IconDiscount,
  IconNote,
  IconPackageImport,
  IconReceiptRefund,
  IconTruckDelivery,
  type Icon,
} from '@tabler/icons-react';
import type { Order, OrderActionKind, OrderState, ShipmentStatus } from '../../api/types';
import { formatDate } from '../../ui/format';

/** Label and colour of each order state. */
export const ORDER_STATE_META: Record<OrderState, { label: string; color: string; hint: string }> = {
  placed: { label: 'Placed', color: 'gray', hint: 'Not paid yet' },
  paid: { label: 'Paid', color: 'blue', hint: 'Paid, not shipped yet' },
  shipped: { label: 'Shipped', color: 'indigo', hint: 'On its way' },
  late: { label: 'Late', color: 'orange', hint: 'Not delivered by the promised date' },
  delivered: { label: 'Delivered', color: 'teal', hint: 'Delivered to the customer' },
  return_requested: { label: 'Return requested', color: 'yellow', hint: 'A return is open' },
  returned: { label: 'Returned', color: 'grape', hint: 'The items came back' },
  refunded: { label: 'Refunded', color: 'violet', hint: 'Everything paid was refunded' },
  cancelled: { label: 'Cancelled', color: 'red', hint: 'The order was cancelled' },
};

/** The order's state as a pill; `withTooltip` explains it. */
export function OrderStateBadge({ state, ...props }: { state: OrderState } & BadgeProps) {
  const meta = ORDER_STATE_META[state] ?? { label: state, color: 'gray', hint: '' };
  return (
    <Tooltip label={meta.hint} disabled={!meta.hint}>
      <Badge
        color={meta.color}
        variant={state === 'late' ? 'filled' : 'light'}
        size="sm"
        data-testid="order-state"
        data-state={state}
        {...props}
      >
        {meta.label}
      </Badge>
    </Tooltip>
  );
}

/** Extra pills for what the state alone does not say: partly refunded, partly shipped. */
export function OrderFlags({ order }: { order: Order }) {
  return (
    <>
      {order.partially_refunded && order.status !== 'refunded' && (
        <Badge size="sm" variant="light" color="violet" data-testid="order-flag-refunded">
          Part refunded
        </Badge>
      )}
      {order.partially_shipped && (
        <Badge size="sm" variant="light" color="indigo">
          Part shipped
        </Badge>
      )}
    </>
  );
}

/**
 * The order's state with its date, in the store's time zone and the same date format as every
 * other date on the card: "Late — promised Nov 15", "Delivered Nov 12", "Shipped Nov 3 · DHL".
 * The promised date is the order's (checkout); a parcel's carrier estimate is a different fact
 * and is only used, named as such, when the order promised none.
 */
export function orderStatusLine(order: Order, timeZone?: string | null): string {
  const day = (iso: string | null | undefined) => formatDate(iso, undefined, timeZone);
  const parcels = order.fulfillments.filter((f) => f.shipped_at || ['in_transit', 'out_for_delivery', 'delivered'].includes(f.status));
  switch (order.status) {
    case 'late': {
      if (order.expected_delivery_at) return `Late — promised for ${day(order.expected_delivery_at)}`;
      const estimates = parcels.filter((f) => f.status !== 'delivered' && f.estimated_delivery_at).map((f) => f.estimated_delivery_at ?? '');
      const latest = estimates.sort().at(-1);
      return latest ? `Late — carrier estimated ${day(latest)}` : 'Late';
    }
    case 'delivered':
      return order.delivered_at ? `Delivered ${day(order.delivered_at)}` : 'Delivered';
    case 'cancelled':
      return order.cancelled_at ? `Cancelled ${day(order.cancelled_at)}` : 'Cancelled';
    case 'refunded': {
      const last = order.refunds.at(-1);
      return last ? `Refunded ${day(last.created_at)}` : 'Refunded';
    }
    case 'returned': {
      const back = order.returns.filter((r) => r.status === 'received' || r.status === 'closed').at(-1);
      const note = order.paid.amount > 0 && order.refunded.amount >= order.paid.amount ? ' · refunded' : order.refunded.amount > 0 ? ' · partly refunded' : '';
      return `${back?.received_at ? `Returned ${day(back.received_at)}` : 'Returned'}${note}`;
    }
    case 'shipped': {
      const first = parcels.find((f) => f.kind === 'shipment');
      const when = first?.shipped_at ? ` ${day(first.shipped_at)}` : '';
      const via = first?.carrier ? ` · ${first.carrier}` : '';
      return `${order.fulfillment_status === 'fulfilled' ? 'Shipped' : 'Partly shipped'}${when}${via}`;
    }
    case 'paid':
      return 'Paid — not shipped yet';
    case 'placed':
      return 'Awaiting payment';
    default:
      // return_requested carries no date ("Return RMA-1001 requested").
      return order.status_label;
  }
}

/** Label and colour of each parcel state. */
export const SHIPMENT_META: Record<ShipmentStatus, { label: string; color: string }> = {
  pending: { label: 'Not shipped yet', color: 'gray' },
  in_transit: { label: 'In transit', color: 'indigo' },
  out_for_delivery: { label: 'Out for delivery', color: 'cyan' },
  delivered: { label: 'Delivered', color: 'teal' },
  exception: { label: 'Delivery problem', color: 'red' },
  returned_to_sender: { label: 'Returned to sender', color: 'grape' },
};

/** Label, icon and what the confirm button says, for each action. */
export const ACTION_META: Record<OrderActionKind, { label: string; menuLabel: string; icon: Icon; color: string; confirm: string }> = {
  refund: { label: 'Refund', menuLabel: 'Refund…', icon: IconReceiptRefund, color: 'indigo', confirm: 'Refund' },
  cancel: { label: 'Cancel order', menuLabel: 'Cancel order…', icon: IconBan, color: 'red', confirm: 'Cancel the order' },
  create_return: { label: 'Return', menuLabel: 'Start a return…', icon: IconPackageImport, color: 'indigo', confirm: 'Create the return' },
  exchange: { label: 'Exchange', menuLabel: 'Exchange items…', icon: IconArrowsExchange, color: 'indigo', confirm: 'Create the exchange' },
  reship: { label: 'Reship', menuLabel: 'Reship at no charge…', icon: IconTruckDelivery, color: 'indigo', confirm: 'Reship' },
  discount_code: { label: 'Discount code', menuLabel: 'Discount code…', icon: IconDiscount, color: 'indigo', confirm: 'Create the code' },
  store_credit: { label: 'Store credit', menuLabel: 'Store credit…', icon: IconCoins, color: 'indigo', confirm: 'Give store credit' },
  add_note: { label: 'Order note', menuLabel: 'Add an order note…', icon: IconNote, color: 'indigo', confirm: 'Add the note' },
};

/** "card" → "Card", "paypal" → "PayPal". */
export function paymentMethodLabel(method: string): string {
  const known: Record<string, string> = {
    card: 'Card',
    paypal: 'PayPal',
    klarna: 'Klarna',
    ideal: 'iDEAL',
    store_credit: 'Store credit',
    gift_card: 'Gift card',
    bank_transfer: 'Bank transfer',
    apple_pay: 'Apple Pay',
    google_pay: 'Google Pay',
  };
  return known[method] ?? method.replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase());
}

/** A country's name from its ISO code, in the agent's language. */
export function countryName(code: string): string {
  try {
    return new Intl.DisplayNames(undefined, { type: 'region' }).of(code.toUpperCase()) ?? code;
  } catch {
    return code;
  }
}
