/**
 * Sign-in page. Shows the demo logins when the server runs with demo data.
 */
import {
  Alert,
  Anchor,
  Badge,
  Box,
  Button,
  Center,
  Group,
  Paper,
  PasswordInput,
  Stack,
  Text,
  TextInput,
  Title,
  UnstyledButton,
} from '@mantine/core';
import { IconAlertTriangle, IconLogin2 } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { humanize } from '../ui/format';
import { useLogin, useMeta, useSession } from '../features/auth/hooks/use-session';
import { INBOX_PATH } from '../features/views/builtin-views';

/** Only same-site paths are allowed as the place to return to. */
function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/sign-in') ? next : INBOX_PATH;
}

export default function SignInRoute() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const session = useSession();
  const meta = useMeta();
  const login = useLogin();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const next = safeNext(params.get('next'));

  if (session.data) return <Navigate to={next} replace />;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    login.mutate({ email: email.trim(), password }, { onSuccess: () => void navigate(next, { replace: true }) });
  };

  const demoLogins = meta.data?.demo ? meta.data.demo_logins : [];

  return (
    <Center mih="100vh" p="md" style={{ background: 'var(--sd-auth-bg)' }}>
      <Stack w={400} gap="lg">
        <Group gap={10} justify="center">
          <svg width="34" height="34" viewBox="0 0 32 32" aria-hidden="true">
            <rect width="32" height="32" rx="7" fill="var(--mantine-color-indigo-6)" />
            <path
              d="M8 11.5A3.5 3.5 0 0 1 11.5 8h9a3.5 3.5 0 0 1 3.5 3.5v6a3.5 3.5 0 0 1-3.5 3.5H15l-4.5 3.5V21A3 3 0 0 1 8 18z"
              fill="#fff"
            />
          </svg>
          <Title order={2} fw={700} style={{ letterSpacing: -0.5 }}>
            {meta.data?.name ?? 'storedesk'}
          </Title>
        </Group>
        <Paper withBorder shadow="sm" p="xl" radius="lg">
          <form onSubmit={submit}>
            <Stack gap="md">
              <div>
                <Title order={4}>Sign in</Title>
                <Text size="sm" c="dimmed">
                  to your team’s support workspace
                </Text>
              </div>
              {login.error && (
                <Alert color="red" variant="light" icon={<IconAlertTriangle size={16} />} data-testid="login-error">
                  {login.error.message}
                </Alert>
              )}
              <TextInput
                label="Email"
                type="email"
                autoComplete="username"
                required
                autoFocus
                value={email}
                onChange={(e) => setEmail(e.currentTarget.value)}
                data-testid="login-email"
              />
              <PasswordInput
                label="Password"
                autoComplete="current-password"
                required
                value={password}
                onChange={(e) => setPassword(e.currentTarget.value)}
                data-testid="login-password"
              />
              <Button type="submit" fullWidth loading={login.isPending} leftSection={<IconLogin2 size={16} />} data-testid="login-submit">
                Sign in
              </Button>
            </Stack>
          </form>
        </Paper>
        {demoLogins.length > 0 && (
          <Paper withBorder p="md" radius="lg" data-testid="demo-logins">
            <Text size="sm" fw={600} mb={4}>
              Demo workspace
            </Text>
            <Text size="xs" c="dimmed" mb="sm">
              Click an account to fill the form
              {meta.data?.demo_password ? (
                <>
                  {' '}
                  · password{' '}
                  <Text span ff="monospace" size="xs">
                    {meta.data.demo_password}
                  </Text>
                </>
              ) : null}
              .
            </Text>
            <Stack gap={4}>
              {demoLogins.map((login) => (
                <UnstyledButton
                  key={login.email}
                  onClick={() => {
                    setEmail(login.email);
                    if (meta.data?.demo_password) setPassword(meta.data.demo_password);
                  }}
                  data-testid="demo-login"
                  className="sd-demo-login"
                >
                  <Group justify="space-between" wrap="nowrap" px="sm" py={6}>
                    <Text size="sm" ff="monospace" truncate>
                      {login.email}
                    </Text>
                    <Badge size="sm" variant="light" color="gray">
                      {humanize(login.role)}
                    </Badge>
                  </Group>
                </UnstyledButton>
              ))}
            </Stack>
          </Paper>
        )}
        <Box ta="center">
          <Text size="xs" c="dimmed">
            Open-source customer service for online stores ·{' '}
            <Anchor href="/api/docs" size="xs" c="dimmed" underline="always">
              API
            </Anchor>
          </Text>
        </Box>
      </Stack>
    </Center>
  );
}
