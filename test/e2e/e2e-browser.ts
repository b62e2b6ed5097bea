/**
 * The browser side of the browser tests: Debian's Chromium launched the one way this machine
 * allows, a signed-in page per person, and a screenshot plus the server's last output when a
 * step fails.
 */
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { ROOT, type E2eServer } from './e2e-server.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Launches headless Chromium without sandbox, GPU or background networking (the machine's network is closed). */
export async function launchChromium(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install chromium (or set CHROMIUM_PATH).`);
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'],
  });
}

/** A fresh profile for one person, signed in through the sign-in form; page errors go to `errors`. */
export async function signedInPage(
  browser: Browser,
  server: E2eServer,
  who: { email: string; password: string },
  options: { errors?: string[]; label?: string; timeoutMs?: number } = {},
): Promise<Page> {
  const context = await browser.newContext({ baseURL: server.url, viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(options.timeoutMs ?? 15_000);
  page.on('pageerror', (e) => options.errors?.push(`${options.label ? `${options.label} ` : ''}page error: ${e.message}`));
  await page.goto('/');
  await page.getByTestId('login-email').fill(who.email);
  await page.getByTestId('login-password').fill(who.password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('login-submit').waitFor({ state: 'detached' });
  return page;
}

/**
 * Runs one step; when it fails, saves a screenshot of the page on screen into test-results/ and
 * fails with the error, the screenshot's path and the end of the server's output.
 */
export async function screenshotOnFailure<T>(server: E2eServer, page: () => Page, name: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    const file = path.join(ROOT, 'test-results', `${name}.png`);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    await page().screenshot({ path: file, fullPage: true }).catch(() => undefined);
    throw new Error(`${err instanceof Error ? err.message : String(err)}\nscreenshot: ${file}\nserver output:\n${server.output().slice(-2000)}`);
  }
}
