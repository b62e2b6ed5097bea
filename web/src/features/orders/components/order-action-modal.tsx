/**
 * The dialog for one action on an order. While the agent fills it in, the server is asked what
 * would happen (`dry_run`), and that exact plan is shown; the confirm button sends the same
 * request with an idempotency key made once per dialog, so a double click or a retry never acts
 * twice. The store's answer (done, or refused and why) is shown in plain words.
 */
import {
  Alert,
  Box,
  Button,
  Checkbox,
  Group,
  List,
  Loader,
  Modal,
  NativeSelect,
  NumberInput,
  Paper,
  SegmentedControl,
  Skeleton,
  Stack,
  Text,
  Textarea,
  TextInput,
  ThemeIcon,
} from '@mantine/core';
import { getHotkeyHandler, useDebouncedValue } from '@mantine/hooks';
import { IconAlertTriangle, IconCheck, IconCircleCheck, IconHandStop, IconInfoCircle, IconPlugConnectedX } from '@tabler/icons-react';
import { useState, type ReactNode } from 'react';
import { errorMessage, isApiError } from '../../../api/client';
import type {
  Order,
  OrderActionKind,
  OrderActionParams,
  OrderActionPreview,
  OrderActionRecord,
  OrderActionRequest,
  ReasonCode,
  Refundable,
  RefundScope,
  StoreCapabilities,
} from '../../../api/types';
import { notifySuccess } from '../../../ui/notify';
import { MOD_KEY } from '../../../ui/shortcuts';
import { newIdempotencyKey } from '../api/orders.api';
import { useOrder, useOrderActionPreview, useRunOrderAction } from '../hooks/use-orders';
import { currencySymbol, formatMoney, minorDigits, toMajor, toMinor } from '../money';
import { ACTION_META } from '../order-meta';
import type { OrderActionPreset, OrderActionTarget } from './order-actions';

/** Everything the forms can hold; each action reads the fields it needs. */
interface Draft {
  scope: RefundScope;
  /** Units chosen per line id. */
  quantities: Record<string, number>;
  /** Exchange: the SKU to send instead, per line id. */
  skus: Record<string, string>;
  includeShipping: boolean;
  /** Major units as typed (19.99). */
  amount: number | '';
  destination: 'original_payment' | 'store_credit';
  reason: string;
  /** Why, as the store policy decides by it; '' until the agent chooses. */
  reasonCode: ReasonCode | '';
  refundPayment: boolean;
  restock: boolean;
  discountType: 'percentage' | 'fixed_amount' | 'free_shipping';
  percentage: number | '';
  code: string;
  /** yyyy-mm-dd, or empty for no expiry. */
  expiresOn: string;
  note: string;
}

/** The reason codes in the order the select shows them, in plain words. */
const REASON_CODES: { value: ReasonCode; label: string }[] = [
  { value: 'defective', label: 'Defective or stopped working' },
  { value: 'damaged', label: 'Arrived damaged' },
  { value: 'wrong_item', label: 'Wrong item sent' },
  { value: 'not_as_described', label: 'Not as described' },
  { value: 'changed_mind', label: 'Changed mind or does not fit' },
  { value: 'late_delivery', label: 'Late or lost delivery' },
  { value: 'price_drop', label: 'Price dropped after purchase' },
  { value: 'other', label: 'Other' },
];

const isReasonCode = (v: unknown): v is ReasonCode => REASON_CODES.some((r) => r.value === v);

/** Actions whose reason the store policy decides by: the dialog asks for the reason code. */
const CODED_ACTIONS: readonly OrderActionKind[] = ['refund', 'create_return', 'exchange', 'reship', 'discount_code', 'store_credit'];

/** Shipping charged and not refunded yet. */
function shippingLeft(order: Order): number {
  return Math.max(0, order.shipping_total.amount - order.refunds.reduce((s, r) => s + r.shipping.amount, 0));
}

/** A playbook's pre-filled parameters over the usual starting draft. */
function presetDraft(draft: Draft, preset: OrderActionPreset | undefined, order: Order): Draft {
  const p = preset?.params;
  if (!p) return draft;
  const next = { ...draft };
  if (p.scope === 'order' || p.scope === 'lines' || p.scope === 'shipping' || p.scope === 'amount') next.scope = p.scope;
  if (Array.isArray(p.lines)) {
    const quantities: Record<string, number> = {};
    for (const l of p.lines) {
      if (l && typeof l === 'object' && 'line_id' in l && 'quantity' in l && typeof l.line_id === 'string' && typeof l.quantity === 'number') quantities[l.line_id] = l.quantity;
    }
    next.quantities = quantities;
  }
  if (typeof p.amount === 'number') next.amount = toMajor(p.amount, order.currency);
  if (p.discount_type === 'percentage' || p.discount_type === 'fixed_amount' || p.discount_type === 'free_shipping') next.discountType = p.discount_type;
  if (typeof p.percentage === 'number') next.percentage = p.percentage;
  if (isReasonCode(p.reason_code)) next.reasonCode = p.reason_code;
  if (preset) next.reason = preset.playbook.name;
  return next;
}

