/**
 * A ticket list with keyboard navigation (`j`/`k` to move, `Enter`/`o` to open), paging,
 * and its empty, loading and error states.
 */
import { Box, Button, Center, Group, Loader, Paper, Text } from '@mantine/core';
import { useIntersection } from '@mantine/hooks';
import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useNavigate } from 'react-router';
import type { TicketFilters } from '../../../api/types';
import { useShortcuts } from '../../../ui/shortcuts';
import { ErrorState, ListSkeleton, StaleDataNotice } from '../../../ui/states';
import { useTicketList } from '../hooks/use-tickets';
import { lastList, rememberList } from '../list-navigation';
import { TicketRow } from './ticket-row';

/** Column headings matching the row grid. */
function ListHeader() {
  return (
    <Box
      px={16}
      py={6}
      style={{
        borderBottom: '1px solid var(--mantine-color-default-border)',
        display: 'grid',
        gridTemplateColumns: '18px minmax(110px, 170px) minmax(0, 1fr) auto 26px 74px 64px',
        columnGap: 14,
        paddingLeft: 17,
      }}
      visibleFrom="md"
    >
      {['', 'Customer', 'Conversation', '', '', 'Status', 'Updated'].map((label, i) => (
        <Text key={i} size="xs" fw={600} c="dimmed" tt="uppercase" ta={i === 6 ? 'right' : undefined} style={{ letterSpacing: 0.3 }}>
          {label}
        </Text>
      ))}
    </Box>
  );
}

/** The list for `filters`; `listPath`/`title` let the ticket page come back to it. */
export function TicketList({
  filters,
  listPath,
  title,
  empty,
}: {
  filters: TicketFilters;
  listPath: string;
  title: string;
  /** What to show when nothing matches. */
  empty: ReactNode;
}) {
  const navigate = useNavigate();
  const list = useTicketList(filters);
  const tickets = useMemo(() => list.data?.pages.flatMap((p) => p.items) ?? [], [list.data]);
  const [selected, setSelected] = useState(-1);
  const rowRefs = useRef<Array<HTMLAnchorElement | null>>([]);
  const keyboardMove = useRef(false);
  const { ref: sentinelRef, entry } = useIntersection({ rootMargin: '400px' });

  // Remember the list for j/k on ticket pages, and come back to the ticket last opened.
  useEffect(() => {
    const previous = lastList();
    rememberList({ path: listPath, title, numbers: tickets.map((t) => t.number) });
    if (selected === -1 && previous?.path === listPath && previous.lastOpened !== undefined) {
      const index = tickets.findIndex((t) => t.number === previous.lastOpened);
      if (index >= 0) setSelected(index);
    }
  }, [tickets, listPath, title]);

  // Reset the cursor when the filters change.
  const shownPath = useRef(listPath);
  useEffect(() => {
    if (shownPath.current === listPath) return;
    shownPath.current = listPath;
    setSelected(-1);
  }, [listPath]);

  useEffect(() => {
    if (!keyboardMove.current) return;
    keyboardMove.current = false;
    rowRefs.current[selected]?.scrollIntoView({ block: 'nearest' });
  }, [selected]);

  useEffect(() => {
    if (entry?.isIntersecting && list.hasNextPage && !list.isFetchingNextPage) void list.fetchNextPage();
  }, [entry?.isIntersecting, list.hasNextPage, list.isFetchingNextPage]);

  const move = (delta: 1 | -1) => {
    if (tickets.length === 0) return;
    keyboardMove.current = true;
    setSelected((i) => Math.max(0, Math.min(tickets.length - 1, i + delta)));
    if (delta === 1 && selected >= tickets.length - 3 && list.hasNextPage && !list.isFetchingNextPage) void list.fetchNextPage();
  };
  const open = () => {
    const ticket = tickets[selected];
    if (!ticket) return false;
    void navigate(`/tickets/${ticket.number}`);
  };

  useShortcuts([
    ['j', () => move(1)],
    ['ArrowDown', () => (selected >= 0 ? move(1) : false)],
    ['k', () => move(-1)],
    ['ArrowUp', () => (selected >= 0 ? move(-1) : false)],
    ['o', open],
    [
      'Enter',
      () => {
        // Let focused buttons and links handle Enter themselves.
        const active = document.activeElement;
        if (active instanceof HTMLElement && active !== document.body && active.dataset.testid !== 'ticket-row') return false;
        return open();
      },
    ],
  ]);

  let body: ReactNode;
  if (list.isPending) {
    body = <ListSkeleton rows={10} />;
  } else if (list.isLoadingError) {
    body = <ErrorState error={list.error} title="Could not load tickets" onRetry={() => void list.refetch()} />;
  } else if (tickets.length === 0) {
    body = empty;
  } else {
    body = (
      <>
        <StaleDataNotice query={list} what="this list" compact m="xs" />
        <ListHeader />
        <div role="list" aria-label={title} data-testid="ticket-list">
          {tickets.map((ticket, index) => (
            <div role="listitem" key={ticket.id}>
              <TicketRow
                ref={(el) => {
                  rowRefs.current[index] = el;
                }}
                ticket={ticket}
                selected={index === selected}
                onSelect={() => setSelected(index)}
              />
            </div>
          ))}
        </div>
        <div ref={sentinelRef} />
        {list.hasNextPage && (
          <Center py="md">
            <Button variant="subtle" size="xs" loading={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>
              Load more
            </Button>
          </Center>
        )}
        {list.isFetchNextPageError && (
          <ErrorState error={list.error} title="Could not load more tickets" onRetry={() => void list.fetchNextPage()} />
        )}
        {!list.hasNextPage && tickets.length > 15 && (
          <Text size="xs" c="dimmed" ta="center" py="md">
            End of the list · {tickets.length} tickets
          </Text>
        )}
      </>
    );
  }

  return (
    <Paper withBorder radius="md" style={{ overflow: 'hidden', position: 'relative' }} data-loading={list.isFetching || undefined}>
      {list.isFetching && !list.isPending && !list.isFetchingNextPage && (
        <Group pos="absolute" top={8} right={12} style={{ zIndex: 1 }}>
          <Loader size={12} />
        </Group>
      )}
      {body}
    </Paper>
  );
}
