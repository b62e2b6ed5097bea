/**
 * The structured editor of a store's policy: which stages allow which action, return and
 * exchange windows, seasonal extensions, product exceptions, fees, refund destination,
 * warranty, price protection and returns without a receipt. Field errors from the API (keyed
 * `document.returns.window_days`) appear on their field.
 */
import {
  ActionIcon, Button, Checkbox, Divider, Group, MultiSelect, NumberInput, Paper, SegmentedControl, Select, Stack, Switch, Table, TagsInput, Text, TextInput, Title, Tooltip,
} from '@mantine/core';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import type { OrderStage, PolicyDocument, PolicyException, ReturnReason, StagedAction, WindowFrom } from '../api/policies.api';

const STAGES: { value: OrderStage; label: string }[] = [
  { value: 'placed', label: 'Placed' },
  { value: 'paid', label: 'Paid' },
  { value: 'shipped', label: 'Shipped' },
  { value: 'delivered', label: 'Delivered' },
];
const ACTIONS: { value: StagedAction; label: string }[] = [
  { value: 'cancel', label: 'Cancel' },
  { value: 'create_return', label: 'Return' },
  { value: 'exchange', label: 'Exchange' },
  { value: 'refund', label: 'Refund' },
  { value: 'reship', label: 'Reship' },
  { value: 'discount_code', label: 'Discount code' },
  { value: 'store_credit', label: 'Store credit' },
];
const REASONS: { value: ReturnReason; label: string }[] = [
  { value: 'defective', label: 'Defective' },
  { value: 'damaged', label: 'Damaged in transit' },
  { value: 'wrong_item', label: 'Wrong item sent' },
  { value: 'not_as_described', label: 'Not as described' },
  { value: 'changed_mind', label: 'Changed mind' },
];
const FROM: { value: WindowFrom; label: string }[] = [
  { value: 'delivery', label: 'from delivery' },
  { value: 'purchase', label: 'from purchase' },
];
const isReason = (v: string): v is ReturnReason => REASONS.some((r) => r.value === v);
const isFrom = (v: string): v is WindowFrom => v === 'delivery' || v === 'purchase';

/** Minor units shown as a decimal amount (two decimals). */
const toMajor = (minor: number) => minor / 100;
const toMinor = (major: number | string) => Math.round(Number(major || 0) * 100);
const int = (v: number | string) => Math.max(0, Math.round(Number(v || 0)));

function Section({ title, description, children }: { title: string; description?: string; children: ReactNode }) {
  return (
    <Paper withBorder radius="md" p="md">
      <Title order={4} mb={2}>
        {title}
      </Title>
      {description && (
        <Text size="sm" c="dimmed" mb="sm">
          {description}
        </Text>
      )}
      <Stack gap="sm">{children}</Stack>
    </Paper>
  );
}

