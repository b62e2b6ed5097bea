/**
 * Settings → Mailboxes: every address customers write to, how its mail comes in (storedesk's
 * SMTP listener, IMAP polling) and goes out (a relay, or the local outbox), with IMAP health.
 */
import { Badge, Button, Group, Paper, Stack, Table, Text, Tooltip } from '@mantine/core';
import { IconAlertTriangle, IconMailbox, IconPlus } from '@tabler/icons-react';
import { Link, useNavigate } from 'react-router';
import type { Mailbox } from '../api/types';
import { useMailboxes } from '../features/email/hooks/use-email';
import { formatDateTime } from '../ui/format';
import { PageHeader } from '../ui/page-header';
import { RelativeTime } from '../ui/relative-time';
import { EmptyState, ErrorState, ListSkeleton, StaleDataNotice } from '../ui/states';

function Receiving({ mailbox }: { mailbox: Mailbox }) {
  const extra = mailbox.accepted_addresses.length + mailbox.accepted_domains.length;
  return (
    <Stack gap={2}>
      <Text size="xs">
        SMTP listener{extra > 0 ? ` · ${extra} more ${extra === 1 ? 'address or domain' : 'addresses and domains'}` : ''}
      </Text>
      {mailbox.imap && (
        <Text size="xs" c={mailbox.imap.enabled ? undefined : 'dimmed'}>
          IMAP {mailbox.imap.user}@{mailbox.imap.host}
          {!mailbox.imap.enabled && ' (paused)'}
        </Text>
      )}
    </Stack>
  );
}

function ImapHealth({ mailbox }: { mailbox: Mailbox }) {
  const imap = mailbox.imap;
  if (!imap)
    return (
      <Text size="xs" c="dimmed">
        —
      </Text>
    );
  if (!imap.enabled) {
    return (
      <Badge size="sm" variant="light" color="gray">
        Paused
      </Badge>
    );
  }
  if (imap.last_error) {
    return (
      <Tooltip label={imap.last_error} multiline w={300}>
        <Badge size="sm" variant="light" color="red" leftSection={<IconAlertTriangle size={11} />} data-testid="imap-error">
          Failing
        </Badge>
      </Tooltip>
    );
  }
  if (!imap.last_poll_at) {
    return (
      <Badge size="sm" variant="light" color="gray">
        Not polled yet
      </Badge>
    );
  }
  return (
    <Group gap={6} wrap="nowrap">
      <Badge size="sm" variant="light" color="teal">
        OK
      </Badge>
      <Tooltip label={`Last checked ${formatDateTime(imap.last_poll_at)}`}>
        <span>
          <RelativeTime date={imap.last_poll_at} />
        </span>
      </Tooltip>
    </Group>
  );
}

export default function MailboxesRoute() {
  const mailboxes = useMailboxes();
  const navigate = useNavigate();

  let body;
  if (mailboxes.isPending) body = <ListSkeleton rows={3} />;
  else if (mailboxes.isLoadingError)
    body = <ErrorState error={mailboxes.error} title="Could not load the mailboxes" onRetry={() => void mailboxes.refetch()} />;
  else if (mailboxes.data.length === 0)
    body = (
      <EmptyState
        icon={<IconMailbox size={26} stroke={1.5} />}
        title="No mailboxes yet"
        description="Add the address your customers write to (support@yourstore.com). Mail can reach storedesk through its SMTP listener or by fetching from an existing mailbox over IMAP."
        action={
          <Button component={Link} to="/settings/mailboxes/new" leftSection={<IconPlus size={16} />}>
            Add a mailbox
          </Button>
        }
      />
    );
  else
    body = (
      <Table highlightOnHover verticalSpacing="sm" horizontalSpacing="md" data-testid="mailbox-list">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Address</Table.Th>
            <Table.Th>Receives through</Table.Th>
            <Table.Th>Sends through</Table.Th>
            <Table.Th>IMAP</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {mailboxes.data.map((m) => (
            <Table.Tr
              key={m.id}
              style={{ cursor: 'pointer' }}
              onClick={() => void navigate(`/settings/mailboxes/${m.id}`)}
              data-testid="mailbox-row"
            >
              <Table.Td>
                <Group gap={6} wrap="nowrap">
                  <Text
                    component={Link}
                    to={`/settings/mailboxes/${m.id}`}
                    size="sm"
                    fw={600}
                    c="var(--mantine-color-text)"
                    onClick={(e) => e.stopPropagation()}
                  >
                    {m.address}
                  </Text>
                  {m.is_default && (
                    <Badge size="xs" variant="light">
                      Default
                    </Badge>
                  )}
                </Group>
                {m.display_name && (
                  <Text size="xs" c="dimmed">
                    {m.display_name}
                  </Text>
                )}
              </Table.Td>
              <Table.Td>
                <Receiving mailbox={m} />
              </Table.Td>
              <Table.Td>
                {m.smtp ? (
                  <Text size="xs">
                    {m.smtp.host}:{m.smtp.port}{' '}
                    <Text span size="xs" c="dimmed">
                      ({m.smtp.security === 'none' ? 'no TLS' : m.smtp.security.toUpperCase()})
                    </Text>
                  </Text>
                ) : (
                  <Tooltip label="No relay: replies are kept in the Outbox on this machine">
                    <Badge size="sm" variant="light" color="yellow">
                      Local outbox
                    </Badge>
                  </Tooltip>
                )}
              </Table.Td>
              <Table.Td>
                <ImapHealth mailbox={m} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    );

  return (
    <Stack gap="md" p="lg" maw={1100} mx="auto" data-testid="mailboxes-page">
      <PageHeader
        title="Mailboxes"
        description="The addresses customers write to. Replies leave from the mailbox the conversation came in on."
        actions={
          <Button component={Link} to="/settings/mailboxes/new" leftSection={<IconPlus size={16} />} data-testid="add-mailbox">
            Add mailbox
          </Button>
        }
      />
      <StaleDataNotice query={mailboxes} what="the mailboxes" />
      <Paper withBorder radius="md">
        {body}
      </Paper>
    </Stack>
  );
}
