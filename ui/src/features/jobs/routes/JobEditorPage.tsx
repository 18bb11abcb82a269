import {
  ActionIcon,
  Alert,
  Anchor,
  Badge,
  Button,
  Card,
  Checkbox,
  Fieldset,
  Group,
  MultiSelect,
  NumberInput,
  Select,
  SimpleGrid,
  Skeleton,
  Stack,
  Switch,
  Table,
  TagsInput,
  Text,
  TextInput,
  Textarea,
  Title,
  Tooltip,
  Modal,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconArrowLeft, IconDownload, IconPlayerPlay, IconPlus, IconTrash } from '@tabler/icons-react';
import { useEffect, useRef, useState } from 'react';
import { Link, useBlocker, useNavigate, useParams } from 'react-router-dom';
import { ErrorState } from '@/components/ErrorState';
import { RunJobDialog } from '@/components/RunJobDialog';
import { NeedsRole } from '@/components/NeedsRole';
import { StatusBadge } from '@/components/StatusBadge';
import { FormErrorAlert } from '@/components/FormErrorAlert';
import { setServerErrors } from '@/lib/forms/serverErrors';
import { useCan, useSession } from '@/lib/auth/useSession';
import { intOrAsTyped } from '@/lib/jobParameters';
import { notifyError, notifySuccess } from '@/lib/notify';
import {
  downloadText,
  exportJob,
  jobParams,
  NOTIFICATION_EVENT_OPTIONS,
  PARAMETER_TYPES,
  STEP_TYPE_OPTIONS,
  useCreateJob,
  useJob,
  useTargetOptions,
  useTargetPreview,
  useUpdateJob,
  type Job,
  type JobInput,
  type NotificationEvent,
  type ParameterType,
  type StepType,
} from '../api/jobs';
import { blackoutText, runBlockedReason } from '../api/runBlocked';
import { JobSchedules } from '../components/JobSchedules';
import { ScriptEditor } from '../components/ScriptEditor';

type ParamRow = { name: string; type: ParameterType; required: boolean; default: string; choices: string[]; description: string };
type RuleRow = { on: NotificationEvent | null; recipients: string[] };
type StepRow = { name: string; type: StepType; script: string; timeoutSeconds: number | string; continueOnError: boolean; retries: number | string };
type Values = {
  name: string;
  description: string;
  parameters: ParamRow[];
  steps: StepRow[];
  targetIds: string[];
  tags: string[];
  maxParallelTargets: number | string;
  allowConcurrentRuns: boolean;
  retries: number | string;
  retryBackoffSeconds: number | string;
  notifications: RuleRow[];
};

// `notifications[0].recipients[1]` is shown on rule 1's recipients box.
const ERROR_MAPPING = { listFields: ['recipients'] } as const;
const PARAM_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const newStep = (): StepRow => ({ name: '', type: 'shell_script', script: '', timeoutSeconds: '', continueOnError: false, retries: 0 });
const num = (v: number | string): number | null => (v === '' || v === null || v === undefined ? null : Number(v));

function initialValues(job: Job | undefined): Values {
  return {
    name: job?.name ?? '',
    description: job?.description ?? '',
    parameters: job
      ? jobParams(job).map((p) => ({
          name: p.name,
          type: p.type,
          required: p.required,
          default: p.type === 'secret' || p.default == null ? '' : String(p.default),
          choices: p.choices ?? [],
          description: p.description ?? '',
        }))
      : [],
    steps: job?.steps?.length
      ? job.steps.map((s) => ({
          name: s.name ?? '',
          type: s.type ?? 'command',
          script: s.script ?? '',
          timeoutSeconds: s.timeoutSeconds ?? '',
          continueOnError: !!s.continueOnError,
          retries: s.retries ?? 0,
        }))
      : [newStep()],
    targetIds: (job?.targets?.targetIds ?? []).map(String),
    tags: job?.targets?.tags ?? [],
    maxParallelTargets: job?.maxParallelTargets ?? '',
    allowConcurrentRuns: job?.allowConcurrentRuns ?? true,
    retries: job?.retries ?? 0,
    retryBackoffSeconds: job?.retryBackoffSeconds ?? 10,
    notifications: (job?.notifications ?? []).map((n) => ({ on: n.on ?? null, recipients: [...(n.recipients ?? [])] })),
  };
}