function initialDraft(action: OrderActionKind, order: Order, capabilities: StoreCapabilities): Draft {
  const scopes = capabilities.refund_scopes;
  // A late or lost parcel: refunding the shipping is the usual gesture, so it is one click away.
  const preferShipping = (order.status === 'late' || order.status === 'shipped') && shippingLeft(order) > 0;
  const scope: RefundScope =
    preferShipping && scopes.includes('shipping') ? 'shipping' : scopes.includes('lines') ? 'lines' : (scopes[0] ?? 'amount');
  const single = order.lines.length === 1 ? order.lines[0] : undefined;
  return {
    scope,
    // One line: choose it already, so the dialog can show the plan straight away.
    quantities: single && action !== 'refund' ? { [single.id]: single.quantity } : {},
    skus: {},
    includeShipping: false,
    amount: '',
    destination: 'original_payment',
    reason: '',
    reasonCode: '',
    refundPayment: true,
    restock: true,
    discountType: 'percentage',
    percentage: 10,
    code: '',
    expiresOn: '',
    note: '',
  };
}

/** The request for the draft, or why it cannot be sent yet. */
function buildParams(
  action: OrderActionKind,
  d: Draft,
  order: Order,
  capabilities: StoreCapabilities,
): { params: OrderActionParams } | { missing: string } {
  if (CODED_ACTIONS.includes(action) && d.reasonCode === '') return { missing: 'Choose the reason.' };
  const reason = {
    ...(d.reason.trim() ? { reason: d.reason.trim() } : {}),
    ...(CODED_ACTIONS.includes(action) && d.reasonCode !== '' ? { reason_code: d.reasonCode } : {}),
  };
  const lines = Object.entries(d.quantities)
    .filter(([, q]) => q > 0)
    .map(([line_id, quantity]) => ({ line_id, quantity }));
  const minorAmount = typeof d.amount === 'number' ? toMinor(d.amount, order.currency) : 0;
  const expires = d.expiresOn ? { expires_at: new Date(`${d.expiresOn}T23:59:59`).toISOString() } : {};
  switch (action) {
    case 'refund': {
      const destination = capabilities.refund_to_store_credit ? { destination: d.destination } : {};
      if (d.scope === 'lines') {
        if (lines.length === 0) return { missing: 'Choose the items to refund.' };
        return { params: { scope: 'lines', lines, ...(d.includeShipping ? { include_shipping: true } : {}), ...destination, ...reason } };
      }
      if (d.scope === 'amount') {
        if (minorAmount < 1) return { missing: 'Enter the amount to refund.' };
        return { params: { scope: 'amount', amount: minorAmount, currency: order.currency, ...destination, ...reason } };
      }
      return { params: { scope: d.scope, ...destination, ...reason } };
    }
    case 'cancel':
      return { params: { refund_payment: d.refundPayment, restock: d.restock, ...reason } };
    case 'create_return':
    case 'reship':
      if (lines.length === 0) return { missing: action === 'reship' ? 'Choose the items to send again.' : 'Choose the items coming back.' };
      return { params: { lines, ...reason } };
    case 'exchange': {
      if (lines.length === 0) return { missing: 'Choose the items to exchange.' };
      const withSkus = lines.map((l) => ({ ...l, replacement_sku: (d.skus[l.line_id] ?? '').trim() }));
      if (withSkus.some((l) => !l.replacement_sku)) return { missing: 'Enter the SKU to send instead of each chosen item.' };
      return { params: { lines: withSkus, ...reason } };
    }
    case 'discount_code': {
      const code = d.code.trim() ? { code: d.code.trim().toUpperCase() } : {};
      if (d.discountType === 'percentage') {
        if (typeof d.percentage !== 'number' || d.percentage < 1) return { missing: 'Enter the percentage off.' };
        return { params: { discount_type: 'percentage', percentage: d.percentage, ...code, ...expires, ...reason } };
      }
      if (d.discountType === 'fixed_amount') {
        if (minorAmount < 1) return { missing: 'Enter the amount off.' };
        return { params: { discount_type: 'fixed_amount', amount: minorAmount, currency: order.currency, ...code, ...expires, ...reason } };
      }
      return { params: { discount_type: 'free_shipping', ...code, ...expires, ...reason } };
    }
    case 'store_credit':
      if (minorAmount < 1) return { missing: 'Enter the amount of store credit.' };
      return { params: { amount: minorAmount, currency: order.currency, ...expires, ...reason } };
    case 'add_note':
      if (!d.note.trim()) return { missing: 'Write the note.' };
      return { params: { note: d.note.trim() } };
  }
}

