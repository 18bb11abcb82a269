import { Badge, type BadgeVariant, type MantineSize } from '@mantine/core';
import { statusColor, statusLabel } from '@/lib/statusColors';

/** A run, step or target status, or a health status, in the colour every page uses for it. */
export function StatusBadge({ status, size, variant = 'light' }: { status: string; size?: MantineSize; variant?: BadgeVariant }) {
  return (
    <Badge color={statusColor(status)} variant={variant} size={size}>
      {statusLabel(status)}
    </Badge>
  );
}
