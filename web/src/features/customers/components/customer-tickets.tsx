/**
 * A customer's tickets as a compact, clickable list.
 */
import { Group, Stack, Text, UnstyledButton } from '@mantine/core';
import { Link } from 'react-router';
import type { TicketSummary } from '../../../api/types';
import { RelativeTime } from '../../../ui/relative-time';
import { EmptyState } from '../../../ui/states';
import { StatusBadge } from '../../tickets/ticket-meta';
import classes from './customer-tickets.module.css';

/** Tickets of a customer, except `excludeId` (the one on screen). */
export function CustomerTickets({
  tickets,
  excludeId,
  emptyText = 'No other tickets',
  inline = false,
}: {
  tickets: TicketSummary[];
  excludeId?: string;
  emptyText?: string;
  /** One line per ticket (wide layouts) instead of two. */
  inline?: boolean;
}) {
  const shown = tickets.filter((t) => t.id !== excludeId);
  if (shown.length === 0) return <EmptyState title={emptyText} compact />;
  return (
    <Stack gap={2} data-testid="customer-tickets">
      {shown.map((t) => (
        <UnstyledButton key={t.id} component={Link} to={`/tickets/${t.number}`} className={classes.item} data-testid="customer-ticket">
          <Group justify="space-between" wrap="nowrap" gap="xs">
            <Text size="xs" fw={500} truncate style={{ flex: 1 }}>
              <Text span size="xs" c="dimmed">
                #{t.number}
              </Text>{' '}
              {t.subject || '(no subject)'}
            </Text>
            <StatusBadge status={t.status} size="xs" miw={0} />
            {inline && <RelativeTime date={t.updated_at} size="xs" w={72} ta="right" />}
          </Group>
          {!inline && <RelativeTime date={t.updated_at} size="xs" />}
        </UnstyledButton>
      ))}
    </Stack>
  );
}
