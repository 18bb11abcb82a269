import { ActionIcon, Button, Group, Modal, NumberInput, SegmentedControl, Select, Stack, Switch, TagsInput, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { useMemo } from 'react';
import { FormErrorAlert } from '@/components/FormErrorAlert';
import { setServerErrors } from '@/lib/forms/serverErrors';
import { notifySuccess } from '@/lib/notify';
import { describeCron, fromLocalDateTime, timeZones, toLocalDateTime } from '../api/cron';
import { useCreateWindow, useUpdateWindow, type BlackoutWindow, type BlackoutWindowInput } from '../api/schedules';

type Values = {
  name: string;
  kind: 'periods' | 'cron';
  periods: { start: string; end: string }[];
  cron: string;
  durationMinutes: number | string;
  timezone: string;
  tags: string[];
  appliesToManualRuns: boolean;
};

/** Create or edit a blackout window: one-off periods, or a recurring cron start with a duration, in a zone, for tags. */
export function BlackoutWindowModal({ window: w, onClose }: { window?: BlackoutWindow; onClose: () => void }) {
  const create = useCreateWindow();
  const update = useUpdateWindow();
  const save = w ? update : create;
  const zones = useMemo(timeZones, []);
  const form = useForm<Values>({
    initialValues: {
      name: w?.name ?? '',
      kind: w?.cron ? 'cron' : 'periods',
      periods: w?.periods?.length ? w.periods.map((p) => ({ start: fromLocalDateTime(p.start), end: fromLocalDateTime(p.end) })) : [{ start: '', end: '' }],
      cron: w?.cron ?? '',
      durationMinutes: w?.durationMinutes ?? 60,
      timezone: w?.timezone ?? 'UTC',
      tags: [...(w?.tags ?? [])],
      appliesToManualRuns: w?.appliesToManualRuns ?? false,
    },
    validate: {
      name: (v) => (v.trim() ? null : 'Name is required'),
      cron: (v, all) => {
        if (all.kind !== 'cron') return null;
        const d = describeCron(v);
        return 'error' in d ? d.error : null;
      },
    },
  });
  const v = form.values;
  const words = v.kind === 'cron' && v.cron.trim() ? describeCron(v.cron) : null;

  const submit = form.onSubmit((values) => {
    const body: BlackoutWindowInput = {
      name: values.name.trim(),
      timezone: values.timezone,
      tags: values.tags,
      appliesToManualRuns: values.appliesToManualRuns,
      periods: values.kind === 'periods' ? values.periods.map((p) => ({ start: toLocalDateTime(p.start), end: toLocalDateTime(p.end) })) : null,
      cron: values.kind === 'cron' ? values.cron.trim() : null,
      durationMinutes: values.kind === 'cron' ? Number(values.durationMinutes) : null,
    };
    const done = {
      onSuccess: () => {
        notifySuccess(w ? `Saved ${body.name}` : `Created ${body.name}`);
        onClose();
      },
      // "periods[0].end" → the form's "periods.0.end".
      onError: setServerErrors(form),
    };
    if (w) update.mutate({ id: w.id, body }, done);
    else create.mutate(body, done);
  });

  return (
    <Modal opened onClose={onClose} title={w ? `Edit ${w.name}` : 'New blackout window'} size="lg" centered>
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          {save.isError && <FormErrorAlert error={save.error} values={form.values} />}
          <TextInput label="Name" required placeholder="change freeze" {...form.getInputProps('name')} />
          <SegmentedControl
            aria-label="One-off periods or recurring"
            data={[
              { value: 'periods', label: 'One-off periods' },
              { value: 'cron', label: 'Recurring (cron + duration)' },
            ]}
            {...form.getInputProps('kind')}
          />
          {form.errors.periods && (
            <Text size="sm" c="red">
              {form.errors.periods}
            </Text>
          )}
          {v.kind === 'periods' ? (
            <>
              {v.periods.map((_, i) => (
                <Group key={i} align="flex-end" gap="xs" wrap="nowrap">
                  <TextInput type="datetime-local" label={i === 0 ? 'Start' : undefined} aria-label={`Period ${i + 1} start`} style={{ flex: 1 }} {...form.getInputProps(`periods.${i}.start`)} />
                  <TextInput type="datetime-local" label={i === 0 ? 'End (exclusive)' : undefined} aria-label={`Period ${i + 1} end`} style={{ flex: 1 }} {...form.getInputProps(`periods.${i}.end`)} />
                  <ActionIcon variant="subtle" color="red" aria-label={`Remove period ${i + 1}`} disabled={v.periods.length === 1} onClick={() => form.removeListItem('periods', i)} mb={4}>
                    <IconTrash size={16} />
                  </ActionIcon>
                </Group>
              ))}
              <Button variant="subtle" size="xs" leftSection={<IconPlus size={14} />} onClick={() => form.insertListItem('periods', { start: '', end: '' })} w="fit-content">
                Add period
              </Button>
            </>
          ) : (
            <Group align="flex-start" grow>
              <TextInput
                label="Starts at (cron)"
                required
                ff="monospace"
                placeholder="0 8 * * 1-5"
                description={words && 'text' in words ? words.text : '5 fields, or 6 with seconds first'}
                {...form.getInputProps('cron')}
              />
              <NumberInput clampBehavior="none" label="Lasts (minutes)" required min={1} allowDecimal={false} {...form.getInputProps('durationMinutes')} />
            </Group>
          )}
          <Select label="Timezone" searchable data={zones} allowDeselect={false} limit={200} {...form.getInputProps('timezone')} />
          <TagsInput label="Tags" description="Applies to schedules (and jobs) with one of these tags; none: to every schedule" {...form.getInputProps('tags')} />
          <Switch
            label="Also refuse manual runs"
            description="Manual runs of the affected jobs are refused while the window is in force"
            {...form.getInputProps('appliesToManualRuns', { type: 'checkbox' })}
          />
          <Group justify="flex-end" mt="sm">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={save.isPending}>
              {w ? 'Save' : 'Create window'}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
