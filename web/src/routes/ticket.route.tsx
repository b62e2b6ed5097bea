/**
 * The ticket page: conversation and composer on the left; properties, customer, their other
 * tickets and orders on the right. Shortcuts: r reply, n note, s solve, j/k next/previous, u back.
 */
import { Box, Divider, Group, ScrollArea, Skeleton, Stack, Text } from '@mantine/core';
import { IconTicketOff } from '@tabler/icons-react';
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import type { TicketStatus } from '../api/types';
import { useMe } from '../features/auth/hooks/use-session';
import { CustomerCard } from '../features/customers/components/customer-card';
import { CustomerTickets } from '../features/customers/components/customer-tickets';
import { OrdersPanel } from '../features/orders/components/orders-panel';
import { usePresence } from '../features/presence/hooks/use-presence';
import { Composer, type ComposerMode } from '../features/tickets/components/composer';
import { TicketHeader } from '../features/tickets/components/ticket-header';
import { TicketProperties } from '../features/tickets/components/ticket-properties';
import { TicketTimeline } from '../features/tickets/components/ticket-timeline';
import { useTicket, useUpdateTicket } from '../features/tickets/hooks/use-tickets';
import { lastList, neighbourOf, rememberOpened } from '../features/tickets/list-navigation';
import { STATUS_META } from '../features/tickets/ticket-meta';
import { INBOX_PATH } from '../features/views/builtin-views';
import { notifyError, notifySuccess } from '../ui/notify';
import { useShortcuts } from '../ui/shortcuts';
import { LoadErrorState, StaleDataNotice } from '../ui/states';

function SectionTitle({ children }: { children: string }) {
  return (
    <Text size="xs" fw={600} c="dimmed" tt="uppercase" style={{ letterSpacing: 0.4 }}>
      {children}
    </Text>
  );
}

function TicketSkeleton() {
  return (
    <Box p="lg" aria-busy="true" aria-label="Loading ticket">
      <Skeleton h={12} w={120} mb="md" />
      <Skeleton h={24} w="50%" mb={8} />
      <Skeleton h={10} w="30%" mb="xl" />
      {[0, 1, 2].map((i) => (
        <Box key={i} mb="md" p="md" style={{ border: '1px solid var(--mantine-color-default-border)', borderRadius: 8 }}>
          <Group mb="sm">
            <Skeleton circle h={32} />
            <Skeleton h={10} w={140} />
          </Group>
          <Skeleton h={8} mb={6} />
          <Skeleton h={8} mb={6} w="92%" />
          <Skeleton h={8} w="60%" />
        </Box>
      ))}
    </Box>
  );
}

