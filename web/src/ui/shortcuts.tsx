/**
 * Keyboard shortcuts: the catalogue shown in the help modal, tooltip labels with key hints,
 * and a hook that binds keys unless the agent is typing or a dialog is open.
 */
import { Group, Kbd, Text } from '@mantine/core';
import { useHotkeys, type HotkeyItem } from '@mantine/hooks';
import type { ReactNode } from 'react';

/** The platform's command key, as shown in hints. */
export const MOD_KEY = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform) ? '⌘' : 'Ctrl';

/** One documented shortcut. */
export interface ShortcutInfo {
  keys: string[];
  /** Shown between keys: "then" for sequences, "+" for chords. */
  join?: 'then' | '+';
  description: string;
}

/** Every shortcut, grouped for the help modal. */
export const SHORTCUTS: Array<{ group: string; items: ShortcutInfo[] }> = [
  {
    group: 'Anywhere',
    items: [
      { keys: ['/'], description: 'Search tickets, messages and customers' },
      { keys: ['g', 'i'], join: 'then', description: 'Go to the inbox' },
      { keys: ['g', 'c'], join: 'then', description: 'Go to customers' },
      { keys: ['c'], description: 'New ticket' },
      { keys: ['?'], description: 'Show keyboard shortcuts' },
    ],
  },
  {
    group: 'Ticket list',
    items: [
      { keys: ['j'], description: 'Next ticket' },
      { keys: ['k'], description: 'Previous ticket' },
      { keys: ['Enter'], description: 'Open the selected ticket' },
      { keys: ['o'], description: 'Open the selected ticket' },
    ],
  },
  {
    group: 'Ticket',
    items: [
      { keys: ['r'], description: 'Reply to the customer' },
      { keys: ['n'], description: 'Add an internal note' },
      { keys: ['s'], description: 'Solve the ticket' },
      { keys: ['j'], description: 'Next ticket in the list' },
      { keys: ['k'], description: 'Previous ticket in the list' },
      { keys: ['u'], description: 'Back to the list' },
      { keys: [MOD_KEY, 'Enter'], join: '+', description: 'Send the reply or note' },
      { keys: ['Esc'], description: 'Leave the composer' },
    ],
  },
];

/** Key hints for a shortcut, e.g. `g` then `i`. */
export function ShortcutKeys({ keys, join = '+' }: { keys: string[]; join?: 'then' | '+' }) {
  return (
    <Group gap={4} wrap="nowrap" component="span" style={{ display: 'inline-flex' }}>
      {keys.map((key, i) => (
        <Group key={key + i} gap={4} wrap="nowrap" component="span" style={{ display: 'inline-flex' }}>
          {i > 0 && (
            <Text span size="xs" c="dimmed">
              {join === 'then' ? 'then' : '+'}
            </Text>
          )}
          <Kbd size="xs">{key}</Kbd>
        </Group>
      ))}
    </Group>
  );
}

/** A tooltip label with its keyboard shortcut beside it. */
export function withShortcut(label: ReactNode, keys: string[], join: 'then' | '+' = '+'): ReactNode {
  return (
    <Group gap={8} wrap="nowrap" component="span" style={{ display: 'inline-flex' }}>
      <span>{label}</span>
      <ShortcutKeys keys={keys} join={join} />
    </Group>
  );
}

function dialogOpen(): boolean {
  return document.querySelector('[role="dialog"][aria-modal="true"], .mantine-Modal-content') !== null;
}

/**
 * Binds shortcuts; they are ignored while typing in a field or while a dialog is open.
 * A handler that returns `false` declines the key and leaves its default action alone.
 */
export function useShortcuts(items: Array<[string, (event: KeyboardEvent) => void | boolean]>): void {
  useHotkeys(
    items.map(([key, handler]): HotkeyItem => [
      key,
      (event: KeyboardEvent) => {
        if (event.repeat && !/^(j|k)$/.test(key)) return;
        if (dialogOpen()) return;
        if (handler(event) === false) return;
        event.preventDefault();
      },
      { preventDefault: false },
    ]),
  );
}
