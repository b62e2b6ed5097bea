/**
 * Builds the HTTP server: validation, problem+json errors, authentication and role checks,
 * the OpenAPI document, the API modules, and the workspace's static files.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import fastifyStatic from '@fastify/static';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Config } from '../config.ts';
import type { Database } from '../db/database.ts';
import type { AgentRole } from '../db/schema.ts';
import { LiveBus } from '../shared/live-bus.ts';
import { roleAtLeast, type Actor, type Ctx } from '../shared/context.ts';
import { AppError } from '../shared/errors.ts';
import { handleError, problemFor, sendProblem } from './problem.ts';
import { validatorCompiler } from './validation.ts';
import { actorFromApiToken, actorFromSession, tokenAllows, type TokenScope } from '../modules/auth/auth.service.ts';
import { SESSION_COOKIE, authRoutes } from '../modules/auth/auth.routes.ts';
import { agentsRoutes } from '../modules/agents/agents.routes.ts';
import { ticketsRoutes } from '../modules/tickets/tickets.routes.ts';
import { customersRoutes } from '../modules/customers/customers.routes.ts';
import { searchRoutes } from '../modules/search/search.routes.ts';
import { realtimeRoutes } from '../modules/realtime/realtime.routes.ts';
import { PresenceTracker } from '../modules/realtime/presence.ts';
import { viewsRoutes } from '../modules/views/views.routes.ts';
import { metaRoutes } from '../modules/meta/meta.routes.ts';
import { storesRoutes } from '../modules/stores/stores.routes.ts';
import { setStoreSecretKey } from '../modules/stores/connectors/connector-registry.ts';
import { secretKeyFor } from '../shared/secrets.ts';
import { builtinStoreRoutes } from '../modules/stores/connectors/builtin/builtin.routes.ts';
import { ordersRoutes } from '../modules/orders/orders.routes.ts';
import { policiesRoutes } from '../modules/policies/policies.routes.ts';
import { emailRoutes } from '../modules/channels/email/email.routes.ts';
import { uploadsRoutes } from '../modules/uploads/uploads.routes.ts';
import { authorityRoutes } from '../modules/authority/authority.routes.ts';
import { playbooksRoutes } from '../modules/playbooks/playbooks.routes.ts';
import { reportsRoutes } from '../modules/reports/reports.routes.ts';

/** Who may call a route: anyone, or staff with at least this role. */
export type RouteAuth = 'public' | AgentRole;

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Required on every API route; routes without it refuse to register. */
    auth?: RouteAuth;
    /** The API token scope the route needs; by default `read` for GET and `write` otherwise. */
    scope?: TokenScope;
  }
  interface FastifyRequest {
    actor: Actor | undefined;
    /** The service context for this request; only on authenticated routes. */
    ctx: Ctx;
  }
  interface FastifyInstance {
    storedesk: AppServices;
  }
}

/** Long-lived services shared by all requests. */
export interface AppServices {
  config: Config;
  database: Database;
  live: LiveBus;
  presence: PresenceTracker;
}

/** The Fastify instance type every module registers on. */
export type App = FastifyInstance<any, any, any, any, TypeBoxTypeProvider>;

const WEB_DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../web/dist');

/** Options for building the app. */
export interface BuildAppOptions {
  config: Config;
  database: Database;
  live?: LiveBus;
  /** Log requests (off in tests). */
  logger?: boolean;
}

