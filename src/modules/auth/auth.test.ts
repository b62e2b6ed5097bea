import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, TEST_PASSWORD, type TestApp } from '../../../test/harness.ts';
import { buildApp } from '../../http/app.ts';
import { createAgent } from '../agents/agents.service.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t?.close();
});

/** The session cookie's `name=value` from a login response. */
function sessionCookie(setCookie: string | string[] | undefined): string {
  const raw = Array.isArray(setCookie) ? setCookie[0] : setCookie;
  return (raw ?? '').split(';')[0] ?? '';
}

describe('signing in', () => {
  it('sets an httpOnly session cookie that /auth/me accepts', async () => {
    const agent = await t.agent('agent', 'Mira Agent');
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: agent.email, password: TEST_PASSWORD } });
    expect(res.statusCode).toBe(200);
    expect(res.json().agent).toMatchObject({ id: agent.id, email: agent.email, name: 'Mira Agent', role: 'agent' });
    expect(res.body).not.toContain('password');
    const setCookie = String(res.headers['set-cookie']);
    expect(setCookie).toMatch(/^sd_session=[^;]{20,};/);
    expect(setCookie).toMatch(/;\s*HttpOnly/i);
    expect(setCookie).toMatch(/;\s*SameSite=Lax/i);
    expect(setCookie).toMatch(/;\s*Path=\//i);
    expect(setCookie).not.toMatch(/;\s*Secure/i);

    const me = await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: sessionCookie(res.headers['set-cookie']) } });
    expect(me.statusCode).toBe(200);
    expect(me.json().agent).toMatchObject({ id: agent.id, email: agent.email });
  });

  it('accepts the email in any letter case', async () => {
    const agent = await t.agent('agent');
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: agent.email.toUpperCase(), password: TEST_PASSWORD } });
    expect(res.statusCode).toBe(200);
    expect(res.json().agent.id).toBe(agent.id);
  });

  it('refuses a wrong password with 401 invalid_credentials and sets no cookie', async () => {
    const agent = await t.agent('agent');
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: agent.email, password: 'not the password' } });
    expect(res.statusCode).toBe(401);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.headers['set-cookie']).toBeUndefined();
    expect(res.json()).toMatchObject({ status: 401, code: 'invalid_credentials' });
  });

  it('answers an unknown email exactly like a wrong password, so accounts cannot be discovered', async () => {
    const agent = await t.agent('agent');
    const wrong = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: agent.email, password: 'not the password' } });
    const unknown = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'nobody@test.storedesk.dev', password: 'whatever' } });
    expect(unknown.statusCode).toBe(401);
    const { request_id: _a, ...a } = wrong.json();
    const { request_id: _b, ...b } = unknown.json();
    expect(b).toEqual(a);
  });

  it('ends the session on logout: the cookie no longer works', async () => {
    const agent = await t.agent('agent');
    const before = await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: agent.cookie } });
    expect(before.statusCode).toBe(200);
    const out = await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie: agent.cookie } });
    expect(out.statusCode).toBe(204);
    expect(String(out.headers['set-cookie'])).toMatch(/^sd_session=;/);
    const after = await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: agent.cookie } });
    expect(after.statusCode).toBe(401);
    expect(after.json().code).toBe('unauthenticated');
  });

  it('stores passwords as argon2id hashes, never in clear', async () => {
    const agent = await t.agent('agent');
    const row = await t.database.db.selectFrom('agents').select('password_hash').where('id', '=', agent.id).executeTakeFirstOrThrow();
    expect(row.password_hash).toMatch(/^\$argon2id\$v=19\$m=\d+,t=\d+,p=\d+\$/);
    expect(row.password_hash).not.toContain(TEST_PASSWORD);
  });
});

