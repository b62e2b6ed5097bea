/**
 * The store policy's eligibility check in front of every order action: loads the store's active
 * policy (cached per store and version) and the product facts the plan needs, asks the pure
 * engine (eligibility.ts), and answers in the pipeline's terms: allow with the reasons as notes,
 * or refuse with the first clause that says no. The same engine serves the customer portal, so
 * customers and agents always get the same answer.
 */
import type { Ctx } from '../../shared/context.ts';
import type { PolicyDecision, PolicyInput } from '../orders/order-policy.ts';
import type { Eligibility } from './eligibility.ts';
import { decidePlan } from './policies.service.ts';

/** The engine's answer for a plan, with the policy version it was decided by (policies.service decidePlan). */
export async function decideStorePolicy(ctx: Ctx, input: PolicyInput): Promise<{ version: number; eligibility: Eligibility }> {
  return decidePlan(ctx, input);
}

/** Maps the engine's answer to the pipeline's decision: the first refusing clause, or allow with every reason. */
export function toPolicyDecision(e: Eligibility): PolicyDecision {
  const refusal = e.reasons.find((r) => !r.ok);
  if (refusal) return { outcome: 'refuse', message: refusal.text, clause: refusal.clause };
  const notes = e.reasons.map((r) => r.text);
  return notes.length ? { outcome: 'allow', notes } : { outcome: 'allow' };
}

/** What the store's policy says about this plan. */
export async function checkStorePolicy(ctx: Ctx, input: PolicyInput): Promise<PolicyDecision> {
  if (input.plan.action === 'add_note') return { outcome: 'allow' };
  const { eligibility } = await decideStorePolicy(ctx, input);
  return toPolicyDecision(eligibility);
}
