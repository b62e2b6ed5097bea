/**
 * Issue 5's walkthrough in a real browser, on a fresh store: a manager sets a 30-day return
 * policy with a holiday extension (Settings → Store policy) and a 50 limit per refund for agents
 * (Settings → Authority & budget); an agent refunds 30 at once from one ticket and asks for 80 on
 * another, which the manager approves in one click (Approvals); a return requested on day 31 is
 * refused with the policy's reason in the dialog; the consistency report shows both tickets.
 */
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { launchChromium, screenshotOnFailure, signedInPage } from './e2e-browser.ts';
import { expandOrder, openOrderAction, orderCard } from './e2e-orders.ts';
import { apiCreateTicket, apiSignIn, startE2eServer, type E2eAgent, type E2eServer } from './e2e-server.ts';

const DAY = 24 * 3600_000;
const admin: E2eAgent = { email: 'ada@e2e.storedesk.dev', name: 'Ada Admin', role: 'admin', password: 'ada-password-1' };
const manager: E2eAgent = { email: 'mo@e2e.storedesk.dev', name: 'Mo Manager', role: 'manager', password: 'mo-password-1' };
const agent: E2eAgent = { email: 'sam@e2e.storedesk.dev', name: 'Sam Rivera', role: 'agent', password: 'sam-password-1' };

interface Case {
  order: string;
  ticket: number;
}

let server: E2eServer;
let browser: Browser;
let managerPage: Page;
let agentPage: Page;
/** The page a failure screenshot is taken of. */
let current: Page;
const pageErrors: string[] = [];
let store: { id: string; currency: string; timezone: string };
let small: Case;
let large: Case;
let day31: Case;

