/**
 * API shapes for agents and teams.
 */
import { Type, type Static } from '@sinclair/typebox';
import type { Agent } from './agents.service.ts';

/** The agent roles, from least to most authority. */
export const RoleSchema = Type.Union([Type.Literal('agent'), Type.Literal('manager'), Type.Literal('admin')]);

/** An agent as the API shows it. */
export const AgentSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  email: Type.String(),
  name: Type.String(),
  role: RoleSchema,
  is_active: Type.Boolean(),
  team_ids: Type.Optional(Type.Array(Type.String())),
});
export type AgentDto = Static<typeof AgentSchema>;

/** Presents an agent in snake_case. */
export function presentAgent(a: Agent): AgentDto {
  return { id: a.id, email: a.email, name: a.name, role: a.role, is_active: a.isActive, ...(a.teamIds ? { team_ids: a.teamIds } : {}) };
}

export const TeamSchema = Type.Object({ id: Type.String(), name: Type.String(), member_count: Type.Number() });

export const CreateAgentBody = Type.Object(
  {
    email: Type.String({ format: 'email', maxLength: 320 }),
    name: Type.Optional(Type.String({ maxLength: 200 })),
    role: RoleSchema,
    password: Type.Optional(Type.String({ minLength: 8, maxLength: 1024 })),
  },
  { additionalProperties: false },
);

export const PatchAgentBody = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    role: Type.Optional(RoleSchema),
    is_active: Type.Optional(Type.Boolean({ description: 'false signs the agent out everywhere and stops their API tokens' })),
    password: Type.Optional(Type.String({ minLength: 8, maxLength: 1024, description: 'A new password; the agent is signed out everywhere' })),
    team_ids: Type.Optional(Type.Array(Type.String({ format: 'uuid' }), { maxItems: 50 })),
  },
  { additionalProperties: false, minProperties: 1 },
);
