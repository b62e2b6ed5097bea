/**
 * The mailbox form: the address and what is signed under replies, which recipients the SMTP
 * listener accepts for it, the relay replies leave through (or the local outbox), DKIM, and an
 * IMAP account to fetch from, signed in with a password or OAuth 2.0. Secrets are write-only.
 */
import {
  Alert,
  Anchor,
  Badge,
  Box,
  Button,
  Divider,
  Grid,
  Group,
  NumberInput,
  Paper,
  SegmentedControl,
  Select,
  Stack,
  Switch,
  TagsInput,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { IconAlertTriangle, IconCircleCheck, IconDeviceFloppy } from '@tabler/icons-react';
import { useState, type FormEvent, type ReactNode } from 'react';
import { isApiError } from '../../../api/client';
import type { ImapAuthMethod, Mailbox, MailboxInput, SmtpSecurity } from '../../../api/types';
import { formatDateTime, formatRelative } from '../../../ui/format';
import { secretPatch, SecretInput, type SecretValue } from '../../../ui/secret-input';

interface Draft {
  address: string;
  displayName: string;
  acceptedAddresses: string[];
  acceptedDomains: string[];
  signature: string;
  isDefault: boolean;
  smtpOn: boolean;
  smtpHost: string;
  smtpPort: number | '';
  smtpSecurity: SmtpSecurity;
  smtpUser: string;
  smtpPassword: SecretValue;
  dkimOn: boolean;
  dkimDomain: string;
  dkimSelector: string;
  dkimKey: SecretValue;
  imapOn: boolean;
  imapEnabled: boolean;
  imapHost: string;
  imapPort: number | '';
  imapTls: boolean;
  imapUser: string;
  imapAuth: ImapAuthMethod;
  imapPassword: SecretValue;
  /** refresh: storedesk renews access tokens with a refresh token; static: one access token. */
  oauthMode: 'refresh' | 'static';
  oauthTokenUrl: string;
  oauthClientId: string;
  oauthClientSecret: SecretValue;
  oauthRefreshToken: SecretValue;
  oauthAccessToken: SecretValue;
  oauthScope: string;
  imapFolder: string;
  imapAfter: 'flag' | 'move';
  imapMoveTo: string;
}

const KEEP: SecretValue = { mode: 'keep' };

function draftFrom(m: Mailbox | undefined): Draft {
  return {
    address: m?.address ?? '',
    displayName: m?.display_name ?? '',
    acceptedAddresses: m?.accepted_addresses ?? [],
    acceptedDomains: m?.accepted_domains ?? [],
    signature: m?.signature ?? '',
    isDefault: m?.is_default ?? false,
    smtpOn: Boolean(m?.smtp),
    smtpHost: m?.smtp?.host ?? '',
    smtpPort: m?.smtp?.port ?? 587,
    smtpSecurity: m?.smtp?.security ?? 'starttls',
    smtpUser: m?.smtp?.user ?? '',
    smtpPassword: KEEP,
    dkimOn: Boolean(m?.dkim),
    dkimDomain: m?.dkim?.domain ?? '',
    dkimSelector: m?.dkim?.selector ?? '',
    dkimKey: KEEP,
    imapOn: Boolean(m?.imap),
    imapEnabled: m?.imap?.enabled ?? true,
    imapHost: m?.imap?.host ?? '',
    imapPort: m?.imap?.port ?? 993,
    imapTls: m?.imap?.tls ?? true,
    imapUser: m?.imap?.user ?? '',
    imapAuth: m?.imap?.auth ?? 'password',
    imapPassword: KEEP,
    oauthMode: m?.imap?.oauth?.mode === 'static' ? 'static' : 'refresh',
    oauthTokenUrl: m?.imap?.oauth?.token_url ?? '',
    oauthClientId: m?.imap?.oauth?.client_id ?? '',
    oauthClientSecret: KEEP,
    oauthRefreshToken: KEEP,
    oauthAccessToken: KEEP,
    oauthScope: m?.imap?.oauth?.scope ?? '',
    imapFolder: m?.imap?.folder ?? 'INBOX',
    imapAfter: m?.imap?.after_import ?? 'flag',
    imapMoveTo: m?.imap?.move_to ?? '',
  };
}

const SMTP_PORTS: Record<SmtpSecurity, number> = { tls: 465, starttls: 587, none: 25 };

/** Problems the server would refuse anyway, caught before sending. */
function validate(d: Draft, existing: Mailbox | undefined): Record<string, string> {
  const e: Record<string, string> = {};
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(d.address.trim())) e.address = 'Enter the email address customers write to';
  if (d.smtpOn) {
    if (!d.smtpHost.trim()) e['smtp.host'] = 'Enter the relay’s host name';
    if (d.smtpPort === '') e['smtp.port'] = 'Enter the port';
  }
  if (d.dkimOn) {
    if (!d.dkimDomain.trim()) e['dkim.domain'] = 'Enter the signing domain';
    if (!d.dkimSelector.trim()) e['dkim.selector'] = 'Enter the selector';
    if (!existing?.dkim?.private_key_set && !(d.dkimKey.mode === 'set' && d.dkimKey.value.trim()))
      e['dkim.private_key'] = 'Paste the private key';
  }
  if (d.imapOn) {
    if (!d.imapHost.trim()) e['imap.host'] = 'Enter the IMAP server';
    if (d.imapPort === '') e['imap.port'] = 'Enter the port';
    if (!d.imapUser.trim()) e['imap.user'] = 'Enter the user name';
    const oauth = existing?.imap?.oauth;
    const given = (v: SecretValue) => v.mode === 'set' && Boolean(v.value.trim());
    if (d.imapAuth === 'password') {
      if (!existing?.imap?.password_set && !given(d.imapPassword)) e['imap.password'] = 'Enter the password';
    } else if (d.oauthMode === 'refresh') {
      if (!/^https:\/\/\S+$|^http:\/\/(127\.0\.0\.1|localhost|\[::1\])[:/]\S*$/.test(d.oauthTokenUrl.trim()))
        e['imap.oauth.token_url'] = 'Enter the provider’s token endpoint (https://…)';
      if (!d.oauthClientId.trim()) e['imap.oauth.client_id'] = 'Enter the OAuth client ID';
      if (!(oauth?.mode === 'refresh' && oauth.refresh_token_set) && !given(d.oauthRefreshToken))
        e['imap.oauth.refresh_token'] = 'Paste the refresh token';
    } else if (!(oauth?.mode === 'static' && oauth.access_token_set) && !given(d.oauthAccessToken)) {
      e['imap.oauth.access_token'] = 'Paste the access token';
    }
    if (d.imapAfter === 'move' && !d.imapMoveTo.trim()) e['imap.move_to'] = 'Enter the folder to move imported mail to';
  }
  return e;
}

