/**
 * Lets only signed-in agents past; everyone else goes to the sign-in page and comes back after.
 */
import { Button, Center, Loader, Stack } from '@mantine/core';
import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { ErrorState } from '../../../ui/states';
import { useSession } from '../hooks/use-session';

/** Renders children for a signed-in agent. */
export function RequireAuth({ children }: { children: ReactNode }) {
  const session = useSession();
  const location = useLocation();
  if (session.isPending) {
    return (
      <Center h="100vh">
        <Loader size="sm" />
      </Center>
    );
  }
  // Only when no answer about the session ever arrived: a failed re-check while an agent is signed
  // in keeps the app (and whatever they were writing) on screen; each screen says what it could
  // not refresh. A 401 is not an error here: useSession answers null, and that goes to sign-in.
  if (session.isLoadingError) {
    return (
      <Center h="100vh">
        <Stack w={460}>
          <ErrorState error={session.error} title="Cannot reach storedesk" onRetry={() => void session.refetch()} />
          <Button variant="subtle" component="a" href="/sign-in">
            Go to sign-in
          </Button>
        </Stack>
      </Center>
    );
  }
  if (!session.data) {
    const next = location.pathname + location.search;
    return <Navigate to={next === '/' ? '/sign-in' : `/sign-in?next=${encodeURIComponent(next)}`} replace />;
  }
  return children;
}
