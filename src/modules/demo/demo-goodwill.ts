/**
 * The demo's authority, budget and playbooks: agents may give up to €50.00 per action without
 * asking, the store has a monthly goodwill budget per remedy type, the default playbooks, and
 * one refund above Sam's limit waits for a manager's approval — so a first `npm start` shows
 * the Approvals badge, the request and the consistency report working.
 *
 * Runs after the demo's transaction: asking for an approval goes through the real order-action
 * pipeline, which talks to the (built-in) store outside any transaction.
 */
import type { Ctx } from '../../shared/context.ts';
import { setBudgets, setLimits } from '../authority/authority.service.ts';
import { runOrderAction } from '../orders/order-actions.service.ts';
import { ensureDefaultPlaybooks } from '../playbooks/playbooks.service.ts';

/** The agent role's limits in the demo (minor units, EUR). */
export const DEMO_AGENT_LIMITS = {
  refund: { perAction: 5_000, perTicket: 15_000, perDay: 30_000, perMonth: null },
  discount: { perAction: 5_000, perTicket: null, perDay: null, perMonth: null },
  store_credit: { perAction: 5_000, perTicket: 10_000, perDay: null, perMonth: null },
  replacement: { perAction: 15_000, perTicket: null, perDay: null, perMonth: null },
};

async function staffCtx(ctx: Ctx, email: string): Promise<Ctx> {
  const row = await ctx.db.selectFrom('agents').select(['id', 'role', 'name']).where('email', '=', email).executeTakeFirstOrThrow();
  return { ...ctx, actor: { type: 'agent', agentId: row.id, role: row.role, name: row.name } };
}

/** Seeds limits, budgets, playbooks and one pending approval into the demo store. */
export async function seedDemoGoodwill(ctx: Ctx, storeId: string): Promise<void> {
  const admin = await staffCtx(ctx, 'admin@demo.storedesk.dev');
  const agent = await staffCtx(ctx, 'agent@demo.storedesk.dev');
  await setLimits(admin, storeId, { role: 'agent', limits: DEMO_AGENT_LIMITS });
  await setLimits(admin, storeId, { role: 'manager', limits: { refund: { perAction: 50_000, perTicket: null, perDay: null, perMonth: null } } });
  await setBudgets(admin, storeId, {
    refund: { monthly: 150_000, warnAtPercent: 80 },
    discount: { monthly: 40_000, warnAtPercent: 80 },
    store_credit: { monthly: 50_000, warnAtPercent: 80 },
    replacement: { monthly: 100_000, warnAtPercent: 80 },
  });
  await ensureDefaultPlaybooks(ctx, storeId);

  // A delivered order worth more than €80 whose customer has a conversation in progress: Sam asks
  // to refund €80 of it. Not a new ticket: acting on one takes it (open, assigned), and the demo
  // inbox must keep its new, unassigned tickets at every hour of the day.
  const candidates = await ctx.db
    .selectFrom('shop_orders as o')
    .innerJoin('customer_identities as ci', (j) => j.onRef('ci.value', '=', 'o.email').onRef('ci.store_id', '=', 'o.store_id'))
    .innerJoin('tickets as t', 't.customer_id', 'ci.customer_id')
    .select(['o.number', 't.id as ticket_id'])
    .where('o.store_id', '=', storeId)
    .where('o.total_minor', '>=', 12_000)
    .where('o.cancelled_at', 'is', null)
    .where('t.status', 'in', ['open', 'pending'])
    .orderBy('o.placed_at', 'desc')
    .limit(8)
    .execute();
  for (const c of candidates) {
    const record = await runOrderAction(agent, {
      ticketId: c.ticket_id,
      orderNumber: c.number,
      request: { action: 'refund', scope: 'amount', amount: 8_000, reason: 'Arrived with a torn seam; customer keeps it' },
      idempotencyKey: `demo-approval-${c.number}`,
    }).catch(() => null);
    if (record?.status === 'awaiting_approval') return;
  }
}
