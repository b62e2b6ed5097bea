/**
 * Test harness: a real database per test file (PGlite in memory, or a throw-away database on
 * the PostgreSQL server named by TEST_DATABASE_URL), the real migrations, and the real app
 * driven through app.inject(). Factories build data through the services, as users would.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { loadConfig, type Config } from '../src/config.ts';
import { openDatabase, type Database } from '../src/db/database.ts';
import { migrateToLatest } from '../src/db/migrator.ts';
import { buildApp, type App } from '../src/http/app.ts';
import { LiveBus } from '../src/shared/live-bus.ts';
import { systemContext, type Ctx } from '../src/shared/context.ts';
import { createAgent } from '../src/modules/agents/agents.service.ts';
import { createApiToken } from '../src/modules/auth/auth.service.ts';
import type { AgentRole } from '../src/db/schema.ts';
import { ensureDefaultStore } from '../src/modules/stores/stores.service.ts';
import { createTicket, type CreateTicketInput } from '../src/modules/tickets/tickets.service.ts';
import '../src/modules/channels/email/email-channel.ts';

/** Which database the suite runs on: `pglite` unless TEST_DATABASE_URL is set. */
export const TEST_DB_KIND = process.env.TEST_DATABASE_URL ? 'postgres' : 'pglite';

/** A fresh, migrated database of the kind under test. */
export async function createTestDatabase(): Promise<Database & { dropDatabase?: () => Promise<void> }> {
  const base = process.env.TEST_DATABASE_URL;
  if (!base) {
    const database = await openDatabase({ pgliteDir: 'memory://' });
    await migrateToLatest(database.db);
    return database;
  }
  const name = `storedesk_t_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  const database = await openDatabase({ databaseUrl: url.toString(), poolSize: 5 });
  await migrateToLatest(database.db);
  return {
    ...database,
    close: async () => {
      await database.close();
      const c = new pg.Client({ connectionString: base });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

/** An agent created for a test, with two ways to authenticate as them. */
export interface TestAgent {
  id: string;
  email: string;
  /** The password the agent signs in with. */
  password: string;
  /** `Authorization: Bearer <API token>` acting as this agent. */
  headers: { authorization: string };
  /** `sd_session=<token>`, the workspace's session cookie, for a `cookie` header. */
  cookie: string;
}

/** The password every test agent gets. */
export const TEST_PASSWORD = 'correct horse battery';

/** A running app on a fresh database, with helpers to act as different people. */
export interface TestApp {
  app: App;
  database: Database;
  config: Config;
  live: LiveBus;
  /** A system context for building data directly through services. */
  ctx: Ctx;
  /** Creates an agent, signs them in, and returns a bearer header and a session cookie for them. */
  agent(role?: AgentRole, name?: string): Promise<TestAgent>;
  /** Opens a ticket through the service. */
  ticket(input?: Partial<CreateTicketInput>): Promise<{ id: string; number: number; customerId: string }>;
  close(): Promise<void>;
}

let counter = 0;

/**
 * Builds the app on a fresh database. `env` overrides configuration variables; the login rate
 * limit is raised by default because every `agent()` signs in once (pass
 * STOREDESK_LOGIN_RATE_LIMIT to test the limit itself).
 */
export async function createTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const config = loadConfig({
    STOREDESK_DATA_DIR: `/tmp/storedesk-test-${process.pid}`,
    LOG_LEVEL: 'silent',
    STOREDESK_DEMO: 'false',
    STOREDESK_LOGIN_RATE_LIMIT: '1000',
    ...env,
  });
  const database = await createTestDatabase();
  const live = new LiveBus();
  const app = await buildApp({ config, database, live, logger: false });
  const ctx = systemContext(database.db, live, 'test');
  await ensureDefaultStore(ctx);
  return {
    app,
    database,
    config,
    live,
    ctx,
    async agent(role = 'agent', name) {
      counter++;
      const email = `${role}${counter}-${randomBytes(3).toString('hex')}@test.storedesk.dev`;
      const password = TEST_PASSWORD;
      const agent = await createAgent(ctx, { email, role, password, name: name ?? `${role} ${counter}` });
      const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password } });
      if (res.statusCode !== 200) throw new Error(`test agent ${email} could not sign in: ${res.statusCode} ${res.body}`);
      const setCookie = res.headers['set-cookie'];
      const raw = Array.isArray(setCookie) ? setCookie[0] : setCookie;
      const cookie = (raw ?? '').split(';')[0] ?? '';
      // Bearer tokens are created through the same service the CLI uses.
      const token = await createApiToken(ctx, { email, name: 'test' });
      return { id: agent.id, email, password, headers: { authorization: `Bearer ${token.token}` }, cookie };
    },
    async ticket(input = {}) {
      counter++;
      return createTicket(ctx, {
        subject: `Test ticket ${counter}`,
        customer: { email: `customer${counter}@example.com`, name: `Customer ${counter}` },
        message: { body: 'Hello, I need help with my order.' },
        channel: 'email',
        ...input,
      });
    },
    async close() {
      app.storedesk.presence.close();
      await app.close();
      await database.close();
    },
  };
}
