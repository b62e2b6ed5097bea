/**
 * Unknown addresses inside the workspace.
 */
import { Button } from '@mantine/core';
import { IconMapOff } from '@tabler/icons-react';
import { Link } from 'react-router';
import { INBOX_PATH } from '../features/views/builtin-views';
import { EmptyState } from '../ui/states';

export default function NotFoundRoute() {
  return (
    <EmptyState
      icon={<IconMapOff size={26} stroke={1.5} />}
      title="Page not found"
      description="The address may be mistyped, or the page has moved."
      action={
        <Button component={Link} to={INBOX_PATH} variant="light">
          Back to the inbox
        </Button>
      }
    />
  );
}
