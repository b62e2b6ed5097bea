/**
 * Approval requests for managers: what waits, with everything needed to decide in one click
 * beside it (the ticket, the customer's lifetime value and order count, the remedies they got
 * before, the plan and the limits it passes), and the decision itself, which runs the action
 * through the order-action pipeline (src/modules/orders/order-actions.service.ts).
 */
import type { ApprovalStatus } from '../../db/schema.ts';
import { requireRole, type Ctx } from '../../shared/context.ts';
import { notFound } from '../../shared/errors.ts';
import { approveOrderAction, refuseOrderAction, type ApprovalOutcome } from '../orders/order-actions.service.ts';
import { getCustomerOrders } from '../orders/orders.service.ts';
import type { Money } from '../stores/money.ts';
import type { AuthorityReason } from './authority.service.ts';
import * as q from './authority.queries.ts';

/** An approval request as a manager sees it. */
export interface ApprovalView {
  id: string;
  orderActionId: string;
  status: ApprovalStatus;
  store: { id: string; name: string | null };
  ticket: { id: string; number: number; subject: string } | null;
  orderNumber: string;
  action: string;
  remedy: string | null;
  amount: Money;
  summary: string;
  reasons: AuthorityReason[];
  requestedBy: { id: string | null; name: string };
  decidedBy: { id: string | null; name: string } | null;
  decisionReason: string | null;
  createdAt: Date;
  decidedAt: Date | null;
  customer: {
    id: string;
    name: string | null;
    orderCount: number | null;
    lifetimeValue: Money | null;
    previousRemedies: { action: string; amount: Money | null; summary: string | null; orderNumber: string; ticketNumber: number; by: string | null; at: Date }[];
  } | null;
}

function reasonsOf(raw: unknown): AuthorityReason[] {
  return Array.isArray(raw) ? raw.filter((r): r is AuthorityReason => !!r && typeof r === 'object' && 'message' in r) : [];
}

/** Adds the customer's value and history to an approval row (the store's figures when it can be reached). */
async function toView(ctx: Ctx, r: q.ApprovalRow, withCustomer: boolean): Promise<ApprovalView> {
  let customer: ApprovalView['customer'] = null;
  if (withCustomer && r.customer_id) {
    const [profile, remedies, orders] = await Promise.all([
      ctx.db.selectFrom('customers').select(['id', 'name']).where('id', '=', r.customer_id).executeTakeFirst(),
      q.listCustomerRemedies(ctx.db, r.customer_id),
      getCustomerOrders(ctx, r.customer_id, { limit: 10 }).catch(() => null),
    ]);
    customer = {
      id: r.customer_id,
      name: profile?.name ?? null,
      orderCount: orders?.stats?.orderCount ?? null,
      lifetimeValue: orders?.stats?.lifetimeValue ?? null,
      previousRemedies: remedies
        .filter((x) => x.id !== r.order_action_id)
        .map((x) => ({
          action: x.action, amount: x.amount_minor !== null && x.currency ? { amount: x.amount_minor, currency: x.currency.trim() } : null, summary: x.summary,
          orderNumber: x.order_number, ticketNumber: x.ticket_number, by: x.actor_name, at: x.created_at,
        })),
    };
  }
  return {
    id: r.id, orderActionId: r.order_action_id, status: r.status, store: { id: r.store_id, name: r.store_name },
    ticket: r.ticket_id && r.ticket_number !== null && r.ticket_subject !== null ? { id: r.ticket_id, number: r.ticket_number, subject: r.ticket_subject } : null,
    orderNumber: r.order_number, action: r.action, remedy: r.remedy, amount: { amount: r.amount_minor, currency: r.currency.trim() }, summary: r.summary,
    reasons: reasonsOf(r.reasons), requestedBy: { id: r.requested_by, name: r.requested_by_name },
    decidedBy: r.decided_by_name ? { id: r.decided_by, name: r.decided_by_name } : null, decisionReason: r.decision_reason,
    createdAt: r.created_at, decidedAt: r.decided_at, customer,
  };
}

/** Approval requests (pending ones oldest first), with the customer beside each (managers). */
export async function listApprovals(ctx: Ctx, f: { status?: ApprovalStatus | undefined; storeId?: string | undefined; limit: number }): Promise<ApprovalView[]> {
  requireRole(ctx, 'manager');
  const rows = await q.listApprovals(ctx.db, f);
  const out: ApprovalView[] = [];
  for (const r of rows) out.push(await toView(ctx, r, true));
  return out;
}

/** One approval request with its customer (managers; agents see their own through the ticket). */
export async function getApproval(ctx: Ctx, id: string): Promise<ApprovalView> {
  requireRole(ctx, 'manager');
  const row = await q.findApproval(ctx.db, id);
  if (!row) throw notFound('The approval request');
  return toView(ctx, row, true);
}

/** How many requests wait for a decision (for the sidebar badge; managers). */
export async function countPendingApprovals(ctx: Ctx): Promise<number> {
  requireRole(ctx, 'manager');
  return q.countPendingApprovals(ctx.db);
}

/** Approves and runs the action once (managers); a repeat answers with the action as it stands. */
export async function approveRequest(ctx: Ctx, id: string): Promise<ApprovalOutcome & { approval: ApprovalView }> {
  const outcome = await approveOrderAction(ctx, id);
  const row = await q.findApproval(ctx.db, id);
  if (!row) throw notFound('The approval request');
  return { ...outcome, approval: await toView(ctx, row, false) };
}

/** Refuses with a reason the agent sees (managers). */
export async function refuseRequest(ctx: Ctx, id: string, reason: string): Promise<ApprovalOutcome & { approval: ApprovalView }> {
  const outcome = await refuseOrderAction(ctx, id, reason);
  const row = await q.findApproval(ctx.db, id);
  if (!row) throw notFound('The approval request');
  return { ...outcome, approval: await toView(ctx, row, false) };
}
