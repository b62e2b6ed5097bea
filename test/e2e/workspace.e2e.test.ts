/**
 * Two agents in two browsers on one ticket: what one does, the other sees live, without
 * reloading. The real server runs as a child process (`storedesk start`, embedded database in
 * a temporary folder, agents created with `storedesk user create`); Debian's Chromium is driven
 * by playwright-core. On failure both pages are saved as screenshots in test-results/.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { launchChromium } from './e2e-browser.ts';
import { ROOT, apiCreateTicket, apiSignIn, startE2eServer, type E2eAgent, type E2eServer } from './e2e-server.ts';

const RESULTS_DIR = path.join(ROOT, 'test-results');
/** How long to wait for something another browser caused to show up. */
const LIVE_TIMEOUT = 15_000;

const alice: E2eAgent = { email: 'alice@e2e.storedesk.dev', name: 'Alice Archer', role: 'admin', password: 'alice-password-1' };
const bob: E2eAgent = { email: 'bob@e2e.storedesk.dev', name: 'Bob Baker', role: 'agent', password: 'bob-password-1' };

let server: E2eServer;
let browser: Browser;
const contexts: BrowserContext[] = [];
const consoleErrors: string[] = [];

beforeAll(async () => {
  server = await startE2eServer([alice, bob]);
  browser = await launchChromium();
});

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close().catch(() => undefined);
  await server?.stop();
});

/** A fresh browser profile (its own cookies) for one agent. */
async function newAgentPage(label: string): Promise<Page> {
  const context = await browser.newContext({ baseURL: server.url, viewport: { width: 1440, height: 900 } });
  contexts.push(context);
  const page = await context.newPage();
  page.setDefaultTimeout(LIVE_TIMEOUT);
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(`[${label}] ${m.text()}`);
  });
  page.on('pageerror', (e) => consoleErrors.push(`[${label}] page error: ${e.message}`));
  return page;
}

/** Signs in through the sign-in form. */
async function signIn(page: Page, agent: E2eAgent): Promise<void> {
  await page.goto('/');
  await page.getByTestId('login-email').fill(agent.email);
  await page.getByTestId('login-password').fill(agent.password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('login-submit').waitFor({ state: 'detached' });
}

/** Opens the ticket with this subject from the Unassigned view (a new ticket is not in "Mine"). */
async function openTicketFromInbox(page: Page, subject: string): Promise<void> {
  const unassigned = page.getByTestId('view-unassigned');
  if (await unassigned.waitFor({ timeout: 5_000 }).then(() => true, () => false)) await unassigned.click();
  await page.getByTestId('ticket-row').filter({ hasText: subject }).first().click();
  await page.getByTestId('ticket-status').waitFor();
}

/** What the status control shows: a data attribute, its (or its input's) value, and its text. */
async function shownStatus(page: Page): Promise<string> {
  // Runs in the browser; written without DOM types because the project's type-check is Node-only.
  return page.getByTestId('ticket-status').first().evaluate((el) => {
    const parts = [el.getAttribute('data-status'), el.getAttribute('data-value')];
    const field = 'value' in el ? el : el.querySelector('input, select');
    if (field && 'value' in field && typeof field.value === 'string') parts.push(field.value);
    parts.push(el.textContent);
    return parts.filter((p) => typeof p === 'string' && p !== '').join(' ');
  });
}

/** Saves a screenshot of each page into test-results/ and returns the paths. */
async function screenshots(pages: Record<string, Page | undefined>, name: string): Promise<string[]> {
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const saved: string[] = [];
  for (const [label, page] of Object.entries(pages)) {
    if (!page || page.isClosed()) continue;
    const file = path.join(RESULTS_DIR, `${name}-${label}.png`);
    await page.screenshot({ path: file, fullPage: true }).then(() => saved.push(file), () => undefined);
  }
  fs.writeFileSync(path.join(RESULTS_DIR, `${name}-server.log`), server.output());
  return saved;
}

describe('the agent workspace', () => {
  test('a reply and a solve by one agent appear live for another agent on the same ticket, with presence', async () => {
    const tag = randomBytes(3).toString('hex');
    const subject = `Parcel stuck in transit ${tag}`;
    const reply = `Hi Jane, your parcel left our warehouse today; tracking follows by email. (${tag})`;
    const cookie = await apiSignIn(server.url, alice);
    await apiCreateTicket(server.url, cookie, {
      subject,
      email: `jane.${tag}@customers.example`,
      name: 'Jane Doe',
      body: 'Hello, my order NW-204811 has not moved for a week. Can you help?',
    });

    let a: Page | undefined;
    let b: Page | undefined;
    try {
      a = await newAgentPage('alice');
      b = await newAgentPage('bob');
      await signIn(a, alice);
      await signIn(b, bob);
      await openTicketFromInbox(a, subject);
      await openTicketFromInbox(b, subject);
      const pageA = a;
      const pageB = b;

      // Bob's page must not reload from here on: mark the document and check the mark at the end.
      await pageB.evaluate(() => Reflect.set(globalThis, '__e2eNoReload', true));

      // Presence: Bob sees that Alice is on the ticket (and Alice sees Bob).
      await expect.poll(async () => pageB.getByTestId('presence').first().textContent(), { timeout: LIVE_TIMEOUT }).toMatch(/Alice/);
      await expect.poll(async () => Number(await pageB.getByTestId('presence').first().getAttribute('data-count')), { timeout: LIVE_TIMEOUT }).toBeGreaterThanOrEqual(1);
      await expect.poll(async () => pageA.getByTestId('presence').first().textContent(), { timeout: LIVE_TIMEOUT }).toMatch(/Bob/);

      // Alice replies.
      await pageA.getByTestId('composer-input').click();
      await pageA.getByTestId('composer-input').fill(reply);
      await pageA.getByTestId('composer-send').click();
      const outboundA = pageA.locator('[data-testid="message"][data-kind="outbound"]').filter({ hasText: tag });
      await outboundA.first().waitFor();

      // Bob sees the reply arrive without reloading.
      const outboundB = pageB.locator('[data-testid="message"][data-kind="outbound"]').filter({ hasText: tag });
      await outboundB.first().waitFor({ timeout: LIVE_TIMEOUT });
      expect(await outboundB.first().textContent()).toContain('your parcel left our warehouse today');

      // Alice solves the ticket; Bob's status control follows.
      await pageA.getByTestId('solve-button').click();
      await expect.poll(() => shownStatus(pageA), { timeout: LIVE_TIMEOUT }).toMatch(/solved/i);
      await expect.poll(() => shownStatus(pageB), { timeout: LIVE_TIMEOUT }).toMatch(/solved/i);

      expect(await pageB.evaluate(() => Reflect.get(globalThis, '__e2eNoReload'))).toBe(true);
    } catch (err) {
      const saved = await screenshots({ alice: a, bob: b }, 'workspace-live');
      const details = [
        saved.length ? `screenshots: ${saved.join(', ')}` : 'no screenshots could be taken',
        consoleErrors.length ? `browser console errors:\n  ${consoleErrors.slice(0, 20).join('\n  ')}` : '',
      ].filter(Boolean).join('\n');
      if (err instanceof Error) err.message = `${err.message}\n${details}`;
      throw err;
    }
  });
});
