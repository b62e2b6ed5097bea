/**
 * HTTP: customers, their profile with tickets, changing their name or note, and merging two customers.
 */
import { Type } from '@sinclair/typebox';
import type { App } from '../../http/app.ts';
import { listCustomerTickets } from '../tickets/tickets.service.ts';
import { CustomerListItemSchema, CustomerSchema, ListCustomersQuery, MergeBody, PatchCustomerBody, presentCustomerListItem, presentCustomerProfile } from './customers.schema.ts';
import { getCustomerProfile, listCustomers, mergeCustomers, updateCustomerProfile } from './customers.service.ts';

const IdParam = Type.Object({ id: Type.String({ format: 'uuid' }) });

export async function customersRoutes(app: App) {
  app.get(
    '/customers',
    {
      config: { auth: 'agent' },
      schema: {
        tags: ['customers'],
        summary: 'Find customers by exact email, or by name or identity prefix',
        querystring: ListCustomersQuery,
        response: { 200: Type.Object({ items: Type.Array(CustomerListItemSchema), next_cursor: Type.Union([Type.String(), Type.Null()]) }) },
      },
    },
    async (request) => {
      const page = await listCustomers(request.ctx, { ...request.query, limit: request.query.limit ?? 50 });
      return { items: page.items.map(presentCustomerListItem), next_cursor: page.nextCursor };
    },
  );

  app.get(
    '/customers/:id',
    {
      config: { auth: 'agent' },
      schema: { tags: ['customers'], summary: 'A customer with identities and recent tickets', params: IdParam, response: { 200: CustomerSchema } },
    },
    async (request) => {
      const profile = await getCustomerProfile(request.ctx, request.params.id);
      return presentCustomerProfile(profile, await listCustomerTickets(request.ctx, profile.id));
    },
  );

  app.patch(
    '/customers/:id',
    {
      config: { auth: 'agent' },
      schema: { tags: ['customers'], summary: 'Change a customer’s name or the team’s note about them', params: IdParam, body: PatchCustomerBody, response: { 200: CustomerSchema } },
    },
    async (request) => {
      const profile = await updateCustomerProfile(request.ctx, request.params.id, request.body);
      return presentCustomerProfile(profile, await listCustomerTickets(request.ctx, profile.id));
    },
  );

  app.post(
    '/customers/:id/merge',
    {
      config: { auth: 'agent' },
      schema: {
        tags: ['customers'],
        summary: 'Merge another customer (source_id) into this one: identities and tickets move here',
        params: IdParam,
        body: MergeBody,
        response: { 200: Type.Object({ customer: CustomerSchema }) },
      },
    },
    async (request) => {
      const profile = await mergeCustomers(request.ctx, request.params.id, request.body.source_id);
      return { customer: presentCustomerProfile(profile, await listCustomerTickets(request.ctx, profile.id)) };
    },
  );
}
