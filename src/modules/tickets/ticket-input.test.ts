import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestAgent, type TestApp } from '../../../test/harness.ts';

let t: TestApp;
let agent: TestAgent;
beforeAll(async () => {
  t = await createTestApp();
  agent = await t.agent('agent');
});
afterAll(async () => {
  await t?.close();
});

const valid = { subject: 'Help', customer: { email: 'input@example.com' }, message: { body: 'hi' } };

function createWith(payload: unknown, headers: Record<string, string> = {}) {
  return t.app.inject({ method: 'POST', url: '/api/v1/tickets', headers: { ...agent.headers, ...headers }, payload: payload as object });
}

/** Checks the response is an RFC 9457 problem document with every member clients rely on. */
function expectProblem(res: Awaited<ReturnType<typeof createWith>>, status: number, code: string) {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  const body = res.json();
  expect(body).toMatchObject({ status, code, type: `https://storedesk.dev/problems/${code.replace(/_/g, '-')}` });
  expect(typeof body.title).toBe('string');
  expect(body.title.length).toBeGreaterThan(0);
  expect(typeof body.detail).toBe('string');
  expect(body.detail.length).toBeGreaterThan(0);
  expect(body.request_id).toMatch(/^[0-9a-f-]{36}$/);
  return body as { errors?: Array<{ field: string; message: string }>; detail: string };
}

describe('strict request bodies', () => {
  it('refuses an unknown field with 400 naming the field', async () => {
    const body = expectProblem(await createWith({ ...valid, colour: 'red' }), 400, 'validation_failed');
    expect(body.errors).toEqual([{ field: 'colour', message: 'is not a known field' }]);
    expect(body.detail).toContain('colour');
  });

  it('names a nested unknown field by its path', async () => {
    const body = expectProblem(await createWith({ ...valid, customer: { email: 'a@b.co', phone: '123' } }), 400, 'validation_failed');
    expect(body.errors?.[0]?.field).toBe('customer.phone');
  });

  it('refuses a number where text belongs instead of converting it', async () => {
    const body = expectProblem(await createWith({ ...valid, subject: 123 }), 400, 'validation_failed');
    expect(body.errors?.[0]?.field).toBe('subject');
  });

  it('refuses a priority outside the list, naming the field and the allowed values', async () => {
    const body = expectProblem(await createWith({ ...valid, priority: 'extreme' }), 400, 'validation_failed');
    expect(body.errors).toEqual([{ field: 'priority', message: 'must be one of: low, normal, high, urgent' }]);
    expect(body.detail).toBe('priority must be one of: low, normal, high, urgent.');
  });

  it('names a field of the wrong type once, with what it may be', async () => {
    const body = expectProblem(await createWith({ ...valid, assignee_id: 5 }), 400, 'validation_failed');
    expect(body.errors).toEqual([{ field: 'assignee_id', message: 'must be string or must be null' }]);
  });

  it('refuses "true" as text where a boolean belongs', async () => {
    const created = await t.ticket();
    const res = await t.app.inject({ method: 'POST', url: `/api/v1/tickets/${created.id}/messages`, headers: agent.headers, payload: { body: 'x', internal: 'true' } });
    const body = expectProblem(res, 400, 'validation_failed');
    expect(body.errors?.[0]?.field).toBe('internal');
  });

  it('names a missing required field', async () => {
    const body = expectProblem(await createWith({ subject: 'Help', customer: { email: 'input@example.com' } }), 400, 'validation_failed');
    expect(body.errors).toEqual([{ field: 'message', message: 'is required' }]);
  });

  it('refuses an email address that is not one', async () => {
    const body = expectProblem(await createWith({ ...valid, customer: { email: 'not an email' } }), 400, 'validation_failed');
    expect(body.errors?.[0]?.field).toBe('customer.email');
  });

  it('refuses a subject of only spaces', async () => {
    const body = expectProblem(await createWith({ ...valid, subject: '   ' }), 400, 'validation_failed');
    expect(body.errors?.[0]?.field).toBe('subject');
  });

  it('refuses a NUL character in text with 400 naming the field, in bodies and query strings', async () => {
    const body = expectProblem(await createWith({ ...valid, customer: { email: 'nul@example.com', name: 'Null\u0000Byte' } }), 400, 'validation_failed');
    expect(body.errors).toEqual([{ field: 'customer.name', message: 'must not contain NUL characters' }]);
    const created = await t.ticket();
    const tags = await t.app.inject({ method: 'PATCH', url: `/api/v1/tickets/${created.id}`, headers: agent.headers, payload: { tags: ['ok', 'bad\u0000'] } });
    expect(expectProblem(tags, 400, 'validation_failed').errors?.[0]?.field).toBe('tags.1');
    const query = await t.app.inject({ method: 'GET', url: '/api/v1/tickets?q=refund%00', headers: agent.headers });
    expect(expectProblem(query, 400, 'validation_failed').errors?.[0]?.field).toBe('q');
  });

  it('refuses an empty patch', async () => {
    const created = await t.ticket();
    const res = await t.app.inject({ method: 'PATCH', url: `/api/v1/tickets/${created.id}`, headers: agent.headers, payload: {} });
    expectProblem(res, 400, 'validation_failed');
  });

  it('refuses a body that is not JSON with 400 bad_request', async () => {
    const res = await t.app.inject({
      method: 'POST', url: '/api/v1/tickets', headers: { ...agent.headers, 'content-type': 'application/json' }, payload: '{"subject": "Help",',
    });
    expectProblem(res, 400, 'bad_request');
  });

  it('refuses a JSON array or string where an object belongs', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/tickets', headers: { ...agent.headers, 'content-type': 'application/json' }, payload: '"hello"' });
    expectProblem(res, 400, 'validation_failed');
  });

  it('refuses a body that is not sent as JSON with 415', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/tickets', headers: { ...agent.headers, 'content-type': 'text/plain' }, payload: 'subject=Help' });
    expectProblem(res, 415, 'unsupported_media_type');
  });

  it('refuses a body over 1 MiB with 413 payload_too_large', async () => {
    const huge = JSON.stringify({ ...valid, message: { body: 'x'.repeat(1024 * 1024 + 10) } });
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/tickets', headers: { ...agent.headers, 'content-type': 'application/json' }, payload: huge });
    expectProblem(res, 413, 'payload_too_large');
  });

  it('refuses a message longer than its limit while the body is under 1 MiB', async () => {
    const created = await t.ticket();
    const res = await t.app.inject({ method: 'POST', url: `/api/v1/tickets/${created.id}/messages`, headers: agent.headers, payload: { body: 'x'.repeat(200_001) } });
    const body = expectProblem(res, 400, 'validation_failed');
    expect(body.errors?.[0]?.field).toBe('body');
  });
});

