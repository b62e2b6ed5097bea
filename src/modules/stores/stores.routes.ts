/**
 * HTTP: the stores (brands) of this storedesk, connecting each one to its platform (settings,
 * encrypted credentials, a connection test), how each store's order numbers look, and the change
 * feed coming in (webhooks from the platform, polling on demand).
 */
import { Type, type Static } from '@sinclair/typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { App } from '../../http/app.ts';
import { ORDER_ACTION_KINDS, type PlatformDescriptor } from './connectors/connector.ts';
import { pollStoreChanges, receiveStoreWebhook } from './order-feed-sync.service.ts';
import {
  createStore, getStoreConnection, listStoreConnections, listStorePlatforms, listStores, testStoreConnection, updateStoreConnection, type StoreConnectionView, type StoreOverview,
} from './stores.service.ts';

const PLATFORM = Type.Union([Type.Literal('builtin'), Type.Literal('vendure'), Type.Literal('medusa'), Type.Literal('shopify')]);
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

const StoreSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  name: Type.String(),
  currency: Type.String(),
  timezone: Type.String(),
  platform: Type.String({ description: 'builtin, vendure, medusa or shopify' }),
  order_number_prefix: Nullable(Type.String({ description: 'NW- makes NW-10234; "#10234" then means the same order' })),
  order_number_pattern: Nullable(Type.String({ description: 'A regular expression for other number shapes' })),
  tax_rate_bp: Nullable(Type.Integer({ description: 'Built-in store: default tax rate in basis points' })),
  actions: Nullable(Type.Array(Type.String(), { description: 'Actions the platform supports; null when its connector is not installed' })),
});

const StoreConnectionSchema = Type.Composite([
  StoreSchema,
  Type.Object({
    platform_name: Type.String(),
    settings: Type.Record(Type.String(), Type.Unknown(), { description: 'Non-secret settings (API URL, shop domain, …)' }),
    credentials_set: Type.Array(Type.String(), { description: 'Which credentials are saved; their values are never returned' }),
    change_feed: Nullable(Type.String({ description: 'push, webhook, poll or none' })),
    webhook_path: Nullable(Type.String({ description: 'Where the platform must send webhooks (append to this storedesk’s public URL)' })),
    last_synced_at: Nullable(Type.String({ format: 'date-time' })),
    last_sync_error: Nullable(Type.String()),
    last_webhook_at: Nullable(Type.String({ format: 'date-time' })),
  }),
]);

const FieldSchema = Type.Object({
  key: Type.String(), label: Type.String(), kind: Type.String({ description: 'url, text or secret' }), required: Type.Boolean(), help: Nullable(Type.String()),
});
const PlatformSchema = Type.Object({ platform: Type.String(), name: Type.String(), settings: Type.Array(FieldSchema), credentials: Type.Array(FieldSchema) });

const ORDER_NUMBER_FIELDS = {
  order_number_prefix: Type.Optional(Nullable(Type.String({ maxLength: 12 }))),
  order_number_pattern: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
};

const CreateStoreBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 120 }),
    currency: Type.String({ pattern: '^[A-Za-z]{3}$', description: 'ISO 4217 code of the store’s default currency' }),
    timezone: Type.String({ minLength: 1, maxLength: 64, description: 'IANA time zone, e.g. Europe/Amsterdam' }),
    platform: PLATFORM,
    settings: Type.Optional(Type.Record(Type.String({ maxLength: 64 }), Type.String({ maxLength: 2000 }))),
    credentials: Type.Optional(Type.Record(Type.String({ maxLength: 64 }), Type.String({ maxLength: 8000 }), { description: 'Stored encrypted; never returned' })),
    ...ORDER_NUMBER_FIELDS,
  },
  { additionalProperties: false },
);

const PatchConnectionBody = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 120 })),
    timezone: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    platform: Type.Optional(PLATFORM),
    settings: Type.Optional(Type.Record(Type.String({ maxLength: 64 }), Nullable(Type.String({ maxLength: 2000 })), { description: 'Merged: a value replaces, null removes' })),
    credentials: Type.Optional(Type.Record(Type.String({ maxLength: 64 }), Nullable(Type.String({ maxLength: 8000 })), { description: 'Merged: a value replaces, null removes; never returned' })),
    ...ORDER_NUMBER_FIELDS,
    tax_rate_bp: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000 })),
  },
  { additionalProperties: false, minProperties: 1 },
);

const StoreParams = Type.Object({ storeId: Type.String({ format: 'uuid' }) });

function presentStore(o: StoreOverview): Static<typeof StoreSchema> {
  const rate = o.store.settings.tax_rate_bp;
  return {
    id: o.store.id, name: o.store.name, currency: o.store.currency, timezone: o.store.timezone, platform: o.store.platform,
    order_number_prefix: o.store.orderNumberPrefix, order_number_pattern: o.store.orderNumberPattern,
    tax_rate_bp: typeof rate === 'number' ? rate : null,
    actions: o.capabilities ? ORDER_ACTION_KINDS.filter((k) => o.capabilities?.actions[k]) : null,
  };
}

function presentConnection(v: StoreConnectionView): Static<typeof StoreConnectionSchema> {
  const { tax_rate_bp: _rate, ...settings } = v.store.settings;
  return {
    ...presentStore(v),
    platform_name: v.platformName,
    settings,
    credentials_set: v.credentialsSet,
    change_feed: v.changeFeed,
    webhook_path: v.webhookPath,
    last_synced_at: v.lastSyncedAt?.toISOString() ?? null,
    last_sync_error: v.lastSyncError,
    last_webhook_at: v.lastWebhookAt?.toISOString() ?? null,
  };
}

