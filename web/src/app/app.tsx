/**
 * The app root: theme, notifications, data cache and routes.
 */
import { MantineProvider } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { QueryClientProvider } from '@tanstack/react-query';
import { Suspense } from 'react';
import { RouterProvider } from 'react-router';
import { setUnauthenticatedHandler } from '../api/client';
import { queryKeys } from '../api/query-keys';
import { PageLoader } from '../features/shell/components/app-layout';
import { queryClient } from './query-client';
import { router } from './router';
import { theme } from './theme';

// A 401 from any call means the session ended: forget the agent, and the auth guard sends
// them to sign-in (remembering where they were).
setUnauthenticatedHandler(() => {
  queryClient.setQueryData(queryKeys.me, null);
});

/** The workspace. */
export function App() {
  return (
    <MantineProvider theme={theme} defaultColorScheme="light">
      <Notifications position="bottom-left" limit={4} />
      <QueryClientProvider client={queryClient}>
        <Suspense fallback={<PageLoader />}>
          <RouterProvider router={router} />
        </Suspense>
      </QueryClientProvider>
    </MantineProvider>
  );
}
