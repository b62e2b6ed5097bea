/**
 * HTTP: sign in, sign out, who am I.
 */
import { Type } from '@sinclair/typebox';
import type { App } from '../../http/app.ts';
import { AgentSchema, presentAgent } from '../agents/agents.schema.ts';
import { getAgent } from '../agents/agents.service.ts';
import { actorAgentId } from '../../shared/context.ts';
import { login, logout } from './auth.service.ts';

/** Name of the workspace's session cookie. */
export const SESSION_COOKIE = 'sd_session';

export async function authRoutes(app: App) {
  const { config } = app.storedesk;

  app.post(
    '/auth/login',
    {
      config: {
        auth: 'public',
        rateLimit: { max: config.loginRateLimit, timeWindow: '1 minute' },
      },
      schema: {
        tags: ['auth'],
        summary: 'Sign in with email and password; sets the session cookie',
        security: [],
        body: Type.Object(
          { email: Type.String({ minLength: 3, maxLength: 320 }), password: Type.String({ minLength: 1, maxLength: 1024 }) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ agent: AgentSchema }) },
      },
    },
    async (request, reply) => {
      const session = await login(request.ctx, {
        email: request.body.email.trim(),
        password: request.body.password,
        userAgent: request.headers['user-agent'] ?? null,
        sessionHours: config.sessionHours,
      });
      reply.setCookie(SESSION_COOKIE, session.token, {
        path: '/',
        httpOnly: true,
        sameSite: 'lax',
        secure: config.secureCookies,
        expires: session.expiresAt,
      });
      return { agent: presentAgent(session.agent) };
    },
  );

  app.post(
    '/auth/logout',
    { config: { auth: 'public' }, schema: { tags: ['auth'], summary: 'Sign out (ends the session)', security: [] } },
    async (request, reply) => {
      const token = request.cookies[SESSION_COOKIE];
      if (token) await logout(request.ctx, token);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.status(204).send();
    },
  );

  app.get(
    '/auth/me',
    { config: { auth: 'agent' }, schema: { tags: ['auth'], summary: 'The signed-in agent', response: { 200: Type.Object({ agent: AgentSchema }) } } },
    async (request) => {
      const id = actorAgentId(request.ctx.actor) ?? '';
      return { agent: presentAgent(await getAgent(request.ctx, id)) };
    },
  );
}
