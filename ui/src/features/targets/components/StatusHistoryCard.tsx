import { Badge, Card, Group, Skeleton, Table, Text, Title } from '@mantine/core';
import { formatDateTime } from '@/lib/format';
import { statusLabel } from '@/lib/statusColors';
import { useStatusHistory } from '../api/targets';
import { TargetStatusBadge } from './TargetStatusBadge';

/** When the target's status changed (checks, sweeps and runs that could not connect), newest first. */
export function StatusHistoryCard({ targetId }: { targetId: number }) {
  const history = useStatusHistory(targetId);
  return (
    <Card withBorder padding="md">
      <Title order={4} mb="sm">
        Health history
      </Title>
      {history.isPending ? (
        <Skeleton height={60} />
      ) : history.isError || history.data.items.length === 0 ? (
        <Text size="sm" c="dimmed">
          No status changes recorded yet.
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={360}>
          <Table fz="sm" data-testid="status-history">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>When</Table.Th>
                <Table.Th>Change</Table.Th>
                <Table.Th>Reason</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {history.data.items.map((h) => (
                <Table.Tr key={h.id}>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(h.changedAt)}</Table.Td>
                  <Table.Td>
                    <Group gap={4} wrap="nowrap">
                      <Badge size="xs" variant="outline" color="gray">
                        {statusLabel(h.previousStatus)}
                      </Badge>
                      →
                      <TargetStatusBadge status={h.status} />
                    </Group>
                  </Table.Td>
                  <Table.Td>{h.error ?? ''}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Card>
  );
}
