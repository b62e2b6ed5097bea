/**
 * Connecting stores: credentials encrypted at rest and never returned, fields checked against
 * what the platform needs, the connection test, webhooks verified by signature and recorded once,
 * and the durable poll of a polled store's changes (cursor kept, errors shown, next poll queued).
 *
 * The platform here is a stand-in for any remote store platform, registered for this file only:
 * it keeps the plumbing's tests independent of one platform's API. Each real platform's connector
 * is tested against its real server (Vendure, Medusa) or its published-spec fake (Shopify).
 */
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestAgent, type TestApp } from '../../../test/harness.ts';
import { decryptSecret, secretKeyFor } from '../../shared/secrets.ts';
import { loadStoreInfo, overrideStoreConnector, registerConnectorPlatform } from './connectors/connector-registry.ts';
import { StoreUnavailableError, type OrderChangeEvent, type PlatformDescriptor, type StoreConnector, type StoreCredentials, type StoreInfo } from './connectors/connector.ts';
import { createBuiltinConnector } from './connectors/builtin/builtin.connector.ts';
import { STORE_POLL_QUEUE } from './order-feed-sync.service.ts';

const TOKEN = 'shpat_very-secret-token-1234567890';
const WEBHOOK_SECRET = 'whsec-another-secret-abcdef';

/** What the stand-in remote store knows and how it behaves right now. */
const remote = {
  up: true,
  /** Changes the store reports, in order; a poll returns those after the cursor. */
  changes: [] as OrderChangeEvent[],
  /** Cursors storedesk polled with. */
  polledWith: [] as (string | null)[],
  /** Credentials each built connector received. */
  builtWith: [] as StoreCredentials[],
};

const DESCRIPTOR: PlatformDescriptor = {
  platform: 'shopify',
  name: 'Remote test platform',
  settings: [{ key: 'api_url', label: 'API URL', kind: 'url', required: true }],
  credentials: [
    { key: 'access_token', label: 'Access token', kind: 'secret', required: true },
    { key: 'webhook_secret', label: 'Webhook secret', kind: 'secret', required: false },
  ],
};

function remoteConnector(store: StoreInfo, credentials: StoreCredentials): StoreConnector {
  remote.builtWith.push(credentials);
  const base = createBuiltinConnector(store);
  return {
    ...base,
    platform: 'shopify',
    capabilities: { ...base.capabilities, changeFeed: 'poll' },
    async checkConnection() {
      if (!remote.up) throw new StoreUnavailableError('connection refused by 127.0.0.1:9');
      if (credentials.access_token !== TOKEN) throw new StoreUnavailableError('the access token was refused (401)');
      return `Remote test platform at ${String(store.settings.api_url)}`;
    },
    async pollChanges(_ctx, cursor) {
      remote.polledWith.push(cursor);
      if (!remote.up) throw new StoreUnavailableError('connection refused by 127.0.0.1:9');
      const from = cursor ? Number(cursor) : 0;
      return { events: remote.changes.slice(from), cursor: String(remote.changes.length) };
    },
    readWebhook({ headers, rawBody }) {
      const secret = credentials.webhook_secret;
      const given = headers['x-test-signature'];
      if (!secret || typeof given !== 'string') return null;
      if (createHmac('sha256', secret).update(rawBody).digest('base64') !== given) return null;
      const body = JSON.parse(rawBody.toString('utf8')) as { id: string; order: string; email: string };
      return [{ sourceId: `webhook:${body.id}`, type: 'order.shipped', orderNumber: body.order, customerEmail: body.email, occurredAt: new Date('2026-11-20T10:00:00Z'), data: { carrier: 'DHL' } }];
    },
  };
}

let t: TestApp;
let admin: TestAgent;
let agent: TestAgent;

beforeAll(async () => {
  registerConnectorPlatform(DESCRIPTOR, remoteConnector);
  t = await createTestApp();
  admin = await t.agent('admin');
  agent = await t.agent('agent');
});

afterAll(async () => {
  await t?.close();
});

async function connect(payload: Record<string, unknown> = {}) {
  return t.app.inject({
    method: 'POST', url: '/api/v1/stores', headers: admin.headers,
    payload: {
      name: 'Harbour Goods', currency: 'eur', timezone: 'Europe/Amsterdam', platform: 'shopify',
      settings: { api_url: 'https://harbour.example.com/admin' }, credentials: { access_token: TOKEN, webhook_secret: WEBHOOK_SECRET },
      order_number_prefix: '#',
      ...payload,
    },
  });
}

