import {
  ActionIcon,
  Alert,
  Button,
  Card,
  Checkbox,
  Divider,
  Group,
  Modal,
  MultiSelect,
  NumberInput,
  Select,
  Stack,
  TagsInput,
  Text,
  TextInput,
  Textarea,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { ApiError } from '@/lib/api/problem';
import { errorMessage, notifySuccess } from '@/lib/notify';
import { PARAMETER_TYPES, STEP_TYPES, useCreateJob, useTargetOptions, useUpdateJob, type Job, type JobInput, type ParameterType, type StepType } from '../api/jobs';

type ParamRow = { name: string; type: ParameterType; required: boolean; default: string; choices: string[] };
type StepRow = { name: string; type: StepType; script: string; timeoutSeconds: number | string; continueOnError: boolean };
type Values = { name: string; description: string; parameters: ParamRow[]; steps: StepRow[]; targetIds: string[]; tags: string[]; maxParallelTargets: number | string };

const PARAM_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const newStep = (): StepRow => ({ name: '', type: 'command', script: '', timeoutSeconds: '', continueOnError: false });

export function JobFormModal({ job, onClose }: { job: Job | null; onClose: () => void }) {
  const editing = !!job;
  const create = useCreateJob();
  const update = useUpdateJob();
  const mutation = editing ? update : create;
  const targets = useTargetOptions();
  const form = useForm<Values>({
    initialValues: {
      name: job?.name ?? '',
      description: job?.description ?? '',
      parameters: (job?.parameters ?? []).map((p) => ({ name: p.name, type: p.type, required: p.required, default: p.type === 'secret' || p.default == null ? '' : String(p.default), choices: p.choices ?? [] })),
      steps: job?.steps?.length
        ? job.steps.map((s) => ({ name: s.name, type: s.type, script: s.script, timeoutSeconds: s.timeoutSeconds ?? '', continueOnError: !!s.continueOnError }))
        : [newStep()],
      targetIds: (job?.targets?.targetIds ?? []).map(String),
      tags: job?.targets?.tags ?? [],
      maxParallelTargets: job?.maxParallelTargets ?? '',
    },
    validate: {
      name: (v) => (v.trim() ? null : 'Name is required'),
      parameters: {
        name: (v, values) =>
          !PARAM_NAME.test(v) ? 'Letters, digits and _ only' : values.parameters.filter((p) => p.name === v).length > 1 ? 'Names must be unique' : null,
        choices: (v, values, path) => {
          const i = Number(path.split('.')[1]);
          return values.parameters[i]?.type === 'choice' && v.length === 0 ? 'Add at least one choice' : null;
        },
      },
      steps: {
        name: (v) => (v.trim() ? null : 'Step name is required'),
        script: (v) => (v.trim() ? null : 'Script is required'),
      },
      targetIds: (v, values) => (v.length || values.tags.length ? null : 'Pick targets or tags'),
    },
  });
  const v = form.values;

  const submit = form.onSubmit((values) => {
    const body: JobInput = {
      name: values.name.trim(),
      description: values.description.trim() || undefined,
      parameters: values.parameters.map((p) => ({
        name: p.name,
        type: p.type,
        required: p.required,
        default: p.default === '' || p.type === 'secret' ? undefined : p.type === 'int' ? Number(p.default) : p.type === 'bool' ? p.default === 'true' : p.default,
        choices: p.type === 'choice' ? p.choices : undefined,
      })),
      steps: values.steps.map((s) => ({
        name: s.name.trim(),
        type: s.type,
        script: s.script,
        timeoutSeconds: s.timeoutSeconds === '' ? undefined : Number(s.timeoutSeconds),
        continueOnError: s.continueOnError,
      })),
      targets: { targetIds: values.targetIds, tags: values.tags },
      maxParallelTargets: values.maxParallelTargets === '' ? undefined : Number(values.maxParallelTargets),
    };
    const opts = {
      onSuccess: () => {
        notifySuccess(editing ? `Saved ${body.name}` : `Created ${body.name}`);
        onClose();
      },
      onError: (err: Error) => err instanceof ApiError && form.setErrors(err.fieldErrors),
    };
    if (editing) update.mutate({ id: job.id, body }, opts);
    else create.mutate(body, opts);
  });

  return (
    <Modal opened onClose={onClose} title={editing ? `Edit ${job.name}` : 'New job'} size="xl" centered>
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          {mutation.isError && <Alert color="red">{errorMessage(mutation.error)}</Alert>}
          <TextInput label="Name" required {...form.getInputProps('name')} />
          <Textarea label="Description" autosize minRows={1} {...form.getInputProps('description')} />

          <Divider label="Parameters" labelPosition="left" />
          <Text size="xs" c="dimmed">
            Use them in scripts as {'{{name}}'}; values are always quoted for the target&apos;s shell.
          </Text>
          {v.parameters.map((p, i) => (
            <Group key={i} align="flex-start" gap="xs" wrap="wrap">
              <TextInput placeholder="name" aria-label="Parameter name" w={150} {...form.getInputProps(`parameters.${i}.name`)} />
              <Select aria-label="Parameter type" w={110} data={[...PARAMETER_TYPES]} allowDeselect={false} {...form.getInputProps(`parameters.${i}.type`)} />
              {p.type === 'choice' ? (
                <TagsInput placeholder="choices" aria-label="Choices" style={{ flex: 1, minWidth: 160 }} {...form.getInputProps(`parameters.${i}.choices`)} />
              ) : p.type !== 'secret' ? (
                <TextInput placeholder="default" aria-label="Default value" style={{ flex: 1, minWidth: 140 }} {...form.getInputProps(`parameters.${i}.default`)} />
              ) : (
                <Text size="xs" c="dimmed" style={{ flex: 1 }} pt={8}>
                  Secrets have no stored default.
                </Text>
              )}
              <Checkbox label="required" mt={8} {...form.getInputProps(`parameters.${i}.required`, { type: 'checkbox' })} />
              <ActionIcon variant="subtle" color="red" mt={4} aria-label="Remove parameter" onClick={() => form.removeListItem('parameters', i)}>
                <IconTrash size={16} />
              </ActionIcon>
            </Group>
          ))}
          <Group>
            <Button size="xs" variant="light" leftSection={<IconPlus size={14} />} onClick={() => form.insertListItem('parameters', { name: '', type: 'string', required: false, default: '', choices: [] })}>
              Add parameter
            </Button>
          </Group>

          <Divider label="Steps" labelPosition="left" />
          {v.steps.map((_, i) => (
            <Card key={i} withBorder padding="sm">
              <Stack gap="xs">
                <Group align="flex-start" gap="xs">
                  <TextInput placeholder="Step name" aria-label="Step name" style={{ flex: 1 }} {...form.getInputProps(`steps.${i}.name`)} />
                  <Select aria-label="Step type" w={150} data={[...STEP_TYPES]} allowDeselect={false} {...form.getInputProps(`steps.${i}.type`)} />
                  <NumberInput aria-label="Timeout (seconds)" placeholder="timeout s" w={110} min={1} allowDecimal={false} {...form.getInputProps(`steps.${i}.timeoutSeconds`)} />
                  <ActionIcon variant="subtle" color="red" mt={4} aria-label="Remove step" disabled={v.steps.length === 1} onClick={() => form.removeListItem('steps', i)}>
                    <IconTrash size={16} />
                  </ActionIcon>
                </Group>
                <Textarea
                  aria-label="Script"
                  placeholder="systemctl restart {{service}}"
                  autosize
                  minRows={2}
                  spellCheck={false}
                  styles={{ input: { fontFamily: 'monospace', fontSize: 12 } }}
                  {...form.getInputProps(`steps.${i}.script`)}
                />
                <Checkbox label="Continue with the next step if this one fails" {...form.getInputProps(`steps.${i}.continueOnError`, { type: 'checkbox' })} />
              </Stack>
            </Card>
          ))}
          <Group>
            <Button size="xs" variant="light" leftSection={<IconPlus size={14} />} onClick={() => form.insertListItem('steps', newStep())}>
              Add step
            </Button>
          </Group>

          <Divider label="Targets" labelPosition="left" />
          <MultiSelect
            label="Targets"
            searchable
            placeholder={targets.isPending ? 'Loading…' : 'Pick targets'}
            data={targets.data ?? []}
            {...form.getInputProps('targetIds')}
          />
          <Group grow align="flex-start">
            <TagsInput label="…and every target tagged" placeholder="tag" {...form.getInputProps('tags')} />
            <NumberInput label="Max parallel targets" placeholder="no limit" min={1} allowDecimal={false} {...form.getInputProps('maxParallelTargets')} />
          </Group>
          <Group justify="flex-end" mt="sm">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={mutation.isPending}>
              {editing ? 'Save' : 'Create job'}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
