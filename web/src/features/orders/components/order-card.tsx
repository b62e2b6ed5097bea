/**
 * One order: its state at a glance (number, state, total, when, parcel), expandable to the
 * lines, money (totals, payments, refunds), parcels with tracking links, returns, the shipping
 * address and notes. On a ticket page it also carries the actions the store allows.
 */
import { Anchor, Badge, Box, Collapse, Divider, Group, Paper, Stack, Text, Tooltip, UnstyledButton } from '@mantine/core';
import { IconChevronRight, IconExternalLink, IconLink, IconMapPin, IconTruck } from '@tabler/icons-react';
import { createContext, useContext, type ReactNode } from 'react';
import type { Money, Order, OrderFulfillment, StoreCapabilities } from '../../../api/types';
import { formatDate, formatDateTime, humanize } from '../../../ui/format';
import { formatMoney } from '../money';
import { countryName, OrderFlags, OrderStateBadge, orderStatusLine, paymentMethodLabel, SHIPMENT_META } from '../order-meta';
import { useStoreTimeZone } from '../hooks/use-orders';
import { OrderActions, useCanActOnOrders } from './order-actions';
import classes from './order-card.module.css';
import { PlaybookPanel } from '../../playbooks/components/playbook-panel';

/** The store's time zone: every date on an order card is the day it was in the store. */
const StoreTimeZone = createContext<string | null>(null);

/** Formats a date of this order in its store's time zone. */
function useDay() {
  const timeZone = useContext(StoreTimeZone);
  return (iso: string | null | undefined) => formatDate(iso, undefined, timeZone);
}

function SectionLabel({ children }: { children: ReactNode }) {
  return (
    <Text size="xs" fw={600} c="dimmed" tt="uppercase" style={{ letterSpacing: 0.4 }} mb={4}>
      {children}
    </Text>
  );
}