/** How many units of each line the action can cover. */
function lineLimits(action: OrderActionKind, order: Order, refundable: Refundable | undefined): Record<string, number> {
  const limits: Record<string, number> = {};
  for (const line of order.lines) {
    if (action === 'refund') {
      limits[line.id] = refundable
        ? (refundable.lines.find((l) => l.line_id === line.id)?.quantity ?? 0)
        : line.quantity - line.quantity_refunded;
    } else if (action === 'create_return' || action === 'exchange') {
      limits[line.id] = Math.max(0, line.quantity - line.quantity_returned);
    } else {
      limits[line.id] = line.quantity;
    }
  }
  return limits;
}

const SCOPE_LABELS: Record<RefundScope, string> = { shipping: 'Shipping', lines: 'Items', amount: 'Amount', order: 'Everything left' };

/** Choose units of the order's lines; for exchanges also the SKU to send instead. */
function LinePicker({
  action,
  order,
  limits,
  refundable,
  draft,
  onChange,
}: {
  action: OrderActionKind;
  order: Order;
  limits: Record<string, number>;
  refundable: Refundable | undefined;
  draft: Draft;
  onChange: (patch: Partial<Draft>) => void;
}) {
  const setQuantity = (lineId: string, quantity: number) => onChange({ quantities: { ...draft.quantities, [lineId]: quantity } });
  return (
    <Paper withBorder radius="sm" data-testid="line-picker">
      {order.lines.map((line, i) => {
        const max = limits[line.id] ?? 0;
        const chosen = draft.quantities[line.id] ?? 0;
        const refundLine = refundable?.lines.find((l) => l.line_id === line.id);
        const perUnit =
          refundLine && refundLine.quantity > 0 ? refundLine.amount.amount / refundLine.quantity : line.total.amount / line.quantity;
        return (
          <Box
            key={line.id}
            px="sm"
            py={8}
            style={{ borderTop: i > 0 ? '1px solid var(--mantine-color-default-border)' : undefined, opacity: max === 0 ? 0.55 : 1 }}
            data-testid="line-choice"
          >
            <Group wrap="nowrap" gap="sm" align="center">
              <Checkbox
                checked={chosen > 0}
                disabled={max === 0}
                onChange={(e) => setQuantity(line.id, e.currentTarget.checked ? max : 0)}
                aria-label={`Choose ${line.product_title}`}
              />
              <Box style={{ flex: 1, minWidth: 0 }}>
                <Text size="sm" fw={500} truncate>
                  {line.product_title}
                </Text>
                <Text size="xs" c="dimmed" truncate>
                  {[line.variant_title, line.sku].filter(Boolean).join(' · ')}
                  {line.variant_title || line.sku ? ' · ' : ''}
                  {line.quantity} × {formatMoney(line.unit_price)}
                  {max === 0 && (action === 'refund' ? ' · fully refunded' : ' · nothing left')}
                  {max > 0 && max < line.quantity && ` · ${max} left`}
                </Text>
              </Box>
              <NumberInput
                size="xs"
                w={84}
                min={0}
                max={max}
                value={chosen}
                disabled={max === 0}
                allowDecimal={false}
                clampBehavior="strict"
                onChange={(v) => setQuantity(line.id, typeof v === 'number' ? v : 0)}
                aria-label={`Quantity of ${line.product_title}`}
                suffix={` of ${max}`}
              />
              {action === 'refund' && (
                <Text size="sm" w={76} ta="right" style={{ fontVariantNumeric: 'tabular-nums' }} c={chosen > 0 ? undefined : 'dimmed'}>
                  {formatMoney({ amount: Math.round(perUnit * (chosen || max)), currency: order.currency })}
                </Text>
              )}
            </Group>
            {action === 'exchange' && chosen > 0 && (
              <TextInput
                mt={6}
                ml={34}
                size="xs"
                placeholder="SKU to send instead, e.g. STJ-L-NAVY"
                value={draft.skus[line.id] ?? ''}
                onChange={(e) => onChange({ skus: { ...draft.skus, [line.id]: e.currentTarget.value } })}
                aria-label={`Replacement SKU for ${line.product_title}`}
                data-testid="replacement-sku"
              />
            )}
          </Box>
        );
      })}
    </Paper>
  );
}

