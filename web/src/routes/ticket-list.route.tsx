/**
 * A ticket list page: a built-in inbox view (/inbox/:view) or a saved view (/views/:viewId),
 * narrowed by the filter bar. URL query parameters override the view's own filters.
 */
import { ActionIcon, Box, Button, Group, Stack, Text, Title, Tooltip } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useQueryClient } from '@tanstack/react-query';
import { IconFilterOff, IconRefresh, IconUsersGroup } from '@tabler/icons-react';
import { useMemo } from 'react';
import { useLocation, useParams, useSearchParams } from 'react-router';
import { queryKeys } from '../api/query-keys';
import type { TicketFilters } from '../api/types';
import { TicketFilterBar } from '../features/tickets/components/ticket-filter-bar';
import { TicketList } from '../features/tickets/components/ticket-list';
import { useTicketCounts } from '../features/tickets/hooks/use-tickets';
import { effectiveFilters, filtersDiffer, findBuiltinView, FILTER_KEYS, type FilterKey } from '../features/views/builtin-views';
import { SaveViewModal } from '../features/views/components/save-view-modal';
import { useSavedViews } from '../features/views/hooks/use-views';
import { formatCount } from '../ui/format';
import { EmptyState, ErrorState, ListSkeleton, StaleDataNotice } from '../ui/states';

export default function TicketListRoute() {
  const { view: viewKey, viewId } = useParams();
  const [params, setParams] = useSearchParams();
  const location = useLocation();
  const client = useQueryClient();
  const counts = useTicketCounts();
  const savedViews = useSavedViews();
  const [saveOpened, save] = useDisclosure(false);

  const builtin = viewKey ? findBuiltinView(viewKey) : undefined;
  const saved = viewId ? savedViews.data?.find((v) => v.id === viewId) : undefined;
  const base: TicketFilters | undefined = builtin?.filters ?? saved?.filters;
  const title = builtin?.label ?? saved?.name ?? 'Tickets';

  const filters = useMemo(() => (base ? effectiveFilters(base, params) : {}), [base, params]);
  const modified = base ? filtersDiffer(base, filters) : false;

  const setFilter = (key: FilterKey, value: string) => {
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        const baseValue = base?.[key] ?? '';
        if (value === baseValue) next.delete(key);
        else next.set(key, value);
        return next;
      },
      { replace: true },
    );
  };
  const resetFilters = () => {
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        for (const key of FILTER_KEYS) next.delete(key);
        return next;
      },
      { replace: true },
    );
  };

  if (viewId && savedViews.isPending) {
    return (
      <Box p="lg">
        <ListSkeleton rows={8} />
      </Box>
    );
  }
  // Without the saved views there is no view to show; with earlier ones, the list goes on.
  if (viewId && savedViews.isLoadingError) {
    return <ErrorState error={savedViews.error} title="Could not load this view" onRetry={() => void savedViews.refetch()} />;
  }
  if (!base) {
    return <EmptyState title="This view does not exist" description="It may have been deleted by its owner." />;
  }

  const count = builtin && !modified ? counts.data?.[builtin.count] : undefined;
  const emptyText = modified ? 'No tickets match these filters.' : (builtin?.emptyText ?? 'No tickets match this view.');

  return (
    <Stack gap="md" p="lg" maw={1600} mx="auto">
      <Group justify="space-between" align="flex-end" wrap="nowrap">
        <Group gap="sm" align="baseline">
          <Title order={3} data-testid="list-title">
            {title}
          </Title>
          {count !== undefined && (
            <Text c="dimmed" size="sm">
              {formatCount(count)} {count === 1 ? 'ticket' : 'tickets'}
            </Text>
          )}
          {saved?.shared && (
            <Tooltip label="Shared with the team">
              <IconUsersGroup size={16} color="var(--mantine-color-dimmed)" />
            </Tooltip>
          )}
        </Group>
        <Tooltip label="Refresh">
          <ActionIcon
            variant="subtle"
            color="gray"
            aria-label="Refresh"
            onClick={() => {
              void client.invalidateQueries({ queryKey: queryKeys.ticketLists });
              void client.invalidateQueries({ queryKey: queryKeys.counts });
            }}
          >
            <IconRefresh size={16} />
          </ActionIcon>
        </Tooltip>
      </Group>

      {viewId && <StaleDataNotice query={savedViews} what="the saved views" compact />}

      <TicketFilterBar filters={filters} modified={modified} onChange={setFilter} onReset={resetFilters} onSave={save.open} />

      <TicketList
        filters={filters}
        listPath={location.pathname + location.search}
        title={title}
        empty={
          <EmptyState
            title={modified ? 'Nothing matches' : 'All caught up'}
            description={emptyText}
            action={
              modified ? (
                <Button variant="light" size="xs" leftSection={<IconFilterOff size={14} />} onClick={resetFilters}>
                  Reset filters
                </Button>
              ) : undefined
            }
          />
        }
      />

      <SaveViewModal opened={saveOpened} onClose={save.close} filters={filters} />
    </Stack>
  );
}
