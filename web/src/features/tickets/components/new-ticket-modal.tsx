/**
 * "New ticket": log a phone call or open a conversation on a customer's behalf.
 */
import { Alert, Button, Group, Modal, Select, SimpleGrid, Stack, TagsInput, Text, TextInput, Textarea } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { isApiError } from '../../../api/client';
import type { Channel, TicketPriority } from '../../../api/types';
import { notifySuccess } from '../../../ui/notify';
import { useCreateTicket } from '../hooks/use-tickets';
import { CHANNEL_META, PRIORITIES, PRIORITY_META } from '../ticket-meta';

const NEW_TICKET_CHANNELS: Channel[] = ['phone', 'email', 'chat', 'social', 'contact_form'];

const EMPTY = {
  subject: '',
  email: '',
  name: '',
  body: '',
  channel: 'phone' as Channel,
  priority: 'normal' as TicketPriority,
  tags: [] as string[],
};

/** The new-ticket dialog. */
export function NewTicketModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const navigate = useNavigate();
  const create = useCreateTicket();
  const [form, setForm] = useState(EMPTY);
  const set = <K extends keyof typeof EMPTY>(key: K, value: (typeof EMPTY)[K]) => setForm((f) => ({ ...f, [key]: value }));
  const fieldError = (field: string) => (isApiError(create.error) ? create.error.fieldErrors[field] : undefined);

  const close = () => {
    create.reset();
    onClose();
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate(
      {
        subject: form.subject.trim(),
        customer: { email: form.email.trim(), ...(form.name.trim() ? { name: form.name.trim() } : {}) },
        message: { body: form.body },
        channel: form.channel,
        priority: form.priority,
        tags: form.tags,
      },
      {
        onSuccess: (ticket) => {
          notifySuccess(`Ticket #${ticket.number} created`);
          setForm(EMPTY);
          close();
          void navigate(`/tickets/${ticket.number}`);
        },
      },
    );
  };

  const generalError =
    create.error && !(isApiError(create.error) && Object.keys(create.error.fieldErrors).length > 0) ? create.error : null;

  return (
    <Modal opened={opened} onClose={close} title={<Text fw={650}>New ticket</Text>} size="lg" data-testid="new-ticket-modal">
      <form onSubmit={submit}>
        <Stack gap="sm">
          {generalError && (
            <Alert color="red" variant="light" icon={<IconAlertTriangle size={16} />}>
              {generalError.message}
            </Alert>
          )}
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
            <TextInput
              label="Customer email"
              type="email"
              required
              data-autofocus
              placeholder="jane@example.com"
              value={form.email}
              onChange={(e) => set('email', e.currentTarget.value)}
              error={fieldError('customer.email')}
              data-testid="new-ticket-email"
            />
            <TextInput
              label="Customer name"
              placeholder="Optional"
              value={form.name}
              onChange={(e) => set('name', e.currentTarget.value)}
              error={fieldError('customer.name')}
            />
          </SimpleGrid>
          <TextInput
            label="Subject"
            required
            placeholder="Where is my order?"
            value={form.subject}
            onChange={(e) => set('subject', e.currentTarget.value)}
            error={fieldError('subject')}
            data-testid="new-ticket-subject"
          />
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
            <Select
              label="Channel"
              data={NEW_TICKET_CHANNELS.map((c) => ({ value: c, label: CHANNEL_META[c].label }))}
              value={form.channel}
              onChange={(v) => v && set('channel', v as Channel)}
              allowDeselect={false}
              error={fieldError('channel')}
            />
            <Select
              label="Priority"
              data={PRIORITIES.map((p) => ({ value: p, label: PRIORITY_META[p].label }))}
              value={form.priority}
              onChange={(v) => v && set('priority', v as TicketPriority)}
              allowDeselect={false}
              error={fieldError('priority')}
            />
          </SimpleGrid>
          <Textarea
            label={form.channel === 'phone' ? 'Call notes' : 'Message'}
            description={
              form.channel === 'phone'
                ? 'What the customer said; saved as the first message of the ticket.'
                : 'The customer’s request, as the first message.'
            }
            required
            autosize
            minRows={5}
            maxRows={12}
            value={form.body}
            onChange={(e) => set('body', e.currentTarget.value)}
            error={fieldError('message.body')}
            data-testid="new-ticket-body"
          />
          <TagsInput label="Tags" placeholder="Add a tag and press Enter" value={form.tags} onChange={(v) => set('tags', v)} clearable />
          <Group justify="flex-end" mt="xs">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button type="submit" loading={create.isPending} data-testid="new-ticket-submit">
              Create ticket
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
