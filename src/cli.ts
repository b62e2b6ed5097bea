/**
 * The storedesk command line: start, migrate, user create, token create, seed demo.
 */
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { migrateToLatest } from './db/migrator.ts';
import { openConfiguredDatabase, startServer } from './server.ts';
import { LiveBus } from './shared/live-bus.ts';
import { systemContext, type Ctx } from './shared/context.ts';
import { AppError } from './shared/errors.ts';
import { createAgent } from './modules/agents/agents.service.ts';
import { createApiToken } from './modules/auth/auth.service.ts';
import { ensureDefaultStore } from './modules/stores/stores.service.ts';
import { DEMO_LOGINS, DEMO_PASSWORD, isDemoLoaded } from './modules/demo/demo.service.ts';
import { seedDemo } from './modules/demo/demo-seed.ts';

const USAGE = `Usage: storedesk <command>

Commands:
  start                                   run the server (migrates first)
  migrate                                 bring the database schema up to date
  user create --email E --role R [--password P] [--name N]
                                          create an agent (role: admin, manager or agent)
  token create --email E --name LABEL [--scope S,…]
                                          create an API token for an agent (printed once); scopes limit it:
                                          read, store:write (push orders into the built-in store), write
  seed demo                               load the demo store, agents and tickets

Configuration comes from environment variables; see the README.`;

/** Opens the database, migrates, runs fn with a system context, and closes. */
async function withDatabase<T>(config: Config, fn: (ctx: Ctx) => Promise<T>): Promise<T> {
  const database = await openConfiguredDatabase(config);
  try {
    await migrateToLatest(database.db);
    return await fn(systemContext(database.db, new LiveBus(), 'cli'));
  } finally {
    await database.close();
  }
}

function required(values: Record<string, string | boolean | undefined>, name: string): string {
  const v = values[name];
  if (typeof v !== 'string' || v === '') throw new CliError(`--${name} is required`);
  return v;
}

class CliError extends Error {}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      email: { type: 'string' },
      role: { type: 'string' },
      password: { type: 'string' },
      name: { type: 'string' },
      scope: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, sub] = positionals;
  if (values.help || !command) {
    console.log(USAGE);
    return command || values.help ? 0 : 1;
  }
  const config = loadConfig();

  switch (`${command}${sub ? ` ${sub}` : ''}`) {
    case 'start': {
      const server = await startServer(config);
      let signals = 0;
      const shutdown = (signal: string) => {
        signals++;
        if (signals > 1) process.exit(1);
        console.log(`\n${signal}: stopping storedesk…`);
        server.stop().then(() => process.exit(0), () => process.exit(1));
      };
      process.on('SIGINT', () => shutdown('SIGINT'));
      process.on('SIGTERM', () => shutdown('SIGTERM'));
      return -1;
    }
    case 'migrate': {
      await withDatabase(config, async () => undefined);
      console.log('Database schema is up to date.');
      return 0;
    }
    case 'user create': {
      const role = required(values, 'role');
      if (role !== 'admin' && role !== 'manager' && role !== 'agent') throw new CliError('--role must be admin, manager or agent');
      const agent = await withDatabase(config, (ctx) =>
        createAgent(ctx, { email: required(values, 'email'), role, password: values.password, name: values.name }),
      );
      console.log(`Created ${agent.role} ${agent.email} (${agent.id}).${values.password ? '' : ' No password set: this agent can only use API tokens.'}`);
      return 0;
    }
    case 'token create': {
      const scopes = values.scope?.split(',').map((s) => s.trim()).filter(Boolean);
      const created = await withDatabase(config, (ctx) => createApiToken(ctx, { email: required(values, 'email'), name: required(values, 'name'), scopes }));
      const limited = scopes?.length ? `, limited to ${scopes.join(', ')}` : '';
      console.log(`API token for ${created.agent.email} (${created.agent.role}${limited}). It is shown only this once:\n\n  ${created.token}\n\nUse it as: Authorization: Bearer <token>`);
      return 0;
    }
    case 'seed demo': {
      await withDatabase(config, async (ctx) => {
        if (await isDemoLoaded(ctx)) {
          console.log('The demo is already loaded.');
          return;
        }
        await seedDemo(ctx, { onProgress: (done, total) => process.stdout.write(`\r  demo data ${Math.round((done / total) * 100)}%`) });
        await ensureDefaultStore(ctx);
        process.stdout.write('\n');
        console.log(`Demo loaded. Logins (password ${DEMO_PASSWORD}): ${DEMO_LOGINS.map((l) => l.email).join(', ')}`);
      });
      return 0;
    }
    default:
      console.error(`Unknown command "${positionals.join(' ')}".\n\n${USAGE}`);
      return 1;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (err: unknown) => {
    if (err instanceof ConfigError || err instanceof CliError) console.error(err.message);
    else if (err instanceof AppError) console.error(`${err.code}: ${err.message}`);
    else console.error(err);
    process.exit(1);
  },
);
