/**
 * The customer's orders beside a conversation or on their page: lifetime value, order count,
 * first and last order, then the orders (the ones the ticket is about first, expanded), each
 * expandable to everything the store knows. With a ticket, orders carry their actions.
 */
import { Badge, Button, Group, Paper, SimpleGrid, Skeleton, Stack, Text, Tooltip } from '@mantine/core';
import { IconShoppingBag, IconShoppingCartOff } from '@tabler/icons-react';
import { useEffect, useState, type ReactNode } from 'react';
import { isApiError } from '../../../api/client';
import type { CustomerOrders, Order, StoreCapabilities } from '../../../api/types';
import { formatDate, formatDateTime } from '../../../ui/format';
import { EmptyState, ErrorState, StaleDataNotice } from '../../../ui/states';
import { useCustomerOrders, useOrder } from '../hooks/use-orders';
import { formatMoney } from '../money';
import { OrderCard } from './order-card';
import { OrderActionHost, type OrderActionTarget } from './order-actions';

function Stat({ label, value, hint }: { label: string; value: ReactNode; hint?: string }) {
  return (
    <Tooltip label={hint} disabled={!hint}>
      <div>
        <Text size="xs" c="dimmed">
          {label}
        </Text>
        <Text size="sm" fw={650} style={{ fontVariantNumeric: 'tabular-nums' }}>
          {value}
        </Text>
      </div>
    </Tooltip>
  );
}

function Stats({ data }: { data: CustomerOrders }) {
  const stats = data.stats;
  if (!stats) return null;
  const partial = stats.source === 'orders_shown';
  return (
    <Paper radius="md" p="sm" bg="var(--sd-page-bg)" data-testid="order-stats">
      <SimpleGrid type="container" cols={{ base: 2, '520px': 4 }} spacing="xs" verticalSpacing={8}>
        <Stat
          label="Lifetime value"
          value={formatMoney(stats.lifetime_value)}
          hint={partial ? 'Paid minus refunded, counted from the orders shown' : 'Paid minus refunded, all orders'}
        />
        <Stat label="Orders" value={`${stats.order_count}${partial && data.next_cursor ? '+' : ''}`} />
        <Stat label="First order" value={formatDate(stats.first_order_at, undefined, data.store.timezone) || '—'} hint={formatDateTime(stats.first_order_at)} />
        <Stat label="Last order" value={formatDate(stats.last_order_at, undefined, data.store.timezone) || '—'} hint={formatDateTime(stats.last_order_at)} />
      </SimpleGrid>
      {data.store_customer?.store_credit && data.store_customer.store_credit.amount > 0 && (
        <Text size="xs" c="dimmed" mt={6}>
          Store credit balance: <b>{formatMoney(data.store_customer.store_credit)}</b>
        </Text>
      )}
    </Paper>
  );
}

function PanelSkeleton() {
  return (
    <Stack gap="xs" aria-busy="true" aria-label="Loading orders" data-testid="orders-loading">
      <Skeleton h={70} radius="md" />
      {[0, 1, 2].map((i) => (
        <Skeleton key={i} h={50} radius="md" />
      ))}
    </Stack>
  );
}

/** A linked order that is not among the customer's orders shown (another page, another account). */
function LinkedOrder({
  storeId,
  number,
  expanded,
  onToggle,
}: {
  storeId: string;
  number: string;
  expanded: boolean;
  onToggle: () => void;
}) {
  const order = useOrder(storeId, number);
  if (order.isPending) return <Skeleton h={50} radius="md" />;
  // Only without an order to show; a failed refresh keeps the card (and any dialog opened from it).
  if (order.isLoadingError) {
    const missing = isApiError(order.error) && order.error.status === 404;
    return (
      <Paper withBorder radius="md" px="sm" py={8} style={{ borderStyle: 'dashed' }} data-testid="order-missing" data-order-number={number}>
        <Text size="xs">
          <b>{number}</b>{' '}
          <Text span size="xs" c="dimmed">
            {missing ? 'is mentioned on this ticket but the store has no such order.' : `could not be loaded: ${order.error.message}`}
          </Text>
        </Text>
      </Paper>
    );
  }
  return (
    <>
      <StaleDataNotice query={order} what={`order ${number}`} compact />
      <OrderCard order={order.data.order} capabilities={order.data.capabilities} expanded={expanded} onToggle={onToggle} linked />
    </>
  );
}

