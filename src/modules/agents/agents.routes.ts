/**
 * HTTP: the team list (for assignee pickers) and agent creation by admins.
 */
import { Type } from '@sinclair/typebox';
import type { App } from '../../http/app.ts';
import { AgentSchema, CreateAgentBody, TeamSchema, presentAgent } from './agents.schema.ts';
import { createAgent, listAgents, listTeams } from './agents.service.ts';

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

  app.get(
    '/teams',
    { config: { auth: 'agent' }, schema: { tags: ['agents'], summary: 'All teams', response: { 200: Type.Object({ items: Type.Array(TeamSchema) }) } } },
    async (request) => ({ items: await listTeams(request.ctx) }),
  );
}
