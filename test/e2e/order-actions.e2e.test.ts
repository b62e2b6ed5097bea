/**
 * Issue 4's walkthrough in a real browser, on the demo a first `npm start` loads: the agent opens
 * the ticket about a late parcel, sees the order beside it (number, lines, what was paid, the
 * carrier and a tracking link), refunds the shipping in two clicks (Refund, then confirm in the
 * dialog, after choosing the reason the store policy decides by), and sees the refund on the
 * ticket's timeline and on the order.
 */
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { launchChromium, screenshotOnFailure, signedInPage } from './e2e-browser.ts';
import { openOrderAction } from './e2e-orders.ts';
import { apiSignIn, startE2eServer, type E2eAgent, type E2eServer } from './e2e-server.ts';

/** The demo's agent login (README). */
const demoAgent: E2eAgent = { email: 'agent@demo.storedesk.dev', name: 'Sam Rivera', role: 'agent', password: 'demo1234' };

interface LateParcel {
  ticketNumber: number;
  order: {
    number: string;
    lines: { product_title: string }[];
    paid: { amount: number; currency: string };
    subtotal: { amount: number; currency: string };
    shipping_total: { amount: number; currency: string };
    tracking: { number: string; carrier: string | null; url: string | null } | null;
  };
}

let server: E2eServer;
let browser: Browser;
let page: Page;
let late: LateParcel;
const pageErrors: string[] = [];

