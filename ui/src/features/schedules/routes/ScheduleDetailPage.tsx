import { Alert, Anchor, Button, Card, Grid, Group, Skeleton, Stack, Table, Text, Title } from '@mantine/core';
import { IconPencil, IconPlayerPause, IconPlayerPlay } from '@tabler/icons-react';
import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { BackLink } from '@/components/BackLink';
import { EmptyState } from '@/components/EmptyState';
import { ErrorState } from '@/components/ErrorState';
import { Pager } from '@/components/Pager';
import { StatusBadge } from '@/components/StatusBadge';
import { useCan } from '@/lib/auth/useSession';
import { notifyError, notifySuccess } from '@/lib/notify';
import { describeWhen, formatInZone } from '../api/cron';
import { useOccurrences, usePauseSchedule, useResumeSchedule, useSavedPreview, useSchedule, type Occurrence, type Schedule } from '../api/schedules';
import { FireTimeList } from '../components/FireTimeList';
import { NextFire } from '../components/NextFire';
import { ScheduleFormModal } from '../components/ScheduleFormModal';
import { ScheduleState } from '@/components/ScheduleState';

const PAGE_SIZE = 20;

function Fact({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <Stack gap={0}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      {typeof children === 'string' ? <Text size="sm">{children}</Text> : children}
    </Stack>
  );
}

function OccurrenceDetail({ o }: { o: Occurrence }) {
  if (o.runId != null)
    return (
      <Anchor component={Link} to={`/runs/${o.runId}`} size="sm">
        run #{o.runId}
      </Anchor>
    );
  if (o.status === 'skipped') return <Text size="sm">blackout: {o.reason ?? 'a blackout window'}</Text>;
  return <Text size="sm">{o.reason ?? '—'}</Text>;
}

function Occurrences({ schedule }: { schedule: Schedule }) {
  const [page, setPage] = useState(1);
  const q = useOccurrences(schedule.id, page, PAGE_SIZE);
  if (q.isPending) return <Skeleton height={120} />;
  if (q.isError) return <ErrorState error={q.error} onRetry={() => q.refetch()} />;
  if (q.data.items.length === 0) return <EmptyState title="No occurrences yet" description="Each time the schedule comes due it is recorded here." />;
  return (
    <>
      <Table striped fz="sm" data-testid="occurrences">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Due (UTC)</Table.Th>
            <Table.Th>In {schedule.timezone}</Table.Th>
            <Table.Th>Outcome</Table.Th>
            <Table.Th>Run or reason</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {q.data.items.map((o) => (
            <Table.Tr key={o.id} data-status={o.status}>
              <Table.Td ff="monospace" style={{ whiteSpace: 'nowrap' }}>{formatInZone(o.scheduledFor, 'UTC')}</Table.Td>
              <Table.Td ff="monospace" style={{ whiteSpace: 'nowrap' }}>{formatInZone(o.scheduledFor, schedule.timezone)}</Table.Td>
              <Table.Td>
                <StatusBadge status={o.status} size="sm" />
              </Table.Td>
              <Table.Td>
                <OccurrenceDetail o={o} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Pager page={page} pageSize={PAGE_SIZE} total={q.data.total} onChange={setPage} />
    </>
  );
}

/** A schedule: its facts, pause/resume and edit, the coming fire times (skipped ones marked) and every occurrence so far. */
export default function ScheduleDetailPage() {
  const id = Number(useParams().id);
  const schedule = useSchedule(id);
  const preview = useSavedPreview(id, 10);
  const canWrite = useCan('schedules:write');
  const pause = usePauseSchedule();
  const resume = useResumeSchedule();
  const [editing, setEditing] = useState(false);

  const back = (
    <BackLink to="/schedules">All schedules</BackLink>
  );
  if (schedule.isPending)
    return (
      <Stack>
        {back}
        <Skeleton height={160} />
      </Stack>
    );
  if (schedule.isError)
    return (
      <Stack>
        {back}
        <ErrorState error={schedule.error} onRetry={() => schedule.refetch()} />
      </Stack>
    );
  const s = schedule.data;
  const toggle = () =>
    (s.paused ? resume : pause).mutate(s.id, {
      onSuccess: () => notifySuccess(s.paused ? `Resumed ${s.name}` : `Paused ${s.name}`),
      onError: (e) => notifyError(e),
    });

  return (
    <Stack gap="lg">
      {back}
      <Group justify="space-between" align="flex-end">
        <Stack gap={4}>
          <Group gap="sm">
            <Title order={2}>{s.name}</Title>
            <ScheduleState schedule={s} />
          </Group>
          <Text c="dimmed" size="sm">
            {describeWhen(s)}
            {s.cron && ` (${s.cron})`} · {s.timezone}
          </Text>
        </Stack>
        {canWrite && (
          <Group gap="sm">
            {s.enabled && (
              <Button
                variant="default"
                leftSection={s.paused ? <IconPlayerPlay size={16} /> : <IconPlayerPause size={16} />}
                loading={pause.isPending || resume.isPending}
                onClick={toggle}
              >
                {s.paused ? 'Resume' : 'Pause'}
              </Button>
            )}
            <Button leftSection={<IconPencil size={16} />} onClick={() => setEditing(true)}>
              Edit
            </Button>
          </Group>
        )}
      </Group>
      {!s.enabled && s.disabledReason && <Alert color="yellow">Disabled: {s.disabledReason}</Alert>}
      <Card withBorder>
        <Group gap="xl" align="flex-start" wrap="wrap">
          <Fact label="Job">
            <Anchor component={Link} to={`/jobs/${s.jobId}`} size="sm">
              {s.jobName ?? `job ${s.jobId}`}
            </Anchor>
          </Fact>
          <Fact label="Next fire">
            <NextFire at={s.nextFireAt} />
          </Fact>
          <Fact label="Last fire">
            <NextFire at={s.lastFireAt} />
          </Fact>
          <Fact label="Last run">
            {s.lastRunId ? (
              <Group gap={6}>
                <Anchor component={Link} to={`/runs/${s.lastRunId}`} size="sm">
                  #{s.lastRunId}
                </Anchor>
                {s.lastRunStatus && <StatusBadge status={s.lastRunStatus} size="sm" />}
              </Group>
            ) : (
              '—'
            )}
          </Fact>
          <Fact label="Tags">{s.tags.join(', ') || '—'}</Fact>
          <Fact label="Parameters">
            {Object.entries(s.parameters ?? {})
              .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
              .join(', ') || '—'}
          </Fact>
        </Group>
      </Card>
      <Grid>
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Card withBorder>
            <Title order={4} mb="sm">
              Coming fire times
            </Title>
            {preview.isPending ? (
              <Skeleton height={120} />
            ) : preview.isError ? (
              <ErrorState error={preview.error} onRetry={() => preview.refetch()} />
            ) : (
              <FireTimeList items={preview.data.items} timezone={preview.data.timezone} testId="saved-preview" />
            )}
          </Card>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Card withBorder>
            <Title order={4} mb="sm">
              Occurrences
            </Title>
            <Occurrences schedule={s} />
          </Card>
        </Grid.Col>
      </Grid>
      {editing && <ScheduleFormModal schedule={s} onClose={() => setEditing(false)} />}
    </Stack>
  );
}
