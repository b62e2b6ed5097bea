/**
 * Mailboxes and the outbox for the admin pages, and original emails for the viewer.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { queryKeys } from '../../../api/query-keys';
import type { MailboxInput } from '../../../api/types';
import { createMailbox, deleteMailbox, fetchMailbox, fetchRawEmail, listMailboxes, listOutbox, updateMailbox } from '../api/email.api';

/** Every mailbox, default first, then by address. */
export function useMailboxes() {
  return useQuery({
    queryKey: queryKeys.mailboxes,
    queryFn: async ({ signal }) =>
      (await listMailboxes(signal)).items.toSorted(
        (a, b) => Number(b.is_default) - Number(a.is_default) || a.address.localeCompare(b.address),
      ),
    refetchInterval: 30_000,
  });
}

/** One mailbox; polled so the IMAP status stays current. */
export function useMailbox(id: string | undefined) {
  return useQuery({
    queryKey: queryKeys.mailbox(id ?? ''),
    queryFn: ({ signal }) => fetchMailbox(id ?? '', signal),
    enabled: Boolean(id),
    refetchInterval: 30_000,
  });
}

/** Creates a mailbox (no id) or saves one. */
export function useSaveMailbox(id: string | undefined) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: MailboxInput) => (id ? updateMailbox(id, input) : createMailbox(input)),
    onSuccess: (mailbox) => {
      client.setQueryData(queryKeys.mailbox(mailbox.id), mailbox);
      void client.invalidateQueries({ queryKey: queryKeys.mailboxes, exact: true });
    },
  });
}

/** Removes a mailbox. */
export function useDeleteMailbox() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => deleteMailbox(id),
    onSuccess: () => client.invalidateQueries({ queryKey: queryKeys.mailboxes }),
  });
}

/** The local outbox, refreshed while it is on screen. */
export function useOutbox() {
  return useQuery({ queryKey: queryKeys.outbox, queryFn: ({ signal }) => listOutbox(100, signal), refetchInterval: 15_000 });
}

/** The source of an original email; idle until a URL is given. */
export function useRawEmail(url: string | null) {
  return useQuery({
    queryKey: queryKeys.rawEmail(url ?? ''),
    queryFn: ({ signal }) => fetchRawEmail(url ?? '', signal),
    enabled: url !== null,
    staleTime: Infinity,
    gcTime: 5 * 60_000,
  });
}
