/**
 * The customer directory: search by name or email, newest first.
 */
import { Avatar, Box, Button, Center, Group, Paper, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconSearch, IconUsers } from '@tabler/icons-react';
import { useNavigate, useSearchParams } from 'react-router';
import { useCustomerList } from '../features/customers/hooks/use-customers';
import { displayName } from '../ui/format';
import { RelativeTime } from '../ui/relative-time';
import { EmptyState, ErrorState, ListSkeleton, StaleDataNotice } from '../ui/states';

export default function CustomersRoute() {
  const [params, setParams] = useSearchParams();
  const navigate = useNavigate();
  const q = params.get('q') ?? '';
  const [debounced] = useDebouncedValue(q.trim(), 250);
  const list = useCustomerList(debounced);
  const customers = list.data?.pages.flatMap((p) => p.items) ?? [];

  let body;
  if (list.isPending) body = <ListSkeleton rows={10} height={48} />;
  else if (list.isLoadingError)
    body = <ErrorState error={list.error} title="Could not load customers" onRetry={() => void list.refetch()} />;
  else if (customers.length === 0)
    body = (
      <EmptyState
        icon={<IconUsers size={26} stroke={1.5} />}
        title={debounced ? 'No customers match' : 'No customers yet'}
        description={
          debounced ? `Nobody matches “${debounced}”. Try part of an email address.` : 'Customers appear as soon as they write in.'
        }
      />
    );
  else
    body = (
      <>
        <Table highlightOnHover verticalSpacing={8} horizontalSpacing="md" data-testid="customer-list">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              <Table.Th>Email</Table.Th>
              <Table.Th ta="right">Tickets</Table.Th>
              <Table.Th ta="right">Customer since</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {customers.map((c) => (
              <Table.Tr
                key={c.id}
                style={{ cursor: 'pointer' }}
                onClick={() => void navigate(`/customers/${c.id}`)}
                data-testid="customer-row"
              >
                <Table.Td>
                  <Group gap="sm" wrap="nowrap">
                    <Avatar name={displayName(c)} color="initials" size={28} radius="xl" />
                    <Text size="sm" fw={500}>
                      {displayName(c)}
                    </Text>
                  </Group>
                </Table.Td>
                <Table.Td>
                  <Text size="sm" c="dimmed">
                    {c.email ?? '—'}
                  </Text>
                </Table.Td>
                <Table.Td ta="right">
                  <Text size="sm">{c.ticket_count}</Text>
                </Table.Td>
                <Table.Td ta="right">
                  <RelativeTime date={c.created_at} />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        {list.hasNextPage && (
          <Center py="md">
            <Button variant="subtle" size="xs" loading={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>
              Load more
            </Button>
          </Center>
        )}
        {list.isFetchNextPageError && (
          <ErrorState error={list.error} title="Could not load more customers" onRetry={() => void list.fetchNextPage()} />
        )}
      </>
    );

  return (
    <Stack gap="md" p="lg" maw={1200} mx="auto">
      <Group justify="space-between" align="flex-end">
        <Title order={3}>Customers</Title>
        <TextInput
          w={320}
          placeholder="Search by name or email"
          leftSection={<IconSearch size={15} />}
          value={q}
          onChange={(e) => {
            const value = e.currentTarget.value;
            setParams(value ? { q: value } : {}, { replace: true });
          }}
          aria-label="Search customers"
          data-testid="customer-search"
        />
      </Group>
      <StaleDataNotice query={list} what="the customers" />
      <Paper withBorder radius="md" style={{ overflow: 'hidden' }}>
        <Box>{body}</Box>
      </Paper>
    </Stack>
  );
}
