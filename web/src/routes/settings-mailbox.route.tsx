/**
 * Settings → one mailbox: add a new one (`/settings/mailboxes/new`) or change and remove one.
 */
import { Anchor, Button, Group, Modal, Skeleton, Stack, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconArrowLeft, IconMailOff, IconTrash } from '@tabler/icons-react';
import { Link, useNavigate, useParams } from 'react-router';
import { MailboxForm } from '../features/email/components/mailbox-form';
import { useDeleteMailbox, useMailbox, useSaveMailbox } from '../features/email/hooks/use-email';
import { notifyError, notifySuccess } from '../ui/notify';
import { PageHeader } from '../ui/page-header';
import { LoadErrorState, StaleDataNotice } from '../ui/states';

function Back() {
  return (
    <Anchor component={Link} to="/settings/mailboxes" size="xs" c="dimmed">
      <Group gap={4}>
        <IconArrowLeft size={13} /> Mailboxes
      </Group>
    </Anchor>
  );
}

export default function MailboxRoute() {
  const { id } = useParams();
  const navigate = useNavigate();
  const mailbox = useMailbox(id);
  const save = useSaveMailbox(id);
  const remove = useDeleteMailbox();
  const [confirmOpened, confirm] = useDisclosure(false);
  const done = () => void navigate('/settings/mailboxes');

  if (id && mailbox.isPending) {
    return (
      <Stack p="lg" maw={1000} mx="auto" aria-busy="true">
        <Skeleton h={24} w={260} />
        <Skeleton h={480} radius="md" />
      </Stack>
    );
  }
  // The error page only without a mailbox to show: a failed refresh must not throw away the form.
  if (id && mailbox.isLoadingError) {
    return (
      <LoadErrorState
        error={mailbox.error}
        title="Could not load the mailbox"
        onRetry={() => void mailbox.refetch()}
        notFound={{ icon: <IconMailOff size={26} stroke={1.5} />, title: 'Mailbox not found', description: 'It may have been removed.', backTo: '/settings/mailboxes', backLabel: 'All mailboxes' }}
      />
    );
  }
  const existing = id ? mailbox.data : undefined;

  return (
    <Stack gap="md" p="lg" maw={1000} mx="auto" data-testid="mailbox-page">
      <Back />
      {id && <StaleDataNotice query={mailbox} what="this mailbox" />}
      <PageHeader
        title={existing ? existing.address : 'Add a mailbox'}
        description={
          existing
            ? 'Passwords and keys are write-only: they are stored encrypted and never shown again.'
            : 'Connect the address your customers write to.'
        }
        actions={
          existing && (
            <Button variant="default" color="red" leftSection={<IconTrash size={15} />} onClick={confirm.open} data-testid="mailbox-delete">
              Remove
            </Button>
          )
        }
      />
      <MailboxForm
        key={existing?.id ?? 'new'}
        mailbox={existing}
        saving={save.isPending}
        error={save.error}
        onCancel={done}
        onSave={(input) =>
          save.mutate(input, {
            onSuccess: (saved) => {
              notifySuccess(existing ? `${saved.address} saved` : `${saved.address} added`);
              done();
            },
          })
        }
      />
      {existing && (
        <Modal opened={confirmOpened} onClose={confirm.close} title={<Text fw={650}>Remove {existing.address}?</Text>}>
          <Text size="sm">
            Mail already received stays on its tickets. New mail to this address is no longer accepted, and replies on its tickets are sent
            from the default mailbox.
          </Text>
          <Group justify="flex-end" mt="lg">
            <Button variant="default" onClick={confirm.close}>
              Keep it
            </Button>
            <Button
              color="red"
              loading={remove.isPending}
              onClick={() =>
                remove.mutate(existing.id, {
                  onSuccess: () => {
                    notifySuccess(`${existing.address} removed`);
                    done();
                  },
                  onError: (error) => notifyError(error, 'The mailbox was not removed'),
                })
              }
              data-testid="mailbox-delete-confirm"
            >
              Remove mailbox
            </Button>
          </Group>
        </Modal>
      )}
    </Stack>
  );
}
