import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestAgent, type TestApp } from '../../../test/harness.ts';
import { encodeCursor } from '../../shared/cursor.ts';
import { addMessage, updateTicket } from './tickets.service.ts';

let t: TestApp;
let agent: TestAgent;
beforeAll(async () => {
  t = await createTestApp();
  agent = await t.agent('agent', 'Lister');
});
afterAll(async () => {
  await t?.close();
});

interface Summary { id: string; number: number; status: string; tags: string[]; assignee: { id: string } | null; updated_at: string }

async function list(query: string, headers: Record<string, string> = agent.headers) {
  const res = await t.app.inject({ method: 'GET', url: `/api/v1/tickets?${query}`, headers });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { items: Summary[]; next_cursor: string | null };
}

const ids = (page: { items: Summary[] }) => page.items.map((i) => i.id);

describe('filtering the ticket list', () => {
  it('filters by one status or a comma list of statuses', async () => {
    const tag = 'status-filter';
    const fresh = await t.ticket({ tags: [tag] });
    const pending = await t.ticket({ tags: [tag] });
    const solved = await t.ticket({ tags: [tag] });
    await updateTicket(t.ctx, pending.id, { status: 'pending' });
    await updateTicket(t.ctx, solved.id, { status: 'solved' });
    expect(ids(await list(`tag=${tag}&status=pending`))).toEqual([pending.id]);
    expect(ids(await list(`tag=${tag}&status=new,solved`)).sort()).toEqual([fresh.id, solved.id].sort());
    expect(ids(await list(`tag=${tag}&status=on_hold`))).toEqual([]);
  });

  it('refuses an unknown status with 400 naming the parameter', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/tickets?status=open,wontfix', headers: agent.headers });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].field).toBe('status');
  });

  it('filters by assignee: me, none, or an agent id', async () => {
    const tag = 'assignee-filter';
    const other = await t.agent('agent', 'Other');
    const mine = await t.ticket({ tags: [tag], assigneeId: agent.id });
    const theirs = await t.ticket({ tags: [tag], assigneeId: other.id });
    const nobodys = await t.ticket({ tags: [tag] });
    expect(ids(await list(`tag=${tag}&assignee=me`))).toEqual([mine.id]);
    expect(ids(await list(`tag=${tag}&assignee=me`, { cookie: other.cookie }))).toEqual([theirs.id]);
    expect(ids(await list(`tag=${tag}&assignee=none`))).toEqual([nobodys.id]);
    expect(ids(await list(`tag=${tag}&assignee=${other.id}`))).toEqual([theirs.id]);
  });

  it('refuses an assignee that is neither me, none nor an agent id with 400', async () => {
    for (const assignee of ['someone', '-'.repeat(36), 'g'.repeat(36)]) {
      const res = await t.app.inject({ method: 'GET', url: `/api/v1/tickets?assignee=${assignee}`, headers: agent.headers });
      expect({ assignee, status: res.statusCode, field: res.json().errors?.[0]?.field }).toEqual({ assignee, status: 400, field: 'assignee' });
    }
  });

  it('filters by tag, whatever its letter case', async () => {
    const tagged = await t.ticket({ tags: ['Damaged-Item'] });
    await t.ticket({ tags: ['other-tag'] });
    expect(ids(await list('tag=damaged-item'))).toEqual([tagged.id]);
    expect(ids(await list('tag=DAMAGED-ITEM'))).toEqual([tagged.id]);
  });

  it('filters by customer', async () => {
    const first = await t.ticket({ customer: { email: 'filter-customer@example.com' } });
    const second = await t.ticket({ customer: { email: 'FILTER-customer@example.com' } });
    await t.ticket();
    expect(second.customerId).toBe(first.customerId);
    expect(ids(await list(`customer_id=${first.customerId}`))).toEqual([second.id, first.id]);
  });

  it('finds words in the subject or in any message body, with english stemming', async () => {
    const bySubject = await t.ticket({ subject: 'Wobbly turntable platter', tags: ['fts'] });
    const byMessage = await t.ticket({ subject: 'Question', message: { body: 'My gramophones arrived scratched' }, tags: ['fts'] });
    const byLaterMessage = await t.ticket({ subject: 'Another question', tags: ['fts'] });
    await addMessage(t.ctx, byLaterMessage.id, { body: 'The turntables in my second order wobble too' });
    await t.ticket({ subject: 'Unrelated', tags: ['fts'] });
    expect(ids(await list('q=platter'))).toEqual([bySubject.id]);
    expect(ids(await list('q=gramophone'))).toEqual([byMessage.id]);
    expect(ids(await list('q=turntable')).sort()).toEqual([bySubject.id, byLaterMessage.id].sort());
    expect(ids(await list('q=turntable&tag=fts&status=new,open')).sort()).toEqual([bySubject.id, byLaterMessage.id].sort());
  });

  it('shows customer, assignee, preview of the latest message and counts in each row', async () => {
    const created = await t.ticket({ subject: 'Row shape', tags: ['row-shape'], customer: { email: 'row@example.com', name: 'Rowan' }, assigneeId: agent.id });
    await addMessage(t.ctx, created.id, { body: 'Latest words from the customer' });
    const [row] = (await list('tag=row-shape')).items;
    expect(row).toMatchObject({
      id: created.id, number: created.number, subject: 'Row shape', status: 'open', tags: ['row-shape'],
      customer: { id: created.customerId, name: 'Rowan', email: 'row@example.com' },
      assignee: { id: agent.id, name: 'Lister' }, message_count: 2, preview: 'Latest words from the customer',
    });
  });
});

