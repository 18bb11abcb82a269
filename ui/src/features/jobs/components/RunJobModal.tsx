import { Alert, Button, Group, Modal, NumberInput, PasswordInput, Select, Stack, Switch, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useNavigate } from 'react-router-dom';
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
          {start.isError && <Alert color="red">{errorMessage(start.error)}</Alert>}
          {params.length === 0 && (
            <Text size="sm" c="dimmed">
              This job takes no parameters.
            </Text>
          )}
          {params.map((p) => {
            const props = { label: p.name, required: p.required, key: p.name };
            switch (p.type) {
              case 'bool':
                return <Switch {...props} {...form.getInputProps(p.name, { type: 'checkbox' })} />;
              case 'int':
                return <NumberInput {...props} allowDecimal={false} {...form.getInputProps(p.name)} />;
              case 'choice':
                return <Select {...props} data={p.choices ?? []} {...form.getInputProps(p.name)} />;
              case 'secret':
                return <PasswordInput {...props} autoComplete="off" {...form.getInputProps(p.name)} />;
              default:
                return <TextInput {...props} {...form.getInputProps(p.name)} />;
            }
          })}
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
