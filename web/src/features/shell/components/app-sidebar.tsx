/**
 * The sidebar: inbox views with live counters, saved views, the customer directory, and for
 * managers up approvals, the consistency report and settings (each link with its least role).
 */
import { ActionIcon, Badge, Box, Menu, NavLink, ScrollArea, Skeleton, Stack, Text, Tooltip } from '@mantine/core';
import { IconBook2, IconBookmark, IconBuildingStore, IconChartBar, IconChecklist, IconCoins, IconDots, IconId, IconMailbox, IconMailForward, IconScale, IconTrash, IconUsers, IconUsersGroup } from '@tabler/icons-react';
import { NavLink as RouterNavLink, useLocation, useNavigate } from 'react-router';
import { errorMessage } from '../../../api/client';
import type { SavedView } from '../../../api/types';
import { formatCount } from '../../../ui/format';
import { notifyError, notifySuccess } from '../../../ui/notify';
import { hasRole } from '../../auth/components/require-role';
import { useMe } from '../../auth/hooks/use-session';
import { useTicketCounts } from '../../tickets/hooks/use-tickets';
import { useApprovalCount } from '../../authority/hooks/use-authority';
import { BUILTIN_VIEWS } from '../../views/builtin-views';
import { useDeleteView, useSavedViews } from '../../views/hooks/use-views';

function SectionLabel({ children }: { children: string }) {
  return (
    <Text size="xs" fw={600} c="dimmed" tt="uppercase" px="sm" pt="md" pb={4} style={{ letterSpacing: 0.4 }}>
      {children}
    </Text>
  );
}

function CountBadge({ value, active, loading }: { value: number | undefined; active: boolean; loading: boolean }) {
  if (loading) return <Skeleton h={14} w={22} radius="sm" />;
  if (value === undefined) return null;
  return (
    <Badge
      size="sm"
      variant={active ? 'filled' : 'light'}
      color={active ? undefined : 'gray'}
      radius="sm"
      miw={28}
      data-testid="view-count"
    >
      {formatCount(value)}
    </Badge>
  );
}

function SavedViewLink({ view, onNavigate }: { view: SavedView; onNavigate: () => void }) {
  const remove = useDeleteView();
  const navigate = useNavigate();
  const location = useLocation();
  const path = `/views/${view.id}`;
  return (
    <NavLink
      component={RouterNavLink}
      to={path}
      active={location.pathname === path}
      onClick={onNavigate}
      label={view.name}
      leftSection={view.shared ? <IconUsersGroup size={16} stroke={1.6} /> : <IconBookmark size={16} stroke={1.6} />}
      data-testid="saved-view-link"
      rightSection={
        <Menu position="bottom-end" withinPortal>
          <Menu.Target>
            <ActionIcon
              size="sm"
              variant="subtle"
              color="gray"
              aria-label={`Options for ${view.name}`}
              onClick={(event) => {
                event.preventDefault();
                event.stopPropagation();
              }}
            >
              <IconDots size={14} />
            </ActionIcon>
          </Menu.Target>
          <Menu.Dropdown>
            <Menu.Item
              color="red"
              leftSection={<IconTrash size={14} />}
              onClick={() =>
                remove.mutate(view.id, {
                  onSuccess: () => {
                    notifySuccess(`View “${view.name}” deleted`);
                    if (location.pathname === path) void navigate('/inbox/mine');
                  },
                  onError: (error) => notifyError(error, 'Could not delete the view'),
                })
              }
            >
              Delete view
            </Menu.Item>
          </Menu.Dropdown>
        </Menu>
      }
    />
  );
}

/** Settings pages and the least role that sees each (the section shows from manager up). */
const SETTINGS_LINKS = [
  { key: 'stores', path: '/settings/stores', label: 'Stores', icon: IconBuildingStore, role: 'admin' },
  { key: 'mailboxes', path: '/settings/mailboxes', label: 'Mailboxes', icon: IconMailbox, role: 'admin' },
  { key: 'outbox', path: '/settings/outbox', label: 'Outbox', icon: IconMailForward, role: 'admin' },
  { key: 'agents', path: '/settings/agents', label: 'Agents', icon: IconId, role: 'admin' },
  { key: 'policy', path: '/settings/policy', label: 'Store policy', icon: IconScale, role: 'manager' },
  { key: 'authority', path: '/settings/authority', label: 'Authority & budget', icon: IconCoins, role: 'manager' },
  { key: 'playbooks', path: '/settings/playbooks', label: 'Playbooks', icon: IconBook2, role: 'manager' },
] as const;

