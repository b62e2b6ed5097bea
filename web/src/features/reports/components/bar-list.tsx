/** A horizontal bar chart of labelled values: one bar per row, scaled to the largest. */
import { Group, Progress, Stack, Text } from '@mantine/core';

export interface BarRow {
  key: string;
  label: string;
  value: number;
  /** What to print at the end of the bar ("€12.00 · 3 actions"). */
  display: string;
}

export function BarList({ rows, color = 'indigo', testId }: { rows: BarRow[]; color?: string; testId?: string }) {
  const max = Math.max(1, ...rows.map((r) => r.value));
  if (rows.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        Nothing in this period.
      </Text>
    );
  }
  return (
    <Stack gap={8} data-testid={testId}>
      {rows.map((r) => (
        <Stack key={r.key} gap={2}>
          <Group justify="space-between" wrap="nowrap" gap="xs">
            <Text size="sm" truncate>
              {r.label}
            </Text>
            <Text size="sm" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
              {r.display}
            </Text>
          </Group>
          <Progress value={(r.value * 100) / max} color={color} size="md" radius="sm" aria-label={`${r.label}: ${r.display}`} />
        </Stack>
      ))}
    </Stack>
  );
}
