import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestAgent, type TestApp } from '../../../test/harness.ts';
import { inTransaction } from '../../shared/context.ts';
import type { LiveEvent } from '../../shared/live-bus.ts';
import { addMessage, createTicket, updateTicket } from '../tickets/tickets.service.ts';

let t: TestApp;
let agent: TestAgent;
let events: LiveEvent[] = [];
let unsubscribe: () => void;
beforeAll(async () => {
  t = await createTestApp();
  agent = await t.agent('agent', 'Live Agent');
  unsubscribe = t.live.subscribe((e) => events.push(e));
});
beforeEach(() => {
  events = [];
});
afterAll(async () => {
  unsubscribe?.();
  await t?.close();
});

const newTicket = (subject = 'Live one') => ({ subject, customer: { email: 'live@example.com' }, message: { body: 'Hi' } });

describe('live updates', () => {
  it('announces a ticket opened through the API', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/tickets', headers: agent.headers, payload: newTicket() });
    const { id, number } = res.json();
    expect(events).toEqual([{ type: 'ticket.created', ticketId: id, number }]);
  });

  it('publishes only after the transaction commits', async () => {
    let seenInside: LiveEvent[] = [];
    const created = await inTransaction(t.ctx, async (tx) => {
      const ticket = await createTicket(tx, newTicket('Inside a transaction'));
      await addMessage(tx, ticket.id, { body: 'And a second message' });
      seenInside = [...events];
      return ticket;
    });
    expect(seenInside).toEqual([]);
    expect(events.map((e) => e.type)).toEqual(['ticket.created', 'message.created']);
    expect(events.every((e) => 'ticketId' in e && e.ticketId === created.id)).toBe(true);
  });

  it('publishes nothing when the transaction fails, and keeps nothing', async () => {
    let ticketId = '';
    await expect(inTransaction(t.ctx, async (tx) => {
      ticketId = (await createTicket(tx, newTicket('Doomed'))).id;
      throw new Error('payment provider exploded');
    })).rejects.toThrow('payment provider exploded');
    expect(events).toEqual([]);
    const row = await t.database.db.selectFrom('tickets').select('id').where('id', '=', ticketId).executeTakeFirst();
    expect(row).toBeUndefined();
  });

  it('publishes nothing for a refused change', async () => {
    const ticket = await t.ticket();
    await updateTicket(t.ctx, ticket.id, { status: 'closed' });
    events = [];
    const res = await t.app.inject({ method: 'PATCH', url: `/api/v1/tickets/${ticket.id}`, headers: agent.headers, payload: { priority: 'high' } });
    expect(res.statusCode).toBe(409);
    expect(events).toEqual([]);
  });

  it('announces a reply as message.created and the status and assignee it changed as ticket.updated', async () => {
    const ticket = await t.ticket();
    events = [];
    const res = await t.app.inject({ method: 'POST', url: `/api/v1/tickets/${ticket.id}/messages`, headers: agent.headers, payload: { body: 'On it' } });
    const messageId = res.json().message.id;
    expect(events).toContainEqual({ type: 'message.created', ticketId: ticket.id, number: ticket.number, messageId, kind: 'outbound' });
    expect(events).toContainEqual({ type: 'ticket.updated', ticketId: ticket.id, number: ticket.number, changes: ['status', 'assignee'] });
    expect(events).toHaveLength(2);
  });

  it('announces a patch as ticket.updated listing what changed', async () => {
    const ticket = await t.ticket();
    events = [];
    await t.app.inject({ method: 'PATCH', url: `/api/v1/tickets/${ticket.id}`, headers: agent.headers, payload: { priority: 'urgent', tags: ['vip'] } });
    expect(events).toEqual([{ type: 'ticket.updated', ticketId: ticket.id, number: ticket.number, changes: ['priority', 'tags'] }]);
  });
});

