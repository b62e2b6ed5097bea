/**
 * HTTP: the live event stream (Server-Sent Events) and presence heartbeats.
 */
import { Type } from '@sinclair/typebox';
import type { App } from '../../http/app.ts';
import type { LiveEvent } from '../../shared/live-bus.ts';
import { actorAgentId } from '../../shared/context.ts';
import { resolveTicketId } from '../tickets/tickets.service.ts';

/** Converts a live event to the snake_case shape the stream sends. */
export function presentLiveEvent(e: LiveEvent): Record<string, unknown> {
  switch (e.type) {
    case 'presence':
      return { type: e.type, ticket_id: e.ticketId, viewers: e.viewers.map((v) => ({ agent_id: v.agentId, name: v.name, state: v.state })) };
    case 'ticket.created':
      return { type: e.type, ticket_id: e.ticketId, number: e.number };
    case 'ticket.updated':
      return { type: e.type, ticket_id: e.ticketId, number: e.number, changes: e.changes };
    case 'message.created':
      return { type: e.type, ticket_id: e.ticketId, number: e.number, message_id: e.messageId, kind: e.kind };
  }
}

const PresenceParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 40 }) });
const ViewersSchema = Type.Object({
  viewers: Type.Array(Type.Object({ agent_id: Type.String(), name: Type.String(), state: Type.Union([Type.Literal('viewing'), Type.Literal('replying')]) })),
});

export async function realtimeRoutes(app: App) {
  const { live, presence } = app.storedesk;

  app.get(
    '/stream',
    { config: { auth: 'agent' }, schema: { tags: ['live'], summary: 'Server-Sent Events: ticket, message and presence changes as they commit' } },
    (request, reply) => {
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      res.write('retry: 3000\n: connected\n\n');
      const unsubscribe = live.subscribe((event) => {
        res.write(`data: ${JSON.stringify(presentLiveEvent(event))}\n\n`);
      });
      const keepAlive = setInterval(() => res.write(': ping\n\n'), 25_000);
      request.raw.on('close', () => {
        clearInterval(keepAlive);
        unsubscribe();
      });
    },
  );

  app.post(
    '/tickets/:id/presence',
    {
      config: { auth: 'agent' },
      schema: {
        tags: ['live'],
        summary: 'Heartbeat: I am viewing or replying on this ticket (send every 15 s)',
        params: PresenceParams,
        body: Type.Object({ state: Type.Union([Type.Literal('viewing'), Type.Literal('replying')]) }, { additionalProperties: false }),
        response: { 200: ViewersSchema },
      },
    },
    async (request) => {
      const ticketId = await resolveTicketId(request.ctx, request.params.id);
      const actor = request.ctx.actor;
      const agentId = actorAgentId(actor) ?? '';
      const name = actor.type === 'agent' || actor.type === 'integration' ? actor.name : 'someone';
      const viewers = presence.beat(ticketId, { agentId, name }, request.body.state);
      return { viewers: viewers.map((v) => ({ agent_id: v.agentId, name: v.name, state: v.state })) };
    },
  );

  app.delete(
    '/tickets/:id/presence',
    { config: { auth: 'agent' }, schema: { tags: ['live'], summary: 'I left this ticket', params: PresenceParams } },
    async (request, reply) => {
      const ticketId = await resolveTicketId(request.ctx, request.params.id);
      presence.leave(ticketId, actorAgentId(request.ctx.actor) ?? '');
      return reply.status(204).send();
    },
  );
}
