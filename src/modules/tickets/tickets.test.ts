import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestAgent, type TestApp } from '../../../test/harness.ts';
import { insertTeam } from '../agents/agents.queries.ts';
import { addMessage } from './tickets.service.ts';

let t: TestApp;
let agent: TestAgent;
beforeAll(async () => {
  t = await createTestApp();
  agent = await t.agent('agent', 'Ada Agent');
});
afterAll(async () => {
  await t?.close();
});

interface EventDto { type: string; actor: { type: string; id: string | null; name: string | null }; data: Record<string, unknown> }

async function getTicket(idOrNumber: string | number, headers: Record<string, string> = agent.headers) {
  const res = await t.app.inject({ method: 'GET', url: `/api/v1/tickets/${encodeURIComponent(String(idOrNumber))}`, headers });
  expect(res.statusCode).toBe(200);
  return res.json() as {
    ticket: Record<string, any>;
    messages: Array<Record<string, any>>;
    events: EventDto[];
    customer: Record<string, any>;
  };
}

function patch(id: string, payload: Record<string, unknown>, headers: Record<string, string> = agent.headers) {
  return t.app.inject({ method: 'PATCH', url: `/api/v1/tickets/${id}`, headers, payload });
}

function reply(id: string, payload: Record<string, unknown>, headers: Record<string, string> = agent.headers) {
  return t.app.inject({ method: 'POST', url: `/api/v1/tickets/${id}/messages`, headers, payload });
}

describe('opening a ticket', () => {
  it('answers 201 with a ticket number and a Location, for a customer created from the email', async () => {
    const res = await t.app.inject({
      method: 'POST', url: '/api/v1/tickets', headers: agent.headers,
      payload: { subject: 'Parcel never arrived', customer: { email: 'Lena@Example.com', name: 'Lena' }, message: { body: 'Where is it?' }, channel: 'phone', priority: 'high', tags: ['Shipping', 'late parcel'] },
    });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body.number).toBeGreaterThan(1000);
    expect(res.headers.location).toBe(`/api/v1/tickets/${body.id}`);

    const detail = await getTicket(body.id);
    expect(detail.ticket).toMatchObject({
      number: body.number, subject: 'Parcel never arrived', status: 'new', priority: 'high', channel: 'phone',
      tags: ['shipping', 'late-parcel'], message_count: 1, assignee: null, first_response_at: null,
      customer: { id: body.customer_id, name: 'Lena', email: 'lena@example.com' },
    });
    expect(detail.messages).toHaveLength(1);
    expect(detail.messages[0]).toMatchObject({ kind: 'inbound', body_text: 'Where is it?', author: { type: 'customer', id: body.customer_id } });
    expect(detail.events.map((e) => e.type)).toEqual(['ticket.created']);
    expect(detail.events[0]?.actor).toMatchObject({ type: 'agent', id: agent.id, name: 'Ada Agent' });
  });

  it('finds the existing customer by email whatever its letter case', async () => {
    const first = await t.app.inject({
      method: 'POST', url: '/api/v1/tickets', headers: agent.headers,
      payload: { subject: 'First question', customer: { email: 'Case.Test@Example.com', name: 'Casey' }, message: { body: 'One' } },
    });
    const second = await t.app.inject({
      method: 'POST', url: '/api/v1/tickets', headers: agent.headers,
      payload: { subject: 'Another question', customer: { email: 'case.test@EXAMPLE.COM' }, message: { body: 'Two' } },
    });
    expect(second.statusCode).toBe(201);
    expect(second.json().customer_id).toBe(first.json().customer_id);
    expect(second.json().number).toBeGreaterThan(first.json().number);
    const profile = await t.app.inject({ method: 'GET', url: `/api/v1/customers/${first.json().customer_id}`, headers: agent.headers });
    expect(profile.json().identities).toHaveLength(1);
    expect(profile.json().ticket_count).toBe(2);
  });

  it('opens an assigned ticket as open, with the assignee named', async () => {
    const other = await t.agent('agent', 'Olga Other');
    const res = await t.app.inject({
      method: 'POST', url: '/api/v1/tickets', headers: agent.headers,
      payload: { subject: 'For Olga', customer: { email: 'forolga@example.com' }, message: { body: 'Hi' }, assignee_id: other.id },
    });
    expect(res.statusCode).toBe(201);
    const detail = await getTicket(res.json().id);
    expect(detail.ticket).toMatchObject({ status: 'open', assignee: { id: other.id, name: 'Olga Other' } });
  });

  it('refuses an assignee who does not exist with 404 and creates nothing', async () => {
    const res = await t.app.inject({
      method: 'POST', url: '/api/v1/tickets', headers: agent.headers,
      payload: { subject: 'Ghost', customer: { email: 'ghost-assignee@example.com' }, message: { body: 'Hi' }, assignee_id: '00000000-0000-4000-8000-000000000000' },
    });
    expect(res.statusCode).toBe(404);
    const customers = await t.app.inject({ method: 'GET', url: '/api/v1/customers?email=ghost-assignee@example.com', headers: agent.headers });
    expect(customers.json().items).toEqual([]);
  });
});

