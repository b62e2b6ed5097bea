/**
 * A failed refresh must not take a loaded screen away. An agent has a ticket open with a reply
 * half-written; the server then answers 503 to the refresh a live event asks for, and later to
 * the session re-check on returning to the window. The conversation and the draft stay on screen
 * with a small "could not refresh" notice; Retry clears it once the server answers again; and a
 * 401 on the session re-check still ends at the sign-in page.
 */
import { randomBytes } from 'node:crypto';
import type { Browser, BrowserContext, Page, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { launchChromium, screenshotOnFailure } from './e2e-browser.ts';
import { apiCreateTicket, apiSignIn, startE2eServer, type E2eAgent, type E2eServer } from './e2e-server.ts';

const agent: E2eAgent = { email: 'sam@e2e.storedesk.dev', name: 'Sam Stale', role: 'agent', password: 'sam-password-1' };

/** Long enough for a refresh, its two retries (1 s and 2 s apart) and the render after them. */
const FAIL_TIMEOUT = 20_000;

let server: E2eServer;
let browser: Browser;
let context: BrowserContext | undefined;

beforeAll(async () => {
  server = await startE2eServer([agent]);
  browser = await launchChromium();
});

afterAll(async () => {
  await context?.close().catch(() => undefined);
  await browser?.close().catch(() => undefined);
  await server?.stop();
});

/** Answers like storedesk does while it restarts behind a proxy. */
function unavailable(route: Route): Promise<void> {
  return route.fulfill({
    status: 503,
    contentType: 'application/problem+json',
    body: JSON.stringify({ type: 'about:blank', title: 'Service Unavailable', status: 503, code: 'unavailable', detail: 'storedesk is restarting.' }),
  });
}

/** Adds an internal note over the API, as a colleague would: the open page hears of it live. */
async function addNoteAsColleague(cookie: string, ticketId: string, body: string): Promise<void> {
  const res = await fetch(`${server.url}/api/v1/tickets/${ticketId}/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie },
    body: JSON.stringify({ body, internal: true }),
  });
  if (!res.ok) throw new Error(`adding a note failed: HTTP ${res.status} ${await res.text()}`);
}

/**
 * What the browser does when the agent comes back to the window: a `visibilitychange`, on which
 * react-query refetches whatever is stale. Dispatched on the document element, it bubbles up to
 * the window where react-query listens.
 */
async function returnToWindow(page: Page): Promise<void> {
  await page.locator('html').dispatchEvent('visibilitychange');
}

describe('stale data stays on screen', () => {
  test('a failed ticket refresh and a failed session re-check keep the conversation and the draft; Retry recovers', async () => {
    const tag = randomBytes(3).toString('hex');
    const firstMessage = `My parcel ${tag} arrived with a cracked lid. Can you send a new one?`;
    const note = `Checked with the warehouse about ${tag}: replacement is in stock.`;
    const draft = `Hi Lena, so sorry about the lid (${tag}). I have`;
    const cookie = await apiSignIn(server.url, agent);
    const ticket = await apiCreateTicket(server.url, cookie, { subject: `Cracked lid ${tag}`, email: `lena.${tag}@customers.example`, name: 'Lena Lid', body: firstMessage });

    context = await browser.newContext({ baseURL: server.url, viewport: { width: 1440, height: 900 } });
    // The page's clock runs as usual but can be moved forward, to make the session re-check due.
    await context.clock.install();
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    const shown = () => page;

    await screenshotOnFailure(server, shown, 'stale-data-open', async () => {
      await page.goto('/');
      await page.getByTestId('login-email').fill(agent.email);
      await page.getByTestId('login-password').fill(agent.password);
      await page.getByTestId('login-submit').click();
      await page.getByTestId('login-submit').waitFor({ state: 'detached' });
      await page.goto(`/tickets/${ticket.number}`);
      await page.getByTestId('ticket-page').getByText(firstMessage).waitFor();
      await page.getByTestId('composer-input').fill(draft);
    });

    // 1. The ticket's refresh fails: only reads of tickets, so presence and the live stream go on.
    let ticketFailures = 0;
    const failTicketReads = (route: Route) => {
      if (route.request().method() !== 'GET') return route.fallback();
      ticketFailures += 1;
      return unavailable(route);
    };
    await page.route('**/api/v1/tickets/**', failTicketReads);

    await screenshotOnFailure(server, shown, 'stale-data-ticket-refresh-failed', async () => {
      await addNoteAsColleague(cookie, ticket.id, note);
      const notice = page.getByTestId('stale-data-notice').filter({ hasText: 'Could not refresh this ticket' });
      await notice.waitFor({ timeout: FAIL_TIMEOUT });
      expect(ticketFailures).toBeGreaterThan(0);
      await expect(notice.textContent()).resolves.toMatch(/storedesk is restarting\. Showing what was loaded at \d{1,2}:\d{2}/);
      // The conversation and the half-written reply are still there; no error page replaced them.
      await expect(page.getByTestId('ticket-page').getByText(firstMessage).isVisible()).resolves.toBe(true);
      await expect(page.getByTestId('composer-input').inputValue()).resolves.toBe(draft);
      await expect(page.getByTestId('error-state').count()).resolves.toBe(0);
      // The note is not shown yet: the page really could not be refreshed.
      await expect(page.getByText(note).count()).resolves.toBe(0);
    });

    // 2. The server answers again: Retry loads the note and the notice goes.
    await page.unroute('**/api/v1/tickets/**', failTicketReads);
    await screenshotOnFailure(server, shown, 'stale-data-ticket-retry', async () => {
      await page.getByTestId('stale-data-retry').click();
      await page.getByTestId('ticket-page').getByText(note).waitFor();
      await page.getByTestId('stale-data-notice').waitFor({ state: 'detached' });
      await expect(page.getByTestId('composer-input').inputValue()).resolves.toBe(draft);
    });

    // 3. The session re-check on returning to the window fails (every attempt): the app stays.
    let sessionFailures = 0;
    const failSession = (route: Route) => {
      sessionFailures += 1;
      return unavailable(route);
    };
    await page.route('**/api/v1/auth/me', failSession);
    await screenshotOnFailure(server, shown, 'stale-data-session-refresh-failed', async () => {
      await page.clock.fastForward('06:00');
      await returnToWindow(page);
      // The first try and both retries were refused; give the page a moment to render the outcome.
      await expect.poll(() => sessionFailures, { timeout: FAIL_TIMEOUT }).toBeGreaterThanOrEqual(3);
      await page.waitForTimeout(500);
      await expect(page.getByText('Cannot reach storedesk').count()).resolves.toBe(0);
      await expect(page.getByTestId('ticket-page').getByText(note).isVisible()).resolves.toBe(true);
      await expect(page.getByTestId('composer-input').inputValue()).resolves.toBe(draft);
    });

    // 4. A 401 on the re-check still means the session ended: to the sign-in page.
    await page.unroute('**/api/v1/auth/me', failSession);
    await page.route('**/api/v1/auth/me', (route) =>
      route.fulfill({
        status: 401,
        contentType: 'application/problem+json',
        body: JSON.stringify({ type: 'about:blank', title: 'Unauthorized', status: 401, code: 'unauthenticated', detail: 'Sign in again.' }),
      }),
    );
    await screenshotOnFailure(server, shown, 'stale-data-session-ended', async () => {
      await page.clock.fastForward('06:00');
      await returnToWindow(page);
      await page.getByTestId('login-email').waitFor({ timeout: FAIL_TIMEOUT });
      expect(new URL(page.url()).pathname).toBe('/sign-in');
    });

    expect(pageErrors).toEqual([]);
  });
});
