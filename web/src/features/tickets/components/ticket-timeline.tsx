/**
 * The conversation: messages as cards with events between them, oldest first.
 */
import { Stack } from '@mantine/core';
import { IconMessageOff } from '@tabler/icons-react';
import type { Message, TicketEvent, TicketSummary } from '../../../api/types';
import { EmptyState } from '../../../ui/states';
import { EventLine, HIDDEN_EVENT_TYPES } from './event-line';
import { MessageCard } from './message-card';

type Item = { kind: 'message'; at: number; message: Message } | { kind: 'event'; at: number; event: TicketEvent };

/** Messages and events interleaved by time. */
export function TicketTimeline({ ticket, messages, events }: { ticket: TicketSummary; messages: Message[]; events: TicketEvent[] }) {
  const items: Item[] = [
    ...messages.map((message): Item => ({ kind: 'message', at: Date.parse(message.created_at), message })),
    ...events
      .filter((event) => !HIDDEN_EVENT_TYPES.has(event.type))
      .map((event): Item => ({ kind: 'event', at: Date.parse(event.created_at), event })),
  ];
  // Oldest first; at the same instant a message comes before the status change it caused, and
  // "Created" always opens the timeline.
  const rank = (item: Item) => (item.kind === 'event' && item.event.type === 'ticket.created' ? 0 : item.kind === 'message' ? 1 : 2);
  items.sort((a, b) => a.at - b.at || rank(a) - rank(b));

  if (messages.length === 0 && events.length === 0) {
    return <EmptyState icon={<IconMessageOff size={26} stroke={1.5} />} title="No messages yet" compact />;
  }
  return (
    <Stack gap="sm" data-testid="timeline">
      {items.map((item) =>
        item.kind === 'message' ? (
          <MessageCard key={item.message.id} message={item.message} ticket={ticket} />
        ) : (
          <EventLine key={item.event.id} event={item.event} />
        ),
      )}
    </Stack>
  );
}
