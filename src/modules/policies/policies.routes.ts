/**
 * HTTP: a store's policy (read by every agent, saved as a new version by managers and admins),
 * its history, a live preview of an edited document, and eligibility checks that answer for an
 * order and an action, or a return without a receipt, without acting.
 */
import { Type } from '@sinclair/typebox';
import type { App } from '../../http/app.ts';
import { actionReasonCodesFromParams, actionRequestFromParams } from '../orders/orders.schema.ts';
import {
  CheckAnswerSchema, CheckBody, NoReceiptAnswerSchema, NoReceiptBody, PolicyPreviewSchema, PolicyVersionSchema, PreviewPolicyBody, SavePolicyBody, StoreParam,
  presentCheck, presentEligibility, presentPolicyVersion,
} from './policies.schema.ts';
import { checkNoReceiptReturn, checkOrderEligibility, getStorePolicy, listPolicyHistory, previewStorePolicy, saveStorePolicy } from './policies.service.ts';

export async function policiesRoutes(app: App) {
  app.get(
    '/stores/:storeId/policy',
    {
      config: { auth: 'agent' },
      schema: { tags: ['policies'], summary: 'The store’s active policy with a readable summary (the default when none was saved)', params: StoreParam, response: { 200: PolicyVersionSchema } },
    },
    async (request) => presentPolicyVersion(await getStorePolicy(request.ctx, request.params.storeId)),
  );

  app.put(
    '/stores/:storeId/policy',
    {
      config: { auth: 'manager' },
      schema: {
        tags: ['policies'],
        summary: 'Save a new version of the store’s policy (active at once); the history keeps who, when, why and what changed',
        params: StoreParam,
        body: SavePolicyBody,
        response: { 201: PolicyVersionSchema },
      },
    },
    async (request, reply) => {
      const b = request.body;
      const saved = await saveStorePolicy(request.ctx, request.params.storeId, { document: b.document, changeNote: b.change_note, baseVersion: b.base_version });
      return reply.status(201).send(presentPolicyVersion(saved));
    },
  );

  app.get(
    '/stores/:storeId/policy/versions',
    {
      config: { auth: 'manager' },
      schema: {
        tags: ['policies'],
        summary: 'Every saved version of the store’s policy, newest first: who, when, the note and what changed',
        params: StoreParam,
        response: { 200: Type.Object({ items: Type.Array(PolicyVersionSchema) }) },
      },
    },
    async (request) => ({ items: (await listPolicyHistory(request.ctx, request.params.storeId)).map(presentPolicyVersion) }),
  );

  app.post(
    '/stores/:storeId/policy/preview',
    {
      config: { auth: 'manager' },
      schema: {
        tags: ['policies'],
        summary: 'Check an edited policy without saving it: its readable summary and what would change',
        params: StoreParam,
        body: PreviewPolicyBody,
        response: { 200: PolicyPreviewSchema },
      },
    },
    async (request) => previewStorePolicy(request.ctx, request.params.storeId, request.body.document),
  );

  app.post(
    '/stores/:storeId/policy/check',
    {
      config: { auth: 'agent' },
      schema: {
        tags: ['policies'],
        summary: 'What the policy says about an action on an order (allowed, the amount it allows, and why), without acting',
        params: StoreParam,
        body: CheckBody,
        response: { 200: CheckAnswerSchema },
      },
    },
    async (request) => {
      const b = request.body;
      const answer = await checkOrderEligibility(request.ctx, request.params.storeId, {
        orderNumber: b.order_number, request: actionRequestFromParams(b.action, b.params ?? {}), reasonCodes: actionReasonCodesFromParams(b.params ?? {}), at: b.at ? new Date(b.at) : undefined,
      });
      return presentCheck(answer);
    },
  );

  app.post(
    '/stores/:storeId/policy/check-no-receipt',
    {
      config: { auth: 'agent' },
      schema: {
        tags: ['policies'],
        summary: 'Whether an item may be returned without a receipt, from the customer’s order history, and for how much store credit',
        params: StoreParam,
        body: NoReceiptBody,
        response: { 200: NoReceiptAnswerSchema },
      },
    },
    async (request) => {
      const b = request.body;
      const r = await checkNoReceiptReturn(request.ctx, request.params.storeId, { customerEmail: b.customer_email, sku: b.sku, quantity: b.quantity, at: b.at ? new Date(b.at) : undefined });
      return { store_id: r.store.id, policy_version: r.policyVersion, eligibility: presentEligibility(r.eligibility), found_on: r.eligibility.foundOn };
    },
  );
}
