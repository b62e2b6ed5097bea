/**
 * Connect a store or change its connection: the platform, the fields that platform needs
 * (settings in the clear, credentials write-only), the store's currency and time zone, and how
 * its order numbers look. Errors from the API land on the field they name.
 */
import { Alert, Button, Divider, Group, Select, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { IconAlertCircle } from '@tabler/icons-react';
import { useMemo, useState, type FormEvent } from 'react';
import { isApiError } from '../../../api/client';
import type { StoreConnection, StoreConnectionInput, StorePlatformInfo } from '../../../api/types';
import { SecretInput, secretPatch, type SecretValue } from '../../../ui/secret-input';

const CURRENCIES = ['EUR', 'USD', 'GBP', 'CAD', 'AUD', 'CHF', 'SEK', 'NOK', 'DKK', 'PLN', 'JPY', 'NZD'];

function timeZones(): string[] {
  const intl = Intl as typeof Intl & { supportedValuesOf?: (key: string) => string[] };
  return intl.supportedValuesOf ? intl.supportedValuesOf('timeZone') : ['UTC', 'Europe/Amsterdam', 'Europe/London', 'America/New_York'];
}

/** The form. `existing` is absent when connecting a new store. */
export function StoreConnectionForm({
  existing,
  platforms,
  saving,
  error,
  onSubmit,
  onCancel,
}: {
  existing?: StoreConnection | undefined;
  platforms: StorePlatformInfo[];
  saving: boolean;
  error: unknown;
  onSubmit: (input: StoreConnectionInput) => void;
  onCancel: () => void;
}) {
  const [name, setName] = useState(existing?.name ?? '');
  const [currency, setCurrency] = useState(existing?.currency ?? 'EUR');
  const [timezone, setTimezone] = useState(existing?.timezone ?? Intl.DateTimeFormat().resolvedOptions().timeZone);
  const [platform, setPlatform] = useState(existing?.platform ?? platforms.find((p) => p.platform !== 'builtin')?.platform ?? 'builtin');
  const [settings, setSettings] = useState<Record<string, string>>(() =>
    Object.fromEntries(Object.entries(existing?.settings ?? {}).map(([k, v]) => [k, typeof v === 'string' ? v : String(v)])),
  );
  const [secrets, setSecrets] = useState<Record<string, SecretValue>>({});
  const [prefix, setPrefix] = useState(existing?.order_number_prefix ?? '');
  const [pattern, setPattern] = useState(existing?.order_number_pattern ?? '');
  const zones = useMemo(timeZones, []);

  const descriptor = platforms.find((p) => p.platform === platform);
  const platformChanged = Boolean(existing && existing.platform !== platform);
  const fieldErrors = isApiError(error) ? error.fieldErrors : {};
  const generalError = error && Object.keys(fieldErrors).length === 0 ? (error instanceof Error ? error.message : 'Saving failed.') : null;

  function submit(event: FormEvent) {
    event.preventDefault();
    const input: StoreConnectionInput = {};
    if (!existing || name !== existing.name) input.name = name;
    if (!existing) input.currency = currency;
    if (!existing || timezone !== existing.timezone) input.timezone = timezone;
    if (!existing || platformChanged) input.platform = platform;
    const settingKeys = descriptor?.settings.map((f) => f.key) ?? [];
    const nextSettings: Record<string, string | null> = {};
    for (const key of settingKeys) {
      const value = (settings[key] ?? '').trim();
      const before = existing && !platformChanged ? existing.settings[key] : undefined;
      if (value !== (before ?? '')) nextSettings[key] = value === '' ? null : value;
    }
    if (Object.keys(nextSettings).length) input.settings = existing ? nextSettings : Object.fromEntries(Object.entries(nextSettings).filter(([, v]) => v !== null));
    const nextCredentials: Record<string, string | null> = {};
    for (const f of descriptor?.credentials ?? []) {
      const patch = secretPatch(secrets[f.key] ?? { mode: 'keep' });
      if ('value' in patch && patch.value !== undefined) nextCredentials[f.key] = patch.value;
    }
    if (Object.keys(nextCredentials).length) input.credentials = nextCredentials;
    const nextPrefix = prefix.trim() || null;
    if (nextPrefix !== (existing?.order_number_prefix ?? null)) input.order_number_prefix = nextPrefix;
    const nextPattern = pattern.trim() || null;
    if (nextPattern !== (existing?.order_number_pattern ?? null)) input.order_number_pattern = nextPattern;
    onSubmit(input);
  }

  return (
    <form onSubmit={submit} data-testid="store-form">
      <Stack gap="md">
        {generalError && (
          <Alert color="red" icon={<IconAlertCircle size={16} />} title="Not saved">
            {generalError}
          </Alert>
        )}
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput label="Store name" required value={name} onChange={(e) => setName(e.currentTarget.value)} error={fieldErrors.name} data-testid="store-name" />
          <Select
            label="Platform"
            description={existing ? 'Changing the platform clears the saved settings and credentials.' : 'Where this store’s orders live.'}
            data={platforms.map((p) => ({ value: p.platform, label: p.name }))}
            value={platform}
            onChange={(v) => v && setPlatform(v)}
            allowDeselect={false}
            error={fieldErrors.platform}
            data-testid="store-platform"
          />
          <Select
            label="Currency"
            description={existing ? 'Set when the store was connected.' : 'The store’s default currency.'}
            data={CURRENCIES}
            value={currency}
            onChange={(v) => v && setCurrency(v)}
            disabled={Boolean(existing)}
            allowDeselect={false}
            error={fieldErrors.currency}
          />
          <Select
            label="Time zone"
            description="Business days and policy windows count in this zone."
            data={zones}
            value={timezone}
            onChange={(v) => v && setTimezone(v)}
            searchable
            allowDeselect={false}
            error={fieldErrors.timezone}
          />
        </SimpleGrid>

        {descriptor && (descriptor.settings.length > 0 || descriptor.credentials.length > 0) && (
          <>
            <Divider label={`${descriptor.name} connection`} labelPosition="left" />
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              {descriptor.settings.map((f) => (
                <TextInput
                  key={f.key}
                  label={f.label}
                  description={f.help ?? undefined}
                  required={f.required}
                  type={f.kind === 'url' ? 'url' : 'text'}
                  value={settings[f.key] ?? ''}
                  onChange={(e) => {
                    const value = e.currentTarget.value;
                    setSettings((s) => ({ ...s, [f.key]: value }));
                  }}
                  error={fieldErrors[`settings.${f.key}`]}
                  data-testid={`store-setting-${f.key}`}
                />
              ))}
              {descriptor.credentials.map((f) => (
                <SecretInput
                  key={f.key}
                  label={f.required ? `${f.label} *` : f.label}
                  description={f.help ?? 'Stored encrypted; never shown again.'}
                  saved={Boolean(existing && !platformChanged && existing.credentials_set.includes(f.key))}
                  value={secrets[f.key] ?? { mode: 'keep' }}
                  onChange={(v) => setSecrets((s) => ({ ...s, [f.key]: v }))}
                  removable={!f.required}
                  placeholder={f.label}
                  error={fieldErrors[`credentials.${f.key}`]}
                  testId={`store-credential-${f.key}`}
                />
              ))}
            </SimpleGrid>
          </>
        )}

        <Divider label="Order numbers" labelPosition="left" />
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput
            label="Prefix"
            description="NW- makes NW-10234; customers writing #10234 mean the same order."
            value={prefix}
            onChange={(e) => setPrefix(e.currentTarget.value)}
            error={fieldErrors.order_number_prefix}
          />
          <TextInput
            label="Pattern (advanced)"
            description="A regular expression for other shapes; wins over the prefix."
            value={pattern}
            onChange={(e) => setPattern(e.currentTarget.value)}
            error={fieldErrors.order_number_pattern}
            styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
          />
        </SimpleGrid>

        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>
            Cancel
          </Button>
          <Button type="submit" loading={saving} data-testid="store-save">
            {existing ? 'Save' : 'Connect store'}
          </Button>
        </Group>
        {!existing && (
          <Text size="xs" c="dimmed">
            After connecting, use “Test connection” to check that the store answers.
          </Text>
        )}
      </Stack>
    </form>
  );
}
