import { Anchor, Badge, Group, Text } from '@mantine/core';
import { IconBrandWindows, IconPlugConnected, IconTerminal2 } from '@tabler/icons-react';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { ResourceList, type ResourceColumn } from '@/components/ResourceList';
import { deleteAction, editAction, type RowAction } from '@/components/RowActions';
import { useCan } from '@/lib/auth/useSession';
import { formatDateTime } from '@/lib/format';
import { useListState } from '@/lib/list/useListState';
import { notifications } from '@mantine/notifications';
import { notifyError, notifySuccess } from '@/lib/notify';
import { statusLabel } from '@/lib/statusColors';
import { TARGET_STATUSES, useCheckTarget, useDeleteTarget, useTargets, type OsType, type Target, type TargetStatus } from '../api/targets';
import { TargetBulkActions } from '../components/TargetBulkActions';
import { TargetFormModal } from '../components/TargetFormModal';
import { TargetStatusBadge } from '../components/TargetStatusBadge';

export default function TargetsPage() {
  const canWrite = useCan('targets:write');
  const canCheck = useCan('targets:check');
  const list = useListState<{ osType: OsType | null; status: TargetStatus | null }>({ osType: null, status: null });
  const [editing, setEditing] = useState<Target | null | undefined>(undefined);
  const targets = useTargets({
    page: list.page,
    pageSize: list.pageSize,
    search: list.query || undefined,
    osType: list.filters.osType ?? undefined,
    status: list.filters.status ?? undefined,
  });
  const del = useDeleteTarget();
  const [selected, setSelected] = useState<Target[]>([]);
  const check = useCheckTarget();
  // A check from the row says what it found; the list (and the dashboard) refetch, so the row shows the new status.
  const checkRow = (t: Target) =>
    check.mutate(t.id, {
      onSuccess: (r) => (r.status === 'healthy' ? notifySuccess(`${t.name} is healthy`) : notifications.show({ color: 'red', title: `${t.name}: ${statusLabel(r.status)}`, message: r.error ?? 'See the target page.', autoClose: 8000 })),
      onError: (e) => notifyError(e, `Could not check ${t.name}`),
    });

  const columns: ResourceColumn<Target>[] = [
    {
      key: 'name',
      header: 'Name',
      cell: (t) => (
        <>
          <Anchor component={Link} to={`/targets/${t.id}`} fw={600} size="sm" style={{ overflowWrap: 'anywhere' }}>
            {t.name}
          </Anchor>
          {t.description && (
            <Text size="xs" c="dimmed" lineClamp={1}>
              {t.description}
            </Text>
          )}
        </>
      ),
    },
    {
      key: 'host',
      header: 'Host',
      visibleFrom: 'sm',
      cell: (t) => (
        <Text size="sm" ff="monospace">
          {t.hostname}
          {t.port ? `:${t.port}` : ''}
        </Text>
      ),
    },
    {
      key: 'os',
      header: 'OS',
      visibleFrom: 'md',
      cell: (t) => (
        <Group gap={6} wrap="nowrap">
          {t.osType === 'windows' ? <IconBrandWindows size={16} /> : <IconTerminal2 size={16} />}
          <Text size="sm">{[t.osName, t.osVersion].filter(Boolean).join(' ') || t.osType}</Text>
        </Group>
      ),
    },
    // The status keeps its width on a phone; the name wraps instead.
    { key: 'status', header: 'Status', width: 160, cell: (t) => <TargetStatusBadge status={t.status} /> },
    {
      key: 'tags',
      header: 'Tags',
      visibleFrom: 'sm',
      cell: (t) => (
        <Group gap={4}>
          {t.tags.map((tag) => (
            <Badge key={tag} size="sm" variant="outline" color="gray">
              {tag}
            </Badge>
          ))}
        </Group>
      ),
    },
    { key: 'checked', header: 'Last check', visibleFrom: 'md', cell: (t) => formatDateTime(t.lastCheckedAt) },
  ];

  const actions = (t: Target): RowAction[] => [
    ...(canCheck
      ? [{ key: 'check', label: 'Check connection', ariaLabel: `Check target ${t.name}`, icon: <IconPlugConnected size={16} />, onClick: () => checkRow(t) }]
      : []),
    ...(canWrite ? [editAction(`target ${t.name}`, () => setEditing(t)), deleteAction(`target ${t.name}`, t.name, (done) => del.mutate(t.id, done))] : []),
  ];

  return (
    <ResourceList
      title="Targets"
      description="Servers that jobs run on"
      noun={{ one: 'target', many: 'targets' }}
      create={{ permission: 'targets:write', onClick: () => setEditing(null) }}
      list={list}
      query={targets}
      search={{ label: 'Search targets', placeholder: 'Search name or host', width: 240 }}
      filters={[
        {
          key: 'osType',
          label: 'Filter by OS',
          placeholder: 'Any OS',
          width: 140,
          data: [
            { value: 'linux', label: 'Linux' },
            { value: 'windows', label: 'Windows' },
          ],
        },
        {
          key: 'status',
          label: 'Filter by status',
          placeholder: 'Any status',
          width: 180,
          data: TARGET_STATUSES.map((s) => ({ value: s, label: statusLabel(s) })),
        },
      ]}
      columns={columns}
      rowKey={(t) => t.id}
      rowActions={canWrite || canCheck ? actions : undefined}
      actionsWidth={150}
      actionsVisibleFrom="sm"
      minWidth={820}
      compactMinWidth={0}
      rowTestId={(t) => `target-row-${t.id}`}
      selection={
        canWrite || canCheck
          ? {
              selected,
              onChange: setSelected,
              label: (t) => `target ${t.name}`,
              actions: <TargetBulkActions selected={selected} onDone={(keep) => !keep && setSelected([])} />,
            }
          : undefined
      }
      emptyDescription={canWrite ? 'Register a server and a credential to reach it.' : undefined}
    >
      {editing !== undefined && <TargetFormModal key={editing?.id ?? 'new'} target={editing} onClose={() => setEditing(undefined)} />}
    </ResourceList>
  );
}
