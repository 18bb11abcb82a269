import { Badge, Table, Text } from '@mantine/core';
import { browserZone, formatInZone } from '../api/cron';
import type { FireTime } from '../api/schedules';

/** Coming fire times in the schedule's zone and the browser's; a time a blackout window skips is struck through and says which. */
export function FireTimeList({ items, timezone, testId }: { items: FireTime[]; timezone: string; testId?: string }) {
  const local = browserZone();
  if (items.length === 0)
    return (
      <Text size="sm" c="dimmed">
        No coming fire times.
      </Text>
    );
  return (
    <Table withRowBorders={false} verticalSpacing={2} fz="sm" data-testid={testId}>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>In {timezone}</Table.Th>
          {local !== timezone && <Table.Th>Your time ({local})</Table.Th>}
          <Table.Th />
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {items.map((f) => (
          <Table.Tr key={f.at} data-skipped={f.skipped ? 'true' : undefined}>
            <Table.Td td={f.skipped ? 'line-through' : undefined} ff="monospace" style={{ whiteSpace: 'nowrap' }}>
              {formatInZone(f.at, timezone)}
            </Table.Td>
            {local !== timezone && (
              <Table.Td td={f.skipped ? 'line-through' : undefined} ff="monospace" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
                {formatInZone(f.at)}
              </Table.Td>
            )}
            <Table.Td>
              {f.skipped && (
                <Badge color="gray" variant="light" size="sm" tt="none" maw={260}>
                  skipped: {f.skipped.window}
                </Badge>
              )}
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
