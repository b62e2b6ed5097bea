/**
 * A ticket event as one muted line in the timeline: "Anna set status to Solved · 2 min ago".
 */
import { Group, Text } from '@mantine/core';
import {
  IconArrowsExchange,
  IconCircleDot,
  IconFlag,
  IconGitMerge,
  IconMailOff,
  IconPencil,
  IconPlus,
  IconShoppingBag,
  IconTag,
  IconUserCheck,
  IconUsersGroup,
  type Icon,
} from '@tabler/icons-react';
import type { ReactNode } from 'react';
import type { TicketEvent } from '../../../api/types';
import { humanize } from '../../../ui/format';
import { describeOrderEvent } from '../../orders/components/order-event';
import { RelativeTime } from '../../../ui/relative-time';
import { useTeams } from '../../agents/hooks/use-agents';
import { priorityLabel, statusLabel } from '../ticket-meta';

function text(value: unknown): string | null {
  return typeof value === 'string' && value ? value : null;
}

function list(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

const B = ({ children }: { children: ReactNode }) => (
  <Text span fw={600} c="var(--mantine-color-text)" size="xs">
    {children}
  </Text>
);

/** Who did it, as the line's subject. */
function actorName(event: TicketEvent): string {
  const actor = event.actor;
  if (!actor) return 'storedesk';
  if (actor.name) return actor.name;
  if (actor.type === 'system') return 'storedesk';
  if (actor.type === 'integration') return 'An integration';
  if (actor.type === 'customer') return 'The customer';
  return 'Someone';
}

/** Events the timeline leaves out because the message card already shows them. */
export const HIDDEN_EVENT_TYPES = new Set(['note.added', 'reply.sent', 'message.received']);

/** How an event reads on the timeline. */
export interface EventDescription {
  icon: Icon;
  body: ReactNode;
  /** danger: something failed; money: an order action that moved money or goods. */
  tone?: 'danger' | 'warning' | 'order';
  /** A second line: the store's own words, a reference. */
  detail?: ReactNode;
}

/** Looks up names the event data only has ids for. */
export interface NameLookup {
  team: (id: string) => string | undefined;
}

/** The icon and sentence for an event. */
export function describeEvent(event: TicketEvent, names: NameLookup = { team: () => undefined }): EventDescription {
  const d = event.data;
  const who = <B>{actorName(event)}</B>;
  if (event.type.startsWith('order.')) return describeOrderEvent(event, who, B);
  switch (event.type) {
    case 'ticket.created': {
      const channel = text(d.channel);
      const via = channel ? ` via ${humanize(channel).toLowerCase()}` : '';
      if (!event.actor || event.actor.type === 'system' || event.actor.type === 'customer')
        return { icon: IconPlus, body: <>Ticket created{via}</> };
      return {
        icon: IconPlus,
        body: (
          <>
            {who} created the ticket{via}
          </>
        ),
      };
    }
    case 'status.changed': {
      const to = text(d.to);
      return {
        icon: IconCircleDot,
        body: (
          <>
            {who} set status to <B>{to ? statusLabel(to) : 'unknown'}</B>
          </>
        ),
      };
    }
    case 'priority.changed': {
      const to = text(d.to);
      return {
        icon: IconFlag,
        body: (
          <>
            {who} set priority to <B>{to ? priorityLabel(to) : 'unknown'}</B>
          </>
        ),
      };
    }
    case 'assignee.changed': {
      const toName = text(d.to_name);
      const to = text(d.to);
      if (!to && !toName) return { icon: IconUserCheck, body: <>{who} unassigned the ticket</> };
      if (event.actor?.id && to === event.actor.id) return { icon: IconUserCheck, body: <>{who} took the ticket</> };
      return {
        icon: IconUserCheck,
        body: (
          <>
            {who} assigned the ticket to <B>{toName ?? 'an agent'}</B>
          </>
        ),
      };
    }
    case 'team.changed': {
      const to = text(d.to);
      const toName = text(d.to_name) ?? (to ? names.team(to) : undefined);
      if (!to && !toName) return { icon: IconUsersGroup, body: <>{who} removed the team</> };
      return {
        icon: IconUsersGroup,
        body: (
          <>
            {who} moved the ticket to <B>{toName ?? 'another team'}</B>
          </>
        ),
      };
    }
    case 'tags.changed': {
      const added = list(d.added);
      const removed = list(d.removed);
      return {
        icon: IconTag,
        body: (
          <>
            {who}
            {added.length > 0 && (
              <>
                {' '}
                added <B>{added.join(', ')}</B>
              </>
            )}
            {added.length > 0 && removed.length > 0 && ' and'}
            {removed.length > 0 && (
              <>
                {' '}
                removed <B>{removed.join(', ')}</B>
              </>
            )}
            {added.length === 0 && removed.length === 0 && ' changed the tags'}
          </>
        ),
      };
    }
    case 'subject.changed': {
      const to = text(d.to);
      return {
        icon: IconPencil,
        body: (
          <>
            {who} renamed the ticket
            {to ? (
              <>
                {' '}
                to <B>“{to}”</B>
              </>
            ) : null}
          </>
        ),
      };
    }
    case 'orders.linked': {
      const from = list(d.from);
      const to = list(d.to);
      const added = to.filter((n) => !from.includes(n));
      const removed = from.filter((n) => !to.includes(n));
      const automatic = !event.actor || event.actor.type === 'system';
      return {
        icon: IconShoppingBag,
        body: (
          <>
            {automatic ? 'storedesk' : who}
            {added.length > 0 && (
              <>
                {' '}
                linked {added.length === 1 ? 'order' : 'orders'} <B>{added.join(', ')}</B>
              </>
            )}
            {added.length > 0 && removed.length > 0 && ' and'}
            {removed.length > 0 && (
              <>
                {' '}
                unlinked <B>{removed.join(', ')}</B>
              </>
            )}
            {added.length === 0 && removed.length === 0 && ' changed the linked orders'}
          </>
        ),
      };
    }
    case 'customer.merged': {
      const source = text(d.source_name) ?? text(d.from_name);
      return {
        icon: IconGitMerge,
        body: (
          <>
            {who} merged {source ? <B>{source}</B> : 'another customer'} into this customer
          </>
        ),
      };
    }
    case 'email.bounced': {
      const recipients = list(d.recipients);
      const diagnostic = text(d.diagnostic);
      return {
        icon: IconMailOff,
        tone: 'danger',
        body: (
          <>
            Mail to <B>{recipients.join(', ') || 'the customer'}</B> bounced{d.permanent === true ? ' permanently' : ''}
            {diagnostic ? `: ${diagnostic}` : ''}
          </>
        ),
      };
    }
    default:
      return {
        icon: IconArrowsExchange,
        body: (
          <>
            {who}: {humanize(event.type)}
          </>
        ),
      };
  }
}

/** One event line; order actions stand out a little, since money or goods moved. */
export function EventLine({ event }: { event: TicketEvent }) {
  const teams = useTeams();
  const { icon: Icon, body, tone, detail } = describeEvent(event, { team: (id) => teams.data?.find((t) => t.id === id)?.name });
  const color =
    tone === 'danger'
      ? 'var(--mantine-color-red-7)'
      : tone === 'warning'
        ? 'var(--mantine-color-orange-8)'
        : tone === 'order'
          ? 'var(--mantine-color-indigo-7)'
          : 'var(--mantine-color-dimmed)';
  return (
    <Group gap={8} wrap="nowrap" px={6} py={2} align="flex-start" data-testid="timeline-event" data-type={event.type}>
      <Icon size={13} stroke={1.8} color={color} style={{ flexShrink: 0, marginTop: 3 }} />
      <div style={{ minWidth: 0 }}>
        <Text size="xs" c={tone === 'order' ? 'var(--mantine-color-text)' : color} span>
          {body}
          {' · '}
        </Text>
        <RelativeTime date={event.created_at} />
        {detail && (
          <Text size="xs" c="dimmed" data-testid="timeline-event-detail">
            {detail}
          </Text>
        )}
      </div>
    </Group>
  );
}
