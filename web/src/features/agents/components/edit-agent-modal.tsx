/**
 * Changes an agent: name, role, teams, a new password (which signs them out everywhere), or
 * deactivation (they can no longer sign in; their tickets stay). The server keeps at least one
 * active admin and says so when a change would remove the last one.
 */
import { Alert, Button, Divider, Group, Modal, MultiSelect, PasswordInput, Radio, Stack, Text, TextInput } from '@mantine/core';
import { IconAlertTriangle, IconUserCheck, IconUserOff } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import { isApiError } from '../../../api/client';
import type { Agent, AgentRole } from '../../../api/types';
import { notifyError, notifySuccess } from '../../../ui/notify';
import type { AgentPatch } from '../api/agents.api';
import { useTeams, useUpdateAgent } from '../hooks/use-agents';
import { ROLE_META } from './role-badge';

function EditAgentForm({ agent, isMe, onClose }: { agent: Agent; isMe: boolean; onClose: () => void }) {
  const [name, setName] = useState(agent.name);
  const [role, setRole] = useState<AgentRole>(agent.role);
  const [teamIds, setTeamIds] = useState<string[]>(agent.team_ids ?? []);
  const [password, setPassword] = useState('');
  const teams = useTeams();
  const update = useUpdateAgent();
  const fieldErrors = isApiError(update.error) ? update.error.fieldErrors : {};

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const patch: AgentPatch = {};
    if (name.trim() !== agent.name) patch.name = name.trim();
    if (role !== agent.role) patch.role = role;
    const before = [...(agent.team_ids ?? [])].sort().join(',');
    if ([...teamIds].sort().join(',') !== before) patch.team_ids = teamIds;
    if (password) patch.password = password;
    if (Object.keys(patch).length === 0) {
      onClose();
      return;
    }
    update.mutate(
      { id: agent.id, patch },
      {
        onSuccess: (saved) => {
          notifySuccess(password ? `${saved.name} has a new password and was signed out everywhere.` : `${saved.name} saved`);
          onClose();
        },
      },
    );
  };

  const toggleActive = () =>
    update.mutate(
      { id: agent.id, patch: { is_active: !agent.is_active } },
      {
        onSuccess: (saved) => {
          notifySuccess(saved.is_active ? `${saved.name} can sign in again.` : `${saved.name} is deactivated and was signed out everywhere.`);
          onClose();
        },
        onError: (error) => notifyError(error, agent.is_active ? 'Not deactivated' : 'Not reactivated'),
      },
    );

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        {update.error && !Object.keys(fieldErrors).length && (
          <Alert color="red" variant="light" icon={<IconAlertTriangle size={16} />} data-testid="edit-agent-error">
            {update.error.message}
          </Alert>
        )}
        <Text size="sm" c="dimmed">
          {agent.email}
        </Text>
        <TextInput label="Name" value={name} onChange={(e) => setName(e.currentTarget.value)} error={fieldErrors.name} data-testid="edit-agent-name" />
        <Radio.Group label="Role" value={role} onChange={(v) => setRole(v === 'admin' ? 'admin' : v === 'manager' ? 'manager' : 'agent')}>
          <Stack gap={6} mt={4}>
            {(['agent', 'manager', 'admin'] as const).map((r) => (
              <Radio key={r} value={r} label={ROLE_META[r].label} description={ROLE_META[r].description} data-testid={`edit-agent-role-${r}`} />
            ))}
          </Stack>
        </Radio.Group>
        <MultiSelect
          label="Teams"
          placeholder={teams.data?.length ? 'Choose teams' : 'No teams yet'}
          data={(teams.data ?? []).map((t) => ({ value: t.id, label: t.name }))}
          value={teamIds}
          onChange={setTeamIds}
          disabled={!teams.data?.length}
          error={fieldErrors.team_ids}
          clearable
        />
        <PasswordInput
          label="New password"
          description="Leave empty to keep theirs. Setting one signs them out everywhere; pass it on safely."
          value={password}
          onChange={(e) => setPassword(e.currentTarget.value)}
          error={password && password.length < 8 ? 'At least 8 characters' : fieldErrors.password}
          autoComplete="new-password"
        />
        <Group justify="flex-end" mt="xs">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" loading={update.isPending} disabled={password.length > 0 && password.length < 8} data-testid="edit-agent-save">
            Save
          </Button>
        </Group>
        {!isMe && (
          <>
            <Divider />
            <Group justify="space-between" wrap="nowrap">
              <Text size="sm" c="dimmed">
                {agent.is_active
                  ? 'Deactivated agents cannot sign in and their API tokens stop working. Their tickets and history stay.'
                  : 'This agent is deactivated and cannot sign in.'}
              </Text>
              <Button
                variant="light"
                color={agent.is_active ? 'red' : 'teal'}
                leftSection={agent.is_active ? <IconUserOff size={15} /> : <IconUserCheck size={15} />}
                onClick={toggleActive}
                loading={update.isPending}
                data-testid="edit-agent-toggle-active"
              >
                {agent.is_active ? 'Deactivate' : 'Reactivate'}
              </Button>
            </Group>
          </>
        )}
      </Stack>
    </form>
  );
}

/** The modal; closed when `agent` is null. */
export function EditAgentModal({ agent, isMe, onClose }: { agent: Agent | null; isMe: boolean; onClose: () => void }) {
  return (
    <Modal opened={agent !== null} onClose={onClose} title={<Text fw={650}>Edit {agent?.name}</Text>} size="md">
      {agent && <EditAgentForm key={agent.id} agent={agent} isMe={isMe} onClose={onClose} />}
    </Modal>
  );
}
