/**
 * The signed-in workspace frame: header (search, new ticket, live indicator, account), sidebar
 * (views and counters) and the page. Global shortcuts live here.
 */
import {
  ActionIcon,
  AppShell,
  Avatar,
  Burger,
  Button,
  Center,
  Group,
  Loader,
  Menu,
  Text,
  Tooltip,
  UnstyledButton,
  useComputedColorScheme,
  useMantineColorScheme,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconKeyboard, IconLogout, IconMoon, IconPlus, IconSun } from '@tabler/icons-react';
import { Suspense, useRef } from 'react';
import { Link, Outlet, useNavigate } from 'react-router';
import { humanize } from '../../../ui/format';
import { notifyError } from '../../../ui/notify';
import { useShortcuts, withShortcut } from '../../../ui/shortcuts';
import { useLogout, useMe } from '../../auth/hooks/use-session';
import { LiveIndicator } from '../../live/components/live-indicator';
import { LiveStreamProvider } from '../../live/live-stream';
import { GlobalSearch } from '../../search/components/global-search';
import { NewTicketModal } from '../../tickets/components/new-ticket-modal';
import { INBOX_PATH } from '../../views/builtin-views';
import { AppSidebar } from './app-sidebar';
import { ShortcutsModal } from './shortcuts-modal';

function Logo() {
  return (
    <Tooltip label={withShortcut('Go to your inbox', ['g', 'i'], 'then')}>
      <Link
        to={INBOX_PATH}
        style={{ textDecoration: 'none', color: 'inherit', display: 'flex', alignItems: 'center', gap: 8 }}
        aria-label="storedesk inbox"
      >
        <svg width="26" height="26" viewBox="0 0 32 32" aria-hidden="true">
          <rect width="32" height="32" rx="7" fill="var(--mantine-color-indigo-6)" />
          <path
            d="M8 11.5A3.5 3.5 0 0 1 11.5 8h9a3.5 3.5 0 0 1 3.5 3.5v6a3.5 3.5 0 0 1-3.5 3.5H15l-4.5 3.5V21A3 3 0 0 1 8 18z"
            fill="#fff"
          />
        </svg>
        <Text fw={700} size="lg" style={{ letterSpacing: -0.3 }} visibleFrom="xs">
          storedesk
        </Text>
      </Link>
    </Tooltip>
  );
}

function AccountMenu({ onShowShortcuts }: { onShowShortcuts: () => void }) {
  const me = useMe();
  const logout = useLogout();
  const navigate = useNavigate();
  const { setColorScheme } = useMantineColorScheme();
  const scheme = useComputedColorScheme('light');
  return (
    <Menu position="bottom-end" width={220} withinPortal>
      <Menu.Target>
        <UnstyledButton aria-label="Account" data-testid="account-menu">
          <Group gap={8} wrap="nowrap">
            <Avatar name={me.name} color="initials" size={30} radius="xl" />
            <div style={{ lineHeight: 1.1 }}>
              <Text size="sm" fw={600} visibleFrom="md">
                {me.name}
              </Text>
              <Text size="xs" c="dimmed" visibleFrom="md">
                {humanize(me.role)}
              </Text>
            </div>
          </Group>
        </UnstyledButton>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>{me.email}</Menu.Label>
        <Menu.Item
          leftSection={<IconKeyboard size={15} />}
          rightSection={
            <Text size="xs" c="dimmed">
              ?
            </Text>
          }
          onClick={onShowShortcuts}
        >
          Keyboard shortcuts
        </Menu.Item>
        <Menu.Item
          leftSection={scheme === 'dark' ? <IconSun size={15} /> : <IconMoon size={15} />}
          onClick={() => setColorScheme(scheme === 'dark' ? 'light' : 'dark')}
        >
          {scheme === 'dark' ? 'Light theme' : 'Dark theme'}
        </Menu.Item>
        <Menu.Divider />
        <Menu.Item
          leftSection={<IconLogout size={15} />}
          onClick={() =>
            logout.mutate(undefined, {
              onSuccess: () => void navigate('/sign-in'),
              onError: (error) => notifyError(error, 'Could not sign out'),
            })
          }
          data-testid="sign-out"
        >
          Sign out
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}

/** A centred spinner while a lazy page loads. */
export function PageLoader() {
  return (
    <Center h="60vh">
      <Loader size="sm" />
    </Center>
  );
}

/** The workspace frame around every signed-in page. */
export function AppLayout() {
  const [navOpened, nav] = useDisclosure(false);
  const [shortcutsOpened, shortcuts] = useDisclosure(false);
  const [newTicketOpened, newTicket] = useDisclosure(false);
  const navigate = useNavigate();
  const pendingG = useRef(0);

  const afterG = (path: string) => () => {
    if (Date.now() - pendingG.current > 1500) return false;
    pendingG.current = 0;
    void navigate(path);
  };

  useShortcuts([
    ['shift+?', () => shortcuts.toggle()],
    ['g', () => void (pendingG.current = Date.now())],
    ['i', afterG(INBOX_PATH)],
    ['c', () => (Date.now() - pendingG.current <= 1500 ? afterG('/customers')() : newTicket.open())],
  ]);

  return (
    <LiveStreamProvider>
      <AppShell header={{ height: 56 }} navbar={{ width: 236, breakpoint: 'sm', collapsed: { mobile: !navOpened } }} padding={0}>
        <AppShell.Header px="md">
          <Group h="100%" justify="space-between" wrap="nowrap" gap="md">
            <Group gap="md" wrap="nowrap">
              <Burger opened={navOpened} onClick={nav.toggle} hiddenFrom="sm" size="sm" aria-label="Menu" />
              <Logo />
              <GlobalSearch />
            </Group>
            <Group gap="md" wrap="nowrap">
              <Tooltip label={withShortcut('New ticket', ['c'])}>
                <Button leftSection={<IconPlus size={16} />} onClick={newTicket.open} data-testid="new-ticket" visibleFrom="sm">
                  New ticket
                </Button>
              </Tooltip>
              <ActionIcon variant="filled" onClick={newTicket.open} hiddenFrom="sm" aria-label="New ticket">
                <IconPlus size={16} />
              </ActionIcon>
              <LiveIndicator />
              <Tooltip label={withShortcut('Keyboard shortcuts', ['?'])}>
                <ActionIcon variant="subtle" color="gray" onClick={shortcuts.open} aria-label="Keyboard shortcuts" visibleFrom="sm">
                  <IconKeyboard size={18} />
                </ActionIcon>
              </Tooltip>
              <AccountMenu onShowShortcuts={shortcuts.open} />
            </Group>
          </Group>
        </AppShell.Header>

        <AppShell.Navbar style={{ background: 'var(--sd-sidebar-bg)' }}>
          <AppSidebar onNavigate={nav.close} />
        </AppShell.Navbar>

        <AppShell.Main>
          <Suspense fallback={<PageLoader />}>
            <Outlet />
          </Suspense>
        </AppShell.Main>
      </AppShell>
      <ShortcutsModal opened={shortcutsOpened} onClose={shortcuts.close} />
      <NewTicketModal opened={newTicketOpened} onClose={newTicket.close} />
    </LiveStreamProvider>
  );
}
