/**
 * Reports → Consistency: whether the same problem gets the same answer. Per problem kind the
 * share of standard remedies and the deviations with their reasons; what was given away by agent,
 * remedy type and reason; how long approvals take. Filtered by date range and store.
 */
import { Anchor, Badge, Group, Paper, RingProgress, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { IconChartBar } from '@tabler/icons-react';
import { useState } from 'react';
import { Link } from 'react-router';
import { StorePicker } from '../features/authority/components/store-picker';
import { formatMoney } from '../features/orders/money';
import { problemLabel } from '../features/playbooks/api/playbooks.api';
import { fetchConsistencyReport, type ConsistencyReport, type ReportRemedy } from '../features/reports/api/reports.api';
import { BarList } from '../features/reports/components/bar-list';
import { formatDateTime } from '../ui/format';
import { PageHeader } from '../ui/page-header';
import { EmptyState, ErrorState, ListSkeleton, StaleDataNotice } from '../ui/states';

const DAY = 24 * 3600_000;
const isoDay = (d: Date) => d.toISOString().slice(0, 10);

function duration(seconds: number | null): string {
  if (seconds === null) return '—';
  if (seconds < 90) return `${seconds} s`;
  if (seconds < 90 * 60) return `${Math.round(seconds / 60)} min`;
  if (seconds < 48 * 3600) return `${(seconds / 3600).toFixed(1)} h`;
  return `${(seconds / 86400).toFixed(1)} days`;
}

const REMEDY: Record<string, string> = { refund: 'Refunds', discount: 'Discounts', store_credit: 'Store credit', replacement: 'Replacements' };

/** Why a remedy was given: its problem (and whether it was the standard remedy), else the agent's reason. */
function why(r: ReportRemedy): string {
  if (r.problem_kind) return `${problemLabel(r.problem_kind)}${r.standard_remedy === false ? ' · not the standard remedy' : ''}`;
  return r.reason ?? '—';
}

/** The remedies behind the numbers: each ticket, what it got, from whom, and who approved it. */
function Remedies({ rows }: { rows: ReportRemedy[] }) {
  if (rows.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        No refunds, discounts, store credit or replacements were given in this period.
      </Text>
    );
  }
  return (
    <Table verticalSpacing="xs" data-testid="report-remedies">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Ticket</Table.Th>
          <Table.Th>Given</Table.Th>
          <Table.Th>Why</Table.Th>
          <Table.Th>By</Table.Th>
          <Table.Th>When</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rows.map((r, i) => (
          <Table.Tr key={`${r.at}-${i}`} data-testid="report-remedy">
            <Table.Td>
              {r.ticket_number !== null ? (
                <Anchor component={Link} to={`/tickets/${r.ticket_number}`} size="sm">
                  #{r.ticket_number}
                </Anchor>
              ) : (
                <Text size="sm" c="dimmed">
                  —
                </Text>
              )}
              <Text size="xs" c="dimmed">
                {r.order_number}
              </Text>
            </Table.Td>
            <Table.Td>
              <Text size="sm" fw={500} style={{ fontVariantNumeric: 'tabular-nums' }}>
                {r.amount ? formatMoney(r.amount) : '—'}
              </Text>
              <Text size="xs" c="dimmed">
                {REMEDY[r.remedy] ?? r.remedy}
              </Text>
            </Table.Td>
            <Table.Td>
              <Text size="sm">{why(r)}</Text>
            </Table.Td>
            <Table.Td>
              <Text size="sm">{r.agent_name ?? 'Unknown'}</Text>
              {r.approved_by && (
                <Text size="xs" c="dimmed">
                  approved by {r.approved_by}
                </Text>
              )}
            </Table.Td>
            <Table.Td>
              <Text size="xs" c="dimmed">
                {formatDateTime(r.at)}
              </Text>
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

function Report({ r }: { r: ConsistencyReport }) {
  const spend = (x: { spent: { amount: number; currency: string }; count: number }) => `${formatMoney(x.spent)} · ${x.count} action${x.count === 1 ? '' : 's'}`;
  return (
    <Stack gap="lg">
      <Paper withBorder radius="md" p="md">
        <Title order={5} mb="sm">
          Same problem, same answer?
        </Title>
        {r.problems.length === 0 ? (
          <Text size="sm" c="dimmed">
            No actions were taken under a playbook in this period.
          </Text>
        ) : (
          <Table verticalSpacing="sm" data-testid="report-problems">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Problem</Table.Th>
                <Table.Th>Standard remedy</Table.Th>
                <Table.Th>Deviations and why</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {r.problems.map((p) => (
                <Table.Tr key={p.problem_kind}>
                  <Table.Td>
                    <Text size="sm" fw={500}>
                      {problemLabel(p.problem_kind)}
                    </Text>
                    <Text size="xs" c="dimmed">
                      {p.playbook_name ?? ''} · {p.total} action{p.total === 1 ? '' : 's'}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Group gap="xs" wrap="nowrap">
                      <RingProgress size={54} thickness={6} sections={[{ value: p.standard_rate * 100, color: p.standard_rate >= 0.8 ? 'teal' : 'orange' }]} label={<Text size="xs" ta="center">{Math.round(p.standard_rate * 100)}%</Text>} />
                      <Text size="sm">
                        {p.standard} of {p.total}
                      </Text>
                    </Group>
                  </Table.Td>
                  <Table.Td>
                    {p.reasons.length === 0 ? (
                      <Text size="sm" c="dimmed">
                        None
                      </Text>
                    ) : (
                      <Stack gap={2}>
                        {p.reasons.map((x, i) => (
                          <Text key={i} size="sm">
                            <Badge size="xs" variant="light" mr={6}>
                              {x.count}×
                            </Badge>
                            {x.action.replace(/_/g, ' ')}: {x.reason || 'no reason given'}
                          </Text>
                        ))}
                      </Stack>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Paper>
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Paper withBorder radius="md" p="md">
          <Title order={5} mb="sm">
            Spend by agent
          </Title>
          <BarList testId="report-by-agent" rows={r.spend_by_agent.map((a) => ({ key: `${a.agent_id}-${a.spent.currency}`, label: a.name ?? 'Unknown', value: a.spent.amount, display: spend(a) }))} />
        </Paper>
        <Paper withBorder radius="md" p="md">
          <Title order={5} mb="sm">
            Spend by remedy type
          </Title>
          <BarList color="teal" testId="report-by-remedy" rows={r.spend_by_remedy.map((a) => ({ key: `${a.remedy}-${a.spent.currency}`, label: REMEDY[a.remedy] ?? a.remedy, value: a.spent.amount, display: spend(a) }))} />
        </Paper>
        <Paper withBorder radius="md" p="md">
          <Title order={5} mb="sm">
            Spend by reason
          </Title>
          <BarList color="grape" testId="report-by-reason" rows={r.spend_by_reason.map((a) => ({ key: `${a.reason}-${a.spent.currency}`, label: a.reason ? problemLabel(a.reason) : 'No reason given', value: a.spent.amount, display: spend(a) }))} />
        </Paper>
        <Paper withBorder radius="md" p="md" data-testid="report-approvals">
          <Title order={5} mb="sm">
            Approvals
          </Title>
          <SimpleGrid cols={3}>
            <Stack gap={0}>
              <Text size="xl" fw={700}>
                {r.approvals.total}
              </Text>
              <Text size="xs" c="dimmed">
                requested ({r.approvals.approved} approved, {r.approvals.refused} refused, {r.approvals.pending} waiting)
              </Text>
            </Stack>
            <Stack gap={0}>
              <Text size="xl" fw={700}>
                {duration(r.approvals.median_seconds)}
              </Text>
              <Text size="xs" c="dimmed">
                median time to decide
              </Text>
            </Stack>
            <Stack gap={0}>
              <Text size="xl" fw={700}>
                {duration(r.approvals.p90_seconds)}
              </Text>
              <Text size="xs" c="dimmed">
                9 in 10 decided within
              </Text>
            </Stack>
          </SimpleGrid>
        </Paper>
      </SimpleGrid>
      <Paper withBorder radius="md" p="md">
        <Title order={5} mb="sm">
          Remedies given
        </Title>
        <Remedies rows={r.remedies} />
      </Paper>
    </Stack>
  );
}

export default function ConsistencyReportRoute() {
  const [storeId, setStoreId] = useState<string | null>(null);
  const [from, setFrom] = useState(() => isoDay(new Date(Date.now() - 30 * DAY)));
  const [to, setTo] = useState(() => isoDay(new Date()));
  const range = { from: `${from}T00:00:00Z`, to: new Date(new Date(`${to}T00:00:00Z`).getTime() + DAY).toISOString() };
  const valid = /^\d{4}-\d{2}-\d{2}$/.test(from) && /^\d{4}-\d{2}-\d{2}$/.test(to) && from <= to;
  const report = useQuery({
    queryKey: ['reports', 'consistency', range.from, range.to, storeId],
    queryFn: ({ signal }) => fetchConsistencyReport({ ...range, storeId }, signal),
    enabled: valid,
  });
  let body;
  if (!valid) body = <EmptyState icon={<IconChartBar size={26} stroke={1.5} />} title="Choose a date range" description="From must be on or before To." />;
  else if (report.isPending) body = <ListSkeleton rows={6} />;
  else if (report.isLoadingError) body = <ErrorState error={report.error} title="Could not load the report" onRetry={() => void report.refetch()} />;
  else body = <Report r={report.data} />;
  return (
    <Stack p="lg" gap="lg" maw={1100} data-testid="consistency-report">
      <PageHeader
        title="Consistency"
        description="How often each problem got its playbook’s standard remedy, the deviations and why, what was given away, and how long approvals took."
        actions={
          <>
            <TextInput type="date" size="sm" aria-label="From" value={from} onChange={(e) => setFrom(e.currentTarget.value)} />
            <TextInput type="date" size="sm" aria-label="To" value={to} onChange={(e) => setTo(e.currentTarget.value)} />
            <StorePicker value={storeId} onChange={setStoreId} allowAll />
          </>
        }
      />
      {valid && <StaleDataNotice query={report} what="the report" />}
      {body}
    </Stack>
  );
}
