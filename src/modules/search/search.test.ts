import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestAgent, type TestApp } from '../../../test/harness.ts';
import { addMessage } from '../tickets/tickets.service.ts';

let t: TestApp;
let agent: TestAgent;
beforeAll(async () => {
  t = await createTestApp();
  agent = await t.agent('agent');
});
afterAll(async () => {
  await t?.close();
});

interface Results {
  tickets: Array<{ id: string; number: number; subject: string }>;
  messages: Array<{ id: string; ticket_id: string; ticket_number: number; kind: string; snippet: string }>;
  customers: Array<{ id: string; name: string | null; email: string | null }>;
}

async function search(q: string): Promise<Results> {
  const res = await t.app.inject({ method: 'GET', url: `/api/v1/search?q=${encodeURIComponent(q)}`, headers: agent.headers });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

describe('global search', () => {
  it('finds tickets by words of their subject', async () => {
    const hit = await t.ticket({ subject: 'Espresso machine leaking water' });
    await t.ticket({ subject: 'Coffee grinder noisy' });
    const r = await search('espresso leaking');
    expect(r.tickets.map((x) => x.id)).toEqual([hit.id]);
  });

  it('finds messages by their words with english stemming, with <mark> snippets', async () => {
    const hit = await t.ticket({ subject: 'Money back', message: { body: 'I would like a refund for the blender, it arrived cracked.' } });
    const r = await search('refunds');
    expect(r.messages).toHaveLength(1);
    expect(r.messages[0]).toMatchObject({ ticket_id: hit.id, ticket_number: hit.number, kind: 'inbound' });
    expect(r.messages[0]?.snippet).toContain('<mark>refund</mark>');
    expect(r.tickets.map((x) => x.id)).toContain(hit.id);
  });

  it('escapes message text in snippets, keeping only the <mark> highlights as HTML', async () => {
    await t.ticket({ subject: 'Markup', message: { body: 'My kettlebell from Smith & Sons weighs <5kg, not the 8 kg I ordered' } });
    const r = await search('kettlebell');
    const snippet = r.messages[0]?.snippet ?? '';
    expect(snippet).toContain('<mark>kettlebell</mark>');
    expect(snippet).toContain('Smith &amp; Sons weighs &lt;5kg');
    expect(snippet.replace(/<\/?mark>/g, '')).not.toMatch(/</);
  });

  it('finds customers by email prefix and by name', async () => {
    const c = await t.ticket({ customer: { email: 'henrietta.q@customers.example', name: 'Henrietta Quark' } });
    expect((await search('henrietta.q@cust')).customers.map((x) => x.id)).toEqual([c.customerId]);
    expect((await search('Quark')).customers).toEqual([{ id: c.customerId, name: 'Henrietta Quark', email: 'henrietta.q@customers.example' }]);
  });

  it('puts the ticket with the number first when searching "#1234"', async () => {
    const target = await t.ticket({ subject: 'Target ticket' });
    const mentions = await t.ticket({ subject: `Follow-up to ${target.number}`, message: { body: `About ticket ${target.number} again` } });
    for (const q of [`#${target.number}`, String(target.number)]) {
      const r = await search(q);
      expect(r.tickets[0]?.id).toBe(target.id);
      expect(r.tickets.map((x) => x.id)).toContain(mentions.id);
    }
  });

  it('does not return internal notes as message hits', async () => {
    const ticket = await t.ticket({ subject: 'Ordinary' });
    await t.app.inject({ method: 'POST', url: `/api/v1/tickets/${ticket.id}/messages`, headers: agent.headers, payload: { body: 'Customer is a known chargeback fraudster', internal: true } });
    const r = await search('fraudster');
    expect(r.messages).toEqual([]);
    expect(r.tickets).toEqual([]);
  });

  it('finds a later reply, not only the first message', async () => {
    const ticket = await t.ticket({ subject: 'Shipping' });
    await addMessage(t.ctx, ticket.id, { body: 'The courier left it with the neighbours' });
    const r = await search('courier');
    expect(r.messages.map((m) => m.ticket_id)).toEqual([ticket.id]);
  });

  it('understands quotes and minus like a web search', async () => {
    const both = await t.ticket({ subject: 'Blue lamp broken' });
    const lampOnly = await t.ticket({ subject: 'Lamp shade blue missing' });
    expect((await search('"blue lamp"')).tickets.map((x) => x.id)).toEqual([both.id]);
    expect((await search('lamp -shade')).tickets.map((x) => x.id)).toEqual([both.id]);
    expect(lampOnly.id).toBeTruthy();
  });

  it('answers a query of only stop words or symbols with empty results', async () => {
    for (const q of ['the', '&&&', '"']) {
      const r = await search(q);
      expect(r).toMatchObject({ messages: [] });
    }
  });

  it('refuses an empty query with 400 naming q', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/search?q=', headers: agent.headers });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].field).toBe('q');
  });
});
