/**
 * HTTP: authority limits and goodwill budgets per store (managers and admins), approval requests
 * and their one-click decisions (managers), and the audit log of authority.
 */
import { Type } from '@sinclair/typebox';
import type { App } from '../../http/app.ts';
import { approveRequest, countPendingApprovals, getApproval, listApprovals, refuseRequest } from './approvals.service.ts';
import { AuthoritySettingsSchema, ApprovalSchema, DecisionSchema, SetBudgetsBody, SetLimitsBody, limitsFromBody, presentApprovalView, presentAuthority, presentDecision } from './authority.schema.ts';
import { getAuthoritySettings, listAuthorityAudit, setBudgets, setLimits } from './authority.service.ts';

const StoreParam = Type.Object({ storeId: Type.String({ format: 'uuid' }) });
const IdParam = Type.Object({ id: Type.String({ format: 'uuid' }) });

export async function authorityRoutes(app: App) {
  app.get(
    '/stores/:storeId/authority',
    {
      config: { auth: 'manager' },
      schema: {
        tags: ['authority'],
        summary: 'Authority limits (per role and per agent) and goodwill budgets of a store, with this month’s spend',
        params: StoreParam,
        response: { 200: AuthoritySettingsSchema },
      },
    },
    async (request) => presentAuthority(await getAuthoritySettings(request.ctx, request.params.storeId)),
  );

  app.put(
    '/stores/:storeId/authority/limits',
    {
      config: { auth: 'manager' },
      schema: {
        tags: ['authority'],
        summary: 'Set a role’s default limits or one agent’s overrides per remedy type',
        description: 'Managers set the agent role and agents’ overrides; only admins set the manager and admin roles and managers’ overrides. Nobody changes their own.',
        params: StoreParam,
        body: SetLimitsBody,
        response: { 200: AuthoritySettingsSchema },
      },
    },
    async (request) => {
      const b = request.body;
      const limits = Object.fromEntries(Object.entries(b.limits).filter(([, v]) => v !== undefined).map(([k, v]) => [k, limitsFromBody(v ?? null)]));
      return presentAuthority(await setLimits(request.ctx, request.params.storeId, { role: b.role, agentId: b.agent_id, limits }));
    },
  );

  app.put(
    '/stores/:storeId/authority/budgets',
    {
      config: { auth: 'manager' },
      schema: {
        tags: ['authority'],
        summary: 'Set the store’s monthly goodwill budgets per remedy type and their warning thresholds',
        params: StoreParam,
        body: SetBudgetsBody,
        response: { 200: AuthoritySettingsSchema },
      },
    },
    async (request) => {
      const budgets = Object.fromEntries(Object.entries(request.body.budgets).filter(([, v]) => v !== undefined).map(([k, v]) => [k, { monthly: v?.monthly ?? null, warnAtPercent: v?.warn_at_percent }]));
      return presentAuthority(await setBudgets(request.ctx, request.params.storeId, budgets));
    },
  );

  app.get(
    '/approvals',
    {
      config: { auth: 'manager' },
      schema: {
        tags: ['authority'],
        summary: 'Approval requests (pending ones oldest first) with the ticket, the customer’s value and earlier remedies, the plan and the limits passed',
        querystring: Type.Object(
          {
            status: Type.Optional(Type.Union([Type.Literal('pending'), Type.Literal('approved'), Type.Literal('refused')], { default: 'pending' })),
            store_id: Type.Optional(Type.String({ format: 'uuid' })),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 50 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ items: Type.Array(ApprovalSchema) }) },
      },
    },
    async (request) => {
      const q = request.query;
      const items = await listApprovals(request.ctx, { status: q.status ?? 'pending', storeId: q.store_id, limit: q.limit ?? 50 });
      return { items: items.map(presentApprovalView) };
    },
  );

  app.get(
    '/approvals/count',
    {
      config: { auth: 'manager' },
      schema: { tags: ['authority'], summary: 'How many approval requests wait for a decision', response: { 200: Type.Object({ pending: Type.Integer() }) } },
    },
    async (request) => ({ pending: await countPendingApprovals(request.ctx) }),
  );

  app.get(
    '/approvals/:id',
    {
      config: { auth: 'manager' },
      schema: { tags: ['authority'], summary: 'One approval request', params: IdParam, response: { 200: ApprovalSchema } },
    },
    async (request) => presentApprovalView(await getApproval(request.ctx, request.params.id)),
  );

  app.post(
    '/approvals/:id/approve',
    {
      config: { auth: 'manager' },
      schema: {
        tags: ['authority'],
        summary: 'Approve and run the action once, on your authority (recorded as requested by the agent, approved by you)',
        description: 'Safe to repeat: a second approve answers with the action as it stands (`decided_now: false`) and never acts twice. '
          + 'When the store could not be reached (503) the approval stands; approving again retries with the same idempotency key.',
        params: IdParam,
        response: { 200: DecisionSchema },
      },
    },
    async (request) => presentDecision(await approveRequest(request.ctx, request.params.id)),
  );

  app.post(
    '/approvals/:id/refuse',
    {
      config: { auth: 'manager' },
      schema: {
        tags: ['authority'],
        summary: 'Refuse with a reason; the agent sees it on the ticket’s timeline',
        params: IdParam,
        body: Type.Object({ reason: Type.String({ minLength: 1, maxLength: 1000 }) }, { additionalProperties: false }),
        response: { 200: DecisionSchema },
      },
    },
    async (request) => presentDecision(await refuseRequest(request.ctx, request.params.id, request.body.reason)),
  );

  app.get(
    '/authority/audit',
    {
      config: { auth: 'manager' },
      schema: {
        tags: ['authority'],
        summary: 'The audit log of authority: limits and budgets set, approvals requested, approved and refused, playbooks changed',
        querystring: Type.Object(
          { store_id: Type.Optional(Type.String({ format: 'uuid' })), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })) },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            items: Type.Array(Type.Object({
              id: Type.Integer(), store_id: Type.Union([Type.String(), Type.Null()]), actor: Type.Object({ type: Type.String(), id: Type.Union([Type.String(), Type.Null()]), name: Type.Union([Type.String(), Type.Null()]) }),
              action: Type.String(), subject_type: Type.String(), subject_id: Type.Union([Type.String(), Type.Null()]), data: Type.Record(Type.String(), Type.Unknown()), created_at: Type.String({ format: 'date-time' }),
            })),
          }),
        },
      },
    },
    async (request) => {
      const rows = await listAuthorityAudit(request.ctx, { storeId: request.query.store_id, limit: request.query.limit ?? 100 });
      return {
        items: rows.map((r) => ({
          id: r.id, store_id: r.store_id, actor: { type: r.actor_type, id: r.actor_id, name: r.actor_name }, action: r.action, subject_type: r.subject_type,
          subject_id: r.subject_id, data: r.data, created_at: r.created_at.toISOString(),
        })),
      };
    },
  );
}