/** Sidebar navigation; `onNavigate` closes it on small screens. */
export function AppSidebar({ onNavigate }: { onNavigate: () => void }) {
  const counts = useTicketCounts();
  const views = useSavedViews();
  const location = useLocation();
  const me = useMe();
  const isManager = hasRole(me, 'manager');
  const approvals = useApprovalCount(isManager);

  return (
    <ScrollArea style={{ flex: 1 }} scrollbarSize={6}>
      <Stack gap={2} p="xs" pb="lg">
        <SectionLabel>Inbox</SectionLabel>
        {BUILTIN_VIEWS.map((view) => {
          const path = `/inbox/${view.key}`;
          const active = location.pathname === path;
          const Icon = view.icon;
          return (
            <NavLink
              key={view.key}
              component={RouterNavLink}
              to={path}
              active={active}
              onClick={onNavigate}
              label={view.label}
              leftSection={<Icon size={16} stroke={1.6} />}
              rightSection={<CountBadge value={counts.data?.[view.count]} active={active} loading={counts.isPending} />}
              data-testid={`view-${view.key}`}
              aria-label={`${view.label}${counts.data ? `, ${formatCount(counts.data[view.count])} tickets` : ''}`}
            />
          );
        })}
        {counts.isError && (
          <Tooltip label={errorMessage(counts.error)} multiline w={220}>
            <Text size="xs" c={counts.isRefetchError ? 'orange' : 'red'} px="sm" style={{ cursor: 'pointer' }} onClick={() => void counts.refetch()}>
              {/* Earlier counts stay on the badges when only a refresh failed. */}
              {counts.isRefetchError ? 'Counts not refreshed · retry' : 'Counts unavailable · retry'}
            </Text>
          </Tooltip>
        )}

        <SectionLabel>Saved views</SectionLabel>
        {views.isPending && (
          <Box px="sm">
            <Skeleton h={12} w="70%" my={8} />
            <Skeleton h={12} w="55%" my={8} />
          </Box>
        )}
        {views.isError && (
          <Text size="xs" c={views.isRefetchError ? 'orange' : 'red'} px="sm" style={{ cursor: 'pointer' }} onClick={() => void views.refetch()}>
            {/* Earlier views stay listed below when only a refresh failed. */}
            {views.isRefetchError ? 'Views not refreshed · retry' : 'Could not load views · retry'}
          </Text>
        )}
        {views.data?.length === 0 && (
          <Text size="xs" c="dimmed" px="sm" py={4}>
            Filter a list, then “Save view” to keep it here.
          </Text>
        )}
        {views.data?.map((view) => (
          <SavedViewLink key={view.id} view={view} onNavigate={onNavigate} />
        ))}

        <SectionLabel>Directory</SectionLabel>
        <NavLink
          component={RouterNavLink}
          to="/customers"
          active={location.pathname.startsWith('/customers')}
          onClick={onNavigate}
          label="Customers"
          leftSection={<IconUsers size={16} stroke={1.6} />}
          data-testid="nav-customers"
        />

        {isManager && (
          <>
            <SectionLabel>Manage</SectionLabel>
            <NavLink
              component={RouterNavLink}
              to="/approvals"
              active={location.pathname.startsWith('/approvals')}
              onClick={onNavigate}
              label="Approvals"
              leftSection={<IconChecklist size={16} stroke={1.6} />}
              rightSection={
                approvals.data && approvals.data.pending > 0 ? (
                  <Badge size="sm" color="orange" radius="sm" miw={28} data-testid="approvals-count">
                    {formatCount(approvals.data.pending)}
                  </Badge>
                ) : null
              }
              aria-label={`Approvals${approvals.data ? `, ${approvals.data.pending} waiting` : ''}`}
              data-testid="nav-approvals"
            />
            <NavLink
              component={RouterNavLink}
              to="/reports/consistency"
              active={location.pathname.startsWith('/reports')}
              onClick={onNavigate}
              label="Consistency report"
              leftSection={<IconChartBar size={16} stroke={1.6} />}
              data-testid="nav-reports"
            />

            <SectionLabel>Settings</SectionLabel>
            {SETTINGS_LINKS.filter((link) => hasRole(me, link.role)).map((link) => (
              <NavLink
                key={link.path}
                component={RouterNavLink}
                to={link.path}
                active={location.pathname.startsWith(link.path)}
                onClick={onNavigate}
                label={link.label}
                leftSection={<link.icon size={16} stroke={1.6} />}
                data-testid={`nav-settings-${link.key}`}
              />
            ))}
          </>
        )}
      </Stack>
    </ScrollArea>
  );
}
