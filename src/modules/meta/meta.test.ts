import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, TEST_DB_KIND, type TestApp } from '../../../test/harness.ts';
import { buildApp } from '../../http/app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t?.close();
});

describe('service endpoints', () => {
  it('answers the health check with the database in use', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok', database: TEST_DB_KIND });
  });

  it('publishes a valid OpenAPI document listing the ticket endpoints', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('application/json');
    const doc = JSON.parse(res.body) as { openapi: string; info: { title: string }; paths: Record<string, Record<string, { responses?: object; security?: unknown[] }>>; components: { securitySchemes: object } };
    expect(doc.openapi).toMatch(/^3\.1\./);
    expect(doc.info.title).toBe('storedesk API');
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining([
      '/api/v1/tickets', '/api/v1/tickets/counts', '/api/v1/tickets/{id}', '/api/v1/tickets/{id}/messages',
      '/api/v1/customers', '/api/v1/customers/{id}', '/api/v1/customers/{id}/merge', '/api/v1/search', '/api/v1/auth/login',
    ]));
    expect(Object.keys(doc.paths['/api/v1/tickets'] ?? {}).sort()).toEqual(['get', 'post']);
    expect(Object.keys(doc.paths['/api/v1/tickets/{id}'] ?? {}).sort()).toEqual(['get', 'patch']);
    expect(doc.paths['/api/v1/tickets']?.post?.responses).toHaveProperty('201');
    expect(doc.paths['/api/v1/auth/login']?.post?.security).toEqual([]);
    expect(doc.components.securitySchemes).toHaveProperty('bearer');
    expect(doc.components.securitySchemes).toHaveProperty('session');
    // Internal endpoints stay out of the published API.
    expect(Object.keys(doc.paths)).not.toContain('/api/health');
  });

  it('tells the sign-in page the product name, without demo logins on a normal install', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/meta' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ name: 'storedesk', demo: false, demo_logins: [], demo_password: null });
  });
});

describe('unexpected failures', () => {
  it('answer 500 internal_error with the request id and without the error message', async () => {
    const app = await buildApp({ config: t.config, database: t.database, live: t.live, logger: false });
    try {
      app.get('/api/failing-for-test', async () => {
        throw new Error('connect failed for postgres://storedesk:hunter2@db.internal/storedesk');
      });
      const res = await app.inject({ method: 'GET', url: '/api/failing-for-test' });
      expect(res.statusCode).toBe(500);
      expect(res.headers['content-type']).toContain('application/problem+json');
      const body = res.json();
      expect(body).toMatchObject({ status: 500, code: 'internal_error', title: 'Internal error' });
      expect(body.detail).toContain(body.request_id);
      expect(res.body).not.toContain('hunter2');
      expect(res.body).not.toContain('postgres://');
    } finally {
      app.storedesk.presence.close();
      await app.close();
    }
  });
});
