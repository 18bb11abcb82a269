import { Button, Divider, Group, Loader, Modal, SegmentedControl, Select, Stack, Switch, TagsInput, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useDebouncedValue } from '@mantine/hooks';
import { useEffect, useMemo, useState } from 'react';
import { ParameterFields } from '@/components/ParameterFields';
import { FormErrorAlert } from '@/components/FormErrorAlert';
import { ApiError, splitFieldErrors } from '@/lib/api/problem';
import { initialParameterValues, jobParams, parameterErrors, toRunParameters, type ParameterValue } from '@/lib/jobParameters';
import { errorMessage, notifySuccess } from '@/lib/notify';
import { describeCron, fromLocalDateTime, timeZones, toLocalDateTime } from '../api/cron';
import { useCreateSchedule, useJobOptions, useScheduleJob, useUnsavedPreview, useUpdateSchedule, type Schedule, type ScheduleInput } from '../api/schedules';
import { FireTimeList } from './FireTimeList';

type Values = { name: string; jobId: string | null; kind: 'cron' | 'once'; cron: string; runAt: string; timezone: string; enabled: boolean; tags: string[] };

/** How long the editor waits after the last keystroke before it asks the server for the next fire times. */
const PREVIEW_DEBOUNCE_MS = 400;
const MASK = '********';

