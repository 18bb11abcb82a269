import { Badge, type MantineSize } from '@mantine/core';

const COLORS: Record<string, string> = { queued: 'gray', running: 'blue', succeeded: 'teal', failed: 'red', cancelled: 'orange', timed_out: 'grape', skipped: 'gray' };

export function RunStatusBadge({ status, size }: { status: string; size?: MantineSize }) {
  return (
    <Badge color={COLORS[status] ?? 'gray'} variant="light" size={size}>
      {status.replaceAll('_', ' ')}
    </Badge>
  );
}
