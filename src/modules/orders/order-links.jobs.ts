/**
 * The job that links orders from customer messages. The ticket core queues it in the message's
 * transaction on MESSAGE_ORDER_LINKS_QUEUE (the queue name and `{ message_id, first }` are the
 * contract: tickets does not import this module, this module imports tickets). It runs after
 * the commit, because it asks the store; while the store cannot be asked it links what is in the
 * store's own format and tries again later, so a message is never lost or held up by an outage.
 */
import type { JobHandler } from '../../jobs/job-worker.ts';
import { PermanentJobError } from '../../jobs/job-worker.ts';
import { MESSAGE_ORDER_LINKS_QUEUE } from '../tickets/tickets.service.ts';
import { linkMessageOrderReferences } from './order-links.service.ts';

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Waits between asks of a store that is down: 30 s, 1 min, 2 min … capped at one hour, with jitter. */
export function orderLinkBackoffMs(attempt: number): number {
  const base = Math.min(3600_000, 30_000 * 2 ** Math.max(0, attempt - 1));
  return Math.round(base * (0.8 + Math.random() * 0.4));
}

/** The job handlers of order linking, for the server's job worker. */
export function orderLinkJobHandlers(): JobHandler[] {
  return [{
    queue: MESSAGE_ORDER_LINKS_QUEUE,
    backoffMs: orderLinkBackoffMs,
    async run(ctx, job) {
      const messageId = job.payload.message_id;
      if (typeof messageId !== 'string' || !UUID_PATTERN.test(messageId)) throw new PermanentJobError('the job names no message');
      const outcome = await linkMessageOrderReferences(ctx, messageId, { withSubject: job.payload.first === true });
      // The error is recorded on the job: it names the message, never its text.
      if (outcome.retry) throw new Error(`the store could not confirm the order or tracking numbers of message ${messageId}; asking again later`);
    },
  }];
}
