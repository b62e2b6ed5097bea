/**
 * Full search results, grouped by tickets, messages and customers.
 */
import { Anchor, Badge, Button, Group, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { IconArrowRight, IconSearch, IconSearchOff } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { Link, useSearchParams } from 'react-router';
import { looksLikeOrderReference, orderPath } from '../features/orders/api/orders.api';
import { useOrderLookup } from '../features/orders/hooks/use-orders';
import { formatMoney } from '../features/orders/money';
import { OrderStateBadge } from '../features/orders/order-meta';
import { ticketNumberIn } from '../features/search/api/search.api';
import { isSearchable, useSearch } from '../features/search/hooks/use-search';
import { StatusBadge } from '../features/tickets/ticket-meta';
import { displayName } from '../ui/format';
import { RelativeTime } from '../ui/relative-time';
import { Snippet } from '../ui/snippet';
import { EmptyState, ErrorState, ListSkeleton, StaleDataNotice } from '../ui/states';
import classes from '../features/customers/components/customer-tickets.module.css';

function Section({ title, count, children }: { title: string; count: number; children: ReactNode }) {
  if (count === 0) return null;
  return (
    <Paper withBorder radius="md" p="sm">
      <Group gap="xs" mb="xs" px={8}>
        <Text fw={600} size="sm">
          {title}
        </Text>
        <Badge size="sm" variant="light" color="gray">
          {count}
        </Badge>
      </Group>
      <Stack gap={2}>{children}</Stack>
    </Paper>
  );
}

export default function SearchRoute() {
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const results = useSearch(q);
  const lookup = useOrderLookup(q);
  const orders = looksLikeOrderReference(q) ? (lookup.data?.matches ?? []) : [];
  const number = ticketNumberIn(q);
  const data = results.data;
  const total = data ? data.tickets.length + data.messages.length + data.customers.length + orders.length : 0;

  return (
    <Stack gap="md" p="lg" maw={1000} mx="auto" data-testid="search-page">
      <Title order={3}>Search</Title>
      <TextInput
        size="md"
        placeholder="Search tickets, messages, customers"
        leftSection={<IconSearch size={16} />}
        defaultValue={q}
        key={q}
        onKeyDown={(e) => {
          if (e.key === 'Enter') setParams({ q: e.currentTarget.value.trim() });
        }}
        aria-label="Search"
      />
      {number !== null && (
        <Button component={Link} to={`/tickets/${number}`} variant="light" leftSection={<IconArrowRight size={16} />} w="fit-content">
          Open ticket #{number}
        </Button>
      )}
      {isSearchable(q) && <StaleDataNotice query={results} what="the results" />}
      {!isSearchable(q) ? (
        <EmptyState
          icon={<IconSearch size={26} stroke={1.5} />}
          title="Search everything"
          description="Type at least two characters. Ticket numbers like #1234 jump straight to the ticket."
        />
      ) : results.isPending ? (
        <ListSkeleton rows={6} />
      ) : results.isLoadingError ? (
        <ErrorState error={results.error} title="Search failed" onRetry={() => void results.refetch()} />
      ) : total === 0 ? (
        <EmptyState
          icon={<IconSearchOff size={26} stroke={1.5} />}
          title={`No results for “${q}”`}
          description="Try fewer words, an order number or a customer's email address."
        />
      ) : (
        <Stack gap="md">
          <Section title="Orders" count={orders.length}>
            {orders.map((m) => (
              <Anchor
                key={`${m.store.id}:${m.order.number}`}
                component={Link}
                to={orderPath(m)}
                underline="never"
                c="inherit"
                className={classes.item}
                data-testid="search-order"
              >
                <Group justify="space-between" wrap="nowrap">
                  <Text size="sm" fw={500} truncate>
                    Order {m.order.number} — {displayName(m.customer ?? { name: m.order.customer.name, email: m.order.customer.email })}
                  </Text>
                  <Group gap="xs" wrap="nowrap">
                    <OrderStateBadge state={m.order.status} />
                    <Text size="sm" fw={500}>
                      {formatMoney(m.order.total)}
                    </Text>
                  </Group>
                </Group>
                <Text size="xs" c="dimmed">
                  {m.matched_by === 'tracking_number' && m.order.tracking ? `Tracking number ${m.order.tracking.number} · ` : ''}
                  {m.order.status_label} · {m.store.name}
                </Text>
              </Anchor>
            ))}
          </Section>
          <Section title="Tickets" count={data?.tickets.length ?? 0}>
            {data?.tickets.map((t) => (
              <Anchor
                key={t.id}
                component={Link}
                to={`/tickets/${t.number}`}
                underline="never"
                c="inherit"
                className={classes.item}
                data-testid="search-ticket"
              >
                <Group justify="space-between" wrap="nowrap">
                  <Text size="sm" fw={500} truncate>
                    <Text span c="dimmed" size="sm">
                      #{t.number}
                    </Text>{' '}
                    {t.subject}
                  </Text>
                  <Group gap="xs" wrap="nowrap">
                    <StatusBadge status={t.status} />
                    <RelativeTime date={t.updated_at} />
                  </Group>
                </Group>
                {t.highlight ? (
                  <Snippet html={t.highlight} size="xs" c="dimmed" lineClamp={2} />
                ) : (
                  <Text size="xs" c="dimmed">
                    {displayName(t.customer)}
                  </Text>
                )}
              </Anchor>
            ))}
          </Section>
          <Section title="Messages" count={data?.messages.length ?? 0}>
            {data?.messages.map((m) => (
              <Anchor
                key={m.id}
                component={Link}
                to={`/tickets/${m.ticket_number}#message-${m.id}`}
                underline="never"
                c="inherit"
                className={classes.item}
                data-testid="search-message"
              >
                <Group justify="space-between" wrap="nowrap">
                  <Text size="sm" fw={500} truncate>
                    <Text span c="dimmed" size="sm">
                      #{m.ticket_number}
                    </Text>{' '}
                    {m.ticket_subject}
                  </Text>
                  <Group gap="xs" wrap="nowrap">
                    {m.kind === 'note' && (
                      <Badge size="xs" color="yellow" c="dark">
                        Note
                      </Badge>
                    )}
                    <RelativeTime date={m.created_at} />
                  </Group>
                </Group>
                <Snippet html={m.snippet} size="xs" c="dimmed" lineClamp={2} />
              </Anchor>
            ))}
          </Section>
          <Section title="Customers" count={data?.customers.length ?? 0}>
            {data?.customers.map((c) => (
              <Anchor
                key={c.id}
                component={Link}
                to={`/customers/${c.id}`}
                underline="never"
                c="inherit"
                className={classes.item}
                data-testid="search-customer"
              >
                <Text size="sm" fw={500}>
                  {displayName(c)}
                </Text>
                {c.email && c.name && (
                  <Text size="xs" c="dimmed">
                    {c.email}
                  </Text>
                )}
              </Anchor>
            ))}
          </Section>
        </Stack>
      )}
    </Stack>
  );
}
