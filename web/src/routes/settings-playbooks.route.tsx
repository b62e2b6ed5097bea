/**
 * Settings → Playbooks: per kind of problem, the standard remedy and when it applies. Agents see
 * the fitting playbook on a ticket with its remedy pre-filled; managers edit them here.
 */
import { ActionIcon, Badge, Button, Checkbox, Group, Modal, NumberInput, Paper, Select, Stack, TagsInput, Text, TextInput, Textarea } from '@mantine/core';
import { IconBook2, IconPlus, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import { StorePicker } from '../features/authority/components/store-picker';
import { useStoresState } from '../features/authority/components/store-states';
import { currencySymbol, formatMoney, toMajor, toMinor } from '../features/orders/money';
import { useStores } from '../features/stores/hooks/use-stores';
import { problemLabel, type Playbook, type PlaybookInput, type PlaybookRemedy } from '../features/playbooks/api/playbooks.api';
import { useDeletePlaybook, useSavePlaybook, useStorePlaybooks } from '../features/playbooks/hooks/use-playbooks';
import { notifyError, notifySuccess } from '../ui/notify';
import { PageHeader } from '../ui/page-header';
import { EmptyState, ErrorState, ListSkeleton, StaleDataNotice } from '../ui/states';

const ACTIONS: { value: PlaybookRemedy['action']; label: string }[] = [
  { value: 'refund', label: 'Refund' },
  { value: 'reship', label: 'Reship' },
  { value: 'exchange', label: 'Exchange' },
  { value: 'create_return', label: 'Return' },
  { value: 'discount_code', label: 'Discount code' },
  { value: 'store_credit', label: 'Store credit' },
  { value: 'cancel', label: 'Cancel' },
];

function conditionText(p: Playbook, currency: string): string {
  const c = p.conditions;
  const parts: string[] = [];
  if (c.min_days_late !== undefined) parts.push(`more than ${c.min_days_late} days late`);
  if (c.delivered !== undefined) parts.push(c.delivered ? 'delivered' : 'not delivered');
  if (c.max_order_value !== undefined) parts.push(`order value at most ${formatMoney({ amount: c.max_order_value, currency })}`);
  if (c.within_days_of_delivery !== undefined) parts.push(`within ${c.within_days_of_delivery} days of delivery`);
  if (c.within_days_of_purchase !== undefined) parts.push(`within ${c.within_days_of_purchase} days of purchase`);
  return parts.length ? parts.join(', ') : 'always';
}

const blank: PlaybookInput = {
  problem_kind: '', name: '', description: '', keywords: [], conditions: {}, remedies: [{ action: 'refund', label: 'Refund', scope: 'order' }],
  return_required: false, is_active: true, position: 0,
};

function PlaybookEditor({ storeId, currency, playbook, onClose }: { storeId: string; currency: string; playbook: Playbook | null; onClose: () => void }) {
  const [draft, setDraft] = useState<PlaybookInput>(() => (playbook ? { ...playbook } : blank));
  const save = useSavePlaybook(storeId);
  const set = (patch: Partial<PlaybookInput>) => setDraft((d) => ({ ...d, ...patch }));
  const setCond = (key: keyof PlaybookInput['conditions'], value: number | boolean | undefined) => set({ conditions: { ...draft.conditions, [key]: value } });
  const num = (v: string | number) => (typeof v === 'number' ? v : undefined);
  const setRemedy = (i: number, patch: Partial<PlaybookRemedy>) => set({ remedies: draft.remedies.map((r, j) => (j === i ? { ...r, ...patch } : r)) });
  const submit = () => {
    const conditions = Object.fromEntries(Object.entries(draft.conditions).filter(([, v]) => v !== undefined));
    const remedies = draft.remedies.map((r) => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined && v !== '')) as unknown as PlaybookRemedy);
    save.mutate(
      { id: playbook?.id ?? null, body: { problem_kind: draft.problem_kind, name: draft.name, description: draft.description, keywords: draft.keywords, conditions, remedies, return_required: draft.return_required, is_active: draft.is_active, position: draft.position } },
      { onSuccess: () => { notifySuccess('Playbook saved'); onClose(); }, onError: (e) => notifyError(e, 'Could not save the playbook') },
    );
  };
  return (
    <Stack gap="sm">
      <Group grow>
        <TextInput label="Problem kind" description="e.g. late_delivery" value={draft.problem_kind} onChange={(e) => set({ problem_kind: e.currentTarget.value })} required />
        <TextInput label="Name" value={draft.name} onChange={(e) => set({ name: e.currentTarget.value })} required />
      </Group>
      <Textarea label="What to do" autosize minRows={2} value={draft.description} onChange={(e) => set({ description: e.currentTarget.value })} />
      <TagsInput label="Keywords" description="Words in a ticket’s tags or subject that point at this problem" value={draft.keywords} onChange={(keywords) => set({ keywords })} />
      <Text size="sm" fw={600}>
        Applies when
      </Text>
      <Group grow>
        <NumberInput label="More than N days late" min={0} value={draft.conditions.min_days_late ?? ''} onChange={(v) => setCond('min_days_late', num(v))} />
        <Select label="Delivered" data={[{ value: 'any', label: 'Either' }, { value: 'yes', label: 'Delivered' }, { value: 'no', label: 'Not delivered' }]} value={draft.conditions.delivered === undefined ? 'any' : draft.conditions.delivered ? 'yes' : 'no'} onChange={(v) => setCond('delivered', v === 'yes' ? true : v === 'no' ? false : undefined)} allowDeselect={false} />
      </Group>
      <Group grow>
        <NumberInput
          label="Order value at most"
          min={0}
          decimalScale={2}
          prefix={currencySymbol(currency)}
          value={draft.conditions.max_order_value !== undefined ? toMajor(draft.conditions.max_order_value, currency) : ''}
          onChange={(v) => setCond('max_order_value', typeof v === 'number' ? toMinor(v, currency) : undefined)}
        />
        <NumberInput label="Within days of delivery" min={0} value={draft.conditions.within_days_of_delivery ?? ''} onChange={(v) => setCond('within_days_of_delivery', num(v))} />
        <NumberInput label="Within days of purchase" min={0} value={draft.conditions.within_days_of_purchase ?? ''} onChange={(v) => setCond('within_days_of_purchase', num(v))} />
      </Group>
      <Text size="sm" fw={600}>
        Standard remedies
      </Text>
      {draft.remedies.map((r, i) => (
        <Group key={i} gap="xs" align="flex-end" wrap="nowrap">
          <Select w={150} label={i === 0 ? 'Action' : undefined} data={ACTIONS} value={r.action} onChange={(v) => setRemedy(i, { action: (ACTIONS.find((a) => a.value === v) ?? ACTIONS[0]!).value })} allowDeselect={false} />
          <TextInput style={{ flex: 1 }} label={i === 0 ? 'Label' : undefined} value={r.label} onChange={(e) => setRemedy(i, { label: e.currentTarget.value })} />
          {r.action === 'refund' && (
            <Select w={120} label={i === 0 ? 'Scope' : undefined} data={['order', 'lines', 'shipping', 'amount']} value={r.scope ?? 'order'} onChange={(v) => setRemedy(i, { scope: v === 'lines' || v === 'shipping' || v === 'amount' ? v : 'order' })} allowDeselect={false} />
          )}
          {r.action === 'discount_code' && <NumberInput w={90} label={i === 0 ? '% off' : undefined} min={1} max={100} value={r.percentage ?? ''} onChange={(v) => setRemedy(i, { percentage: num(v) })} />}
          <ActionIcon variant="subtle" color="red" disabled={draft.remedies.length < 2} onClick={() => set({ remedies: draft.remedies.filter((_, j) => j !== i) })} aria-label="Remove remedy">
            <IconTrash size={14} />
          </ActionIcon>
        </Group>
      ))}
      <Group justify="space-between">
        <Button size="xs" variant="subtle" leftSection={<IconPlus size={14} />} onClick={() => set({ remedies: [...draft.remedies, { action: 'reship', label: 'Reship' }] })}>
          Add a remedy
        </Button>
        <Group gap="md">
          <Checkbox label="Return needed" checked={draft.return_required} onChange={(e) => set({ return_required: e.currentTarget.checked })} />
          <Checkbox label="Active" checked={draft.is_active} onChange={(e) => set({ is_active: e.currentTarget.checked })} />
        </Group>
      </Group>
      <Group justify="flex-end">
        <Button variant="default" onClick={onClose}>
          Cancel
        </Button>
        <Button loading={save.isPending} disabled={!draft.problem_kind.trim() || !draft.name.trim()} onClick={submit} data-testid="playbook-save">
          Save playbook
        </Button>
      </Group>
    </Stack>
  );
}

