/**
 * Orders of the customer. A placeholder until store connectors land: order numbers found on the
 * ticket are listed so the agent can look them up in the store.
 */
import { Badge, Group, Paper, Stack, Text, ThemeIcon } from '@mantine/core';
import { IconShoppingCart } from '@tabler/icons-react';

/** The orders section. */
export function OrdersPanel({ orderNumbers = [] }: { orderNumbers?: string[] }) {
  return (
    <Paper withBorder radius="md" p="md" data-testid="orders-panel" style={{ borderStyle: 'dashed' }}>
      <Group gap="sm" wrap="nowrap" align="flex-start">
        <ThemeIcon variant="light" color="gray" radius="md">
          <IconShoppingCart size={16} />
        </ThemeIcon>
        <Stack gap={4}>
          <Text size="sm" fw={600}>
            Orders
          </Text>
          <Text size="xs" c="dimmed">
            Orders, shipments and refunds appear here when a store is connected.
          </Text>
          {orderNumbers.length > 0 && (
            <Group gap={4} mt={4}>
              <Text size="xs" c="dimmed">
                Mentioned:
              </Text>
              {orderNumbers.map((o) => (
                <Badge key={o} size="sm" variant="outline" color="gray" tt="none">
                  {o}
                </Badge>
              ))}
            </Group>
          )}
        </Stack>
      </Group>
    </Paper>
  );
}
