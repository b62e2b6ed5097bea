/**
 * The consistency report: whether the same problem gets the same answer. Per problem kind, how
 * often the playbook's standard remedy was given and the deviations with their reasons; what
 * was given away by agent, remedy type and reason; and how long approvals took. For managers.
 */
import { requireRole, type Ctx } from '../../shared/context.ts';
import { AppError } from '../../shared/errors.ts';
import type { Money } from '../stores/money.ts';
import * as q from './consistency.queries.ts';

const DAY = 24 * 3600_000;

/** The report over a date range (and store). */
export interface ConsistencyReport {
  from: Date;
  to: Date;
  storeId: string | null;
  problems: { problemKind: string; playbookName: string | null; total: number; standard: number; deviations: number; standardRate: number; reasons: { reason: string; action: string; count: number }[] }[];
  spendByAgent: { agentId: string | null; name: string | null; spent: Money; count: number }[];
  spendByRemedy: { remedy: string; spent: Money; count: number }[];
  spendByReason: { reason: string; spent: Money; count: number }[];
  approvals: { total: number; pending: number; approved: number; refused: number; medianSeconds: number | null; p90Seconds: number | null };
  /** The remedies behind the numbers, newest first (at most `REMEDIES_SHOWN`): which ticket got what, from whom. */
  remedies: {
    at: Date; action: string; remedy: string; orderNumber: string; ticketNumber: number | null; amount: Money | null;
    agentName: string | null; approvedBy: string | null; problemKind: string | null; standardRemedy: boolean | null; reason: string | null;
  }[];
}

/** How many remedies the report lists. */
export const REMEDIES_SHOWN = 50;

const n = (v: unknown) => Number(v ?? 0);
const money = (amount: unknown, currency: string | null): Money => ({ amount: n(amount), currency: (currency ?? '').trim() });

/** Builds the report; the range defaults to the last 30 days. */
export async function getConsistencyReport(ctx: Ctx, f: { from?: Date | undefined; to?: Date | undefined; storeId?: string | undefined }): Promise<ConsistencyReport> {
  requireRole(ctx, 'manager');
  const to = f.to ?? new Date();
  const from = f.from ?? new Date(to.getTime() - 30 * DAY);
  if (from >= to) throw new AppError('validation_failed', '`from` must be before `to`.', { errors: [{ field: 'from', message: 'must be before to' }] });
  const filter = { from, to, storeId: f.storeId };
  const [problems, reasons, byAgent, byRemedy, byReason, approvals, remedies] = await Promise.all([
    q.outcomesByProblem(ctx.db, filter), q.deviationReasons(ctx.db, filter), q.spendByAgent(ctx.db, filter),
    q.spendByRemedy(ctx.db, filter), q.spendByReason(ctx.db, filter), q.approvalTurnaround(ctx.db, filter),
    q.recentRemedies(ctx.db, filter, REMEDIES_SHOWN),
  ]);
  return {
    from, to, storeId: f.storeId ?? null,
    problems: problems.map((p) => {
      const total = n(p.total);
      const standard = n(p.standard);
      return {
        problemKind: p.problem_kind ?? '', playbookName: p.playbook_name, total, standard, deviations: n(p.deviations),
        standardRate: total ? Math.round((standard / total) * 1000) / 1000 : 0,
        reasons: reasons.filter((r) => r.problem_kind === p.problem_kind).map((r) => ({ reason: r.reason, action: r.action, count: n(r.count) })),
      };
    }),
    spendByAgent: byAgent.map((r) => ({ agentId: r.actor_id, name: r.actor_name, spent: money(r.amount, r.currency), count: n(r.count) })),
    spendByRemedy: byRemedy.map((r) => ({ remedy: r.remedy ?? '', spent: money(r.amount, r.currency), count: n(r.count) })),
    spendByReason: byReason.map((r) => ({ reason: r.reason, spent: money(r.amount, r.currency), count: n(r.count) })),
    approvals: {
      total: n(approvals.total), pending: n(approvals.pending), approved: n(approvals.approved), refused: n(approvals.refused),
      medianSeconds: approvals.median_seconds === null ? null : Math.round(Number(approvals.median_seconds)),
      p90Seconds: approvals.p90_seconds === null ? null : Math.round(Number(approvals.p90_seconds)),
    },
    remedies: remedies.map((r) => ({
      at: r.created_at, action: r.action, remedy: r.remedy ?? '', orderNumber: r.order_number, ticketNumber: r.ticket_number,
      amount: r.amount_minor === null ? null : money(r.amount_minor, r.currency), agentName: r.actor_name, approvedBy: r.approved_by,
      problemKind: r.problem_kind, standardRemedy: r.standard_remedy, reason: r.reason,
    })),
  };
}