export default function PlaybooksRoute() {
  const [storeId, setStoreId] = useState<string | null>(null);
  const playbooks = useStorePlaybooks(storeId);
  const remove = useDeletePlaybook();
  const [editing, setEditing] = useState<{ playbook: Playbook | null } | null>(null);
  const stores = useStores();
  const currency = stores.data?.find((x) => x.id === storeId)?.currency ?? 'EUR';
  const storesState = useStoresState('Playbooks');
  let body;
  if (storesState) body = storesState;
  else if (!storeId || playbooks.isPending) body = <ListSkeleton rows={6} />;
  else if (playbooks.isLoadingError) body = <ErrorState error={playbooks.error} title="Could not load playbooks" onRetry={() => void playbooks.refetch()} />;
  else if (playbooks.data.length === 0) body = <EmptyState icon={<IconBook2 size={26} stroke={1.5} />} title="No playbooks" description="Add one for each kind of problem you see often." />;
  else
    body = (
      <Stack gap="sm" data-testid="playbook-list">
        {playbooks.data.map((p) => (
          <Paper key={p.id} withBorder radius="md" p="md" style={{ opacity: p.is_active ? 1 : 0.6 }}>
            <Group justify="space-between" align="flex-start" wrap="nowrap">
              <Stack gap={2}>
                <Group gap="xs">
                  <Text fw={600}>{p.name}</Text>
                  <Badge variant="light" size="sm">
                    {problemLabel(p.problem_kind)}
                  </Badge>
                  {!p.is_active && <Badge color="gray" size="sm">off</Badge>}
                </Group>
                <Text size="sm">{p.description}</Text>
                <Text size="xs" c="dimmed">
                  When: {conditionText(p, currency)} · Remedy: {p.remedies.map((r) => `“${r.label}”`).join(' or ')} · {p.return_required ? 'return needed' : 'no return needed'}
                </Text>
              </Stack>
              <Group gap={4} wrap="nowrap">
                <Button size="xs" variant="default" onClick={() => setEditing({ playbook: p })}>
                  Edit
                </Button>
                <ActionIcon variant="subtle" color="red" aria-label={`Delete ${p.name}`} onClick={() => remove.mutate(p.id, { onSuccess: () => notifySuccess('Playbook deleted'), onError: (e) => notifyError(e, 'Could not delete') })}>
                  <IconTrash size={15} />
                </ActionIcon>
              </Group>
            </Group>
          </Paper>
        ))}
      </Stack>
    );
  return (
    <Stack p="lg" gap="lg" maw={980} data-testid="playbooks-page">
      <PageHeader
        title="Playbooks"
        description="The standard remedy for each kind of problem. Agents see the fitting one on a ticket, pre-filled; doing something else needs a reason."
        actions={
          <>
            <StorePicker value={storeId} onChange={setStoreId} />
            <Button leftSection={<IconPlus size={16} />} disabled={!storeId} onClick={() => setEditing({ playbook: null })}>
              New playbook
            </Button>
          </>
        }
      />
      <StaleDataNotice query={playbooks} what="the playbooks" />
      {body}
      <Modal opened={editing !== null} onClose={() => setEditing(null)} size="xl" title={editing?.playbook ? `Edit · ${editing.playbook.name}` : 'New playbook'}>
        {editing && storeId && <PlaybookEditor storeId={storeId} currency={currency} playbook={editing.playbook} onClose={() => setEditing(null)} />}
      </Modal>
    </Stack>
  );
}
