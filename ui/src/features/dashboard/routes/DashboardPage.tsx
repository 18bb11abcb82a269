import { Anchor, Badge, Card, Group, SimpleGrid, Skeleton, Stack, Table, Text, Title, UnstyledButton } from '@mantine/core';
import { Link } from 'react-router-dom';
import { EmptyState } from '@/components/EmptyState';
import { PageHeader } from '@/components/PageHeader';
import { StatusBadge } from '@/components/StatusBadge';
import { TableSkeleton } from '@/components/TableSkeleton';
import { formatDateTime } from '@/lib/format';
import { statusColor } from '@/lib/statusColors';
import { useExecutorStatus, useFailedRuns, useFailingTargets, useNextRuns, useRecentRuns, useRunCounts, useRunningNow, useSince24h } from '../api/overview';
import { HealthCards } from '../components/HealthCards';
import { ProcessTable } from '../components/ProcessTable';

function RunCounts() {
  const since = useSince24h();
  const { counts, isPending, isError } = useRunCounts(since);
  if (isError) return null;
  return (
    <div data-testid="run-counts">
      <Title order={4} mb="sm">
        Runs in the last 24 h
      </Title>
      <SimpleGrid cols={{ base: 2, sm: 3, md: 6 }}>
        {counts.map(({ status, total }) => (
          <UnstyledButton
            key={status}
            component={Link}
            to={`/runs?status=${status}&from=${encodeURIComponent(toLocalInput(since))}`}
            aria-label={`${total} ${status.replace('_', ' ')} runs in the last 24 hours`}
          >
            <Card withBorder padding="sm">
              <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
                {status.replace('_', ' ')}
              </Text>
              {isPending ? (
                <Skeleton height={28} mt={4} />
              ) : (
                <Text fw={700} size="xl" c={total > 0 ? statusColor(status) : undefined}>
                  {total}
                </Text>
              )}
            </Card>
          </UnstyledButton>
        ))}
      </SimpleGrid>
    </div>
  );
}

