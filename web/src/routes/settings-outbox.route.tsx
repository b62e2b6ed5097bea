/**
 * Settings → Outbox: replies kept on this machine because their mailbox has no relay (the
 * demo works this way). Each can be read as the customer would have received it, or downloaded.
 */
import { Alert, Anchor, Badge, Group, Paper, Stack, Table, Text } from '@mantine/core';
import { IconInfoCircle, IconMailForward } from '@tabler/icons-react';
import { useState } from 'react';
import { Link } from 'react-router';
import type { OutboxEntry } from '../api/types';
import { EmlViewer } from '../features/email/components/eml-viewer';
import { useOutbox } from '../features/email/hooks/use-email';
import { PageHeader } from '../ui/page-header';
import { RelativeTime } from '../ui/relative-time';
import { EmptyState, ErrorState, ListSkeleton, StaleDataNotice } from '../ui/states';

export default function OutboxRoute() {
  const outbox = useOutbox();
  const [viewing, setViewing] = useState<OutboxEntry | null>(null);

  let body;
  if (outbox.isPending) body = <ListSkeleton rows={6} />;
  else if (outbox.isLoadingError)
    body = <ErrorState error={outbox.error} title="Could not load the outbox" onRetry={() => void outbox.refetch()} />;
  else if (outbox.data.items.length === 0)
    body = (
      <EmptyState
        icon={<IconMailForward size={26} stroke={1.5} />}
        title="The outbox is empty"
        description="Replies from mailboxes without an SMTP relay appear here instead of reaching customers."
      />
    );
  else
    body = (
      <Table highlightOnHover verticalSpacing="sm" horizontalSpacing="md" data-testid="outbox-list">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>To</Table.Th>
            <Table.Th>Subject</Table.Th>
            <Table.Th>From</Table.Th>
            <Table.Th>Ticket</Table.Th>
            <Table.Th ta="right">Kept</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {outbox.data.items.map((entry) => (
            <Table.Tr
              key={entry.id}
              style={{ cursor: 'pointer' }}
              onClick={() => setViewing(entry)}
              tabIndex={0}
              onKeyDown={(e) => {
                if (e.key === 'Enter' || e.key === ' ') {
                  e.preventDefault();
                  setViewing(entry);
                }
              }}
              aria-label={`Open the email to ${entry.to}: ${entry.subject}`}
              data-testid="outbox-row"
            >
              <Table.Td maw={220}>
                <Text size="sm" truncate>
                  {entry.to}
                </Text>
              </Table.Td>
              <Table.Td maw={380}>
                <Text size="sm" fw={500} truncate>
                  {entry.subject || '(no subject)'}
                </Text>
              </Table.Td>
              <Table.Td maw={220}>
                <Text size="xs" c="dimmed" truncate>
                  {entry.from}
                </Text>
              </Table.Td>
              <Table.Td>
                <Anchor
                  component={Link}
                  to={`/tickets/${entry.ticket_id}#message-${entry.message_id}`}
                  size="sm"
                  onClick={(e) => e.stopPropagation()}
                >
                  Open
                </Anchor>
              </Table.Td>
              <Table.Td>
                <Group gap={6} justify="flex-end" wrap="nowrap">
                  {entry.status !== 'sent' && entry.status !== 'local' && (
                    <Badge size="xs" variant="light" color="gray">
                      {entry.status}
                    </Badge>
                  )}
                  <RelativeTime date={entry.sent_at ?? entry.created_at} />
                </Group>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    );

  return (
    <Stack gap="md" p="lg" maw={1200} mx="auto" data-testid="outbox-page">
      <PageHeader
        title="Outbox"
        description="Mail kept on this machine because its mailbox has no SMTP relay. Nothing here reached the customer."
      />
      <Alert variant="light" color="blue" icon={<IconInfoCircle size={16} />} p="xs">
        <Text size="xs">
          To deliver replies for real, add an SMTP relay to the mailbox in{' '}
          <Anchor component={Link} to="/settings/mailboxes" size="xs">
            Mailboxes
          </Anchor>
          .
        </Text>
      </Alert>
      <StaleDataNotice query={outbox} what="the outbox" />
      <Paper withBorder radius="md">
        {body}
      </Paper>
      <EmlViewer url={viewing?.raw_url ?? null} title={viewing?.subject} onClose={() => setViewing(null)} />
    </Stack>
  );
}
