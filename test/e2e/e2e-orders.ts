/**
 * The order panel beside a ticket, as the browser tests drive it: open an order's card, then
 * one of its actions, and get the action's dialog.
 */
import type { Locator, Page } from 'playwright-core';
import { waitForStill } from './e2e-browser.ts';

/** The card of one order in the ticket's side panel. */
export function orderCard(page: Page, orderNumber: string): Locator {
  return page.locator(`[data-testid="order-card"][data-order-number="${orderNumber}"]`);
}

/** Opens the order's card if it is closed and waits until it has finished opening. */
export async function expandOrder(card: Locator): Promise<void> {
  await card.waitFor();
  if ((await card.getAttribute('data-expanded')) !== 'true') await card.getByTestId('order-toggle').click();
  await card.getByTestId('order-actions').waitFor();
  await waitForStill(card);
}

/**
 * Clicks one of the order's actions (a button, or an item of its "More" menu) and returns the dialog it opens, titled
 * "<action> · <order number>"; fails at once, naming the action, when no such dialog opens.
 */
export async function openOrderAction(page: Page, card: Locator, action: string): Promise<Locator> {
  const number = await card.getAttribute('data-order-number');
  if (!number) throw new Error('openOrderAction: the locator is not an order card');
  await waitForStill(card);
  // The two likeliest actions are buttons; the others are in the card's "More" menu.
  const button = card.getByTestId(`order-action-${action}`);
  if ((await button.count()) > 0) {
    await button.click();
  } else {
    await card.getByTestId('order-actions-more').click();
    await page.getByTestId(`order-menu-${action}`).click();
  }
  const dialog = page.getByRole('dialog').filter({ has: page.getByText(`· ${number}`, { exact: false }) });
  try {
    await dialog.waitFor({ timeout: 5_000 });
  } catch {
    const expanded = await card.getAttribute('data-expanded').catch(() => 'gone');
    throw new Error(`the ${action} dialog for ${number} did not open after its button was clicked (card expanded: ${expanded ?? 'no'})`);
  }
  await waitForStill(dialog);
  return dialog;
}
