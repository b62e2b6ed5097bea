/**
 * The ticket's properties: assignee, team, priority and tags, each saved as soon as it changes.
 */
import { Anchor, Badge, Group, Select, Stack, TagsInput, Text } from '@mantine/core';
import { IconShoppingBag } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import type { TicketDetail, TicketPatch, TicketPriority } from '../../../api/types';
import { formatDateTime } from '../../../ui/format';
import { notifyError } from '../../../ui/notify';
import { RelativeTime } from '../../../ui/relative-time';
import { useMe } from '../../auth/hooks/use-session';
import { useAgents, useTeams } from '../../agents/hooks/use-agents';
import { useUpdateTicket } from '../hooks/use-tickets';
import { CHANNEL_META, PRIORITIES, PRIORITY_META } from '../ticket-meta';

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Group justify="space-between" wrap="nowrap" gap="sm">
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="xs" ta="right" component="div">
        {children}
      </Text>
    </Group>
  );
}

/** Editable properties and key dates of a ticket. */
export function TicketProperties({ ticketRef, ticket }: { ticketRef: string; ticket: TicketDetail }) {
  const me = useMe();
  const agents = useAgents();
  const teams = useTeams();
  const update = useUpdateTicket(ticketRef);

  const change = (patch: TicketPatch, optimistic?: Partial<TicketDetail>) =>
    update.mutate({ id: ticket.id, patch, optimistic }, { onError: (error) => notifyError(error, 'The change was not saved') });

  const agentOptions = (agents.data ?? [])
    .filter((a) => a.is_active || a.id === ticket.assignee?.id)
    .map((a) => ({ value: a.id, label: a.id === me.id ? `${a.name} (me)` : a.name }));
  if (ticket.assignee && !agentOptions.some((o) => o.value === ticket.assignee?.id)) {
    agentOptions.unshift({ value: ticket.assignee.id, label: ticket.assignee.name });
  }
  const teamOptions = (teams.data ?? []).map((t) => ({ value: t.id, label: t.name }));
  if (ticket.team && !teamOptions.some((o) => o.value === ticket.team?.id))
    teamOptions.unshift({ value: ticket.team.id, label: ticket.team.name });

  return (
    <Stack gap="sm" data-testid="ticket-properties">
      <div>
        <Group justify="space-between" mb={4}>
          <Text size="xs" fw={600} c="dimmed">
            Assignee
          </Text>
          {ticket.assignee?.id !== me.id && (
            <Anchor
              size="xs"
              component="button"
              type="button"
              onClick={() => change({ assignee_id: me.id }, { assignee: { id: me.id, name: me.name } })}
              data-testid="assign-to-me"
            >
              Assign to me
            </Anchor>
          )}
        </Group>
        <Select
          size="xs"
          placeholder="Unassigned"
          data={agentOptions}
          value={ticket.assignee?.id ?? null}
          onChange={(id) => {
            const agent = agents.data?.find((a) => a.id === id);
            change({ assignee_id: id }, { assignee: agent ? { id: agent.id, name: agent.name } : null });
          }}
          searchable
          clearable
          nothingFoundMessage="No agent by that name"
          aria-label="Assignee"
          data-testid="ticket-assignee"
        />
      </div>
      <div>
        <Text size="xs" fw={600} c="dimmed" mb={4}>
          Team
        </Text>
        <Select
          size="xs"
          placeholder={teamOptions.length ? 'No team' : 'No teams yet'}
          data={teamOptions}
          value={ticket.team?.id ?? null}
          onChange={(id) => {
            const team = teams.data?.find((t) => t.id === id);
            change({ team_id: id }, { team: team ? { id: team.id, name: team.name } : null });
          }}
          clearable
          disabled={teamOptions.length === 0}
          aria-label="Team"
          data-testid="ticket-team"
        />
      </div>
      <div>
        <Text size="xs" fw={600} c="dimmed" mb={4}>
          Priority
        </Text>
        <Select
          size="xs"
          data={PRIORITIES.map((p) => ({ value: p, label: PRIORITY_META[p].label }))}
          value={ticket.priority}
          onChange={(p) => p && change({ priority: p as TicketPriority })}
          allowDeselect={false}
          aria-label="Priority"
          data-testid="ticket-priority"
        />
      </div>
      <div>
        <Text size="xs" fw={600} c="dimmed" mb={4}>
          Tags
        </Text>
        <TagsInput
          size="xs"
          placeholder={ticket.tags.length ? undefined : 'Add a tag'}
          value={ticket.tags}
          onChange={(tags) => change({ tags })}
          clearable={false}
          splitChars={[',', ' ']}
          aria-label="Tags"
          data-testid="ticket-tags"
        />
      </div>

      <Stack gap={6} mt="xs">
        <Row label="Channel">{CHANNEL_META[ticket.channel]?.label ?? ticket.channel}</Row>
        <Row label="Created">
          <span title={formatDateTime(ticket.created_at)}>
            <RelativeTime date={ticket.created_at} c="var(--mantine-color-text)" />
          </span>
        </Row>
        <Row label="First response">
          {ticket.first_response_at ? <RelativeTime date={ticket.first_response_at} c="var(--mantine-color-text)" /> : '—'}
        </Row>
        {ticket.solved_at && (
          <Row label="Solved">
            <RelativeTime date={ticket.solved_at} c="var(--mantine-color-text)" />
          </Row>
        )}
        {ticket.order_numbers.length > 0 && (
          <Row label="Orders">
            <Group gap={4} justify="flex-end">
              {ticket.order_numbers.map((o) => (
                <Badge
                  key={o}
                  component="button"
                  type="button"
                  size="sm"
                  variant="outline"
                  color="gray"
                  tt="none"
                  leftSection={<IconShoppingBag size={11} />}
                  style={{ cursor: 'pointer' }}
                  title={`Show ${o} in the orders below`}
                  onClick={() => document.getElementById(`order-${o}`)?.scrollIntoView({ block: 'start', behavior: 'smooth' })}
                  data-testid="ticket-order-number"
                >
                  {o}
                </Badge>
              ))}
            </Group>
          </Row>
        )}
      </Stack>
    </Stack>
  );
}
