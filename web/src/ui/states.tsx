/**
 * The states every list has besides "data": empty, loading and failed, plus the notice shown over
 * data that is still on screen when refreshing it failed.
 */
import { Alert, Box, type AlertProps, Button, Center, Group, Skeleton, Stack, Text, ThemeIcon } from '@mantine/core';
import { IconAlertTriangle, IconInbox, IconRefresh } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { errorMessage, isApiError } from '../api/client';
import { formatDateTime } from './format';

/** A friendly "nothing here" panel. */
export function EmptyState({
  icon,
  title,
  description,
  action,
  compact = false,
}: {
  icon?: ReactNode;
  title: string;
  description?: ReactNode;
  action?: ReactNode;
  compact?: boolean;
}) {
  return (
    <Center py={compact ? 'lg' : 64} px="md" data-testid="empty-state">
      <Stack align="center" gap={compact ? 4 : 'xs'} maw={380}>
        {!compact && (
          <ThemeIcon size={48} radius="xl" variant="light" color="gray">
            {icon ?? <IconInbox size={26} stroke={1.5} />}
          </ThemeIcon>
        )}
        <Text fw={compact ? 400 : 600} size={compact ? 'sm' : 'md'} c={compact ? 'dimmed' : undefined} ta="center">
          {title}
        </Text>
        {description && (
          <Text size="sm" c="dimmed" ta="center">
            {description}
          </Text>
        )}
        {action && <Box mt="xs">{action}</Box>}
      </Stack>
    </Center>
  );
}

/** An inline error with the server's message and a retry button. */
export function ErrorState({
  error,
  onRetry,
  title = 'Could not load this',
  compact = false,
}: {
  error: unknown;
  onRetry?: () => void;
  title?: string;
  compact?: boolean;
}) {
  return (
    <Box p={compact ? 0 : 'md'} data-testid="error-state">
      <Alert color="red" variant="light" icon={<IconAlertTriangle size={18} />} title={title}>
        <Group justify="space-between" wrap="nowrap" gap="md" align="flex-start">
          <Text size="sm">{errorMessage(error)}</Text>
          {onRetry && (
            <Button size="xs" variant="white" color="red" leftSection={<IconRefresh size={14} />} onClick={onRetry}>
              Retry
            </Button>
          )}
        </Group>
      </Alert>
    </Box>
  );
}

/**
 * One record that failed to load: for a 404 a "not found" panel with a way back, otherwise the
 * server's error with a retry.
 */
export function LoadErrorState({
  error,
  title,
  onRetry,
  notFound,
}: {
  error: unknown;
  title: string;
  onRetry: () => void;
  notFound: { icon: ReactNode; title: string; description: string; backTo: string; backLabel: ReactNode };
}) {
  if (isApiError(error) && error.status === 404) {
    return (
      <EmptyState
        icon={notFound.icon}
        title={notFound.title}
        description={notFound.description}
        action={
          <Button component={Link} to={notFound.backTo} variant="light">
            {notFound.backLabel}
          </Button>
        }
      />
    );
  }
  return <ErrorState error={error} title={title} onRetry={onRetry} />;
}

/**
 * The part of a react-query result (plain or infinite) that says whether its last refresh failed
 * while earlier data is still held. `isRefetchError` is react-query's own "failed, but has data";
 * for an infinite query it leaves out a failed "load more", which its list reports itself.
 */
export interface RefreshableQuery {
  isRefetchError: boolean;
  error: unknown;
  /** When the data on screen was loaded (ms since the epoch). */
  dataUpdatedAt: number;
  isFetching: boolean;
  refetch: () => Promise<unknown>;
}

const clockTime = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });

/** "14:05" for today, the date and time for an earlier day. */
function loadedAt(ms: number): string {
  const then = new Date(ms);
  return then.toDateString() === new Date().toDateString() ? clockTime.format(then) : formatDateTime(then.toISOString());
}

/** Ends a message with a full stop unless it already has one. */
function asSentence(message: string): string {
  return /[.!?]$/.test(message) ? message : `${message}.`;
}

/**
 * A small notice for data that could not be refreshed: the screen keeps showing what was loaded
 * (a network blip or a restarting server must not take away a conversation or a half-written
 * reply), says since when, and offers a retry. Renders nothing unless the last refresh failed.
 * Use it beside the data; screens show ErrorState only when there is no data (`isLoadingError`).
 */
export function StaleDataNotice({
  query,
  what = 'this',
  compact = false,
  ...margins
}: {
  query: RefreshableQuery;
  /** What could not be refreshed, as in "Could not refresh <what>": "this ticket", "the orders". */
  what?: string;
  compact?: boolean;
} & Pick<AlertProps, 'm' | 'mx' | 'my' | 'mt' | 'mb'>) {
  if (!query.isRefetchError) return null;
  return (
    <Alert {...margins} color="orange" variant="light" p={compact ? 'xs' : undefined} icon={compact ? undefined : <IconAlertTriangle size={16} />} data-testid="stale-data-notice">
      <Group justify="space-between" wrap="nowrap" gap="sm">
        <Text size={compact ? 'xs' : 'sm'}>
          Could not refresh {what}: {asSentence(errorMessage(query.error))} Showing what was loaded at {loadedAt(query.dataUpdatedAt)}.
        </Text>
        <Button
          size="compact-xs"
          variant="white"
          color="orange"
          leftSection={<IconRefresh size={12} />}
          loading={query.isFetching}
          onClick={() => void query.refetch()}
          data-testid="stale-data-retry"
        >
          Retry
        </Button>
      </Group>
    </Alert>
  );
}

/** Placeholder rows while a list loads. */
export function ListSkeleton({ rows = 8, height = 52 }: { rows?: number; height?: number }) {
  return (
    <Stack gap={0} data-testid="list-skeleton" aria-busy="true" aria-label="Loading">
      {Array.from({ length: rows }, (_, i) => (
        <Group key={i} h={height} px="md" gap="md" wrap="nowrap" style={{ borderBottom: '1px solid var(--mantine-color-default-border)' }}>
          <Skeleton circle h={22} w={22} />
          <Stack gap={6} style={{ flex: 1 }}>
            <Skeleton h={10} w={`${40 + ((i * 17) % 35)}%`} />
            <Skeleton h={8} w={`${55 + ((i * 23) % 30)}%`} />
          </Stack>
          <Skeleton h={18} w={56} />
          <Skeleton h={10} w={48} />
        </Group>
      ))}
    </Stack>
  );
}
