import { Badge, Table, Text, Title } from '@mantine/core';
import { statusColor } from '@/lib/statusColors';
import { useProcesses } from '../api/health';

/** The processes of a split deployment with their health; hidden for the all-in-one host (the cards say it all). */
export function ProcessTable() {
  const { data } = useProcesses();
  if (!data || data.length < 2) return null;
  return (
    <div data-testid="process-table">
      <Title order={4} mb="sm">
        Processes
      </Title>
      <Table.ScrollContainer minWidth={480}>
        <Table striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Process</Table.Th>
              <Table.Th>Status</Table.Th>
              <Table.Th>Serves</Table.Th>
              <Table.Th>Version</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {data.map((p) => (
              <Table.Tr key={p.name}>
                <Table.Td>
                  <Text size="sm" fw={500}>
                    {p.name}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {p.address}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Badge color={statusColor(p.status.toLowerCase())} variant="light">
                    {p.status}
                  </Badge>
                  {p.error && (
                    <Text size="xs" c="dimmed">
                      {p.error}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>{p.services.join(', ') || '—'}</Table.Td>
                <Table.Td>{p.version ?? '—'}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </div>
  );
}
