/**
 * How roles look: label, colour, and what each may do.
 */
import { Badge } from '@mantine/core';
import type { AgentRole } from '../../../api/types';

/** Label, colour and a one-line description of each role. */
export const ROLE_META: Record<AgentRole, { label: string; color: string; description: string }> = {
  agent: { label: 'Agent', color: 'gray', description: 'Works tickets, replies, acts on orders' },
  manager: { label: 'Manager', color: 'blue', description: 'Everything agents do, plus views shared with the whole team' },
  admin: { label: 'Admin', color: 'grape', description: 'Everything, plus settings: mailboxes, stores and agents' },
};

/** A role pill. */
export function RoleBadge({ role }: { role: AgentRole }) {
  const meta = ROLE_META[role] ?? { label: role, color: 'gray' };
  return (
    <Badge size="sm" variant="light" color={meta.color} data-testid="role-badge" data-role={role}>
      {meta.label}
    </Badge>
  );
}