/** The API body for the draft; omitted secrets are kept by the server. */
function toInput(d: Draft): MailboxInput {
  const smtpPassword = secretPatch(d.smtpPassword);
  const imapPassword = secretPatch(d.imapPassword);
  const dkimKey = secretPatch(d.dkimKey);
  const clientSecret = secretPatch(d.oauthClientSecret);
  const refreshToken = secretPatch(d.oauthRefreshToken);
  const accessToken = secretPatch(d.oauthAccessToken);
  const oauth: NonNullable<MailboxInput['imap']>['oauth'] =
    d.oauthMode === 'refresh'
      ? {
          token_url: d.oauthTokenUrl.trim(),
          client_id: d.oauthClientId.trim(),
          scope: d.oauthScope.trim() || null,
          ...('value' in clientSecret ? { client_secret: clientSecret.value } : {}),
          ...(typeof refreshToken.value === 'string' ? { refresh_token: refreshToken.value } : {}),
        }
      : { ...(typeof accessToken.value === 'string' ? { access_token: accessToken.value } : {}) };
  return {
    address: d.address.trim(),
    display_name: d.displayName.trim() || null,
    accepted_addresses: d.acceptedAddresses,
    accepted_domains: d.acceptedDomains,
    signature: d.signature.trim() ? d.signature : null,
    is_default: d.isDefault,
    smtp: d.smtpOn
      ? {
          host: d.smtpHost.trim(),
          port: d.smtpPort === '' ? SMTP_PORTS[d.smtpSecurity] : d.smtpPort,
          security: d.smtpSecurity,
          user: d.smtpUser.trim() || null,
          ...('value' in smtpPassword ? { password: smtpPassword.value } : {}),
        }
      : null,
    dkim: d.dkimOn
      ? {
          domain: d.dkimDomain.trim(),
          selector: d.dkimSelector.trim(),
          ...(typeof dkimKey.value === 'string' ? { private_key: dkimKey.value } : {}),
        }
      : null,
    imap: d.imapOn
      ? {
          enabled: d.imapEnabled,
          host: d.imapHost.trim(),
          port: d.imapPort === '' ? (d.imapTls ? 993 : 143) : d.imapPort,
          tls: d.imapTls,
          user: d.imapUser.trim(),
          auth: d.imapAuth,
          ...('value' in imapPassword ? { password: imapPassword.value } : {}),
          ...(d.imapAuth === 'oauth2' ? { oauth } : {}),
          folder: d.imapFolder.trim() || 'INBOX',
          after_import: d.imapAfter,
          move_to: d.imapAfter === 'move' ? d.imapMoveTo.trim() : null,
        }
      : null,
  };
}