export default function TicketRoute() {
  const { ref = '' } = useParams();
  const location = useLocation();
  const navigate = useNavigate();
  const me = useMe();
  const page = useTicket(ref);
  const update = useUpdateTicket(ref);
  const [mode, setMode] = useState<ComposerMode>('reply');
  const [writing, setWriting] = useState(false);
  const textareaRef = useRef<HTMLTextAreaElement>(null);
  const viewportRef = useRef<HTMLDivElement>(null);
  const scrolledFor = useRef<string | null>(null);
  const seen = useRef({ messages: 0, events: 0 });

  const ticket = page.data?.ticket;
  usePresence(ticket?.id, writing ? 'replying' : 'viewing');

  useEffect(() => {
    if (ticket) rememberOpened(ticket.number);
  }, [ticket?.number]);

  // Land at the newest message (or the linked one); follow new messages, and new events (an
  // order action taken from the side panel lands on the timeline), if already at the bottom.
  useLayoutEffect(() => {
    const viewport = viewportRef.current;
    if (!viewport || !page.data) return;
    const messages = page.data.messages.length;
    const events = page.data.events.length;
    if (scrolledFor.current !== page.data.ticket.id) {
      scrolledFor.current = page.data.ticket.id;
      seen.current = { messages, events };
      const target = location.hash ? document.getElementById(location.hash.slice(1)) : null;
      if (target) target.scrollIntoView({ block: 'start' });
      else viewport.scrollTop = viewport.scrollHeight;
      return;
    }
    const newMessages = messages - seen.current.messages;
    const newEvents = events - seen.current.events;
    if (newMessages > 0 || newEvents > 0) {
      const nearBottom = viewport.scrollHeight - viewport.scrollTop - viewport.clientHeight < 240;
      const single = newMessages === 1 || (newMessages === 0 && newEvents === 1);
      if (nearBottom || single) viewport.scrollTo({ top: viewport.scrollHeight, behavior: 'smooth' });
    }
    seen.current = { messages, events };
  }, [page.data, location.hash]);

  const focusComposer = (next: ComposerMode) => {
    setMode(next);
    requestAnimationFrame(() => textareaRef.current?.focus());
  };

  const setStatus = (status: TicketStatus) => {
    if (!ticket) return;
    update.mutate(
      { id: ticket.id, patch: { status } },
      {
        onSuccess: () => notifySuccess(`Ticket #${ticket.number} is now ${STATUS_META[status].label.toLowerCase()}`),
        onError: (error) => notifyError(error, 'The status was not changed'),
      },
    );
  };

  const back = lastList() ?? { path: INBOX_PATH, title: 'Inbox' };
  const previous = ticket ? neighbourOf(ticket.number, -1) : null;
  const next = ticket ? neighbourOf(ticket.number, 1) : null;

  useShortcuts([
    ['r', () => focusComposer('reply')],
    ['n', () => focusComposer('note')],
    ['s', () => (ticket && ticket.status !== 'solved' && ticket.status !== 'closed' ? setStatus('solved') : false)],
    ['j', () => (next !== null ? void navigate(`/tickets/${next}`) : false)],
    ['k', () => (previous !== null ? void navigate(`/tickets/${previous}`) : false)],
    ['u', () => void navigate(back.path)],
  ]);

  if (page.isPending) return <TicketSkeleton />;
  // The error page only when there is no ticket to show: a failed refresh keeps the conversation,
  // the composer with its draft and any open dialog, and says so above the conversation.
  if (page.isLoadingError) {
    return (
      <LoadErrorState
        error={page.error}
        title="Could not load this ticket"
        onRetry={() => void page.refetch()}
        notFound={{ icon: <IconTicketOff size={26} stroke={1.5} />, title: `Ticket ${/^\d+$/.test(ref) ? `#${ref}` : ''} not found`, description: 'It may have been merged or deleted, or the number is mistyped.', backTo: back.path, backLabel: <>Back to {back.title}</> }}
      />
    );
  }

  const { ticket: t, messages, events, customer } = page.data;

  return (
    <Box
      style={{ display: 'flex', height: 'calc(100dvh - var(--app-shell-header-offset, 56px))' }}
      data-testid="ticket-page"
      data-ticket-id={t.id}
    >
      <Box style={{ flex: 1, minWidth: 0, display: 'flex', flexDirection: 'column' }}>
        <TicketHeader
          key={t.id}
          ticket={t}
          meId={me.id}
          back={back}
          previous={previous}
          next={next}
          onStatus={setStatus}
          onSubject={(subject) =>
            update.mutate({ id: t.id, patch: { subject } }, { onError: (error) => notifyError(error, 'The subject was not changed') })
          }
          statusPending={update.isPending && update.variables.patch.status !== undefined}
        />
        <StaleDataNotice query={page} what="this ticket" compact mx="lg" mt="xs" />
        <ScrollArea style={{ flex: 1 }} viewportRef={viewportRef} type="auto" bg="var(--sd-page-bg)">
          <Box px="lg" py="md" maw={980} mx="auto">
            <TicketTimeline ticket={t} messages={messages} events={events} />
          </Box>
        </ScrollArea>
        <Composer
          key={t.id}
          ticketRef={ref}
          ticket={t}
          customer={customer}
          mode={mode}
          onModeChange={setMode}
          onActivityChange={setWriting}
          textareaRef={textareaRef}
        />
      </Box>

      <ScrollArea
        w={360}
        visibleFrom="md"
        style={{ borderLeft: '1px solid var(--mantine-color-default-border)', flexShrink: 0 }}
        type="hover"
      >
        <Stack gap="lg" p="md">
          <Stack gap="xs">
            <SectionTitle>Details</SectionTitle>
            <TicketProperties ticketRef={ref} ticket={t} />
          </Stack>
          <Divider />
          <Stack gap="xs">
            <SectionTitle>Customer</SectionTitle>
            <CustomerCard customer={customer} linkToProfile />
          </Stack>
          <OrdersPanel customerId={customer.id} linkedNumbers={t.order_numbers} actionTarget={{ ticketId: t.id, ticketNumber: t.number }} />
          <Divider />
          <Stack gap={4}>
            <Group justify="space-between">
              <SectionTitle>Other tickets</SectionTitle>
              {customer.ticket_count > customer.tickets.length && (
                <Text component={Link} to={`/customers/${customer.id}`} size="xs" c="indigo">
                  All {customer.ticket_count}
                </Text>
              )}
            </Group>
            <CustomerTickets tickets={customer.tickets} excludeId={t.id} />
          </Stack>
        </Stack>
      </ScrollArea>
    </Box>
  );
}
