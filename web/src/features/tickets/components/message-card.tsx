/**
 * One message in the timeline: the customer's (neutral), an agent's reply (tinted, with
 * delivery status) or an internal note (yellow).
 */
import { ActionIcon, Alert, Anchor, Avatar, Badge, Box, Button, Group, Menu, Paper, Text, Tooltip } from '@mantine/core';
import {
  IconAlertCircle,
  IconCheck,
  IconClock,
  IconDots,
  IconDownload,
  IconLink,
  IconLock,
  IconMail,
  IconRefresh,
} from '@tabler/icons-react';
import { useState } from 'react';
import type { Message, TicketSummary } from '../../../api/types';
import { displayName } from '../../../ui/format';
import { RelativeTime } from '../../../ui/relative-time';
import { SafeHtml } from '../../../ui/safe-html';
import { notifyError, notifySuccess } from '../../../ui/notify';
import { rawEmailUrl } from '../api/tickets.api';
import { EmlViewer } from '../../email/components/eml-viewer';
import { useRetryDelivery } from '../hooks/use-tickets';
import { MessageAttachments } from './message-attachments';
import { CHANNEL_META } from '../ticket-meta';

function DeliveryStatus({ message }: { message: Message }) {
  switch (message.delivery_status) {
    case 'queued':
      return (
        <Tooltip label="Waiting to be sent">
          <Badge
            size="xs"
            variant="light"
            color="gray"
            leftSection={<IconClock size={10} />}
            data-testid="delivery-status"
            data-status="queued"
          >
            Queued
          </Badge>
        </Tooltip>
      );
    case 'sent':
      return (
        <Tooltip label="Delivered to the customer's mail server">
          <Badge
            size="xs"
            variant="light"
            color="teal"
            leftSection={<IconCheck size={10} />}
            data-testid="delivery-status"
            data-status="sent"
          >
            Sent
          </Badge>
        </Tooltip>
      );
    case 'failed':
      return (
        <Tooltip label={message.delivery_error ?? 'Delivery failed'} multiline w={260}>
          <Badge
            size="xs"
            variant="filled"
            color="red"
            leftSection={<IconAlertCircle size={10} />}
            data-testid="delivery-status"
            data-status="failed"
          >
            Not delivered
          </Badge>
        </Tooltip>
      );
    default:
      return null;
  }
}

/** A failed reply: why, and a way to send it again. */
function DeliveryFailed({ message }: { message: Message }) {
  const retry = useRetryDelivery();
  return (
    <Alert mt="sm" color="red" variant="light" icon={<IconAlertCircle size={16} />} p="xs">
      <Group justify="space-between" wrap="nowrap" gap="sm">
        <Text size="xs">This reply did not reach the customer{message.delivery_error ? `: ${message.delivery_error}` : '.'}</Text>
        <Button
          size="compact-xs"
          variant="white"
          color="red"
          leftSection={<IconRefresh size={12} />}
          style={{ flexShrink: 0 }}
          loading={retry.isPending}
          onClick={() =>
            retry.mutate(
              { messageId: message.id, ticketId: message.ticket_id },
              {
                onSuccess: () => notifySuccess('The reply is queued to be sent again'),
                onError: (error) => notifyError(error, 'Could not retry'),
              },
            )
          }
          data-testid="retry-delivery"
        >
          Retry
        </Button>
      </Group>
    </Alert>
  );
}

/** Whether the original email (.eml) of a message can be shown: what came in, what went out. */
function hasOriginal(message: Message): boolean {
  if (message.channel !== 'email') return false;
  return (
    message.kind === 'inbound' ||
    (message.kind === 'outbound' && (message.delivery_status === 'sent' || message.delivery_status === 'failed'))
  );
}

