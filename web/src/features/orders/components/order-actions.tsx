/**
 * The actions under an expanded order: the two that fit the order's state as buttons, the rest
 * of what its store allows in a menu. Each opens the action dialog.
 */
import { Button, Group, Menu } from '@mantine/core';
import { IconChevronDown } from '@tabler/icons-react';
import { useState } from 'react';
import type { Order, OrderActionKind, StoreCapabilities } from '../../../api/types';
import { ACTION_META } from '../order-meta';
import { OrderActionModal } from './order-action-modal';

/** The ticket an action is taken from; it is recorded on that ticket's timeline. */
export interface OrderActionTarget {
  ticketId: string;
  ticketNumber: number;
}

/** Every action in the order the menu offers them. */
const ALL_ACTIONS: OrderActionKind[] = [
  'refund',
  'cancel',
  'create_return',
  'exchange',
  'reship',
  'discount_code',
  'store_credit',
  'add_note',
];

/** The actions most likely wanted for an order in this state. */
function likelyActions(order: Order): OrderActionKind[] {
  switch (order.status) {
    case 'placed':
    case 'paid':
      return ['cancel', 'refund'];
    case 'shipped':
    case 'late':
      return ['refund', 'reship'];
    case 'delivered':
      return ['refund', 'create_return'];
    case 'return_requested':
    case 'returned':
      return ['refund', 'exchange'];
    case 'cancelled':
    case 'refunded':
      return ['discount_code', 'store_credit'];
  }
}

/** Action buttons and menu for one order. */
export function OrderActions({
  order,
  capabilities,
  target,
}: {
  order: Order;
  capabilities: StoreCapabilities;
  target: OrderActionTarget;
}) {
  const [action, setAction] = useState<OrderActionKind>('refund');
  const [opened, setOpened] = useState(false);
  const [openCount, setOpenCount] = useState(0);
  const available = ALL_ACTIONS.filter((a) => capabilities.actions.includes(a));
  const primary = likelyActions(order)
    .filter((a) => available.includes(a))
    .slice(0, 2);
  const open = (next: OrderActionKind) => {
    setAction(next);
    setOpenCount((n) => n + 1);
    setOpened(true);
  };

  return (
    <>
      <Group gap={6} data-testid="order-actions">
        {primary.map((a, i) => {
          const meta = ACTION_META[a];
          const Icon = meta.icon;
          return (
            <Button
              key={a}
              size="compact-sm"
              variant={i === 0 ? 'light' : 'default'}
              color={a === 'cancel' ? 'red' : undefined}
              leftSection={<Icon size={14} />}
              onClick={() => open(a)}
              data-testid={`order-action-${a}`}
            >
              {meta.label}
            </Button>
          );
        })}
        {available.length > primary.length && (
          <Menu position="bottom-start" withinPortal>
            <Menu.Target>
              <Button size="compact-sm" variant="default" rightSection={<IconChevronDown size={13} />} data-testid="order-actions-more">
                {primary.length > 0 ? 'More' : 'Actions'}
              </Button>
            </Menu.Target>
            <Menu.Dropdown>
              <Menu.Label>{order.number}</Menu.Label>
              {available.map((a) => {
                const meta = ACTION_META[a];
                const Icon = meta.icon;
                return (
                  <Menu.Item
                    key={a}
                    leftSection={<Icon size={14} />}
                    color={a === 'cancel' ? 'red' : undefined}
                    onClick={() => open(a)}
                    data-testid={`order-menu-${a}`}
                  >
                    {meta.menuLabel}
                  </Menu.Item>
                );
              })}
            </Menu.Dropdown>
          </Menu>
        )}
      </Group>
      <OrderActionModal
        key={openCount}
        opened={opened}
        action={action}
        order={order}
        capabilities={capabilities}
        target={target}
        onClose={() => setOpened(false)}
      />
    </>
  );
}
