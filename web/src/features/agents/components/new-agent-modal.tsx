/**
 * Adds an agent: email, name, role and a first password the admin passes on.
 */
import { Alert, Button, Group, Modal, PasswordInput, Radio, Stack, Text, TextInput } from '@mantine/core';
import { IconAlertTriangle, IconUserPlus, IconWand } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import { isApiError } from '../../../api/client';
import type { AgentRole } from '../../../api/types';
import { notifySuccess } from '../../../ui/notify';
import { useCreateAgent } from '../hooks/use-agents';
import { ROLE_META } from './role-badge';

/** A readable random password (no look-alike characters). */
function generatePassword(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789';
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('');
}

function NewAgentForm({ onClose }: { onClose: () => void }) {
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [role, setRole] = useState<AgentRole>('agent');
  const [password, setPassword] = useState('');
  const [shown, setShown] = useState(false);
  const [problems, setProblems] = useState<Record<string, string>>({});
  const create = useCreateAgent();
  const server = isApiError(create.error) ? create.error.fieldErrors : {};

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found: Record<string, string> = {};
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email.trim())) found.email = 'Enter their work email address';
    if (password.length < 8) found.password = 'At least 8 characters';
    setProblems(found);
    if (Object.keys(found).length > 0) return;
    create.mutate(
      { email: email.trim(), name: name.trim() || undefined, role, password },
      {
        onSuccess: (agent) => {
          notifySuccess(`${agent.name} can now sign in as ${agent.email} with the password you chose.`, 'Agent added');
          onClose();
        },
      },
    );
  };

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        {create.error && !Object.keys(server).length && (
          <Alert color="red" variant="light" icon={<IconAlertTriangle size={16} />}>
            {create.error.message}
          </Alert>
        )}
        <TextInput
          label="Email"
          placeholder="sam@yourstore.com"
          required
          value={email}
          onChange={(e) => setEmail(e.currentTarget.value)}
          error={problems.email ?? server.email}
          data-autofocus
          data-testid="agent-email"
        />
        <TextInput
          label="Name"
          placeholder="Sam Rivera"
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
          error={server.name}
          data-testid="agent-name"
        />
        <Radio.Group label="Role" value={role} onChange={(v) => setRole(v === 'admin' ? 'admin' : v === 'manager' ? 'manager' : 'agent')}>
          <Stack gap={6} mt={4}>
            {(['agent', 'manager', 'admin'] as const).map((r) => (
              <Radio key={r} value={r} label={ROLE_META[r].label} description={ROLE_META[r].description} />
            ))}
          </Stack>
        </Radio.Group>
        <Group align="flex-end" gap="xs" wrap="nowrap">
          <PasswordInput
            label="First password"
            description="Pass it on to them privately."
            required
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
            visible={shown}
            onVisibilityChange={setShown}
            error={problems.password ?? server.password}
            style={{ flex: 1 }}
            autoComplete="new-password"
            data-testid="agent-password"
          />
          <Button
            variant="default"
            leftSection={<IconWand size={15} />}
            onClick={() => {
              setPassword(generatePassword());
              setShown(true);
            }}
          >
            Generate
          </Button>
        </Group>
        <Group justify="flex-end" mt="xs">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" loading={create.isPending} leftSection={<IconUserPlus size={16} />} data-testid="agent-create">
            Add agent
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** The dialog. */
export function NewAgentModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  return (
    <Modal opened={opened} onClose={onClose} title={<Text fw={650}>Add an agent</Text>}>
      <NewAgentForm onClose={onClose} />
    </Modal>
  );
}
