/**
 * Settings → Agents: everyone who works tickets, with their role, team and whether they can
 * sign in; admins add agents here and change them (role, teams, password, deactivation).
 */
import { Avatar, Badge, Button, Group, Paper, Stack, Table, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useState } from 'react';
import type { Agent } from '../api/types';
import { IconUserPlus, IconUsers } from '@tabler/icons-react';
import { EditAgentModal } from '../features/agents/components/edit-agent-modal';
import { NewAgentModal } from '../features/agents/components/new-agent-modal';
import { RoleBadge } from '../features/agents/components/role-badge';
import { useAgents, useTeams } from '../features/agents/hooks/use-agents';
import { useMe } from '../features/auth/hooks/use-session';
import { PageHeader } from '../ui/page-header';
import { EmptyState, ErrorState, ListSkeleton, StaleDataNotice } from '../ui/states';

export default function AgentsRoute() {
  const agents = useAgents();
  const teams = useTeams();
  const me = useMe();
  const [adding, add] = useDisclosure(false);
  const [editing, setEditing] = useState<Agent | null>(null);
  const teamName = (id: string) => teams.data?.find((t) => t.id === id)?.name;

  let body;
  if (agents.isPending) body = <ListSkeleton rows={5} />;
  else if (agents.isLoadingError)
    body = <ErrorState error={agents.error} title="Could not load the agents" onRetry={() => void agents.refetch()} />;
  else if (agents.data.length === 0) body = <EmptyState icon={<IconUsers size={26} stroke={1.5} />} title="No agents yet" />;
  else
    body = (
      <Table verticalSpacing="sm" horizontalSpacing="md" data-testid="agent-list">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Name</Table.Th>
            <Table.Th>Email</Table.Th>
            <Table.Th>Role</Table.Th>
            <Table.Th>Teams</Table.Th>
            <Table.Th>Status</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {agents.data.map((a) => (
            <Table.Tr
              key={a.id}
              data-testid="agent-row"
              style={{ opacity: a.is_active ? 1 : 0.6, cursor: 'pointer' }}
              onClick={() => setEditing(a)}
              title={`Edit ${a.name}`}
            >
              <Table.Td>
                <Group gap="sm" wrap="nowrap">
                  <Avatar name={a.name} color="initials" size={30} radius="xl" />
                  <Text size="sm" fw={500}>
                    {a.name}
                    {a.id === me.id && (
                      <Text span size="xs" c="dimmed">
                        {' '}
                        (you)
                      </Text>
                    )}
                  </Text>
                </Group>
              </Table.Td>
              <Table.Td>
                <Text size="sm">{a.email}</Text>
              </Table.Td>
              <Table.Td>
                <RoleBadge role={a.role} />
              </Table.Td>
              <Table.Td>
                <Text size="xs" c="dimmed">
                  {(a.team_ids ?? []).map(teamName).filter(Boolean).join(', ') || '—'}
                </Text>
              </Table.Td>
              <Table.Td>
                {a.is_active ? (
                  <Badge size="sm" variant="dot" color="teal">
                    Active
                  </Badge>
                ) : (
                  <Badge size="sm" variant="dot" color="gray">
                    Deactivated
                  </Badge>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    );

  return (
    <Stack gap="md" p="lg" maw={1100} mx="auto" data-testid="agents-page">
      <PageHeader
        title="Agents"
        description="Everyone who works tickets. Roles decide who may change settings."
        actions={
          <Button leftSection={<IconUserPlus size={16} />} onClick={add.open} data-testid="add-agent">
            Add agent
          </Button>
        }
      />
      <StaleDataNotice query={agents} what="the agents" />
      <Paper withBorder radius="md">
        {body}
      </Paper>
      <NewAgentModal opened={adding} onClose={add.close} />
      <EditAgentModal agent={editing} isMe={editing?.id === me.id} onClose={() => setEditing(null)} />
    </Stack>
  );
}
