/** HTTP: reports for managers. */
import { Type } from '@sinclair/typebox';
import type { App } from '../../http/app.ts';
import { getConsistencyReport, type ConsistencyReport } from './consistency.service.ts';

const MoneySchema = Type.Object({ amount: Type.Integer({ description: 'Minor units' }), currency: Type.String() });

/** The consistency report. */
export const ConsistencyReportSchema = Type.Object({
  from: Type.String({ format: 'date-time' }),
  to: Type.String({ format: 'date-time' }),
  store_id: Type.Union([Type.String(), Type.Null()]),
  problems: Type.Array(Type.Object({
    problem_kind: Type.String(),
    playbook_name: Type.Union([Type.String(), Type.Null()]),
    total: Type.Integer({ description: 'Actions taken under a playbook for this problem' }),
    standard: Type.Integer({ description: 'Of which the standard remedy' }),
    deviations: Type.Integer(),
    standard_rate: Type.Number({ description: '0–1' }),
    reasons: Type.Array(Type.Object({ reason: Type.String(), action: Type.String(), count: Type.Integer() }), { description: 'Deviations with their reasons' }),
  })),
  spend_by_agent: Type.Array(Type.Object({ agent_id: Type.Union([Type.String(), Type.Null()]), name: Type.Union([Type.String(), Type.Null()]), spent: MoneySchema, count: Type.Integer() })),
  spend_by_remedy: Type.Array(Type.Object({ remedy: Type.String(), spent: MoneySchema, count: Type.Integer() })),
  spend_by_reason: Type.Array(Type.Object({ reason: Type.String({ description: 'The problem kind, else the reason code the agent chose (the reason they typed when the code is `other` or absent); empty when none' }), spent: MoneySchema, count: Type.Integer() })),
  approvals: Type.Object({
    total: Type.Integer(), pending: Type.Integer(), approved: Type.Integer(), refused: Type.Integer(),
    median_seconds: Type.Union([Type.Integer(), Type.Null()], { description: 'From request to decision' }),
    p90_seconds: Type.Union([Type.Integer(), Type.Null()]),
  }),
  remedies: Type.Array(Type.Object({
    at: Type.String({ format: 'date-time' }),
    action: Type.String(),
    remedy: Type.String({ description: 'refund, discount, store_credit or replacement' }),
    order_number: Type.String(),
    ticket_number: Type.Union([Type.Integer(), Type.Null()]),
    amount: Type.Union([MoneySchema, Type.Null()]),
    agent_name: Type.Union([Type.String(), Type.Null()]),
    approved_by: Type.Union([Type.String(), Type.Null()], { description: 'The manager who approved it, when it was above the agent’s authority' }),
    problem_kind: Type.Union([Type.String(), Type.Null()]),
    standard_remedy: Type.Union([Type.Boolean(), Type.Null()]),
    reason: Type.Union([Type.String(), Type.Null()]),
  }), { description: 'The remedies behind the numbers, newest first (at most 50)' }),
});

function present(r: ConsistencyReport) {
  return {
    from: r.from.toISOString(), to: r.to.toISOString(), store_id: r.storeId,
    problems: r.problems.map((p) => ({ problem_kind: p.problemKind, playbook_name: p.playbookName, total: p.total, standard: p.standard, deviations: p.deviations, standard_rate: p.standardRate, reasons: p.reasons })),
    spend_by_agent: r.spendByAgent.map((a) => ({ agent_id: a.agentId, name: a.name, spent: a.spent, count: a.count })),
    spend_by_remedy: r.spendByRemedy,
    spend_by_reason: r.spendByReason,
    approvals: { total: r.approvals.total, pending: r.approvals.pending, approved: r.approvals.approved, refused: r.approvals.refused, median_seconds: r.approvals.medianSeconds, p90_seconds: r.approvals.p90Seconds },
    remedies: r.remedies.map((x) => ({
      at: x.at.toISOString(), action: x.action, remedy: x.remedy, order_number: x.orderNumber, ticket_number: x.ticketNumber, amount: x.amount,
      agent_name: x.agentName, approved_by: x.approvedBy, problem_kind: x.problemKind, standard_remedy: x.standardRemedy, reason: x.reason,
    })),
  };
}

export async function reportsRoutes(app: App) {
  app.get(
    '/reports/consistency',
    {
      config: { auth: 'manager' },
      schema: {
        tags: ['reports'],
        summary: 'Consistency: standard remedies vs deviations per problem, spend by agent, remedy type and reason, approval turnaround',
        description: 'Counts actions that succeeded from `from` (inclusive) to `to` (exclusive); the last 30 days by default.',
        querystring: Type.Object(
          { from: Type.Optional(Type.String({ format: 'date-time' })), to: Type.Optional(Type.String({ format: 'date-time' })), store_id: Type.Optional(Type.String({ format: 'uuid' })) },
          { additionalProperties: false },
        ),
        response: { 200: ConsistencyReportSchema },
      },
    },
    async (request) => {
      const qs = request.query;
      return present(await getConsistencyReport(request.ctx, { from: qs.from ? new Date(qs.from) : undefined, to: qs.to ? new Date(qs.to) : undefined, storeId: qs.store_id }));
    },
  );
}
