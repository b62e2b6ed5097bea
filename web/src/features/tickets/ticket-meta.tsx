/**
 * How ticket statuses, priorities and channels look everywhere: label, colour, icon.
 */
import { Badge, Tooltip, type BadgeProps } from '@mantine/core';
import {
  IconAlertTriangleFilled,
  IconApi,
  IconArrowDown,
  IconArrowUp,
  IconForms,
  IconMail,
  IconMessageCircle,
  IconPhone,
  IconShare,
  IconUserCircle,
  type Icon,
} from '@tabler/icons-react';
import type { Channel, TicketPriority, TicketStatus } from '../../api/types';

/** Every status in workflow order. */
export const STATUSES: TicketStatus[] = ['new', 'open', 'pending', 'on_hold', 'solved', 'closed'];

/** Statuses an agent can pick (closed is set by the system after solving). */
export const SETTABLE_STATUSES: TicketStatus[] = ['open', 'pending', 'on_hold', 'solved'];

/** Label and colour of each status. */
export const STATUS_META: Record<TicketStatus, { label: string; color: string; hint: string }> = {
  new: { label: 'New', color: 'orange', hint: 'Nobody has answered yet' },
  open: { label: 'Open', color: 'red', hint: 'Waiting for us' },
  pending: { label: 'Pending', color: 'blue', hint: 'Waiting for the customer' },
  on_hold: { label: 'On hold', color: 'grape', hint: 'Waiting for a third party' },
  solved: { label: 'Solved', color: 'teal', hint: 'Done; reopens if the customer replies' },
  closed: { label: 'Closed', color: 'gray', hint: 'Archived; a reply opens a follow-up' },
};

/** Every priority, lowest first. */
export const PRIORITIES: TicketPriority[] = ['low', 'normal', 'high', 'urgent'];

/** Label and colour of each priority. */
export const PRIORITY_META: Record<TicketPriority, { label: string; color: string; icon: Icon | null }> = {
  low: { label: 'Low', color: 'gray', icon: IconArrowDown },
  normal: { label: 'Normal', color: 'gray', icon: null },
  high: { label: 'High', color: 'orange', icon: IconArrowUp },
  urgent: { label: 'Urgent', color: 'red', icon: IconAlertTriangleFilled },
};

/** Every channel. */
export const CHANNELS: Channel[] = ['email', 'chat', 'contact_form', 'phone', 'social', 'api', 'portal'];

/** Label and icon of each channel. */
export const CHANNEL_META: Record<Channel, { label: string; icon: Icon }> = {
  email: { label: 'Email', icon: IconMail },
  chat: { label: 'Chat', icon: IconMessageCircle },
  contact_form: { label: 'Contact form', icon: IconForms },
  phone: { label: 'Phone', icon: IconPhone },
  social: { label: 'Social', icon: IconShare },
  api: { label: 'API', icon: IconApi },
  portal: { label: 'Help center', icon: IconUserCircle },
};

/** Label for any status string, known or not. */
export function statusLabel(status: string): string {
  return STATUS_META[status as TicketStatus]?.label ?? status;
}

/** Label for any priority string, known or not. */
export function priorityLabel(priority: string): string {
  return PRIORITY_META[priority as TicketPriority]?.label ?? priority;
}

/** A status pill. */
export function StatusBadge({ status, ...props }: { status: TicketStatus } & BadgeProps) {
  const meta = STATUS_META[status] ?? { label: status, color: 'gray', hint: '' };
  return (
    <Tooltip label={meta.hint} disabled={!meta.hint}>
      <Badge color={meta.color} variant="light" size="sm" miw={64} {...props}>
        {meta.label}
      </Badge>
    </Tooltip>
  );
}

/** A priority pill; normal priority shows nothing, and low only when not `urgentOnly`. */
export function PriorityBadge({ priority, urgentOnly = false }: { priority: TicketPriority; urgentOnly?: boolean }) {
  const meta = PRIORITY_META[priority];
  if (!meta || priority === 'normal' || (urgentOnly && priority === 'low')) return null;
  const Icon = meta.icon;
  return (
    <Badge
      color={meta.color}
      variant={priority === 'urgent' ? 'filled' : 'light'}
      size="sm"
      leftSection={Icon ? <Icon size={11} /> : undefined}
    >
      {meta.label}
    </Badge>
  );
}

/** A channel's icon with its name in a tooltip. */
export function ChannelIcon({ channel, size = 16 }: { channel: Channel; size?: number }) {
  const meta = CHANNEL_META[channel] ?? { label: channel, icon: IconMail };
  const Icon = meta.icon;
  return (
    <Tooltip label={`Via ${meta.label.toLowerCase()}`}>
      <Icon size={size} stroke={1.6} color="var(--mantine-color-dimmed)" aria-label={meta.label} style={{ flexShrink: 0 }} />
    </Tooltip>
  );
}
