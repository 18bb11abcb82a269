import { Anchor, Card, Select, Table } from '@mantine/core';
import { Link } from 'react-router-dom';
import { useState } from 'react';
import { EmptyState } from '@/components/EmptyState';
import { ErrorState } from '@/components/ErrorState';
import { PageHeader } from '@/components/PageHeader';
import { Pager } from '@/components/Pager';
import { TableSkeleton } from '@/components/TableSkeleton';
import { formatDateTime, formatDuration } from '@/lib/format';
import { RUN_STATUSES, useRuns } from '../api/runs';
import { RunStatusBadge } from '../components/RunStatusBadge';

const PAGE_SIZE = 25;

export default function RunsPage() {
  const [page, setPage] = useState(1);
  const [status, setStatus] = useState<string | null>(null);
  const runs = useRuns({ page, pageSize: PAGE_SIZE, status: status ?? undefined });
  return (
    <>
      <PageHeader title="Runs" description="Every job execution, newest first" />
      <Card withBorder padding="md">
        <Select
          mb="md"
          w={200}
          placeholder="All statuses"
          aria-label="Filter by status"
          clearable
          data={RUN_STATUSES.map((s) => ({ value: s, label: s.replace('_', ' ') }))}
          value={status}
          onChange={(v) => {
            setStatus(v);
            setPage(1);
          }}
        />
        {runs.isPending ? (
          <TableSkeleton />
        ) : runs.isError ? (
          <ErrorState error={runs.error} onRetry={() => runs.refetch()} />
        ) : runs.data.items.length === 0 ? (
          <EmptyState title="No runs" description="Runs appear here once a job is started." />
        ) : (
          <>
            <Table.ScrollContainer minWidth={640}>
              <Table striped highlightOnHover>
                <Table.Thead>
                  <Table.Tr>
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
                      <Table.Td fw={600}>
                        <Anchor component={Link} to={`/runs/${encodeURIComponent(String(r.id))}`}>
                          {r.jobName ?? `Run ${r.id}`}
                        </Anchor>
                      </Table.Td>
                      <Table.Td>
                        <RunStatusBadge status={r.status} />
                      </Table.Td>
                      <Table.Td>{r.trigger ?? '—'}</Table.Td>
                      <Table.Td>{r.requestedBy ?? '—'}</Table.Td>
                      <Table.Td>{formatDateTime(r.queuedAt)}</Table.Td>
                      <Table.Td>{formatDuration(r.startedAt, r.finishedAt)}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            <Pager page={page} pageSize={PAGE_SIZE} total={runs.data.total} onChange={setPage} />
          </>
        )}
      </Card>
    </>
  );
}