function presentPlatform(p: PlatformDescriptor): Static<typeof PlatformSchema> {
  const field = (f: PlatformDescriptor['settings'][number]) => ({ key: f.key, label: f.label, kind: f.kind, required: f.required, help: f.help ?? null });
  return { platform: p.platform, name: p.name, settings: p.settings.map(field), credentials: p.credentials.map(field) };
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

  app.get(
    '/store-platforms',
    {
      config: { auth: 'admin' },
      schema: { tags: ['stores'], summary: 'The store platforms this storedesk can connect, with the fields each needs', response: { 200: Type.Object({ items: Type.Array(PlatformSchema) }) } },
    },
    async (request) => ({ items: listStorePlatforms(request.ctx).map(presentPlatform) }),
  );

  app.get(
    '/store-connections',
    {
      config: { auth: 'admin' },
      schema: {
        tags: ['stores'],
        summary: 'Every store with its connection in one answer: platform, change feed health, last sync error, webhook address',
        description:
          'Each item is what `GET /stores/{storeId}/connection` answers for one store, oldest store first. Saved credentials '
          + 'are named in `credentials_set`; their values are never returned.',
        response: { 200: Type.Object({ items: Type.Array(StoreConnectionSchema) }) },
      },
    },
    async (request) => ({ items: (await listStoreConnections(request.ctx)).map(presentConnection) }),
  );

  app.post(
    '/stores',
    {
      config: { auth: 'admin' },
      schema: {
        tags: ['stores'],
        summary: 'Connect a new store (brand) on a platform; credentials are stored encrypted and never returned',
        body: CreateStoreBody,
        response: { 201: StoreConnectionSchema },
      },
    },
    async (request, reply) => {
      const b = request.body;
      const view = await createStore(request.ctx, {
        name: b.name, currency: b.currency, timezone: b.timezone, platform: b.platform, settings: b.settings, credentials: b.credentials,
        orderNumberPrefix: b.order_number_prefix, orderNumberPattern: b.order_number_pattern,
      });
      return reply.code(201).send(presentConnection(view));
    },
  );

  app.get(
    '/stores/:storeId/connection',
    {
      config: { auth: 'admin' },
      schema: { tags: ['stores'], summary: 'A store’s connection: settings, which credentials are saved, and the change feed’s state', params: StoreParams, response: { 200: StoreConnectionSchema } },
    },
    async (request) => presentConnection(await getStoreConnection(request.ctx, request.params.storeId)),
  );

  app.patch(
    '/stores/:storeId/connection',
    {
      config: { auth: 'admin' },
      schema: {
        tags: ['stores'],
        summary: 'Change a store’s platform, settings, credentials, order number format or the built-in store’s tax rate',
        params: StoreParams,
        body: PatchConnectionBody,
        response: { 200: StoreConnectionSchema },
      },
    },
    async (request) => {
      const b = request.body;
      return presentConnection(await updateStoreConnection(request.ctx, request.params.storeId, {
        name: b.name, timezone: b.timezone, platform: b.platform, settings: b.settings, credentials: b.credentials,
        orderNumberPrefix: b.order_number_prefix, orderNumberPattern: b.order_number_pattern, taxRateBp: b.tax_rate_bp,
      }));
    },
  );

  app.post(
    '/stores/:storeId/connection/test',
    {
      config: { auth: 'admin' },
      schema: {
        tags: ['stores'],
        summary: 'Check that the store answers with the saved settings and credentials (503 problem naming what is wrong)',
        params: StoreParams,
        response: { 200: Type.Object({ ok: Type.Boolean(), detail: Type.String() }) },
      },
    },
    async (request) => testStoreConnection(request.ctx, request.params.storeId),
  );

  app.post(
    '/stores/:storeId/sync',
    {
      config: { auth: 'admin' },
      schema: {
        tags: ['stores'],
        summary: 'Poll a polled store’s order changes now (the regular poll runs every minute)',
        params: StoreParams,
        response: { 200: Type.Object({ polled: Type.Boolean(), received: Type.Integer(), recorded: Type.Integer(), error: Nullable(Type.String()) }) },
      },
    },
    async (request) => pollStoreChanges(request.ctx, request.params.storeId, { reschedule: false }),
  );

  // Webhooks are verified by signature over the exact bytes sent, so this route reads the raw body.
  await app.register(async (plugin) => {
    const hooks = plugin.withTypeProvider<TypeBoxTypeProvider>();
    hooks.removeAllContentTypeParsers();
    hooks.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
    hooks.post(
      '/stores/:storeId/webhooks',
      {
        config: { auth: 'public', rateLimit: { max: 600, timeWindow: '1 minute' } },
        schema: {
          tags: ['stores'],
          summary: 'Where a store platform delivers order webhooks; the signature is checked with the store’s webhook secret',
          security: [],
          params: StoreParams,
          response: { 200: Type.Object({ received: Type.Integer(), recorded: Type.Integer() }) },
        },
      },
      async (request) => {
        const rawBody = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
        return receiveStoreWebhook(request.ctx, request.params.storeId, { headers: request.headers, rawBody });
      },
    );
  });
}
