/**
 * Settings → Stores: every store (brand) connected to this storedesk, the platform its orders
 * live on, and whether order changes are coming in.
 */
import { Badge, Button, Paper, Stack, Table, Text } from '@mantine/core';
import { IconBuildingStore, IconPlus } from '@tabler/icons-react';
import { Link, useNavigate } from 'react-router';
import { StoreFeedStatus } from '../features/stores/components/store-feed-status';
import { useStoreConnections } from '../features/stores/hooks/use-stores';
import { PageHeader } from '../ui/page-header';
import { EmptyState, ErrorState, ListSkeleton, StaleDataNotice } from '../ui/states';

export default function StoresRoute() {
  const connections = useStoreConnections();
  const navigate = useNavigate();

  let body;
  if (connections.isPending) body = <ListSkeleton rows={3} />;
  else if (connections.isLoadingError) body = <ErrorState error={connections.error} title="Could not load the stores" onRetry={() => void connections.refetch()} />;
  else if (connections.data.length === 0)
    body = (
      <EmptyState
        icon={<IconBuildingStore size={26} stroke={1.5} />}
        title="No stores yet"
        description="Connect your shop (Vendure, Medusa, Shopify) or use the built-in store, so agents see every customer's orders beside the conversation."
        action={
          <Button component={Link} to="/settings/stores/new" leftSection={<IconPlus size={16} />}>
            Connect a store
          </Button>
        }
      />
    );
  else
    body = (
      <Table highlightOnHover verticalSpacing="sm" horizontalSpacing="md" data-testid="store-list">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Store</Table.Th>
            <Table.Th>Platform</Table.Th>
            <Table.Th>Order numbers</Table.Th>
            <Table.Th>Order changes</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {connections.data.map((s) => (
            <Table.Tr key={s.id} style={{ cursor: 'pointer' }} onClick={() => void navigate(`/settings/stores/${s.id}`)} data-testid="store-row">
              <Table.Td>
                <Text component={Link} to={`/settings/stores/${s.id}`} size="sm" fw={600} c="var(--mantine-color-text)" onClick={(e) => e.stopPropagation()}>
                  {s.name}
                </Text>
                <Text size="xs" c="dimmed">
                  {s.currency} · {s.timezone}
                </Text>
              </Table.Td>
              <Table.Td>
                <Badge variant="light" color={s.platform === 'builtin' ? 'gray' : 'indigo'}>
                  {s.platform_name}
                </Badge>
              </Table.Td>
              <Table.Td>
                <Text size="xs" ff="monospace">
                  {s.order_number_pattern ? `/${s.order_number_pattern}/` : `${s.order_number_prefix ?? ''}12345`}
                </Text>
              </Table.Td>
              <Table.Td>
                <StoreFeedStatus store={s} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    );

  return (
    <Stack gap="md" p="lg" maw={1100} mx="auto" data-testid="stores-page">
      <PageHeader
        title="Stores"
        description="Each store (brand) and the platform its orders live on. Agents see the orders beside every conversation and act on them from the ticket."
        actions={
          <Button component={Link} to="/settings/stores/new" leftSection={<IconPlus size={16} />} data-testid="add-store">
            Connect a store
          </Button>
        }
      />
      <StaleDataNotice query={connections} what="the stores" />
      <Paper withBorder radius="md">
        {body}
      </Paper>
    </Stack>
  );
}
