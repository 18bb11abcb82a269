import { Alert, Button, Group, Modal, Stack } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useNavigate } from 'react-router-dom';
import { ParameterFields } from '@/components/ParameterFields';
import { ApiError } from '@/lib/api/problem';
import { errorMessage, notifySuccess } from '@/lib/notify';
import { initialParameterValues, jobParams, parameterErrors, toRunParameters, useStartRun, type Job, type ParameterValue } from '../api/jobs';

export function RunJobModal({ job, onClose }: { job: Job; onClose: () => void }) {
  const navigate = useNavigate();
  const start = useStartRun();
  const params = jobParams(job);
  const form = useForm<Record<string, ParameterValue>>({
    initialValues: initialParameterValues(params),
    validate: (values) => parameterErrors(params, values),
  });
  const submit = form.onSubmit((values) =>
    start.mutate(
      { id: job.id, parameters: toRunParameters(params, values) },
      {
        onSuccess: (run) => {
          notifySuccess(`Started ${job.name}`);
          onClose();
          navigate(`/runs/${encodeURIComponent(String(run.id))}`);
        },
        onError: (err) => {
          if (!(err instanceof ApiError)) return;
          // Parameter errors may come back as `parameters.name`.
          const mapped = Object.fromEntries(Object.entries(err.fieldErrors).map(([k, v]) => [k.replace(/^parameters\./, ''), v]));
          form.setErrors(mapped);
        },
      },
    ),
  );
  return (
    <Modal opened onClose={onClose} title={`Run ${job.name}`} centered>
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          {start.isError &&
            (start.error instanceof ApiError && start.error.status === 409 ? (
              // A blackout window refusing manual runs answers 409 and names itself in the detail.
              <Alert color="orange" title={start.error.problem.title ?? 'Run refused'} data-testid="run-refused">
                {errorMessage(start.error)}
              </Alert>
            ) : (
              <Alert color="red">{errorMessage(start.error)}</Alert>
            ))}
          <ParameterFields params={params} form={form} />
          <Group justify="flex-end" mt="sm">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={start.isPending}>
              Start run
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
