import { RunJobDialog } from '@/components/RunJobDialog';
import type { Job } from '../api/jobs';

/** The job's run dialog (shared with the run view's Run again…): parameters with their descriptions, and the targets that will run. */
export function RunJobModal({ job, onClose }: { job: Job; onClose: () => void }) {
  return <RunJobDialog job={job} onClose={onClose} />;
}
