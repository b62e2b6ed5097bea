/**
 * The real storedesk for browser tests: agents created with the CLI, then `storedesk start`
 * as a child process on a free loopback port, with the embedded database in a temporary folder.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = path.join(ROOT, 'bin', 'storedesk.mjs');

/** A person who signs in to the workspace. */
export interface E2eAgent {
  email: string;
  name: string;
  role: 'admin' | 'manager' | 'agent';
  password: string;
}

/** A running server and what it printed. */
export interface E2eServer {
  url: string;
  dataDir: string;
  /** Everything the server wrote to stdout and stderr so far. */
  output(): string;
  stop(): Promise<void>;
}

/** How the server starts. */
export interface E2eServerOptions {
  /** Load the demo store into the fresh database at start, as a first `npm start` does (its logins are in the README). */
  demo?: boolean;
}

function baseEnv(dataDir: string, demo = false): NodeJS.ProcessEnv {
  return {
    ...process.env,
    DATABASE_URL: '',
    STOREDESK_DATA_DIR: dataDir,
    STOREDESK_DEMO: demo ? 'true' : 'false',
    LOG_LEVEL: 'warn',
    HOST: '127.0.0.1',
    PORT: '0',
    // Any free port: servers of several browser tests (or a developer's own storedesk) never clash on 2525.
    SMTP_PORT: '0',
  };
}

/** Runs the CLI to completion; throws with its output when it fails. */
function runCli(args: string[], dataDir: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: baseEnv(dataDir), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`storedesk ${args.join(' ')} exited with ${code}:\n${out}`))));
  });
}

/**
 * Creates the agents with `storedesk user create`, then starts the server and waits until it
 * listens. With `demo`, the demo loads first (it loads only into an empty database, so the demo's
 * own logins are the ones to use and `agents` must be empty).
 */
export async function startE2eServer(agents: E2eAgent[], options: E2eServerOptions = {}): Promise<E2eServer> {
  const demo = options.demo ?? false;
  if (demo && agents.length > 0) throw new Error('The demo loads only into an empty database: sign in with its own logins instead of creating agents.');
  if (!fs.existsSync(path.join(ROOT, 'web', 'dist', 'index.html'))) {
    throw new Error('The workspace is not built (web/dist/index.html is missing): run `npm run build:web` first.');
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'storedesk-e2e-'));
  for (const a of agents) {
    await runCli(['user', 'create', '--email', a.email, '--role', a.role, '--password', a.password, '--name', a.name], dataDir);
  }
  const child: ChildProcess = spawn(process.execPath, [BIN, 'start'], { cwd: ROOT, env: baseEnv(dataDir, demo), stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the server did not start within ${demo ? 150 : 90} s:\n${output}`)), demo ? 150_000 : 90_000);
    const onData = (d: Buffer) => {
      output += d.toString();
      const m = /storedesk is running at (http:\/\/\S+)/.exec(output);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1].replace('localhost', '127.0.0.1'));
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the server exited with code ${code} before listening:\n${output}`));
    });
  });
  return {
    url,
    dataDir,
    output: () => output,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
        await exited;
        clearTimeout(timer);
      }
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Signs in over the API and returns the session cookie header. */
export async function apiSignIn(url: string, agent: E2eAgent): Promise<string> {
  const res = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: agent.email, password: agent.password }),
  });
  if (!res.ok) throw new Error(`sign-in as ${agent.email} failed: HTTP ${res.status} ${await res.text()}`);
  const cookie = res.headers.get('set-cookie')?.split(';')[0];
  if (!cookie) throw new Error('sign-in returned no session cookie');
  return cookie;
}

/** Opens a ticket over the API as the signed-in agent, as if logging a customer's email. */
export async function apiCreateTicket(url: string, cookie: string, input: { subject: string; email: string; name: string; body: string }): Promise<{ id: string; number: number }> {
  const res = await fetch(`${url}/api/v1/tickets`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie },
    body: JSON.stringify({ subject: input.subject, customer: { email: input.email, name: input.name }, message: { body: input.body }, channel: 'email' }),
  });
  if (res.status !== 201) throw new Error(`creating a ticket failed: HTTP ${res.status} ${await res.text()}`);
  return (await res.json()) as { id: string; number: number };
}