describe('paging through tickets', () => {
  it('walks every ticket exactly once, newest activity first, even when many share one updated_at', async () => {
    const tag = 'paging';
    const base = Date.parse('2026-03-01T10:00:00.000Z');
    const created: string[] = [];
    // 7 tickets at the very same instant, and 6 around them.
    for (let i = 0; i < 13; i++) {
      const at = new Date(i < 7 ? base : base + (i - 9) * 60_000);
      created.push((await t.ticket({ tags: [tag], at })).id);
    }
    const seen: Summary[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await list(`tag=${tag}&limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(page.items.length).toBeLessThanOrEqual(3);
      seen.push(...page.items);
      cursor = page.next_cursor;
      pages++;
      expect(pages).toBeLessThan(10);
    } while (cursor);
    expect(pages).toBe(5);
    expect(seen.map((s) => s.id).sort()).toEqual([...created].sort());
    expect(new Set(seen.map((s) => s.id)).size).toBe(13);
    // Order: updated_at descending, then id descending.
    const keys = seen.map((s) => [Date.parse(s.updated_at), s.id] as const);
    for (let i = 1; i < keys.length; i++) {
      const [pt, pid] = keys[i - 1]!;
      const [ct, cid] = keys[i]!;
      expect(pt > ct || (pt === ct && pid > cid)).toBe(true);
    }
  });

  it('gives no next cursor on the last page', async () => {
    await t.ticket({ tags: ['single-page'] });
    await t.ticket({ tags: ['single-page'] });
    const exact = await list('tag=single-page&limit=2');
    expect(exact.items).toHaveLength(2);
    expect(exact.next_cursor).toBeNull();
  });

  it('keeps microsecond timestamps in the cursor so no ticket is skipped', async () => {
    const tag = 'micro';
    const a = await t.ticket({ tags: [tag] });
    const b = await t.ticket({ tags: [tag] });
    // Two updates within the same millisecond, apart by microseconds, as the database clock writes them.
    await t.database.db.updateTable('tickets').set({ updated_at: '2026-04-01T00:00:00.000500Z' }).where('id', '=', a.id).execute();
    await t.database.db.updateTable('tickets').set({ updated_at: '2026-04-01T00:00:00.000200Z' }).where('id', '=', b.id).execute();
    const first = await list(`tag=${tag}&limit=1`);
    expect(ids(first)).toEqual([a.id]);
    const second = await list(`tag=${tag}&limit=1&cursor=${encodeURIComponent(first.next_cursor ?? '')}`);
    expect(ids(second)).toEqual([b.id]);
  });

  it('refuses a cursor it did not make with 400 invalid_cursor', async () => {
    const forged = [
      'garbage',
      encodeCursor({ t: 'yesterday', id: 'x' }),
      Buffer.from('{"t":1}').toString('base64url'),
      encodeCursor({ t: '2026-03-01T10:00:00Z', id: '-'.repeat(36) }),
      encodeCursor({ t: 'March 1, 2026', id: '00000000-0000-4000-8000-000000000000' }),
      encodeCursor({ t: '2026', id: '00000000-0000-4000-8000-000000000000' }),
      encodeCursor({ t: '2026-02-30T10:00:00Z', id: '00000000-0000-4000-8000-000000000000' }),
      encodeCursor({ t: '2026-01-01T24:00:00Z', id: '00000000-0000-4000-8000-000000000000' }),
    ];
    for (const cursor of forged) {
      const res = await t.app.inject({ method: 'GET', url: `/api/v1/tickets?cursor=${encodeURIComponent(cursor)}`, headers: agent.headers });
      expect(res.statusCode).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json()).toMatchObject({ code: 'invalid_cursor', errors: [{ field: 'cursor' }] });
    }
  });

  it('refuses a limit outside 1..100', async () => {
    for (const limit of ['0', '101', 'ten']) {
      const res = await t.app.inject({ method: 'GET', url: `/api/v1/tickets?limit=${limit}`, headers: agent.headers });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ code: 'validation_failed', errors: [{ field: 'limit' }] });
    }
  });
});

describe('inbox counts', () => {
  it('counts mine, unassigned, open, pending, on hold, solved and all', async () => {
    const counter = await t.agent('agent', 'Counter');
    const get = async () => (await t.app.inject({ method: 'GET', url: '/api/v1/tickets/counts', headers: counter.headers })).json();
    const before = await get();
    const mineOpen = await t.ticket({ assigneeId: counter.id });
    const minePending = await t.ticket({ assigneeId: counter.id });
    await updateTicket(t.ctx, minePending.id, { status: 'pending' });
    const mineSolved = await t.ticket({ assigneeId: counter.id });
    await updateTicket(t.ctx, mineSolved.id, { status: 'solved' });
    await t.ticket(); // new, unassigned
    const unassignedHold = await t.ticket();
    await updateTicket(t.ctx, unassignedHold.id, { status: 'on_hold' });
    const closed = await t.ticket();
    await updateTicket(t.ctx, closed.id, { status: 'closed' });
    const after = await get();
    expect(mineOpen.id).toBeTruthy();
    expect(before.mine).toBe(0);
    for (const value of Object.values(after)) expect(typeof value).toBe('number');
    const delta = Object.fromEntries(Object.keys(after).map((k) => [k, after[k] - before[k]]));
    expect(delta).toEqual({ mine: 2, unassigned: 2, open: 2, pending: 1, on_hold: 1, solved: 2, all: 6 });
  });
});
