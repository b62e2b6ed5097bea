/**
 * HTTP: a customer's orders and order timeline, one order in full, finding an order from a
 * number or tracking number, and actions on orders from a ticket (with a dry-run preview).
 */
import { Type } from '@sinclair/typebox';
import type { App } from '../../http/app.ts';
import { listCustomerOrderTimeline } from '../stores/order-feed.service.ts';
import { listTicketOrderActions, previewOrderAction, runOrderAction } from './order-actions.service.ts';
import {
  CustomerOrdersSchema, OrderActionBody, OrderActionPreviewSchema, OrderActionSchema, OrderDetailSchema, OrderLookupSchema, TimelineSchema,
  actionReasonCodesFromParams, actionRequestFromParams, presentCustomerOrders, presentLookupMatch, presentOrderAction, presentOrderDetail, presentPreview,
} from './orders.schema.ts';
import { getCustomerOrders, getOrderDetail, lookupOrders } from './orders.service.ts';

const CustomerParam = Type.Object({ id: Type.String({ format: 'uuid' }) });
const TicketParam = Type.Object({ id: Type.String({ minLength: 1, maxLength: 40, description: 'Ticket id or number' }) });
const PageQuery = Type.Object(
  { limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50, default: 10 })), cursor: Type.Optional(Type.String({ maxLength: 500 })) },
  { additionalProperties: false },
);

export async function ordersRoutes(app: App) {
  app.get(
    '/customers/:id/orders',
    {
      config: { auth: 'agent' },
      schema: {
        tags: ['orders'],
        summary: 'The customer’s orders in their store, newest first, with lifetime value, order count, first and last order',
        params: CustomerParam,
        querystring: PageQuery,
        response: { 200: CustomerOrdersSchema },
      },
    },
    async (request) => presentCustomerOrders(await getCustomerOrders(request.ctx, request.params.id, { cursor: request.query.cursor, limit: request.query.limit ?? 10 })),
  );

  app.get(
    '/customers/:id/order-timeline',
    {
      config: { auth: 'agent' },
      schema: {
        tags: ['orders'],
        summary: 'What happened to the customer’s orders (created, paid, shipped, delivered, cancelled, refunded, returned), newest first',
        params: CustomerParam,
        querystring: PageQuery,
        response: { 200: TimelineSchema },
      },
    },
    async (request) => {
      const page = await listCustomerOrderTimeline(request.ctx, request.params.id, { cursor: request.query.cursor, limit: request.query.limit ?? 10 });
      return {
        items: page.items.map((e) => ({ id: e.id, store_id: e.storeId, store_name: e.storeName, order_number: e.orderNumber, type: e.type, occurred_at: e.occurredAt.toISOString(), data: e.data })),
        next_cursor: page.nextCursor,
      };
    },
  );

  app.get(
    '/orders/lookup',
    {
      config: { auth: 'agent' },
      schema: {
        tags: ['orders'],
        summary: 'Find orders by an order number (any store’s format: NW-10234, #10234) or a tracking number, with their customer',
        querystring: Type.Object(
          { q: Type.String({ minLength: 1, maxLength: 100 }), store_id: Type.Optional(Type.String({ format: 'uuid' })) },
          { additionalProperties: false },
        ),
        response: { 200: OrderLookupSchema },
      },
    },
    async (request) => {
      const r = await lookupOrders(request.ctx, request.query.q, { storeId: request.query.store_id });
      return { matches: r.matches.map(presentLookupMatch), unavailable: r.unavailable.map((u) => ({ store_id: u.storeId, store_name: u.storeName })) };
    },
  );

  app.get(
    '/orders/:storeId/:number',
    {
      config: { auth: 'agent' },
      schema: {
        tags: ['orders'],
        summary: 'One order in full: lines, payments, refunds, parcels with tracking links, returns, notes, and the refundable maximum',
        params: Type.Object({ storeId: Type.String({ format: 'uuid' }), number: Type.String({ minLength: 1, maxLength: 64 }) }),
        response: { 200: OrderDetailSchema },
      },
    },
    async (request) => presentOrderDetail(await getOrderDetail(request.ctx, request.params.storeId, request.params.number)),
  );

  app.post(
    '/tickets/:id/order-actions',
    {
      config: { auth: 'agent' },
      schema: {
        tags: ['orders'],
        summary: 'Act on an order from a ticket: refund, cancel, create_return, exchange, reship, discount_code, store_credit, add_note',
        description:
          'With `dry_run: true`, answers exactly what would happen (with the refundable maximum) and changes nothing. Otherwise acts once per '
          + '`idempotency_key`: a repeat answers with the first result (`replayed: true`). A refusal by the store is a result with status '
          + '`refused` and the reason; a store that cannot be reached is a 503 problem naming the store.\n\n'
          + 'Above the caller’s authority (limits per action, ticket, day or month, or an exhausted goodwill budget) the store is not '
          + 'asked: the answer is **202** with `status: awaiting_approval` and the `approval` request; a manager approves it '
          + '(`POST /approvals/{id}/approve`, which runs it once with the same key) or refuses it. The customer gets a short reply '
          + 'that a manager is reviewing the request. With `request_approval: false` the answer is instead **403** '
          + '`authority_limit_exceeded` (or `budget_exceeded`) whose `detail` names the limit and whose `limit` gives it.\n\n'
          + 'With `playbook_id`, an action other than the playbook’s standard remedies needs `deviation_reason` '
          + '(422 `deviation_reason_required` otherwise).',
        params: TicketParam,
        body: OrderActionBody,
        response: { 200: Type.Union([OrderActionSchema, OrderActionPreviewSchema]), 201: OrderActionSchema, 202: OrderActionSchema },
      },
    },
    async (request, reply) => {
      const b = request.body;
      const req = actionRequestFromParams(b.action, b.params ?? {});
      const reasonCodes = actionReasonCodesFromParams(b.params ?? {});
      const currency = b.params?.currency;
      if (b.dry_run) {
        const preview = await previewOrderAction(request.ctx, { ticketId: request.params.id, storeId: b.store_id, orderNumber: b.order_number, request: req, reasonCodes, currency, playbookId: b.playbook_id });
        return reply.status(200).send(presentPreview(preview));
      }
      const record = await runOrderAction(request.ctx, {
        ticketId: request.params.id, storeId: b.store_id, orderNumber: b.order_number, request: req, reasonCodes, idempotencyKey: b.idempotency_key, currency,
        playbookId: b.playbook_id, deviationReason: b.deviation_reason, requestApproval: b.request_approval,
      });
      const status = record.status === 'awaiting_approval' ? 202 : record.status === 'succeeded' && !record.replayed ? 201 : 200;
      return reply.status(status).send(presentOrderAction(record));
    },
  );

  app.get(
    '/tickets/:id/order-actions',
    {
      config: { auth: 'agent' },
      schema: {
        tags: ['orders'],
        summary: 'Every action taken on orders from this ticket: who, what, how much, and the store’s answer',
        params: TicketParam,
        response: { 200: Type.Object({ items: Type.Array(OrderActionSchema) }) },
      },
    },
    async (request) => ({ items: (await listTicketOrderActions(request.ctx, request.params.id)).map(presentOrderAction) }),
  );
}
