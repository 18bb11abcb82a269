import type { MantineColor } from '@mantine/core';
import type { components } from '@/lib/api/schema';

export type RunStatus = components['schemas']['RunStatus'];
/** A step's statuses are the run's; `skipped` (never run: an earlier step failed, the run was cancelled or timed out) is only a step's. */
export type StepStatus = RunStatus;
export type TargetStatus = components['schemas']['TargetStatus'];
/** A notification in the history, and each of its delivery attempts (sent or failed). */
export type NotificationStatus = NonNullable<components['schemas']['NotificationStatus']>;
/** What GET /health reports for the service and each of its checks. */
export type ServiceHealth = 'healthy' | 'degraded' | 'unhealthy';
/** An occurrence of a schedule: fired, skipped (blackout), missed, failed or pending. */
export type OccurrenceStatus = components['schemas']['OccurrenceStatus'];
export type Status = StepStatus | TargetStatus | ServiceHealth | OccurrenceStatus | NotificationStatus;

/**
 * The one colour map for every status badge: runs, steps, targets, service health and notifications.
 * Typed as a Record over the generated API enums, so a status the API adds fails the typecheck until it has a colour.
 */
export const STATUS_COLORS: Record<Status, MantineColor> = {
  queued: 'gray',
  running: 'blue',
  succeeded: 'teal',
  failed: 'red',
  cancelled: 'orange',
  timed_out: 'grape',
  skipped: 'gray',
  unknown: 'gray',
  healthy: 'teal',
  unreachable: 'red',
  auth_failed: 'orange',
  host_key_mismatch: 'grape',
  host_key_unconfirmed: 'yellow',
  certificate_rejected: 'grape',
  degraded: 'yellow',
  unhealthy: 'red',
  pending: 'yellow',
  fired: 'teal',
  missed: 'orange',
  sent: 'teal',
};

/** A status the map does not know (an older or newer server) is shown in gray rather than not at all. */
export function statusColor(status: string): MantineColor {
  return (STATUS_COLORS as Record<string, MantineColor>)[status] ?? 'gray';
}

/** `host_key_mismatch` → `host key mismatch`. */
export function statusLabel(status: string): string {
  return status.replaceAll('_', ' ');
}