/** Create or edit a schedule: job, its parameter form, cron (explained as you type) or a one-time runAt, zone, live preview. */
export function ScheduleFormModal({ schedule, jobId, onClose }: { schedule?: Schedule; jobId?: number; onClose: () => void }) {
  const create = useCreateSchedule();
  const update = useUpdateSchedule();
  const save = schedule ? update : create;
  const jobs = useJobOptions();
  const zones = useMemo(timeZones, []);
  const form = useForm<Values>({
    initialValues: {
      name: schedule?.name ?? '',
      jobId: schedule ? String(schedule.jobId) : jobId != null ? String(jobId) : null,
      kind: schedule?.runAt ? 'once' : 'cron',
      cron: schedule?.cron ?? '',
      runAt: fromLocalDateTime(schedule?.runAt),
      timezone: schedule?.timezone ?? 'UTC',
      enabled: schedule?.enabled ?? true,
      tags: [...(schedule?.tags ?? [])],
    },
    validate: {
      name: (v) => (v.trim() ? null : 'Name is required'),
      jobId: (v) => (v ? null : 'Pick a job'),
      cron: (v, all) => (all.kind === 'cron' && 'error' in describeCron(v) ? (describeCron(v) as { error: string }).error : null),
      runAt: (v, all) => (all.kind === 'once' && !v ? 'Pick a date and time' : null),
    },
  });
  const pickedJob = form.values.jobId ? Number(form.values.jobId) : null;
  const job = useScheduleJob(pickedJob);
  const params = useMemo(() => (job.data ? jobParams(job.data) : []), [job.data]);

  const paramForm = useForm<Record<string, ParameterValue>>({ initialValues: {}, validate: (values) => parameterErrors(params, values) });
  const [paramsFor, setParamsFor] = useState<number | null>(null);
  useEffect(() => {
    // A new job's defaults, or the saved values when editing the schedule's own job (secrets stay masked: unchanged).
    if (!job.data || paramsFor === job.data.id) return;
    const values = initialParameterValues(params);
    if (schedule && schedule.jobId === job.data.id) {
      for (const p of params) {
        const saved = schedule.parameters?.[p.name] as unknown;
        if (saved === undefined || saved === null) continue;
        values[p.name] = p.type === 'secret' ? '' : p.type === 'bool' ? saved === true : p.type === 'int' ? Number(saved) : String(saved);
      }
    }
    paramForm.setValues(values);
    paramForm.resetDirty(values);
    setParamsFor(job.data.id);
  }, [job.data, params, paramsFor, schedule, paramForm]);

  const v = form.values;
  const cronWords = v.kind === 'cron' && v.cron.trim() ? describeCron(v.cron) : null;
  const previewInput = useMemo<ScheduleInput | null>(() => {
    if (v.kind === 'cron' && (!cronWords || 'error' in cronWords)) return null;
    if (v.kind === 'once' && !v.runAt) return null;
    return {
      name: v.name || 'preview',
      jobId: pickedJob,
      cron: v.kind === 'cron' ? v.cron.trim() : null,
      runAt: v.kind === 'once' ? toLocalDateTime(v.runAt) : null,
      timezone: v.timezone,
      tags: v.tags,
    };
  }, [v.kind, v.cron, v.runAt, v.timezone, v.tags, v.name, pickedJob, cronWords]);
  const [debounced] = useDebouncedValue(previewInput, PREVIEW_DEBOUNCE_MS);
  const preview = useUnsavedPreview(debounced);
  const previewErrors = preview.error instanceof ApiError ? preview.error.fieldErrors : {};

  const submit = form.onSubmit((values) => {
    if (paramForm.validate().hasErrors) return;
    const parameters: Record<string, unknown> = toRunParameters(params, paramForm.values);
    // A secret left empty while editing keeps its saved value.
    if (schedule)
      for (const p of params) if (p.type === 'secret' && !parameters[p.name] && schedule.parameters?.[p.name] !== undefined) parameters[p.name] = MASK;
    const body: ScheduleInput = {
      name: values.name.trim(),
      jobId: Number(values.jobId),
      cron: values.kind === 'cron' ? values.cron.trim() : null,
      runAt: values.kind === 'once' ? toLocalDateTime(values.runAt) : null,
      timezone: values.timezone,
      enabled: values.enabled,
      tags: values.tags,
      parameters: parameters as Record<string, never>,
    };
    const done = {
      onSuccess: () => {
        notifySuccess(schedule ? `Saved ${body.name}` : `Created ${body.name}`);
        onClose();
      },
      onError: (err: unknown) => {
        if (!(err instanceof ApiError)) return;
        // `parameters.count` goes on the parameter form's `count`, the rest on the schedule's own fields.
        const { fields } = splitFieldErrors(err.fieldErrors, { ...form.getValues(), parameters: paramForm.getValues() });
        const top: Record<string, string> = {};
        const nested: Record<string, string> = {};
        for (const [k, msg] of Object.entries(fields)) {
          if (k.startsWith('parameters.')) nested[k.slice('parameters.'.length)] = msg;
          else top[k] = msg;
        }
        form.setErrors(top);
        paramForm.setErrors(nested);
      },
    };
    if (schedule) update.mutate({ id: schedule.id, body }, done);
    else create.mutate(body, done);
  });


  return (
    <Modal opened onClose={onClose} title={schedule ? `Edit ${schedule.name}` : 'New schedule'} size="lg" centered>
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          {save.isError && <FormErrorAlert error={save.error} values={{ ...v, parameters: paramForm.values }} />}
          <TextInput label="Name" required {...form.getInputProps('name')} />
          <Select
            label="Job"
            required
            searchable
            data={jobs.data ?? []}
            placeholder={jobs.isPending ? 'Loading jobs…' : 'Pick a job'}
            {...form.getInputProps('jobId')}
          />
          {pickedJob != null && (
            <>
              <Divider label="Parameters" labelPosition="left" />
              {job.isPending ? <Loader size="sm" /> : <ParameterFields params={params} form={paramForm} secretPlaceholder={schedule ? 'unchanged' : undefined} />}
            </>
          )}
          <Divider label="When" labelPosition="left" />
          <SegmentedControl
            aria-label="Recurring or one-time"
            data={[
              { value: 'cron', label: 'Recurring (cron)' },
              { value: 'once', label: 'One time' },
            ]}
            {...form.getInputProps('kind')}
          />
          {v.kind === 'cron' ? (
            <TextInput
              label="Cron"
              required
              placeholder="30 1 * * *"
              description={
                cronWords && 'text' in cronWords ? (
                  <Text span size="xs" c="teal" data-testid="cron-words">
                    {cronWords.text}
                  </Text>
                ) : (
                  '5 fields (minute hour day month weekday), or 6 with seconds first'
                )
              }
              ff="monospace"
              {...form.getInputProps('cron')}
              error={form.errors.cron ?? (cronWords && 'error' in cronWords ? cronWords.error : undefined) ?? previewErrors.cron}
            />
          ) : (
            <TextInput
              type="datetime-local"
              step={1}
              label="Run at (in the schedule's zone)"
              required
              {...form.getInputProps('runAt')}
              error={form.errors.runAt ?? previewErrors.runAt}
            />
          )}
          <Select
            label="Timezone"
            searchable
            data={zones}
            allowDeselect={false}
            limit={200}
            {...form.getInputProps('timezone')}
            error={form.errors.timezone ?? previewErrors.timezone}
          />
          <TagsInput label="Tags" description="Blackout windows with one of these tags apply to this schedule" {...form.getInputProps('tags')} />
          <Switch label="Enabled" {...form.getInputProps('enabled', { type: 'checkbox' })} />
          <Divider label="Next five fire times" labelPosition="left" />
          {!debounced ? (
            <Text size="sm" c="dimmed">
              Enter a valid {v.kind === 'cron' ? 'cron expression' : 'date and time'} to see when it fires.
            </Text>
          ) : preview.isError ? (
            <Text size="sm" c="red">
              {errorMessage(preview.error)}
            </Text>
          ) : preview.data ? (
            <FireTimeList items={preview.data.items} timezone={preview.data.timezone} testId="schedule-preview" />
          ) : (
            <Loader size="sm" />
          )}
          <Group justify="flex-end" mt="sm">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={save.isPending}>
              {schedule ? 'Save' : 'Create schedule'}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
