/**
 * A customer's page: their card, order activity, orders, every recent ticket, and merging duplicates.
 * `?order=NW-10234` opens that order (global search links here).
 */
import { Anchor, Box, Button, Grid, Group, Paper, Skeleton, Stack, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconArrowLeft, IconGitMerge, IconUserOff } from '@tabler/icons-react';
import { Link, useParams, useSearchParams } from 'react-router';
import { CustomerCard } from '../features/customers/components/customer-card';
import { CustomerTickets } from '../features/customers/components/customer-tickets';
import { MergeCustomerModal } from '../features/customers/components/merge-customer-modal';
import { useCustomer } from '../features/customers/hooks/use-customers';
import { OrderActivity } from '../features/orders/components/order-activity';
import { OrdersPanel } from '../features/orders/components/orders-panel';
import { displayName } from '../ui/format';
import { LoadErrorState, StaleDataNotice } from '../ui/states';

export default function CustomerRoute() {
  const { id = '' } = useParams();
  const customer = useCustomer(id);
  const [params] = useSearchParams();
  const focusOrder = params.get('order') ?? undefined;
  const [mergeOpened, merge] = useDisclosure(false);

  if (customer.isPending) {
    return (
      <Stack p="lg" maw={1200} mx="auto" aria-busy="true">
        <Skeleton h={24} w={240} />
        <Grid>
          <Grid.Col span={{ base: 12, md: 4 }}>
            <Skeleton h={180} />
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 8 }}>
            <Skeleton h={300} />
          </Grid.Col>
        </Grid>
      </Stack>
    );
  }
  // The error page only without a customer to show; a failed refresh keeps them and says so.
  if (customer.isLoadingError) {
    return (
      <LoadErrorState
        error={customer.error}
        title="Could not load this customer"
        onRetry={() => void customer.refetch()}
        notFound={{ icon: <IconUserOff size={26} stroke={1.5} />, title: 'Customer not found', description: 'They may have been merged into another customer.', backTo: '/customers', backLabel: 'All customers' }}
      />
    );
  }

  const c = customer.data;

  return (
    <Stack gap="md" p="lg" maw={1200} mx="auto" data-testid="customer-page">
      <Anchor component={Link} to="/customers" size="xs" c="dimmed">
        <Group gap={4}>
          <IconArrowLeft size={13} /> Customers
        </Group>
      </Anchor>
      <StaleDataNotice query={customer} what="this customer" />
      <Group justify="space-between">
        <Title order={3}>{displayName({ name: c.name, email: c.identities[0]?.value }, 'Unnamed customer')}</Title>
        <Button variant="default" leftSection={<IconGitMerge size={16} />} onClick={merge.open} data-testid="merge-customer">
          Merge duplicate
        </Button>
      </Group>
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, md: 4 }}>
          <Stack gap="md">
            <CustomerCard customer={c} />
            <OrderActivity customerId={c.id} />
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 8 }}>
          <Paper withBorder radius="md" p="md" mb="md">
            <OrdersPanel customerId={c.id} focusNumber={focusOrder} />
          </Paper>
          <Paper withBorder radius="md" p="md">
            <Group justify="space-between" mb="xs">
              <Text fw={600} size="sm">
                Tickets
              </Text>
              <Text size="xs" c="dimmed">
                {c.tickets.length < c.ticket_count ? `Latest ${c.tickets.length} of ${c.ticket_count}` : `${c.ticket_count} in total`}
              </Text>
            </Group>
            <Box>
              <CustomerTickets tickets={c.tickets} emptyText="This customer has no tickets yet" inline />
            </Box>
          </Paper>
        </Grid.Col>
      </Grid>
      <MergeCustomerModal target={c} opened={mergeOpened} onClose={merge.close} />
    </Stack>
  );
}
