/**
 * The reply / internal-note composer. `Mod+Enter` sends; the split menu sends and sets the
 * ticket pending or solved in the same step. Drafts survive navigation within the session.
 */
import { ActionIcon, Alert, Box, Button, FileButton, Group, Menu, Tabs, Text, Textarea, Tooltip } from '@mantine/core';
import { getHotkeyHandler, useSessionStorage } from '@mantine/hooks';
import {
  IconAlertTriangle,
  IconChevronDown,
  IconCircleCheck,
  IconHourglass,
  IconLock,
  IconMessageReply,
  IconPaperclip,
  IconSend,
} from '@tabler/icons-react';
import { useEffect, useState, type Ref } from 'react';
import type { Customer, TicketDetail, TicketStatus } from '../../../api/types';
import { notifyError, notifySuccess } from '../../../ui/notify';
import { MOD_KEY, ShortcutKeys, withShortcut } from '../../../ui/shortcuts';
import { useSendMessage } from '../hooks/use-tickets';
import { CHANNEL_META } from '../ticket-meta';
import { ComposerAttachmentList, MAX_FILES, useComposerAttachments } from './composer-attachments';

/** Reply to the customer, or a note only agents see. */
export type ComposerMode = 'reply' | 'note';

const MOD = MOD_KEY;

