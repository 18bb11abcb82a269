import { ActionIcon, Badge, Button, Card, Group, Select, Table, Text, TextInput, Tooltip } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconPencil, IconPlus, IconRefresh, IconSearch, IconTrash } from '@tabler/icons-react';
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

const PAGE_SIZE = 25;

export default function CredentialsPage() {
  const canWrite = useCan('credentials:write');
  const [page, setPage] = useState(1);
  const [search, setSearch] = useState('');
  const [type, setType] = useState<CredentialType | null>(null);
  const [debounced] = useDebouncedValue(search.trim(), 300);
  const [editing, setEditing] = useState<Credential | null | undefined>(undefined);
  const [rotating, setRotating] = useState<Credential | null>(null);
  const list = useCredentials({ page, pageSize: PAGE_SIZE, search: debounced || undefined, type: type ?? undefined });
  const del = useDeleteCredential();

  const remove = (c: Credential) =>
    confirmDelete(`credential ${c.name}`, () =>
      del.mutate(c.id, { onSuccess: () => notifySuccess(`Deleted ${c.name}`), onError: (e) => notifyError(e, 'Could not delete') }),
    );

  return (
    <>
      <PageHeader
        title="Credentials"
        description="Encrypted secrets used to reach targets. Secrets are write-only and never shown."
        actions={
          canWrite && (
            <Button leftSection={<IconPlus size={16} />} onClick={() => setEditing(null)}>
              New credential
            </Button>
          )
        }
      />
      <Card withBorder padding="md">
        <Group mb="md" gap="sm">
          <TextInput
            placeholder="Search credentials"
            aria-label="Search credentials"
            leftSection={<IconSearch size={16} />}
            value={search}
            onChange={(e) => {
              setSearch(e.currentTarget.value);
              setPage(1);
            }}
            style={{ flex: '1 1 260px' }}
          />
          <Select
            placeholder="All types"
            aria-label="Filter by type"
            clearable
            w={160}
            data={CREDENTIAL_TYPES.map((t) => ({ value: t, label: CREDENTIAL_TYPE_LABELS[t] }))}
            value={type}
            onChange={(v) => {
              setType(v as CredentialType | null);
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
            title={debounced || type ? 'No credentials match' : 'No credentials yet'}
            description={canWrite ? 'Add an SSH key or password so targets can be reached.' : undefined}
          />
        ) : (
          <>
            <Table.ScrollContainer minWidth={720}>
              <Table striped highlightOnHover>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Name</Table.Th>
                    <Table.Th>Type</Table.Th>
                    <Table.Th>Username</Table.Th>
                    <Table.Th>Secret</Table.Th>
                    <Table.Th>Rotated</Table.Th>
                    {canWrite && <Table.Th w={120} aria-label="Actions" />}
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {list.data.items.map((c) => (
                    <Table.Tr key={c.id}>
                      <Table.Td>
                        <Text fw={600} size="sm">
                          {c.name}
                        </Text>
                        {c.description && (
                          <Text size="xs" c="dimmed" lineClamp={1}>
                            {c.description}
                          </Text>
                        )}
                      </Table.Td>
                      <Table.Td>
                        <Badge variant="light">{CREDENTIAL_TYPE_LABELS[c.type] ?? c.type}</Badge>
                      </Table.Td>
                      <Table.Td>{c.domain ? `${c.domain}\\${c.username ?? ''}` : (c.username ?? '—')}</Table.Td>
                      <Table.Td>
                        {c.hasSecret ? (
                          <Badge color="teal" variant="dot">
                            stored · v{c.secretVersion ?? 1}
                          </Badge>
                        ) : (
                          <Badge color="red" variant="dot">
                            missing
                          </Badge>
                        )}
                      </Table.Td>
                      <Table.Td>{formatDateTime(c.rotatedAt)}</Table.Td>
                      {canWrite && (
                        <Table.Td>
                          <Group gap={4} wrap="nowrap">
                            <Tooltip label="Rotate secret">
                              <ActionIcon variant="subtle" aria-label={`Rotate credential ${c.name}`} onClick={() => setRotating(c)}>
                                <IconRefresh size={16} />
                              </ActionIcon>
                            </Tooltip>
                            <Tooltip label="Edit">
                              <ActionIcon variant="subtle" aria-label={`Edit credential ${c.name}`} onClick={() => setEditing(c)}>
                                <IconPencil size={16} />
                              </ActionIcon>
                            </Tooltip>
                            <Tooltip label="Delete">
                              <ActionIcon variant="subtle" color="red" aria-label={`Delete credential ${c.name}`} onClick={() => remove(c)}>
                                <IconTrash size={16} />
                              </ActionIcon>
                            </Tooltip>
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
      {editing !== undefined && <CredentialFormModal key={editing?.id ?? 'new'} credential={editing} onClose={() => setEditing(undefined)} />}
      {rotating && <RotateModal credential={rotating} onClose={() => setRotating(null)} />}
    </>
  );
}