/** Builds the app without listening; tests drive it with inject(). */
export async function buildApp(options: BuildAppOptions): Promise<App> {
  const { config, database } = options;
  const live = options.live ?? new LiveBus();
  const app = Fastify({
    logger: options.logger === false ? false : {
      level: config.logLevel,
      redact: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
    },
    bodyLimit: 1024 * 1024,
    genReqId: () => randomUUID(),
    // X-Forwarded-For is believed only from a proxy on this host or a private network; from
    // anyone else it is made up, and trusting it would let a client dodge the login rate limit.
    trustProxy: 'loopback, linklocal, uniquelocal',
    ajv: { customOptions: { removeAdditional: false } },
    // Malformed URLs are refused before routing; answer them as problem+json like everything else.
    frameworkErrors: (error, request, reply) => handleError(error, request, reply),
  }).withTypeProvider<TypeBoxTypeProvider>();

  // The API speaks JSON only; a text/plain body would otherwise reach validation as a string.
  app.removeContentTypeParser('text/plain');
  app.setValidatorCompiler(validatorCompiler);
  app.setErrorHandler(handleError);
  app.decorate('storedesk', { config, database, live, presence: new PresenceTracker(live) });
  // Store platform credentials are encrypted with the same key as mailbox secrets.
  setStoreSecretKey(() => secretKeyFor(config, (line) => app.log.warn(line)));
  app.decorateRequest('actor', undefined);
  app.decorateRequest('ctx', undefined as unknown as Ctx);

  // Every API route must say who may call it; a forgotten check fails at boot, not in production.
  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api/v1')) return;
    const auth = (route.config as { auth?: RouteAuth } | undefined)?.auth;
    if (!auth) throw new Error(`route ${route.method} ${route.url} has no auth config`);
  });

  await app.register(cookie);
  await app.register(rateLimit, { global: false });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'storedesk API',
        version: '1',
        description: 'The storedesk customer-service API. Errors are RFC 9457 problem+json with a stable `code`.',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'API token from `storedesk token create`' },
          session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE },
        },
      },
      security: [{ bearer: [] }, { session: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });

  app.addHook('onRequest', async (request, reply) => {
    const auth = request.routeOptions.config?.auth;
    if (!auth) return;
    const base = { db: database.db, root: database.db, live, requestId: request.id, pendingLive: [] };
    const actor = await authenticate(request, base);
    request.actor = actor;
    if (auth === 'public') {
      request.ctx = { ...base, actor: actor ?? { type: 'system', name: 'anonymous' } };
      return;
    }
    if (!actor) {
      return sendProblem(reply, problemFor(request, 'unauthenticated', 'Sign in, or send a valid API token as "Authorization: Bearer <token>".'));
    }
    if (actor.type !== 'agent' && actor.type !== 'integration') {
      return sendProblem(reply, problemFor(request, 'forbidden', 'Only staff can use this endpoint.'));
    }
    if (!roleAtLeast(actor.role, auth)) {
      return sendProblem(reply, problemFor(request, 'forbidden', `This needs the ${auth} role; you are signed in as ${actor.role}.`));
    }
    if (actor.type === 'integration') {
      const scope = request.routeOptions.config?.scope ?? (request.method === 'GET' || request.method === 'HEAD' ? 'read' : 'write');
      if (!tokenAllows(actor.scopes, scope)) {
        return sendProblem(reply, problemFor(request, 'forbidden', `This API token is limited to ${actor.scopes?.join(', ')}; this needs the ${scope} scope.`));
      }
    }
    request.ctx = { ...base, actor };
  });

  app.get('/api/health', { schema: { hide: true } }, async () => ({ status: 'ok', database: database.kind }));
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  await app.register(
    async (api) => {
      await api.register(authRoutes);
      await api.register(agentsRoutes);
      await api.register(ticketsRoutes);
      await api.register(customersRoutes);
      await api.register(searchRoutes);
      await api.register(realtimeRoutes);
      await api.register(viewsRoutes);
      await api.register(metaRoutes);
      await api.register(storesRoutes);
      await api.register(builtinStoreRoutes);
      await api.register(ordersRoutes);
      await api.register(policiesRoutes);
      await api.register(emailRoutes);
      await api.register(uploadsRoutes);
      await api.register(authorityRoutes);
      await api.register(playbooksRoutes);
      await api.register(reportsRoutes);
    },
    { prefix: '/api/v1' },
  );

  await registerWeb(app);
  return app;
}

/** Resolves the caller from a bearer token or the session cookie. */
async function authenticate(request: FastifyRequest, base: Omit<Ctx, 'actor'>): Promise<Actor | undefined> {
  const ctx: Ctx = { ...base, actor: { type: 'system', name: 'auth' } };
  const header = request.headers.authorization;
  if (header) {
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match?.[1]) throw new AppError('unauthenticated', 'The Authorization header must be "Bearer <token>".');
    const actor = await actorFromApiToken(ctx, match[1]);
    if (!actor) throw new AppError('unauthenticated', 'The API token is not valid or has been revoked.');
    return actor;
  }
  const session = request.cookies[SESSION_COOKIE];
  return session ? actorFromSession(ctx, session) : undefined;
}

/** Serves the built workspace, with index.html for client-side routes. */
async function registerWeb(app: App): Promise<void> {
  const hasBuild = fs.existsSync(path.join(WEB_DIST, 'index.html'));
  if (hasBuild) {
    // The files are listed at start (a rebuild needs a restart). Vite puts content-hashed
    // names under /assets/: those never change and may be cached for good.
    await app.register(fastifyStatic, {
      root: WEB_DIST,
      prefix: '/',
      wildcard: false,
      index: false,
      setHeaders: (res, filePath) => {
        if (filePath.startsWith(path.join(WEB_DIST, 'assets') + path.sep)) res.header('cache-control', 'public, max-age=31536000, immutable');
      },
    });
  }
  app.setNotFoundHandler((request, reply) => {
    if (request.url.startsWith('/api/')) {
      return sendProblem(reply, problemFor(request, 'not_found', `No API route ${request.method} ${request.url.split('?')[0]}.`));
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return sendProblem(reply, problemFor(request, 'not_found', 'Not found.'));
    }
    if (request.url.startsWith('/assets/')) {
      // A missing hashed asset means the page is from an older build: answer 404, not the app shell.
      return reply.status(404).type('text/plain').send('Not found. Reload the page to get the current version.');
    }
    if (!hasBuild) {
      return reply.type('text/plain').status(503).send('The workspace is not built yet: run `npm run build:web`.');
    }
    return reply.header('cache-control', 'no-cache').sendFile('index.html');
  });
}