/** A money field in the order's currency. */
function MoneyInput({
  label,
  currency,
  value,
  onChange,
  max,
  description,
}: {
  label: string;
  currency: string;
  value: number | '';
  onChange: (value: number | '') => void;
  max?: number;
  description?: ReactNode;
}) {
  return (
    <NumberInput
      label={label}
      description={description}
      leftSection={<Text size="sm">{currencySymbol(currency)}</Text>}
      leftSectionWidth={currencySymbol(currency).length > 1 ? 44 : 30}
      decimalScale={minorDigits(currency)}
      fixedDecimalScale={false}
      thousandSeparator
      min={0}
      max={max === undefined ? undefined : toMajor(max, currency)}
      value={value}
      onChange={(v) => onChange(typeof v === 'number' ? v : '')}
      w={220}
      data-autofocus
      data-testid="money-input"
    />
  );
}

/** The fields of one action. */
function ActionFields({
  action,
  order,
  capabilities,
  refundable,
  draft,
  onChange,
}: {
  action: OrderActionKind;
  order: Order;
  capabilities: StoreCapabilities;
  refundable: Refundable | undefined;
  draft: Draft;
  onChange: (patch: Partial<Draft>) => void;
}) {
  const limits = lineLimits(action, order, refundable);
  const coded = CODED_ACTIONS.includes(action);
  const reason = (placeholder: string) => (
    <>
      {coded && (
        <NativeSelect
          label="Reason"
          description="The store policy decides by this (warranty, return fees, price protection)."
          required
          value={draft.reasonCode}
          onChange={(e) => {
            const v = e.currentTarget.value;
            onChange({ reasonCode: isReasonCode(v) ? v : '' });
          }}
          data={[{ value: '', label: 'Choose the reason…', disabled: true }, ...REASON_CODES]}
          data-testid="order-action-reason-code"
        />
      )}
      <TextInput
        label={coded ? 'Note' : 'Reason'}
        description="In your words, any language; kept with the action, and the store may show it to the customer."
        placeholder={placeholder}
        value={draft.reason}
        onChange={(e) => onChange({ reason: e.currentTarget.value })}
        maxLength={500}
      />
    </>
  );
  const shippingRefundable = refundable?.shipping.amount ?? shippingLeft(order);

  switch (action) {
    case 'refund':
      return (
        <Stack gap="sm">
          {capabilities.refund_scopes.length > 1 && (
            <SegmentedControl
              fullWidth
              value={draft.scope}
              onChange={(v) => {
                const scope = capabilities.refund_scopes.find((s) => s === v);
                if (scope) onChange({ scope });
              }}
              data={(['shipping', 'lines', 'amount', 'order'] as const)
                .filter((s) => capabilities.refund_scopes.includes(s))
                .map((s) => ({ value: s, label: SCOPE_LABELS[s] }))}
              data-testid="refund-scope"
            />
          )}
          {draft.scope === 'shipping' && (
            <Text size="sm" c="dimmed">
              Refund the shipping charge ({formatMoney({ amount: shippingRefundable, currency: order.currency })} left to refund).
            </Text>
          )}
          {draft.scope === 'order' && (
            <Text size="sm" c="dimmed">
              Refund everything that is still refundable on {order.number}.
            </Text>
          )}
          {draft.scope === 'lines' && (
            <>
              <LinePicker action={action} order={order} limits={limits} refundable={refundable} draft={draft} onChange={onChange} />
              {shippingRefundable > 0 && (
                <Checkbox
                  label={`Refund the shipping too (${formatMoney({ amount: shippingRefundable, currency: order.currency })})`}
                  checked={draft.includeShipping}
                  onChange={(e) => onChange({ includeShipping: e.currentTarget.checked })}
                />
              )}
            </>
          )}
          {draft.scope === 'amount' && (
            <MoneyInput
              label="Amount to refund"
              currency={order.currency}
              value={draft.amount}
              onChange={(amount) => onChange({ amount })}
              max={refundable?.total.amount}
              description={refundable ? `At most ${formatMoney(refundable.total)}` : undefined}
            />
          )}
          {capabilities.refund_to_store_credit && (
            <div>
              <Text size="sm" fw={500} mb={4}>
                Refund to
              </Text>
              <SegmentedControl
                value={draft.destination}
                onChange={(v) => onChange({ destination: v === 'store_credit' ? 'store_credit' : 'original_payment' })}
                data={[
                  { value: 'original_payment', label: order.payments[0]?.method_detail ?? 'Original payment' },
                  { value: 'store_credit', label: 'Store credit' },
                ]}
              />
            </div>
          )}
          {reason('e.g. Parcel arrived a week late')}
        </Stack>
      );
    case 'cancel':
      return (
        <Stack gap="sm">
          <Checkbox
            label={`Refund what was paid (${formatMoney(order.paid)})`}
            checked={draft.refundPayment}
            onChange={(e) => onChange({ refundPayment: e.currentTarget.checked })}
          />
          <Checkbox
            label="Put the items back in stock"
            checked={draft.restock}
            onChange={(e) => onChange({ restock: e.currentTarget.checked })}
          />
          {reason('e.g. Customer ordered the wrong size')}
        </Stack>
      );
    case 'create_return':
    case 'reship':
    case 'exchange':
      return (
        <Stack gap="sm">
          <Text size="sm" c="dimmed">
            {action === 'create_return' && 'Choose the items the customer sends back. The store opens a return (RMA) for them.'}
            {action === 'reship' && 'Choose the items to send again at no charge, e.g. when a parcel is lost or arrived damaged.'}
            {action === 'exchange' && 'Choose the items coming back and the SKU to send instead; the replacement ships at no charge.'}
          </Text>
          <LinePicker action={action} order={order} limits={limits} refundable={refundable} draft={draft} onChange={onChange} />
          {reason(action === 'reship' ? 'e.g. Parcel lost in transit' : 'e.g. Too small')}
        </Stack>
      );
    case 'discount_code':
      return (
        <Stack gap="sm">
          <SegmentedControl
            fullWidth
            value={draft.discountType}
            onChange={(v) =>
              onChange({ discountType: v === 'fixed_amount' ? 'fixed_amount' : v === 'free_shipping' ? 'free_shipping' : 'percentage' })
            }
            data={[
              { value: 'percentage', label: 'Percentage' },
              { value: 'fixed_amount', label: 'Fixed amount' },
              { value: 'free_shipping', label: 'Free shipping' },
            ]}
          />
          {draft.discountType === 'percentage' && (
            <NumberInput
              label="Percentage off"
              suffix="%"
              min={1}
              max={100}
              allowDecimal={false}
              value={draft.percentage}
              onChange={(v) => onChange({ percentage: typeof v === 'number' ? v : '' })}
              w={160}
              data-autofocus
            />
          )}
          {draft.discountType === 'fixed_amount' && (
            <MoneyInput label="Amount off" currency={order.currency} value={draft.amount} onChange={(amount) => onChange({ amount })} />
          )}
          <Group grow align="flex-start">
            <TextInput
              label="Code"
              description="Leave empty to have one made up"
              placeholder="SORRY10"
              value={draft.code}
              onChange={(e) => onChange({ code: e.currentTarget.value.toUpperCase() })}
              maxLength={32}
            />
            <TextInput
              type="date"
              label="Valid until"
              description="Leave empty for no end date"
              value={draft.expiresOn}
              onChange={(e) => onChange({ expiresOn: e.currentTarget.value })}
            />
          </Group>
          {reason('e.g. Sorry for the delay')}
        </Stack>
      );
    case 'store_credit':
      return (
        <Stack gap="sm">
          <MoneyInput label="Store credit" currency={order.currency} value={draft.amount} onChange={(amount) => onChange({ amount })} />
          <TextInput
            type="date"
            label="Valid until"
            description="Leave empty for no end date"
            value={draft.expiresOn}
            onChange={(e) => onChange({ expiresOn: e.currentTarget.value })}
            w={220}
          />
          {reason('e.g. Goodwill for the late delivery')}
        </Stack>
      );
    case 'add_note':
      return (
        <Textarea
          label="Note on the order"
          description="Visible to the store’s staff, not to the customer."
          autosize
          minRows={3}
          maxLength={5000}
          value={draft.note}
          onChange={(e) => onChange({ note: e.currentTarget.value })}
          data-autofocus
        />
      );
  }
}

