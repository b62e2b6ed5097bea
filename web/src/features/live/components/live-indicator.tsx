/**
 * A small dot that says whether live updates are flowing.
 */
import { Box, Group, Text, Tooltip } from '@mantine/core';
import { useLiveState, type LiveState } from '../live-stream';

const LOOK: Record<LiveState, { color: string; label: string; tip: string }> = {
  open: { color: 'var(--mantine-color-teal-6)', label: 'Live', tip: 'Live updates are on: changes by your team appear by themselves.' },
  connecting: { color: 'var(--mantine-color-gray-5)', label: 'Connecting', tip: 'Connecting to live updates…' },
  reconnecting: {
    color: 'var(--mantine-color-orange-6)',
    label: 'Reconnecting',
    tip: 'Live updates are interrupted; reconnecting. Lists may be out of date.',
  },
};

/** The live indicator (`data-state` is open, connecting or reconnecting). */
export function LiveIndicator() {
  const state = useLiveState();
  const look = LOOK[state];
  return (
    <Tooltip label={look.tip} multiline w={240}>
      <Group gap={6} wrap="nowrap" data-testid="live-indicator" data-state={state} aria-label={look.label}>
        <Box
          w={8}
          h={8}
          style={{
            borderRadius: '50%',
            background: look.color,
            boxShadow: state === 'open' ? '0 0 0 3px color-mix(in srgb, var(--mantine-color-teal-6) 25%, transparent)' : undefined,
            animation: state === 'open' ? undefined : 'sd-pulse 1.2s ease-in-out infinite',
          }}
        />
        <Text size="xs" c="dimmed" visibleFrom="sm">
          {look.label}
        </Text>
      </Group>
    </Tooltip>
  );
}
