import { Alert, Loader, Modal } from '@mantine/core';
import { RunJobDialog } from '@/components/RunJobDialog';
import { initialParameterValues, jobParams, type ParameterValue } from '@/lib/jobParameters';
import { errorMessage } from '@/lib/notify';
import { valuesFromRun } from '@/lib/runJob';
import { useRunJob } from '../api/run';
import type { RunDetail } from '../api/runView';

/**
 * Run again…: the job's run dialog, prefilled from this run (its parameters, its targets), to change either before
 * starting. Secret values are never shown again, so those fields start empty.
 */
export function RunAgainDialog({ doc, onClose }: { doc: RunDetail; onClose: () => void }) {
  const job = useRunJob(doc.jobId);
  if (!job.data)
    return (
      <Modal opened onClose={onClose} title={`Run ${doc.jobName} again`} centered>
        {job.isError ? <Alert color="red">{errorMessage(job.error)}</Alert> : <Loader size="sm" />}
      </Modal>
    );
  const params = jobParams(job.data);
  const secrets = new Set(params.filter((p) => p.type === 'secret').map((p) => p.name));
  const types = new Map(params.map((p) => [p.name, p.type]));
  const values = valuesFromRun<ParameterValue>(initialParameterValues(params), doc.parameters, secrets, (name, v) => {
    const type = types.get(name);
    if (type === 'bool') return v === true || v === 'true';
    if (type === 'int') return v === null || v === '' ? '' : Number(v);
    return v == null ? '' : String(v);
  });
  return (
    <RunJobDialog
      job={job.data}
      onClose={onClose}
      title={`Run ${doc.jobName} again`}
      initialValues={values}
      initialTargets={doc.targets.map((t) => ({ id: t.targetId, name: t.targetName, hostname: t.hostname }))}
      note={`Prefilled from run #${doc.id}: change the parameters or the targets, then start.${secrets.size ? ' Secret values are not shown again: enter them.' : ''}`}
    />
  );
}
