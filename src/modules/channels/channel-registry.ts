/**
 * Channels as strategies. The ticket core knows nothing of email, chat or social; a channel
 * registers what happens when an agent replies on a ticket of its kind. The hook runs inside
 * the reply's transaction, so a channel writes its outbox row atomically with the message.
 */
import type { Channel } from '../../db/schema.ts';
import type { Ctx } from '../../shared/context.ts';

/** What a channel learns when an agent sends a public reply. */
export interface OutboundReply {
  ticketId: string;
  ticketNumber: number;
  messageId: string;
  customerId: string;
  storeId: string;
}

/** One channel's behaviour. */
export interface ChannelStrategy {
  readonly channel: Channel;
  /** Queues delivery of an agent's reply; runs in the reply's transaction (ctx.db is a Transaction). */
  onAgentReply?(ctx: Ctx, reply: OutboundReply): Promise<void>;
}

const strategies = new Map<Channel, ChannelStrategy>();

/** Registers a channel strategy (once per channel, at boot). */
export function registerChannel(strategy: ChannelStrategy): void {
  strategies.set(strategy.channel, strategy);
}

/** The strategy of a channel, if one is registered. */
export function channelStrategy(channel: Channel): ChannelStrategy | undefined {
  return strategies.get(channel);
}
