/**
 * The playbook for this ticket's problem and this order, under the order's actions: the problem
 * (read from the ticket, or chosen), whether the order meets the playbook's conditions and why,
 * and its standard remedies as buttons that open the action dialog pre-filled.
 */
import { Badge, Button, Group, List, Paper, Select, Stack, Text } from '@mantine/core';
import { IconBook2, IconCheck, IconX } from '@tabler/icons-react';
import { useState } from 'react';
import type { Order, OrderActionKind, StoreCapabilities } from '../../../api/types';
import { useLaunchOrderAction, useOrderActionTarget } from '../../orders/components/order-actions';
import { ErrorState } from '../../../ui/states';
import { problemLabel } from '../api/playbooks.api';
import { usePlaybookSuggestions, useStorePlaybooks } from '../hooks/use-playbooks';

export function PlaybookPanel({ order, capabilities }: { order: Order; capabilities: StoreCapabilities }) {
  const target = useOrderActionTarget();
  const launch = useLaunchOrderAction();
  const [problem, setProblem] = useState<string | null>(null);
  const suggestions = usePlaybookSuggestions(target?.ticketId ?? '', order.number, problem, Boolean(target));
  const playbooks = useStorePlaybooks(order.store_id);
  if (!target || !launch) return null;
  if (suggestions.isError) return <ErrorState compact error={suggestions.error} title="Could not suggest a playbook" onRetry={() => void suggestions.refetch()} />;
  const kinds = [...new Set((playbooks.data ?? []).filter((p) => p.is_active).map((p) => p.problem_kind))];
  const best = suggestions.data?.suggestions[0];
  const source = suggestions.data?.problems[0]?.source;
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
          placeholder={source && best ? `${problemLabel(best.playbook.problem_kind)} (from ${source === 'order' ? 'the order' : `the ${source}`})` : 'What is the problem?'}
          data={kinds.map((k) => ({ value: k, label: problemLabel(k) }))}
          value={problem}
          onChange={setProblem}
          clearable
          aria-label="Problem"
          data-testid="playbook-problem"
        />
      </Group>
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
          <Group gap={6} mt={2}>
            {best.remedies
              .filter((r) => capabilities.actions.includes(r.prefill.action))
              .map((r, i) => (
                <Button
                  key={i}
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
                  {r.label}
                </Button>
              ))}
          </Group>
        </Stack>
      )}
    </Paper>
  );
}
