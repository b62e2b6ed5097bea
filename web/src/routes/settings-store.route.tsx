/**
 * Settings → one store: connect a new one (`/settings/stores/new`), or change a connection, test
 * it, see where webhooks go and poll now.
 */
import { Alert, Anchor, Button, Code, CopyButton, Group, Paper, Skeleton, Stack, Text } from '@mantine/core';
import { IconArrowLeft, IconBuildingStore, IconCheck, IconCopy, IconPlugConnected, IconRefresh } from '@tabler/icons-react';
import { Link, useNavigate, useParams } from 'react-router';
import type { StoreConnection } from '../api/types';
import { StoreConnectionForm } from '../features/stores/components/store-connection-form';
import { feedDescription, StoreFeedStatus } from '../features/stores/components/store-feed-status';
import { useSaveStore, useStoreConnection, useStorePlatforms, useSyncStore, useTestStoreConnection } from '../features/stores/hooks/use-stores';
import { notifyError, notifySuccess } from '../ui/notify';
import { PageHeader } from '../ui/page-header';
import { ErrorState, LoadErrorState, StaleDataNotice } from '../ui/states';

function Back() {
  return (
    <Anchor component={Link} to="/settings/stores" size="xs" c="dimmed">
      <Group gap={4}>
        <IconArrowLeft size={13} /> Stores
      </Group>
    </Anchor>
  );
}

function ConnectionPanel({ store }: { store: StoreConnection }) {
  const test = useTestStoreConnection(store.id);
  const sync = useSyncStore(store.id);
  const webhookUrl = store.webhook_path ? `${window.location.origin}${store.webhook_path}` : null;
  return (
    <Paper withBorder radius="md" p="md" data-testid="store-connection-panel">
      <Stack gap="sm">
        <Group justify="space-between">
          <Group gap="xs">
            <Text fw={600} size="sm">
              Order changes
            </Text>
            <StoreFeedStatus store={store} />
          </Group>
          <Group gap="xs">
            {store.change_feed === 'poll' && (
              <Button
                size="xs"
                variant="default"
                leftSection={<IconRefresh size={14} />}
                loading={sync.isPending}
                onClick={() =>
                  sync.mutate(undefined, {
                    onSuccess: (r) => (r.error ? notifyError(new Error(r.error), 'The store could not be polled') : notifySuccess(`${r.recorded} new order ${r.recorded === 1 ? 'change' : 'changes'}`)),
                    onError: (e) => notifyError(e, 'The store could not be polled'),
                  })
                }
              >
                Poll now
              </Button>
            )}
            <Button size="xs" leftSection={<IconPlugConnected size={14} />} loading={test.isPending} onClick={() => test.mutate()} data-testid="store-test">
              Test connection
            </Button>
          </Group>
        </Group>
        <Text size="sm" c="dimmed">
          {feedDescription(store.change_feed)}
        </Text>
        {webhookUrl && (
          <Group gap="xs" wrap="nowrap">
            <Text size="sm">Webhook address:</Text>
            <Code style={{ overflowWrap: 'anywhere' }} data-testid="store-webhook-url">
              {webhookUrl}
            </Code>
            <CopyButton value={webhookUrl}>
              {({ copied, copy }) => (
                <Button size="compact-xs" variant="subtle" onClick={copy} leftSection={copied ? <IconCheck size={12} /> : <IconCopy size={12} />}>
                  {copied ? 'Copied' : 'Copy'}
                </Button>
              )}
            </CopyButton>
          </Group>
        )}
        {test.isSuccess && (
          <Alert color="teal" icon={<IconCheck size={16} />} data-testid="store-test-ok">
            Connected: {test.data.detail}
          </Alert>
        )}
        {test.isError && (
          <Alert color="red" title="The store did not answer" data-testid="store-test-error">
            {test.error instanceof Error ? test.error.message : 'The connection test failed.'}
          </Alert>
        )}
      </Stack>
    </Paper>
  );
}

export default function StoreRoute() {
  const { id } = useParams();
  const navigate = useNavigate();
  const platforms = useStorePlatforms();
  const connection = useStoreConnection(id);
  const save = useSaveStore(id);

  if (platforms.isPending || (id && connection.isPending)) {
    return (
      <Stack p="lg" maw={1000} mx="auto" aria-busy="true">
        <Skeleton h={24} w={260} />
        <Skeleton h={420} radius="md" />
      </Stack>
    );
  }
  // Error pages only for what has nothing to show; a failed refresh keeps the form and says so.
  if (id && connection.isLoadingError) {
    return (
      <LoadErrorState
        error={connection.error}
        title="Could not load the store"
        onRetry={() => void connection.refetch()}
        notFound={{ icon: <IconBuildingStore size={26} stroke={1.5} />, title: 'Store not found', description: 'It may have been removed.', backTo: '/settings/stores', backLabel: 'All stores' }}
      />
    );
  }
  if (platforms.isLoadingError) return <ErrorState error={platforms.error} title="Could not load the store platforms" onRetry={() => void platforms.refetch()} />;
  const existing = id ? connection.data : undefined;

  return (
    <Stack gap="md" p="lg" maw={1000} mx="auto" data-testid="store-page">
      <Back />
      {id && <StaleDataNotice query={connection} what="this store" />}
      <StaleDataNotice query={platforms} what="the store platforms" />
      <PageHeader
        title={existing ? existing.name : 'Connect a store'}
        description={
          existing
            ? `${existing.platform_name}. Credentials are write-only: stored encrypted and never shown again.`
            : 'Agents will see this store’s orders beside every conversation and act on them from the ticket.'
        }
      />
      {existing && <ConnectionPanel store={existing} />}
      <Paper withBorder radius="md" p="md">
        <StoreConnectionForm
          key={existing?.id ?? 'new'}
          existing={existing}
          platforms={platforms.data}
          saving={save.isPending}
          error={save.error}
          onCancel={() => void navigate('/settings/stores')}
          onSubmit={(input) =>
            save.mutate(input, {
              onSuccess: (saved) => {
                notifySuccess(existing ? `${saved.name} saved` : `${saved.name} connected`);
                if (!existing) void navigate(`/settings/stores/${saved.id}`);
              },
            })
          }
        />
      </Paper>
    </Stack>
  );
}
