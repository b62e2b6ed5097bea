/**
 * The browser side of the browser tests: Debian's Chromium launched the one way this machine
 * allows, a signed-in page per person, and a screenshot plus the server's last output when a
 * step fails.
 */
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
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

/** What happened in each page lately (errors, failed requests), printed when a step fails. */
const journals = new WeakMap<Page, string[]>();
const JOURNAL_LENGTH = 40;

function note(page: Page, line: string): void {
  const journal = journals.get(page) ?? [];
  journal.push(`${new Date().toISOString().slice(11, 23)} ${line}`);
  if (journal.length > JOURNAL_LENGTH) journal.shift();
  journals.set(page, journal);
}

/** Keeps the page's errors, console errors and warnings, failed requests and HTTP errors in its journal. */
function keepJournal(page: Page): void {
  page.on('pageerror', (e) => note(page, `page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') note(page, `console ${m.type()}: ${m.text().slice(0, 300)}`);
  });
  page.on('requestfailed', (r) => note(page, `request failed: ${r.method()} ${new URL(r.url()).pathname} (${r.failure()?.errorText ?? 'no reason'})`));
  page.on('response', (r) => {
    if (r.status() >= 400) note(page, `HTTP ${r.status()}: ${r.request().method()} ${new URL(r.url()).pathname}`);
  });
  page.on('framenavigated', (f) => {
    if (f === page.mainFrame()) note(page, `navigated to ${new URL(f.url()).pathname}`);
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
  keepJournal(page);
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
    const shown = page();
    await shown.screenshot({ path: file, fullPage: true }).catch(() => undefined);
    const journal = journals.get(shown) ?? [];
    const dialogs = await shown
      .getByRole('dialog')
      .allInnerTexts()
      .catch(() => []);
    throw new Error(
      [
        err instanceof Error ? err.message : String(err),
        `screenshot: ${file}`,
        `page: ${shown.url()}`,
        `open dialogs: ${dialogs.length ? dialogs.map((d) => JSON.stringify(d.slice(0, 300))).join(', ') : 'none'}`,
        `browser journal (newest last):\n  ${journal.length ? journal.join('\n  ') : '(nothing)'}`,
        `server output:\n${server.output().slice(-2000)}`,
      ].join('\n'),
    );
  }
}

/**
 * Waits until nothing inside `locator` is animating (an order card opening, a dialog fading in),
 * so that a click lands where the element rests rather than where it passed through.
 */
export async function waitForStill(locator: Locator): Promise<void> {
  await locator.evaluate(async (el) => {
    // The tests compile without the DOM's types; this is the part of Element used here.
    const node = el as unknown as { getAnimations(o: { subtree: boolean }): { playState: string; finished: Promise<unknown> }[] };
    for (let round = 0; round < 20; round++) {
      const running = node.getAnimations({ subtree: true }).filter((a) => a.playState === 'running' || a.playState === 'pending');
      if (running.length === 0) return;
      await Promise.all(running.map((a) => a.finished.catch(() => undefined)));
    }
  });
}
