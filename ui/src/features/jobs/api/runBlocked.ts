import { formatDateTime } from '@/lib/format';

/** The blackout window refusing manual runs of the job now (the job detail's `activeBlackout`). */
export type ActiveBlackout = { name: string; until?: string | null };

/** What a blackout window says on the job page: its name and, when known, when it ends. */
export function blackoutText(blackout: ActiveBlackout): string {
  const until = blackout.until ? ` until ${formatDateTime(blackout.until)}` : '';
  return `The blackout window '${blackout.name}' refuses manual runs of this job${until}.`;
}

/**
 * Why the job editor's Run button is disabled, or null when it may run. The first reason that applies is given:
 * the role, then unsaved edits (a run uses the saved job), then a blackout window (an admin may override it in the
 * run dialog, so it does not disable theirs), then targets (null count: not known yet). Jobs have no enabled flag.
 */
export function runBlockedReason({
  canRun,
  dirty,
  targetCount,
  blackout = null,
  canOverrideBlackout = false,
}: {
  canRun: boolean;
  dirty: boolean;
  targetCount: number | null;
  blackout?: ActiveBlackout | null;
  canOverrideBlackout?: boolean;
}): string | null {
  if (!canRun) return 'Running jobs needs the operator role.';
  if (dirty) return 'Save or discard your changes first: a run uses the saved job.';
  if (blackout && !canOverrideBlackout) return `${blackoutText(blackout)} Only an admin can override it.`;
  if (targetCount === 0) return 'No target matches this job: pick targets or tags that exist.';
  return null;
}
