import { Badge, Card, Group, Stack, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { BackLink } from '@/components/BackLink';
import { ResourceList, type ResourceColumn } from '@/components/ResourceList';
import { deleteAction, editAction, type RowAction } from '@/components/RowActions';
import { useCan } from '@/lib/auth/useSession';
import { useListState } from '@/lib/list/useListState';
import { describeCron } from '../api/cron';
import { useBlackoutWindows, useDeleteWindow, type BlackoutWindow } from '../api/schedules';
import { BlackoutCalendarView } from '../components/BlackoutCalendarView';
import { BlackoutWindowModal } from '../components/BlackoutWindowModal';

function When({ w }: { w: BlackoutWindow }) {
  if (w.cron) {
    const d = describeCron(w.cron);
    return (
      <Text size="sm">
        {'text' in d ? d.text : w.cron}, for {w.durationMinutes} min
      </Text>
    );
  }
  return (
    <Table withRowBorders={false} verticalSpacing={0} fz="xs" ff="monospace">
      <Table.Tbody>
        {(w.periods ?? []).map((p, i) => (
          <Table.Tr key={i}>
            <Table.Td px={0}>
              {p.start?.replace('T', ' ')} → {p.end?.replace('T', ' ')}
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

const COLUMNS: ResourceColumn<BlackoutWindow>[] = [
  { key: 'name', header: 'Name', cell: (w) => <Text fw={600} size="sm">{w.name}</Text> },
  { key: 'when', header: 'When', cell: (w) => <When w={w} /> },
  { key: 'timezone', header: 'Timezone', cell: (w) => <Text size="sm">{w.timezone}</Text> },
  {
    key: 'tags',
    header: 'Applies to',
    cell: (w) => (w.tags.length ? <Group gap={4}>{w.tags.map((t) => <Badge key={t} variant="light" size="sm" tt="none">{t}</Badge>)}</Group> : <Text size="sm">every schedule</Text>),
  },
  {
    key: 'manual',
    header: 'Manual runs',
    cell: (w) => (w.appliesToManualRuns ? <Badge color="red" variant="light">refused</Badge> : <Text size="sm" c="dimmed">allowed</Text>),
  },
];

/** Blackout windows: their list and editor (admins), and when they are in force over the next 30 days. */
export default function BlackoutWindowsPage() {
  const canManage = useCan('blackouts:manage');
  const list = useListState();
  const windows = useBlackoutWindows(list.page, list.pageSize);
  const del = useDeleteWindow();
  const [editing, setEditing] = useState<BlackoutWindow | 'new' | null>(null);
  // The API has no search on windows: filter the page we have by name.
  const q = list.query.toLowerCase();
  const query = q && windows.data ? { ...windows, data: { ...windows.data, items: windows.data.items.filter((w) => w.name.toLowerCase().includes(q)) } } : windows;
  const actions = (w: BlackoutWindow): RowAction[] => [
    editAction(`blackout window ${w.name}`, () => setEditing(w)),
    deleteAction(`blackout window ${w.name}`, w.name, (done) => del.mutate(w.id, done)),
  ];
  return (
    <Stack gap="lg">
      <BackLink to="/schedules">All schedules</BackLink>
      <div>
        <ResourceList
          title="Blackout windows"
          description="Times when schedules do not fire: an occurrence inside a window is recorded as skipped"
          noun={{ one: 'blackout window', many: 'blackout windows' }}
          create={{ permission: 'blackouts:manage', onClick: () => setEditing('new'), label: 'New window' }}
          list={list}
          query={query}
          search={{ label: 'Search blackout windows', placeholder: 'Search by name' }}
          columns={COLUMNS}
          rowKey={(w) => w.id}
          rowTestId={(w) => `window-row-${w.name}`}
          rowActions={canManage ? actions : undefined}
          minWidth={760}
          emptyDescription="For example a change freeze over the holidays, or weekends."
        >
          {editing && <BlackoutWindowModal window={editing === 'new' ? undefined : editing} onClose={() => setEditing(null)} />}
        </ResourceList>
      </div>
      <Card withBorder>
        <Title order={4} mb="sm">
          Next 30 days
        </Title>
        <BlackoutCalendarView days={30} />
      </Card>
    </Stack>
  );
}
