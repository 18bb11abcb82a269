import { Anchor, Button, Group, Stack, Text } from '@mantine/core';
import { IconCalendarOff, IconPlayerPause, IconPlayerPlay } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import { Link } from 'react-router-dom';
import { ResourceList, type ResourceColumn } from '@/components/ResourceList';
import { deleteAction, editAction, type RowAction } from '@/components/RowActions';
import { StatusBadge } from '@/components/StatusBadge';
import { useCan } from '@/lib/auth/useSession';
import { useListState } from '@/lib/list/useListState';
import { notifyError, notifySuccess } from '@/lib/notify';
import { describeWhen } from '../api/cron';
import { useDeleteSchedule, useJobOptions, usePauseSchedule, useResumeSchedule, useSchedules, type Schedule } from '../api/schedules';
import { NextFire } from '../components/NextFire';
import { ScheduleFormModal } from '../components/ScheduleFormModal';
import { ScheduleState } from '@/components/ScheduleState';

const COLUMNS: ResourceColumn<Schedule>[] = [
  {
    key: 'name',
    header: 'Name',
    cell: (s) => (
      <Stack gap={0}>
        <Anchor component={Link} to={`/schedules/${s.id}`} fw={600} size="sm">
          {s.name}
        </Anchor>
        {s.tags.length > 0 && (
          <Text size="xs" c="dimmed">
            {s.tags.join(', ')}
          </Text>
        )}
      </Stack>
    ),
  },
  {
    key: 'job',
    header: 'Job',
    cell: (s) => (
      <Anchor component={Link} to={`/jobs/${s.jobId}`} size="sm">
        {s.jobName ?? `job ${s.jobId}`}
      </Anchor>
    ),
  },
  {
    key: 'when',
    header: 'When',
    cell: (s) => (
      <Stack gap={0}>
        <Text size="sm">{describeWhen(s)}</Text>
        {s.cron && (
          <Text size="xs" c="dimmed" ff="monospace">
            {s.cron}
          </Text>
        )}
      </Stack>
    ),
  },
  { key: 'timezone', header: 'Timezone', cell: (s) => <Text size="sm">{s.timezone}</Text> },
  { key: 'next', header: 'Next fire', cell: (s) => <NextFire at={s.nextFireAt} /> },
  {
    key: 'last',
    header: 'Last run',
    cell: (s) =>
      s.lastRunId ? (
        <Group gap={6} wrap="nowrap">
          <Anchor component={Link} to={`/runs/${s.lastRunId}`} size="sm">
            #{s.lastRunId}
          </Anchor>
          {s.lastRunStatus && <StatusBadge status={s.lastRunStatus} size="sm" />}
        </Group>
      ) : (
        <Text size="sm">—</Text>
      ),
  },
  { key: 'state', header: 'State', cell: (s) => <ScheduleState schedule={s} /> },
];

type Filters = { jobId: string | null; enabled: string | null; tag: string | null };

export default function SchedulesPage() {
  const canWrite = useCan('schedules:write');
  const list = useListState<Filters>({ jobId: null, enabled: null, tag: null });
  const [editing, setEditing] = useState<Schedule | 'new' | null>(null);
  const schedules = useSchedules(
    {
      page: list.page,
      pageSize: list.pageSize,
      search: list.query || undefined,
      jobId: list.filters.jobId ? Number(list.filters.jobId) : undefined,
      enabled: list.filters.enabled ? list.filters.enabled === 'true' : undefined,
      tag: list.filters.tag ?? undefined,
    },
    10_000,
  );
  // The tag filter offers the tags schedules carry.
  const all = useSchedules({ page: 1, pageSize: 500 });
  const tags = useMemo(() => [...new Set((all.data?.items ?? []).flatMap((s) => s.tags))].sort(), [all.data]);
  const jobs = useJobOptions();
  const del = useDeleteSchedule();
  const pause = usePauseSchedule();
  const resume = useResumeSchedule();

  const toggle = (s: Schedule) => {
    const m = s.paused ? resume : pause;
    m.mutate(s.id, {
      onSuccess: () => notifySuccess(s.paused ? `Resumed ${s.name}` : `Paused ${s.name}`),
      onError: (e) => notifyError(e, s.paused ? 'Could not resume' : 'Could not pause'),
    });
  };

  const actions = (s: Schedule): RowAction[] => [
    {
      key: 'pause',
      label: s.paused ? 'Resume' : 'Pause',
      ariaLabel: `${s.paused ? 'Resume' : 'Pause'} schedule ${s.name}`,
      icon: s.paused ? <IconPlayerPlay size={16} /> : <IconPlayerPause size={16} />,
      color: s.paused ? 'teal' : 'yellow',
      disabled: !s.enabled,
      onClick: () => toggle(s),
    },
    editAction(`schedule ${s.name}`, () => setEditing(s)),
    deleteAction(`schedule ${s.name}`, s.name, (done) => del.mutate(s.id, done)),
  ];

  return (
    <ResourceList
      title="Schedules"
      description="Jobs that run on a cron or once, in any timezone; ordered by next fire time"
      noun={{ one: 'schedule', many: 'schedules' }}
      create={{
        permission: 'schedules:write',
        onClick: () => setEditing('new'),
        before: (
          <Button component={Link} to="/schedules/blackout-windows" variant="default" leftSection={<IconCalendarOff size={16} />}>
            Blackout windows
          </Button>
        ),
      }}
      list={list}
      query={schedules}
      search={{ label: 'Search schedules', placeholder: 'Search schedules' }}
      filters={[
        { key: 'jobId', label: 'Filter by job', placeholder: 'Any job', width: 180, data: jobs.data ?? [] },
        {
          key: 'enabled',
          label: 'Filter by enabled',
          placeholder: 'Enabled or not',
          width: 150,
          data: [
            { value: 'true', label: 'Enabled' },
            { value: 'false', label: 'Disabled' },
          ],
        },
        { key: 'tag', label: 'Filter by tag', placeholder: 'Any tag', width: 150, data: tags },
      ]}
      columns={COLUMNS}
      rowKey={(s) => s.id}
      rowTestId={(s) => `schedule-row-${s.name}`}
      rowActions={canWrite ? actions : undefined}
      actionsWidth={130}
      minWidth={960}
      emptyDescription="Schedules run a job on a cron expression or once at a given time."
    >
      {editing && <ScheduleFormModal schedule={editing === 'new' ? undefined : editing} onClose={() => setEditing(null)} />}
    </ResourceList>
  );
}