/** ISO → the value of an <input type="datetime-local"> (local time), which the runs page reads from the URL. */
function toLocalInput(iso: string): string {
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

function RunTable({ runs }: { runs: { id: number; jobName: string; status: string; trigger: string; requestedBy: string; queuedAt: string; waitReason?: string | null }[] }) {
  // On a phone the job and its status stay in view; trigger, requester and time are hidden rather than scrolled off.
  return (
    <Table.ScrollContainer minWidth={0}>
      <Table striped highlightOnHover>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Job</Table.Th>
            <Table.Th w={120}>Status</Table.Th>
            <Table.Th visibleFrom="sm">Trigger</Table.Th>
            <Table.Th visibleFrom="md">Requested by</Table.Th>
            <Table.Th visibleFrom="sm">Queued</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {runs.map((run) => (
            <Table.Tr key={run.id}>
              <Table.Td>
                <Anchor component={Link} to={`/runs/${run.id}`} size="sm">
                  {run.jobName} #{run.id}
                </Anchor>
              </Table.Td>
              <Table.Td>
                <StatusBadge status={run.status} />
              </Table.Td>
              <Table.Td visibleFrom="sm">{run.trigger}</Table.Td>
              <Table.Td visibleFrom="md">{run.requestedBy}</Table.Td>
              <Table.Td visibleFrom="sm">{formatDateTime(run.queuedAt)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function FailedRuns() {
  const since = useSince24h();
  const { data, isPending, isError } = useFailedRuns(since);
  if (isError) return null;
  return (
    <Card withBorder padding="md" data-testid="failed-runs">
      <Group justify="space-between" mb="sm">
        <Title order={4}>Failed runs (24 h) {data ? `(${data.total})` : ''}</Title>
        <Anchor component={Link} to={`/runs?status=failed&from=${encodeURIComponent(toLocalInput(since))}`} size="sm">
          All failed runs
        </Anchor>
      </Group>
      {isPending ? (
        <TableSkeleton rows={2} />
      ) : data.items.length === 0 ? (
        <Text size="sm" c="dimmed">
          No run failed in the last 24 hours.
        </Text>
      ) : (
        <RunTable runs={data.items} />
      )}
    </Card>
  );
}

function RunningNow() {
  const { data, isPending, isError } = useRunningNow();
  if (isError) return null;
  return (
    <Card withBorder padding="md" data-testid="running-now">
      <Title order={4} mb="sm">
        Running now {data ? `(${data.total})` : ''}
      </Title>
      {isPending ? (
        <TableSkeleton rows={2} />
      ) : data.items.length === 0 ? (
        <Text size="sm" c="dimmed">
          Nothing is running.
        </Text>
      ) : (
        <RunTable runs={data.items} />
      )}
    </Card>
  );
}

function RecentRuns() {
  const { data, isPending, isError } = useRecentRuns();
  if (isError) return null;
  return (
    <Card withBorder padding="md" data-testid="recent-runs">
      <Group justify="space-between" mb="sm">
        <Title order={4}>Recent runs</Title>
        <Anchor component={Link} to="/runs" size="sm">
          All runs
        </Anchor>
      </Group>
      {isPending ? (
        <TableSkeleton rows={3} />
      ) : data.items.length === 0 ? (
        <EmptyState title="No runs yet" description="Runs appear here as soon as a job is started." />
      ) : (
        <RunTable runs={data.items} />
      )}
    </Card>
  );
}

function Executor() {
  const { data, isPending, isError } = useExecutorStatus();
  if (isError) return null;
  return (
    <Card withBorder padding="md" data-testid="executor-status">
      <Group justify="space-between" mb="sm">
        <Title order={4}>Executor</Title>
        {data && (
          <Badge variant="light" color={data.queuedRuns > 0 ? 'yellow' : 'gray'}>
            {data.queuedRuns} queued
          </Badge>
        )}
      </Group>
      {isPending ? (
        <TableSkeleton rows={1} />
      ) : data.workers.length === 0 ? (
        <Text size="sm" c="red">
          No executor worker is alive: queued runs will wait.
        </Text>
      ) : (
        <Table fz="sm">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Worker</Table.Th>
              <Table.Th visibleFrom="sm">Host</Table.Th>
              <Table.Th>Running / capacity</Table.Th>
              <Table.Th visibleFrom="sm">Last heartbeat</Table.Th>
              <Table.Th visibleFrom="md">Started</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {data.workers.map((w) => (
              <Table.Tr key={w.id}>
                <Table.Td ff="monospace">{w.id}</Table.Td>
                <Table.Td visibleFrom="sm">{w.host}</Table.Td>
                <Table.Td data-testid="executor-running">
                  {w.runningRuns} / {w.capacity}
                </Table.Td>
                <Table.Td visibleFrom="sm">{formatDateTime(w.lastHeartbeat)}</Table.Td>
                <Table.Td visibleFrom="md">{formatDateTime(w.startedAt)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Card>
  );
}

function NextRuns() {
  const { data, isPending, isError } = useNextRuns(5);
  if (isError) return null;
  return (
    <Card withBorder padding="md" data-testid="next-runs">
      <Group justify="space-between" mb="sm">
        <Title order={4}>Next runs</Title>
        <Anchor component={Link} to="/schedules" size="sm">
          All schedules
        </Anchor>
      </Group>
      {isPending ? (
        <TableSkeleton rows={2} />
      ) : data.length === 0 ? (
        <EmptyState title="Nothing scheduled" description="Enabled schedules show their next fire time here." />
      ) : (
        <Table fz="sm">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Schedule</Table.Th>
              <Table.Th>Job</Table.Th>
              <Table.Th>Next fire</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {data.map((s) => (
              <Table.Tr key={s.id}>
                <Table.Td>
                  <Anchor component={Link} to={`/schedules/${s.id}`} size="sm">
                    {s.name}
                  </Anchor>
                </Table.Td>
                <Table.Td>{s.jobName ?? `job ${s.jobId}`}</Table.Td>
                <Table.Td>{formatDateTime(s.nextFireAt)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
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
        <EmptyState title="All targets look fine" description="Unreachable targets, authentication failures and host key mismatches show up here." />
      ) : (
        <Stack gap="xs">
          {data.map((t) => (
            <Card key={t.id} withBorder padding="xs">
              <Group justify="space-between">
                <div>
                  <Text fw={600}>{t.name}</Text>
                  <Text size="xs" c="dimmed">
                    {t.hostname}:{t.port} · since {formatDateTime(t.statusChangedAt)}
                    {t.lastError ? ` · ${t.lastError}` : ''}
                  </Text>
                </div>
                <StatusBadge status={t.status} size="sm" />
              </Group>
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
      <PageHeader title="Dashboard" description="Service health, runs and targets that need attention" />
      {/* What needs an operator first (failures, failing targets, what runs and what comes next), then the system. */}
      <Stack gap="lg">
        <SimpleGrid cols={{ base: 1, lg: 2 }}>
          <FailedRuns />
          <FailingTargets />
        </SimpleGrid>
        <SimpleGrid cols={{ base: 1, lg: 2 }}>
          <RunningNow />
          <NextRuns />
        </SimpleGrid>
        <RunCounts />
        <HealthCards />
        <ProcessTable />
        <Executor />
        <RecentRuns />
      </Stack>
    </>
  );
}
