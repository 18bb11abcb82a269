import { Badge } from '@mantine/core';

const COLORS: Record<string, string> = { queued: 'gray', running: 'blue', succeeded: 'teal', failed: 'red', cancelled: 'orange', timed_out: 'grape', skipped: 'gray' };

export function RunStatusBadge({ status }: { status: string }) {
  return (
    <Badge color={COLORS[status] ?? 'gray'} variant="light">
      {status.replaceAll('_', ' ')}
    </Badge>
  );
}
