import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestAgent, type TestApp } from '../../../test/harness.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t?.close();
});

function createView(who: TestAgent, payload: Record<string, unknown>) {
  return t.app.inject({ method: 'POST', url: '/api/v1/views', headers: who.headers, payload });
}

async function listViews(who: TestAgent) {
  const res = await t.app.inject({ method: 'GET', url: '/api/v1/views', headers: who.headers });
  expect(res.statusCode).toBe(200);
  return res.json().items as Array<{ id: string; name: string; shared: boolean; filters: Record<string, string> }>;
}

function deleteView(who: TestAgent, id: string) {
  return t.app.inject({ method: 'DELETE', url: `/api/v1/views/${id}`, headers: who.headers });
}

describe('saved views', () => {
  it('saves a private view, lists it for its owner only, and deletes it', async () => {
    const owner = await t.agent('agent');
    const colleague = await t.agent('agent');
    const res = await createView(owner, { name: '  My urgent ', filters: { status: 'new,open', priority: 'urgent', assignee: 'me' } });
    expect(res.statusCode).toBe(201);
    const view = res.json();
    expect(view).toMatchObject({ name: 'My urgent', shared: false, filters: { status: 'new,open', priority: 'urgent', assignee: 'me' } });

    expect((await listViews(owner)).map((v) => v.id)).toContain(view.id);
    expect((await listViews(colleague)).map((v) => v.id)).not.toContain(view.id);

    const foreignDelete = await deleteView(colleague, view.id);
    expect(foreignDelete.statusCode).toBe(404);

    expect((await deleteView(owner, view.id)).statusCode).toBe(204);
    expect((await listViews(owner)).map((v) => v.id)).not.toContain(view.id);
    expect((await deleteView(owner, view.id)).statusCode).toBe(404);
  });

  it('refuses a shared view from an agent with 403', async () => {
    const agent = await t.agent('agent');
    const res = await createView(agent, { name: 'Everyone', filters: {}, shared: true });
    expect(res.statusCode).toBe(403);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json().code).toBe('forbidden');
  });

  it('lets a manager share a view everyone sees, which only a manager may delete', async () => {
    const manager = await t.agent('manager');
    const agent = await t.agent('agent');
    const res = await createView(manager, { name: 'Unassigned', filters: { assignee: 'none' }, shared: true });
    expect(res.statusCode).toBe(201);
    const view = res.json();
    expect(view.shared).toBe(true);
    expect((await listViews(agent)).find((v) => v.id === view.id)).toMatchObject({ name: 'Unassigned', shared: true });

    const byAgent = await deleteView(agent, view.id);
    expect(byAgent.statusCode).toBe(403);
    expect((await deleteView(manager, view.id)).statusCode).toBe(204);
    expect((await listViews(agent)).map((v) => v.id)).not.toContain(view.id);
  });

  it('refuses filters the ticket list would not understand', async () => {
    const agent = await t.agent('agent');
    const unknownFilter = await createView(agent, { name: 'Bad', filters: { colour: 'red' } });
    expect(unknownFilter.statusCode).toBe(400);
    expect(unknownFilter.json().errors[0].field).toBe('filters.colour');
    const badStatus = await createView(agent, { name: 'Bad', filters: { status: 'done' } });
    expect(badStatus.statusCode).toBe(400);
    expect(badStatus.json().errors[0].field).toBe('filters.status');
    const badPriority = await createView(agent, { name: 'Bad', filters: { priority: 'extreme' } });
    expect(badPriority.statusCode).toBe(400);
    expect(badPriority.json().errors[0].field).toBe('filters.priority');
    const noName = await createView(agent, { name: '   ', filters: {} });
    expect(noName.statusCode).toBe(400);
    expect(noName.json().errors[0].field).toBe('name');
  });
});
