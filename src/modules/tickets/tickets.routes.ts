/**
 * HTTP: tickets, their messages, inbox counts.
 */
import { Type } from '@sinclair/typebox';
import type { App } from '../../http/app.ts';
import type { TicketStatus } from '../../db/schema.ts';
import { actorAgentId } from '../../shared/context.ts';
import {
  AddMessageBody, CreateTicketBody, CreateTicketResponse, EventSchema, IdParam, ListTicketsQuery, MessageSchema, PatchTicketBody,
  TicketSchema, TicketSummarySchema, presentEvent, presentMessage, presentTicket, presentTicketSummary, type ListTicketsQueryT,
} from './tickets.schema.ts';
import { addMessage, createTicket, getMessage, getTicketDetail, inboxCounts, listTickets, updateTicket } from './tickets.service.ts';
import type { TicketFilter } from './tickets.queries.ts';
import { getCustomerProfile } from '../customers/customers.service.ts';
import { CustomerSchema, presentCustomerProfile } from '../customers/customers.schema.ts';
import { listCustomerTickets } from './tickets.service.ts';
import { attachmentsFromUploads } from '../uploads/uploads.service.ts';
import type { Ctx } from '../../shared/context.ts';

/** Turns list query parameters into a filter; "me" is the caller. */
export function filterFromQuery(ctx: Ctx, query: ListTicketsQueryT): TicketFilter {
  const assignee = query.assignee === 'me' ? actorAgentId(ctx.actor) : query.assignee === 'none' ? null : query.assignee;
  return {
    statuses: query.status ? (query.status.split(',') as TicketStatus[]) : undefined,
    assigneeId: assignee,
    teamId: query.team,
    tag: query.tag?.toLowerCase(),
    channel: query.channel,
    priority: query.priority,
    customerId: query.customer_id,
    q: query.q,
  };
}

export async function ticketsRoutes(app: App) {
  app.post(
    '/tickets',
    {
      config: { auth: 'agent' },
      schema: {
        tags: ['tickets'],
        summary: 'Open a ticket; the customer is found by email or created',
        body: CreateTicketBody,
        response: { 201: CreateTicketResponse },
      },
    },
    async (request, reply) => {
      const b = request.body;
      const created = await createTicket(request.ctx, {
        subject: b.subject,
        customer: b.customer,
        message: { body: b.message.body },
        channel: b.channel,
        priority: b.priority,
        tags: b.tags,
        assigneeId: b.assignee_id,
        teamId: b.team_id,
        storeId: b.store_id,
        firstMessageFrom: 'agent',
      });
      return reply.status(201).header('location', `/api/v1/tickets/${created.id}`).send({
        id: created.id, number: created.number, customer_id: created.customerId, message_id: created.messageId,
      });
    },
  );

  app.get(
    '/tickets',
    {
      config: { auth: 'agent' },
      schema: {
        tags: ['tickets'],
        summary: 'List tickets by last activity, filtered, one page at a time',
        querystring: ListTicketsQuery,
        response: { 200: Type.Object({ items: Type.Array(TicketSummarySchema), next_cursor: Type.Union([Type.String(), Type.Null()]) }) },
      },
    },
    async (request) => {
      const page = await listTickets(request.ctx, filterFromQuery(request.ctx, request.query), { cursor: request.query.cursor, limit: request.query.limit ?? 50 });
      return { items: page.items.map(presentTicketSummary), next_cursor: page.nextCursor };
    },
  );

  app.get(
    '/tickets/counts',
    {
      config: { auth: 'agent' },
      schema: {
        tags: ['tickets'],
        summary: 'Ticket counts for the inbox views (capped at 10000)',
        response: { 200: Type.Object({ mine: Type.Integer(), unassigned: Type.Integer(), open: Type.Integer(), pending: Type.Integer(), on_hold: Type.Integer(), solved: Type.Integer(), all: Type.Integer() }) },
      },
    },
    async (request) => inboxCounts(request.ctx),
  );

  app.get(
    '/tickets/:id',
    {
      config: { auth: 'agent' },
      schema: {
        tags: ['tickets'],
        summary: 'One ticket (by id or number) with its messages, events and customer',
        params: IdParam,
        response: { 200: Type.Object({ ticket: TicketSchema, messages: Type.Array(MessageSchema), events: Type.Array(EventSchema), customer: CustomerSchema }) },
      },
    },
    async (request) => {
      const detail = await getTicketDetail(request.ctx, request.params.id);
      const customer = await getCustomerProfile(request.ctx, detail.ticket.customer_id);
      const tickets = await listCustomerTickets(request.ctx, customer.id);
      return {
        ticket: presentTicket(detail.ticket),
        messages: detail.messages.map((m) => presentMessage(m, detail.ticket.id)),
        events: detail.events.map(presentEvent),
        customer: presentCustomerProfile(customer, tickets),
      };
    },
  );

  app.patch(
    '/tickets/:id',
    {
      config: { auth: 'agent' },
      schema: {
        tags: ['tickets'],
        summary: 'Change status, priority, assignee, team, tags or subject',
        params: IdParam,
        body: PatchTicketBody,
        response: { 200: Type.Object({ ticket: TicketSchema }) },
      },
    },
    async (request) => {
      const b = request.body;
      const ticket = await updateTicket(request.ctx, request.params.id, {
        status: b.status, priority: b.priority, assigneeId: b.assignee_id, teamId: b.team_id, tags: b.tags, subject: b.subject,
      });
      return { ticket: presentTicket(ticket) };
    },
  );

  app.post(
    '/tickets/:id/messages',
    {
      config: { auth: 'agent' },
      schema: {
        tags: ['tickets'],
        summary: 'Reply to the customer, or add an internal note',
        params: IdParam,
        body: AddMessageBody,
        response: { 201: Type.Object({ message: MessageSchema, ticket: TicketSchema }) },
      },
    },
    async (request, reply) => {
      const { attachment_ids: attachmentIds, ...body } = request.body;
      const attachments = await attachmentsFromUploads(request.ctx, attachmentIds ?? []);
      const added = await addMessage(request.ctx, request.params.id, { ...body, attachments });
      const [message, detail] = [await getMessage(request.ctx, added.messageId), await getTicketDetail(request.ctx, added.ticketId)];
      return reply.status(201).send({ message: presentMessage(message, added.ticketId), ticket: presentTicket(detail.ticket) });
    },
  );
}
