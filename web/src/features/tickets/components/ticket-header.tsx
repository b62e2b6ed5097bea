/**
 * The top of a ticket page: back to the list, previous/next, subject (click to rename),
 * who else is here, the status control and the solve button.
 */
import { ActionIcon, Anchor, Box, Button, Group, Select, Text, TextInput, Title, Tooltip } from '@mantine/core';
import { IconArrowLeft, IconCheck, IconChevronDown, IconChevronUp, IconRotateClockwise } from '@tabler/icons-react';
import { useState, type ReactNode } from 'react';
import { Link } from 'react-router';
import type { TicketDetail, TicketStatus } from '../../../api/types';
import { displayName } from '../../../ui/format';
import { RelativeTime } from '../../../ui/relative-time';
import { withShortcut } from '../../../ui/shortcuts';
import { PresenceBar } from '../../presence/components/presence-bar';
import { STATUSES, STATUS_META, ChannelIcon, PriorityBadge } from '../ticket-meta';

/** Previous/next arrow; disabled at the ends of the list. */
function NavArrow({ to, label, shortcut, icon }: { to: number | null; label: string; shortcut: string; icon: ReactNode }) {
  if (to === null) {
    return (
      <ActionIcon variant="subtle" color="gray" size="sm" disabled aria-label={label}>
        {icon}
      </ActionIcon>
    );
  }
  return (
    <Tooltip label={withShortcut(`${label} · #${to}`, [shortcut])}>
      <ActionIcon variant="subtle" color="gray" size="sm" component={Link} to={`/tickets/${to}`} aria-label={label}>
        {icon}
      </ActionIcon>
    </Tooltip>
  );
}

/** Header of the ticket page. */
export function TicketHeader({
  ticket,
  meId,
  back,
  previous,
  next,
  onStatus,
  onSubject,
  statusPending,
}: {
  ticket: TicketDetail;
  meId: string;
  back: { path: string; title: string };
  previous: number | null;
  next: number | null;
  onStatus: (status: TicketStatus) => void;
  onSubject: (subject: string) => void;
  statusPending: boolean;
}) {
  const [editing, setEditing] = useState(false);
  const [subject, setSubject] = useState(ticket.subject);
  const solved = ticket.status === 'solved' || ticket.status === 'closed';

  const finishEdit = (save: boolean) => {
    setEditing(false);
    const trimmed = subject.trim();
    if (save && trimmed && trimmed !== ticket.subject) onSubject(trimmed);
    else setSubject(ticket.subject);
  };

  return (
    <Box px="lg" pt="sm" pb="sm" style={{ borderBottom: '1px solid var(--mantine-color-default-border)' }}>
      <Group justify="space-between" wrap="nowrap" mb={6}>
        <Group gap={4} wrap="nowrap">
          <Tooltip label={withShortcut(`Back to ${back.title}`, ['u'])}>
            <Anchor component={Link} to={back.path} size="xs" c="dimmed" data-testid="back-to-list">
              <Group gap={4} wrap="nowrap">
                <IconArrowLeft size={13} />
                {back.title}
              </Group>
            </Anchor>
          </Tooltip>
        </Group>
        <Group gap={4} wrap="nowrap">
          <Box mr="sm">
            <PresenceBar ticketId={ticket.id} meId={meId} />
          </Box>
          <NavArrow to={previous} label="Previous ticket" shortcut="k" icon={<IconChevronUp size={16} />} />
          <NavArrow to={next} label="Next ticket" shortcut="j" icon={<IconChevronDown size={16} />} />
        </Group>
      </Group>

      <Group justify="space-between" wrap="nowrap" align="flex-start" gap="lg">
        <Box style={{ minWidth: 0, flex: 1 }}>
          {editing ? (
            <TextInput
              value={subject}
              onChange={(e) => setSubject(e.currentTarget.value)}
              onBlur={() => finishEdit(true)}
              onKeyDown={(e) => {
                if (e.key === 'Enter') finishEdit(true);
                if (e.key === 'Escape') finishEdit(false);
              }}
              autoFocus
              size="md"
              aria-label="Subject"
              data-testid="ticket-subject-input"
            />
          ) : (
            <Tooltip label="Click to rename" openDelay={800}>
              <Title
                order={3}
                fz={20}
                lh={1.3}
                data-testid="ticket-subject"
                onClick={() => {
                  setSubject(ticket.subject);
                  setEditing(true);
                }}
                style={{ cursor: 'text', overflowWrap: 'anywhere' }}
              >
                {ticket.subject || '(no subject)'}
              </Title>
            </Tooltip>
          )}
          <Group gap={8} mt={4} wrap="wrap">
            <Text size="xs" c="dimmed" fw={600} data-testid="ticket-number">
              #{ticket.number}
            </Text>
            <ChannelIcon channel={ticket.channel} size={14} />
            <Text size="xs" c="dimmed">
              {displayName(ticket.customer)} · opened
            </Text>
            <RelativeTime date={ticket.created_at} ml={-4} />
            <PriorityBadge priority={ticket.priority} />
          </Group>
        </Box>

        <Group gap="xs" wrap="nowrap">
          <Select
            data-testid="ticket-status"
            data-status={ticket.status}
            aria-label="Status"
            w={140}
            size="sm"
            value={ticket.status}
            data={STATUSES.map((s) => ({ value: s, label: STATUS_META[s].label, disabled: s === 'closed' || s === 'new' }))}
            onChange={(value) => {
              const status = STATUSES.find((s) => s === value);
              if (status && status !== ticket.status) onStatus(status);
              // Hand the keyboard back to the page shortcuts.
              if (document.activeElement instanceof HTMLElement) document.activeElement.blur();
            }}
            allowDeselect={false}
            leftSection={
              <Box w={9} h={9} style={{ borderRadius: '50%', background: `var(--mantine-color-${STATUS_META[ticket.status].color}-6)` }} />
            }
            comboboxProps={{ withinPortal: true }}
          />
          {solved ? (
            <Tooltip label="Set the ticket back to open">
              <Button
                variant="default"
                leftSection={<IconRotateClockwise size={16} />}
                onClick={() => onStatus('open')}
                loading={statusPending}
                disabled={ticket.status === 'closed'}
                data-testid="reopen-button"
              >
                Reopen
              </Button>
            </Tooltip>
          ) : (
            <Tooltip label={withShortcut('Solve the ticket', ['s'])}>
              <Button
                color="teal"
                leftSection={<IconCheck size={16} />}
                onClick={() => onStatus('solved')}
                loading={statusPending}
                data-testid="solve-button"
              >
                Solve
              </Button>
            </Tooltip>
          )}
        </Group>
      </Group>
    </Box>
  );
}