/** What the store would do, or why it would not. */
function PreviewPanel({
  preview,
  loading,
  error,
  missing,
  storeName,
}: {
  preview: OrderActionPreview | undefined;
  loading: boolean;
  error: unknown;
  missing: string | null;
  storeName: string;
}) {
  if (missing) {
    return (
      <Paper radius="sm" p="sm" bg="var(--sd-page-bg)" data-testid="order-action-preview" data-state="incomplete">
        <Group gap="xs" wrap="nowrap">
          <IconInfoCircle size={16} color="var(--mantine-color-dimmed)" />
          <Text size="sm" c="dimmed">
            {missing}
          </Text>
        </Group>
      </Paper>
    );
  }
  if (error && !preview) {
    return (
      <Alert
        color="red"
        variant="light"
        icon={<IconAlertTriangle size={16} />}
        title="Cannot show what would happen"
        data-testid="order-action-preview"
        data-state="error"
      >
        {errorMessage(error)}
      </Alert>
    );
  }
  if (!preview) {
    return (
      <Paper radius="sm" p="sm" bg="var(--sd-page-bg)" data-testid="order-action-preview" data-state="loading">
        <Group gap="xs" mb={8}>
          <Loader size={14} />
          <Text size="sm" c="dimmed">
            Asking {storeName} what would happen…
          </Text>
        </Group>
        <Skeleton h={10} w="70%" mb={6} />
        <Skeleton h={8} w="55%" />
      </Paper>
    );
  }
  if (!preview.ok || !preview.plan) {
    const refusal = preview.refusal;
    return (
      <Alert
        color="orange"
        variant="light"
        icon={<IconHandStop size={18} />}
        title={refusal?.code === 'policy' ? 'Not allowed by the store policy' : `${preview.store.name} would refuse this`}
        data-testid="order-action-preview"
        data-state="refused"
        style={{ opacity: loading ? 0.6 : 1 }}
      >
        <Text size="sm">{refusal?.message ?? 'The store would not do this.'}</Text>
        {refusal?.limit && (
          <Text size="sm" mt={4} fw={600}>
            The most possible is {formatMoney(refusal.limit)}.
          </Text>
        )}
      </Alert>
    );
  }
  const plan = preview.plan;
  return (
    <Paper
      withBorder
      radius="sm"
      p="sm"
      style={{ borderColor: 'var(--mantine-color-indigo-3)', background: 'var(--sd-outbound-bg)', opacity: loading ? 0.6 : 1 }}
      data-testid="order-action-preview"
      data-state="ok"
    >
      <Group justify="space-between" wrap="nowrap" mb={6} align="flex-start">
        <Text size="sm" fw={650} data-testid="order-action-summary">
          {plan.summary}
        </Text>
        {loading && <Loader size={14} />}
      </Group>
      {plan.action === 'discount_code' && plan.value?.share && (
        // A percentage code's worth on this order, as the server valued it for limits and approvals.
        <Text size="sm" mb={6} data-testid="order-action-value">
          {plan.value.share.percent}% off — about <b>{formatMoney(plan.value.amount)}</b> on this order’s {formatMoney(plan.value.share.of)} of goods
        </Text>
      )}
      <List size="sm" spacing={2} icon={<IconCheck size={14} color="var(--mantine-color-indigo-6)" style={{ marginTop: 3 }} />}>
        {plan.effects.map((effect, i) => (
          <List.Item key={i}>{effect}</List.Item>
        ))}
      </List>
      {plan.price_difference && plan.price_difference.amount !== 0 && (
        <Text size="xs" c="dimmed" mt={6}>
          Price difference of the replacement: {formatMoney(plan.price_difference)} (not charged or refunded).
        </Text>
      )}
      {preview.policy?.outcome === 'needs_approval' && (
        <Alert color="yellow" variant="light" mt={8} icon={<IconInfoCircle size={16} />} title="Above your authority" data-testid="order-action-needs-approval">
          <Text size="sm">{preview.policy.message}</Text>
          <Text size="xs" c="dimmed" mt={4}>
            Confirming sends it to a manager for approval; the store is asked only once it is approved, and the customer is told a manager is reviewing it.
          </Text>
        </Alert>
      )}
      {preview.policy?.notes && preview.policy.notes.length > 0 && (
        <Stack gap={2} mt={8} data-testid="order-action-policy-notes">
          <Text size="xs" fw={600} c="dimmed">
            Store policy and budget
          </Text>
          {preview.policy.notes.map((note, i) => (
            <Text key={i} size="xs">
              {note}
            </Text>
          ))}
        </Stack>
      )}
    </Paper>
  );
}