/** One settings section: what it is on the left, its fields on the right. */
function Section({
  title,
  description,
  children,
  aside,
}: {
  title: string;
  description: ReactNode;
  children: ReactNode;
  aside?: ReactNode;
}) {
  return (
    <Grid gap="xl" py="lg">
      <Grid.Col span={{ base: 12, md: 4 }}>
        <Text fw={600} size="sm">
          {title}
        </Text>
        <Text size="xs" c="dimmed" mt={4}>
          {description}
        </Text>
        {aside}
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 8 }}>
        <Stack gap="sm">{children}</Stack>
      </Grid.Col>
    </Grid>
  );
}

/** IMAP polling health, from the mailbox as last saved. */
function ImapStatus({ imap }: { imap: NonNullable<Mailbox['imap']> }) {
  if (imap.last_error) {
    return (
      <Alert
        color="red"
        variant="light"
        icon={<IconAlertTriangle size={16} />}
        title="Fetching mail fails"
        mt="sm"
        p="xs"
        data-testid="imap-status"
      >
        <Text size="xs">{imap.last_error}</Text>
        {imap.last_poll_at && (
          <Text size="xs" c="dimmed" mt={4}>
            Last attempt {formatRelative(imap.last_poll_at)}
          </Text>
        )}
      </Alert>
    );
  }
  return (
    <Stack gap={4} mt="sm" data-testid="imap-status">
      {imap.enabled ? (
        imap.last_poll_at ? (
          <Badge color="teal" variant="light" leftSection={<IconCircleCheck size={12} />}>
            Fetching
          </Badge>
        ) : (
          <Badge color="gray" variant="light">
            Not polled yet
          </Badge>
        )
      ) : (
        <Badge color="gray" variant="light">
          Paused
        </Badge>
      )}
      {imap.last_poll_at && (
        <Text size="xs" c="dimmed" title={formatDateTime(imap.last_poll_at)}>
          Last checked {formatRelative(imap.last_poll_at)}
        </Text>
      )}
      {imap.last_uid > 0 && (
        <Text size="xs" c="dimmed">
          Imported up to message {imap.last_uid}
        </Text>
      )}
    </Stack>
  );
}

