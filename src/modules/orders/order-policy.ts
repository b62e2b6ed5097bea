/**
 * The policy check in front of every order action. Today it allows everything; the policies
 * issue (store policy as data, eligibility, authority limits, approvals, budgets) fills it in
 * without touching the pipeline: it gets the exact plan (action, lines, amount, order facts) and
 * answers allow, refuse with the clause that applies, or (later) needs approval.
 */
import type { Ctx } from '../../shared/context.ts';
import type { ActionPlan, StoreInfo, StoreOrder } from '../stores/connectors/connector.ts';
import { checkStorePolicy } from '../policies/eligibility.service.ts';

/** Everything a policy may look at: who (ctx), which ticket, which store and order, and the plan. */
export interface PolicyInput {
  ticketId: string | null;
  store: StoreInfo;
  order: StoreOrder;
  plan: ActionPlan;
  /** When the decision is asked (windows are counted to this moment). */
  at: Date;
}

/** A policy's answer. A refusal's message cites the rule in words a customer understands. */
export type PolicyDecision =
  | { outcome: 'allow'; notes?: string[] }
  | { outcome: 'refuse'; message: string; clause?: string | undefined };

/**
 * Decides whether the acting agent may do this now. Called by the preview (to show the answer
 * before confirming) and by the pipeline right before the store is asked to act.
 */
export async function checkPolicy(ctx: Ctx, input: PolicyInput): Promise<PolicyDecision> {
  // 1. The store's policy: may this order get this remedy at all, and how much of it?
  const eligibility = await checkStorePolicy(ctx, input);
  if (eligibility.outcome !== 'allow') return eligibility;
  // 2. The acting agent's authority (limits, approvals, budget) comes next.
  return eligibility;
}
