/**
 * SQL for the consistency report: how often each problem got its playbook's standard remedy,
 * the deviations and their reasons, what was given away (by agent, remedy type and reason), and
 * how long approvals took. Counts only actions that succeeded, in a date range, optionally for
 * one store.
 */
import { sql } from 'kysely';
import type { Executor } from '../../db/database.ts';
import { planPerCall } from '../../db/named-statements.ts';

/** The range and store a report covers. */
export interface ReportFilter {
  from: Date;
  to: Date;
  storeId?: string | undefined;
}

function succeeded(db: Executor, f: ReportFilter) {
  // Reports read ranges of rows whose best plan depends on the dates: planned each time, never kept prepared.
  let q = db.selectFrom('order_actions').modifyFront(planPerCall).where('order_actions.status', '=', 'succeeded').where('order_actions.created_at', '>=', f.from).where('order_actions.created_at', '<', f.to);
  if (f.storeId) q = q.where('order_actions.store_id', '=', f.storeId);
  return q;
}

/** Per problem kind (actions taken under a playbook): standard remedies, deviations, and what they gave. */
export function outcomesByProblem(db: Executor, f: ReportFilter) {
  return succeeded(db, f)
    .leftJoin('playbooks', 'playbooks.id', 'order_actions.playbook_id')
    .where('order_actions.problem_kind', 'is not', null)
    .select([
      'order_actions.problem_kind',
      sql<string | null>`max(playbooks.name)`.as('playbook_name'),
      sql<number>`count(*)`.as('total'),
      sql<number>`count(*) filter (where order_actions.standard_remedy)`.as('standard'),
      sql<number>`count(*) filter (where not order_actions.standard_remedy)`.as('deviations'),
    ])
    .groupBy('order_actions.problem_kind')
    .orderBy(sql`count(*)`, 'desc')
    .execute();
}

/** Deviations from playbooks with their reasons, most frequent first. */
export function deviationReasons(db: Executor, f: ReportFilter) {
  return succeeded(db, f)
    .where('order_actions.standard_remedy', '=', false)
    .select([
      'order_actions.problem_kind', 'order_actions.action',
      sql<string>`coalesce(order_actions.deviation_reason, '')`.as('reason'),
      sql<number>`count(*)`.as('count'),
    ])
    .groupBy(['order_actions.problem_kind', 'order_actions.action', sql`coalesce(order_actions.deviation_reason, '')`])
    .orderBy(sql`count(*)`, 'desc')
    .limit(100)
    .execute();
}

/** What each agent gave away, per currency. */
export function spendByAgent(db: Executor, f: ReportFilter) {
  return succeeded(db, f)
    .where('order_actions.remedy', 'is not', null)
    .select([
      'order_actions.actor_id', sql<string | null>`max(order_actions.actor_name)`.as('actor_name'), 'order_actions.currency',
      sql<number>`sum(order_actions.amount_minor)`.as('amount'), sql<number>`count(*)`.as('count'),
    ])
    .groupBy(['order_actions.actor_id', 'order_actions.currency'])
    .orderBy(sql`sum(order_actions.amount_minor)`, 'desc')
    .execute();
}

/** What was given away per remedy type, per currency. */
export function spendByRemedy(db: Executor, f: ReportFilter) {
  return succeeded(db, f)
    .where('order_actions.remedy', 'is not', null)
    .select(['order_actions.remedy', 'order_actions.currency', sql<number>`sum(order_actions.amount_minor)`.as('amount'), sql<number>`count(*)`.as('count')])
    .groupBy(['order_actions.remedy', 'order_actions.currency'])
    .orderBy(sql`sum(order_actions.amount_minor)`, 'desc')
    .execute();
}

/**
 * What was given away per reason: the problem kind when under a playbook, else the reason code
 * the agent chose (the words they typed when the code is `other` or was not given).
 */
export function spendByReason(db: Executor, f: ReportFilter) {
  const code = sql`order_actions.params->'reasonCodes'->>'action'`;
  const reason = sql<string>`coalesce(order_actions.problem_kind, nullif(${code}, 'other'), nullif(trim(order_actions.params->>'reason'), ''), ${code}, '')`;
  return succeeded(db, f)
    .where('order_actions.remedy', 'is not', null)
    .select([reason.as('reason'), 'order_actions.currency', sql<number>`sum(order_actions.amount_minor)`.as('amount'), sql<number>`count(*)`.as('count')])
    .groupBy([reason, 'order_actions.currency'])
    .orderBy(sql`sum(order_actions.amount_minor)`, 'desc')
    .limit(50)
    .execute();
}

/** The remedies given, newest first, with their ticket and who approved them (when a manager did). */
export function recentRemedies(db: Executor, f: ReportFilter, limit: number) {
  return succeeded(db, f)
    .where('order_actions.remedy', 'is not', null)
    .leftJoin('tickets', 'tickets.id', 'order_actions.ticket_id')
    .leftJoin('approval_requests', (j) => j.onRef('approval_requests.order_action_id', '=', 'order_actions.id').on('approval_requests.status', '=', 'approved'))
    .select([
      'order_actions.id', 'order_actions.created_at', 'order_actions.action', 'order_actions.remedy', 'order_actions.order_number',
      'order_actions.amount_minor', 'order_actions.currency', 'order_actions.actor_name', 'order_actions.problem_kind', 'order_actions.standard_remedy',
      sql<string | null>`nullif(trim(order_actions.params->>'reason'), '')`.as('reason'),
      'tickets.number as ticket_number', 'approval_requests.decided_by_name as approved_by',
    ])
    .orderBy('order_actions.created_at', 'desc')
    .limit(limit)
    .execute();
}

/** Approval requests in the range: counts by status and time to decision (median and 90th percentile, seconds). */
export function approvalTurnaround(db: Executor, f: ReportFilter) {
  let q = db.selectFrom('approval_requests').modifyFront(planPerCall).where('created_at', '>=', f.from).where('created_at', '<', f.to);
  if (f.storeId) q = q.where('store_id', '=', f.storeId);
  const seconds = sql`extract(epoch from (decided_at - created_at))`;
  return q
    .select([
      sql<number>`count(*)`.as('total'),
      sql<number>`count(*) filter (where status = 'pending')`.as('pending'),
      sql<number>`count(*) filter (where status = 'approved')`.as('approved'),
      sql<number>`count(*) filter (where status = 'refused')`.as('refused'),
      sql<number | null>`percentile_cont(0.5) within group (order by ${seconds}) filter (where decided_at is not null)`.as('median_seconds'),
      sql<number | null>`percentile_cont(0.9) within group (order by ${seconds}) filter (where decided_at is not null)`.as('p90_seconds'),
    ])
    .executeTakeFirstOrThrow();
}
