/**
 * The playbook for this ticket's problem and this order, under the order's actions: the problem
 * (read from the ticket, or chosen), whether the order meets the playbook's conditions and why,
 * and its standard remedies as buttons that open the action dialog pre-filled — only those that
 * can still be given on this order; the others say why (given already, by whom and when).
 */
import { Badge, Button, Group, List, Paper, Select, Stack, Text, Tooltip } from '@mantine/core';
import { IconBan, IconBook2, IconCheck, IconCircleCheck, IconHourglass, IconX } from '@tabler/icons-react';
import { useState } from 'react';
import type { Order, OrderActionKind, StoreCapabilities } from '../../../api/types';
import { useLaunchOrderAction, useOrderActionTarget } from '../../orders/components/order-actions';
import { ErrorState, StaleDataNotice } from '../../../ui/states';
import { problemLabel } from '../api/playbooks.api';
import { usePlaybookSuggestions, useStorePlaybooks } from '../hooks/use-playbooks';

export function PlaybookPanel({ order, capabilities }: { order: Order; capabilities: StoreCapabilities }) {
  const target = useOrderActionTarget();
  const launch = useLaunchOrderAction();
  const [problem, setProblem] = useState<string | null>(null);
  const suggestions = usePlaybookSuggestions(target?.ticketId ?? '', order.number, problem, Boolean(target));
  const playbooks = useStorePlaybooks(order.store_id);
  if (!target || !launch) return null;
  // Only without suggestions to show; a failed refresh keeps them (and their buttons) and says so.
  if (suggestions.isLoadingError) return <ErrorState compact error={suggestions.error} title="Could not suggest a playbook" onRetry={() => void suggestions.refetch()} />;
  const kinds = [...new Set((playbooks.data ?? []).filter((p) => p.is_active).map((p) => p.problem_kind))];
  const best = suggestions.data?.suggestions[0];
  const source = suggestions.data?.problems[0]?.source;
  // Only remedies that can still be given are offered; the others say why (given already, by whom).
  const supported = (best?.remedies ?? []).filter((r) => capabilities.actions.includes(r.prefill.action));
  const offered = supported.filter((r) => !r.standing || r.standing.state === 'available' || r.standing.state === 'partial');
  const settled = supported.filter((r) => !offered.includes(r));
  const allGiven = supported.length > 0 && supported.every((r) => r.standing?.state === 'given');
  return (
    <Paper withBorder radius="sm" p="xs" mt="sm" data-testid="playbook-panel">
      <Group justify="space-between" wrap="nowrap" gap="xs">
        <Group gap={6} wrap="nowrap">
          <IconBook2 size={15} color="var(--mantine-color-indigo-6)" />
          <Text size="sm" fw={600}>
            Playbook
          </Text>
        </Group>
        <Select
          size="xs"
          w={190}
          placeholder={best ? problemLabel(best.playbook.problem_kind) : 'What is the problem?'}
          data={kinds.map((k) => ({ value: k, label: problemLabel(k) }))}
          value={problem}
          onChange={setProblem}
          clearable
          aria-label="Problem"
          data-testid="playbook-problem"
        />
      </Group>
      <StaleDataNotice query={suggestions} what="the playbook" compact mt={6} />
      {suggestions.isPending ? (
        <Text size="xs" c="dimmed" mt={6}>
          Looking for the playbook…
        </Text>
      ) : !best ? (
        <Text size="xs" c="dimmed" mt={6}>
          No playbook matches this ticket yet; choose the problem to see its standard remedy.
        </Text>
      ) : (
        <Stack gap={4} mt={6}>
          {!problem && source && (
            <Text size="xs" c="dimmed">
              Problem read from {source === 'order' ? 'the order (it is late)' : source === 'chosen' ? 'your choice' : `the ticket’s ${source}`}; choose another above if it is wrong.
            </Text>
          )}
          <Group gap={6}>
            <Text size="sm">{best.playbook.name}</Text>
            <Badge size="xs" variant="light" color={best.fits ? 'teal' : 'gray'}>
              {best.fits ? 'fits this order' : 'conditions not met'}
            </Badge>
            {best.playbook.return_required ? (
              <Badge size="xs" variant="outline" color="gray">
                return needed
              </Badge>
            ) : (
              <Badge size="xs" variant="outline" color="gray">
                no return needed
              </Badge>
            )}
          </Group>
          <List size="xs" spacing={0}>
            {best.met.map((m, i) => (
              <List.Item key={`m${i}`} icon={<IconCheck size={12} color="var(--mantine-color-teal-6)" />}>
                {m}
              </List.Item>
            ))}
            {best.unmet.map((m, i) => (
              <List.Item key={`u${i}`} icon={<IconX size={12} color="var(--mantine-color-red-6)" />}>
                {m}
              </List.Item>
            ))}
          </List>
          {settled.length > 0 && (
            <List size="xs" spacing={0} data-testid="playbook-remedies-settled">
              {settled.map((r, i) => (
                <List.Item
                  key={i}
                  icon={
                    r.standing?.state === 'given' ? (
                      <IconCircleCheck size={12} color="var(--mantine-color-teal-6)" />
                    ) : r.standing?.state === 'awaiting_approval' ? (
                      <IconHourglass size={12} color="var(--mantine-color-yellow-7)" />
                    ) : (
                      <IconBan size={12} color="var(--mantine-color-gray-6)" />
                    )
                  }
                >
                  <Text span size="xs" fw={500}>
                    {r.label}:
                  </Text>{' '}
                  {r.standing?.note ?? 'not possible on this order.'}
                </List.Item>
              ))}
            </List>
          )}
          {allGiven ? (
            <Text size="xs" c="dimmed">
              The standard remedy was given already; anything more is a deviation and needs a reason.
            </Text>
          ) : offered.length === 0 && supported.length > 0 ? (
            <Text size="xs" c="dimmed">
              None of this playbook’s remedies can be given on this order now.
            </Text>
          ) : null}
          {offered.length > 0 && (
            <Group gap={6} mt={2}>
              {offered.map((r, i) => (
                <Tooltip key={i} label={r.standing?.note} disabled={!r.standing?.note} multiline w={260} withArrow>
                  <Button
                    size="compact-xs"
                    variant={i === 0 && best.fits ? 'light' : 'default'}
                    onClick={() =>
                      launch(order, capabilities, r.prefill.action, {
                        params: r.prefill.params,
                        playbook: { id: best.playbook.id, name: best.playbook.name, standardActions: best.playbook.remedies.map((x) => x.action as OrderActionKind) },
                      })
                    }
                    data-testid="playbook-remedy"
                  >
                    {r.standing?.state === 'partial' ? `${r.label} (what is left)` : r.label}
                  </Button>
                </Tooltip>
              ))}
            </Group>
          )}
        </Stack>
      )}
    </Paper>
  );
}
