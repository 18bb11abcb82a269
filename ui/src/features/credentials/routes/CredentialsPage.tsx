import { Badge, Text } from '@mantine/core';
import { IconRefresh } from '@tabler/icons-react';
import { useState } from 'react';
import { ResourceList, type ResourceColumn } from '@/components/ResourceList';
import { deleteAction, editAction } from '@/components/RowActions';
import { useCan } from '@/lib/auth/useSession';
import { formatDateTime } from '@/lib/format';
import { useListState } from '@/lib/list/useListState';
import {
  CREDENTIAL_TYPE_LABELS,
  CREDENTIAL_TYPES,
  useCredentials,
  useDeleteCredential,
  type Credential,
  type CredentialType,
} from '../api/credentials';
import { CredentialFormModal } from '../components/CredentialFormModal';
import { RotateModal } from '../components/RotateModal';

const COLUMNS: ResourceColumn<Credential>[] = [
  {
    key: 'name',
    header: 'Name',
    cell: (c) => (
      <>
        <Text fw={600} size="sm">
          {c.name}
        </Text>
        {c.description && (
          <Text size="xs" c="dimmed" lineClamp={1}>
            {c.description}
          </Text>
        )}
      </>
    ),
  },
  { key: 'type', header: 'Type', cell: (c) => <Badge variant="light">{CREDENTIAL_TYPE_LABELS[c.type] ?? c.type}</Badge> },
  { key: 'username', header: 'Username', cell: (c) => (c.domain ? `${c.domain}\\${c.username ?? ''}` : (c.username ?? '—')) },
  {
    key: 'secret',
    header: 'Secret',
    cell: (c) =>
      c.hasSecret ? (
        <Badge color="teal" variant="dot">
          stored · v{c.secretVersion ?? 1}
        </Badge>
      ) : (
        <Badge color="red" variant="dot">
          missing
        </Badge>
      ),
  },
  { key: 'rotated', header: 'Rotated', cell: (c) => formatDateTime(c.rotatedAt) },
];

export default function CredentialsPage() {
  const canWrite = useCan('credentials:write');
  const list = useListState<{ type: CredentialType | null }>({ type: null });
  const [editing, setEditing] = useState<Credential | null | undefined>(undefined);
  const [rotating, setRotating] = useState<Credential | null>(null);
  const credentials = useCredentials({ page: list.page, pageSize: list.pageSize, search: list.query || undefined, type: list.filters.type ?? undefined });
  const del = useDeleteCredential();

  return (
    <ResourceList
      title="Credentials"
      description="Encrypted secrets used to reach targets. Secrets are write-only and never shown."
      noun={{ one: 'credential', many: 'credentials' }}
      create={{ permission: 'credentials:write', onClick: () => setEditing(null) }}
      list={list}
      query={credentials}
      search={{ label: 'Search credentials', placeholder: 'Search credentials' }}
      filters={[
        {
          key: 'type',
          label: 'Filter by type',
          placeholder: 'All types',
          width: 160,
          data: CREDENTIAL_TYPES.map((t) => ({ value: t, label: CREDENTIAL_TYPE_LABELS[t] })),
        },
      ]}
      columns={COLUMNS}
      rowKey={(c) => c.id}
      rowActions={
        canWrite
          ? (c) => [
              { key: 'rotate', label: 'Rotate secret', ariaLabel: `Rotate credential ${c.name}`, icon: <IconRefresh size={16} />, onClick: () => setRotating(c) },
              editAction(`credential ${c.name}`, () => setEditing(c)),
              deleteAction(`credential ${c.name}`, c.name, (done) => del.mutate(c.id, done)),
            ]
          : undefined
      }
      minWidth={720}
      emptyDescription={canWrite ? 'Add an SSH key or password so targets can be reached.' : undefined}
      noMatchDescription="Try another search or type."
    >
      {editing !== undefined && <CredentialFormModal key={editing?.id ?? 'new'} credential={editing} onClose={() => setEditing(undefined)} />}
      {rotating && <RotateModal credential={rotating} onClose={() => setRotating(null)} />}
    </ResourceList>
  );
}
