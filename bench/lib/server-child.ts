/**
 * A real storedesk server in its own process, for the HTTP benchmarks: started with the app's
 * own `loadConfig` and `startServer`, listening on loopback, with its event-loop delay measured
 * by `perf_hooks.monitorEventLoopDelay`. The parent talks to it over the fork IPC channel:
 * it answers `ready` with the URL and an API token, `stats` with event-loop delay and CPU
 * figures since the last `reset`, and stops on `stop`.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { loadConfig } from '../../src/config.ts';
import { startServer } from '../../src/server.ts';
import { LiveBus } from '../../src/shared/live-bus.ts';
import { systemContext } from '../../src/shared/context.ts';
import { createAgent } from '../../src/modules/agents/agents.service.ts';
import { findAgentByEmail } from '../../src/modules/agents/agents.queries.ts';
import { createApiToken } from '../../src/modules/auth/auth.service.ts';
import { BENCH_ADMIN_EMAIL, BENCH_ADMIN_PASSWORD } from './target.ts';

/** Messages the parent sends. */
export type ToServer = { type: 'reset' } | { type: 'stats' } | { type: 'stop' };

/** Event-loop delay (ms) and CPU use of the server process over a measured interval. */
export interface ServerStats {
  loopP50: number;
  loopP99: number;
  loopMax: number;
  loopMean: number;
  /** CPU seconds of the whole server process (main thread and the PGlite worker). */
  cpuSeconds: number;
  wallSeconds: number;
  rssMb: number;
}

/** Messages the server sends. */
export type FromServer =
  | { type: 'ready'; url: string; token: string; kind: string; startSeconds: number }
  | { type: 'stats'; stats: ServerStats }
  | { type: 'error'; message: string };

function send(msg: FromServer): void {
  process.send?.(msg);
}

const histogram = monitorEventLoopDelay({ resolution: 5 });
let cpuBase = process.cpuUsage();
let wallBase = performance.now();

try {
  const t0 = performance.now();
  const config = loadConfig({ ...process.env, HOST: '127.0.0.1', PORT: '0', STOREDESK_DEMO: 'false', LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' });
  const running = await startServer(config, () => undefined);
  const ctx = systemContext(running.database.db, new LiveBus(), 'bench');
  if (!(await findAgentByEmail(running.database.db, BENCH_ADMIN_EMAIL))) {
    await createAgent(ctx, { email: BENCH_ADMIN_EMAIL, role: 'admin', name: 'Bench Admin', password: BENCH_ADMIN_PASSWORD });
  }
  const token = await createApiToken(ctx, { email: BENCH_ADMIN_EMAIL, name: `bench ${new Date().toISOString()}` });
  histogram.enable();
  process.on('message', (msg: ToServer) => {
    if (msg.type === 'reset') {
      histogram.reset();
      cpuBase = process.cpuUsage();
      wallBase = performance.now();
    } else if (msg.type === 'stats') {
      const cpu = process.cpuUsage(cpuBase);
      send({
        type: 'stats',
        stats: {
          loopP50: histogram.percentile(50) / 1e6,
          loopP99: histogram.percentile(99) / 1e6,
          loopMax: histogram.max / 1e6,
          loopMean: histogram.mean / 1e6,
          cpuSeconds: (cpu.user + cpu.system) / 1e6,
          wallSeconds: (performance.now() - wallBase) / 1000,
          rssMb: process.memoryUsage().rss / 1024 ** 2,
        },
      });
    } else if (msg.type === 'stop') {
      histogram.disable();
      void running.stop().finally(() => process.exit(0));
    }
  });
  process.on('disconnect', () => void running.stop().finally(() => process.exit(0)));
  const url = running.url.replace('localhost', '127.0.0.1');
  send({ type: 'ready', url, token: token.token, kind: running.database.kind, startSeconds: (performance.now() - t0) / 1000 });
} catch (err) {
  send({ type: 'error', message: err instanceof Error ? err.stack ?? err.message : String(err) });
  process.exit(1);
}
