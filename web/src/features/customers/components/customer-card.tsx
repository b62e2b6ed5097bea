/**
 * A customer's card: name, ways to reach them, and the team's note.
 */
import { ActionIcon, Anchor, Avatar, Badge, Box, Group, Paper, Spoiler, Stack, Text, Tooltip } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconAt, IconMail, IconMailOff, IconNote, IconPencil, IconPhone, IconWorld } from '@tabler/icons-react';
import { Link } from 'react-router';
import type { Customer, Identity } from '../../../api/types';
import { displayName, formatRelative, humanize } from '../../../ui/format';
import { EditCustomerModal } from './edit-customer-modal';

function IdentityIcon({ identity }: { identity: Identity }) {
  if (identity.undeliverable_at) return <IconMailOff size={14} color="var(--mantine-color-red-6)" />;
  if (identity.kind === 'email') return <IconMail size={14} color="var(--mantine-color-dimmed)" />;
  if (identity.kind === 'phone') return <IconPhone size={14} color="var(--mantine-color-dimmed)" />;
  return identity.provider ? (
    <IconAt size={14} color="var(--mantine-color-dimmed)" />
  ) : (
    <IconWorld size={14} color="var(--mantine-color-dimmed)" />
  );
}

/** The customer card; `linkToProfile` makes the name open the customer page. */
export function CustomerCard({ customer, linkToProfile = false }: { customer: Customer; linkToProfile?: boolean }) {
  const name = displayName({ name: customer.name, email: customer.identities[0]?.value }, 'Unnamed customer');
  const identities = customer.identities.toSorted((a, b) => Number(b.is_primary) - Number(a.is_primary));
  const [editing, edit] = useDisclosure(false);
  return (
    <Paper withBorder radius="md" p="md" data-testid="customer-card">
      <Group gap="sm" wrap="nowrap" mb="sm">
        <Avatar name={name} color="initials" size={40} radius="xl" />
        <Box style={{ minWidth: 0, flex: 1 }}>
          {linkToProfile ? (
            <Text
              component={Link}
              to={`/customers/${customer.id}`}
              fw={650}
              size="sm"
              truncate
              display="block"
              c="var(--mantine-color-text)"
              data-testid="customer-name"
            >
              {name}
            </Text>
          ) : (
            <Text fw={650} size="md" truncate data-testid="customer-name">
              {name}
            </Text>
          )}
          <Text size="xs" c="dimmed">
            {customer.ticket_count} {customer.ticket_count === 1 ? 'ticket' : 'tickets'} · customer since{' '}
            {formatRelative(customer.created_at)}
          </Text>
        </Box>
        <Tooltip label="Edit name and note">
          <ActionIcon variant="subtle" color="gray" onClick={edit.open} aria-label="Edit customer" data-testid="customer-edit">
            <IconPencil size={15} />
          </ActionIcon>
        </Tooltip>
      </Group>
      <Stack gap={6}>
        {identities.length === 0 && (
          <Text size="xs" c="dimmed">
            No contact details
          </Text>
        )}
        {identities.map((identity) => (
          <Group key={identity.id} gap={8} wrap="nowrap" data-testid="customer-identity">
            <IdentityIcon identity={identity} />
            <Text size="xs" truncate style={{ flex: 1 }} title={identity.value}>
              {identity.value}
            </Text>
            {identity.kind === 'social' && identity.provider && (
              <Badge size="xs" variant="light" color="gray" tt="none">
                {humanize(identity.provider)}
              </Badge>
            )}
            {identity.undeliverable_at ? (
              <Tooltip label={`Mail bounced ${formatRelative(identity.undeliverable_at)}`}>
                <Badge size="xs" color="red" variant="light">
                  Bounced
                </Badge>
              </Tooltip>
            ) : (
              identity.is_primary &&
              identities.length > 1 && (
                <Badge size="xs" variant="light" color="gray">
                  Primary
                </Badge>
              )
            )}
          </Group>
        ))}
      </Stack>
      {customer.note && (
        <Paper mt="sm" p="xs" radius="sm" style={{ background: 'var(--sd-note-bg)' }}>
          <Group gap={6} wrap="nowrap" align="flex-start">
            <IconNote size={14} style={{ flexShrink: 0, marginTop: 2 }} />
            <Spoiler maxHeight={66} showLabel="More" hideLabel="Less" fz="xs">
              <Text size="xs" style={{ whiteSpace: 'pre-wrap' }}>
                {customer.note}
              </Text>
            </Spoiler>
          </Group>
        </Paper>
      )}
      {!customer.note && (
        <Anchor component="button" type="button" size="xs" c="dimmed" mt="sm" onClick={edit.open} data-testid="customer-add-note">
          + Add a note for the team
        </Anchor>
      )}
      <EditCustomerModal customer={customer} opened={editing} onClose={edit.close} />
    </Paper>
  );
}
