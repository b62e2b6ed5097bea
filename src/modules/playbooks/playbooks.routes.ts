/**
 * HTTP: a store's playbooks (managers edit them), and the playbooks suggested for a ticket's
 * order and problem, with remedies ready for the order action dialog.
 */
import { Type } from '@sinclair/typebox';
import type { App } from '../../http/app.ts';
import { PlaybookBody, PlaybookSchema, SuggestionsSchema, playbookInputFromBody, presentPlaybook, presentSuggestions } from './playbooks.schema.ts';
import { createPlaybook, deletePlaybook, listStorePlaybooks, suggestPlaybooks, updatePlaybook } from './playbooks.service.ts';

const StoreParam = Type.Object({ storeId: Type.String({ format: 'uuid' }) });
const IdParam = Type.Object({ id: Type.String({ format: 'uuid' }) });

export async function playbooksRoutes(app: App) {
  app.get(
    '/stores/:storeId/playbooks',
    {
      config: { auth: 'agent' },
      schema: { tags: ['playbooks'], summary: 'A store’s playbooks: the standard remedy per kind of problem (the defaults until a manager changes them)', params: StoreParam, response: { 200: Type.Object({ items: Type.Array(PlaybookSchema) }) } },
    },
    async (request) => ({ items: (await listStorePlaybooks(request.ctx, request.params.storeId)).map(presentPlaybook) }),
  );

  app.post(
    '/stores/:storeId/playbooks',
    {
      config: { auth: 'manager' },
      schema: { tags: ['playbooks'], summary: 'Add a playbook', params: StoreParam, body: PlaybookBody, response: { 201: PlaybookSchema } },
    },
    async (request, reply) => reply.status(201).send(presentPlaybook(await createPlaybook(request.ctx, request.params.storeId, playbookInputFromBody(request.body)))),
  );

  app.put(
    '/playbooks/:id',
    {
      config: { auth: 'manager' },
      schema: { tags: ['playbooks'], summary: 'Change a playbook', params: IdParam, body: PlaybookBody, response: { 200: PlaybookSchema } },
    },
    async (request) => presentPlaybook(await updatePlaybook(request.ctx, request.params.id, playbookInputFromBody(request.body))),
  );

  app.delete(
    '/playbooks/:id',
    {
      config: { auth: 'manager' },
      schema: { tags: ['playbooks'], summary: 'Remove a playbook (actions taken under it keep their record)', params: IdParam },
    },
    async (request, reply) => {
      await deletePlaybook(request.ctx, request.params.id);
      return reply.status(204).send();
    },
  );

  app.get(
    '/tickets/:id/playbooks',
    {
      config: { auth: 'agent' },
      schema: {
        tags: ['playbooks'],
        summary: 'Playbooks that fit this ticket’s order and problem, best first, with each remedy pre-filled for the order action dialog',
        description: 'The problem is `problem` when given, else read from the ticket’s tags and subject (or a late order). The order is `order_number`, else the ticket’s latest linked order.',
        params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 40, description: 'Ticket id or number' }) }),
        querystring: Type.Object(
          { order_number: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })), problem: Type.Optional(Type.String({ minLength: 1, maxLength: 60 })) },
          { additionalProperties: false },
        ),
        response: { 200: SuggestionsSchema },
      },
    },
    async (request) => presentSuggestions(await suggestPlaybooks(request.ctx, request.params.id, { orderNumber: request.query.order_number, problemKind: request.query.problem })),
  );
}
