/**
 * Changes what the team knows about a customer: the name to greet them by, and a note every
 * agent sees beside their conversations (never the customer).
 */
import { Alert, Button, Group, Modal, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import { isApiError } from '../../../api/client';
import type { Customer } from '../../../api/types';
import { notifySuccess } from '../../../ui/notify';
import { useUpdateCustomer } from '../hooks/use-customers';

function EditCustomerForm({ customer, onClose }: { customer: Customer; onClose: () => void }) {
  const [name, setName] = useState(customer.name ?? '');
  const [note, setNote] = useState(customer.note ?? '');
  const update = useUpdateCustomer(customer.id);
  const fieldErrors = isApiError(update.error) ? update.error.fieldErrors : {};

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const patch: { name?: string | null; note?: string | null } = {};
    if (name.trim() !== (customer.name ?? '')) patch.name = name.trim() || null;
    if (note.trim() !== (customer.note ?? '')) patch.note = note.trim() || null;
    if (Object.keys(patch).length === 0) {
      onClose();
      return;
    }
    update.mutate(patch, {
      onSuccess: () => {
        notifySuccess('Customer saved');
        onClose();
      },
    });
  };

  return (
    <form onSubmit={submit}>
      <Stack gap="sm">
        {update.error && !Object.keys(fieldErrors).length && (
          <Alert color="red" variant="light" icon={<IconAlertTriangle size={16} />}>
            {update.error.message}
          </Alert>
        )}
        <TextInput label="Name" value={name} onChange={(e) => setName(e.currentTarget.value)} error={fieldErrors.name} data-autofocus data-testid="customer-edit-name" />
        <Textarea
          label="Note for the team"
          description="Agents see it beside every conversation with this customer. Customers never do."
          placeholder="e.g. Prefers phone calls after 17:00"
          autosize
          minRows={3}
          maxRows={10}
          value={note}
          onChange={(e) => setNote(e.currentTarget.value)}
          error={fieldErrors.note}
          data-testid="customer-edit-note"
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" loading={update.isPending} data-testid="customer-edit-save">
            Save
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** The modal. */
export function EditCustomerModal({ customer, opened, onClose }: { customer: Customer; opened: boolean; onClose: () => void }) {
  return (
    <Modal opened={opened} onClose={onClose} title={<Text fw={650}>Edit customer</Text>}>
      {opened && <EditCustomerForm customer={customer} onClose={onClose} />}
    </Modal>
  );
}
