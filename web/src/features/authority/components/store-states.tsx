/**
 * What a per-store manager page shows before it has a store to show: the stores loading, the
 * stores failing to load, or no store at all (with the way to connect one).
 */
import { Button } from '@mantine/core';
import { IconBuildingStore } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { hasRole } from '../../auth/components/require-role';
import { useMe } from '../../auth/hooks/use-session';
import { useStores } from '../../stores/hooks/use-stores';
import { EmptyState, ErrorState, ListSkeleton } from '../../../ui/states';

/** No store connected: admins get a link to Settings → Stores, others are told whom to ask. */
export function NoStoreState({ what }: { what: string }) {
  const me = useMe();
  const isAdmin = hasRole(me, 'admin');
  return (
    <EmptyState
      icon={<IconBuildingStore size={26} stroke={1.5} />}
      title="No store connected yet"
      description={`${what} are set per store. ${isAdmin ? 'Connect a store first.' : 'Ask an admin to connect a store in Settings → Stores.'}`}
      action={
        isAdmin ? (
          <Button component={Link} to="/settings/stores" variant="light" leftSection={<IconBuildingStore size={16} />} data-testid="connect-store">
            Settings → Stores
          </Button>
        ) : undefined
      }
    />
  );
}

/**
 * The page body while the stores load, when they fail, or when there is none; null once there
 * is a store to show (the page then renders its own states for the store's data).
 */
export function useStoresState(what: string, rows = 6): ReactNode | null {
  const stores = useStores();
  if (stores.isPending) return <ListSkeleton rows={rows} />;
  // Only without a list of stores: with an earlier one the page goes on (the picker still works).
  if (stores.isLoadingError) return <ErrorState error={stores.error} title="Could not load the stores" onRetry={() => void stores.refetch()} />;
  if (stores.data.length === 0) return <NoStoreState what={what} />;
  return null;
}
