/**
 * What happened to a customer's orders (placed, paid, shipped, delivered, cancelled, refunded,
 * returned), newest first, as the store reported it.
 */
import { Button, Group, Paper, Skeleton, Stack, Text, ThemeIcon } from '@mantine/core';
import {
  IconBan,
  IconCash,
  IconCircleCheck,
  IconPackageImport,
  IconReceiptRefund,
  IconShoppingCart,
  IconTimeline,
  IconTruck,
  type Icon,
} from '@tabler/icons-react';
import type { OrderTimelineEntry } from '../../../api/types';
import { humanize } from '../../../ui/format';
import { RelativeTime } from '../../../ui/relative-time';
import { EmptyState, ErrorState } from '../../../ui/states';
import { useCustomerOrderTimeline } from '../hooks/use-orders';
import { formatMoney } from '../money';

function text(value: unknown): string | null {
  return typeof value === 'string' && value ? value : null;
}

/** The amount in an order event's data, when it has one. */
export function eventMoney(data: Record<string, unknown>, field = 'amount'): string | null {
  const amount = data[field];
  const currency = data.currency;
  if (typeof amount !== 'number' || typeof currency !== 'string' || amount <= 0) return null;
  return formatMoney({ amount, currency });
}

const LOOK: Record<string, { icon: Icon; color: string; verb: string }> = {
  'order.created': { icon: IconShoppingCart, color: 'gray', verb: 'placed' },
  'order.paid': { icon: IconCash, color: 'blue', verb: 'paid' },
  'order.shipped': { icon: IconTruck, color: 'indigo', verb: 'shipped' },
  'order.delivered': { icon: IconCircleCheck, color: 'teal', verb: 'delivered' },
  'order.cancelled': { icon: IconBan, color: 'red', verb: 'cancelled' },
  'order.refunded': { icon: IconReceiptRefund, color: 'violet', verb: 'refunded' },
  'order.returned': { icon: IconPackageImport, color: 'grape', verb: 'returned' },
};

/** One sentence for a store event: "NW-10234 shipped with DHL (JVGL…)". */
export function describeOrderFeedEvent(entry: Pick<OrderTimelineEntry, 'type' | 'order_number' | 'data'>): string {
  const d = entry.data;
  const n = entry.order_number;
  switch (entry.type) {
    case 'order.created': {
      const total = eventMoney(d, 'total');
      const items = typeof d.items === 'number' ? `${d.items} ${d.items === 1 ? 'item' : 'items'}` : null;
      return `${n} placed${[items, total].filter(Boolean).length ? ` (${[items, total].filter(Boolean).join(', ')})` : ''}`;
    }
    case 'order.paid': {
      const amount = eventMoney(d);
      const method = text(d.method);
      return `${n} paid${amount ? ` ${amount}` : ''}${method ? ` with ${method}` : ''}`;
    }
    case 'order.shipped': {
      const carrier = text(d.carrier);
      const tracking = text(d.tracking_number);
      return `${n} shipped${carrier ? ` with ${carrier}` : ''}${tracking ? ` (${tracking})` : ''}`;
    }
    case 'order.delivered':
      return `${n} delivered${text(d.carrier) ? ` by ${text(d.carrier)}` : ''}`;
    case 'order.cancelled': {
      const reason = text(d.reason);
      return `${n} cancelled${reason ? `: ${reason}` : ''}`;
    }
    case 'order.refunded': {
      const amount = eventMoney(d);
      const shipping = eventMoney(d, 'shipping');
      return `${amount ?? 'Money'} refunded on ${n}${shipping && shipping === amount ? ' (shipping)' : ''}${text(d.destination) === 'store_credit' ? ' to store credit' : ''}`;
    }
    case 'order.returned':
      return `Return ${text(d.rma_number) ?? ''} received for ${n}`.replace('  ', ' ');
    default:
      return `${n}: ${humanize(entry.type.replace(/^order\./, ''))}`;
  }
}

/** The order activity list of a customer. */
export function OrderActivity({ customerId }: { customerId: string }) {
  const feed = useCustomerOrderTimeline(customerId);
  let body;
  if (feed.isPending) {
    body = (
      <Stack gap={10} aria-busy="true">
        {[0, 1, 2, 3].map((i) => (
          <Group key={i} gap="sm" wrap="nowrap">
            <Skeleton circle h={22} />
            <Skeleton h={10} w={`${50 + i * 10}%`} />
          </Group>
        ))}
      </Stack>
    );
  } else if (!feed.data) {
    body = <ErrorState error={feed.error} title="Order activity could not be loaded" onRetry={() => void feed.refetch()} compact />;
  } else {
    const items = feed.data.pages.flatMap((p) => p.items);
    body =
      items.length === 0 ? (
        <EmptyState compact title="No order activity yet" />
      ) : (
        <Stack gap={8} data-testid="order-activity">
          {items.map((e) => {
            const look = LOOK[e.type] ?? { icon: IconTimeline, color: 'gray', verb: '' };
            const Icon = look.icon;
            return (
              <Group key={e.id} gap="sm" wrap="nowrap" align="flex-start" data-testid="order-activity-item" data-type={e.type}>
                <ThemeIcon size={22} radius="xl" variant="light" color={look.color} style={{ flexShrink: 0 }}>
                  <Icon size={13} />
                </ThemeIcon>
                <Stack gap={0} style={{ minWidth: 0 }}>
                  <Text size="xs">{describeOrderFeedEvent(e)}</Text>
                  <RelativeTime date={e.occurred_at} />
                </Stack>
              </Group>
            );
          })}
          {feed.hasNextPage && (
            <Button variant="subtle" size="xs" onClick={() => void feed.fetchNextPage()} loading={feed.isFetchingNextPage}>
              Show earlier activity
            </Button>
          )}
        </Stack>
      );
  }
  return (
    <Paper withBorder radius="md" p="md">
      <Text fw={600} size="sm" mb="sm">
        Order activity
      </Text>
      {body}
    </Paper>
  );
}
