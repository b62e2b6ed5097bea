/**
 * One approval request with everything a manager needs to decide it in one click: the ticket,
 * the customer's lifetime value and order count, what they got before, the plan and the limits
 * it passes. Approve runs it at once (never twice); refuse asks for a reason the agent sees.
 */
import { Alert, Anchor, Badge, Button, Group, List, Paper, Popover, Stack, Text, Textarea } from '@mantine/core';
import { IconCheck, IconX } from '@tabler/icons-react';
import { useState } from 'react';
import { Link } from 'react-router';
import { errorMessage } from '../../../api/client';
import { formatMoney } from '../../orders/money';
import { RelativeTime } from '../../../ui/relative-time';
import { notifyError, notifySuccess } from '../../../ui/notify';
import type { Approval } from '../api/authority.api';
import { useDecide } from '../hooks/use-authority';

const STATUS_COLOR = { pending: 'orange', approved: 'teal', refused: 'red' } as const;

export function ApprovalCard({ approval }: { approval: Approval }) {
  const decide = useDecide();
  const [reason, setReason] = useState('');
  const [refusing, setRefusing] = useState(false);
  const c = approval.customer;
  const approveNow = () =>
    decide.mutate(
      { id: approval.id, decision: 'approve' },
      {
        onSuccess: (d) =>
          d.action.status === 'succeeded'
            ? notifySuccess(d.action.summary ?? 'Approved and done', `${approval.order_number} · approved`)
            : notifyError(new Error(d.action.outcome?.refusal?.message ?? d.action.summary ?? 'The store refused it.'), 'Approved, but the store refused'),
        onError: (e) => notifyError(e, 'Could not approve'),
      },
    );
  const refuseNow = () =>
    decide.mutate(
      { id: approval.id, decision: 'refuse', reason: reason.trim() },
      { onSuccess: () => { setRefusing(false); notifySuccess('Refused; the agent sees why on the ticket', approval.order_number); }, onError: (e) => notifyError(e, 'Could not refuse') },
    );

  return (
    <Paper withBorder radius="md" p="md" data-testid="approval-card" data-status={approval.status}>
      <Group justify="space-between" align="flex-start" wrap="nowrap" gap="md">
        <Stack gap={4} style={{ flex: 1, minWidth: 0 }}>
          <Group gap="xs">
            <Text fw={650}>{approval.summary}</Text>
            <Badge color={STATUS_COLOR[approval.status]} variant="light">
              {approval.status}
            </Badge>
          </Group>
          <Text size="sm" c="dimmed">
            Asked by {approval.requested_by.name} <RelativeTime span date={approval.created_at} size="sm" /> ·{' '}
            {approval.ticket ? (
              <Anchor component={Link} to={`/tickets/${approval.ticket.number}`} size="sm">
                #{approval.ticket.number} {approval.ticket.subject}
              </Anchor>
            ) : (
              'no ticket'
            )}{' '}
            · order {approval.order_number}
            {approval.store.name ? ` · ${approval.store.name}` : ''}
          </Text>
          <List size="sm" spacing={2} mt={4}>
            {approval.reasons.map((r, i) => (
              <List.Item key={i}>{r.message}</List.Item>
            ))}
          </List>
          {c && (
            <Paper bg="var(--mantine-color-gray-light)" p="xs" radius="sm" mt={6}>
              <Text size="sm">
                <b>{c.name ?? 'The customer'}</b>: {c.order_count ?? '?'} orders, lifetime value {c.lifetime_value ? formatMoney(c.lifetime_value) : 'unknown'}
              </Text>
              {c.previous_remedies.length === 0 ? (
                <Text size="xs" c="dimmed">
                  No earlier remedies.
                </Text>
              ) : (
                <Stack gap={0} mt={2}>
                  <Text size="xs" c="dimmed">
                    Earlier remedies:
                  </Text>
                  {c.previous_remedies.slice(0, 5).map((p, i) => (
                    <Text key={i} size="xs">
                      {p.summary ?? p.action} {p.amount ? `(${formatMoney(p.amount)})` : ''} · #{p.ticket_number} · {p.by ?? ''} · <RelativeTime span date={p.at} size="xs" />
                    </Text>
                  ))}
                </Stack>
              )}
            </Paper>
          )}
          {approval.status !== 'pending' && (
            <Text size="sm" mt={4}>
              {approval.status === 'approved' ? 'Approved' : 'Refused'} by {approval.decided_by?.name ?? 'a manager'}
              {approval.decision_reason ? `: ${approval.decision_reason}` : ''}
            </Text>
          )}
        </Stack>
        <Stack gap={6} align="flex-end">
          <Text fw={700} size="lg">
            {formatMoney(approval.amount)}
          </Text>
          {approval.status === 'pending' && (
            <Group gap={6} wrap="nowrap">
              <Popover opened={refusing} onChange={setRefusing} width={320} position="bottom-end" withArrow trapFocus>
                <Popover.Target>
                  <Button size="xs" variant="default" color="red" leftSection={<IconX size={14} />} onClick={() => setRefusing((o) => !o)} data-testid="approval-refuse">
                    Refuse
                  </Button>
                </Popover.Target>
                <Popover.Dropdown>
                  <Stack gap="xs">
                    <Textarea label="Why? The agent sees this." autosize minRows={2} value={reason} onChange={(e) => setReason(e.currentTarget.value)} data-autofocus />
                    <Button size="xs" color="red" disabled={!reason.trim()} loading={decide.isPending} onClick={refuseNow} data-testid="approval-refuse-confirm">
                      Refuse request
                    </Button>
                  </Stack>
                </Popover.Dropdown>
              </Popover>
              <Button size="xs" color="teal" leftSection={<IconCheck size={14} />} loading={decide.isPending} onClick={approveNow} data-testid="approval-approve">
                Approve
              </Button>
            </Group>
          )}
        </Stack>
      </Group>
      {decide.error && (
        <Alert color="red" variant="light" mt="sm">
          {errorMessage(decide.error)}
        </Alert>
      )}
    </Paper>
  );
}
