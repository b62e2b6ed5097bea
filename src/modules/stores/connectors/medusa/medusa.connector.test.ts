/**
 * Looking an order number up in a big Medusa store: the free-text search Medusa offers matches
 * the number inside emails and postcodes too, so a short number has thousands of hits. A loopback
 * stand-in answers the search as Medusa does (sorted by display_id, paged) and counts requests.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ctx } from '../../../../shared/context.ts';
import { createMedusaConnector } from './medusa.connector.ts';
import { SAMPLE_ORDER } from './testing/sample-order.ts';

/** 5,000 orders whose display ids have gaps (deleted drafts), every one a hit for the search. */
const DISPLAY_IDS = Array.from({ length: 5000 }, (_, i) => i * 2 + 3);

let server: Server;
let url = '';
const searches: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://x');
    res.setHeader('content-type', 'application/json');
    if (u.pathname === '/admin/orders') {
      searches.push(u.search);
      const desc = u.searchParams.get('order') === '-display_id';
      const offset = Number(u.searchParams.get('offset') ?? 0);
      const limit = Number(u.searchParams.get('limit') ?? 15);
      const sorted = desc ? [...DISPLAY_IDS].reverse() : DISPLAY_IDS;
      const orders = sorted.slice(offset, offset + limit).map((d) => ({ id: `order_${d}`, display_id: d, custom_display_id: null }));
      res.end(JSON.stringify({ orders, count: DISPLAY_IDS.length, offset, limit }));
      return;
    }
    const m = /^\/admin\/orders\/order_(\d+)$/.exec(u.pathname);
    if (m) {
      res.end(JSON.stringify({ order: { ...SAMPLE_ORDER, id: `order_${m[1]}`, display_id: Number(m[1]) } }));
      return;
    }
    res.statusCode = 404;
    res.end(JSON.stringify({ type: 'not_found', message: 'Not found' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

// The connector reads no context.
const ctx = {} as Ctx;

describe('Medusa order numbers in a big store', () => {
  const connector = () => createMedusaConnector(
    { id: 'store-1', name: 'Big', currency: 'EUR', timezone: 'UTC', platform: 'medusa', orderNumberPrefix: 'MS-', orderNumberPattern: null, settings: { api_url: url } },
    { api_key: 'sk_test' },
  );

  it('finds an old, a recent and a middle number among thousands of hits, in few requests', async () => {
    for (const n of [5, 10_001, 4_321]) {
      searches.length = 0;
      const order = await connector().getOrder(ctx, `MS-${n}`);
      expect(order?.number).toBe(`MS-${n}`);
      expect(searches.length).toBeLessThanOrEqual(16);
    }
  });

  it('says null for a number in a gap, a number past the end, and text that is no number', async () => {
    expect(await connector().getOrder(ctx, 'MS-4322')).toBeNull();
    expect(await connector().getOrder(ctx, '#20000')).toBeNull();
    expect(await connector().getOrder(ctx, 'NO-SUCH-ORDER')).toBeNull();
  });
});
