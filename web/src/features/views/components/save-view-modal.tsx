/**
 * Saves the list's current filters as a named view in the sidebar.
 */
import { Alert, Badge, Button, Group, Modal, Stack, Switch, Text, TextInput } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { isApiError } from '../../../api/client';
import type { TicketFilters } from '../../../api/types';
import { humanize } from '../../../ui/format';
import { notifySuccess } from '../../../ui/notify';
import { useAgents, useTeams } from '../../agents/hooks/use-agents';
import { useMe } from '../../auth/hooks/use-session';
import { statusLabel } from '../../tickets/ticket-meta';
import { useCreateView } from '../hooks/use-views';

/** A readable line per filter, e.g. "Status: Open, Pending". */
export function useDescribeFilters(filters: TicketFilters): Array<[string, string]> {
  const agents = useAgents();
  const teams = useTeams();
  const lines: Array<[string, string]> = [];
  if (filters.status) lines.push(['Status', filters.status.split(',').map(statusLabel).join(', ')]);
  if (filters.assignee) {
    const a = filters.assignee;
    lines.push([
      'Assignee',
      a === 'me' ? 'Me (whoever uses the view)' : a === 'none' ? 'Unassigned' : (agents.data?.find((x) => x.id === a)?.name ?? a),
    ]);
  }
  if (filters.team) lines.push(['Team', teams.data?.find((t) => t.id === filters.team)?.name ?? filters.team]);
  if (filters.priority) lines.push(['Priority', humanize(filters.priority)]);
  if (filters.channel) lines.push(['Channel', humanize(filters.channel)]);
  if (filters.tag) lines.push(['Tag', filters.tag]);
  if (filters.q) lines.push(['Keywords', filters.q]);
  return lines;
}

/** The save-view dialog. */
export function SaveViewModal({ opened, onClose, filters }: { opened: boolean; onClose: () => void; filters: TicketFilters }) {
  const [name, setName] = useState('');
  const [shared, setShared] = useState(false);
  const create = useCreateView();
  const navigate = useNavigate();
  const lines = useDescribeFilters(filters);
  const canShare = useMe().role !== 'agent';
  const { customer_id: _ignored, ...savable } = filters;

  const close = () => {
    create.reset();
    onClose();
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate(
      { name: name.trim(), filters: savable, shared: shared && canShare },
      {
        onSuccess: (view) => {
          notifySuccess(`“${view.name}” is in your sidebar`, 'View saved');
          setName('');
          close();
          void navigate(`/views/${view.id}`);
        },
      },
    );
  };

  return (
    <Modal opened={opened} onClose={close} title={<Text fw={650}>Save view</Text>} data-testid="save-view-modal">
      <form onSubmit={submit}>
        <Stack gap="sm">
          {create.error && !(isApiError(create.error) && create.error.fieldErrors.name) && (
            <Alert color="red" variant="light" icon={<IconAlertTriangle size={16} />}>
              {create.error.message}
            </Alert>
          )}
          <TextInput
            label="Name"
            placeholder="Urgent refunds"
            required
            data-autofocus
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            error={isApiError(create.error) ? create.error.fieldErrors.name : undefined}
            data-testid="save-view-name"
          />
          <Stack gap={4}>
            <Text size="sm" fw={500}>
              Filters
            </Text>
            {lines.length === 0 ? (
              <Text size="sm" c="dimmed">
                No filters: the view shows every ticket.
              </Text>
            ) : (
              <Group gap={6}>
                {lines.map(([label, value]) => (
                  <Badge key={label} variant="light" color="gray" tt="none" fw={500} size="lg">
                    {label}: {value}
                  </Badge>
                ))}
              </Group>
            )}
          </Stack>
          <Switch
            label="Share with the whole team"
            description={canShare ? 'Everyone sees it in their sidebar.' : 'Only managers and admins can share views.'}
            disabled={!canShare}
            checked={shared && canShare}
            onChange={(e) => setShared(e.currentTarget.checked)}
          />
          <Group justify="flex-end" mt="xs">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button type="submit" loading={create.isPending} disabled={!name.trim()} data-testid="save-view-submit">
              Save view
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
