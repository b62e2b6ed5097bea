/**
 * The email channel's "Done when", as a new user meets it, in a browser: an admin adds a
 * mailbox in Settings (relay: an SMTP server on loopback that stands for the store's mail
 * provider), a customer writes from an ordinary mail client to storedesk's SMTP listener, the
 * ticket shows only the new part of the email, the agent's answer reaches the client threaded
 * under the customer's email, and the customer's answer to it lands on the same ticket, live.
 */
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startSmtpSink, type SmtpSink } from '../../src/modules/channels/email/testing/smtp-sink.ts';
import { startE2eServer, type E2eAgent, type E2eServer } from './e2e-server.ts';
import { launchChromium, screenshotOnFailure, signedInPage } from './e2e-browser.ts';

const admin: E2eAgent = { email: 'mira@e2e.storedesk.dev', name: 'Mira Admin', role: 'admin', password: 'mira-password-1' };
const SUPPORT = 'help@e2e-shop.test';
const LIVE_TIMEOUT = 20_000;

let server: E2eServer;
let sink: SmtpSink;
let browser: Browser;
let page: Page | undefined;
let smtpPort = 0;

beforeAll(async () => {
  sink = await startSmtpSink();
  server = await startE2eServer([admin]);
  // Printed on the line after the URL that startE2eServer waits for.
  let port: string | undefined;
  for (let i = 0; i < 100 && !port; i++) {
    port = /SMTP listener on port (\d+)/.exec(server.output())?.[1];
    if (!port) await new Promise((r) => setTimeout(r, 100));
  }
  if (!port) throw new Error(`the server did not say where its SMTP listener is:\n${server.output()}`);
  smtpPort = Number(port);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close().catch(() => undefined);
  await server?.stop();
  await sink?.close();
});

/** The customer's mail client: plain SMTP to storedesk's listener, as a provider's MX would deliver it. */
function mailClient() {
  return nodemailer.createTransport({ host: '127.0.0.1', port: smtpPort, secure: false, ignoreTLS: true });
}

describe('email, from a mail client to the workspace and back', () => {
  test('a mailbox added in Settings takes mail in, the answer reaches the client in its thread, and the reply lands on the same ticket', async () => {
    const p = await signedInPage(browser, server, admin);
    page = p;
    const step = <T>(name: string, fn: () => Promise<T>) => screenshotOnFailure(server, () => p, `email-mailbox-${name}`, fn);

    await step('add-mailbox', async () => {
      await p.goto('/settings/mailboxes/new');
      await p.getByTestId('mailbox-address').fill(SUPPORT);
      await p.getByTestId('smtp-toggle').click();
      await p.getByTestId('smtp-host').fill('127.0.0.1');
      await p.getByTestId('smtp-security').click();
      await p.getByRole('option', { name: 'None (local relays only)' }).click();
      await p.getByTestId('smtp-port').fill(String(sink.port));
      await p.getByTestId('mailbox-save').click();
      // Saved: back on the list, which shows the new mailbox.
      await p.waitForURL(/\/settings\/mailboxes$/);
      await expect.poll(() => p.getByText(SUPPORT).count()).toBeGreaterThan(0);
    });

    const client = mailClient();
    const firstId = `<first-${Date.now()}@client.example.com>`;
    const subject = 'Where is order #58231?';
    await step('customer-writes', async () => {
      const sent = await client.sendMail({
        from: 'Jonas Berg <jonas.berg@example.com>', to: SUPPORT, subject, messageId: firstId,
        text: 'Hi, my order #58231 has not arrived and tracking has not moved since Monday.\n\nThanks,\nJonas\n\nOn Sun, 1 Mar 2026 at 10:00, Shop <help@e2e-shop.test> wrote:\n> Your order has shipped.\n> Track it here.\n',
      });
      // 250 only after the email is committed.
      expect(sent.response).toMatch(/^250 /);
    });

    await step('ticket-shows-clean-reply', async () => {
      await p.goto('/');
      const unassigned = p.getByTestId('view-unassigned');
      if (await unassigned.waitFor({ timeout: 5_000 }).then(() => true, () => false)) await unassigned.click();
      await p.getByTestId('ticket-row').filter({ hasText: subject }).first().click({ timeout: LIVE_TIMEOUT });
      const inbound = p.locator('[data-testid="message"][data-kind="inbound"]').first();
      await expect.poll(() => inbound.innerText(), { timeout: LIVE_TIMEOUT }).toContain('tracking has not moved since Monday');
      // The quoted history is not shown (it is kept in the original .eml).
      expect(await inbound.innerText()).not.toContain('Your order has shipped');
    });

    const answer = `Sorry for the wait, Jonas: the carrier has your parcel and it arrives tomorrow (${Date.now().toString(36)}).`;
    const delivered = await step('agent-answers', async () => {
      await p.getByTestId('composer-input').click();
      await p.getByTestId('composer-input').fill(answer);
      await p.getByTestId('composer-send').click();
      const [mail] = await sink.waitFor(1, LIVE_TIMEOUT);
      if (!mail) throw new Error('the answer never reached the mail provider');
      return mail;
    });
    // What the customer's client receives: from the mailbox, to the customer, threaded under their email.
    expect(delivered.parsed.from?.value[0]?.address).toBe(SUPPORT);
    expect(delivered.envelope.to).toEqual(['jonas.berg@example.com']);
    expect(delivered.parsed.inReplyTo).toBe(firstId);
    expect([delivered.parsed.references ?? []].flat()).toContain(firstId);
    expect(delivered.parsed.subject).toMatch(/^Re: Where is order #58231\? \[#\d+\]$/);
    expect(delivered.parsed.text).toContain(answer);
    expect(delivered.parsed.html).toContain('arrives tomorrow');

    await step('customer-replies', async () => {
      const answerId = delivered.parsed.messageId ?? '';
      expect(answerId).toMatch(/^<.+>$/);
      const sent = await client.sendMail({
        from: 'Jonas Berg <jonas.berg@example.com>', to: SUPPORT, subject: `Re: ${delivered.parsed.subject}`,
        inReplyTo: answerId, references: [firstId, answerId],
        text: `Great, thank you! I will be home tomorrow.\n\nOn Mon, 2 Mar 2026, ${SUPPORT} wrote:\n> ${answer}\n`,
      });
      expect(sent.response).toMatch(/^250 /);
      // It lands on the ticket open on screen, live, as the newest message, without its quote.
      const reply = p.locator('[data-testid="message"][data-kind="inbound"]').filter({ hasText: 'I will be home tomorrow' });
      await reply.waitFor({ timeout: LIVE_TIMEOUT });
      expect(await reply.innerText()).not.toContain('carrier has your parcel');
      expect(await p.locator('[data-testid="message"][data-kind="inbound"]').count()).toBe(2);
    });
    client.close();
  });
});