/** OAuth 2.0 sign-in for IMAP: a refresh token storedesk renews access tokens with, or one access token. */
function OAuthFields({
  draft,
  set,
  mailbox,
  err,
}: {
  draft: Draft;
  set: (patch: Partial<Draft>) => void;
  mailbox: Mailbox | undefined;
  err: (field: string) => string | undefined;
}) {
  const saved = mailbox?.imap?.oauth;
  return (
    <Stack gap="sm" data-testid="imap-oauth">
      <SegmentedControl
        size="xs"
        data={[
          { value: 'refresh', label: 'Refresh token (renewed automatically)' },
          { value: 'static', label: 'Access token only' },
        ]}
        value={draft.oauthMode}
        onChange={(v) => set({ oauthMode: v === 'static' ? 'static' : 'refresh' })}
      />
      {draft.oauthMode === 'refresh' ? (
        <>
          <TextInput
            label="Token endpoint"
            description="Where access tokens are renewed, e.g. https://oauth2.googleapis.com/token or https://login.microsoftonline.com/<tenant>/oauth2/v2.0/token"
            placeholder="https://oauth2.googleapis.com/token"
            value={draft.oauthTokenUrl}
            onChange={(e) => set({ oauthTokenUrl: e.currentTarget.value })}
            error={err('imap.oauth.token_url')}
            data-testid="imap-oauth-token-url"
          />
          <Group grow align="flex-start">
            <TextInput
              label="Client ID"
              value={draft.oauthClientId}
              onChange={(e) => set({ oauthClientId: e.currentTarget.value })}
              error={err('imap.oauth.client_id')}
              autoComplete="off"
              data-testid="imap-oauth-client-id"
            />
            <SecretInput
              label="Client secret"
              description="Leave empty for a public client. Stored encrypted; never shown again."
              saved={Boolean(saved?.client_secret_set)}
              value={draft.oauthClientSecret}
              onChange={(oauthClientSecret) => set({ oauthClientSecret })}
              removable
              error={err('imap.oauth.client_secret')}
              testId="imap-oauth-client-secret"
            />
          </Group>
          <SecretInput
            label="Refresh token"
            description="From the provider’s consent flow for this mailbox. Stored encrypted; never shown again."
            saved={saved?.mode === 'refresh' && saved.refresh_token_set}
            value={draft.oauthRefreshToken}
            onChange={(oauthRefreshToken) => set({ oauthRefreshToken })}
            error={err('imap.oauth.refresh_token') ?? err('imap.oauth')}
            testId="imap-oauth-refresh-token"
          />
          <TextInput
            label="Scope"
            description="Optional; most providers keep the scope the refresh token was granted."
            placeholder="https://mail.google.com/"
            value={draft.oauthScope}
            onChange={(e) => set({ oauthScope: e.currentTarget.value })}
            error={err('imap.oauth.scope')}
          />
          {saved?.mode === 'refresh' && saved.access_token_expires_at && (
            <Text size="xs" c="dimmed" title={formatDateTime(saved.access_token_expires_at)}>
              Current access token valid until {formatDateTime(saved.access_token_expires_at)}; renewed a minute before.
            </Text>
          )}
        </>
      ) : (
        <SecretInput
          label="Access token"
          description="Used as is and never renewed: fetching stops when it expires. Stored encrypted; never shown again."
          saved={saved?.mode === 'static' && saved.access_token_set}
          value={draft.oauthAccessToken}
          onChange={(oauthAccessToken) => set({ oauthAccessToken })}
          multiline
          error={err('imap.oauth.access_token') ?? err('imap.oauth')}
          testId="imap-oauth-access-token"
        />
      )}
    </Stack>
  );
}

