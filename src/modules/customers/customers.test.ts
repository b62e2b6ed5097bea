import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestAgent, type TestApp } from '../../../test/harness.ts';

let t: TestApp;
let agent: TestAgent;
beforeAll(async () => {
  t = await createTestApp();
  agent = await t.agent('agent', 'Merger');
});
afterAll(async () => {
  await t?.close();
});

function get(url: string) {
  return t.app.inject({ method: 'GET', url: `/api/v1${url}`, headers: agent.headers });
}

function merge(targetId: string, sourceId: string) {
  return t.app.inject({ method: 'POST', url: `/api/v1/customers/${targetId}/merge`, headers: agent.headers, payload: { source_id: sourceId } });
}

/** Opens a ticket through the API, as an agent logging a phone call would. */
async function openTicket(email: string, subject = 'Question') {
  const res = await t.app.inject({ method: 'POST', url: '/api/v1/tickets', headers: agent.headers, payload: { subject, customer: { email }, message: { body: 'Hello' } } });
  expect(res.statusCode).toBe(201);
  return res.json() as { id: string; number: number; customer_id: string };
}

describe('finding customers', () => {
  it('finds a customer by exact email, in any letter case, and nobody by a near miss', async () => {
    const ann = await t.ticket({ customer: { email: 'ann@example.com', name: 'Ann' } });
    await t.ticket({ customer: { email: 'joann@example.com' } });
    await t.ticket({ customer: { email: 'ann@example.com.au' } });
    const res = await get('/customers?email=ANN@example.com');
    expect(res.statusCode).toBe(200);
    expect(res.json().items).toEqual([expect.objectContaining({ id: ann.customerId, name: 'Ann', email: 'ann@example.com', ticket_count: 1 })]);
    expect((await get('/customers?email=nn@example.com')).json().items).toEqual([]);
  });

  it('finds customers by name words and by email prefix', async () => {
    const pia = await t.ticket({ customer: { email: 'pia.lindqvist@shop.example', name: 'Pia Lindqvist' } });
    expect((await get('/customers?q=lindqvist')).json().items.map((c: { id: string }) => c.id)).toEqual([pia.customerId]);
    expect((await get('/customers?q=pia.lind')).json().items.map((c: { id: string }) => c.id)).toEqual([pia.customerId]);
  });

  it('shows a customer with identities and tickets, newest activity first', async () => {
    const first = await openTicket('profile@example.com', 'First');
    const second = await openTicket('profile@example.com', 'Second');
    const res = await get(`/customers/${first.customer_id}`);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ id: first.customer_id, ticket_count: 2 });
    expect(body.identities).toEqual([expect.objectContaining({ kind: 'email', value: 'profile@example.com', is_primary: true, undeliverable_at: null })]);
    expect(body.tickets.map((x: { id: string }) => x.id)).toEqual([second.id, first.id]);
  });

  it('answers 404 for a customer that does not exist, and 400 for an id that is not one', async () => {
    const missing = await get('/customers/00000000-0000-4000-8000-000000000000');
    expect(missing.statusCode).toBe(404);
    expect(missing.json().code).toBe('not_found');
    const bad = await get('/customers/nope');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].field).toBe('id');
  });

  it('pages through customers with a cursor', async () => {
    for (let i = 0; i < 5; i++) await t.ticket({ customer: { email: `pager${i}@paging.example`, name: `Pager Person ${i}` } });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await get(`/customers?q=pager&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(res.statusCode).toBe(200);
      seen.push(...res.json().items.map((c: { id: string }) => c.id));
      cursor = res.json().next_cursor;
    } while (cursor);
    expect(seen).toHaveLength(5);
    expect(new Set(seen).size).toBe(5);
  });

  it('refuses a cursor it did not make with 400 invalid_cursor', async () => {
    const res = await get('/customers?cursor=bm90LWEtY3Vyc29y');
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('invalid_cursor');
  });
});

describe('creating customers', () => {
  it('creates one customer when several tickets from a new address arrive at once', async () => {
    const tickets = await Promise.all(Array.from({ length: 6 }, (_, i) => t.ticket({ subject: `Burst ${i}`, customer: { email: 'burst@example.com', name: 'Bertha Burst' } })));
    const ids = new Set(tickets.map((x) => x.customerId));
    expect(ids.size).toBe(1);
    const found = (await get('/customers?q=Bertha')).json().items;
    expect(found).toEqual([expect.objectContaining({ email: 'burst@example.com', ticket_count: 6 })]);
  });
});

describe('merging customers', () => {
  it('moves tickets and identities to the survivor and records customer.merged on each ticket', async () => {
    const keep = await openTicket('keep@example.com');
    const goneA = await openTicket('gone@example.com', 'From the other address');
    const goneB = await openTicket('gone@example.com', 'And another');
    const res = await merge(keep.customer_id, goneA.customer_id);
    expect(res.statusCode).toBe(200);
    const survivor = res.json().customer;
    expect(survivor.id).toBe(keep.customer_id);
    expect(survivor.ticket_count).toBe(3);
    expect(survivor.identities.map((i: { value: string }) => i.value).sort()).toEqual(['gone@example.com', 'keep@example.com']);
    expect(survivor.identities.find((i: { value: string }) => i.value === 'keep@example.com').is_primary).toBe(true);
    expect(survivor.tickets.map((x: { id: string }) => x.id).sort()).toEqual([keep.id, goneA.id, goneB.id].sort());

    for (const moved of [goneA, goneB]) {
      const detail = (await get(`/tickets/${moved.id}`)).json();
      expect(detail.ticket.customer.id).toBe(keep.customer_id);
      expect(detail.customer.id).toBe(keep.customer_id);
      expect(detail.messages[0].author).toMatchObject({ type: 'customer', id: keep.customer_id });
      const event = detail.events.find((e: { type: string }) => e.type === 'customer.merged');
      expect(event).toMatchObject({ actor: { type: 'agent', id: agent.id, name: 'Merger' }, data: { from_customer_id: goneA.customer_id, to_customer_id: keep.customer_id } });
    }
    const untouched = (await get(`/tickets/${keep.id}`)).json();
    expect(untouched.events.map((e: { type: string }) => e.type)).not.toContain('customer.merged');
  });

  it('resolves the merged-away customer’s id to the survivor', async () => {
    const keep = await openTicket('keep2@example.com');
    const gone = await openTicket('gone2@example.com');
    await merge(keep.customer_id, gone.customer_id);
    const res = await get(`/customers/${gone.customer_id}`);
    expect(res.statusCode).toBe(200);
    expect(res.json().id).toBe(keep.customer_id);
  });

  it('puts a new ticket from the merged-away email on the survivor', async () => {
    const keep = await openTicket('keep3@example.com');
    const gone = await openTicket('gone3@example.com');
    await merge(keep.customer_id, gone.customer_id);
    const later = await openTicket('GONE3@example.com', 'Writing again');
    expect(later.customer_id).toBe(keep.customer_id);
    const found = (await get('/customers?email=gone3@example.com')).json().items;
    expect(found.map((c: { id: string }) => c.id)).toEqual([keep.customer_id]);
    expect(found[0].ticket_count).toBe(3);
  });

  it('lists only the survivor after a merge', async () => {
    const keep = await t.ticket({ customer: { email: 'keep4@example.com', name: 'Quentin Survivor' } });
    const gone = await t.ticket({ customer: { email: 'gone4@example.com', name: 'Quentin Duplicate' } });
    await merge(keep.customerId, gone.customerId);
    const ids = (await get('/customers?q=quentin')).json().items.map((c: { id: string }) => c.id);
    expect(ids).toEqual([keep.customerId]);
  });

  it('refuses to merge a customer into themselves with 409 merge_conflict', async () => {
    const only = await openTicket('self@example.com');
    const res = await merge(only.customer_id, only.customer_id);
    expect(res.statusCode).toBe(409);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json().code).toBe('merge_conflict');
  });

  it('refuses to merge a customer twice, or into one already merged away', async () => {
    const keep = await openTicket('keep5@example.com');
    const gone = await openTicket('gone5@example.com');
    const third = await openTicket('third5@example.com');
    expect((await merge(keep.customer_id, gone.customer_id)).statusCode).toBe(200);
    const again = await merge(third.customer_id, gone.customer_id);
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('merge_conflict');
    const into = await merge(gone.customer_id, third.customer_id);
    expect(into.statusCode).toBe(409);
    expect(into.json().code).toBe('merge_conflict');
    // Nothing moved on the refused merges.
    expect((await get(`/customers/${third.customer_id}`)).json()).toMatchObject({ id: third.customer_id, ticket_count: 1 });
  });

  it('answers 404 when either customer does not exist', async () => {
    const keep = await openTicket('keep6@example.com');
    const res = await merge(keep.customer_id, '00000000-0000-4000-8000-000000000000');
    expect(res.statusCode).toBe(404);
    expect(res.json().code).toBe('not_found');
  });

  it('keeps the name of the merged-away customer when the survivor has none', async () => {
    const keep = await t.ticket({ customer: { email: 'noname@example.com' } });
    const gone = await t.ticket({ customer: { email: 'named@example.com', name: 'Noor Named' } });
    const res = await merge(keep.customerId, gone.customerId);
    expect(res.json().customer.name).toBe('Noor Named');
  });
});

describe('changing a customer', () => {
  it('renames a customer and keeps a note for the team; the new name is found by search', async () => {
    const opened = await openTicket('rename.me@example.com');
    const res = await t.app.inject({
      method: 'PATCH', url: `/api/v1/customers/${opened.customer_id}`, headers: agent.headers,
      payload: { name: '  Renée Marchand ', note: 'Prefers phone calls after 17:00.' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ name: 'Renée Marchand', note: 'Prefers phone calls after 17:00.' });
    const found = await get('/customers?q=Marchand');
    expect(found.json().items.map((c: { id: string }) => c.id)).toContain(opened.customer_id);
    const cleared = await t.app.inject({ method: 'PATCH', url: `/api/v1/customers/${opened.customer_id}`, headers: agent.headers, payload: { note: '' } });
    expect(cleared.json().note).toBeNull();
    expect(cleared.json().name).toBe('Renée Marchand');
  });

  it('refuses unknown fields and a customer merged into another', async () => {
    const a = await openTicket('keep.patch@example.com');
    const b = await openTicket('gone.patch@example.com');
    const bad = await t.app.inject({ method: 'PATCH', url: `/api/v1/customers/${a.customer_id}`, headers: agent.headers, payload: { email: 'x@example.com' } });
    expect(bad.statusCode).toBe(400);
    expect((await merge(a.customer_id, b.customer_id)).statusCode).toBe(200);
    const merged = await t.app.inject({ method: 'PATCH', url: `/api/v1/customers/${b.customer_id}`, headers: agent.headers, payload: { name: 'Too late' } });
    expect(merged.statusCode).toBe(409);
    expect(merged.json().merged_into_id).toBe(a.customer_id);
  });
});