describe('authentication of API calls', () => {
  it('answers 401 unauthenticated without a token or cookie', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/tickets' });
    expect(res.statusCode).toBe(401);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({ status: 401, code: 'unauthenticated' });
  });

  it('answers 401 to an unknown bearer token', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/tickets', headers: { authorization: 'Bearer sdk_not-a-real-token' } });
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('unauthenticated');
  });

  it('answers 401 to an Authorization header that is not a bearer token', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/tickets', headers: { authorization: 'Basic YWRtaW46YWRtaW4=' } });
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('unauthenticated');
  });

  it('answers 401 to a forged session cookie', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: 'sd_session=forged' } });
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('unauthenticated');
  });

  it('accepts an API token as a bearer header', async () => {
    const agent = await t.agent('agent');
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: agent.headers });
    expect(res.statusCode).toBe(200);
    expect(res.json().agent.id).toBe(agent.id);
  });

  it('stops accepting the session and token of a deactivated agent', async () => {
    const agent = await t.agent('agent');
    await t.database.db.updateTable('agents').set({ is_active: false }).where('id', '=', agent.id).execute();
    const byCookie = await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: agent.cookie } });
    const byToken = await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: agent.headers });
    const login = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: agent.email, password: TEST_PASSWORD } });
    expect([byCookie.statusCode, byToken.statusCode, login.statusCode]).toEqual([401, 401, 401]);
  });

  it('refuses anonymous callers on every API route the API document does not mark as public', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as { paths: Record<string, Record<string, { security?: unknown[] }>> };
    const publicRoutes: string[] = [];
    const checked: string[] = [];
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const [method, operation] of Object.entries(methods)) {
        const route = `${method.toUpperCase()} ${path}`;
        if (!path.startsWith('/api/v1/')) continue;
        // `security: []` is how an operation says "no credentials needed".
        if (Array.isArray(operation.security) && operation.security.length === 0) {
          publicRoutes.push(route);
          continue;
        }
        const url = path.replace(/\{[^}]+\}/g, '00000000-0000-4000-8000-000000000000');
        const res = await t.app.inject({ method: method.toUpperCase() as 'GET', url, payload: method === 'get' || method === 'delete' ? undefined : {} });
        expect({ route, status: res.statusCode }).toEqual({ route, status: 401 });
        checked.push(route);
      }
    }
    expect(publicRoutes).toEqual(expect.arrayContaining(['POST /api/v1/auth/login', 'POST /api/v1/auth/logout', 'GET /api/v1/meta']));
    expect(checked).toEqual(expect.arrayContaining(['GET /api/v1/tickets', 'POST /api/v1/agents', 'GET /api/v1/auth/me', 'POST /api/v1/customers/{id}/merge']));
    expect(checked.length).toBeGreaterThan(15);
  });

  it('refuses at boot to register an API route without an auth config', async () => {
    const app = await buildApp({ config: t.config, database: t.database, live: t.live, logger: false });
    try {
      expect(() => app.get('/api/v1/forgotten', async () => ({ ok: true }))).toThrow(/has no auth config/);
      await expect(app.register(async (api) => {
        api.post('/forgotten-too', async () => ({ ok: true }));
      }, { prefix: '/api/v1' })).rejects.toThrow(/POST \/api\/v1\/forgotten-too has no auth config/);
      // Outside the API, routes need no auth config.
      expect(() => app.get('/not-api/ping', async () => ({ ok: true }))).not.toThrow();
    } finally {
      app.storedesk.presence.close();
      await app.close().catch(() => undefined);
    }
  });
});

describe('roles', () => {
  it('refuses an agent creating agents with 403 forbidden', async () => {
    const agent = await t.agent('agent');
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/agents', headers: agent.headers, payload: { email: 'new-hire@test.storedesk.dev', role: 'agent' } });
    expect(res.statusCode).toBe(403);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json().code).toBe('forbidden');
  });

  it('refuses a manager creating agents too', async () => {
    const manager = await t.agent('manager');
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/agents', headers: { cookie: manager.cookie }, payload: { email: 'new-hire2@test.storedesk.dev', role: 'agent' } });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('forbidden');
  });

  it('lets an admin create an agent who can then sign in', async () => {
    const admin = await t.agent('admin');
    const res = await t.app.inject({
      method: 'POST', url: '/api/v1/agents', headers: admin.headers,
      payload: { email: 'Sam.Hire@test.storedesk.dev', name: 'Sam', role: 'manager', password: 'a long enough secret' },
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ email: 'sam.hire@test.storedesk.dev', name: 'Sam', role: 'manager', is_active: true });
    expect(res.body).not.toContain('password');
    const login = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'sam.hire@test.storedesk.dev', password: 'a long enough secret' } });
    expect(login.statusCode).toBe(200);
    expect(login.json().agent.role).toBe('manager');

    const again = await t.app.inject({ method: 'POST', url: '/api/v1/agents', headers: admin.headers, payload: { email: 'sam.hire@TEST.storedesk.dev', role: 'agent' } });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('already_exists');
  });

  it('lists agents for everyone on the team', async () => {
    const agent = await t.agent('agent', 'Listed Person');
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/agents', headers: agent.headers });
    expect(res.statusCode).toBe(200);
    expect(res.json().items.map((a: { name: string }) => a.name)).toContain('Listed Person');
    expect(res.body).not.toContain('argon2');
  });
});