/** The form; `onSave` gets the request body, `error` is the server's answer to it. */
export function MailboxForm({
  mailbox,
  onSave,
  saving,
  error,
  onCancel,
}: {
  mailbox?: Mailbox;
  onSave: (input: MailboxInput) => void;
  saving: boolean;
  error: unknown;
  onCancel: () => void;
}) {
  const [draft, setDraft] = useState(() => draftFrom(mailbox));
  // Problems show after the first attempt to save, and clear as soon as they are fixed.
  const [attempted, setAttempted] = useState(false);
  const set = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }));
  const clientErrors = attempted ? validate(draft, mailbox) : {};
  const serverErrors = isApiError(error) ? error.fieldErrors : {};
  const err = (field: string) => clientErrors[field] ?? serverErrors[field];

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setAttempted(true);
    if (Object.keys(validate(draft, mailbox)).length === 0) onSave(toInput(draft));
  };

  return (
    <form onSubmit={submit} noValidate data-testid="mailbox-form">
      <Paper withBorder radius="md" px="lg">
        <Section title="Address" description="What customers write to, and what they see in the From line of replies.">
          <TextInput
            label="Email address"
            placeholder="support@yourstore.com"
            required
            value={draft.address}
            onChange={(e) => set({ address: e.currentTarget.value })}
            error={err('address')}
            data-autofocus
            data-testid="mailbox-address"
          />
          <TextInput
            label="Display name"
            placeholder="Northwind Support"
            value={draft.displayName}
            onChange={(e) => set({ displayName: e.currentTarget.value })}
            error={err('display_name')}
          />
          <Textarea
            label="Signature"
            description="Added under every reply sent from this mailbox."
            placeholder={'Kind regards,\nThe Northwind team'}
            autosize
            minRows={3}
            value={draft.signature}
            onChange={(e) => set({ signature: e.currentTarget.value })}
            error={err('signature')}
          />
          <Switch
            label="Default mailbox"
            description="Replies on tickets that did not come in by email (chat, phone) are sent from this address."
            checked={draft.isDefault}
            onChange={(e) => set({ isDefault: e.currentTarget.checked })}
          />
        </Section>
        <Divider />
        <Section
          title="Receiving"
          description="storedesk’s own SMTP listener accepts mail for the address above. Forward your support address to it, or point a domain’s MX at it and accept the whole domain."
        >
          <TagsInput
            label="Also accept mail for"
            description="Other addresses that land in this mailbox (press Enter after each)."
            placeholder="help@yourstore.com"
            value={draft.acceptedAddresses}
            onChange={(acceptedAddresses) => set({ acceptedAddresses })}
            splitChars={[',', ' ', ';']}
            error={err('accepted_addresses')}
            clearable
          />
          <TagsInput
            label="Accept whole domains"
            description="Any address at these domains."
            placeholder="support.yourstore.com"
            value={draft.acceptedDomains}
            onChange={(acceptedDomains) => set({ acceptedDomains })}
            splitChars={[',', ' ', ';']}
            error={err('accepted_domains')}
            clearable
          />
        </Section>
        <Divider />
        <Section
          title="Sending"
          description="Replies leave through your mail provider’s SMTP relay. Without one they are kept in the Outbox on this machine, so nothing reaches customers."
        >
          <Switch
            label="Send through an SMTP relay"
            checked={draft.smtpOn}
            onChange={(e) => set({ smtpOn: e.currentTarget.checked })}
            data-testid="smtp-toggle"
          />
          {draft.smtpOn ? (
            <>
              <Group grow align="flex-start">
                <TextInput
                  label="Relay host"
                  placeholder="smtp.postmarkapp.com"
                  required
                  value={draft.smtpHost}
                  onChange={(e) => set({ smtpHost: e.currentTarget.value })}
                  error={err('smtp.host')}
                  data-testid="smtp-host"
                />
                <Select
                  label="Security"
                  data={[
                    { value: 'starttls', label: 'STARTTLS (587)' },
                    { value: 'tls', label: 'TLS (465)' },
                    { value: 'none', label: 'None (local relays only)' },
                  ]}
                  value={draft.smtpSecurity}
                  onChange={(v) => {
                    const security: SmtpSecurity = v === 'tls' ? 'tls' : v === 'none' ? 'none' : 'starttls';
                    const standard = Object.values(SMTP_PORTS).includes(Number(draft.smtpPort));
                    set({ smtpSecurity: security, ...(standard || draft.smtpPort === '' ? { smtpPort: SMTP_PORTS[security] } : {}) });
                  }}
                  allowDeselect={false}
                  error={err('smtp.security')}
                  data-testid="smtp-security"
                />
                <NumberInput
                  label="Port"
                  min={1}
                  max={65535}
                  allowDecimal={false}
                  value={draft.smtpPort}
                  onChange={(v) => set({ smtpPort: typeof v === 'number' ? v : '' })}
                  error={err('smtp.port')}
                  maw={120}
                  data-testid="smtp-port"
                />
              </Group>
              <Group grow align="flex-start">
                <TextInput
                  label="User name"
                  description="Leave empty if the relay needs no login."
                  value={draft.smtpUser}
                  onChange={(e) => set({ smtpUser: e.currentTarget.value })}
                  error={err('smtp.user')}
                  autoComplete="off"
                />
                <SecretInput
                  label="Password"
                  description="Stored encrypted; never shown again."
                  saved={Boolean(mailbox?.smtp?.password_set)}
                  value={draft.smtpPassword}
                  onChange={(smtpPassword) => set({ smtpPassword })}
                  removable
                  error={err('smtp.password')}
                  testId="smtp-password"
                />
              </Group>
            </>
          ) : (
            <Alert color="yellow" variant="light" p="xs">
              <Text size="xs">Replies from this mailbox go to the local Outbox (Settings → Outbox) instead of to customers.</Text>
            </Alert>
          )}
          <Switch
            label="Sign outgoing mail with DKIM"
            checked={draft.dkimOn}
            onChange={(e) => set({ dkimOn: e.currentTarget.checked })}
            mt="xs"
          />
          {draft.dkimOn && (
            <>
              <Group grow align="flex-start">
                <TextInput
                  label="Signing domain"
                  placeholder="yourstore.com"
                  value={draft.dkimDomain}
                  onChange={(e) => set({ dkimDomain: e.currentTarget.value })}
                  error={err('dkim.domain')}
                />
                <TextInput
                  label="Selector"
                  placeholder="storedesk"
                  value={draft.dkimSelector}
                  onChange={(e) => set({ dkimSelector: e.currentTarget.value })}
                  error={err('dkim.selector')}
                />
              </Group>
              <SecretInput
                label="Private key"
                description="PEM, as generated for the DNS record. Stored encrypted; never shown again."
                placeholder="-----BEGIN PRIVATE KEY-----"
                saved={Boolean(mailbox?.dkim?.private_key_set)}
                value={draft.dkimKey}
                onChange={(dkimKey) => set({ dkimKey })}
                multiline
                error={err('dkim.private_key')}
              />
            </>
          )}
        </Section>
        <Divider />
        <Section
          title="Fetching"
          description="Import mail from an existing mailbox (Gmail, Microsoft 365, your host) over IMAP. Each message is marked or moved only after it is safely stored."
          aside={mailbox?.imap ? <ImapStatus imap={mailbox.imap} /> : undefined}
        >
          <Switch
            label="Fetch mail from an IMAP mailbox"
            checked={draft.imapOn}
            onChange={(e) => set({ imapOn: e.currentTarget.checked })}
            data-testid="imap-toggle"
          />
          {draft.imapOn && (
            <>
              <Group grow align="flex-start">
                <TextInput
                  label="IMAP server"
                  placeholder="imap.gmail.com"
                  value={draft.imapHost}
                  onChange={(e) => set({ imapHost: e.currentTarget.value })}
                  error={err('imap.host')}
                  data-testid="imap-host"
                />
                <NumberInput
                  label="Port"
                  min={1}
                  max={65535}
                  allowDecimal={false}
                  value={draft.imapPort}
                  onChange={(v) => set({ imapPort: typeof v === 'number' ? v : '' })}
                  error={err('imap.port')}
                  maw={120}
                  data-testid="imap-port"
                />
              </Group>
              <Switch
                label="Use TLS"
                description="Implicit TLS on port 993. Turn off only for a server on this machine."
                checked={draft.imapTls}
                onChange={(e) => {
                  const tls = e.currentTarget.checked;
                  set({ imapTls: tls, ...(draft.imapPort === 993 || draft.imapPort === 143 ? { imapPort: tls ? 993 : 143 } : {}) });
                }}
              />
              <Group grow align="flex-start">
                <TextInput
                  label="User name"
                  value={draft.imapUser}
                  onChange={(e) => set({ imapUser: e.currentTarget.value })}
                  error={err('imap.user')}
                  autoComplete="off"
                  data-testid="imap-user"
                />
                {draft.imapAuth === 'password' && (
                  <SecretInput
                    label="Password"
                    description="An app password where the provider asks for one."
                    saved={Boolean(mailbox?.imap?.password_set)}
                    value={draft.imapPassword}
                    onChange={(imapPassword) => set({ imapPassword })}
                    error={err('imap.password')}
                    testId="imap-password"
                  />
                )}
              </Group>
              <Stack gap={4}>
                <Text size="sm" fw={500}>
                  Sign in with
                </Text>
                <SegmentedControl
                  data={[
                    { value: 'password', label: 'Password' },
                    { value: 'oauth2', label: 'OAuth 2.0 (Gmail, Microsoft 365)' },
                  ]}
                  value={draft.imapAuth}
                  onChange={(v) => set({ imapAuth: v === 'oauth2' ? 'oauth2' : 'password' })}
                  data-testid="imap-auth"
                />
              </Stack>
              {draft.imapAuth === 'oauth2' && <OAuthFields draft={draft} set={set} mailbox={mailbox} err={err} />}
              <Group grow align="flex-start">
                <TextInput
                  label="Folder"
                  value={draft.imapFolder}
                  onChange={(e) => set({ imapFolder: e.currentTarget.value })}
                  error={err('imap.folder')}
                />
                <Select
                  label="After import"
                  data={[
                    { value: 'flag', label: 'Mark as read and flag it' },
                    { value: 'move', label: 'Move it to a folder' },
                  ]}
                  value={draft.imapAfter}
                  onChange={(v) => set({ imapAfter: v === 'move' ? 'move' : 'flag' })}
                  allowDeselect={false}
                />
                {draft.imapAfter === 'move' && (
                  <TextInput
                    label="Move to"
                    placeholder="Imported"
                    value={draft.imapMoveTo}
                    onChange={(e) => set({ imapMoveTo: e.currentTarget.value })}
                    error={err('imap.move_to')}
                  />
                )}
              </Group>
              <Switch
                label="Polling on"
                description="Turn off to pause fetching without losing the settings."
                checked={draft.imapEnabled}
                onChange={(e) => set({ imapEnabled: e.currentTarget.checked })}
                data-testid="imap-enabled"
              />
            </>
          )}
        </Section>
      </Paper>

      {error !== null && error !== undefined && (
        <Alert
          color="red"
          variant="light"
          icon={<IconAlertTriangle size={16} />}
          title="The mailbox was not saved"
          mt="md"
          data-testid="mailbox-error"
        >
          {error instanceof Error ? error.message : 'Something went wrong.'}
        </Alert>
      )}
      {Object.keys(clientErrors).length > 0 && (
        <Text size="sm" c="red.7" mt="sm">
          Some fields need attention.
        </Text>
      )}

      <Box
        pos="sticky"
        bottom={0}
        py="sm"
        mt="md"
        style={{ background: 'var(--mantine-color-body)', borderTop: '1px solid var(--mantine-color-default-border)', zIndex: 2 }}
      >
        <Group justify="flex-end">
          <Anchor component="button" type="button" size="sm" c="dimmed" onClick={onCancel} mr="sm">
            Cancel
          </Anchor>
          <Button type="submit" loading={saving} leftSection={<IconDeviceFloppy size={16} />} data-testid="mailbox-save">
            {mailbox ? 'Save changes' : 'Add mailbox'}
          </Button>
        </Group>
      </Box>
    </form>
  );
}
