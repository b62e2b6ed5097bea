/**
 * The title row of a full page: title, a line of explanation, and the page's main actions.
 */
import { Group, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';

/** A page title with an optional description and actions on the right. */
export function PageHeader({ title, description, actions }: { title: ReactNode; description?: ReactNode; actions?: ReactNode }) {
  return (
    <Group justify="space-between" align="flex-end" wrap="wrap" gap="sm">
      <Stack gap={2}>
        <Title order={3}>{title}</Title>
        {description && (
          <Text size="sm" c="dimmed" maw={720}>
            {description}
          </Text>
        )}
      </Stack>
      {actions && <Group gap="xs">{actions}</Group>}
    </Group>
  );
}
