/**
 * "Who else is here": other agents on this ticket, with a warning when someone is replying.
 */
import { Avatar, Group, Text, Tooltip } from '@mantine/core';
import { IconPencil } from '@tabler/icons-react';
import { firstName } from '../../../ui/format';
import { useViewers } from '../presence-store';

/** Other agents viewing or replying on a ticket. */
export function PresenceBar({ ticketId, meId }: { ticketId: string; meId: string }) {
  const others = useViewers(ticketId).filter((v) => v.agent_id !== meId);
  const replying = others.filter((v) => v.state === 'replying');
  const names = (list: typeof others) => {
    const first = list.slice(0, 2).map((v) => firstName(v.name));
    const rest = list.length - first.length;
    return rest > 0 ? `${first.join(', ')} and ${rest} more` : first.join(' and ');
  };
  let summary = '';
  if (replying.length > 0) summary = `${names(replying)} ${replying.length === 1 ? 'is' : 'are'} replying…`;
  else if (others.length > 0) summary = `${names(others)} ${others.length === 1 ? 'is' : 'are'} viewing`;

  return (
    <Group gap={8} wrap="nowrap" data-testid="presence" data-count={others.length} aria-live="polite" mih={26}>
      {others.length > 0 && (
        <>
          <Avatar.Group spacing={6}>
            {others.slice(0, 4).map((v) => (
              <Tooltip key={v.agent_id} label={`${v.name} is ${v.state === 'replying' ? 'replying' : 'viewing'}`}>
                <Avatar
                  name={v.name}
                  color="initials"
                  size={26}
                  radius="xl"
                  data-testid="presence-viewer"
                  data-state={v.state}
                  style={v.state === 'replying' ? { outline: '2px solid var(--mantine-color-orange-5)', outlineOffset: 1 } : undefined}
                />
              </Tooltip>
            ))}
          </Avatar.Group>
          <Text
            size="xs"
            c={replying.length > 0 ? 'orange.7' : 'dimmed'}
            fw={replying.length > 0 ? 600 : 400}
            style={{ whiteSpace: 'nowrap' }}
          >
            {replying.length > 0 && <IconPencil size={12} style={{ verticalAlign: -1, marginRight: 3 }} />}
            {summary}
          </Text>
        </>
      )}
    </Group>
  );
}
