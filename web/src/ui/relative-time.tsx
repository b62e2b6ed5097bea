/**
 * A timestamp shown as "5 min ago", with the full date in a tooltip.
 */
import { Text, Tooltip, type TextProps } from '@mantine/core';
import { formatDateTime, formatRelative } from './format';
import { useNow } from './use-now';

/** Relative time that keeps itself current. */
export function RelativeTime({ date, ...props }: { date: string | null | undefined } & TextProps) {
  const now = useNow();
  if (!date) return null;
  return (
    <Tooltip label={formatDateTime(date)}>
      <Text component="time" dateTime={date} size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }} {...props}>
        {formatRelative(date, now)}
      </Text>
    </Tooltip>
  );
}
