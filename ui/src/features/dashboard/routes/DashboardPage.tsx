import { Anchor, Badge, Card, Stack, Table, Text, Title } from '@mantine/core';
import { Link } from 'react-router-dom';
import { EmptyState } from '@/components/EmptyState';
import { PageHeader } from '@/components/PageHeader';
import { TableSkeleton } from '@/components/TableSkeleton';
import { formatDateTime } from '@/lib/format';
import { useFailingTargets, useRecentRuns } from '../api/overview';
import { HealthCards } from '../components/HealthCards';

const RUN_COLORS: Record<string, string> = {
  queued: 'gray',
  running: 'blue',
  succeeded: 'teal',
  failed: 'red',
  cancelled: 'orange',
  timed_out: 'grape',
};

function RecentRuns() {
  const { data, isPending, isError } = useRecentRuns();
  if (isError) return null; // the runs service is not answering: show nothing rather than noise
  return (
    <Card withBorder padding="md" data-testid="recent-runs">
      <Title order={4} mb="sm">
        Recent runs
      </Title>
      {isPending ? (
        <TableSkeleton rows={3} />
      ) : data.items.length === 0 ? (
        <EmptyState title="No runs yet" description="Runs appear here as soon as a job is started." />
      ) : (
        <Table.ScrollContainer minWidth={520}>
          <Table striped highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Job</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th>Trigger</Table.Th>
                <Table.Th>Queued</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {data.items.map((run) => (
                <Table.Tr key={run.id}>
                  <Table.Td>
                    <Anchor component={Link} to={`/runs/${encodeURIComponent(String(run.id))}`} size="sm">
                      {run.jobName ?? `Run ${run.id}`}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>
                    <Badge color={RUN_COLORS[run.status] ?? 'gray'} variant="light">
                      {run.status.replace('_', ' ')}
                    </Badge>
                  </Table.Td>
                  <Table.Td>{run.trigger ?? '—'}</Table.Td>
                  <Table.Td>{formatDateTime(run.queuedAt)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Card>
  );
}

function FailingTargets() {
  const { data, isPending, isError } = useFailingTargets();
  if (isError) return null;
  return (
    <Card withBorder padding="md" data-testid="failing-targets">
      <Title order={4} mb="sm">
        Failing targets
      </Title>
      {isPending ? (
        <TableSkeleton rows={2} />
      ) : data.length === 0 ? (
        <EmptyState title="All targets look fine" description="Unreachable targets and authentication failures show up here." />
      ) : (
        <Stack gap="xs">
          {data.map((t) => (
            <Card key={t.id} withBorder padding="xs">
              <Text fw={600}>{t.name}</Text>
              <Text size="sm" c="dimmed">
                {t.hostname} · <Badge color="red" variant="light" size="sm">{t.status.replaceAll('_', ' ')}</Badge>
              </Text>
            </Card>
          ))}
        </Stack>
      )}
    </Card>
  );
}

export default function DashboardPage() {
  return (
    <>
      <PageHeader title="Dashboard" description="Service health, recent runs and targets that need attention" />
      <Stack gap="lg">
        <HealthCards />
        <RecentRuns />
        <FailingTargets />
      </Stack>
    </>
  );
}
