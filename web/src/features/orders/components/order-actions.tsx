/**
 * The actions under an expanded order: the two that fit the order's state as buttons, the rest
 * of what its store allows in a menu. Each opens the action dialog, which lives in an
 * `OrderActionHost` above the order list: an action may move the order (a newly linked order
 * jumps to the top), and the dialog with the store's answer must survive that.
 */
import { Button, Group, Menu } from '@mantine/core';
import { IconChevronDown } from '@tabler/icons-react';
import { createContext, useCallback, useContext, useState, type ReactNode } from 'react';
import type { Order, OrderActionKind, StoreCapabilities } from '../../../api/types';
import { ACTION_META } from '../order-meta';
import { OrderActionModal } from './order-action-modal';

/** The ticket an action is taken from; it is recorded on that ticket's timeline. */
export interface OrderActionTarget {
  ticketId: string;
  ticketNumber: number;
}

/**
 * A dialog opened from a playbook: the remedy's parameters pre-filled, and the playbook the
 * action is taken under (an action other than its standard remedies then needs a reason).
 */
export interface OrderActionPreset {
  params: Record<string, unknown>;
  playbook: { id: string; name: string; standardActions: OrderActionKind[] };
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

type Launch = (order: Order, capabilities: StoreCapabilities, action: OrderActionKind, preset?: OrderActionPreset) => void;

const LaunchContext = createContext<Launch | null>(null);
const TargetContext = createContext<OrderActionTarget | null>(null);

/** Opens the action dialog (with a playbook's preset), or null outside an `OrderActionHost`. */
export function useLaunchOrderAction(): Launch | null {
  return useContext(LaunchContext);
}

/** The ticket actions are taken from, or null outside an `OrderActionHost`. */
export function useOrderActionTarget(): OrderActionTarget | null {
  return useContext(TargetContext);
}

/** Whether orders below can be acted on (there is a ticket to act from). */
export function useCanActOnOrders(): boolean {
  return useContext(LaunchContext) !== null;
}

/** Holds the action dialog for every order below it; actions are taken from `target`. */
export function OrderActionHost({ target, children }: { target: OrderActionTarget; children: ReactNode }) {
  const [state, setState] = useState<{
    order: Order;
    capabilities: StoreCapabilities;
    action: OrderActionKind;
    preset: OrderActionPreset | undefined;
    count: number;
  } | null>(null);
  const [opened, setOpened] = useState(false);
  const launch = useCallback<Launch>((order, capabilities, action, preset) => {
    setState((s) => ({ order, capabilities, action, preset, count: (s?.count ?? 0) + 1 }));
    setOpened(true);
  }, []);
  return (
    <LaunchContext value={launch}>
      <TargetContext value={target}>{children}</TargetContext>
      {state && (
        <OrderActionModal
          key={state.count}
          opened={opened}
          action={state.action}
          order={state.order}
          capabilities={state.capabilities}
          preset={state.preset}
          target={target}
          onClose={() => setOpened(false)}
        />
      )}
    </LaunchContext>
  );
}

/** Action buttons and menu for one order; nothing outside an `OrderActionHost`. */
export function OrderActions({ order, capabilities }: { order: Order; capabilities: StoreCapabilities }) {
  const launch = useContext(LaunchContext);
  if (!launch) return null;
  const available = ALL_ACTIONS.filter((a) => capabilities.actions.includes(a));
  const primary = likelyActions(order)
    .filter((a) => available.includes(a))
    .slice(0, 2);
  const open = (next: OrderActionKind) => launch(order, capabilities, next);

  return (
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
  );
}