/** The store's answer after confirming. */
function ResultPanel({ record }: { record: OrderActionRecord }) {
  const store = record.store.name ?? 'The store';
  if (record.status === 'awaiting_approval') {
    return (
      <Stack align="center" gap={6} py="md" data-testid="order-action-result" data-status="awaiting_approval">
        <ThemeIcon size={44} radius="xl" color="yellow" variant="light">
          <IconInfoCircle size={26} />
        </ThemeIcon>
        <Text fw={650} ta="center">
          Sent to a manager for approval
        </Text>
        {record.approval?.reasons.map((r, i) => (
          <Text key={i} size="sm" ta="center" maw={440}>
            {r.message}
          </Text>
        ))}
        <Text size="xs" c="dimmed" ta="center" maw={440}>
          {store} has not been asked yet. The customer was told a manager is reviewing it; you will see the decision on the ticket’s timeline.
        </Text>
      </Stack>
    );
  }
  if (record.status === 'succeeded') {
    return (
      <Stack align="center" gap={6} py="md" data-testid="order-action-result" data-status="succeeded">
        <ThemeIcon size={44} radius="xl" color="teal" variant="light">
          <IconCircleCheck size={26} />
        </ThemeIcon>
        <Text fw={650} ta="center">
          {record.replayed ? 'This was already done' : 'Done'}
        </Text>
        <Text size="sm" ta="center" maw={440}>
          {record.outcome?.summary ?? record.summary}
        </Text>
        {record.store_reference && (
          <Text size="xs" c="dimmed">
            {store} reference:{' '}
            <Text span ff="monospace" size="xs">
              {record.store_reference}
            </Text>
          </Text>
        )}
        <Text size="xs" c="dimmed">
          Recorded on the ticket’s timeline.
        </Text>
      </Stack>
    );
  }
  const refusal = record.outcome?.refusal;
  return (
    <Alert
      color="orange"
      variant="light"
      icon={<IconHandStop size={18} />}
      title={`${store} refused`}
      data-testid="order-action-result"
      data-status={record.status}
    >
      <Text size="sm">{refusal?.message ?? record.summary ?? record.error ?? 'The store did not do it.'}</Text>
      {refusal?.limit && (
        <Text size="sm" mt={4} fw={600}>
          The most possible is {formatMoney(refusal.limit)}.
        </Text>
      )}
      <Text size="xs" c="dimmed" mt={6}>
        Nothing was changed. The refusal is on the ticket’s timeline.
      </Text>
    </Alert>
  );
}

