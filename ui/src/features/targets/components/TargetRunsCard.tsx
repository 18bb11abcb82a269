import { Anchor, Card, Skeleton, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { EmptyState } from '@/components/EmptyState';
import { ErrorState } from '@/components/ErrorState';
import { Pager } from '@/components/Pager';
import { StatusBadge } from '@/components/StatusBadge';
import { formatDateTime } from '@/lib/format';
import { useTargetRuns } from '../api/targets';

const PAGE_SIZE = 10;

/** The runs that touched this target, newest first, each linking to its run page. */
export function TargetRunsCard({ targetId }: { targetId: number }) {
  const [page, setPage] = useState(1);
  const runs = useTargetRuns(targetId, page, PAGE_SIZE);
  const body = () => {
    if (runs.isPending) return <Skeleton height={80} />;
    if (runs.isError) return <ErrorState error={runs.error} onRetry={() => runs.refetch()} />;
    if (runs.data.items.length === 0) return <EmptyState title="No runs yet" description="Runs of jobs that select this target show up here." />;
    return (
      <>
        <Table.ScrollContainer minWidth={360}>
          <Table fz="sm" striped data-testid="target-runs">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Run</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th visibleFrom="sm">Trigger</Table.Th>
                <Table.Th visibleFrom="sm">Queued</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {runs.data.items.map((r) => (
                <Table.Tr key={r.id}>
                  <Table.Td>
                    <Anchor component={Link} to={`/runs/${r.id}`} size="sm">
                      {r.jobName} #{r.id}
                    </Anchor>
                    {r.error && (
                      <Text size="xs" c="dimmed" lineClamp={1}>
                        {r.error}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <StatusBadge status={r.status} size="sm" />
                  </Table.Td>
                  <Table.Td visibleFrom="sm">{r.trigger}</Table.Td>
                  <Table.Td visibleFrom="sm" style={{ whiteSpace: 'nowrap' }}>
                    {formatDateTime(r.queuedAt)}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
        <Pager page={page} pageSize={PAGE_SIZE} total={runs.data.total} onChange={setPage} />
      </>
    );
  };
  return (
    <Card withBorder padding="md">
      <Title order={4} mb="sm">
        Runs on this target
      </Title>
      {body()}
    </Card>
  );
}