/** The demo ticket about a late parcel whose shipping was charged (so it can be refunded), found through the API. */
async function findLateParcel(url: string, cookie: string): Promise<LateParcel> {
  const get = async <T>(p: string): Promise<T> => {
    const res = await fetch(`${url}/api/v1${p}`, { headers: { cookie } });
    if (!res.ok) throw new Error(`GET ${p}: HTTP ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  };
  const tickets: { id: string; number: number; order_numbers: string[] }[] = [];
  let cursor: string | null = null;
  do {
    const page: { items: typeof tickets; next_cursor: string | null } = await get(`/tickets?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    tickets.push(...page.items);
    cursor = page.next_cursor;
  } while (cursor);
  for (const t of tickets.filter((x) => x.order_numbers.length > 0)) {
    const detail = await get<{ customer: { id: string } }>(`/tickets/${t.id}`);
    const orders = await get<{ items: (LateParcel['order'] & { status: string })[] }>(`/customers/${detail.customer.id}/orders?limit=50`);
    const order = orders.items.find((o) => o.status === 'late' && o.shipping_total.amount > 0 && t.order_numbers.includes(o.number));
    if (order) return { ticketNumber: t.number, order };
  }
  throw new Error('the demo has no ticket linked to a late order');
}

/** €4.95 as the workspace shows it (en locale). */
function euros(minor: number): string {
  return `€${(minor / 100).toFixed(2)}`;
}

/** Whether the element is inside the visible part of the ticket's scrolling timeline. */
async function inTimelineView(locator: Locator): Promise<boolean> {
  const viewport = await page.locator('.mantine-ScrollArea-viewport', { has: page.getByTestId('timeline') }).boundingBox();
  const box = await locator.boundingBox();
  if (!viewport || !box) return false;
  return box.y >= viewport.y - 1 && box.y + box.height <= viewport.y + viewport.height + 1;
}

beforeAll(async () => {
  server = await startE2eServer([], { demo: true });
  late = await findLateParcel(server.url, await apiSignIn(server.url, demoAgent));
  browser = await launchChromium();
  page = await signedInPage(browser, server, demoAgent, { errors: pageErrors });
});

afterAll(async () => {
  await browser?.close().catch(() => undefined);
  await server?.stop();
});

function onFailure<T>(name: string, fn: () => Promise<T>): Promise<T> {
  return screenshotOnFailure(server, () => page, name, fn);
}

describe('a late parcel in the demo', () => {
  test('the agent sees the order beside the ticket: its number, lines, what was paid and where the parcel is', async () => {
    await onFailure('order-actions-panel', async () => {
      await page.goto(`/tickets/${late.ticketNumber}`);
      const card = page.locator(`[data-testid="order-card"][data-order-number="${late.order.number}"]`);
      await card.waitFor();
      // The ticket is about this order: it is marked, open, and states that it is late.
      await card.getByTestId('order-linked').waitFor();
      expect(await card.getAttribute('data-expanded')).toBe('true');
      expect(await card.getByTestId('order-state').textContent()).toMatch(/late/i);

      const lines = await card.getByTestId('order-line').allTextContents();
      expect(lines.length).toBe(late.order.lines.length);
      for (const line of late.order.lines) expect(lines.join('\n')).toContain(line.product_title);
      expect(await card.getByTestId('order-details').textContent()).toContain(`Paid${euros(late.order.paid.amount)}`);

      expect(late.order.tracking).not.toBeNull();
      // The parcel to follow; depending on the hour the demo was loaded, a reshipment may be listed beside it.
      const parcel = card.getByTestId('order-parcel').filter({ hasText: late.order.tracking?.number ?? '(no tracking number)' });
      expect(await parcel.textContent()).toContain(late.order.tracking?.carrier ?? '(no carrier)');
      const link = parcel.getByTestId('tracking-link');
      expect(await link.textContent()).toContain(late.order.tracking?.number ?? '(no tracking number)');
      expect(await link.getAttribute('href')).toMatch(/^https:\/\//);
    });
  });

  test('the agent refunds the shipping in two clicks and sees it on the timeline and the order', async () => {
    await onFailure('order-actions-refund', async () => {
      const card = page.locator(`[data-testid="order-card"][data-order-number="${late.order.number}"]`);
      const shipping = euros(late.order.shipping_total.amount);
      expect(late.order.shipping_total.amount).toBeGreaterThan(0);
      expect(await page.getByTestId('timeline-event').filter({ hasText: 'refunded' }).count()).toBe(0);

      // Click 1: Refund. The dialog starts on the shipping for a late parcel; once the reason is
      // chosen (required: the store policy decides by it) it shows what will happen.
      const dialog = await openOrderAction(page, card, 'refund');
      await dialog.getByTestId('order-action-reason-code').selectOption('late_delivery');
      await dialog.locator('[data-testid="order-action-preview"][data-state="ok"]').waitFor();
      expect(await dialog.getByTestId('order-action-summary').textContent()).toContain(`Refund ${shipping} (shipping)`);
      const confirm = dialog.getByTestId('order-action-confirm');
      expect(await confirm.textContent()).toBe(`Refund ${shipping}`);

      // Click 2: confirm. The store's answer says it is done.
      await confirm.click();
      const result = dialog.getByTestId('order-action-result');
      await result.waitFor();
      expect(await result.getAttribute('data-status')).toBe('succeeded');
      await dialog.getByTestId('order-action-close').click();
      await dialog.waitFor({ state: 'hidden' });

      // On the timeline, in view without scrolling: who refunded what on which order.
      const event = page.getByTestId('timeline-event').filter({ hasText: `refunded ${shipping} shipping on ${late.order.number}` });
      await event.waitFor();
      expect(await event.textContent()).toContain('Sam Rivera');
      await expect.poll(() => inTimelineView(event)).toBe(true);

      // On the order: refunded, with the shipping refund listed.
      await card.getByTestId('order-flag-refunded').waitFor();
      const refund = card.getByTestId('order-refund');
      expect(await refund.count()).toBe(1);
      expect(await refund.textContent()).toContain('shipping');
      expect(await refund.textContent()).toContain(shipping);
      expect(await card.getByTestId('order-details').textContent()).toContain(`Refunded−${shipping}`);
    });
  });

  test('a 10% discount code shows, before it is made, what it is worth on this order', async () => {
    await onFailure('order-actions-discount', async () => {
      const card = page.locator(`[data-testid="order-card"][data-order-number="${late.order.number}"]`);
      const subtotal = late.order.subtotal.amount;
      expect(subtotal).toBeGreaterThan(0);
      const dialog = await openOrderAction(page, card, 'discount_code');
      await dialog.getByLabel('Percentage off').fill('10');
      await dialog.getByTestId('order-action-reason-code').selectOption('late_delivery');
      // The worth the server counts against the agent's limits, shown before anything is made.
      await expect
        .poll(() => dialog.getByTestId('order-action-value').textContent())
        .toBe(`10% off — about ${euros(Math.round(subtotal / 10))} on this order’s ${euros(subtotal)} of goods`);
      await dialog.getByRole('button', { name: 'Cancel' }).click();
      await dialog.waitFor({ state: 'hidden' });
    });
    expect(pageErrors).toEqual([]);
  });
});
