/**
 * Settings → Authority & budget: how much agents may give away without asking (per role, with
 * overrides per agent) and the store's monthly goodwill budget per remedy type, with this
 * month's spend as a bar. Managers edit the agent role and agents; admins the manager role too.
 */
import { Alert, Badge, Button, Group, NumberInput, Paper, Progress, Select, Stack, Table, Text, Title, Tooltip } from '@mantine/core';
import { useState } from 'react';
import type { Agent, Money } from '../api/types';
import { useAgents } from '../features/agents/hooks/use-agents';
import { REMEDY_LABELS, REMEDY_TYPES, type AuthoritySettings, type Limits, type RemedyType } from '../features/authority/api/authority.api';
import { StorePicker } from '../features/authority/components/store-picker';
import { useStoresState } from '../features/authority/components/store-states';
import { useAuthority, useSaveBudgets, useSaveLimits } from '../features/authority/hooks/use-authority';
import { hasRole } from '../features/auth/components/require-role';
import { useMe } from '../features/auth/hooks/use-session';
import { currencySymbol, formatMoney, toMajor, toMinor } from '../features/orders/money';
import { notifyError, notifySuccess } from '../ui/notify';
import { PageHeader } from '../ui/page-header';
import { ErrorState, ListSkeleton, StaleDataNotice } from '../ui/states';

const PERIODS: { key: keyof Limits; label: string }[] = [
  { key: 'per_action', label: 'Per action' },
  { key: 'per_ticket', label: 'Per ticket' },
  { key: 'per_day', label: 'Per day' },
  { key: 'per_month', label: 'Per month' },
];

type LimitsDraft = Record<RemedyType, Record<keyof Limits, number | ''>>;

function draftOf(rows: { remedy: RemedyType; limits: Limits }[], currency: string): LimitsDraft {
  const out = {} as LimitsDraft;
  for (const remedy of REMEDY_TYPES) {
    const l = rows.find((r) => r.remedy === remedy)?.limits;
    out[remedy] = {
      per_action: l?.per_action != null ? toMajor(l.per_action, currency) : '',
      per_ticket: l?.per_ticket != null ? toMajor(l.per_ticket, currency) : '',
      per_day: l?.per_day != null ? toMajor(l.per_day, currency) : '',
      per_month: l?.per_month != null ? toMajor(l.per_month, currency) : '',
    };
  }
  return out;
}

function limitsOf(draft: LimitsDraft, currency: string): Record<RemedyType, Limits | null> {
  const out = {} as Record<RemedyType, Limits | null>;
  for (const remedy of REMEDY_TYPES) {
    const d = draft[remedy];
    const v = (x: number | '') => (x === '' ? null : toMinor(x, currency));
    const limits = { per_action: v(d.per_action), per_ticket: v(d.per_ticket), per_day: v(d.per_day), per_month: v(d.per_month) };
    out[remedy] = Object.values(limits).every((x) => x === null) ? null : limits;
  }
  return out;
}

