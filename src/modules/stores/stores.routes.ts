/**
 * HTTP: the stores (brands) of this storedesk, the platform serving each one's orders with what
 * it can do, and how each store's order numbers look.
 */
import { Type } from '@sinclair/typebox';
import type { App } from '../../http/app.ts';
import { ORDER_ACTION_KINDS } from './connectors/connector.ts';
import { listStores, updateStoreConnection, type StoreOverview } from './stores.service.ts';

const StoreSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  name: Type.String(),
  currency: Type.String(),
  timezone: Type.String(),
  platform: Type.String({ description: 'builtin, vendure, medusa or shopify' }),
  order_number_prefix: Type.Union([Type.String(), Type.Null()], { description: 'NW- makes NW-10234; "#10234" then means the same order' }),
  order_number_pattern: Type.Union([Type.String(), Type.Null()], { description: 'A regular expression for other number shapes' }),
  tax_rate_bp: Type.Union([Type.Integer(), Type.Null()], { description: 'Built-in store: default tax rate in basis points' }),
  actions: Type.Union([Type.Array(Type.String()), Type.Null()], { description: 'Actions the platform supports; null when its connector is not installed' }),
});

function presentStore(o: StoreOverview) {
  const rate = o.store.settings.tax_rate_bp;
  return {
    id: o.store.id, name: o.store.name, currency: o.store.currency, timezone: o.store.timezone, platform: o.store.platform,
    order_number_prefix: o.store.orderNumberPrefix, order_number_pattern: o.store.orderNumberPattern,
    tax_rate_bp: typeof rate === 'number' ? rate : null,
    actions: o.capabilities ? ORDER_ACTION_KINDS.filter((k) => o.capabilities?.actions[k]) : null,
  };
}

export async function storesRoutes(app: App) {
  app.get(
    '/stores',
    {
      config: { auth: 'agent' },
      schema: { tags: ['stores'], summary: 'The stores (brands), their platform and order number format', response: { 200: Type.Object({ items: Type.Array(StoreSchema) }) } },
    },
    async (request) => ({ items: (await listStores(request.ctx)).map(presentStore) }),
  );

  app.patch(
    '/stores/:storeId/connection',
    {
      config: { auth: 'admin' },
      schema: {
        tags: ['stores'],
        summary: 'Set how a store’s order numbers look (prefix or pattern) and the built-in store’s tax rate',
        params: Type.Object({ storeId: Type.String({ format: 'uuid' }) }),
        body: Type.Object(
          {
            order_number_prefix: Type.Optional(Type.Union([Type.String({ maxLength: 12 }), Type.Null()])),
            order_number_pattern: Type.Optional(Type.Union([Type.String({ maxLength: 200 }), Type.Null()])),
            tax_rate_bp: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000 })),
          },
          { additionalProperties: false, minProperties: 1 },
        ),
        response: { 200: StoreSchema },
      },
    },
    async (request) => {
      const b = request.body;
      return presentStore(await updateStoreConnection(request.ctx, request.params.storeId, { orderNumberPrefix: b.order_number_prefix, orderNumberPattern: b.order_number_pattern, taxRateBp: b.tax_rate_bp }));
    },
  );
}
