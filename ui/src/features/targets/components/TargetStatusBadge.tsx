import { StatusBadge } from '@/components/StatusBadge';

/** A target's status; the colours are the shared ones in lib/statusColors.ts. */
export function TargetStatusBadge({ status }: { status: string }) {
  return <StatusBadge status={status} />;
}