describe('presence', () => {
  it('returns who is on the ticket and announces arrivals and departures', async () => {
    const ticket = await t.ticket();
    const other = await t.agent('agent', 'Second Viewer');
    events = [];
    const first = await t.app.inject({ method: 'POST', url: `/api/v1/tickets/${ticket.id}/presence`, headers: agent.headers, payload: { state: 'viewing' } });
    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual({ viewers: [{ agent_id: agent.id, name: 'Live Agent', state: 'viewing' }] });

    const second = await t.app.inject({ method: 'POST', url: `/api/v1/tickets/${ticket.number}/presence`, headers: { cookie: other.cookie }, payload: { state: 'replying' } });
    expect(second.json().viewers).toEqual([
      { agent_id: agent.id, name: 'Live Agent', state: 'viewing' },
      { agent_id: other.id, name: 'Second Viewer', state: 'replying' },
    ]);
    expect(events).toEqual([
      { type: 'presence', ticketId: ticket.id, viewers: [{ agentId: agent.id, name: 'Live Agent', state: 'viewing' }] },
      { type: 'presence', ticketId: ticket.id, viewers: [{ agentId: agent.id, name: 'Live Agent', state: 'viewing' }, { agentId: other.id, name: 'Second Viewer', state: 'replying' }] },
    ]);

    // A heartbeat that changes nothing is not news.
    events = [];
    await t.app.inject({ method: 'POST', url: `/api/v1/tickets/${ticket.id}/presence`, headers: agent.headers, payload: { state: 'viewing' } });
    expect(events).toEqual([]);

    const left = await t.app.inject({ method: 'DELETE', url: `/api/v1/tickets/${ticket.id}/presence`, headers: { cookie: other.cookie } });
    expect(left.statusCode).toBe(204);
    expect(events).toEqual([{ type: 'presence', ticketId: ticket.id, viewers: [{ agentId: agent.id, name: 'Live Agent', state: 'viewing' }] }]);
  });

  it('refuses an unknown state and an unknown ticket', async () => {
    const ticket = await t.ticket();
    const badState = await t.app.inject({ method: 'POST', url: `/api/v1/tickets/${ticket.id}/presence`, headers: agent.headers, payload: { state: 'typing' } });
    expect(badState.statusCode).toBe(400);
    expect(badState.json().errors[0].field).toBe('state');
    for (const id of ['00000000-0000-4000-8000-000000000000', '987654']) {
      const res = await t.app.inject({ method: 'POST', url: `/api/v1/tickets/${id}/presence`, headers: agent.headers, payload: { state: 'viewing' } });
      expect({ id, status: res.statusCode }).toEqual({ id, status: 404 });
    }
  });
});

describe('the event stream', () => {
  it('sends committed changes to a signed-in browser as server-sent events', async () => {
    const base = await t.app.listen({ port: 0, host: '127.0.0.1' });
    const abort = new AbortController();
    try {
      const anonymous = await fetch(`${base}/api/v1/stream`);
      expect(anonymous.status).toBe(401);

      const res = await fetch(`${base}/api/v1/stream`, { headers: { cookie: agent.cookie }, signal: abort.signal });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/event-stream');
      if (!res.body) throw new Error('the stream has no body');
      const reader = res.body.getReader();
      const decoder = new TextDecoder();
      let received = '';
      const readUntil = async (needle: string) => {
        while (!received.includes(needle)) {
          const { value, done } = await reader.read();
          if (done) throw new Error(`stream ended before "${needle}"`);
          received += decoder.decode(value, { stream: true });
        }
      };
      await readUntil(': connected');
      const created = await t.ticket({ subject: 'Streamed' });
      await readUntil(`"number":${created.number}}`);
      const data = received.split('\n').filter((l) => l.startsWith('data: ')).map((l) => JSON.parse(l.slice(6)));
      expect(data).toContainEqual({ type: 'ticket.created', ticket_id: created.id, number: created.number });
    } finally {
      abort.abort();
    }
  });
});