/** The dialog's body; mounted afresh each time the dialog opens, with a new idempotency key. */
function OrderActionDialog({
  action,
  order,
  capabilities,
  preset,
  target,
  onClose,
}: {
  action: OrderActionKind;
  order: Order;
  capabilities: StoreCapabilities;
  preset: OrderActionPreset | undefined;
  target: OrderActionTarget;
  onClose: () => void;
}) {
  const [idempotencyKey, setIdempotencyKey] = useState(newIdempotencyKey);
  const [draft, setDraft] = useState(() => presetDraft(initialDraft(action, order, capabilities), preset, order));
  const [deviation, setDeviation] = useState('');
  const deviating = preset !== undefined && !preset.playbook.standardActions.includes(action);
  const [result, setResult] = useState<OrderActionRecord | null>(null);
  const [attempted, setAttempted] = useState<string | null>(null);
  const detail = useOrder(order.store_id, order.number, action === 'refund');
  const params = buildParams(action, draft, order, capabilities);
  const built: ReturnType<typeof buildParams> =
    'params' in params && deviating && !deviation.trim() ? { missing: `Say why you do not follow the playbook “${preset?.playbook.name ?? ''}”.` } : params;
  const underPlaybook = preset ? { playbook_id: preset.playbook.id, ...(deviating ? { deviation_reason: deviation.trim() } : {}) } : {};
  const request: Omit<OrderActionRequest, 'dry_run' | 'idempotency_key'> | null =
    'params' in built ? { order_number: order.number, action, store_id: order.store_id, params: built.params, ...underPlaybook } : null;
  const requestJson = request ? JSON.stringify(request) : '';
  const [settledJson] = useDebouncedValue(requestJson, 300);
  const settled = settledJson === requestJson;
  const preview = useOrderActionPreview(target.ticketId, settled ? request : null);
  const run = useRunOrderAction(target.ticketId);
  const refundable = preview.data?.refundable ?? detail.data?.refundable;
  const previewCurrent = settled && request !== null && !preview.isPlaceholderData && !preview.isFetching && preview.isSuccess;
  const canConfirm = previewCurrent && preview.data?.ok === true && !run.isPending && result === null;
  const meta = ACTION_META[action];
  const amount = preview.data?.plan?.amount;
  const needsApproval = preview.data?.policy?.outcome === 'needs_approval';

  const change = (patch: Partial<Draft>) => {
    setDraft((d) => ({ ...d, ...patch }));
  };

  const confirm = () => {
    if (!canConfirm || !request) return;
    // A request the server answered (and refused or could not do) may be changed and sent as a
    // new action; an unanswered one (network) keeps its key so a retry cannot act twice.
    let key = idempotencyKey;
    if (attempted && attempted !== requestJson && isApiError(run.error) && run.error.status >= 400) {
      key = newIdempotencyKey();
      setIdempotencyKey(key);
    }
    setAttempted(requestJson);
    run.mutate(
      { ...request, idempotency_key: key },
      {
        onSuccess: (record) => {
          setResult(record);
          if (record.status === 'succeeded')
            notifySuccess(record.outcome?.summary ?? record.summary ?? 'Done', `${order.number} · ${meta.label}`);
          if (record.status === 'awaiting_approval') notifySuccess('Sent to a manager for approval', `${order.number} · ${meta.label}`);
        },
      },
    );
  };

  const tryAgain = () => {
    setResult(null);
    setAttempted(null);
    setIdempotencyKey(newIdempotencyKey());
    run.reset();
  };

  if (result) {
    return (
      <Stack gap="md">
        <ResultPanel record={result} />
        <Group justify="flex-end">
          {result.status !== 'succeeded' && result.status !== 'awaiting_approval' && (
            <Button variant="default" onClick={tryAgain}>
              Change and try again
            </Button>
          )}
          <Button onClick={onClose} data-autofocus data-testid="order-action-close">
            Close
          </Button>
        </Group>
      </Stack>
    );
  }

  const unreachable = isApiError(run.error) && (run.error.status === 503 || run.error.status === 0);
  return (
    <Stack gap="md" onKeyDown={getHotkeyHandler([['mod+Enter', confirm]])}>
      {preset && (
        <Alert color={deviating ? 'yellow' : 'indigo'} variant="light" icon={<IconInfoCircle size={16} />} title={`Playbook: ${preset.playbook.name}`} data-testid="order-action-playbook">
          {deviating ? (
            <Textarea
              label="This is not the playbook’s standard remedy. Why?"
              description="Required; managers see it in the consistency report."
              autosize
              minRows={2}
              value={deviation}
              onChange={(e) => setDeviation(e.currentTarget.value)}
              data-testid="order-action-deviation"
            />
          ) : (
            <Text size="sm">The standard remedy, pre-filled. Change what you need.</Text>
          )}
        </Alert>
      )}
      <ActionFields action={action} order={order} capabilities={capabilities} refundable={refundable} draft={draft} onChange={change} />
      <PreviewPanel
        preview={request ? preview.data : undefined}
        loading={!previewCurrent && request !== null}
        error={preview.error}
        missing={'missing' in built ? built.missing : null}
        storeName={preview.data?.store.name ?? 'the store'}
      />
      {action === 'refund' && refundable && (
        <Text size="xs" c="dimmed" data-testid="refundable-max">
          Refundable on {order.number}: up to <b>{formatMoney(refundable.total)}</b> ({formatMoney(refundable.paid)} paid,{' '}
          {formatMoney(refundable.refunded)} refunded so far).
        </Text>
      )}
      {run.error && (
        <Alert
          color="red"
          variant="light"
          icon={unreachable ? <IconPlugConnectedX size={16} /> : <IconAlertTriangle size={16} />}
          title={unreachable ? 'The store could not be reached' : 'That did not work'}
          data-testid="order-action-error"
        >
          {errorMessage(run.error)} {unreachable && 'Trying again is safe: it can never act twice.'}
        </Alert>
      )}
      <Group justify="space-between" wrap="nowrap">
        <Text size="xs" c="dimmed">
          {MOD_KEY}+Enter to confirm
        </Text>
        <Group gap="xs" wrap="nowrap">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button
            color={action === 'cancel' ? 'red' : undefined}
            disabled={!canConfirm}
            loading={run.isPending}
            onClick={confirm}
            data-testid="order-action-confirm"
          >
            {run.error ? 'Try again' : needsApproval ? 'Ask a manager to approve' : meta.confirm}
            {amount && amount.amount > 0 && action !== 'cancel' && action !== 'discount_code' ? ` ${formatMoney(amount)}` : ''}
          </Button>
        </Group>
      </Group>
    </Stack>
  );
}

/** The action dialog for an order. */
export function OrderActionModal({
  opened,
  action,
  order,
  capabilities,
  preset,
  target,
  onClose,
}: {
  opened: boolean;
  action: OrderActionKind;
  order: Order;
  capabilities: StoreCapabilities;
  preset?: OrderActionPreset | undefined;
  target: OrderActionTarget;
  onClose: () => void;
}) {
  const meta = ACTION_META[action];
  const Icon = meta.icon;
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      size="lg"
      title={
        <Group gap="xs">
          <Icon size={18} />
          <Text fw={650}>
            {meta.label} · {order.number}
          </Text>
        </Group>
      }
      data-testid="order-action-modal"
    >
      <OrderActionDialog action={action} order={order} capabilities={capabilities} preset={preset} target={target} onClose={onClose} />
    </Modal>
  );
}
