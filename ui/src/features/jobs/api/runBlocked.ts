/**
 * Why the job editor's Run button is disabled, or null when it may run. The first reason that applies is given:
 * the role, then unsaved edits (a run uses the saved job), then targets (null count: not known yet).
 */
export function runBlockedReason({ canRun, dirty, targetCount }: { canRun: boolean; dirty: boolean; targetCount: number | null }): string | null {
  if (!canRun) return 'Running jobs needs the operator role.';
  if (dirty) return 'Save or discard your changes first: a run uses the saved job.';
  if (targetCount === 0) return 'No target matches this job: pick targets or tags that exist.';
  return null;
}