describe('reading a ticket', () => {
  it('finds a ticket by id, by number and by #number, with messages, events and customer', async () => {
    const created = await t.ticket({ subject: 'Lookup me' });
    const byId = await getTicket(created.id);
    const byNumber = await getTicket(created.number);
    const byHash = await getTicket(`#${created.number}`);
    expect(byNumber.ticket.id).toBe(created.id);
    expect(byHash.ticket.id).toBe(created.id);
    expect(byId.ticket.number).toBe(created.number);
    expect(byId.messages).toHaveLength(1);
    expect(byId.events).toHaveLength(1);
    expect(byId.customer).toMatchObject({ id: created.customerId, ticket_count: 1 });
    expect(byId.customer.tickets.map((x: { id: string }) => x.id)).toEqual([created.id]);
  });

  it('answers 404 not_found for an unknown id, number or garbage', async () => {
    for (const id of ['00000000-0000-4000-8000-000000000000', '999999', 'not-a-ticket']) {
      const res = await t.app.inject({ method: 'GET', url: `/api/v1/tickets/${id}`, headers: agent.headers });
      expect({ id, status: res.statusCode, code: res.json().code }).toEqual({ id, status: 404, code: 'not_found' });
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
  });
});

describe('changing a ticket', () => {
  it('writes one event per changed field, naming the agent who changed it', async () => {
    const assignee = await t.agent('agent', 'Bo Assignee');
    const team = await insertTeam(t.database.db, 'Billing');
    const created = await t.ticket({ tags: ['refund'] });
    const res = await patch(created.id, { status: 'pending', priority: 'urgent', assignee_id: assignee.id, team_id: team.id, tags: ['refund', 'VIP'] });
    expect(res.statusCode).toBe(200);
    expect(res.json().ticket).toMatchObject({
      status: 'pending', priority: 'urgent', assignee: { id: assignee.id, name: 'Bo Assignee' }, team: { id: team.id, name: 'Billing' }, tags: ['refund', 'vip'],
    });

    const { events } = await getTicket(created.id);
    const changes = events.filter((e) => e.type !== 'ticket.created');
    expect(changes.map((e) => e.type).sort()).toEqual(['assignee.changed', 'priority.changed', 'status.changed', 'tags.changed', 'team.changed']);
    for (const e of changes) expect(e.actor).toEqual({ type: 'agent', id: agent.id, name: 'Ada Agent' });
    const byType = Object.fromEntries(changes.map((e) => [e.type, e.data]));
    expect(byType['status.changed']).toEqual({ from: 'new', to: 'pending' });
    expect(byType['priority.changed']).toEqual({ from: 'normal', to: 'urgent' });
    expect(byType['assignee.changed']).toMatchObject({ from: null, to: assignee.id, to_name: 'Bo Assignee' });
    expect(byType['team.changed']).toEqual({ from: null, to: team.id });
    expect(byType['tags.changed']).toEqual({ added: ['vip'], removed: [] });
  });

  it('opens a new ticket when it is assigned, and logs that status change too', async () => {
    const created = await t.ticket();
    const res = await patch(created.id, { assignee_id: agent.id });
    expect(res.json().ticket).toMatchObject({ status: 'open', assignee: { id: agent.id } });
    const { events } = await getTicket(created.id);
    expect(events.map((e) => [e.type, e.data.from ?? null, e.data.to ?? null])).toEqual([
      ['ticket.created', null, null],
      ['assignee.changed', null, agent.id],
      ['status.changed', 'new', 'open'],
    ]);
  });

  it('renames a ticket, trimming the subject, and logs the old and new subject', async () => {
    const created = await t.ticket({ subject: 'Old subject' });
    const res = await patch(created.id, { subject: '  New subject  ' });
    expect(res.json().ticket.subject).toBe('New subject');
    const { events } = await getTicket(created.id);
    expect(events.at(-1)).toMatchObject({ type: 'subject.changed', data: { from: 'Old subject', to: 'New subject' } });
  });

  it('writes no event when nothing actually changes', async () => {
    const created = await t.ticket({ priority: 'low' });
    const res = await patch(created.id, { priority: 'low', tags: [] });
    expect(res.statusCode).toBe(200);
    expect((await getTicket(created.id)).events.map((e) => e.type)).toEqual(['ticket.created']);
  });

  it('sets solved_at when solved and clears it when reopened', async () => {
    const created = await t.ticket();
    const solved = await patch(created.id, { status: 'solved' });
    expect(solved.json().ticket.status).toBe('solved');
    expect(Date.parse(solved.json().ticket.solved_at)).toBeGreaterThan(Date.now() - 60_000);
    const reopened = await patch(created.id, { status: 'open' });
    expect(reopened.json().ticket).toMatchObject({ status: 'open', solved_at: null });
  });

  it('refuses any change to a closed ticket with 409 conflict', async () => {
    const created = await t.ticket();
    expect((await patch(created.id, { status: 'closed' })).statusCode).toBe(200);
    for (const change of [{ status: 'open' }, { priority: 'urgent' }, { tags: ['late'] }, { assignee_id: agent.id }]) {
      const res = await patch(created.id, change);
      expect({ change, status: res.statusCode, code: res.json().code }).toEqual({ change, status: 409, code: 'conflict' });
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
    const detail = await getTicket(created.id);
    expect(detail.ticket).toMatchObject({ status: 'closed', priority: 'normal', tags: [], assignee: null });
    expect(detail.ticket.closed_at).not.toBeNull();
  });

  it('refuses an unknown assignee with 400 naming assignee_id, changing nothing', async () => {
    const created = await t.ticket();
    const res = await patch(created.id, { priority: 'high', assignee_id: '00000000-0000-4000-8000-000000000000' });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toEqual([{ field: 'assignee_id', message: 'is not an agent' }]);
    const detail = await getTicket(created.id);
    expect(detail.ticket.priority).toBe('normal');
    expect(detail.events).toHaveLength(1);
  });

  it('answers 404 when patching a ticket that does not exist', async () => {
    const res = await patch('00000000-0000-4000-8000-000000000000', { priority: 'high' });
    expect(res.statusCode).toBe(404);
    expect(res.json().code).toBe('not_found');
  });
});

describe('replying', () => {
  it('sets the first response time, opens a new ticket and assigns it to the replier', async () => {
    const created = await t.ticket();
    const res = await reply(created.id, { body: 'We are on it.' });
    expect(res.statusCode).toBe(201);
    const { message, ticket } = res.json();
    expect(message).toMatchObject({ kind: 'outbound', body_text: 'We are on it.', author: { type: 'agent', id: agent.id, name: 'Ada Agent' } });
    expect(ticket).toMatchObject({ status: 'open', assignee: { id: agent.id }, message_count: 2 });
    expect(ticket.first_response_at).toBe(message.created_at);

    const detail = await getTicket(created.id);
    expect(detail.messages.map((m) => m.kind)).toEqual(['inbound', 'outbound']);
    expect(detail.events.map((e) => e.type)).toEqual(['ticket.created', 'reply.sent', 'status.changed', 'assignee.changed']);
  });

  it('keeps the first response time on later replies', async () => {
    const created = await t.ticket();
    const first = (await reply(created.id, { body: 'First.' })).json();
    const second = (await reply(created.id, { body: 'Second.' })).json();
    expect(second.ticket.first_response_at).toBe(first.ticket.first_response_at);
    expect(second.ticket.message_count).toBe(3);
  });

  it('does not take a ticket somebody else already has', async () => {
    const owner = await t.agent('agent', 'Owner');
    const created = await t.ticket({ assigneeId: owner.id });
    const res = await reply(created.id, { body: 'Jumping in.' });
    expect(res.json().ticket.assignee.id).toBe(owner.id);
  });

  it('an internal note sets no first response, keeps the ticket new and unassigned', async () => {
    const created = await t.ticket();
    const res = await reply(created.id, { body: 'Customer sounds upset', internal: true });
    expect(res.statusCode).toBe(201);
    expect(res.json().message.kind).toBe('note');
    expect(res.json().ticket).toMatchObject({ status: 'new', assignee: null, first_response_at: null });
    expect((await getTicket(created.id)).events.map((e) => e.type)).toEqual(['ticket.created', 'note.added']);
  });

  it('a reply with status pending leaves the ticket pending', async () => {
    const created = await t.ticket();
    const res = await reply(created.id, { body: 'Can you send a photo?', status: 'pending' });
    expect(res.json().ticket).toMatchObject({ status: 'pending', assignee: { id: agent.id } });
    expect(res.json().ticket.first_response_at).not.toBeNull();
  });

  it('a reply with status solved solves the ticket', async () => {
    const created = await t.ticket();
    const res = await reply(created.id, { body: 'Refunded, sorry!', status: 'solved' });
    expect(res.json().ticket.status).toBe('solved');
    expect(res.json().ticket.solved_at).not.toBeNull();
  });

  it('refuses a reply on a closed ticket with 409, but accepts an internal note', async () => {
    const created = await t.ticket();
    await patch(created.id, { status: 'closed' });
    const res = await reply(created.id, { body: 'Hello again' });
    expect(res.statusCode).toBe(409);
    const note = await reply(created.id, { body: 'For the record', internal: true });
    expect(note.statusCode).toBe(201);
    expect(note.json().ticket.status).toBe('closed');
  });

  it('answers 404 for a reply to a ticket that does not exist', async () => {
    const res = await reply('00000000-0000-4000-8000-000000000000', { body: 'Anyone?' });
    expect(res.statusCode).toBe(404);
    expect(res.json().code).toBe('not_found');
  });
});

describe('messages from the customer', () => {
  it('reopens a solved ticket when the customer writes again through a channel', async () => {
    const created = await t.ticket();
    await reply(created.id, { body: 'Done!', status: 'solved' });
    await addMessage(t.ctx, created.id, { body: 'Actually it is still broken.' });
    const detail = await getTicket(created.id);
    expect(detail.ticket.status).toBe('open');
    expect(detail.ticket.solved_at).toBeNull();
    expect(detail.messages.at(-1)).toMatchObject({ kind: 'inbound', author: { type: 'customer', id: created.customerId } });
    const last = detail.events.at(-1);
    expect(last).toMatchObject({ type: 'status.changed', data: { from: 'solved', to: 'open' }, actor: { type: 'system' } });
  });

  it('reopens a pending ticket when the customer answers in the portal', async () => {
    const created = await t.ticket();
    await reply(created.id, { body: 'Which size?', status: 'pending' });
    const customerCtx = { ...t.ctx, actor: { type: 'customer' as const, customerId: created.customerId } };
    await addMessage(customerCtx, created.id, { body: 'Size M' });
    const detail = await getTicket(created.id);
    expect(detail.ticket.status).toBe('open');
    expect(detail.events.at(-1)).toMatchObject({ type: 'status.changed', actor: { type: 'customer', id: created.customerId } });
  });

  it('a customer cannot write on somebody else’s ticket', async () => {
    const mine = await t.ticket();
    const theirs = await t.ticket();
    const customerCtx = { ...t.ctx, actor: { type: 'customer' as const, customerId: mine.customerId } };
    await expect(addMessage(customerCtx, theirs.id, { body: 'Sneaky' })).rejects.toMatchObject({ code: 'not_found' });
    expect((await getTicket(theirs.id)).messages).toHaveLength(1);
  });

  it('an inbound message does not count as a first response', async () => {
    const created = await t.ticket();
    await addMessage(t.ctx, created.id, { body: 'Hello?' });
    expect((await getTicket(created.id)).ticket.first_response_at).toBeNull();
  });
});
