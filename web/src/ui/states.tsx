/**
 * The three states every list has besides "data": empty, loading and failed.
 */
import { Alert, Box, Button, Center, Group, Skeleton, Stack, Text, ThemeIcon } from '@mantine/core';
import { IconAlertTriangle, IconInbox, IconRefresh } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { errorMessage, isApiError } from '../api/client';

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
