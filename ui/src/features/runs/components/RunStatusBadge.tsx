import type { MantineSize } from '@mantine/core';
import { StatusBadge } from '@/components/StatusBadge';

/** A run's or a step's status; the colours are the shared ones in lib/statusColors.ts. */
export function RunStatusBadge({ status, size }: { status: string; size?: MantineSize }) {
  return <StatusBadge status={status} size={size} />;
}
