import { Alert, Button, Group, Modal, Stack } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useNavigate } from 'react-router-dom';
import { ParameterFields } from '@/components/ParameterFields';
import { FormErrorAlert } from '@/components/FormErrorAlert';
import { ApiError, type FormErrorMapping } from '@/lib/api/problem';
import { setServerErrors } from '@/lib/forms/serverErrors';
import { errorMessage, notifySuccess } from '@/lib/notify';
import { initialParameterValues, jobParams, parameterErrors, toRunParameters, useStartRun, type Job, type ParameterValue } from '../api/jobs';

/** Parameter errors come back as `parameters.name`; the form is keyed by the parameter's name. */
const RUN_ERROR_MAPPING: FormErrorMapping = { rename: (key) => key.replace(/^parameters\./, '') };

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
        onError: setServerErrors(form, RUN_ERROR_MAPPING),
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
              <FormErrorAlert error={start.error} values={form.values} mapping={RUN_ERROR_MAPPING} />
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
