import { Anchor, Button, Card, Group, Skeleton, Table, Text, Title } from '@mantine/core';
import { IconCalendarPlus } from '@tabler/icons-react';
import { Link } from 'react-router-dom';
import { ScheduleState } from '@/components/ScheduleState';
import { StatusBadge } from '@/components/StatusBadge';
import { formatDateTime } from '@/lib/format';
import { useJobSchedules } from '../api/jobs';

/** The schedules that run this job, each linking to its page; the schedules page creates new ones. */
export function JobSchedules({ jobId }: { jobId: number }) {
  const q = useJobSchedules(jobId);
  return (
    <Card withBorder mt="lg" data-testid="job-schedules">
      <Group justify="space-between" mb="sm">
        <Title order={4}>Schedules</Title>
        <Button component={Link} to="/schedules" variant="subtle" size="xs" leftSection={<IconCalendarPlus size={14} />}>
          Manage schedules
        </Button>
      </Group>
      {q.isPending ? (
        <Skeleton height={60} />
      ) : q.isError ? (
        <Text size="sm" c="dimmed">
          Schedules are not available.
        </Text>
      ) : q.data.items.length === 0 ? (
        <Text size="sm" c="dimmed">
          No schedule runs this job.
        </Text>
      ) : (
        <Table fz="sm">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              <Table.Th>When</Table.Th>
              <Table.Th>Next fire</Table.Th>
              <Table.Th>Last run</Table.Th>
              <Table.Th>State</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {q.data.items.map((s) => (
              <Table.Tr key={s.id}>
                <Table.Td>
                  <Anchor component={Link} to={`/schedules/${s.id}`} size="sm">
                    {s.name}
                  </Anchor>
                </Table.Td>
                <Table.Td ff="monospace">{s.cron ?? `once ${s.runAt?.replace('T', ' ')}`} ({s.timezone})</Table.Td>
                <Table.Td>{formatDateTime(s.nextFireAt)}</Table.Td>
                <Table.Td>{s.lastRunStatus ? <StatusBadge status={s.lastRunStatus} size="sm" /> : '—'}</Table.Td>
                <Table.Td>
                  <ScheduleState schedule={s} />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Card>
  );
}