describe('connecting a store', () => {
  it('keeps credentials encrypted at rest and never returns them', async () => {
    const res = await connect();
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body).toMatchObject({ name: 'Harbour Goods', currency: 'EUR', platform: 'shopify', platform_name: 'Remote test platform', credentials_set: ['access_token', 'webhook_secret'] });
    expect(body.settings).toEqual({ api_url: 'https://harbour.example.com/admin' });
    expect(res.body).not.toContain(TOKEN);
    expect(res.body).not.toContain(WEBHOOK_SECRET);

    const row = await t.database.db.selectFrom('store_connections').select('credentials').where('store_id', '=', body.id).executeTakeFirstOrThrow();
    expect(row.credentials).toBeTruthy();
    expect(row.credentials).not.toContain(TOKEN);
    expect(JSON.parse(decryptSecret(secretKeyFor(t.config), row.credentials ?? ''))).toEqual({ access_token: TOKEN, webhook_secret: WEBHOOK_SECRET });

    const read = await t.app.inject({ method: 'GET', url: `/api/v1/stores/${body.id}/connection`, headers: admin.headers });
    expect(read.statusCode).toBe(200);
    expect(read.body).not.toContain(TOKEN);
    expect(read.json().credentials_set).toEqual(['access_token', 'webhook_secret']);
    const listed = await t.app.inject({ method: 'GET', url: '/api/v1/stores', headers: agent.headers });
    expect(listed.json().items.map((s: { name: string }) => s.name)).toContain('Harbour Goods');
    expect(listed.body).not.toContain(TOKEN);
  });

  it('only admins connect stores or read connections', async () => {
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/stores', headers: agent.headers, payload: { name: 'X', currency: 'EUR', timezone: 'UTC', platform: 'builtin' } })).statusCode).toBe(403);
    const platforms = await t.app.inject({ method: 'GET', url: '/api/v1/store-platforms', headers: agent.headers });
    expect(platforms.statusCode).toBe(403);
    const asAdmin = await t.app.inject({ method: 'GET', url: '/api/v1/store-platforms', headers: admin.headers });
    expect(asAdmin.json().items.map((p: { platform: string }) => p.platform)).toEqual(expect.arrayContaining(['builtin', 'shopify']));
  });

  it('says which field is missing or wrong', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ credentials: { webhook_secret: 'x' } }, 'credentials.access_token'],
      [{ settings: { api_url: 'ftp://harbour.example.com' } }, 'settings.api_url'],
      [{ settings: { api_url: 'https://h.example.com', api_urll: 'typo' } }, 'settings.api_urll'],
      [{ credentials: { access_token: TOKEN, password: 'x' } }, 'credentials.password'],
      [{ timezone: 'Mars/Olympus_Mons' }, 'timezone'],
      [{ order_number_pattern: '(' }, 'order_number_pattern'],
    ];
    for (const [payload, field] of cases) {
      const res = await connect(payload);
      expect(res.statusCode, field).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json().code).toBe('validation_failed');
      expect(res.json().errors.map((e: { field: string }) => e.field)).toContain(field);
    }
  });

  it('merges credential changes: a value replaces, null removes, absent keeps; the connector is rebuilt with them', async () => {
    const id = (await connect({ name: 'Merge Goods' })).json().id;
    remote.builtWith = [];
    const patched = await t.app.inject({ method: 'PATCH', url: `/api/v1/stores/${id}/connection`, headers: admin.headers, payload: { credentials: { webhook_secret: null }, settings: { api_url: 'https://new.example.com/admin' } } });
    expect(patched.statusCode).toBe(200);
    expect(patched.json().credentials_set).toEqual(['access_token']);
    expect(patched.json().settings.api_url).toBe('https://new.example.com/admin');
    const tested = await t.app.inject({ method: 'POST', url: `/api/v1/stores/${id}/connection/test`, headers: admin.headers });
    expect(tested.json()).toEqual({ ok: true, detail: 'Remote test platform at https://new.example.com/admin' });
    expect(remote.builtWith.at(-1)).toEqual({ access_token: TOKEN });

    const removeRequired = await t.app.inject({ method: 'PATCH', url: `/api/v1/stores/${id}/connection`, headers: admin.headers, payload: { credentials: { access_token: null } } });
    expect(removeRequired.statusCode).toBe(400);
    expect(removeRequired.json().errors[0].field).toBe('credentials.access_token');
  });

  it('the connection test names the store and what went wrong', async () => {
    const id = (await connect({ name: 'Wrong Token Goods', credentials: { access_token: 'wrong' } })).json().id;
    const refused = await t.app.inject({ method: 'POST', url: `/api/v1/stores/${id}/connection/test`, headers: admin.headers });
    expect(refused.statusCode).toBe(503);
    expect(refused.json()).toMatchObject({ code: 'service_unavailable', store_name: 'Wrong Token Goods' });
    expect(refused.json().detail).toContain('the access token was refused');
    expect(refused.body).not.toContain('wrong"');

    await t.app.inject({ method: 'PATCH', url: `/api/v1/stores/${id}/connection`, headers: admin.headers, payload: { credentials: { access_token: TOKEN } } });
    expect((await t.app.inject({ method: 'POST', url: `/api/v1/stores/${id}/connection/test`, headers: admin.headers })).statusCode).toBe(200);
  });
});

