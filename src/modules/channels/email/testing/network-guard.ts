/**
 * Test support: any outbound connection to a non-loopback address fails the test. Installed by
 * the email tests so that a sender misconfigured to reach the internet is caught, not tolerated.
 */
import net from 'node:net';

const attempts: string[] = [];
let installed = false;

function isLoopback(host: string | undefined): boolean {
  if (!host) return true; // node defaults to localhost
  return host === 'localhost' || host === '::1' || /^127\./.test(host) || /^::ffff:127\./.test(host);
}

/** Refuses non-loopback connections from this process and remembers every attempt. */
export function installNetworkGuard(): void {
  if (installed) return;
  installed = true;
  const original = net.Socket.prototype.connect;
  net.Socket.prototype.connect = function guarded(this: net.Socket, ...args: unknown[]) {
    const first = args[0];
    const host = typeof first === 'object' && first !== null ? (first as { host?: string; path?: string }).path ? 'localhost' : (first as { host?: string }).host : typeof args[1] === 'string' ? args[1] : undefined;
    if (!isLoopback(host)) {
      attempts.push(String(host));
      throw new Error(`unexpected outbound connection to ${host} in a test`);
    }
    return (original as (...a: unknown[]) => net.Socket).apply(this, args);
  } as typeof net.Socket.prototype.connect;
}

/** Hosts this process tried to reach outside loopback (should stay empty). */
export function blockedConnections(): string[] {
  return [...attempts];
}
