/**
 * One line of a ticket list: channel, customer, subject with the last message, tags,
 * priority, assignee, status and last activity.
 */
import { Avatar, Badge, Group, Text, Tooltip } from '@mantine/core';
import { IconShoppingBag, IconUserOff } from '@tabler/icons-react';
import type { Ref } from 'react';
import { Link } from 'react-router';
import type { TicketSummary } from '../../../api/types';
import { displayName } from '../../../ui/format';
import { RelativeTime } from '../../../ui/relative-time';
import { ChannelIcon, PriorityBadge, StatusBadge } from '../ticket-meta';
import classes from './ticket-row.module.css';

/** A ticket list row; `selected` marks the keyboard cursor. */
export function TicketRow({
  ticket,
  selected,
  onSelect,
  ref,
}: {
  ticket: TicketSummary;
  selected: boolean;
  onSelect: () => void;
  ref?: Ref<HTMLAnchorElement>;
}) {
  const tags = ticket.tags.slice(0, 2);
  const moreTags = ticket.tags.length - tags.length;
  const order = ticket.order_numbers[0];
  return (
    <Link
      ref={ref}
      to={`/tickets/${ticket.number}`}
      className={classes.row}
      data-testid="ticket-row"
      data-ticket-number={ticket.number}
      data-status={ticket.status}
      data-selected={selected || undefined}
      aria-current={selected ? 'true' : undefined}
      onFocus={onSelect}
      onMouseDown={onSelect}
    >
      <ChannelIcon channel={ticket.channel} />
      <div className={classes.customer}>
        <Text size="sm" fw={500} truncate>
          {displayName(ticket.customer)}
        </Text>
        <Text size="xs" c="dimmed" truncate>
          #{ticket.number}
          {ticket.message_count > 1 ? ` · ${ticket.message_count} messages` : ''}
        </Text>
      </div>
      <div className={classes.main}>
        <Group gap={6} wrap="nowrap">
          <Text size="sm" truncate className={classes.subject}>
            {ticket.subject || '(no subject)'}
          </Text>
          <PriorityBadge priority={ticket.priority} urgentOnly />
        </Group>
        <Text size="xs" c="dimmed" truncate>
          {ticket.preview ?? ''}
        </Text>
      </div>
      <div className={classes.meta}>
        {order && (
          <Tooltip label={`Order ${order}${ticket.order_numbers.length > 1 ? ` and ${ticket.order_numbers.length - 1} more` : ''}`}>
            <Badge size="sm" variant="outline" color="gray" leftSection={<IconShoppingBag size={11} />} tt="none">
              {order}
            </Badge>
          </Tooltip>
        )}
        {tags.map((tag) => (
          <Badge key={tag} size="sm" variant="default" tt="none" fw={500} maw={110}>
            {tag}
          </Badge>
        ))}
        {moreTags > 0 && (
          <Tooltip label={ticket.tags.slice(2).join(', ')}>
            <Badge size="sm" variant="default" fw={500}>
              +{moreTags}
            </Badge>
          </Tooltip>
        )}
      </div>
      <div className={classes.assignee}>
        {ticket.assignee ? (
          <Tooltip label={`Assigned to ${ticket.assignee.name}${ticket.team ? ` · ${ticket.team.name}` : ''}`}>
            <Avatar name={ticket.assignee.name} color="initials" size={24} radius="xl" />
          </Tooltip>
        ) : (
          <Tooltip label={ticket.team ? `Unassigned · ${ticket.team.name}` : 'Unassigned'}>
            <Avatar size={24} radius="xl" variant="transparent" style={{ border: '1px dashed var(--mantine-color-gray-4)' }}>
              <IconUserOff size={12} color="var(--mantine-color-gray-5)" />
            </Avatar>
          </Tooltip>
        )}
      </div>
      <StatusBadge status={ticket.status} data-testid="ticket-row-status" />
      <div className={classes.time}>
        <RelativeTime date={ticket.last_message_at ?? ticket.updated_at} />
      </div>
    </Link>
  );
}