/** A label on the left, an amount on the right. */
function MoneyRow({
  label,
  money,
  strong = false,
  negative = false,
  hint,
}: {
  label: ReactNode;
  money: Money;
  strong?: boolean;
  negative?: boolean;
  hint?: ReactNode;
}) {
  return (
    <Group justify="space-between" wrap="nowrap" gap="xs">
      <Text size="xs" c={strong ? undefined : 'dimmed'} fw={strong ? 600 : undefined} truncate>
        {label}
        {hint && (
          <Text span size="xs" c="dimmed">
            {' '}
            {hint}
          </Text>
        )}
      </Text>
      <Text size="xs" fw={strong ? 650 : 500} style={{ fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' }}>
        {negative && money.amount > 0 ? '−' : ''}
        {formatMoney(money)}
      </Text>
    </Group>
  );
}

/** A parcel's tracking number, linked to the carrier's page when there is one. */
export function TrackingLink({ number, url, size = 'xs' }: { number: string; url: string | null; size?: 'xs' | 'sm' }) {
  if (!url) {
    return (
      <Text span size={size} ff="monospace">
        {number}
      </Text>
    );
  }
  return (
    <Anchor
      href={url}
      target="_blank"
      rel="noopener noreferrer"
      size={size}
      ff="monospace"
      onClick={(e) => e.stopPropagation()}
      data-testid="tracking-link"
    >
      {number}
      <IconExternalLink size={11} style={{ marginLeft: 3, verticalAlign: -1 }} />
    </Anchor>
  );
}

function Parcel({ parcel }: { parcel: OrderFulfillment }) {
  const day = useDay();
  const meta = SHIPMENT_META[parcel.status] ?? { label: humanize(parcel.status), color: 'gray' };
  const kind = parcel.kind === 'reship' ? 'Reship at no charge' : parcel.kind === 'exchange' ? 'Exchange replacement' : null;
  return (
    <Paper withBorder radius="sm" p={8} data-testid="order-parcel">
      <Group justify="space-between" wrap="nowrap" gap="xs" mb={2}>
        <Group gap={6} wrap="nowrap" style={{ minWidth: 0 }}>
          <IconTruck size={14} color="var(--mantine-color-dimmed)" style={{ flexShrink: 0 }} />
          <Text size="xs" fw={600} truncate>
            {parcel.carrier ?? kind ?? 'Parcel'}
            {parcel.service && (
              <Text span size="xs" c="dimmed" fw={400}>
                {' '}
                · {parcel.service}
              </Text>
            )}
          </Text>
        </Group>
        <Badge size="xs" variant="light" color={meta.color} style={{ flexShrink: 0 }}>
          {meta.label}
        </Badge>
      </Group>
      {kind && parcel.carrier && (
        <Text size="xs" c="dimmed">
          {kind}
        </Text>
      )}
      {parcel.tracking_number && <TrackingLink number={parcel.tracking_number} url={parcel.tracking_url} />}
      {(parcel.shipped_at || parcel.delivered_at || parcel.estimated_delivery_at) && (
        <Text size="xs" c="dimmed">
          {[
            parcel.shipped_at ? `Shipped ${day(parcel.shipped_at)}` : null,
            parcel.delivered_at
              ? `delivered ${day(parcel.delivered_at)}`
              : parcel.estimated_delivery_at
                ? `carrier estimate ${day(parcel.estimated_delivery_at)}`
                : null,
          ]
            .filter(Boolean)
            .join(' · ')
            .replace(/^./, (c) => c.toUpperCase())}
        </Text>
      )}
      {parcel.lines.length > 0 && (
        <Text size="xs" c="dimmed" lineClamp={2}>
          {parcel.lines.map((l) => `${l.quantity} × ${l.title}`).join(', ')}
        </Text>
      )}
    </Paper>
  );
}

/** Units of a line in returns: received back, and on their way or only requested. */
function returnState(order: Order, lineId: string): { back: number; open: number } {
  let back = 0;
  let open = 0;
  for (const r of order.returns) {
    if (r.status === 'cancelled') continue;
    const units = r.lines.filter((l) => l.line_id === lineId).reduce((sum, l) => sum + l.quantity, 0);
    if (r.status === 'received' || r.status === 'closed') back += units;
    else open += units;
  }
  return { back, open };
}

/** Everything inside an expanded order. */
function OrderBody({ order }: { order: Order }) {
  const day = useDay();
  const address = order.shipping_address;
  return (
    <Stack gap="sm" pt="xs" data-testid="order-details">
      <div>
        <SectionLabel>Items</SectionLabel>
        <Stack gap={6}>
          {order.lines.map((line) => (
            <Box key={line.id} data-testid="order-line">
              <Group justify="space-between" wrap="nowrap" gap="xs" align="flex-start">
                <Text size="xs" fw={500} style={{ minWidth: 0 }}>
                  {line.product_title}
                </Text>
                <Text size="xs" fw={500} style={{ fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' }}>
                  {formatMoney(line.total)}
                </Text>
              </Group>
              <Text size="xs" c="dimmed">
                {[line.variant_title, line.sku].filter(Boolean).join(' · ')}
                {line.variant_title || line.sku ? ' · ' : ''}
                {line.quantity} × {formatMoney(line.unit_price)}
                {line.discount.amount > 0 && ` · −${formatMoney(line.discount)} discount`}
              </Text>
              {(line.quantity_refunded > 0 ||
                line.quantity_returned > 0 ||
                (line.quantity_shipped < line.quantity && order.status !== 'cancelled')) && (
                <Group gap={4} mt={2}>
                  {line.quantity_shipped < line.quantity && order.status !== 'cancelled' && (
                    <Badge size="xs" variant="outline" color="gray">
                      {line.quantity_shipped === 0 ? 'Not shipped' : `${line.quantity_shipped} of ${line.quantity} shipped`}
                    </Badge>
                  )}
                  {line.quantity_refunded > 0 && (
                    <Badge size="xs" variant="light" color="violet">
                      {line.quantity_refunded} refunded
                    </Badge>
                  )}
                  {returnState(order, line.id).back > 0 && (
                    <Badge size="xs" variant="light" color="grape">
                      {returnState(order, line.id).back} returned
                    </Badge>
                  )}
                  {returnState(order, line.id).open > 0 && (
                    <Badge size="xs" variant="light" color="yellow">
                      {returnState(order, line.id).open} in a return
                    </Badge>
                  )}
                </Group>
              )}
            </Box>
          ))}
        </Stack>
      </div>

      <Stack gap={2}>
        <MoneyRow label="Subtotal" money={order.subtotal} />
        {order.discount_total.amount > 0 && (
          <MoneyRow
            label="Discount"
            hint={order.discount_codes.length > 0 ? order.discount_codes.join(', ') : undefined}
            money={order.discount_total}
            negative
          />
        )}
        <MoneyRow label="Shipping" hint={order.shipping_method ?? undefined} money={order.shipping_total} />
        {order.tax_total.amount > 0 && <MoneyRow label={order.taxes_included ? 'Tax (included)' : 'Tax'} money={order.tax_total} />}
        <MoneyRow label="Total" money={order.total} strong />
        <MoneyRow label="Paid" money={order.paid} />
        {order.refunded.amount > 0 && <MoneyRow label="Refunded" money={order.refunded} negative />}
      </Stack>

      {order.payments.length > 0 && (
        <div>
          <SectionLabel>Payments</SectionLabel>
          <Stack gap={2}>
            {order.payments.map((p) => (
              <MoneyRow
                key={p.id}
                label={p.method_detail ?? paymentMethodLabel(p.method)}
                hint={`${p.status === 'captured' ? 'paid' : p.status} ${day(p.created_at)}`}
                money={p.amount}
              />
            ))}
          </Stack>
        </div>
      )}

      {order.refunds.length > 0 && (
        <div>
          <SectionLabel>Refunds</SectionLabel>
          <Stack gap={4}>
            {order.refunds.map((r) => (
              <div key={r.id} data-testid="order-refund">
                <MoneyRow
                  label={day(r.created_at)}
                  hint={[
                    r.shipping.amount > 0 && r.shipping.amount === r.amount.amount ? 'shipping' : null,
                    r.shipping.amount > 0 && r.shipping.amount < r.amount.amount ? `incl. ${formatMoney(r.shipping)} shipping` : null,
                    r.lines.length > 0 ? `${r.lines.reduce((s, l) => s + l.quantity, 0)} item(s)` : null,
                    r.destination === 'store_credit' ? 'to store credit' : null,
                  ]
                    .filter(Boolean)
                    .join(' · ')}
                  money={r.amount}
                />
                {r.reason && (
                  <Text size="xs" c="dimmed" fs="italic" lineClamp={2}>
                    “{r.reason}”
                  </Text>
                )}
              </div>
            ))}
          </Stack>
        </div>
      )}

      {order.fulfillments.length > 0 && (
        <div>
          <SectionLabel>Parcels</SectionLabel>
          <Stack gap={6}>
            {order.fulfillments.map((f) => (
              <Parcel key={f.id} parcel={f} />
            ))}
          </Stack>
        </div>
      )}

      {order.returns.length > 0 && (
        <div>
          <SectionLabel>Returns</SectionLabel>
          <Stack gap={4}>
            {order.returns.map((r) => (
              <Group key={r.id} justify="space-between" wrap="nowrap" gap="xs" data-testid="order-return">
                <Text size="xs" style={{ minWidth: 0 }}>
                  <Text span size="xs" fw={600} ff="monospace">
                    {r.number}
                  </Text>{' '}
                  <Text span size="xs" c="dimmed">
                    {r.kind === 'exchange' ? 'exchange' : 'return'} · {r.lines.reduce((s, l) => s + l.quantity, 0)} item(s) · opened{' '}
                    {day(r.created_at)}
                    {r.received_at ? ` · received ${day(r.received_at)}` : ''}
                  </Text>
                </Text>
                <Badge
                  size="xs"
                  variant="light"
                  color={r.status === 'received' || r.status === 'closed' ? 'teal' : 'yellow'}
                  style={{ flexShrink: 0 }}
                >
                  {humanize(r.status)}
                </Badge>
              </Group>
            ))}
          </Stack>
        </div>
      )}

      {address && (
        <div>
          <SectionLabel>Ships to</SectionLabel>
          <Group gap={6} wrap="nowrap" align="flex-start">
            <IconMapPin size={14} color="var(--mantine-color-dimmed)" style={{ flexShrink: 0, marginTop: 2 }} />
            <Text size="xs" data-testid="order-address">
              {address.name}
              <br />
              {address.line1}
              {address.line2 && (
                <>
                  <br />
                  {address.line2}
                </>
              )}
              <br />
              {address.postal_code} {address.city}
              {address.region ? `, ${address.region}` : ''}
              <br />
              {countryName(address.country)}
              {address.phone && (
                <Text span size="xs" c="dimmed">
                  {' '}
                  · {address.phone}
                </Text>
              )}
            </Text>
          </Group>
        </div>
      )}

      {order.cancelled_at && (
        <Text size="xs" c="red.7">
          Cancelled {day(order.cancelled_at)}
          {order.cancel_reason ? `: ${order.cancel_reason}` : ''}
        </Text>
      )}

      {order.notes.length > 0 && (
        <div>
          <SectionLabel>Notes</SectionLabel>
          <Stack gap={4}>
            {order.notes.map((n, i) => (
              <Text key={i} size="xs" style={{ whiteSpace: 'pre-wrap' }}>
                {n.body}
                <Text span size="xs" c="dimmed">
                  {' '}
                  — {n.author ?? 'store'}, {day(n.created_at)}
                </Text>
              </Text>
            ))}
          </Stack>
        </div>
      )}

      {order.admin_url && (
        <Anchor href={order.admin_url} target="_blank" rel="noopener noreferrer" size="xs">
          Open in the store’s admin <IconExternalLink size={11} style={{ verticalAlign: -1 }} />
        </Anchor>
      )}
    </Stack>
  );
}

/** The one-line "where is it" under the order's header, dates in the store's time zone. */
function glanceLine(order: Order, timeZone: string | null): string {
  return [`Placed ${formatDate(order.placed_at, undefined, timeZone)}`, `${order.item_count} ${order.item_count === 1 ? 'item' : 'items'}`, orderStatusLine(order, timeZone)].join(' · ');
}

/** An order, collapsed to its glance or expanded to everything. */
export function OrderCard({
  order,
  capabilities,
  expanded,
  onToggle,
  linked = false,
}: {
  order: Order;
  capabilities: StoreCapabilities | null;
  expanded: boolean;
  onToggle: () => void;
  /** Highlighted: the ticket on screen is about this order. */
  linked?: boolean;
}) {
  // Inside an OrderActionHost (a ticket page) the order carries its actions; elsewhere it is read-only.
  const canAct = useCanActOnOrders();
  const timeZone = useStoreTimeZone(order.store_id);
  const tracking = order.tracking;
  const showTracking = tracking && order.status !== 'delivered' && order.status !== 'cancelled';
  return (
    <StoreTimeZone.Provider value={timeZone}>
      <Paper
        withBorder
        radius="md"
        className={classes.card}
        data-linked={linked || undefined}
        data-expanded={expanded || undefined}
        data-testid="order-card"
        data-order-number={order.number}
        id={`order-${order.number}`}
      >
        <UnstyledButton
          className={classes.header}
          onClick={onToggle}
          aria-expanded={expanded}
          aria-controls={`order-body-${order.number}`}
          data-testid="order-toggle"
        >
          <Group justify="space-between" wrap="nowrap" gap="xs">
            <Group gap={6} wrap="nowrap" style={{ minWidth: 0 }}>
              <IconChevronRight size={14} className={classes.chevron} />
              <Text size="sm" fw={650} style={{ whiteSpace: 'nowrap' }}>
                {order.number}
              </Text>
              <OrderStateBadge state={order.status} style={{ flexShrink: 0 }} />
              {linked && (
                <Tooltip label="This ticket is about this order">
                  <IconLink
                    size={14}
                    color="var(--mantine-color-indigo-6)"
                    style={{ flexShrink: 0 }}
                    data-testid="order-linked"
                    aria-label="Linked to this ticket"
                  />
                </Tooltip>
              )}
            </Group>
            <Text size="sm" fw={600} style={{ fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' }}>
              {formatMoney(order.total)}
            </Text>
          </Group>
          <Text size="xs" c="dimmed" mt={2} pl={20} title={formatDateTime(order.placed_at)}>
            {glanceLine(order, timeZone)}
          </Text>
          {(order.partially_refunded || order.partially_shipped) && (
            <Group gap={4} mt={4} pl={20}>
              <OrderFlags order={order} />
            </Group>
          )}
        </UnstyledButton>
        {showTracking && (
          <Group gap={6} wrap="nowrap" px="sm" pb={expanded ? 0 : 'xs'} pl={32} mt={-2}>
            <IconTruck size={13} color="var(--mantine-color-dimmed)" style={{ flexShrink: 0 }} />
            <Text size="xs" c="dimmed" truncate>
              {tracking.carrier ?? 'Parcel'} · {SHIPMENT_META[tracking.status]?.label ?? humanize(tracking.status)} ·{' '}
              <TrackingLink number={tracking.number} url={tracking.url} />
            </Text>
          </Group>
        )}
        <Collapse expanded={expanded} keepMounted={false} id={`order-body-${order.number}`}>
          <Box px="sm" pb="sm">
            <Divider mt={showTracking ? 'xs' : 0} />
            <OrderBody order={order} />
            {canAct && capabilities && capabilities.actions.length > 0 && (
              <>
                <Divider my="sm" />
                <OrderActions order={order} capabilities={capabilities} />
                <PlaybookPanel order={order} capabilities={capabilities} />
              </>
            )}
          </Box>
        </Collapse>
      </Paper>
    </StoreTimeZone.Provider>
  );
}
