import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/harness.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t?.close();
});

describe('tickets API', () => {
  it('creates a ticket for a new customer found again by email', async () => {
    const agent = await t.agent('agent');
    const first = await t.app.inject({
      method: 'POST', url: '/api/v1/tickets', headers: agent.headers,
      payload: { subject: 'Parcel never arrived', customer: { email: 'Lena@Example.com', name: 'Lena' }, message: { body: 'Where is it?' }, channel: 'phone' },
    });
    expect(first.statusCode).toBe(201);
    const body = first.json();
    expect(body.number).toBeGreaterThan(1000);
    const second = await t.app.inject({
      method: 'POST', url: '/api/v1/tickets', headers: agent.headers,
      payload: { subject: 'Another question', customer: { email: 'lena@example.com' }, message: { body: 'Also this' } },
    });
    expect(second.json().customer_id).toBe(body.customer_id);
  });

  it('refuses unknown fields with a problem naming the field', async () => {
    const agent = await t.agent('agent');
    const res = await t.app.inject({
      method: 'POST', url: '/api/v1/tickets', headers: agent.headers,
      payload: { subject: 'x', customer: { email: 'a@b.co' }, message: { body: 'hi' }, colour: 'red' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({ code: 'validation_failed', errors: [{ field: 'colour' }] });
  });
});