/** A grid of limits: remedy types down, periods across; empty is no limit. */
function LimitsEditor({
  title,
  description,
  rows,
  currency,
  canEdit,
  onSave,
  saving,
  testId,
}: {
  title: string;
  description: string;
  rows: { remedy: RemedyType; limits: Limits }[];
  currency: string;
  canEdit: boolean;
  onSave: (limits: Record<RemedyType, Limits | null>) => void;
  saving: boolean;
  testId: string;
}) {
  const initial = JSON.stringify(rows);
  const [draft, setDraft] = useState(() => ({ source: initial, value: draftOf(rows, currency) }));
  const current = draft.source === initial ? draft.value : draftOf(rows, currency);
  const set = (remedy: RemedyType, key: keyof Limits, value: number | '') =>
    setDraft({ source: initial, value: { ...current, [remedy]: { ...current[remedy], [key]: value } } });
  const dirty = JSON.stringify(current) !== JSON.stringify(draftOf(rows, currency));
  return (
    <Paper withBorder radius="md" p="md" data-testid={testId}>
      <Group justify="space-between" mb="xs">
        <Stack gap={0}>
          <Text fw={600}>{title}</Text>
          <Text size="xs" c="dimmed">
            {description}
          </Text>
        </Stack>
        {canEdit && (
          <Tooltip label="Nothing changed yet" disabled={dirty}>
            <Button size="xs" loading={saving} disabled={!dirty} onClick={() => onSave(limitsOf(current, currency))} data-testid={`${testId}-save`}>
              Save
            </Button>
          </Tooltip>
        )}
      </Group>
      <Table verticalSpacing={4} withRowBorders={false}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th />
            {PERIODS.map((p) => (
              <Table.Th key={p.key}>
                <Text size="xs" c="dimmed">
                  {p.label}
                </Text>
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {REMEDY_TYPES.map((remedy) => (
            <Table.Tr key={remedy}>
              <Table.Td>
                <Text size="sm">{REMEDY_LABELS[remedy]}</Text>
              </Table.Td>
              {PERIODS.map((p) => (
                <Table.Td key={p.key}>
                  <NumberInput
                    size="xs"
                    w={110}
                    min={0}
                    decimalScale={2}
                    placeholder="No limit"
                    prefix={currencySymbol(currency)}
                    value={current[remedy][p.key]}
                    disabled={!canEdit}
                    onChange={(v) => set(remedy, p.key, typeof v === 'number' ? v : '')}
                    aria-label={`${REMEDY_LABELS[remedy]} ${p.label.toLowerCase()}`}
                  />
                </Table.Td>
              ))}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Paper>
  );
}

/** One budget: spend this month as a bar against the budget, and its editor. */
function BudgetRow({
  budget,
  currency,
  canEdit,
  saving,
  onSave,
}: {
  budget: AuthoritySettings['budgets'][number];
  currency: string;
  canEdit: boolean;
  saving: boolean;
  onSave: (monthly: number | null, warn: number) => void;
}) {
  const savedMonthly = budget.monthly ? toMajor(budget.monthly.amount, currency) : '';
  const [monthly, setMonthly] = useState<number | ''>(savedMonthly);
  const [warn, setWarn] = useState<number | ''>(budget.warn_at_percent);
  const dirty = monthly !== savedMonthly || (warn !== '' && warn !== budget.warn_at_percent);
  const pct = budget.monthly && budget.monthly.amount > 0 ? Math.min(100, (budget.spent.amount * 100) / budget.monthly.amount) : 0;
  const color = !budget.monthly ? 'gray' : pct >= 100 ? 'red' : pct >= budget.warn_at_percent ? 'orange' : 'teal';
  const spent: Money = budget.spent;
  return (
    <Stack gap={4} data-testid={`budget-${budget.remedy}`}>
      <Group justify="space-between" wrap="nowrap">
        <Text size="sm" fw={500}>
          {REMEDY_LABELS[budget.remedy]}
        </Text>
        <Text size="sm" c="dimmed">
          {formatMoney(spent)} {budget.monthly ? `of ${formatMoney(budget.monthly)} (${Math.round(pct)}%)` : 'spent · no budget'}
        </Text>
      </Group>
      <Progress value={budget.monthly ? pct : 0} color={color} size="lg" radius="sm" aria-label={`${REMEDY_LABELS[budget.remedy]} budget used`} />
      {canEdit && (
        <Group gap="xs" mt={4}>
          <NumberInput
            size="xs"
            w={140}
            min={0}
            decimalScale={2}
            placeholder="No budget"
            label="Monthly budget"
            prefix={currencySymbol(currency)}
            value={monthly}
            onChange={(v) => setMonthly(typeof v === 'number' ? v : '')}
            data-testid={`budget-${budget.remedy}-monthly`}
          />
          <NumberInput size="xs" w={110} min={1} max={100} suffix="%" label="Warn at" value={warn} onChange={(v) => setWarn(typeof v === 'number' ? v : '')} />
          <Button
            size="xs"
            variant="light"
            mt={20}
            disabled={!dirty}
            loading={saving}
            onClick={() => onSave(monthly === '' ? null : toMinor(monthly, currency), typeof warn === 'number' ? warn : budget.warn_at_percent)}
            data-testid={`budget-${budget.remedy}-save`}
          >
            Save
          </Button>
        </Group>
      )}
    </Stack>
  );
}

function AuthorityBody({ settings }: { settings: AuthoritySettings }) {
  const me = useMe();
  const agents = useAgents();
  const storeId = settings.store.id;
  const currency = settings.store.currency;
  const saveLimits = useSaveLimits(storeId);
  const saveBudgets = useSaveBudgets(storeId);
  const [agentId, setAgentId] = useState<string | null>(null);
  const isAdmin = hasRole(me, 'admin');
  const save = (body: { role?: string; agent_id?: string }, limits: Record<RemedyType, Limits | null>, what: string) =>
    saveLimits.mutate({ ...body, limits }, { onSuccess: () => notifySuccess(`${what} saved`), onError: (e) => notifyError(e, `Could not save ${what.toLowerCase()}`) });
  const byRole = (role: string) => settings.roles.filter((r) => r.role === role);
  const overridden = [...new Set(settings.agents.map((a) => a.agent_id))];
  const chosen: Agent | undefined = agents.data?.find((a) => a.id === agentId);
  const canEditAgent = (a: Agent | undefined) => Boolean(a && a.id !== me.id && (a.role === 'agent' || isAdmin));

  return (
    <Stack gap="lg">
      <Stack gap="sm">
        <Title order={5}>Authority limits</Title>
        <Text size="sm" c="dimmed">
          Within these limits an action runs at once; above them it is sent to a manager for approval and the customer is told. Empty means no
          limit. Per ticket counts everything given on the ticket; per day and month count the agent’s own actions ({settings.store.timezone}).
        </Text>
        <LimitsEditor
          key={`agent-${storeId}`}
          title="Agents"
          description="The default for everyone with the agent role."
          rows={byRole('agent')}
          currency={currency}
          canEdit
          saving={saveLimits.isPending}
          onSave={(l) => save({ role: 'agent' }, l, 'Agent limits')}
          testId="limits-agent"
        />
        <LimitsEditor
          key={`manager-${storeId}`}
          title="Managers"
          description={isAdmin ? 'The default for managers.' : 'Only admins change managers’ limits.'}
          rows={byRole('manager')}
          currency={currency}
          canEdit={isAdmin}
          saving={saveLimits.isPending}
          onSave={(l) => save({ role: 'manager' }, l, 'Manager limits')}
          testId="limits-manager"
        />
        <Paper withBorder radius="md" p="md">
          <Text fw={600}>Overrides per agent</Text>
          <Text size="xs" c="dimmed" mb="xs">
            An agent’s own limits replace their role’s for the remedy types set here.
          </Text>
          {overridden.length > 0 && (
            <Group gap={6} mb="xs">
              {overridden.map((id) => {
                const name = settings.agents.find((a) => a.agent_id === id)?.name ?? id;
                return (
                  <Badge key={id} variant={id === agentId ? 'filled' : 'light'} style={{ cursor: 'pointer' }} onClick={() => setAgentId(id)}>
                    {name}
                  </Badge>
                );
              })}
            </Group>
          )}
          <Select
            size="sm"
            w={280}
            placeholder="Choose an agent"
            searchable
            data={(agents.data ?? []).filter((a) => a.is_active).map((a) => ({ value: a.id, label: `${a.name} (${a.role})` }))}
            value={agentId}
            onChange={setAgentId}
            data-testid="override-agent"
          />
          {chosen && (
            <Stack mt="sm" gap={6}>
              {!canEditAgent(chosen) && (
                <Alert color="gray" variant="light">
                  {chosen.id === me.id ? 'Nobody changes their own authority; ask an admin.' : 'Only admins change a manager’s or admin’s authority.'}
                </Alert>
              )}
              <LimitsEditor
                key={`override-${storeId}-${chosen.id}`}
                title={chosen.name}
                description={`Overrides for ${chosen.name}; clear every field of a type to fall back to the ${chosen.role} role.`}
                rows={settings.agents.filter((a) => a.agent_id === chosen.id)}
                currency={currency}
                canEdit={canEditAgent(chosen)}
                saving={saveLimits.isPending}
                onSave={(l) => save({ agent_id: chosen.id }, l, `${chosen.name}’s limits`)}
                testId="limits-override"
              />
            </Stack>
          )}
        </Paper>
      </Stack>

      <Stack gap="sm">
        <Title order={5}>Goodwill budget{settings.budgets[0]?.month ? ` · ${settings.budgets[0].month}` : ''}</Title>
        <Text size="sm" c="dimmed">
          Spend is counted live from actions actually taken. Before a request passes the warning threshold the agent sees a warning; a request
          that would exceed the budget goes to a manager.
        </Text>
        <Paper withBorder radius="md" p="md">
          <Stack gap="md">
            {settings.budgets.map((b) => (
              <BudgetRow
                key={`${storeId}-${b.remedy}-${b.monthly?.amount ?? 'none'}-${b.warn_at_percent}`}
                budget={b}
                currency={currency}
                canEdit
                saving={saveBudgets.isPending && saveBudgets.variables?.[b.remedy] !== undefined}
                onSave={(monthly, warn) =>
                  saveBudgets.mutate(
                    { [b.remedy]: { monthly, warn_at_percent: warn } },
                    { onSuccess: () => notifySuccess(`${REMEDY_LABELS[b.remedy]} budget saved`), onError: (e) => notifyError(e, 'Could not save the budget') },
                  )
                }
              />
            ))}
          </Stack>
        </Paper>
      </Stack>
    </Stack>
  );
}

export default function AuthorityRoute() {
  const [storeId, setStoreId] = useState<string | null>(null);
  const settings = useAuthority(storeId);
  const storesState = useStoresState('Authority limits and budgets');
  let body;
  if (storesState) body = storesState;
  else if (!storeId || settings.isPending) body = <ListSkeleton rows={6} />;
  else if (settings.isLoadingError) body = <ErrorState error={settings.error} title="Could not load authority settings" onRetry={() => void settings.refetch()} />;
  else body = <AuthorityBody settings={settings.data} />;
  return (
    <Stack p="lg" gap="lg" maw={980} data-testid="authority-page">
      <PageHeader
        title="Authority & budget"
        description="What agents may give away without asking, and how much goodwill the store gives per month."
        actions={<StorePicker value={storeId} onChange={setStoreId} />}
      />
      <StaleDataNotice query={settings} what="the authority settings" />
      {body}
    </Stack>
  );
}
