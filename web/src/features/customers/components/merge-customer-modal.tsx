/**
 * Merges a duplicate customer into this one: pick the duplicate, confirm, done.
 */
import { Alert, Button, Combobox, Group, Loader, Modal, Stack, Text, TextInput, useCombobox } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconAlertTriangle, IconGitMerge } from '@tabler/icons-react';
import { useState } from 'react';
import type { Customer, CustomerSummary } from '../../../api/types';
import { displayName } from '../../../ui/format';
import { notifySuccess } from '../../../ui/notify';
import { useCustomerList, useMergeCustomer } from '../hooks/use-customers';

/** The merge dialog for `target`. */
export function MergeCustomerModal({ target, opened, onClose }: { target: Customer; opened: boolean; onClose: () => void }) {
  const [q, setQ] = useState('');
  const [debounced] = useDebouncedValue(q, 250);
  const [source, setSource] = useState<CustomerSummary | null>(null);
  const combobox = useCombobox();
  const candidates = useCustomerList(debounced);
  const merge = useMergeCustomer(target.id);
  const options = (candidates.data?.pages.flatMap((p) => p.items) ?? []).filter((c) => c.id !== target.id).slice(0, 8);

  const close = () => {
    setQ('');
    setSource(null);
    merge.reset();
    onClose();
  };

  return (
    <Modal
      opened={opened}
      onClose={close}
      title={<Text fw={650}>Merge a duplicate into {displayName({ name: target.name }, 'this customer')}</Text>}
      size="lg"
    >
      <Stack gap="sm">
        <Text size="sm" c="dimmed">
          The duplicate’s tickets, emails and phone numbers move to this customer, and the duplicate is removed. This cannot be undone.
        </Text>
        {merge.error && (
          <Alert color="red" variant="light" icon={<IconAlertTriangle size={16} />}>
            {merge.error.message}
          </Alert>
        )}
        <Combobox
          store={combobox}
          onOptionSubmit={(id) => {
            const found = options.find((o) => o.id === id);
            if (found) {
              setSource(found);
              setQ(displayName(found));
            }
            combobox.closeDropdown();
          }}
        >
          <Combobox.Target>
            <TextInput
              label="Duplicate customer"
              placeholder="Search by name or email"
              value={q}
              data-autofocus
              onChange={(e) => {
                setQ(e.currentTarget.value);
                setSource(null);
                combobox.openDropdown();
              }}
              onFocus={() => combobox.openDropdown()}
              onBlur={() => combobox.closeDropdown()}
              rightSection={candidates.isFetching ? <Loader size={14} /> : null}
              data-testid="merge-search"
            />
          </Combobox.Target>
          <Combobox.Dropdown>
            <Combobox.Options>
              {options.length === 0 ? (
                <Combobox.Empty>{candidates.isFetching ? 'Searching…' : 'No other customers found'}</Combobox.Empty>
              ) : (
                options.map((c) => (
                  <Combobox.Option key={c.id} value={c.id}>
                    <Text size="sm">{displayName(c)}</Text>
                    <Text size="xs" c="dimmed">
                      {c.email ?? 'no email'} · {c.ticket_count} tickets
                    </Text>
                  </Combobox.Option>
                ))
              )}
            </Combobox.Options>
          </Combobox.Dropdown>
        </Combobox>
        <Group justify="flex-end" mt="xs">
          <Button variant="default" onClick={close}>
            Cancel
          </Button>
          <Button
            color="red"
            leftSection={<IconGitMerge size={16} />}
            disabled={!source}
            loading={merge.isPending}
            onClick={() =>
              source &&
              merge.mutate(source.id, {
                onSuccess: () => {
                  notifySuccess(`${displayName(source)} was merged`);
                  close();
                },
              })
            }
            data-testid="merge-submit"
          >
            Merge{source ? ` ${displayName(source)}` : ''}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
