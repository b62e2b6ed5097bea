/**
 * One order on its own page (search opens it when the customer never wrote to support): the
 * order in full, who placed it, and every ticket about it.
 */
import { Anchor, Avatar, Box, Grid, Group, Paper, Skeleton, Stack, Text, Title } from '@mantine/core';
import { IconArrowLeft, IconShoppingCartOff } from '@tabler/icons-react';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { OrderCard } from '../features/orders/components/order-card';
import { useOrder } from '../features/orders/hooks/use-orders';
import { StatusBadge } from '../features/tickets/ticket-meta';
import { displayName } from '../ui/format';
import { RelativeTime } from '../ui/relative-time';
import { EmptyState, LoadErrorState, StaleDataNotice } from '../ui/states';
import classes from '../features/customers/components/customer-tickets.module.css';

export default function OrderRoute() {
  const { storeId = '', number = '' } = useParams();
  const detail = useOrder(storeId, number);
  const [expanded, setExpanded] = useState(true);

  if (detail.isPending) {
    return (
      <Stack p="lg" maw={1100} mx="auto" aria-busy="true">
        <Skeleton h={24} w={220} />
        <Skeleton h={320} />
      </Stack>
    );
  }
  // The error page only without an order to show; a failed refresh keeps it and says so.
  if (detail.isLoadingError) {
    return (
      <LoadErrorState
        error={detail.error}
        title="Could not load this order"
        onRetry={() => void detail.refetch()}
        notFound={{ icon: <IconShoppingCartOff size={26} stroke={1.5} />, title: `Order ${number} not found`, description: 'The store has no order with that number.', backTo: '/customers', backLabel: 'Customers' }}
      />
    );
  }

  const { order, store, capabilities, customer, tickets } = detail.data;
  const buyer = customer ?? { name: order.customer.name, email: order.customer.email };
  const sorted = tickets.toSorted((a, b) => b.updated_at.localeCompare(a.updated_at));

  return (
    <Stack gap="md" p="lg" maw={1100} mx="auto" data-testid="order-page">
      <Anchor component={Link} to="/customers" size="xs" c="dimmed">
        <Group gap={4}>
          <IconArrowLeft size={13} /> Customers
        </Group>
      </Anchor>
      <StaleDataNotice query={detail} what="this order" />
      <Group justify="space-between">
        <Title order={3}>Order {order.number}</Title>
        <Text size="sm" c="dimmed">
          {store.name}
        </Text>
      </Group>
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, md: 7 }}>
          <OrderCard order={order} capabilities={capabilities} expanded={expanded} onToggle={() => setExpanded((e) => !e)} />
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Stack gap="md">
            <Paper withBorder radius="md" p="md">
              <Text size="xs" fw={600} c="dimmed" tt="uppercase" mb="xs" style={{ letterSpacing: 0.4 }}>
                Placed by
              </Text>
              <Group gap="sm" wrap="nowrap">
                <Avatar name={displayName(buyer)} color="initials" radius="xl" />
                <Box style={{ minWidth: 0 }}>
                  {customer ? (
                    <Anchor component={Link} to={`/customers/${customer.id}`} fw={600} size="sm">
                      {displayName(customer)}
                    </Anchor>
                  ) : (
                    <Text fw={600} size="sm">
                      {displayName(buyer, 'Guest')}
                    </Text>
                  )}
                  <Text size="xs" c="dimmed" truncate>
                    {buyer.email ?? 'No email'}
                    {!customer && ' · has not contacted support'}
                  </Text>
                </Box>
              </Group>
            </Paper>
            <Paper withBorder radius="md" p="md">
              <Text size="xs" fw={600} c="dimmed" tt="uppercase" mb="xs" style={{ letterSpacing: 0.4 }}>
                Tickets about this order
              </Text>
              {sorted.length === 0 ? (
                <EmptyState compact title="No tickets mention this order" />
              ) : (
                <Stack gap={2} data-testid="order-tickets">
                  {sorted.map((t) => (
                    <Anchor key={t.id} component={Link} to={`/tickets/${t.number}`} underline="never" c="inherit" className={classes.item}>
                      <Group justify="space-between" wrap="nowrap" gap="xs">
                        <Text size="sm" truncate>
                          <Text span c="dimmed" size="sm">
                            #{t.number}
                          </Text>{' '}
                          {t.subject || '(no subject)'}
                        </Text>
                        <Group gap="xs" wrap="nowrap">
                          <StatusBadge status={t.status} size="xs" miw={0} />
                          <RelativeTime date={t.updated_at} />
                        </Group>
                      </Group>
                    </Anchor>
                  ))}
                </Stack>
              )}
            </Paper>
          </Stack>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}
