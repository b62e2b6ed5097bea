/**
 * Live updates for the workspace: committed changes fan out to every connected agent.
 * This is a notification path only; the source of truth is the database and its event log,
 * so a missed notification costs a refresh, never data.
 */
import { EventEmitter } from 'node:events';

/** One change that open workspaces should reflect. */
export type LiveEvent =
  | { type: 'ticket.created'; ticketId: string; number: number }
  | { type: 'ticket.updated'; ticketId: string; number: number; changes: string[] }
  | { type: 'message.created'; ticketId: string; number: number; messageId: string; kind: string }
  | { type: 'presence'; ticketId: string; viewers: PresenceEntry[] };

/** An agent looking at, or writing on, a ticket. */
export interface PresenceEntry {
  agentId: string;
  name: string;
  state: 'viewing' | 'replying';
}

/** In-process publish/subscribe for live events. */
export class LiveBus {
  private readonly emitter = new EventEmitter();
  constructor() {
    this.emitter.setMaxListeners(0);
  }
  publish(event: LiveEvent): void {
    this.emitter.emit('event', event);
  }
  subscribe(listener: (event: LiveEvent) => void): () => void {
    this.emitter.on('event', listener);
    return () => this.emitter.off('event', listener);
  }
}
