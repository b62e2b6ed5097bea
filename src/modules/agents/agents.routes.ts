/**
 * HTTP: the team list (for assignee pickers), and agents created and changed by admins.
 */
import { Type } from '@sinclair/typebox';
import type { App } from '../../http/app.ts';
import { AgentSchema, CreateAgentBody, PatchAgentBody, TeamSchema, presentAgent } from './agents.schema.ts';
import { createAgent, listAgents, listTeams, updateAgent } from './agents.service.ts';

export async function agentsRoutes(app: App) {
  app.get(
    '/agents',
    { config: { auth: 'agent' }, schema: { tags: ['agents'], summary: 'All agents', response: { 200: Type.Object({ items: Type.Array(AgentSchema) }) } } },
    async (request) => ({ items: (await listAgents(request.ctx)).map(presentAgent) }),
  );

  app.post(
    '/agents',
    { config: { auth: 'admin' }, schema: { tags: ['agents'], summary: 'Create an agent (admins only)', body: CreateAgentBody, response: { 201: AgentSchema } } },
    async (request, reply) => reply.status(201).send(presentAgent(await createAgent(request.ctx, request.body))),
  );

  app.patch(
    '/agents/:id',
    {
      config: { auth: 'admin' },
      schema: {
        tags: ['agents'],
        summary: 'Change an agent’s name, role, teams or password, or deactivate them (admins only; the last admin stays)',
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
        body: PatchAgentBody,
        response: { 200: AgentSchema },
      },
    },
    async (request) => {
      const b = request.body;
      return presentAgent(await updateAgent(request.ctx, request.params.id, { name: b.name, role: b.role, isActive: b.is_active, password: b.password, teamIds: b.team_ids }));
    },
  );

  app.get(
    '/teams',
    { config: { auth: 'agent' }, schema: { tags: ['agents'], summary: 'All teams', response: { 200: Type.Object({ items: Type.Array(TeamSchema) }) } } },
    async (request) => ({ items: await listTeams(request.ctx) }),
  );
}
