/**
 * Approvals: actions above an agent's authority, waiting for a manager (oldest first), each
 * decided in one click; decided ones under their own tab.
 */
import { SegmentedControl, Stack } from '@mantine/core';
import { IconChecklist } from '@tabler/icons-react';
import { useState } from 'react';
import type { Approval } from '../features/authority/api/authority.api';
import { ApprovalCard } from '../features/authority/components/approval-card';
import { useApprovals } from '../features/authority/hooks/use-authority';
import { PageHeader } from '../ui/page-header';
import { EmptyState, ErrorState, ListSkeleton, StaleDataNotice } from '../ui/states';

export default function ApprovalsRoute() {
  const [status, setStatus] = useState<Approval['status']>('pending');
  const approvals = useApprovals(status);
  let body;
  if (approvals.isPending) body = <ListSkeleton rows={4} height={96} />;
  else if (approvals.isLoadingError) body = <ErrorState error={approvals.error} title="Could not load approvals" onRetry={() => void approvals.refetch()} />;
  else if (approvals.data.items.length === 0)
    body = (
      <EmptyState
        icon={<IconChecklist size={26} stroke={1.5} />}
        title={status === 'pending' ? 'Nothing waits for approval' : `No ${status} requests yet`}
        description={status === 'pending' ? 'Requests above an agent’s authority appear here.' : undefined}
      />
    );
  else body = <Stack gap="sm">{approvals.data.items.map((a) => <ApprovalCard key={a.id} approval={a} />)}</Stack>;
  return (
    <Stack p="lg" gap="lg" maw={980} data-testid="approvals-page">
      <PageHeader
        title="Approvals"
        description="Refunds, discounts, store credit and replacements above an agent’s authority. Approving runs the action once, recorded as the agent’s, approved by you."
        actions={
          <SegmentedControl
            size="xs"
            value={status}
            onChange={(v) => setStatus(v === 'approved' || v === 'refused' ? v : 'pending')}
            data={[
              { value: 'pending', label: 'Waiting' },
              { value: 'approved', label: 'Approved' },
              { value: 'refused', label: 'Refused' },
            ]}
          />
        }
      />
      <StaleDataNotice query={approvals} what="the approvals" />
      {body}
    </Stack>
  );
}
