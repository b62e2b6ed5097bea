/**
 * The policy check in front of every order action: first the store's policy (may this order get
 * this remedy at all, and how much), then the acting person's authority (limits per action,
 * ticket, day and month, and the store's goodwill budget). It gets the exact plan (action,
 * lines, amount, order facts) and answers allow (with warnings to show before confirming),
 * refuse with the clause that applies, or needs a manager's approval naming the limits passed.
 */
import type { Ctx } from '../../shared/context.ts';
import type { ActionPlan, StoreInfo, StoreOrder } from '../stores/connectors/connector.ts';
import { checkStorePolicy } from '../policies/eligibility.service.ts';
import { assessAuthority, type AuthorityReason } from '../authority/authority.service.ts';
import type { ReasonCodes } from '../policies/eligibility.ts';

/** Everything a policy may look at: who (ctx), which ticket, which store and order, and the plan. */
export interface PolicyInput {
  ticketId: string | null;
  store: StoreInfo;
  order: StoreOrder;
  plan: ActionPlan;
  /** The reason codes the agent picked; absent for older callers (the policy then reads the free-text reason). */
  reasonCodes?: ReasonCodes | undefined;
  /** When the decision is asked (windows are counted to this moment). */
  at: Date;
  /**
   * Set when a manager approved this action: their approval stands in for the requester's
   * authority and the budget, so only the store policy is checked again.
   */
  approvedBy?: { agentId: string | null; name: string } | undefined;
}

/** A policy's answer. A refusal's message cites the rule in words a customer understands. */
export type PolicyDecision =
  | { outcome: 'allow'; notes?: string[] }
  | { outcome: 'refuse'; message: string; clause?: string | undefined }
  | {
      outcome: 'needs_approval';
      /** The first limit passed, in words ("Your refund limit is €50.00 per action; this refund is €80.00."). */
      message: string;
      /** Every limit or budget passed. */
      reasons: AuthorityReason[];
      notes?: string[];
    };

/**
 * Decides whether the acting agent may do this now. Called by the preview (to show the answer
 * before confirming) and by the pipeline right before the store is asked to act.
 */
export async function checkPolicy(ctx: Ctx, input: PolicyInput): Promise<PolicyDecision> {
  // 1. The store's policy: may this order get this remedy at all, and how much of it?
  const eligibility = await checkStorePolicy(ctx, input);
  if (eligibility.outcome !== 'allow') return eligibility;
  if (input.approvedBy) return eligibility;
  // 2. The acting agent's authority (limits, approvals, budget).
  const authority = await assessAuthority(ctx, { store: input.store, ticketId: input.ticketId, plan: input.plan, at: input.at, order: input.order });
  const notes = [...(eligibility.notes ?? []), ...authority.warnings];
  if (authority.needsApproval) {
    const reasons = authority.approvalReasons;
    return { outcome: 'needs_approval', message: reasons[0]?.message ?? 'This needs a manager’s approval.', reasons, ...(notes.length ? { notes } : {}) };
  }
  return notes.length ? { outcome: 'allow', notes } : { outcome: 'allow' };
}