describe('problem documents', () => {
  it('answers an unknown ticket with 404 not_found', async () => {
    expectProblem(await t.app.inject({ method: 'GET', url: '/api/v1/tickets/00000000-0000-4000-8000-000000000000', headers: agent.headers }), 404, 'not_found');
    expectProblem(await t.app.inject({ method: 'GET', url: '/api/v1/tickets/424242', headers: agent.headers }), 404, 'not_found');
  });

  it('answers a malformed URL with 400 bad_request', async () => {
    expectProblem(await t.app.inject({ method: 'GET', url: '/api/v1/tickets/%E0%A4%A', headers: agent.headers }), 400, 'bad_request');
  });

  it('answers an unknown API route with 404 not_found', async () => {
    expectProblem(await t.app.inject({ method: 'GET', url: '/api/v1/nothing-here', headers: agent.headers }), 404, 'not_found');
  });

  it('answers 401 and 403 as problem documents too', async () => {
    expectProblem(await t.app.inject({ method: 'GET', url: '/api/v1/tickets' }), 401, 'unauthenticated');
    expectProblem(await t.app.inject({ method: 'POST', url: '/api/v1/agents', headers: agent.headers, payload: { email: 'x@y.co', role: 'agent' } }), 403, 'forbidden');
  });

  it('gives every failing request its own request id', async () => {
    const a = (await createWith({ ...valid, colour: 'red' })).json();
    const b = (await createWith({ ...valid, colour: 'red' })).json();
    expect(a.request_id).not.toBe(b.request_id);
  });
});
