/**
 * Lets only agents with enough authority into a page (admin settings); everyone else is told
 * why and sent back. The server checks the role on every call as well.
 */
import { Button } from '@mantine/core';
import { IconShieldLock } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import type { Agent, AgentRole } from '../../../api/types';
import { EmptyState } from '../../../ui/states';
import { INBOX_PATH } from '../../views/builtin-views';
import { useMe } from '../hooks/use-session';

const RANK: Record<AgentRole, number> = { agent: 0, manager: 1, admin: 2 };

/** Whether the agent has at least `role`. */
export function hasRole(agent: Pick<Agent, 'role'>, role: AgentRole): boolean {
  return (RANK[agent.role] ?? 0) >= RANK[role];
}

/** Renders children for agents with at least `role`. */
export function RequireRole({ role, children }: { role: AgentRole; children: ReactNode }) {
  const me = useMe();
  if (!hasRole(me, role)) {
    return (
      <EmptyState
        icon={<IconShieldLock size={26} stroke={1.5} />}
        title={role === 'admin' ? 'Only admins can open settings' : 'You are not allowed to open this page'}
        description="Ask an admin of your storedesk if you need a change here."
        action={
          <Button component={Link} to={INBOX_PATH} variant="light">
            Back to the inbox
          </Button>
        }
      />
    );
  }
  return children;
}
