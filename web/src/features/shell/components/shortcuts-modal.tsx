/**
 * The keyboard shortcut reference, opened with `?`.
 */
import { Group, Modal, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { SHORTCUTS, ShortcutKeys } from '../../../ui/shortcuts';

/** Lists every shortcut by where it works. */
export function ShortcutsModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  return (
    <Modal opened={opened} onClose={onClose} title={<Text fw={650}>Keyboard shortcuts</Text>} size="xl" data-testid="shortcuts-modal">
      <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="xl">
        {SHORTCUTS.map((group) => (
          <Stack key={group.group} gap={8}>
            <Title order={6} c="dimmed" tt="uppercase" fz="xs">
              {group.group}
            </Title>
            {group.items.map((item) => (
              <Group key={item.description + item.keys.join()} justify="space-between" wrap="nowrap" gap="sm">
                <Text size="sm">{item.description}</Text>
                <ShortcutKeys keys={item.keys} join={item.join} />
              </Group>
            ))}
          </Stack>
        ))}
      </SimpleGrid>
    </Modal>
  );
}