describe('login rate limit', () => {
  let limited: TestApp;
  beforeAll(async () => {
    limited = await createTestApp({ STOREDESK_LOGIN_RATE_LIMIT: '3', STOREDESK_PUBLIC_URL: 'https://desk.shop.example' });
    await createAgent(limited.ctx, { email: 'ratelimited@test.storedesk.dev', role: 'agent', password: TEST_PASSWORD });
  });
  afterAll(async () => {
    await limited?.close();
  });

  it('answers 429 rate_limited after STOREDESK_LOGIN_RATE_LIMIT attempts, even with the right password', async () => {
    const attempt = (password: string) =>
      limited.app.inject({ method: 'POST', url: '/api/v1/auth/login', remoteAddress: '198.51.100.7', payload: { email: 'ratelimited@test.storedesk.dev', password } });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await attempt('wrong password')).statusCode);
    expect(statuses).toEqual([401, 401, 401]);
    const blocked = await attempt(TEST_PASSWORD);
    expect(blocked.statusCode).toBe(429);
    expect(blocked.headers['content-type']).toContain('application/problem+json');
    expect(blocked.json()).toMatchObject({ status: 429, code: 'rate_limited' });
    expect(blocked.headers['set-cookie']).toBeUndefined();
  });

  it('cannot be dodged by sending a made-up X-Forwarded-For header', async () => {
    const attempt = (i: number) =>
      limited.app.inject({
        method: 'POST', url: '/api/v1/auth/login', remoteAddress: '198.51.100.8',
        headers: { 'x-forwarded-for': `203.0.113.${i}` },
        payload: { email: 'ratelimited@test.storedesk.dev', password: 'guess' },
      });
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await attempt(i)).statusCode);
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
  });

  it('counts each client separately', async () => {
    const res = await limited.app.inject({
      method: 'POST', url: '/api/v1/auth/login', remoteAddress: '198.51.100.9', payload: { email: 'ratelimited@test.storedesk.dev', password: TEST_PASSWORD },
    });
    expect(res.statusCode).toBe(200);
    // Served over https, the session cookie is never sent over plain http.
    expect(String(res.headers['set-cookie'])).toMatch(/;\s*Secure/i);
  });
});

describe('API token scopes', () => {
  it('a token limited to store:write pushes orders into the built-in store and can do nothing else', async () => {
    const { createApiToken } = await import('./auth.service.ts');
    const { ensureDefaultStore } = await import('../stores/stores.service.ts');
    const admin = await t.agent('admin');
    const storeId = await ensureDefaultStore(t.ctx);
    const limited = await createApiToken(t.ctx, { email: admin.email, name: 'order sync', scopes: ['store:write'] });
    const readOnly = await createApiToken(t.ctx, { email: admin.email, name: 'dashboard', scopes: ['read'] });
    const as = (token: string) => ({ authorization: `Bearer ${token}` });

    const pushed = await t.app.inject({
      method: 'POST', url: `/api/v1/stores/${storeId}/products`, headers: as(limited.token),
      payload: { products: [{ handle: 'scoped-cap', title: 'Scoped Cap', variants: [{ sku: 'SC-1', title: 'One size', price: 1_995 }] }] },
    });
    expect(pushed.statusCode, pushed.body).toBe(200);
    const read = await t.app.inject({ method: 'GET', url: '/api/v1/tickets', headers: as(limited.token) });
    expect(read.statusCode).toBe(403);
    expect(read.json()).toMatchObject({ code: 'forbidden', detail: 'This API token is limited to store:write; this needs the read scope.' });
    const ticket = await t.ticket();
    const change = await t.app.inject({ method: 'PATCH', url: `/api/v1/tickets/${ticket.id}`, headers: as(limited.token), payload: { status: 'solved' } });
    expect(change.statusCode).toBe(403);

    expect((await t.app.inject({ method: 'GET', url: '/api/v1/tickets', headers: as(readOnly.token) })).statusCode).toBe(200);
    const write = await t.app.inject({ method: 'PATCH', url: `/api/v1/tickets/${ticket.id}`, headers: as(readOnly.token), payload: { status: 'solved' } });
    expect(write.statusCode).toBe(403);
    expect(write.json().detail).toContain('needs the write scope');
    // A token without scopes keeps everything its agent's role allows.
    expect((await t.app.inject({ method: 'PATCH', url: `/api/v1/tickets/${ticket.id}`, headers: admin.headers, payload: { status: 'solved' } })).statusCode).toBe(200);
  });

  it('refuses a scope it does not know, naming it', async () => {
    const { createApiToken } = await import('./auth.service.ts');
    const admin = await t.agent('admin');
    await expect(createApiToken(t.ctx, { email: admin.email, name: 'typo', scopes: ['orders:wirte'] })).rejects.toThrow(/Unknown token scope orders:wirte/);
  });
});