/** Edits a policy document; `onChange` receives a new document on every edit. */
export function PolicyEditor({
  document: doc,
  onChange,
  errors,
  currency,
}: {
  document: PolicyDocument;
  onChange: (next: PolicyDocument) => void;
  /** Field errors by path under the document (`returns.window_days`). */
  errors: Record<string, string>;
  currency: string;
}) {
  const update = (fn: (d: PolicyDocument) => void) => {
    const next = structuredClone(doc);
    fn(next);
    onChange(next);
  };
  const err = (path: string) => errors[path];
  const r = doc.returns;

  return (
    <Stack gap="md" data-testid="policy-editor">
      <Section title="When each action is possible" description="Tick the order stages in which agents (and later customers) may take each action.">
        <Table withRowBorders={false} verticalSpacing={4}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Action</Table.Th>
              {STAGES.map((s) => (
                <Table.Th key={s.value}>{s.label}</Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {ACTIONS.map((a) => (
              <Table.Tr key={a.value}>
                <Table.Td>
                  <Text size="sm">{a.label}</Text>
                </Table.Td>
                {STAGES.map((s) => (
                  <Table.Td key={s.value}>
                    <Checkbox
                      aria-label={`${a.label} when ${s.label.toLowerCase()}`}
                      checked={doc.stages[a.value].includes(s.value)}
                      onChange={(e) =>
                        update((d) => {
                          const set = new Set(d.stages[a.value]);
                          if (e.currentTarget.checked) set.add(s.value);
                          else set.delete(s.value);
                          d.stages[a.value] = STAGES.map((x) => x.value).filter((x) => set.has(x));
                        })
                      }
                    />
                  </Table.Td>
                ))}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Section>

      <Section title="Returns">
        <Switch label="Accept returns" checked={r.enabled} onChange={(e) => update((d) => void (d.returns.enabled = e.currentTarget.checked))} />
        <Group align="flex-end">
          <NumberInput label="Return window (days)" min={0} max={3650} w={180} value={r.window_days} error={err('returns.window_days')} data-testid="policy-return-window" onChange={(v) => update((d) => void (d.returns.window_days = int(v)))} />
          <SegmentedControl data={FROM} value={r.from} onChange={(v) => isFrom(v) && update((d) => void (d.returns.from = v))} />
        </Group>
        <Divider label="Seasonal extensions" labelPosition="left" />
        {r.seasonal.length === 0 && (
          <Text size="sm" c="dimmed">
            None. Add one for e.g. holiday purchases returnable until the end of January.
          </Text>
        )}
        {r.seasonal.map((s, i) => (
          <Group key={i} align="flex-end" wrap="wrap" gap="xs" data-testid="policy-seasonal">
            <TextInput label="Name" w={170} value={s.name} error={err(`returns.seasonal[${i}].name`)} onChange={(e) => update((d) => void (d.returns.seasonal[i] = { ...s, name: e.currentTarget.value }))} />
            <TextInput label="Placed from (MM-DD)" w={130} value={s.placed_from} error={err(`returns.seasonal[${i}].placed_from`)} onChange={(e) => update((d) => void (d.returns.seasonal[i] = { ...s, placed_from: e.currentTarget.value }))} />
            <TextInput label="Placed until" w={110} value={s.placed_until} error={err(`returns.seasonal[${i}].placed_until`)} onChange={(e) => update((d) => void (d.returns.seasonal[i] = { ...s, placed_until: e.currentTarget.value }))} />
            <TextInput label="Returnable until" w={120} value={s.return_until} error={err(`returns.seasonal[${i}].return_until`)} onChange={(e) => update((d) => void (d.returns.seasonal[i] = { ...s, return_until: e.currentTarget.value }))} />
            <ActionIcon variant="subtle" color="red" mb={4} aria-label={`Remove ${s.name || 'extension'}`} onClick={() => update((d) => void d.returns.seasonal.splice(i, 1))}>
              <IconTrash size={16} />
            </ActionIcon>
          </Group>
        ))}
        <Group>
          <Button variant="light" size="xs" leftSection={<IconPlus size={14} />} data-testid="policy-add-seasonal" onClick={() => update((d) => void d.returns.seasonal.push({ name: 'Holiday returns', placed_from: '11-01', placed_until: '12-24', return_until: '01-31' }))}>
            Add seasonal extension
          </Button>
        </Group>
      </Section>

      <Section title="Exceptions by product" description="Match products by SKU, SKU prefix (works for every store platform), tag or category.">
        {doc.exceptions.length === 0 && (
          <Text size="sm" c="dimmed">
            No exceptions: every product follows the rules above.
          </Text>
        )}
        {doc.exceptions.map((x, i) => (
          <ExceptionRow key={i} index={i} exception={x} errors={errors} onChange={(next) => update((d) => void (d.exceptions[i] = next))} onRemove={() => update((d) => void d.exceptions.splice(i, 1))} />
        ))}
        <Group>
          <Button
            variant="light"
            size="xs"
            leftSection={<IconPlus size={14} />}
            onClick={() => update((d) => void d.exceptions.push({ id: `exception-${d.exceptions.length + 1}`, name: 'Clearance items', match: { tags: ['final-sale'] }, effect: 'final_sale' }))}
          >
            Add exception
          </Button>
        </Group>
      </Section>

      <Section title="Fees and return shipping">
        <Group align="flex-end">
          <NumberInput label="Restocking fee (%)" min={0} max={100} w={160} value={r.restocking_fee.percent} error={err('returns.restocking_fee.percent')} onChange={(v) => update((d) => void (d.returns.restocking_fee.percent = int(v)))} />
          <MultiSelect label="No fee when the item is" data={REASONS} w={320} value={r.restocking_fee.waived_for} onChange={(v) => update((d) => void (d.returns.restocking_fee.waived_for = v.filter(isReason)))} />
        </Group>
        {r.restocking_fee.categories.map((c, i) => (
          <Group key={i} align="flex-end" gap="xs">
            <TextInput label="Category" w={200} value={c.category} error={err(`returns.restocking_fee.categories[${i}].category`)} onChange={(e) => update((d) => void (d.returns.restocking_fee.categories[i] = { ...c, category: e.currentTarget.value }))} />
            <NumberInput label="Fee (%)" min={0} max={100} w={110} value={c.percent} onChange={(v) => update((d) => void (d.returns.restocking_fee.categories[i] = { ...c, percent: int(v) }))} />
            <ActionIcon variant="subtle" color="red" mb={4} aria-label={`Remove the fee for ${c.category || 'this category'}`} onClick={() => update((d) => void d.returns.restocking_fee.categories.splice(i, 1))}>
              <IconTrash size={16} />
            </ActionIcon>
          </Group>
        ))}
        <Group>
          <Button variant="light" size="xs" leftSection={<IconPlus size={14} />} onClick={() => update((d) => void d.returns.restocking_fee.categories.push({ category: '', percent: 15 }))}>
            Add a fee for a category
          </Button>
        </Group>
        <Divider />
        <Group align="flex-end">
          <Select
            label="Return shipping is paid by"
            w={200}
            data={[{ value: 'customer', label: 'The customer' }, { value: 'store', label: 'The store' }]}
            value={r.return_shipping.paid_by}
            allowDeselect={false}
            onChange={(v) => (v === 'customer' || v === 'store') && update((d) => void (d.returns.return_shipping.paid_by = v))}
          />
          <NumberInput label={`Return shipping fee (${currency})`} min={0} decimalScale={2} w={200} value={toMajor(r.return_shipping.fee)} disabled={r.return_shipping.paid_by === 'store'} onChange={(v) => update((d) => void (d.returns.return_shipping.fee = toMinor(v)))} />
        </Group>
        <Group align="flex-end">
          <MultiSelect label="Free return shipping when the item is" data={REASONS} w={320} value={r.return_shipping.free_for} onChange={(v) => update((d) => void (d.returns.return_shipping.free_for = v.filter(isReason)))} />
          <NumberInput
            label={`Free for orders from (${currency})`}
            placeholder="No threshold"
            min={0}
            decimalScale={2}
            w={200}
            value={r.return_shipping.free_above === null ? '' : toMajor(r.return_shipping.free_above)}
            onChange={(v) => update((d) => void (d.returns.return_shipping.free_above = v === '' ? null : toMinor(v)))}
          />
        </Group>
      </Section>

      <Section title="Refunds">
        <Select
          label="Refunds go to"
          w={320}
          allowDeselect={false}
          data={[
            { value: 'customer_choice', label: 'The original payment or store credit' },
            { value: 'original_payment', label: 'The original payment only' },
            { value: 'store_credit', label: 'Store credit only' },
          ]}
          value={doc.refunds.destination}
          onChange={(v) => (v === 'customer_choice' || v === 'original_payment' || v === 'store_credit') && update((d) => void (d.refunds.destination = v))}
        />
        <Switch
          label="Delivered items are refunded only once returned (unless damaged, defective or wrong)"
          checked={doc.refunds.require_return_after_delivery}
          onChange={(e) => update((d) => void (d.refunds.require_return_after_delivery = e.currentTarget.checked))}
        />
      </Section>

      <Section title="Exchanges">
        <Switch label="Offer exchanges" checked={doc.exchanges.enabled} onChange={(e) => update((d) => void (d.exchanges.enabled = e.currentTarget.checked))} />
        <Group align="flex-end">
          <NumberInput label="Exchange window (days)" min={0} max={3650} w={180} value={doc.exchanges.window_days} error={err('exchanges.window_days')} onChange={(v) => update((d) => void (d.exchanges.window_days = int(v)))} />
          <SegmentedControl data={FROM} value={doc.exchanges.from} onChange={(v) => isFrom(v) && update((d) => void (d.exchanges.from = v))} />
        </Group>
        <Switch label="Only another size or colour of the same product" checked={doc.exchanges.same_product_only} onChange={(e) => update((d) => void (d.exchanges.same_product_only = e.currentTarget.checked))} />
        <Switch label="Only for items of equal or lower value" checked={doc.exchanges.max_value === 'equal_or_lower'} onChange={(e) => update((d) => void (d.exchanges.max_value = e.currentTarget.checked ? 'equal_or_lower' : 'any'))} />
      </Section>

      <Section title="Warranty, price protection, no receipt">
        <NumberInput label="Warranty on defective items (months from delivery)" min={0} max={240} w={320} value={doc.warranty.months} onChange={(v) => update((d) => void (d.warranty.months = int(v)))} />
        {doc.warranty.categories.map((c, i) => (
          <Group key={i} align="flex-end" gap="xs">
            <TextInput label="Category" w={200} value={c.category} error={err(`warranty.categories[${i}].category`)} onChange={(e) => update((d) => void (d.warranty.categories[i] = { ...c, category: e.currentTarget.value }))} />
            <NumberInput label="Months" min={0} max={240} w={110} value={c.months} onChange={(v) => update((d) => void (d.warranty.categories[i] = { ...c, months: int(v) }))} />
            <ActionIcon variant="subtle" color="red" mb={4} aria-label={`Remove the warranty for ${c.category || 'this category'}`} onClick={() => update((d) => void d.warranty.categories.splice(i, 1))}>
              <IconTrash size={16} />
            </ActionIcon>
          </Group>
        ))}
        <Group>
          <Button variant="light" size="xs" leftSection={<IconPlus size={14} />} onClick={() => update((d) => void d.warranty.categories.push({ category: '', months: 12 }))}>
            Add a warranty for a category
          </Button>
        </Group>
        <Divider />
        <Group align="flex-end">
          <Switch label="Price protection" checked={doc.price_protection.enabled} onChange={(e) => update((d) => void (d.price_protection.enabled = e.currentTarget.checked))} />
          <NumberInput label="Within (days of purchase)" min={0} max={3650} w={180} disabled={!doc.price_protection.enabled} value={doc.price_protection.days} onChange={(v) => update((d) => void (d.price_protection.days = int(v)))} />
        </Group>
        <Group align="flex-end">
          <Switch label="Returns without a receipt (as store credit)" checked={doc.no_receipt.enabled} onChange={(e) => update((d) => void (d.no_receipt.enabled = e.currentTarget.checked))} />
          <NumberInput label="Purchase found within (days)" min={0} max={3650} w={200} disabled={!doc.no_receipt.enabled} value={doc.no_receipt.lookback_days} onChange={(v) => update((d) => void (d.no_receipt.lookback_days = int(v)))} />
        </Group>
      </Section>
    </Stack>
  );
}

function ExceptionRow({
  index,
  exception: x,
  errors,
  onChange,
  onRemove,
}: {
  index: number;
  exception: PolicyException;
  errors: Record<string, string>;
  onChange: (next: PolicyException) => void;
  onRemove: () => void;
}) {
  const err = (field: string) => errors[`exceptions[${index}].${field}`];
  const list = (key: keyof PolicyException['match'], label: string, placeholder: string) => (
    <TagsInput
      label={label}
      placeholder={placeholder}
      style={{ flex: '1 1 200px' }}
      value={x.match[key] ?? []}
      onChange={(v) => onChange({ ...x, match: { ...x.match, [key]: v.length ? v : undefined } })}
    />
  );
  return (
    <Paper withBorder radius="sm" p="sm" data-testid="policy-exception">
      {/* The fields wrap among themselves; the remove button keeps its place at the top right. */}
      <Group align="flex-start" gap="xs" wrap="nowrap">
        <Group align="flex-end" gap="xs" wrap="wrap" style={{ flex: 1, minWidth: 0 }}>
          <TextInput
            label="Name customers understand"
            style={{ flex: '2 1 200px' }}
            value={x.name}
            error={err('name')}
            onChange={(e) => onChange({ ...x, name: e.currentTarget.value })}
          />
          <TextInput label="Id" style={{ flex: '1 1 130px' }} value={x.id} error={err('id')} onChange={(e) => onChange({ ...x, id: e.currentTarget.value })} />
          <Select
            label="Rule"
            style={{ flex: '2 1 200px' }}
            allowDeselect={false}
            data={[
              { value: 'final_sale', label: 'Final sale (no returns)' },
              { value: 'no_returns', label: 'No returns once delivered' },
              { value: 'extended_window', label: 'Longer return window' },
            ]}
            value={x.effect}
            onChange={(v) => {
              if (v === 'extended_window') onChange({ ...x, effect: v, window_days: x.window_days ?? 60 });
              else if (v === 'final_sale' || v === 'no_returns') onChange({ ...x, effect: v, window_days: undefined, from: undefined });
            }}
          />
          {x.effect === 'extended_window' && (
            <NumberInput label="Days" min={0} max={3650} w={90} value={x.window_days ?? 60} error={err('window_days')} onChange={(v) => onChange({ ...x, window_days: int(v) })} />
          )}
        </Group>
        <Tooltip label="Remove this exception">
          <ActionIcon variant="subtle" color="red" mt={25} style={{ flexShrink: 0 }} aria-label={`Remove ${x.name}`} onClick={onRemove} data-testid="policy-exception-remove">
            <IconTrash size={16} />
          </ActionIcon>
        </Tooltip>
      </Group>
      <Group align="flex-start" gap="xs" mt="xs" wrap="wrap">
        {list('tags', 'Tags', 'final-sale')}
        {list('categories', 'Categories', 'Equipment')}
        {list('sku_prefixes', 'SKU prefixes', 'CTP-')}
        {list('skus', 'SKUs', 'CTP-BLA-ONESIZE')}
      </Group>
      {err('match') && (
        <Text size="xs" c="red" mt={4}>
          {err('match')}
        </Text>
      )}
    </Paper>
  );
}
