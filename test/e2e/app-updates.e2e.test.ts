/**
 * storedesk updated while a tab is open: the page code the tab asks for next (chunks named by
 * their content hash) is gone from the server. The tab must fetch the new version by itself,
 * and when that does not help, say so in words with a way out, keeping the navigation.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { launchChromium, screenshotOnFailure, signedInPage } from './e2e-browser.ts';
import { startE2eServer, type E2eAgent, type E2eServer } from './e2e-server.ts';

const manager: E2eAgent = { email: 'mo@e2e.storedesk.dev', name: 'Mo Manager', role: 'manager', password: 'mo-password-1' };
/** The store policy page's code, loaded the first time someone opens it. */
const POLICY_CHUNK = /\/assets\/settings-policy\.route-[^/]+\.js$/;

let server: E2eServer;
let browser: Browser;
let current: Page;

beforeAll(async () => {
  server = await startE2eServer([manager]);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close().catch(() => undefined);
  await server?.stop();
});

function onFailure<T>(name: string, fn: () => Promise<T>): Promise<T> {
  return screenshotOnFailure(server, () => current, name, fn);
}

/** Counts the times the page (re)loads a document. */
function countDocumentLoads(page: Page): () => number {
  let loads = 0;
  page.on('load', () => loads++);
  return () => loads;
}

/** Answers 404 for the policy page's code, as a server with a newer build does; returns how many times it was asked. */
async function removePolicyChunk(page: Page, times: number): Promise<() => number> {
  let asked = 0;
  await page.route(POLICY_CHUNK, async (route) => {
    asked++;
    if (asked <= times) await route.fulfill({ status: 404, contentType: 'text/plain', body: 'Not Found' });
    else await route.continue();
  });
  return () => asked;
}

describe('a tab left open across an upgrade', () => {
  test('the page whose code changed loads the new version by itself, once', async () => {
    const page = await signedInPage(browser, server, manager);
    current = page;
    await onFailure('update-reload', async () => {
      const asked = await removePolicyChunk(page, 1);
      const loads = countDocumentLoads(page);
      await page.getByTestId('nav-settings-policy').click();
      await page.getByTestId('policy-return-window').waitFor();
      expect(asked()).toBe(2);
      expect(loads()).toBe(1);
      expect(page.url()).toMatch(/\/settings\/policy$/);
      expect(await page.getByTestId('route-error').count()).toBe(0);
    });
    await page.context().close();
  });

  test('when reloading does not help, the page says what happened and the navigation stays', async () => {
    const page = await signedInPage(browser, server, manager);
    current = page;
    await onFailure('update-error', async () => {
      const asked = await removePolicyChunk(page, Number.POSITIVE_INFINITY);
      const loads = countDocumentLoads(page);
      await page.getByTestId('nav-settings-policy').click();
      const error = page.getByTestId('route-error');
      await error.waitFor();
      // One automatic reload, then no loop.
      expect(loads()).toBe(1);
      expect(asked()).toBe(2);
      expect(await error.textContent()).toContain('This page could not be loaded');
      expect(await error.textContent()).not.toMatch(/TypeError|dynamically imported/);
      await page.getByTestId('nav-settings-authority').waitFor();

      // The server has the code again: Reload brings the page.
      await page.unroute(POLICY_CHUNK);
      await page.getByTestId('route-error-reload').click();
      await page.getByTestId('policy-return-window').waitFor();
      expect(await page.getByTestId('route-error').count()).toBe(0);
    });
    await page.context().close();
  });
});