describe('order changes coming in', () => {
  let storeId = '';

  beforeAll(async () => {
    storeId = (await connect({ name: 'Feed Goods' })).json().id;
  });

  it('a webhook with the right signature is recorded once; a wrong one is refused and records nothing', async () => {
    const body = JSON.stringify({ id: 'evt-1', order: '#1001', email: 'Ria@Example.com' });
    const sign = (secret: string) => createHmac('sha256', secret).update(body).digest('base64');
    const send = (signature: string) => t.app.inject({
      method: 'POST', url: `/api/v1/stores/${storeId}/webhooks`, headers: { 'content-type': 'application/json', 'x-test-signature': signature }, payload: body,
    });

    const forged = await send(sign('not-the-secret'));
    expect(forged.statusCode).toBe(401);
    expect(forged.json().code).toBe('invalid_signature');
    const count = () => t.database.db.selectFrom('store_order_events').select((eb) => eb.fn.countAll<number>().as('n')).where('store_id', '=', storeId).executeTakeFirstOrThrow();
    expect(Number((await count()).n)).toBe(0);

    const first = await send(sign(WEBHOOK_SECRET));
    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual({ received: 1, recorded: 1 });
    const again = await send(sign(WEBHOOK_SECRET));
    expect(again.json()).toEqual({ received: 1, recorded: 0 });
    const stored = await t.database.db.selectFrom('store_order_events').selectAll().where('store_id', '=', storeId).execute();
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ order_number: '#1001', customer_email: 'ria@example.com', type: 'order.shipped' });
    const connection = await t.app.inject({ method: 'GET', url: `/api/v1/stores/${storeId}/connection`, headers: admin.headers });
    expect(connection.json().last_webhook_at).toBeTruthy();
  });

  it('connecting a polled store queues its poll; a poll records new changes, keeps the cursor and queues the next', async () => {
    const queued = await t.database.db.selectFrom('jobs').select(['payload', 'status']).where('queue', '=', STORE_POLL_QUEUE).execute();
    expect(queued.some((j) => (j.payload as { store_id?: string }).store_id === storeId)).toBe(true);

    remote.changes = [
      { sourceId: 'poll:1', type: 'order.paid', orderNumber: '#1002', customerEmail: 'ria@example.com', occurredAt: new Date('2026-11-21T09:00:00Z'), data: {} },
      { sourceId: 'poll:2', type: 'order.shipped', orderNumber: '#1002', customerEmail: 'ria@example.com', occurredAt: new Date('2026-11-21T15:00:00Z'), data: { carrier: 'PostNL' } },
    ];
    remote.polledWith = [];
    const first = await t.app.inject({ method: 'POST', url: `/api/v1/stores/${storeId}/sync`, headers: admin.headers });
    expect(first.json()).toEqual({ polled: true, received: 2, recorded: 2, error: null });
    remote.changes.push({ sourceId: 'poll:3', type: 'order.delivered', orderNumber: '#1002', customerEmail: 'ria@example.com', occurredAt: new Date('2026-11-22T11:00:00Z'), data: {} });
    const second = await t.app.inject({ method: 'POST', url: `/api/v1/stores/${storeId}/sync`, headers: admin.headers });
    expect(second.json()).toEqual({ polled: true, received: 1, recorded: 1, error: null });
    expect(remote.polledWith).toEqual([null, '2']);
  });

  it('a store that is down keeps its cursor and shows the error until the next poll succeeds', async () => {
    remote.up = false;
    remote.polledWith = [];
    try {
      const down = await t.app.inject({ method: 'POST', url: `/api/v1/stores/${storeId}/sync`, headers: admin.headers });
      expect(down.json()).toMatchObject({ polled: true, recorded: 0, error: expect.stringContaining('could not be reached') });
      const shown = await t.app.inject({ method: 'GET', url: `/api/v1/stores/${storeId}/connection`, headers: admin.headers });
      expect(shown.json().last_sync_error).toContain('connection refused');
    } finally {
      remote.up = true;
    }
    const back = await t.app.inject({ method: 'POST', url: `/api/v1/stores/${storeId}/sync`, headers: admin.headers });
    expect(back.json()).toMatchObject({ polled: true, recorded: 0, error: null });
    expect(remote.polledWith).toEqual(['3', '3']);
    const shown = await t.app.inject({ method: 'GET', url: `/api/v1/stores/${storeId}/connection`, headers: admin.headers });
    expect(shown.json().last_sync_error).toBeNull();
  });

  it('the poll job reschedules itself in the same transaction as the cursor', async () => {
    const { pollStoreChanges } = await import('./order-feed-sync.service.ts');
    const before = await t.database.db.selectFrom('jobs').select('id').where('queue', '=', STORE_POLL_QUEUE).where('status', '=', 'queued').execute();
    await pollStoreChanges(t.ctx, storeId);
    const after = await t.database.db.selectFrom('jobs').select(['id', 'run_at', 'payload']).where('queue', '=', STORE_POLL_QUEUE).where('status', '=', 'queued').execute();
    const added = after.filter((j) => !before.some((b) => b.id === j.id));
    expect(added).toHaveLength(1);
    expect((added[0]?.payload as { store_id: string }).store_id).toBe(storeId);
    expect(new Date(added[0]?.run_at ?? 0).getTime()).toBeGreaterThan(Date.now() + 30_000);
  });
});

