/**
 * Starts bench/lib/server-child.ts as a separate Node process and drives it: the load
 * generator and the server never share an event loop, so the server's figures are its own.
 */
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { ROOT } from './target.ts';
import type { FromServer, ServerStats, ToServer } from './server-child.ts';

/** A running benchmark server. */
export interface BenchServer {
  url: string;
  token: string;
  kind: string;
  startSeconds: number;
  /** Starts a measured interval. */
  reset(): Promise<void>;
  /** Figures since the last reset. */
  stats(): Promise<ServerStats>;
  stop(): Promise<void>;
}

/** Forks the server with the given environment and waits until it listens. */
export async function startBenchServer(env: Record<string, string>): Promise<BenchServer> {
  const child: ChildProcess = fork(path.join(ROOT, 'bench', 'lib', 'server-child.ts'), [], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const next = <T extends FromServer['type']>(type: T, timeoutMs: number) =>
    new Promise<Extract<FromServer, { type: T }>>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`benchmark server did not answer "${type}" within ${timeoutMs / 1000} s`)), timeoutMs);
      const onMessage = (msg: FromServer) => {
        if (msg.type === 'error') {
          cleanup();
          reject(new Error(`benchmark server failed: ${msg.message}`));
        } else if (msg.type === type) {
          cleanup();
          resolve(msg as Extract<FromServer, { type: T }>);
        }
      };
      const onExit = (code: number | null) => {
        cleanup();
        reject(new Error(`benchmark server exited with code ${code}`));
      };
      const cleanup = () => {
        clearTimeout(timer);
        child.off('message', onMessage);
        child.off('exit', onExit);
      };
      child.on('message', onMessage);
      child.on('exit', onExit);
    });
  const post = (msg: ToServer) => child.send(msg);
  const ready = await next('ready', 600_000);
  return {
    url: ready.url,
    token: ready.token,
    kind: ready.kind,
    startSeconds: ready.startSeconds,
    async reset() {
      post({ type: 'reset' });
      await new Promise((r) => setTimeout(r, 10));
    },
    async stats() {
      const answer = next('stats', 10_000);
      post({ type: 'stats' });
      return (await answer).stats;
    },
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      post({ type: 'stop' });
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
