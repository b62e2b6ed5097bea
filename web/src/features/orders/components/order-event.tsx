/**
 * Order events on a ticket's timeline: actions agents took from the ticket ("Sam refunded €4.95
 * shipping on NW-10234"), refusals, and what the store reported about the order.
 */
import {
  IconArrowsExchange,
  IconBan,
  IconCash,
  IconCircleCheck,
  IconCoins,
  IconDiscount,
  IconHandStop,
  IconNote,
  IconPackageImport,
  IconReceiptRefund,
  IconShoppingCart,
  IconTruck,
  IconTruckDelivery,
  IconUserCheck,
  IconUserQuestion,
} from '@tabler/icons-react';
import type { ComponentType, ReactNode } from 'react';
import type { TicketEvent } from '../../../api/types';
import type { EventDescription } from '../../tickets/components/event-line';
import { ACTION_META } from '../order-meta';
import { describeOrderFeedEvent, eventMoney } from './order-activity';

function text(value: unknown): string | null {
  return typeof value === 'string' && value ? value : null;
}

/** What a refund covered, from the store's summary: "Refunded €9.95 (shipping) to …" → "shipping". */
function refundScope(summary: string | null): string | null {
  const m = summary ? /^Refund(?:ed)?\s+\S+\s+\(([^)]+)\)/.exec(summary) : null;
  return m?.[1] ?? null;
}

/** The sentence and icon for an `order.*` event. `B` bolds a fact. */
export function describeOrderEvent(event: TicketEvent, who: ReactNode, B: ComponentType<{ children: ReactNode }>): EventDescription {
  const d = event.data;
  const number = text(d.order_number) ?? 'the order';
  const on = <B>{number}</B>;
  const money = eventMoney(d);
  const summary = text(d.summary);
  const ref = text(d.store_reference);
  const byAgent = event.actor !== null && event.actor.type !== 'system' && typeof d.order_action_id === 'string';
  const detail = summary ?? undefined;

  if (!byAgent && event.type !== 'order.action_refused') {
    // Reported by the store (change feed) rather than done from this ticket.
    const icons: Record<string, EventDescription['icon']> = {
      'order.created': IconShoppingCart,
      'order.paid': IconCash,
      'order.shipped': IconTruck,
      'order.delivered': IconCircleCheck,
      'order.cancelled': IconBan,
      'order.refunded': IconReceiptRefund,
      'order.returned': IconPackageImport,
    };
    return {
      icon: icons[event.type] ?? IconShoppingCart,
      body: describeOrderFeedEvent({ type: event.type, order_number: number, data: d }),
    };
  }

  switch (event.type) {
    case 'order.refunded': {
      const scope = refundScope(summary);
      const what = scope === 'shipping' ? ' shipping' : scope && scope !== 'a partial amount' ? ` for ${scope}` : '';
      return {
        icon: IconReceiptRefund,
        tone: 'order',
        body: (
          <>
            {who} refunded <B>{money ?? 'money'}</B>
            {what} on {on}
          </>
        ),
        detail,
      };
    }
    case 'order.cancelled':
      return {
        icon: IconBan,
        tone: 'order',
        body: (
          <>
            {who} cancelled {on}
            {money && (
              <>
                {' '}
                and refunded <B>{money}</B>
              </>
            )}
          </>
        ),
        detail,
      };
    case 'order.return_created':
      return {
        icon: IconPackageImport,
        tone: 'order',
        body: (
          <>
            {who} opened return {ref ? <B>{ref}</B> : null} for {on}
          </>
        ),
        detail,
      };
    case 'order.exchanged':
      return {
        icon: IconArrowsExchange,
        tone: 'order',
        body: (
          <>
            {who} set up exchange {ref ? <B>{ref}</B> : null} for {on}
          </>
        ),
        detail,
      };
    case 'order.reshipped':
      return {
        icon: IconTruckDelivery,
        tone: 'order',
        body: (
          <>
            {who} reshipped items from {on} at no charge{money ? <> ({money})</> : null}
          </>
        ),
        detail,
      };
    case 'order.discount_code_created':
      return {
        icon: IconDiscount,
        tone: 'order',
        body: (
          <>
            {who} created discount code {ref ? <B>{ref}</B> : null} after {on}
          </>
        ),
        detail,
      };
    case 'order.store_credit_given':
      return {
        icon: IconCoins,
        tone: 'order',
        body: (
          <>
            {who} gave <B>{money ?? 'store credit'}</B> store credit for {on}
          </>
        ),
        detail,
      };
    case 'order.note_added':
      return {
        icon: IconNote,
        body: (
          <>
            {who} added a note to {on}
          </>
        ),
      };
    case 'order.action_refused': {
      const action = text(d.action);
      const label =
        Object.entries(ACTION_META)
          .find(([kind]) => kind === action)?.[1]
          .label.toLowerCase() ?? 'action';
      return {
        icon: IconHandStop,
        tone: 'warning',
        body: (
          <>
            {text(d.store_name) ?? 'The store'} refused {who}’s {label} on {on}
          </>
        ),
        detail,
      };
    }
    case 'order.approval_requested': {
      const reasons = Array.isArray(d.reasons) ? d.reasons.filter((r): r is string => typeof r === 'string') : [];
      return {
        icon: IconUserQuestion,
        tone: 'warning',
        body: (
          <>
            {who} asked a manager to approve {money ? <B>{money}</B> : 'an action'} on {on}
          </>
        ),
        detail: [summary, ...reasons].filter(Boolean).join(' · ') || undefined,
      };
    }
    case 'order.approval_approved':
      return {
        icon: IconUserCheck,
        tone: 'order',
        body: (
          <>
            {who} approved {text(d.requested_by) ?? 'the agent'}’s request on {on}
          </>
        ),
        detail,
      };
    case 'order.approval_refused':
      return {
        icon: IconHandStop,
        tone: 'warning',
        body: (
          <>
            {who} did not approve {text(d.requested_by) ?? 'the agent'}’s request on {on}
          </>
        ),
        detail: text(d.reason) ? `Why: ${text(d.reason)}` : detail,
      };
    default:
      return {
        icon: IconShoppingCart,
        tone: 'order',
        body: (
          <>
            {who} acted on {on}
          </>
        ),
        detail,
      };
  }
}
