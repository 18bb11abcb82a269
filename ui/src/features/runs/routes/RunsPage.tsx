import { Anchor, Text } from '@mantine/core';
import { Link } from 'react-router-dom';
import { ResourceList, type ResourceColumn } from '@/components/ResourceList';
import { formatDateTime, formatDuration } from '@/lib/format';
import { useUrlListState } from '@/lib/list/useUrlListState';
import { RUN_STATUSES, RUN_TRIGGERS, useJobOptions, useRuns, type Run } from '../api/runs';
import { RunStatusBadge } from '../components/RunStatusBadge';

/** datetime-local value (local time, no zone) → ISO timestamp, or undefined. */
function toIso(local: string | null): string | undefined {
  if (!local) return undefined;
  const d = new Date(local);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

const COLUMNS: ResourceColumn<Run>[] = [
  {
    key: 'id',
    header: 'Run',
    cell: (r) => (
      <Anchor component={Link} to={`/runs/${r.id}`} size="sm">
        #{r.id}
      </Anchor>
    ),
  },
  {
    key: 'job',
    header: 'Job',
    cell: (r) => (
      <>
        <Anchor component={Link} to={`/runs/${r.id}`} fw={600} size="sm">
          {r.jobName}
        </Anchor>
        {r.status === 'queued' && r.waitReason && (
          <Text size="xs" c="dimmed">
            {r.waitReason}
          </Text>
        )}
        {r.error && (
          <Text size="xs" c="red" lineClamp={1}>
            {r.error}
          </Text>
        )}
      </>
    ),
  },
  { key: 'status', header: 'Status', width: 130, cell: (r) => <RunStatusBadge status={r.status} /> },
  {
    key: 'trigger',
    header: 'Trigger',
    visibleFrom: 'sm',
    cell: (r) => (
      <>
        {r.trigger}
        {r.scheduleName && (
          <Text size="xs" c="dimmed" data-testid="run-schedule">
            {r.scheduleId != null ? (
              <Anchor component={Link} to={`/schedules/${r.scheduleId}`} size="xs">
                {r.scheduleName}
              </Anchor>
            ) : (
              r.scheduleName
            )}
          </Text>
        )}
      </>
    ),
  },
  { key: 'requestedBy', header: 'Requested by', visibleFrom: 'md', cell: (r) => r.requestedBy },
  { key: 'queued', header: 'Queued', visibleFrom: 'sm', cell: (r) => formatDateTime(r.queuedAt) },
  { key: 'duration', header: 'Duration', visibleFrom: 'md', cell: (r) => formatDuration(r.startedAt, r.finishedAt) },
];

type RunFilters = { status: string | null; jobId: string | null; trigger: string | null; from: string | null; to: string | null };

/** The filters live in the URL so a filtered history can be linked to (the dashboard does); the list refreshes itself. */
export default function RunsPage() {
  const list = useUrlListState<RunFilters>({ status: null, jobId: null, trigger: null, from: null, to: null });
  const { status, jobId, trigger, from, to } = list.filters;
  const jobs = useJobOptions();
  const runs = useRuns({
    page: list.page,
    pageSize: list.pageSize,
    status: status ?? undefined,
    jobId: jobId ? Number(jobId) : undefined,
    trigger: trigger ?? undefined,
    from: toIso(from),
    to: toIso(to),
  });

  return (
    <ResourceList
      title="Runs"
      description="Every job execution, newest first"
      noun={{ one: 'run', many: 'runs' }}
      list={list}
      query={runs}
      filters={[
        { key: 'status', type: 'multiselect', label: 'Filter by status', placeholder: 'All statuses', width: 220, data: RUN_STATUSES.map((s) => ({ value: s, label: s.replace('_', ' ') })) },
        { key: 'jobId', label: 'Filter by job', placeholder: 'All jobs', width: 200, searchable: true, data: jobs.data ?? [] },
        { key: 'trigger', label: 'Filter by trigger', placeholder: 'Any trigger', width: 140, data: [...RUN_TRIGGERS] },
        { key: 'from', type: 'datetime', label: 'Queued from', caption: 'From', width: 180 },
        { key: 'to', type: 'datetime', label: 'Queued until', caption: 'To', width: 180 },
      ]}
      columns={COLUMNS}
      rowKey={(r) => r.id}
      rowTestId={(r) => `run-row-${r.id}`}
      minWidth={720}
      compactMinWidth={0}
      emptyDescription="Runs appear here once a job is started."
      noMatchDescription="No run matches these filters: try another status, job, trigger or time range."
    />
  );
}
