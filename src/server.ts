/**
 * Starts storedesk: opens the database, migrates, prepares first-run data, and serves HTTP.
 */
import type { Config } from './config.ts';
import { openDatabase, type Database } from './db/database.ts';
import { migrateToLatest } from './db/migrator.ts';
import { buildApp, type App } from './http/app.ts';
import { LiveBus } from './shared/live-bus.ts';
import { systemContext } from './shared/context.ts';
import { ensureFirstAdmin } from './modules/agents/agents.service.ts';
import { ensureDefaultStore } from './modules/stores/stores.service.ts';
import { DEMO_LOGINS, DEMO_PASSWORD, isDatabaseEmpty, isDemoLoaded } from './modules/demo/demo.service.ts';
import { seedDemo } from './modules/demo/demo-seed.ts';
import { expiredSessionsChore } from './modules/auth/auth.chores.ts';
import { senderCountsChore } from './modules/channels/email/email.chores.ts';
import { choreJobHandler, scheduleChores, type Chore } from './jobs/chores.ts';
import { finishedJobsChore } from './jobs/jobs.chores.ts';
import { emailJobHandlers, startEmailChannel, type EmailChannel } from './modules/channels/email/email-channel.ts';
import { JobWorker } from './jobs/job-worker.ts';
import { ensureAllStorePollJobs, storeFeedJobHandlers } from './modules/stores/order-feed-sync.service.ts';
import { orderLinkJobHandlers } from './modules/orders/order-links.jobs.ts';

/** Opens the configured database (PGlite under the data folder unless DATABASE_URL is set). */
export function openConfiguredDatabase(config: Config): Promise<Database> {
  return openDatabase({ databaseUrl: config.databaseUrl, pgliteDir: `${config.dataDir}/pglite`, preparedStatements: config.databasePreparedStatements });
}

/** A running storedesk. */
export interface RunningServer {
  app: App;
  database: Database;
  url: string;
  /** The email channel's SMTP listener and IMAP pollers. */
  email: EmailChannel;
  stop(): Promise<void>;
}

/** Starts everything and returns once the server listens. */
export async function startServer(config: Config, log: (line: string) => void = console.log): Promise<RunningServer> {
  const started = Date.now();
  const database = await openConfiguredDatabase(config);
  await migrateToLatest(database.db);
  const live = new LiveBus();
  const ctx = systemContext(database.db, live, 'startup');

  if (config.demo && database.kind === 'pglite' && (await isDatabaseEmpty(ctx))) {
    log('Empty embedded database: loading the demo store (STOREDESK_DEMO=false to start clean)…');
    await seedDemo(ctx, { onProgress: (done, total) => process.stdout.isTTY && process.stdout.write(`\r  demo data ${Math.round((done / total) * 100)}%`) });
    if (process.stdout.isTTY) process.stdout.write('\n');
  }
  await ensureDefaultStore(ctx);
  if (config.adminEmail && config.adminPassword && (await ensureFirstAdmin(ctx, config.adminEmail, config.adminPassword))) {
    log(`Created the first admin ${config.adminEmail}.`);
  }

  const app = await buildApp({ config, database, live });
  await app.listen({ port: config.port, host: config.host });
  const emailLog = (level: 'info' | 'warn' | 'error', msg: string, data?: Record<string, unknown>) => app.log[level](data ?? {}, msg);
  const email = await startEmailChannel({ config, db: database.db, live, log: emailLog });
  // Periodic upkeep, as durable jobs (each period runs once, whatever the restarts or processes).
  const chores: Chore[] = [expiredSessionsChore, finishedJobsChore, senderCountsChore];
  if (database.kind === 'pglite') chores.push({ name: 'vacuum', everyMs: 6 * 3600_000, run: () => database.maintain() });
  const jobs = new JobWorker({
    db: database.db,
    live,
    handlers: [...emailJobHandlers(config, emailLog), ...storeFeedJobHandlers(), ...orderLinkJobHandlers(), choreJobHandler(chores)],
    onError: (err) => app.log.warn({ err }, 'job worker'),
  });
  await scheduleChores(ctx, chores);
  jobs.start();
  // Polled stores resume their change feed (a chain of poll jobs broken by a crash starts again).
  await ensureAllStorePollJobs(ctx).catch((err: unknown) => app.log.warn({ err }, 'could not queue store polls'));
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = config.publicUrl.replace(`:${config.port}`, `:${port}`);

  log('');
  log(`  storedesk is running at ${url}  (${database.kind === 'pglite' ? `embedded database in ${config.dataDir}` : 'PostgreSQL'}, ready in ${((Date.now() - started) / 1000).toFixed(1)} s)`);
  log(`  API docs: ${url}/api/docs`);
  log(`  Email: ${email.smtp ? `SMTP listener on port ${email.smtp.port}` : `SMTP listener OFF (port ${config.smtpPort} unavailable)`}; mailboxes at ${url}/api/v1/mailboxes`);
  if (await isDemoLoaded(ctx)) {
    log('  Demo logins (password for all: ' + DEMO_PASSWORD + '):');
    for (const l of DEMO_LOGINS) log(`    ${l.role.padEnd(8)} ${l.email}`);
  }
  log('');

  let stopping: Promise<void> | undefined;
  return {
    app,
    database,
    url,
    email,
    stop: () => {
      stopping ??= (async () => {
        await email.stop();
        await jobs.stop();
        app.storedesk.presence.close();
        await app.close();
        await database.close();
      })();
      return stopping;
    },
  };
}
