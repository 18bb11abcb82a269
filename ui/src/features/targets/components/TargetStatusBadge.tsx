import { Badge } from '@mantine/core';

const COLORS: Record<string, string> = {
  healthy: 'teal',
  unknown: 'gray',
  unreachable: 'red',
  auth_failed: 'orange',
  host_key_mismatch: 'grape',
  host_key_unconfirmed: 'yellow',
};

export function TargetStatusBadge({ status }: { status: string }) {
  return (
    <Badge color={COLORS[status] ?? 'gray'} variant="light">
      {status.replaceAll('_', ' ')}
    </Badge>
  );
}
