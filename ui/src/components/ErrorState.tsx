import { Alert, Button, Group } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { ApiError } from '@/lib/api/problem';
import { errorMessage } from '@/lib/notify';

/** Shows a failed query's problem details with a retry button. */
export function ErrorState({ error, onRetry, title }: { error: unknown; onRetry?: () => void; title?: string }) {
  const problemTitle = error instanceof ApiError && error.problem.detail ? error.problem.title : undefined;
  const status = error instanceof ApiError && error.status ? ` (HTTP ${error.status})` : '';
  return (
    <Alert color="red" variant="light" icon={<IconAlertTriangle size={18} />} title={(title ?? problemTitle ?? 'Could not load') + status} role="alert">
      <Group justify="space-between" wrap="nowrap" align="flex-start">
        <span>{errorMessage(error)}</span>
        {onRetry && (
          <Button size="xs" variant="light" color="red" onClick={onRetry}>
            Retry
          </Button>
        )}
      </Group>
    </Alert>
  );
}
