/**
 * Loads the demo data. (Placeholder body: replaced by the full generator.)
 */
import type { Ctx } from '../../shared/context.ts';
import { createAgent } from '../agents/agents.service.ts';
import { insertStore } from '../stores/stores.queries.ts';
import { DEMO_LOGINS, DEMO_PASSWORD, DEMO_STORE_SLUG } from './demo.service.ts';
import { createTicket } from '../tickets/tickets.service.ts';

/** Loads the demo store, agents, customers and tickets. */
export async function seedDemo(ctx: Ctx, opts: { onProgress?: (done: number, total: number) => void } = {}): Promise<void> {
  await insertStore(ctx.db, { name: 'Northwind Outfitters', slug: DEMO_STORE_SLUG, timezone: 'Europe/Amsterdam', currency: 'EUR' });
  for (const l of DEMO_LOGINS) {
    await createAgent(ctx, { email: l.email, role: l.role as 'admin', name: l.name, password: DEMO_PASSWORD });
  }
  await createTicket(ctx, { subject: 'Where is my order?', customer: { email: 'jane@example.com', name: 'Jane Doe' }, message: { body: 'Hi, my order has not arrived.' }, channel: 'email' });
  opts.onProgress?.(1, 1);
}
