/**
 * Admin settings and the composer in a real browser: an admin connects a store in Settings →
 * Stores and tests the connection (the store is not reachable, so the page must say so in words
 * a person can act on); promotes and deactivates an agent in Settings → Agents (who can then no
 * longer sign in); and attaches a file to a reply, which shows on the sent message.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { launchChromium, screenshotOnFailure, signedInPage } from './e2e-browser.ts';
import { apiCreateTicket, apiSignIn, startE2eServer, type E2eAgent, type E2eServer } from './e2e-server.ts';

const admin: E2eAgent = { email: 'ada@e2e.storedesk.dev', name: 'Ada Admin', role: 'admin', password: 'ada-password-1' };
const sam: E2eAgent = { email: 'sam@e2e.storedesk.dev', name: 'Sam Rivera', role: 'agent', password: 'sam-password-1' };

let server: E2eServer;
let browser: Browser;
let page: Page;
const consoleErrors: string[] = [];

beforeAll(async () => {
  server = await startE2eServer([admin, sam]);
  browser = await launchChromium();
  page = await signedInPage(browser, server, admin, { errors: consoleErrors });
});

afterAll(async () => {
  await browser?.close().catch(() => undefined);
  await server?.stop();
});

function onFailure<T>(name: string, fn: () => Promise<T>): Promise<T> {
  return screenshotOnFailure(server, () => page, name, fn);
}

describe('Settings → Stores', () => {
  test('an admin connects a Vendure store; the connection test says it cannot be reached', async () => {
    await onFailure('stores-connect', async () => {
      await page.getByTestId('nav-settings-stores').click();
      await expect.poll(() => page.getByTestId('store-row').count()).toBe(1);
      await page.getByTestId('add-store').click();
      await page.getByTestId('store-name').fill('Harbour Goods');
      await page.getByTestId('store-platform').click();
      await page.getByRole('option', { name: 'Vendure' }).click();
      await page.getByTestId('store-setting-api_url').fill('http://127.0.0.1:9/admin-api');
      await page.getByTestId('store-credential-password').locator('input').fill('not-a-real-password');
      await page.getByTestId('store-save').click();
      await page.getByTestId('store-connection-panel').waitFor();
      expect(page.url()).toMatch(/\/settings\/stores\/[0-9a-f-]{36}$/);
      // The password is write-only: after saving it shows as saved, never its value.
      await expect.poll(() => page.getByTestId('store-credential-password').getAttribute('data-state')).toBe('saved');
      expect(await page.content()).not.toContain('not-a-real-password');

      await page.getByTestId('store-test').click();
      const error = page.getByTestId('store-test-error');
      await error.waitFor();
      expect(await error.textContent()).toContain('Harbour Goods');

      await page.getByText('Stores', { exact: true }).first().click();
      await expect.poll(() => page.getByTestId('store-row').count()).toBe(2);
    });
  });
});

describe('Settings → Agents', () => {
  test('an admin promotes an agent to manager, then deactivates them; they can no longer sign in', async () => {
    await onFailure('agents-edit', async () => {
      await page.getByTestId('nav-settings-agents').click();
      const row = page.getByTestId('agent-row').filter({ hasText: 'Sam Rivera' });
      await row.click();
      await page.getByTestId('edit-agent-role-manager').check();
      await page.getByTestId('edit-agent-save').click();
      await expect.poll(() => row.textContent()).toContain('Manager');
      await row.click();
      await page.getByTestId('edit-agent-toggle-active').click();
      await expect.poll(() => row.textContent()).toContain('Deactivated');
      await expect(apiSignIn(server.url, sam)).rejects.toThrow();
    });
  });
});

describe('the ticket page', () => {
  test('an agent attaches a file to a reply, which shows on the sent message, and notes something about the customer', async () => {
    await onFailure('composer-attachment', async () => {
      const cookie = await apiSignIn(server.url, admin);
      const ticket = await apiCreateTicket(server.url, cookie, { subject: 'Need my receipt', email: 'rosa@example.com', name: 'Rosa Diaz', body: 'Could you send the receipt?' });
      await page.goto(`/tickets/${ticket.number}`);
      await page.getByTestId('composer-input').waitFor();
      await page.locator('[data-testid="composer"] input[type="file"]').setInputFiles({ name: 'receipt-NW-10001.txt', mimeType: 'text/plain', buffer: Buffer.from('Receipt for order NW-10001: 129.00 EUR\n') });
      await page.locator('[data-testid="composer-attachment"][data-state="ready"]').waitFor();
      await page.getByTestId('composer-input').fill('Here is your receipt.');
      await page.getByTestId('composer-send').click();
      const sent = page.getByTestId('message').filter({ hasText: 'Here is your receipt.' });
      await sent.getByTestId('attachment').filter({ hasText: 'receipt-NW-10001.txt' }).waitFor();
      await expect.poll(() => page.getByTestId('composer-attachment').count()).toBe(0);

      // The agent keeps a note about the customer for the team, right from the ticket.
      await page.getByTestId('customer-add-note').click();
      await page.getByTestId('customer-edit-note').fill('Prefers phone calls after 17:00.');
      await page.getByTestId('customer-edit-save').click();
      await page.getByTestId('customer-card').getByText('Prefers phone calls after 17:00.').waitFor();
    });
    expect(consoleErrors).toEqual([]);
  });
});
