/**
 * The email channel for admins: mailboxes (secrets go in, never out), the local outbox, and
 * original emails (.eml) of messages and outbox entries.
 */
import { api, apiText, apiUrl } from '../../../api/client';
import type { ItemList, Mailbox, MailboxInput, OutboxEntry } from '../../../api/types';

/** Every mailbox. */
export function listMailboxes(signal?: AbortSignal): Promise<ItemList<Mailbox>> {
  return api('/mailboxes', { signal });
}

/** One mailbox. */
export function fetchMailbox(id: string, signal?: AbortSignal): Promise<Mailbox> {
  return api(`/mailboxes/${encodeURIComponent(id)}`, { signal });
}

/** Adds a mailbox. */
export function createMailbox(input: MailboxInput): Promise<Mailbox> {
  return api('/mailboxes', { method: 'POST', body: input });
}

/** Changes a mailbox; passwords and keys left out are kept. */
export function updateMailbox(id: string, input: MailboxInput): Promise<Mailbox> {
  return api(`/mailboxes/${encodeURIComponent(id)}`, { method: 'PATCH', body: input });
}

/** Removes a mailbox; its mail stays on the tickets. */
export function deleteMailbox(id: string): Promise<void> {
  return api(`/mailboxes/${encodeURIComponent(id)}`, { method: 'DELETE' });
}

/** Mail kept on this machine because no relay is configured, newest first. */
export function listOutbox(limit = 100, signal?: AbortSignal): Promise<ItemList<OutboxEntry>> {
  return api('/outbox', { query: { limit }, signal });
}

/** The source of an original email, from a URL the API gave (`raw_url`) or a message id. */
export function fetchRawEmail(url: string, signal?: AbortSignal): Promise<string> {
  return apiText(url, { signal });
}

/** Where a message's original email is downloaded from. */
export function messageRawUrl(messageId: string): string {
  return apiUrl(`/messages/${encodeURIComponent(messageId)}/raw`);
}