async function api<T>(cookie: string, method: string, p: string, body?: unknown): Promise<T> {
  const res = await fetch(`${server.url}/api/v1${p}`, {
    method,
    headers: { cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!res.ok) throw new Error(`${method} ${p}: HTTP ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/**
 * When the day-31 order was placed: a few days before its delivery, but never between 1 November
 * and 24 December, where the holiday extension would (rightly) still accept the return.
 */
function placedOutsideHolidays(delivered: Date): Date {
  const placed = new Date(delivered.getTime() - 3 * DAY);
  const md = placed.toISOString().slice(5, 10);
  if (md >= '11-01' && md <= '12-24') return new Date(Date.UTC(placed.getUTCFullYear(), 9, 30, 12));
  return placed;
}

/** Pushes a delivered order of one 120.00 jacket into the built-in store and opens a ticket about it. */
async function seedCase(cookie: string, customer: { email: string; name: string }, delivered: Date, placed: Date, subject: string): Promise<Case> {
  const order = await api<{ number: string }>(cookie, 'POST', `/stores/${store.id}/orders`, {
    placed_at: placed.toISOString(),
    customer,
    lines: [{ sku: 'TJ-M-NAVY', quantity: 1 }],
    shipping: { method: 'Standard', amount: 0, address: { name: customer.name, line1: 'Keizersgracht 1', postal_code: '1015 CJ', city: 'Amsterdam', country: 'NL' } },
    payment: { method: 'card', method_detail: 'Visa •••• 4242' },
    fulfillments: [{ carrier: 'DHL', tracking_number: `JJD${String(placed.getTime()).slice(-12)}`, status: 'delivered', shipped_at: new Date(placed.getTime() + DAY / 2).toISOString(), delivered_at: delivered.toISOString() }],
  });
  const ticket = await apiCreateTicket(server.url, cookie, { subject, email: customer.email, name: customer.name, body: `${subject}. My order number is ${order.number}.` });
  return { order: order.number, ticket: ticket.number };
}

function signIn(who: E2eAgent): Promise<Page> {
  return signedInPage(browser, server, who, { errors: pageErrors, label: who.role });
}

beforeAll(async () => {
  server = await startE2eServer([admin, manager, agent]);
  const cookie = await apiSignIn(server.url, admin);
  const stores = await api<{ items: { id: string; currency: string; timezone: string }[] }>(cookie, 'GET', '/stores');
  const first = stores.items[0];
  if (!first) throw new Error('a fresh install has no store');
  store = first;
  await api(cookie, 'POST', `/stores/${store.id}/products`, {
    products: [{ handle: 'trail-jacket', title: 'Trail Jacket', category: 'Jackets', variants: [{ sku: 'TJ-M-NAVY', title: 'M / Navy', price: 12_000 }] }],
  });
  const now = Date.now();
  const recent = new Date(now - 5 * DAY);
  small = await seedCase(cookie, { email: 'lena@example.com', name: 'Lena Vos' }, recent, new Date(recent.getTime() - 3 * DAY), 'Zip broke on my jacket');
  large = await seedCase(cookie, { email: 'jonas@example.com', name: 'Jonas Becker' }, recent, new Date(recent.getTime() - 3 * DAY), 'Jacket leaks in the rain');
  // Exactly 31 days before now is day 31 in the store's time zone, whatever the hour.
  const delivered31 = new Date(now - 31 * DAY);
  day31 = await seedCase(cookie, { email: 'amira@example.com', name: 'Amira Haddad' }, delivered31, placedOutsideHolidays(delivered31), 'I want to return my jacket');

  browser = await launchChromium();
  managerPage = await signIn(manager);
  agentPage = await signIn(agent);
  current = managerPage;
});

afterAll(async () => {
  await browser?.close().catch(() => undefined);
  await server?.stop();
});

function onFailure<T>(name: string, fn: () => Promise<T>): Promise<T> {
  return screenshotOnFailure(server, () => current, name, fn);
}

/** Money as the workspace shows it in the store's currency (en locale): $30.00. */
function money(major: number): string {
  return new Intl.NumberFormat('en-US', { style: 'currency', currency: store.currency }).format(major);
}

/** Opens the ticket as the agent, with its order expanded; returns the order's card. */
async function openOrder(c: Case) {
  current = agentPage;
  await agentPage.goto(`/tickets/${c.ticket}`);
  const card = orderCard(agentPage, c.order);
  await expandOrder(card);
  return card;
}

/** Opens the order's refund dialog and refunds an amount; returns the confirm button once the plan is shown. */
async function refundAmount(card: Locator, amount: number) {
  const dialog = await openOrderAction(agentPage, card, 'refund');
  await dialog.getByTestId('refund-scope').getByText('Amount', { exact: true }).click();
  await dialog.getByTestId('money-input').fill(String(amount));
  await dialog.getByTestId('order-action-reason-code').selectOption('late_delivery');
  await dialog.locator('[data-testid="order-action-preview"][data-state="ok"]').waitFor();
  await expect.poll(() => dialog.getByTestId('order-action-summary').textContent()).toContain(money(amount));
  return dialog.getByTestId('order-action-confirm');
}

describe('store policy, authority and approvals', () => {
  test('a manager sets a 30-day return policy with a holiday extension', async () => {
    await onFailure('policy-set', async () => {
      current = managerPage;
      await managerPage.getByTestId('nav-settings-policy').click();
      const window = managerPage.getByTestId('policy-return-window');
      await window.fill('30');
      await managerPage.getByTestId('policy-add-seasonal').click();
      expect(await managerPage.getByTestId('policy-seasonal').count()).toBe(1);
      const seasonal = managerPage.locator('[data-testid="policy-clause"][data-clause="returns.seasonal"]');
      await seasonal.waitFor();
      expect(await seasonal.textContent()).toBe('Holiday returns: orders placed between 1 November and 24 December can be returned until 31 January.');
      await managerPage.getByTestId('policy-change-note').fill('30-day returns, longer over the holidays');
      await managerPage.getByTestId('policy-save').click();
      await managerPage.getByTestId('policy-version').first().waitFor();
      expect(await managerPage.getByTestId('policy-history').textContent()).toContain('30-day returns, longer over the holidays');
      expect(await managerPage.locator('[data-testid="policy-clause"][data-clause="returns.window"]').textContent()).toBe('Returns are accepted within 30 days of delivery.');
      await expect.poll(() => managerPage.getByTestId('policy-save').isDisabled()).toBe(true);
    });
  });

  test('a manager gives agents a limit of 50 per refund', async () => {
    await onFailure('authority-set', async () => {
      current = managerPage;
      await managerPage.getByTestId('nav-settings-authority').click();
      const limits = managerPage.getByTestId('limits-agent');
      await limits.getByLabel('Refunds per action').fill('50');
      await limits.getByTestId('limits-agent-save').click();
      await managerPage.getByText('Agent limits saved').waitFor();
      await managerPage.reload();
      await expect.poll(() => managerPage.getByTestId('limits-agent').getByLabel('Refunds per action').inputValue()).toBe(`${money(50).replace(/\.00$/, '')}`);
    });
  });

  test('the agent refunds 30 at once', async () => {
    await onFailure('refund-30', async () => {
      const card = await openOrder(small);
      const confirm = await refundAmount(card, 30);
      expect(await agentPage.getByTestId('order-action-needs-approval').count()).toBe(0);
      expect(await confirm.textContent()).toBe(`Refund ${money(30)}`);
      await confirm.click();
      const result = agentPage.getByTestId('order-action-result');
      await result.waitFor();
      expect(await result.getAttribute('data-status')).toBe('succeeded');
      await agentPage.getByTestId('order-action-close').click();
      await agentPage.getByRole('dialog').waitFor({ state: 'hidden' });
      await card.getByTestId('order-refund').filter({ hasText: money(30) }).waitFor();
    });
  });

  test('the agent asks for 80, above the limit: it waits for a manager', async () => {
    await onFailure('refund-80-ask', async () => {
      const card = await openOrder(large);
      const confirm = await refundAmount(card, 80);
      const above = agentPage.getByTestId('order-action-needs-approval');
      await above.waitFor();
      expect(await above.textContent()).toContain(money(50));
      expect(await confirm.textContent()).toBe(`Ask a manager to approve ${money(80)}`);
      await confirm.click();
      const result = agentPage.getByTestId('order-action-result');
      await result.waitFor();
      expect(await result.getAttribute('data-status')).toBe('awaiting_approval');
      await agentPage.getByTestId('order-action-close').click();
      await agentPage.getByRole('dialog').waitFor({ state: 'hidden' });
      expect(await card.getByTestId('order-refund').count()).toBe(0);
    });
  });

  test('the manager approves it in one click and the store refunds 80', async () => {
    await onFailure('refund-80-approve', async () => {
      current = managerPage;
      await expect.poll(() => managerPage.getByTestId('approvals-count').textContent()).toBe('1');
      await managerPage.getByTestId('nav-approvals').click();
      const request = managerPage.getByTestId('approval-card').filter({ hasText: `#${large.ticket}` });
      await request.waitFor();
      expect(await request.textContent()).toContain(money(80));
      expect(await request.textContent()).toContain(large.order);
      await request.getByTestId('approval-approve').click();
      await request.waitFor({ state: 'detached' });
      await expect.poll(() => managerPage.getByTestId('approvals-count').count()).toBe(0);

      // The agent sees the refund made on the order.
      const card = await openOrder(large);
      await card.getByTestId('order-refund').filter({ hasText: money(80) }).waitFor();
    });
  });

  test('a return requested on day 31 is refused, with the policy’s reason in the dialog', async () => {
    await onFailure('return-day-31', async () => {
      const card = await openOrder(day31);
      const dialog = await openOrderAction(agentPage, card, 'create_return');
      await dialog.getByTestId('order-action-reason-code').selectOption('changed_mind');
      const preview = dialog.locator('[data-testid="order-action-preview"][data-state="refused"]');
      await preview.waitFor();
      expect(await preview.textContent()).toContain('Not allowed by the store policy');
      expect(await preview.textContent()).toContain('Returns are accepted within 30 days of delivery; this order was delivered 31 days ago.');
      expect(await dialog.getByTestId('order-action-confirm').isDisabled()).toBe(true);
    });
  });

  test('the consistency report shows both tickets', async () => {
    await onFailure('consistency-report', async () => {
      current = managerPage;
      await managerPage.getByTestId('nav-reports').click();
      const byAgent = managerPage.getByTestId('report-by-agent');
      await byAgent.waitFor();
      expect(await byAgent.textContent()).toContain(`${agent.name}${money(110)} · 2 actions`);
      expect(await managerPage.getByTestId('report-approvals').textContent()).toContain('1 approved');
      const remedies = managerPage.getByTestId('report-remedy');
      await expect.poll(() => remedies.count()).toBe(2);
      const small30 = remedies.filter({ hasText: `#${small.ticket}` });
      expect(await small30.textContent()).toContain(money(30));
      const large80 = remedies.filter({ hasText: `#${large.ticket}` });
      expect(await large80.textContent()).toContain(money(80));
      expect(await large80.textContent()).toContain(`approved by ${manager.name}`);
      await large80.getByRole('link', { name: `#${large.ticket}` }).click();
      await managerPage.waitForURL(new RegExp(`/tickets/${large.ticket}$`));
    });
    expect(pageErrors).toEqual([]);
  });
});