/** Per-message actions: link to it, view or download the original email. */
function MessageMenu({ message, onViewOriginal }: { message: Message; onViewOriginal: () => void }) {
  const copyLink = () => {
    const url = `${window.location.origin}${window.location.pathname}#message-${message.id}`;
    navigator.clipboard.writeText(url).then(
      () => notifySuccess('Link copied'),
      () => notifyError(new Error('The browser did not allow copying.'), 'Could not copy the link'),
    );
  };
  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <ActionIcon variant="subtle" color="gray" size="sm" aria-label="Message actions">
          <IconDots size={14} />
        </ActionIcon>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Item leftSection={<IconLink size={14} />} onClick={copyLink}>
          Copy link to message
        </Menu.Item>
        {hasOriginal(message) && (
          <>
            <Menu.Item leftSection={<IconMail size={14} />} onClick={onViewOriginal}>
              View original email
            </Menu.Item>
            <Menu.Item leftSection={<IconDownload size={14} />} component="a" href={rawEmailUrl(message.id)}>
              Download original email (.eml)
            </Menu.Item>
          </>
        )}
      </Menu.Dropdown>
    </Menu>
  );
}

function authorName(message: Message, ticket: TicketSummary): string {
  if (message.author?.name) return message.author.name;
  if (message.kind === 'inbound') return displayName(ticket.customer, 'Customer');
  if (message.author?.type === 'system') return 'storedesk';
  return 'Agent';
}

const LOOK = {
  inbound: { bg: 'var(--mantine-color-body)', border: 'var(--mantine-color-default-border)' },
  outbound: { bg: 'var(--sd-outbound-bg)', border: 'var(--sd-outbound-border)' },
  note: { bg: 'var(--sd-note-bg)', border: 'var(--sd-note-border)' },
} as const;

/** A message card. */
export function MessageCard({ message, ticket }: { message: Message; ticket: TicketSummary }) {
  const name = authorName(message, ticket);
  const look = LOOK[message.kind];
  const channel = CHANNEL_META[message.channel]?.label ?? message.channel;
  const [viewing, setViewing] = useState(false);
  return (
    <Paper
      id={`message-${message.id}`}
      data-testid="message"
      data-kind={message.kind}
      data-message-id={message.id}
      radius="md"
      p="md"
      style={{ background: look.bg, border: `1px solid ${look.border}`, scrollMarginTop: 16 }}
    >
      <Group justify="space-between" wrap="nowrap" mb="sm" align="flex-start">
        <Group gap="sm" wrap="nowrap" style={{ minWidth: 0 }}>
          <Avatar
            name={name}
            color={message.kind === 'inbound' ? 'initials' : message.kind === 'note' ? 'yellow' : 'indigo'}
            size={32}
            radius="xl"
          />
          <Box style={{ minWidth: 0 }}>
            <Group gap={6} wrap="nowrap">
              <Text size="sm" fw={600} truncate>
                {name}
              </Text>
              {message.kind === 'note' && (
                <Badge size="xs" color="yellow" variant="filled" leftSection={<IconLock size={10} />} c="dark" data-testid="note-badge">
                  Internal note
                </Badge>
              )}
              {message.kind === 'outbound' && <DeliveryStatus message={message} />}
            </Group>
            <Text size="xs" c="dimmed">
              {message.kind === 'inbound' && `via ${channel.toLowerCase()}`}
              {message.kind === 'outbound' && `replied via ${channel.toLowerCase()}`}
              {message.kind === 'note' && 'Only agents can see this'}
            </Text>
          </Box>
        </Group>
        <Group gap={4} wrap="nowrap">
          <RelativeTime date={message.created_at} />
          <MessageMenu message={message} onViewOriginal={() => setViewing(true)} />
        </Group>
      </Group>

      {message.body_html ? (
        <SafeHtml html={message.body_html} />
      ) : (
        <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere', lineHeight: 1.6 }}>
          {message.body_text}
        </Text>
      )}

      <MessageAttachments attachments={message.attachments} />

      {hasOriginal(message) && (
        <Group justify="flex-end" mt="xs">
          <Anchor component="button" type="button" size="xs" c="dimmed" onClick={() => setViewing(true)} data-testid="view-original">
            <Group gap={4} wrap="nowrap">
              <IconMail size={13} /> View original
            </Group>
          </Anchor>
        </Group>
      )}
      {viewing && <EmlViewer url={rawEmailUrl(message.id)} title="Original email" onClose={() => setViewing(false)} />}

      {message.delivery_status === 'failed' && <DeliveryFailed message={message} />}
    </Paper>
  );
}
