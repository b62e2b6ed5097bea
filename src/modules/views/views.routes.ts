/**
 * HTTP: saved views.
 */
import { Type } from '@sinclair/typebox';
import type { App } from '../../http/app.ts';
import { ViewFiltersSchema, createView, deleteView, listViews } from './views.service.ts';

const ViewSchema = Type.Object({ id: Type.String(), name: Type.String(), filters: ViewFiltersSchema, shared: Type.Boolean() });

export async function viewsRoutes(app: App) {
  app.get(
    '/views',
    { config: { auth: 'agent' }, schema: { tags: ['views'], summary: 'My saved views and the shared ones', response: { 200: Type.Object({ items: Type.Array(ViewSchema) }) } } },
    async (request) => ({ items: await listViews(request.ctx) }),
  );
  app.post(
    '/views',
    {
      config: { auth: 'agent' },
      schema: {
        tags: ['views'],
        summary: 'Save a ticket filter as a view (shared views need a manager)',
        body: Type.Object({ name: Type.String({ minLength: 1, maxLength: 100 }), filters: ViewFiltersSchema, shared: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
        response: { 201: ViewSchema },
      },
    },
    async (request, reply) => reply.status(201).send(await createView(request.ctx, request.body)),
  );
  app.delete(
    '/views/:id',
    { config: { auth: 'agent' }, schema: { tags: ['views'], summary: 'Delete a saved view', params: Type.Object({ id: Type.String({ format: 'uuid' }) }) } },
    async (request, reply) => {
      await deleteView(request.ctx, request.params.id);
      return reply.status(204).send();
    },
  );
}
