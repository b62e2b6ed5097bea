/**
 * Tickets: lists, counts, the ticket page, changes, replies and new tickets.
 */
import { api, apiUpload, apiUrl } from '../../../api/client';
import type {
  CreatedTicket,
  Message,
  NewMessage,
  NewTicket,
  Page,
  TicketCounts,
  TicketDetail,
  Upload,
  TicketFilters,
  TicketPage,
  TicketPatch,
  TicketSummary,
} from '../../../api/types';

/** Page size of ticket lists. */
export const TICKET_PAGE_SIZE = 50;

/** One page of tickets matching the filters, newest activity first. */
export function listTickets(filters: TicketFilters, cursor?: string | null, signal?: AbortSignal): Promise<Page<TicketSummary>> {
  return api('/tickets', { query: { ...filters, limit: TICKET_PAGE_SIZE, cursor }, signal });
}

/** Counters for the sidebar views. */
export function fetchTicketCounts(): Promise<TicketCounts> {
  return api('/tickets/counts');
}

/** A ticket with its messages, events and customer, by id or number. */
export function fetchTicket(ref: string, signal?: AbortSignal): Promise<TicketPage> {
  return api(`/tickets/${encodeURIComponent(ref)}`, { signal });
}

/** Changes status, priority, assignee, team, tags or subject. */
export function updateTicket(id: string, patch: TicketPatch): Promise<{ ticket: TicketDetail }> {
  return api(`/tickets/${id}`, { method: 'PATCH', body: patch });
}

/** Sends a reply or adds an internal note, optionally setting the status in the same step. */
export function postMessage(id: string, message: NewMessage): Promise<{ message: Message; ticket: TicketDetail }> {
  return api(`/tickets/${id}/messages`, { method: 'POST', body: message });
}

/** Opens a ticket on a customer's behalf (a phone call, a walk-in). */
export function createTicket(input: NewTicket): Promise<CreatedTicket> {
  return api('/tickets', { method: 'POST', body: input });
}

/** Queues a failed email reply for another delivery attempt. */
export function retryDelivery(messageId: string): Promise<{ delivery_status: 'queued' }> {
  return api(`/messages/${messageId}/retry`, { method: 'POST' });
}

/** Where the original email (.eml) of a message is downloaded from. */
export function rawEmailUrl(messageId: string): string {
  return apiUrl(`/messages/${messageId}/raw`);
}

/** Uploads a file to attach to a reply or note, reporting progress (0–1). */
export function uploadAttachment(file: File, onProgress?: (fraction: number) => void, signal?: AbortSignal): Promise<Upload> {
  return apiUpload<Upload>('/uploads', file, { query: { filename: file.name || 'attachment' }, onProgress, signal });
}
