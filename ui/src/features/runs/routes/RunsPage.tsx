import { Anchor, Card, Group, MultiSelect, Select, Table, Text, TextInput } from '@mantine/core';
import { Link, useSearchParams } from 'react-router-dom';
import { EmptyState } from '@/components/EmptyState';
import { ErrorState } from '@/components/ErrorState';
import { PageHeader } from '@/components/PageHeader';
import { Pager } from '@/components/Pager';
import { TableSkeleton } from '@/components/TableSkeleton';
import { formatDateTime, formatDuration } from '@/lib/format';
import { RUN_STATUSES, RUN_TRIGGERS, useJobOptions, useRuns } from '../api/runs';
import { RunStatusBadge } from '../components/RunStatusBadge';
import { PAGE_SIZE } from '@/lib/list/pageSize';


/** datetime-local value (local time, no zone) → ISO timestamp, or undefined. */
function toIso(local: string | null): string | undefined {
  if (!local) return undefined;
  const d = new Date(local);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

/** The filters live in the URL so a filtered history can be linked to (the dashboard does). */
export default function RunsPage() {
  const [params, setParams] = useSearchParams();
  const page = Number(params.get('page') ?? 1) || 1;
  const statuses = params.get('status')?.split(',').filter(Boolean) ?? [];
  const jobId = params.get('jobId');
  const trigger = params.get('trigger');
  const from = params.get('from');
  const to = params.get('to');
  const jobs = useJobOptions();
  const runs = useRuns({
    page,
    pageSize: PAGE_SIZE,
    status: statuses.length ? statuses.join(',') : undefined,
    jobId: jobId ? Number(jobId) : undefined,
    trigger: trigger ?? undefined,
    from: toIso(from),
    to: toIso(to),
  });
  const set = (key: string, value: string | null) =>
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        if (value) next.set(key, value);
        else next.delete(key);
        if (key !== 'page') next.delete('page');
        return next;
      },
      { replace: true },
    );
  const filtered = statuses.length > 0 || !!jobId || !!trigger || !!from || !!to;

  return (
    <>
      <PageHeader title="Runs" description="Every job execution, newest first" />
      <Card withBorder padding="md">
        <Group mb="md" gap="sm" align="flex-end">
          <MultiSelect
            w={260}
            placeholder={statuses.length ? undefined : 'All statuses'}
            aria-label="Filter by status"
            clearable
            data={RUN_STATUSES.map((s) => ({ value: s, label: s.replace('_', ' ') }))}
            value={statuses}
            onChange={(v) => set('status', v.join(','))}
          />
          <Select
            w={220}
            placeholder="All jobs"
            aria-label="Filter by job"
            clearable
            searchable
            data={jobs.data ?? []}
            value={jobId}
            onChange={(v) => set('jobId', v)}
          />
          <Select
            w={140}
            placeholder="Any trigger"
            aria-label="Filter by trigger"
            clearable
            data={[...RUN_TRIGGERS]}
            value={trigger}
            onChange={(v) => set('trigger', v)}
          />
          <TextInput type="datetime-local" aria-label="Queued from" label="From" size="xs" value={from ?? ''} onChange={(e) => set('from', e.currentTarget.value)} />
          <TextInput type="datetime-local" aria-label="Queued until" label="To" size="xs" value={to ?? ''} onChange={(e) => set('to', e.currentTarget.value)} />
        </Group>
        {runs.isPending ? (
          <TableSkeleton />
        ) : runs.isError ? (
          <ErrorState error={runs.error} onRetry={() => runs.refetch()} />
        ) : runs.data.items.length === 0 ? (
          <EmptyState title={filtered ? 'No runs match' : 'No runs'} description="Runs appear here once a job is started." />
        ) : (
          <>
            <Table.ScrollContainer minWidth={720}>
              <Table striped highlightOnHover data-testid="runs-table">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Run</Table.Th>
                    <Table.Th>Job</Table.Th>
                    <Table.Th>Status</Table.Th>
                    <Table.Th>Trigger</Table.Th>
                    <Table.Th>Requested by</Table.Th>
                    <Table.Th>Queued</Table.Th>
                    <Table.Th>Duration</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {runs.data.items.map((r) => (
                    <Table.Tr key={r.id}>
                      <Table.Td>
                        <Anchor component={Link} to={`/runs/${r.id}`} size="sm">
                          #{r.id}
                        </Anchor>
                      </Table.Td>
                      <Table.Td fw={600}>
                        <Anchor component={Link} to={`/runs/${r.id}`}>
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
                      </Table.Td>
                      <Table.Td>
                        <RunStatusBadge status={r.status} />
                      </Table.Td>
                      <Table.Td>
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
                      </Table.Td>
                      <Table.Td>{r.requestedBy}</Table.Td>
                      <Table.Td>{formatDateTime(r.queuedAt)}</Table.Td>
                      <Table.Td>{formatDuration(r.startedAt, r.finishedAt)}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            <Pager page={page} pageSize={PAGE_SIZE} total={runs.data.total} onChange={(p) => set('page', String(p))} />
          </>
        )}
      </Card>
    </>
  );
}
