/**
 * Who is looking at or replying on which ticket. Presence is ephemeral by nature (it is gone
 * when the browser is), so it lives in memory with a short expiry; it is never business data.
 */
import type { LiveBus, PresenceEntry } from '../../shared/live-bus.ts';

/** How long a heartbeat keeps an agent present. */
export const PRESENCE_TTL_MS = 45_000;

interface Entry extends PresenceEntry {
  expiresAt: number;
}

/** Tracks presence per ticket and publishes changes on the live bus. */
export class PresenceTracker {
  private readonly tickets = new Map<string, Map<string, Entry>>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(private readonly live: LiveBus) {
    this.sweeper = setInterval(() => this.sweep(), 10_000);
    this.sweeper.unref();
  }

  /** Records a heartbeat; publishes only when the set of viewers or their state changed. */
  beat(ticketId: string, agent: { agentId: string; name: string }, state: PresenceEntry['state'], now = Date.now()): PresenceEntry[] {
    const entries = this.tickets.get(ticketId) ?? new Map<string, Entry>();
    this.tickets.set(ticketId, entries);
    const before = entries.get(agent.agentId);
    entries.set(agent.agentId, { agentId: agent.agentId, name: agent.name, state, expiresAt: now + PRESENCE_TTL_MS });
    if (!before || before.state !== state) this.publish(ticketId);
    return this.viewers(ticketId);
  }

  /** Removes an agent from a ticket (they left the page). */
  leave(ticketId: string, agentId: string): void {
    const entries = this.tickets.get(ticketId);
    if (entries?.delete(agentId)) this.publish(ticketId);
    if (entries && entries.size === 0) this.tickets.delete(ticketId);
  }

  /** Current viewers of a ticket. */
  viewers(ticketId: string, now = Date.now()): PresenceEntry[] {
    const entries = this.tickets.get(ticketId);
    if (!entries) return [];
    return [...entries.values()].filter((e) => e.expiresAt > now).map(({ agentId, name, state }) => ({ agentId, name, state }));
  }

  private publish(ticketId: string): void {
    this.live.publish({ type: 'presence', ticketId, viewers: this.viewers(ticketId) });
  }

  private sweep(now = Date.now()): void {
    for (const [ticketId, entries] of this.tickets) {
      let changed = false;
      for (const [agentId, e] of entries) {
        if (e.expiresAt <= now) {
          entries.delete(agentId);
          changed = true;
        }
      }
      if (entries.size === 0) this.tickets.delete(ticketId);
      if (changed) this.publish(ticketId);
    }
  }

  /** Stops the expiry timer. */
  close(): void {
    clearInterval(this.sweeper);
  }
}
