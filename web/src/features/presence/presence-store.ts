/**
 * Who is on which ticket right now, as the live stream last reported it.
 */
import { useSyncExternalStore } from 'react';
import type { PresenceViewer } from '../../api/types';

const viewersByTicket = new Map<string, PresenceViewer[]>();
const listeners = new Set<() => void>();
const EMPTY: PresenceViewer[] = [];

/** Replaces the viewers of one ticket. */
export function setViewers(ticketId: string, viewers: PresenceViewer[]): void {
  viewersByTicket.set(ticketId, viewers);
  for (const listener of listeners) listener();
}

/** Forgets all presence (after the stream reconnects, the server resends what is current). */
export function clearViewers(): void {
  viewersByTicket.clear();
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Everyone the server says is on a ticket, including the signed-in agent. */
export function useViewers(ticketId: string | undefined): PresenceViewer[] {
  return useSyncExternalStore(subscribe, () => (ticketId ? (viewersByTicket.get(ticketId) ?? EMPTY) : EMPTY));
}
