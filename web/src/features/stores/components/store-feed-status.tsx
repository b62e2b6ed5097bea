/**
 * How a store's order changes reach storedesk, and whether that is working: pushed (built-in),
 * webhooks (last delivery), or polling (last poll, or the error that stops it).
 */
import { Badge, Group, Text, Tooltip } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import type { StoreConnection } from '../../../api/types';
import { formatDateTime } from '../../../ui/format';
import { RelativeTime } from '../../../ui/relative-time';

/** A badge with the feed's health and, when known, when it last brought changes. */
export function StoreFeedStatus({ store }: { store: StoreConnection }) {
  if (store.change_feed === null) {
    return (
      <Tooltip label="This storedesk has no connector for the store’s platform." multiline w={260}>
        <Badge size="sm" variant="light" color="red" leftSection={<IconAlertTriangle size={11} />}>
          Not installed
        </Badge>
      </Tooltip>
    );
  }
  if (store.change_feed === 'push') {
    return (
      <Badge size="sm" variant="light" color="teal">
        Live
      </Badge>
    );
  }
  if (store.last_sync_error) {
    return (
      <Tooltip label={store.last_sync_error} multiline w={320}>
        <Badge size="sm" variant="light" color="red" leftSection={<IconAlertTriangle size={11} />} data-testid="store-feed-error">
          Failing
        </Badge>
      </Tooltip>
    );
  }
  const last = store.change_feed === 'webhook' ? store.last_webhook_at : store.last_synced_at;
  if (!last) {
    return (
      <Badge size="sm" variant="light" color="gray">
        {store.change_feed === 'webhook' ? 'No webhook yet' : 'Not polled yet'}
      </Badge>
    );
  }
  return (
    <Group gap={6} wrap="nowrap">
      <Badge size="sm" variant="light" color="teal">
        OK
      </Badge>
      <Tooltip label={`${store.change_feed === 'webhook' ? 'Last webhook' : 'Last poll'} ${formatDateTime(last)}`}>
        <Text size="xs" c="dimmed" span>
          <RelativeTime date={last} />
        </Text>
      </Tooltip>
    </Group>
  );
}

/** How the feed works, in words. */
export function feedDescription(feed: StoreConnection['change_feed']): string {
  switch (feed) {
    case 'push':
      return 'Changes arrive as they happen.';
    case 'webhook':
      return 'The platform sends webhooks to storedesk.';
    case 'poll':
      return 'storedesk asks the platform for changes every minute.';
    case 'none':
      return 'This platform reports no changes; orders are read when agents open them.';
    default:
      return 'Unknown.';
  }
}
