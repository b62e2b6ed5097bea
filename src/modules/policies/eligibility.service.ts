/**
 * The store policy's eligibility engine: for an order (or some of its lines) and a requested
 * action, is it allowed, how much does it allow, and why (citing the policy's clause in words a
 * customer understands). Serves agents (through checkPolicy in front of every order action)
 * and, later, the customer portal, so both always get the same answer.
 *
 * Placeholder until the policies issue fills it in: allows everything.
 */
import type { Ctx } from '../../shared/context.ts';
import type { PolicyDecision, PolicyInput } from '../orders/order-policy.ts';

/** What the store's policy says about this plan. */
export async function checkStorePolicy(_ctx: Ctx, _input: PolicyInput): Promise<PolicyDecision> {
  return { outcome: 'allow' };
}
