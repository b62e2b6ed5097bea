/**
 * A write-only secret (password, private key). The API never returns secrets, only whether one
 * is saved: a saved secret shows as "•••• saved" with Change (and Remove where allowed); a new
 * value is sent only when the admin typed one.
 */
import { Anchor, Button, Group, PasswordInput, Text, Textarea, TextInput } from '@mantine/core';
import { IconLock } from '@tabler/icons-react';

/** What to do with a secret on save. */
export type SecretValue = { mode: 'keep' } | { mode: 'set'; value: string } | { mode: 'remove' };

/** The secret field. */
export function SecretInput({
  label,
  description,
  saved,
  value,
  onChange,
  removable = false,
  multiline = false,
  placeholder,
  error,
  testId,
}: {
  label: string;
  description?: string;
  /** The server has one stored. */
  saved: boolean;
  value: SecretValue;
  onChange: (value: SecretValue) => void;
  removable?: boolean;
  multiline?: boolean;
  placeholder?: string;
  error?: string;
  testId?: string;
}) {
  if (saved && value.mode === 'keep') {
    return (
      <div data-testid={testId} data-state="saved">
        <TextInput
          label={label}
          description={description}
          value="••••••••  saved"
          readOnly
          leftSection={<IconLock size={14} />}
          rightSectionWidth={removable ? 138 : 74}
          rightSection={
            <Group gap={2} wrap="nowrap">
              <Button
                size="compact-xs"
                variant="light"
                onClick={() => onChange({ mode: 'set', value: '' })}
                data-testid={testId ? `${testId}-change` : undefined}
              >
                Change
              </Button>
              {removable && (
                <Button size="compact-xs" variant="subtle" color="red" onClick={() => onChange({ mode: 'remove' })}>
                  Remove
                </Button>
              )}
            </Group>
          }
          styles={{ input: { color: 'var(--mantine-color-dimmed)' } }}
          error={error}
          aria-label={`${label}: saved`}
        />
      </div>
    );
  }
  if (value.mode === 'remove') {
    return (
      <div data-testid={testId} data-state="remove">
        <Text size="sm" fw={500}>
          {label}
        </Text>
        <Text size="sm" c="red.7">
          Will be removed when you save.{' '}
          <Anchor component="button" type="button" size="sm" onClick={() => onChange({ mode: 'keep' })}>
            Undo
          </Anchor>
        </Text>
      </div>
    );
  }
  const text = value.mode === 'set' ? value.value : '';
  const keepLink = saved ? (
    <Anchor component="button" type="button" size="xs" onClick={() => onChange({ mode: 'keep' })}>
      Keep the saved one
    </Anchor>
  ) : null;
  const fullDescription = (
    <>
      {description}
      {description && keepLink ? ' · ' : null}
      {keepLink}
    </>
  );
  return (
    <div data-testid={testId} data-state="editing">
      {multiline ? (
        <Textarea
          label={label}
          description={fullDescription}
          placeholder={placeholder}
          value={text}
          onChange={(e) => onChange({ mode: 'set', value: e.currentTarget.value })}
          autosize
          minRows={3}
          maxRows={8}
          styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 12 } }}
          error={error}
          autoFocus={saved}
          autoComplete="off"
          spellCheck={false}
        />
      ) : (
        <PasswordInput
          label={label}
          description={fullDescription}
          placeholder={placeholder ?? (saved ? 'New password' : undefined)}
          value={text}
          onChange={(e) => onChange({ mode: 'set', value: e.currentTarget.value })}
          error={error}
          autoFocus={saved}
          autoComplete="new-password"
        />
      )}
    </div>
  );
}

/** The request fragment for a secret: a new value, null to remove it, or nothing to keep it. */
export function secretPatch(value: SecretValue): { value?: string | null } {
  if (value.mode === 'remove') return { value: null };
  if (value.mode === 'set' && value.value !== '') return { value: value.value };
  return {};
}