export function toJobInput(values: Values): JobInput {
  return {
    name: values.name.trim(),
    description: values.description.trim() || null,
    parameters: values.parameters.map((p) => ({
      name: p.name,
      type: p.type,
      required: p.required,
      description: p.description.trim() || null,
      default: p.default === '' || p.type === 'secret' ? null : p.type === 'int' ? intOrAsTyped(p.default) : p.type === 'bool' ? p.default === 'true' : p.default,
      choices: p.type === 'choice' ? p.choices : null,
    })),
    steps: values.steps.map((s) => ({
      name: s.name.trim(),
      type: s.type,
      script: s.script,
      timeoutSeconds: num(s.timeoutSeconds),
      continueOnError: s.continueOnError,
      retries: num(s.retries) ?? 0,
    })),
    targets: { targetIds: values.targetIds.map(Number), tags: values.tags },
    maxParallelTargets: num(values.maxParallelTargets),
    allowConcurrentRuns: values.allowConcurrentRuns,
    retries: num(values.retries) ?? 0,
    retryBackoffSeconds: num(values.retryBackoffSeconds) ?? 10,
    notifications: values.notifications.map((n) => ({ on: n.on, recipients: n.recipients })),
  };
}

function TargetPreview({ targetIds, tags }: { targetIds: string[]; tags: string[] }) {
  const preview = useTargetPreview(targetIds.map(Number), tags);
  if (!targetIds.length && !tags.length) return <Text size="sm" c="dimmed">No targets selected yet.</Text>;
  if (preview.isPending) return <Skeleton height={60} />;
  if (preview.isError) return <ErrorState error={preview.error} onRetry={() => preview.refetch()} />;
  return (
    <div data-testid="target-preview">
      <Text size="sm" fw={500} mb={4}>
        {preview.data.length} matching target{preview.data.length === 1 ? '' : 's'}
      </Text>
      {preview.data.length > 0 && (
        <Table withTableBorder striped fz="sm">
          <Table.Tbody>
            {preview.data.map((t) => (
              <Table.Tr key={t.id}>
                <Table.Td fw={600}>{t.name}</Table.Td>
                <Table.Td ff="monospace">{t.hostname}</Table.Td>
                <Table.Td>
                  <StatusBadge status={t.status} size="sm" />
                </Table.Td>
                <Table.Td>{t.tags.join(', ')}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </div>
  );
}

function JobForm({ job }: { job?: Job }) {
  const navigate = useNavigate();
  const canWrite = useCan('jobs:write');
  const canRun = useCan('jobs:run');
  const canOverrideBlackout = useSession().user?.role === 'admin';
  const editing = !!job;
  const create = useCreateJob();
  const update = useUpdateJob();
  const mutation = editing ? update : create;
  const targets = useTargetOptions();
  const [running, setRunning] = useState(false);
  const form = useForm<Values>({
    initialValues: initialValues(job),
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
      notifications: {
        on: (v) => (v ? null : 'Pick an event'),
        recipients: (v) => (v.length ? null : 'Add at least one recipient'),
      },
    },
  });
  const v = form.values;
  const dirty = form.isDirty();
  const saved = useTargetPreview((job?.targets?.targetIds ?? []).map(Number), job?.targets?.tags ?? []);
  const blackout = job?.activeBlackout ?? null;
  const runBlocked = runBlockedReason({
    canRun,
    dirty,
    targetCount: saved.data ? saved.data.length : null,
    blackout,
    canOverrideBlackout: canOverrideBlackout,
  });

  // Unsaved edits are not lost without a word: leaving the page asks, closing the tab makes the browser ask.
  const leaving = useRef(false);
  const blocker = useBlocker(({ currentLocation, nextLocation }) => canWrite && dirty && !leaving.current && currentLocation.pathname !== nextLocation.pathname);
  useEffect(() => {
    if (!dirty || !canWrite) return;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty, canWrite]);

  const submit = form.onSubmit((values) => {
    const body = toJobInput(values);
    const opts = {
      onSuccess: (saved: Job) => {
        notifySuccess(editing ? `Saved ${saved.name}` : `Created ${saved.name}`);
        form.resetDirty();
        leaving.current = !editing;
        if (!editing) navigate(`/jobs/${saved.id}`, { replace: true });
      },
      onError: setServerErrors(form, ERROR_MAPPING),
    };
    if (editing) update.mutate({ id: job.id, body }, opts);
    else create.mutate(body, opts);
  });

  const download = async () => {
    if (!job) return;
    try {
      downloadText(`${job.name.replace(/[^A-Za-z0-9._-]+/g, '-')}.yaml`, await exportJob(job.id));
    } catch (e) {
      notifyError(e, 'Could not export');
    }
  };

  // The run modal stays outside the <form>: React events bubble through portals, and its submit would save the job.
  return (
    <>
    <form onSubmit={submit} noValidate>
      <Group justify="space-between" align="flex-end" mb="lg">
        <div>
          <Anchor component={Link} to="/jobs" size="sm">
            <Group gap={4}>
              <IconArrowLeft size={14} /> All jobs
            </Group>
          </Anchor>
          <Title order={2} mt={4}>
            {editing ? job.name : 'New job'}
          </Title>
        </div>
        <Group gap="xs">
          {editing && (
            <Button variant="default" leftSection={<IconDownload size={16} />} onClick={download}>
              Export YAML
            </Button>
          )}
          {editing && (
            <Tooltip label={runBlocked} disabled={!runBlocked} multiline w={260} withArrow>
              {/* A disabled button gets no pointer events: the wrapper carries the tooltip. */}
              <span data-testid="run-button-wrapper">
                <Button variant="light" color="teal" leftSection={<IconPlayerPlay size={16} />} onClick={() => setRunning(true)} disabled={!!runBlocked}>
                  Run
                </Button>
              </span>
            </Tooltip>
          )}
          {canWrite && (
            <Button type="submit" loading={mutation.isPending}>
              {editing ? 'Save' : 'Create job'}
            </Button>
          )}
        </Group>
      </Group>
      <fieldset disabled={!canWrite} style={{ border: 0, padding: 0, margin: 0 }}>
        <Stack gap="md">
          {!canWrite && <Alert color="gray">You can view this job but not change it.</Alert>}
          {blackout && (
            <Alert color="orange" title="Blackout window in force" data-testid="job-blackout">
              {blackoutText(blackout)}
              {canOverrideBlackout ? ' As an admin you may override it in the run dialog.' : ''}
            </Alert>
          )}
          {mutation.isError && <FormErrorAlert error={mutation.error} values={v} mapping={ERROR_MAPPING} />}
          <Card withBorder>
            <Stack gap="sm">
              <TextInput label="Name" required {...form.getInputProps('name')} />
              <Textarea label="Description" autosize minRows={1} {...form.getInputProps('description')} />
              <SimpleGrid cols={{ base: 1, sm: 2, md: 4 }}>
                <NumberInput clampBehavior="none" label="Max parallel targets" placeholder="no limit" min={1} allowDecimal={false} {...form.getInputProps('maxParallelTargets')} />
                <NumberInput clampBehavior="none" label="Retries per target" min={0} allowDecimal={false} {...form.getInputProps('retries')} />
                <NumberInput clampBehavior="none" label="Retry backoff (s)" min={0} allowDecimal={false} {...form.getInputProps('retryBackoffSeconds')} />
                <Switch mt={28} label="Allow concurrent runs" {...form.getInputProps('allowConcurrentRuns', { type: 'checkbox' })} />
              </SimpleGrid>
            </Stack>
          </Card>

          <Fieldset legend="Parameters">
            <Stack gap="xs">
              <Text size="xs" c="dimmed">
                Use them in scripts as {'{{name}}'}, bare or inside quotes, heredocs and $( ): the value arrives as it is and never runs as
                code. Saving refuses the few places that cannot take a value safely and says why.
              </Text>
              {v.parameters.map((p, i) => (
                <Group key={i} align="flex-start" gap="xs" wrap="wrap">
                  <TextInput placeholder="name" aria-label={`Parameter ${i + 1} name`} w={150} {...form.getInputProps(`parameters.${i}.name`)} />
                  <Select aria-label={`Parameter ${i + 1} type`} w={110} data={[...PARAMETER_TYPES]} allowDeselect={false} {...form.getInputProps(`parameters.${i}.type`)} />
                  {p.type === 'choice' ? (
                    <TagsInput placeholder="choices" aria-label={`Parameter ${i + 1} choices`} style={{ flex: 1, minWidth: 160 }} {...form.getInputProps(`parameters.${i}.choices`)} />
                  ) : p.type === 'bool' ? (
                    <Select aria-label={`Parameter ${i + 1} default`} placeholder="default" w={140} data={['true', 'false']} {...form.getInputProps(`parameters.${i}.default`)} />
                  ) : p.type !== 'secret' ? (
                    <TextInput placeholder="default" aria-label={`Parameter ${i + 1} default`} style={{ flex: 1, minWidth: 140 }} {...form.getInputProps(`parameters.${i}.default`)} />
                  ) : (
                    <Text size="xs" c="dimmed" style={{ flex: 1 }} pt={8}>
                      Secrets have no stored default and are masked in runs.
                    </Text>
                  )}
                  <TextInput placeholder="description" aria-label={`Parameter ${i + 1} description`} style={{ flex: 1, minWidth: 140 }} {...form.getInputProps(`parameters.${i}.description`)} />
                  <Checkbox label="required" mt={8} {...form.getInputProps(`parameters.${i}.required`, { type: 'checkbox' })} />
                  {canWrite && (
                    <ActionIcon variant="subtle" color="red" mt={4} aria-label={`Remove parameter ${i + 1}`} onClick={() => form.removeListItem('parameters', i)}>
                      <IconTrash size={16} />
                    </ActionIcon>
                  )}
                </Group>
              ))}
              {canWrite && (
                <Group>
                  <Button
                    size="xs"
                    variant="light"
                    leftSection={<IconPlus size={14} />}
                    onClick={() => form.insertListItem('parameters', { name: '', type: 'string', required: false, default: '', choices: [], description: '' })}
                  >
                    Add parameter
                  </Button>
                </Group>
              )}
            </Stack>
          </Fieldset>

          <Fieldset legend="Steps">
            <Stack gap="sm">
              {v.steps.map((s, i) => (
                <Card key={i} withBorder padding="sm">
                  <Stack gap="xs">
                    <Group align="flex-start" gap="xs">
                      <Badge variant="light" mt={32}>
                        {i + 1}
                      </Badge>
                      <TextInput label="Name" placeholder="Step name" aria-label={`Step ${i + 1} name`} style={{ flex: 1 }} {...form.getInputProps(`steps.${i}.name`)} />
                      <Select label="Type" aria-label={`Step ${i + 1} type`} w={150} data={STEP_TYPE_OPTIONS} allowDeselect={false} {...form.getInputProps(`steps.${i}.type`)} />
                      <NumberInput clampBehavior="none" label="Timeout (s)" aria-label={`Step ${i + 1} timeout (seconds)`} placeholder="default" w={110} min={1} allowDecimal={false} {...form.getInputProps(`steps.${i}.timeoutSeconds`)} />
                      <NumberInput clampBehavior="none" label="Retries" aria-label={`Step ${i + 1} retries`} placeholder="0" w={90} min={0} allowDecimal={false} {...form.getInputProps(`steps.${i}.retries`)} />
                      {canWrite && (
                        <ActionIcon variant="subtle" color="red" mt={28} aria-label={`Remove step ${i + 1}`} disabled={v.steps.length === 1} onClick={() => form.removeListItem('steps', i)}>
                          <IconTrash size={16} />
                        </ActionIcon>
                      )}
                    </Group>
                    <ScriptEditor
                      label={`Step ${i + 1} script`}
                      type={s.type}
                      value={s.script}
                      readOnly={!canWrite}
                      error={form.errors[`steps.${i}.script`] as string | undefined}
                      onChange={(val) => form.setFieldValue(`steps.${i}.script`, val)}
                    />
                    <Checkbox label="Continue with the next step if this one fails" {...form.getInputProps(`steps.${i}.continueOnError`, { type: 'checkbox' })} />
                  </Stack>
                </Card>
              ))}
              {canWrite && (
                <Group>
                  <Button size="xs" variant="light" leftSection={<IconPlus size={14} />} onClick={() => form.insertListItem('steps', newStep())}>
                    Add step
                  </Button>
                </Group>
              )}
            </Stack>
          </Fieldset>

          <Fieldset legend="Targets">
            <Stack gap="sm">
              <SimpleGrid cols={{ base: 1, md: 2 }}>
                <MultiSelect
                  label="Targets"
                  searchable
                  placeholder={targets.isPending ? 'Loading…' : 'Pick targets'}
                  data={targets.data ?? []}
                  {...form.getInputProps('targetIds')}
                />
                <TagsInput label="…and every target tagged" placeholder="Type a tag and press Enter" {...form.getInputProps('tags')} />
              </SimpleGrid>
              <TargetPreview targetIds={v.targetIds} tags={v.tags} />
            </Stack>
          </Fieldset>

          <Fieldset legend="Notifications">
            <Stack gap="xs">
              <Text size="xs" c="dimmed">
                Email these recipients when a run of this job reaches the event (the default rule, set by admins, applies as well).
              </Text>
              {v.notifications.map((_, i) => (
                <Group key={i} align="flex-start" gap="xs" wrap="wrap" data-testid={`notification-rule-${i}`}>
                  <Select
                    aria-label={`Rule ${i + 1} event`}
                    placeholder="event"
                    w={150}
                    data={NOTIFICATION_EVENT_OPTIONS}
                    allowDeselect={false}
                    {...form.getInputProps(`notifications.${i}.on`)}
                  />
                  <TagsInput
                    aria-label={`Rule ${i + 1} recipients`}
                    placeholder="ops@example.com, press Enter"
                    splitChars={[',', ' ', ';']}
                    style={{ flex: 1, minWidth: 240 }}
                    {...form.getInputProps(`notifications.${i}.recipients`)}
                  />
                  {canWrite && (
                    <ActionIcon variant="subtle" color="red" mt={4} aria-label={`Remove rule ${i + 1}`} onClick={() => form.removeListItem('notifications', i)}>
                      <IconTrash size={16} />
                    </ActionIcon>
                  )}
                </Group>
              ))}
              {v.notifications.length === 0 && (
                <Text size="sm" c="dimmed">
                  No rules of its own.
                </Text>
              )}
              {canWrite && (
                <Group>
                  <Button
                    size="xs"
                    variant="light"
                    leftSection={<IconPlus size={14} />}
                    onClick={() => form.insertListItem('notifications', { on: 'failed', recipients: [] } satisfies RuleRow)}
                  >
                    Add rule
                  </Button>
                </Group>
              )}
            </Stack>
          </Fieldset>
        </Stack>
      </fieldset>
    </form>
    {editing && <JobSchedules jobId={job.id} />}
    {running && job && <RunJobDialog job={job} onClose={() => setRunning(false)} />}
    <Modal opened={blocker.state === 'blocked'} onClose={() => blocker.reset?.()} title="Discard unsaved changes?" centered>
      <Stack gap="sm">
        <Text size="sm">This job has changes that are not saved. Leaving the page discards them.</Text>
        <Group justify="flex-end">
          <Button variant="default" onClick={() => blocker.reset?.()}>
            Keep editing
          </Button>
          <Button color="red" onClick={() => blocker.proceed?.()}>
            Discard changes
          </Button>
        </Group>
      </Stack>
    </Modal>
    </>
  );
}

export default function JobEditorPage() {
  const { id } = useParams();
  const jobId = id && id !== 'new' ? Number(id) : null;
  const job = useJob(jobId);
  const canWrite = useCan('jobs:write');
  if (jobId == null) return canWrite ? <JobForm /> : <NeedsRole what="create jobs" back="/jobs" />;
  if (job.isPending) return <Skeleton height={300} />;
  if (job.isError) return <ErrorState error={job.error} onRetry={() => job.refetch()} />;
  return <JobForm key={`${job.data.id}-${job.data.updatedAt}`} job={job.data} />;
}
