/**
 * The job that links orders from customer messages. The ticket core queues it in the message's
 * transaction on MESSAGE_ORDER_LINKS_QUEUE (the queue name and `{ message_id, first }` are the
 * contract: tickets does not import this module, this module imports tickets). It runs after
 * the commit, because it asks the store; while the store cannot be asked it links what is in the
 * store's own format and tries again later, so a message is never lost or held up by an outage.
 */
import type { JobHandler } from '../../jobs/job-worker.ts';
import { defaultBackoffMs, PermanentJobError } from '../../jobs/job-worker.ts';
import { MESSAGE_ORDER_LINKS_QUEUE } from '../tickets/tickets.service.ts';
import { linkMessageOrderReferences } from './order-links.service.ts';
import { isUuid } from '../../shared/uuid.ts';



/** The job handlers of order linking, for the server's job worker. */
export function orderLinkJobHandlers(): JobHandler[] {
  return [{
    queue: MESSAGE_ORDER_LINKS_QUEUE,
    // A store that is down is asked again after 30 s, 1 min, 2 min … capped at one hour.
    backoffMs: (attempt) => defaultBackoffMs(attempt, 30_000),
    async run(ctx, job) {
      const messageId = job.payload.message_id;
      if (!isUuid(messageId)) throw new PermanentJobError('the job names no message');
      const outcome = await linkMessageOrderReferences(ctx, messageId, { withSubject: job.payload.first === true });
      // The error is recorded on the job: it names the message, never its text.
      if (outcome.retry) throw new Error(`the store could not confirm the order or tracking numbers of message ${messageId}; asking again later`);
    },
  }];
}