/** The orders section. `linkedNumbers` are the ticket's orders; `focusNumber` opens one order. */
export function OrdersPanel({
  customerId,
  linkedNumbers = [],
  actionTarget,
  focusNumber,
}: {
  customerId: string;
  linkedNumbers?: string[];
  actionTarget?: OrderActionTarget;
  focusNumber?: string;
}) {
  const orders = useCustomerOrders(customerId);
  // Linked orders start open: the agent almost always needs them. Others open on demand.
  const [toggled, setToggled] = useState<Record<string, boolean>>({});
  const isExpanded = (number: string) => toggled[number] ?? (linkedNumbers.includes(number) || number === focusNumber);
  const toggle = (number: string) => setToggled((t) => ({ ...t, [number]: !isExpanded(number) }));

  useEffect(() => {
    if (!focusNumber || !orders.data) return;
    document.getElementById(`order-${focusNumber}`)?.scrollIntoView({ block: 'center', behavior: 'smooth' });
  }, [focusNumber, Boolean(orders.data)]);

  let body: ReactNode;
  if (orders.isPending) {
    body = <PanelSkeleton />;
  } else if (!orders.data) {
    body = <ErrorState error={orders.error} title="Orders could not be loaded" onRetry={() => void orders.refetch()} compact />;
  } else {
    const first = orders.data.pages[0];
    const items: Order[] = orders.data.pages.flatMap((p) => p.items);
    const capabilities: StoreCapabilities | null = first?.capabilities ?? null;
    const storeId = first?.store.id;
    const linked = linkedNumbers.map((n) => n.toUpperCase());
    const isLinked = (o: Order) => linked.includes(o.number.toUpperCase());
    const linkedShown = items.filter(isLinked);
    const missingLinked = linkedNumbers.filter((n) => !items.some((o) => o.number.toUpperCase() === n.toUpperCase()));
    const others = items.filter((o) => !isLinked(o));

    if (!first?.store_customer && missingLinked.length === 0) {
      body = (
        <EmptyState
          compact
          icon={<IconShoppingCartOff size={22} />}
          title={`${first?.store.name ?? 'The store'} has no account for this customer`}
          description="No orders under their email address or phone number."
        />
      );
    } else {
      // One flat keyed list, so an order that becomes linked moves to the top instead of being
      // rebuilt (its expanded state and anything open inside it survive).
      const hasLinked = linkedShown.length > 0 || missingLinked.length > 0;
      const rows: ReactNode[] = [];
      if (hasLinked && actionTarget)
        rows.push(
          <Text key="label-linked" size="xs" c="dimmed" mt={4}>
            This ticket is about
          </Text>,
        );
      for (const o of linkedShown)
        rows.push(
          <OrderCard
            key={o.number}
            order={o}
            capabilities={capabilities}
            expanded={isExpanded(o.number)}
            onToggle={() => toggle(o.number)}
            linked
          />,
        );
      if (storeId)
        for (const n of missingLinked)
          rows.push(<LinkedOrder key={`linked:${n}`} storeId={storeId} number={n} expanded={isExpanded(n)} onToggle={() => toggle(n)} />);
      if (others.length > 0 && hasLinked)
        rows.push(
          <Text key="label-others" size="xs" c="dimmed" mt={4}>
            Other orders
          </Text>,
        );
      for (const o of others)
        rows.push(
          <OrderCard
            key={o.number}
            order={o}
            capabilities={capabilities}
            expanded={isExpanded(o.number)}
            onToggle={() => toggle(o.number)}
          />,
        );
      body = (
        <Stack gap="xs">
          {first && <Stats data={first} />}
          {rows}
          {items.length === 0 && missingLinked.length === 0 && <EmptyState compact title="No orders yet" />}
          {orders.hasNextPage && (
            <Button variant="subtle" size="xs" onClick={() => void orders.fetchNextPage()} loading={orders.isFetchingNextPage}>
              Show older orders
            </Button>
          )}
          <StaleDataNotice query={orders} what="the orders" compact />
          {orders.isFetchNextPageError && (
            <ErrorState compact error={orders.error} title="Could not load older orders" onRetry={() => void orders.fetchNextPage()} />
          )}
        </Stack>
      );
    }
  }

  const storeName = orders.data?.pages[0]?.store.name;
  const panel = (
    <Stack gap="xs" data-testid="orders-panel">
      <Group justify="space-between" wrap="nowrap">
        <Group gap={6}>
          <IconShoppingBag size={14} color="var(--mantine-color-dimmed)" />
          <Text size="xs" fw={600} c="dimmed" tt="uppercase" style={{ letterSpacing: 0.4 }}>
            Orders
          </Text>
        </Group>
        {storeName && (
          <Badge size="xs" variant="light" color="gray" tt="none">
            {storeName}
          </Badge>
        )}
      </Group>
      {body}
    </Stack>
  );
  return actionTarget ? <OrderActionHost target={actionTarget}>{panel}</OrderActionHost> : panel;
}
