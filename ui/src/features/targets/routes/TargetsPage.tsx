import { ActionIcon, Anchor, Badge, Button, Card, Group, Select, Table, Text, TextInput, Tooltip } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconBrandWindows, IconPencil, IconPlugConnected, IconPlus, IconSearch, IconTerminal2, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import { confirmDelete } from '@/components/ConfirmDelete';
import { EmptyState } from '@/components/EmptyState';
import { ErrorState } from '@/components/ErrorState';
import { PageHeader } from '@/components/PageHeader';
import { Pager } from '@/components/Pager';
import { TableSkeleton } from '@/components/TableSkeleton';
import { useCan } from '@/lib/auth/useSession';
import { formatDateTime } from '@/lib/format';
import { notifyError, notifySuccess } from '@/lib/notify';
import { TARGET_STATUSES, useDeleteTarget, useTargets, type OsType, type Target } from '../api/targets';
import { TargetDrawer } from '../components/TargetDrawer';
import { TargetFormModal } from '../components/TargetFormModal';
import { TargetStatusBadge } from '../components/TargetStatusBadge';

const PAGE_SIZE = 25;

export default function TargetsPage() {
  const canWrite = useCan('targets:write');
  const canCheck = useCan('targets:check');
  const [page, setPage] = useState(1);
  const [search, setSearch] = useState('');
  const [osType, setOsType] = useState<OsType | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [debounced] = useDebouncedValue(search.trim(), 300);
  const [editing, setEditing] = useState<Target | null | undefined>(undefined);
  const list = useTargets({ page, pageSize: PAGE_SIZE, search: debounced || undefined, osType: osType ?? undefined, status: status ?? undefined });
  const del = useDeleteTarget();
  const [open, setOpen] = useState<{ id: number; check: boolean } | null>(null);
  const openTarget = open ? list.data?.items.find((t) => t.id === open.id) : undefined;
  const filtered = !!(debounced || osType || status);

  const remove = (t: Target) =>
    confirmDelete(`target ${t.name}`, () =>
      del.mutate(t.id, { onSuccess: () => notifySuccess(`Deleted ${t.name}`), onError: (e) => notifyError(e, 'Could not delete') }),
    );

  return (
    <>
      <PageHeader
        title="Targets"
        description="Servers that jobs run on"
        actions={
          canWrite && (
            <Button leftSection={<IconPlus size={16} />} onClick={() => setEditing(null)}>
              New target
            </Button>
          )
        }
      />
      <Card withBorder padding="md">
        <Group mb="md" gap="sm">
          <TextInput
            placeholder="Search name or host"
            aria-label="Search targets"
            leftSection={<IconSearch size={16} />}
            value={search}
            onChange={(e) => {
              setSearch(e.currentTarget.value);
              setPage(1);
            }}
            style={{ flex: '1 1 240px' }}
          />
          <Select
            placeholder="Any OS"
            aria-label="Filter by OS"
            clearable
            w={140}
            data={[
              { value: 'linux', label: 'Linux' },
              { value: 'windows', label: 'Windows' },
            ]}
            value={osType}
            onChange={(v) => {
              setOsType(v as OsType | null);
              setPage(1);
            }}
          />
          <Select
            placeholder="Any status"
            aria-label="Filter by status"
            clearable
            w={180}
            data={TARGET_STATUSES.map((s) => ({ value: s, label: s.replaceAll('_', ' ') }))}
            value={status}
            onChange={(v) => {
              setStatus(v);
              setPage(1);
            }}
          />
        </Group>
        {list.isPending ? (
          <TableSkeleton />
        ) : list.isError ? (
          <ErrorState error={list.error} onRetry={() => list.refetch()} />
        ) : list.data.items.length === 0 ? (
          <EmptyState
            title={filtered ? 'No targets match' : 'No targets yet'}
            description={!filtered && canWrite ? 'Register a server and a credential to reach it.' : undefined}
          />
        ) : (
          <>
            <Table.ScrollContainer minWidth={820}>
              <Table striped highlightOnHover>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Name</Table.Th>
                    <Table.Th>Host</Table.Th>
                    <Table.Th>OS</Table.Th>
                    <Table.Th>Status</Table.Th>
                    <Table.Th>Tags</Table.Th>
                    <Table.Th>Last check</Table.Th>
                    {(canWrite || canCheck) && <Table.Th w={150} aria-label="Actions" />}
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {list.data.items.map((t) => (
                    <Table.Tr key={t.id}>
                      <Table.Td>
                        <Anchor component="button" type="button" fw={600} size="sm" onClick={() => setOpen({ id: t.id, check: false })}>
                          {t.name}
                        </Anchor>
                        {t.description && (
                          <Text size="xs" c="dimmed" lineClamp={1}>
                            {t.description}
                          </Text>
                        )}
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm" ff="monospace">
                          {t.hostname}
                          {t.port ? `:${t.port}` : ''}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <Group gap={6} wrap="nowrap">
                          {t.osType === 'windows' ? <IconBrandWindows size={16} /> : <IconTerminal2 size={16} />}
                          <Text size="sm">{[t.osName, t.osVersion].filter(Boolean).join(' ') || t.osType}</Text>
                        </Group>
                      </Table.Td>
                      <Table.Td>
                        <TargetStatusBadge status={t.status} />
                      </Table.Td>
                      <Table.Td>
                        <Group gap={4}>
                          {t.tags.map((tag) => (
                            <Badge key={tag} size="sm" variant="outline" color="gray">
                              {tag}
                            </Badge>
                          ))}
                        </Group>
                      </Table.Td>
                      <Table.Td>{formatDateTime(t.lastCheckedAt)}</Table.Td>
                      {(canWrite || canCheck) && (
                        <Table.Td>
                          <Group gap={4} wrap="nowrap">
                            {canCheck && (
                              <Tooltip label="Check connection">
                                <ActionIcon
                                  variant="subtle"
                                  aria-label={`Check target ${t.name}`}
                                  onClick={() => setOpen({ id: t.id, check: true })}
                                >
                                  <IconPlugConnected size={16} />
                                </ActionIcon>
                              </Tooltip>
                            )}
                            {canWrite && (
                              <>
                                <Tooltip label="Edit">
                                  <ActionIcon variant="subtle" aria-label={`Edit target ${t.name}`} onClick={() => setEditing(t)}>
                                    <IconPencil size={16} />
                                  </ActionIcon>
                                </Tooltip>
                                <Tooltip label="Delete">
                                  <ActionIcon variant="subtle" color="red" aria-label={`Delete target ${t.name}`} onClick={() => remove(t)}>
                                    <IconTrash size={16} />
                                  </ActionIcon>
                                </Tooltip>
                              </>
                            )}
                          </Group>
                        </Table.Td>
                      )}
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            <Pager page={page} pageSize={PAGE_SIZE} total={list.data.total} onChange={setPage} />
          </>
        )}
      </Card>
      {open && openTarget && (
        <TargetDrawer key={open.id} target={openTarget} checkOnOpen={open.check} onClose={() => setOpen(null)} />
      )}
      {editing !== undefined && <TargetFormModal key={editing?.id ?? 'new'} target={editing} onClose={() => setEditing(undefined)} />}
    </>
  );
}
