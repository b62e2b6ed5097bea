/**
 * Presence: tells other agents who is on a ticket page and who is writing.
 */
import { api } from '../../../api/client';
import type { PresenceViewer } from '../../../api/types';

/** What an agent is doing on a ticket. */
export type PresenceState = PresenceViewer['state'];

/** Announces (and keeps alive) this agent's presence on a ticket. */
export function announcePresence(ticketId: string, state: PresenceState): Promise<{ viewers?: PresenceViewer[] } | undefined> {
  return api(`/tickets/${ticketId}/presence`, { method: 'POST', body: { state } });
}

/** Says this agent left the ticket; survives the page unloading. */
export function leavePresence(ticketId: string): Promise<void> {
  return api(`/tickets/${ticketId}/presence`, { method: 'DELETE', keepalive: true, allowUnauthenticated: true });
}
