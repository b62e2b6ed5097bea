/**
 * What a page shows when it fails to render, instead of React Router's bare developer screen.
 *
 * The common case is an upgrade: storedesk was updated while the tab was open, so the page's
 * code chunks (named by their content hash) are gone from the server. The tab then reloads once
 * by itself to fetch the new version; if that does not help, the person is told what happened
 * and given a button, never a stack trace.
 */
import { Alert, Button, Center, Group, Stack, Text } from '@mantine/core';
import { IconAlertTriangle, IconRefresh } from '@tabler/icons-react';
import { Link, useRouteError } from 'react-router';
import { INBOX_PATH } from '../features/views/builtin-views';

const RELOADED_AT = 'storedesk:reloaded-for-new-version';
/** A reload within this long after the last one did not help: stop and ask the person. */
const RELOAD_GRACE_MS = 30_000;

/** Whether the error is a page chunk that could not be fetched (a new version was deployed, or the network dropped). */
export function isChunkLoadError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  return /dynamically imported module|Importing a module script failed|error loading dynamically imported module|Unable to preload CSS/i.test(error.message);
}

/**
 * Reloads the page to pick up a new version, unless a reload for that reason just happened
 * (then the chunk is missing for another reason, and reloading again would loop). Returns
 * whether it reloads.
 */
export function reloadForNewVersion(): boolean {
  const last = Number(sessionStorage.getItem(RELOADED_AT) ?? 0);
  if (Date.now() - last < RELOAD_GRACE_MS) return false;
  sessionStorage.setItem(RELOADED_AT, String(Date.now()));
  window.location.reload();
  return true;
}

/** The error element of the workspace's routes. */
export function RouteError() {
  const error = useRouteError();
  const chunk = isChunkLoadError(error);
  if (chunk && reloadForNewVersion()) {
    return (
      <Center p="xl" data-testid="route-reloading">
        <Text size="sm" c="dimmed">
          Loading the new version of storedesk…
        </Text>
      </Center>
    );
  }
  return (
    <Center p="xl">
      <Stack maw={520} w="100%" data-testid="route-error">
        <Alert
          color={chunk ? 'yellow' : 'red'}
          variant="light"
          icon={<IconAlertTriangle size={18} />}
          title={chunk ? 'This page could not be loaded' : 'Something went wrong on this page'}
        >
          <Text size="sm">
            {chunk
              ? 'storedesk may have been updated since this tab was opened, or the connection dropped. Reloading gets the current version; nothing you saved is lost.'
              : 'The page stopped working. Reloading usually helps; if it happens again, tell your administrator what you were doing.'}
          </Text>
          {!chunk && error instanceof Error && (
            <Text size="xs" c="dimmed" mt={6} data-testid="route-error-detail">
              {error.message}
            </Text>
          )}
        </Alert>
        <Group>
          <Button leftSection={<IconRefresh size={14} />} onClick={() => window.location.reload()} data-testid="route-error-reload">
            Reload
          </Button>
          <Button variant="default" component={Link} to={INBOX_PATH} reloadDocument>
            Back to the inbox
          </Button>
        </Group>
      </Stack>
    </Center>
  );
}
