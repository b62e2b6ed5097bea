/**
 * HTTP: the built-in store's small API for pushing products and orders in, moving parcels and
 * returns on, and importing CSV or JSON. For admins and integration tokens.
 */
import { Type } from '@sinclair/typebox';
import type { App } from '../../../../http/app.ts';
import { FulfillmentBody, ImportBody, OrderBody, ProductBody, ReturnStatus, ShipmentStatus, toFulfillmentInput, toOrderInput, toProductInput } from './builtin.schema.ts';
import { addFulfillment, capturePayments, importStoreData, pushOrder, updateFulfillment, updateReturn, upsertProducts } from './builtin.service.ts';

const StoreParam = Type.Object({ storeId: Type.String({ format: 'uuid' }) });
const OrderParam = Type.Object({ storeId: Type.String({ format: 'uuid' }), number: Type.String({ minLength: 1, maxLength: 64 }) });

export async function builtinStoreRoutes(app: App) {
  app.post(
    '/stores/:storeId/products',
    {
      config: { auth: 'agent', scope: 'store:write' },
      schema: {
        tags: ['stores'],
        summary: 'Create or update products (by handle) and their variants (by SKU) in the built-in store; admin or integration token',
        params: StoreParam,
        body: Type.Object({ products: Type.Array(ProductBody, { minItems: 1, maxItems: 500 }) }, { additionalProperties: false }),
        response: { 200: Type.Object({ products: Type.Integer(), variants: Type.Integer() }) },
      },
    },
    async (request) => upsertProducts(request.ctx, request.params.storeId, request.body.products.map(toProductInput)),
  );

  app.post(
    '/stores/:storeId/orders',
    {
      config: { auth: 'agent', scope: 'store:write' },
      schema: {
        tags: ['stores'],
        summary: 'Push an order into the built-in store (with payment and parcels); admin or integration token',
        params: StoreParam,
        body: OrderBody,
        response: { 201: Type.Object({ id: Type.String({ format: 'uuid' }), number: Type.String() }) },
      },
    },
    async (request, reply) => {
      const created = await pushOrder(request.ctx, request.params.storeId, toOrderInput(request.body));
      return reply.status(201).header('location', `/api/v1/orders/${request.params.storeId}/${encodeURIComponent(created.number)}`).send(created);
    },
  );

  app.post(
    '/stores/:storeId/import',
    {
      config: { auth: 'agent', scope: 'store:write' },
      schema: {
        tags: ['stores'],
        summary: 'Import products and orders as JSON arrays or CSV text; nothing is imported unless every row is valid',
        params: StoreParam,
        body: ImportBody,
        response: { 200: Type.Object({ products: Type.Integer(), variants: Type.Integer(), orders: Type.Integer() }) },
      },
    },
    async (request) => {
      const b = request.body;
      return importStoreData(request.ctx, request.params.storeId, {
        products: (b.products ?? []).map(toProductInput), orders: (b.orders ?? []).map(toOrderInput), productsCsv: b.products_csv, ordersCsv: b.orders_csv,
      });
    },
  );

  app.post(
    '/stores/:storeId/orders/:number/fulfillments',
    {
      config: { auth: 'agent', scope: 'store:write' },
      schema: {
        tags: ['stores'],
        summary: 'Ship (part of) an order: carrier, tracking number, dates; the tracking link is made for known carriers',
        params: OrderParam,
        body: FulfillmentBody,
        response: { 201: Type.Object({ id: Type.String({ format: 'uuid' }) }) },
      },
    },
    async (request, reply) => reply.status(201).send(await addFulfillment(request.ctx, request.params.storeId, request.params.number, toFulfillmentInput(request.body))),
  );

  app.patch(
    '/stores/:storeId/orders/:number/fulfillments/:fulfillmentId',
    {
      config: { auth: 'agent', scope: 'store:write' },
      schema: {
        tags: ['stores'],
        summary: 'Move a parcel on (in transit, delivered, exception, …)',
        params: Type.Object({ storeId: Type.String({ format: 'uuid' }), number: Type.String({ minLength: 1, maxLength: 64 }), fulfillmentId: Type.String({ format: 'uuid' }) }),
        body: Type.Object(
          {
            status: ShipmentStatus,
            delivered_at: Type.Optional(Type.String({ format: 'date-time' })),
            estimated_delivery_at: Type.Optional(Type.Union([Type.String({ format: 'date-time' }), Type.Null()])),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request, reply) => {
      const b = request.body;
      await updateFulfillment(request.ctx, request.params.storeId, request.params.number, request.params.fulfillmentId, {
        status: b.status,
        deliveredAt: b.delivered_at ? new Date(b.delivered_at) : undefined,
        estimatedDeliveryAt: b.estimated_delivery_at === undefined ? undefined : b.estimated_delivery_at === null ? null : new Date(b.estimated_delivery_at),
      });
      return reply.status(204).send();
    },
  );

  app.post(
    '/stores/:storeId/orders/:number/capture',
    {
      config: { auth: 'agent', scope: 'store:write' },
      schema: {
        tags: ['stores'],
        summary: 'Capture the order’s authorized payments (the order becomes paid)',
        params: OrderParam,
        response: { 200: Type.Object({ captured: Type.Integer({ description: 'Minor units captured' }) }) },
      },
    },
    async (request) => capturePayments(request.ctx, request.params.storeId, request.params.number),
  );

  app.patch(
    '/stores/:storeId/returns/:rmaNumber',
    {
      config: { auth: 'agent', scope: 'store:write' },
      schema: {
        tags: ['stores'],
        summary: 'Move a return on; "received" puts the return on the customer’s timeline',
        params: Type.Object({ storeId: Type.String({ format: 'uuid' }), rmaNumber: Type.String({ minLength: 1, maxLength: 80 }) }),
        body: Type.Object({ status: ReturnStatus }, { additionalProperties: false }),
      },
    },
    async (request, reply) => {
      await updateReturn(request.ctx, request.params.storeId, request.params.rmaNumber, request.body.status);
      return reply.status(204).send();
    },
  );
}