describe('every store’s connection at once', () => {
  it('answers every store with its platform, feed health, last error and webhook address in one admin request, never a secret', async () => {
    const polledId = (await connect({ name: 'Polled Goods' })).json().id;
    const hookedId = (await connect({ name: 'Hooked Goods' })).json().id;
    const hooked = await loadStoreInfo(t.ctx, hookedId);
    const base = remoteConnector(hooked, { access_token: TOKEN });
    overrideStoreConnector(hookedId, { ...base, capabilities: { ...base.capabilities, changeFeed: 'webhook' } });
    remote.up = false;
    try {
      const down = await t.app.inject({ method: 'POST', url: `/api/v1/stores/${polledId}/sync`, headers: admin.headers });
      expect(down.json().error).toBeTruthy();

      const res = await t.app.inject({ method: 'GET', url: '/api/v1/store-connections', headers: admin.headers });
      expect(res.statusCode).toBe(200);
      const items: { id: string; name: string; platform: string; platform_name: string; change_feed: string | null; webhook_path: string | null; last_sync_error: string | null; credentials_set: string[] }[] = res.json().items;
      const stores = await t.app.inject({ method: 'GET', url: '/api/v1/stores', headers: admin.headers });
      expect(items.map((s) => s.id)).toEqual(stores.json().items.map((s: { id: string }) => s.id));
      expect(items.length).toBeGreaterThanOrEqual(3);

      const builtin = items.find((s) => s.platform === 'builtin');
      expect(builtin).toMatchObject({ change_feed: 'push', webhook_path: null, last_sync_error: null });
      const polled = items.find((s) => s.id === polledId);
      expect(polled).toMatchObject({ name: 'Polled Goods', platform_name: 'Remote test platform', change_feed: 'poll', webhook_path: null, credentials_set: ['access_token', 'webhook_secret'] });
      expect(polled?.last_sync_error).toContain('connection refused');
      expect(items.find((s) => s.id === hookedId)).toMatchObject({ name: 'Hooked Goods', change_feed: 'webhook', webhook_path: `/api/v1/stores/${hookedId}/webhooks`, last_sync_error: null });

      expect(res.body).not.toContain(TOKEN);
      expect(res.body).not.toContain(WEBHOOK_SECRET);
      expect(res.body).not.toContain('"credentials"');
    } finally {
      remote.up = true;
      overrideStoreConnector(hookedId, null);
    }
  });

  it('only admins read every connection', async () => {
    const manager = await t.agent('manager');
    for (const who of [agent, manager]) {
      const res = await t.app.inject({ method: 'GET', url: '/api/v1/store-connections', headers: who.headers });
      expect(res.statusCode).toBe(403);
      expect(res.json().code).toBe('forbidden');
    }
    const anonymous = await t.app.inject({ method: 'GET', url: '/api/v1/store-connections' });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json().code).toBe('unauthenticated');
  });
});