/** The composer at the bottom of a ticket page. */
export function Composer({
  ticketRef,
  ticket,
  customer,
  mode,
  onModeChange,
  onActivityChange,
  textareaRef,
}: {
  /** The ticket's id or number as in the URL (its cache key). */
  ticketRef: string;
  ticket: TicketDetail;
  customer: Customer;
  mode: ComposerMode;
  onModeChange: (mode: ComposerMode) => void;
  /** Called when the agent starts or stops writing (focus or a draft), for presence. */
  onActivityChange: (active: boolean) => void;
  textareaRef: Ref<HTMLTextAreaElement>;
}) {
  const [draft, setDraft] = useSessionStorage({ key: `storedesk:draft:${ticket.id}:${mode}`, defaultValue: '' });
  const send = useSendMessage(ticketRef);
  const [focused, setFocused] = useState(false);
  const attachments = useComposerAttachments();
  const [dragging, setDragging] = useState(false);
  const active = focused || draft.trim().length > 0 || attachments.files.length > 0;
  useEffect(() => onActivityChange(active), [active]);
  const isNote = mode === 'note';
  const email = customer.identities.find((i) => i.kind === 'email' && i.is_primary) ?? customer.identities.find((i) => i.kind === 'email');
  const undeliverable = !isNote && email?.undeliverable_at;
  const recipient = customer.name && email ? `${customer.name} <${email.value}>` : (customer.name ?? email?.value ?? 'the customer');
  const channel = CHANNEL_META[ticket.channel]?.label.toLowerCase() ?? ticket.channel;

  const submit = (status?: TicketStatus) => {
    const body = draft.trim();
    if (!body || send.isPending) return;
    if (attachments.uploading) {
      notifyError(new Error('Wait until the files have finished uploading.'), 'Not sent yet');
      return;
    }
    if (attachments.failed) {
      notifyError(new Error('Remove the files that failed to upload, or add them again.'), 'Not sent');
      return;
    }
    send.mutate(
      { id: ticket.id, message: { body, internal: isNote, ...(status ? { status } : {}), ...(attachments.ids.length ? { attachment_ids: attachments.ids } : {}) } },
      {
        onSuccess: () => {
          setDraft('');
          attachments.clear();
          const what = isNote ? 'Note added' : 'Reply sent';
          notifySuccess(status ? `${what} · ticket set to ${status === 'solved' ? 'solved' : status}` : what);
        },
        onError: (error) => notifyError(error, isNote ? 'The note was not saved' : 'The reply was not sent'),
      },
    );
  };

  const sendLabel = isNote ? 'Add note' : 'Send';

  return (
    <Box
      px="lg"
      pt={6}
      pb="md"
      style={{
        borderTop: '1px solid var(--mantine-color-default-border)',
        background: isNote ? 'var(--sd-note-bg)' : 'var(--mantine-color-body)',
        transition: 'background 120ms',
      }}
      data-testid="composer"
      data-mode={mode}
      data-dragging={dragging || undefined}
      onDragOver={(event) => {
        if (!event.dataTransfer.types.includes('Files')) return;
        event.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={(event) => {
        if (event.dataTransfer.files.length === 0) return;
        event.preventDefault();
        setDragging(false);
        attachments.add([...event.dataTransfer.files]);
      }}
    >
      <Group justify="space-between" wrap="nowrap" mb={6}>
        <Tabs value={mode} onChange={(value) => onModeChange(value === 'note' ? 'note' : 'reply')} variant="pills" radius="md">
          <Tabs.List>
            <Tooltip label={withShortcut('Reply to the customer', ['r'])}>
              <Tabs.Tab value="reply" leftSection={<IconMessageReply size={14} />} data-testid="composer-mode-reply" py={4} px="sm" fz="sm">
                Reply
              </Tabs.Tab>
            </Tooltip>
            <Tooltip label={withShortcut('Only agents can see notes', ['n'])}>
              <Tabs.Tab
                value="note"
                leftSection={<IconLock size={14} />}
                data-testid="composer-mode-note"
                color="yellow"
                py={4}
                px="sm"
                fz="sm"
                c={isNote ? 'dark' : undefined}
              >
                Internal note
              </Tabs.Tab>
            </Tooltip>
          </Tabs.List>
        </Tabs>
        <Text size="xs" c="dimmed" truncate>
          {isNote ? 'Visible to your team only' : `To ${recipient} via ${channel}`}
        </Text>
      </Group>

      {undeliverable && (
        <Alert color="orange" variant="light" p="xs" mb="xs" icon={<IconAlertTriangle size={16} />}>
          <Text size="xs">Mail to {email?.value} bounced before; this reply may not arrive. Consider another channel.</Text>
        </Alert>
      )}

      <Textarea
        ref={textareaRef}
        data-testid="composer-input"
        aria-label={isNote ? 'Internal note' : 'Reply'}
        placeholder={isNote ? 'Write a note for your team…' : `Write your reply to ${customer.name ?? email?.value ?? 'the customer'}…`}
        autosize
        minRows={3}
        maxRows={14}
        value={draft}
        onChange={(event) => {
          setDraft(event.currentTarget.value);
        }}
        onFocus={() => setFocused(true)}
        onBlur={() => setFocused(false)}
        onKeyDown={getHotkeyHandler([
          ['mod+Enter', () => submit()],
          ['Escape', (event) => (event.target instanceof HTMLElement ? event.target.blur() : undefined)],
        ])}
        styles={{
          input: {
            background: isNote ? 'var(--mantine-color-body)' : undefined,
            borderColor: isNote ? 'var(--sd-note-border)' : undefined,
            fontSize: 'var(--mantine-font-size-sm)',
            lineHeight: 1.55,
          },
        }}
      />

      <ComposerAttachmentList files={attachments.files} onRemove={attachments.remove} />

      <Group justify="space-between" mt="xs" wrap="nowrap">
        <Group gap={6} c="dimmed">
          <FileButton onChange={(picked) => attachments.add(picked)} multiple disabled={attachments.full}>
            {(props) => (
              <Tooltip label={attachments.full ? `At most ${MAX_FILES} files per message` : 'Attach files (or drop them here)'}>
                <ActionIcon {...props} variant="subtle" color="gray" aria-label="Attach files" data-testid="composer-attach">
                  <IconPaperclip size={16} />
                </ActionIcon>
              </Tooltip>
            )}
          </FileButton>
          <ShortcutKeys keys={[MOD, 'Enter']} />
          <Text size="xs" c="dimmed">
            to {isNote ? 'add the note' : 'send'}
          </Text>
        </Group>
        <Button.Group>
          <Tooltip label={withShortcut(sendLabel, [MOD, 'Enter'])}>
            <Button
              data-testid="composer-send"
              onClick={() => submit()}
              loading={send.isPending}
              disabled={!draft.trim() || attachments.uploading}
              color={isNote ? 'yellow' : undefined}
              c={isNote ? 'dark' : undefined}
              leftSection={isNote ? <IconLock size={15} /> : <IconSend size={15} />}
            >
              {sendLabel}
            </Button>
          </Tooltip>
          <Menu position="top-end" withinPortal>
            <Menu.Target>
              <Button
                px={8}
                disabled={!draft.trim() || send.isPending}
                color={isNote ? 'yellow' : undefined}
                c={isNote ? 'dark' : undefined}
                aria-label="More send options"
                data-testid="composer-send-menu"
                style={{ borderLeft: '1px solid color-mix(in srgb, var(--mantine-color-white) 35%, transparent)' }}
              >
                <IconChevronDown size={15} />
              </Button>
            </Menu.Target>
            <Menu.Dropdown>
              <Menu.Item leftSection={<IconHourglass size={15} />} onClick={() => submit('pending')} data-testid="composer-send-pending">
                {sendLabel} and set pending
              </Menu.Item>
              <Menu.Item leftSection={<IconCircleCheck size={15} />} onClick={() => submit('solved')} data-testid="composer-send-solve">
                {sendLabel} and solve
              </Menu.Item>
            </Menu.Dropdown>
          </Menu>
        </Button.Group>
      </Group>
    </Box>
  );
}
