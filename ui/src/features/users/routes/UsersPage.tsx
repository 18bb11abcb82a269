import { ActionIcon, Badge, Button, Card, Group, Select, Table, Text, TextInput, Tooltip } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconPencil, IconPlus, IconSearch, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import { confirmDelete } from '@/components/ConfirmDelete';
import { EmptyState } from '@/components/EmptyState';
import { ErrorState } from '@/components/ErrorState';
import { PageHeader } from '@/components/PageHeader';
import { Pager } from '@/components/Pager';
import { TableSkeleton } from '@/components/TableSkeleton';
import { ROLES, type Role } from '@/lib/auth/roles';
import { useCan, useSession } from '@/lib/auth/useSession';
import { formatDateTime } from '@/lib/format';
import { notifyError, notifySuccess } from '@/lib/notify';
import { useDeleteUser, useUsers, type User } from '../api/users';
import { UserFormModal } from '../components/UserFormModal';

const PAGE_SIZE = 20;
const ROLE_COLORS: Record<string, string> = { admin: 'grape', operator: 'blue', viewer: 'gray' };

export default function UsersPage() {
  const canManage = useCan('users:manage');
  const me = useSession().user;
  const [page, setPage] = useState(1);
  const [search, setSearch] = useState('');
  const [role, setRole] = useState<Role | null>(null);
  const [debounced] = useDebouncedValue(search.trim(), 300);
  const [editing, setEditing] = useState<User | null | undefined>(undefined); // undefined = closed, null = new
  const users = useUsers({ page, pageSize: PAGE_SIZE, search: debounced, role: role ?? undefined });
  const del = useDeleteUser();

  const remove = (u: User) =>
    confirmDelete(`user ${u.username}`, () =>
      del.mutate(u.id, { onSuccess: () => notifySuccess(`Deleted ${u.username}`), onError: (e) => notifyError(e, 'Could not delete') }),
    );

  return (
    <>
      <PageHeader
        title="Users"
        description="Who may sign in, and with which role"
        actions={
          canManage && (
            <Button leftSection={<IconPlus size={16} />} onClick={() => setEditing(null)}>
              New user
            </Button>
          )
        }
      />
      <Card withBorder padding="md">
        <Group mb="md" gap="sm" wrap="wrap">
          <TextInput
            placeholder="Search username, name or email"
            aria-label="Search users"
            leftSection={<IconSearch size={16} />}
            value={search}
            onChange={(e) => {
              setSearch(e.currentTarget.value);
              setPage(1);
            }}
            style={{ flex: '1 1 260px' }}
          />
          <Select
            placeholder="All roles"
            aria-label="Filter by role"
            clearable
            data={ROLES.map((r) => ({ value: r, label: r }))}
            value={role}
            onChange={(v) => {
              setRole(v as Role | null);
              setPage(1);
            }}
            w={160}
          />
        </Group>
        {users.isPending ? (
          <TableSkeleton />
        ) : users.isError ? (
          <ErrorState error={users.error} onRetry={() => users.refetch()} />
        ) : users.data.items.length === 0 ? (
          <EmptyState
            title={debounced || role ? 'No users match' : 'No users yet'}
            description={debounced || role ? 'Try another search or role.' : undefined}
          />
        ) : (
          <>
            <Table.ScrollContainer minWidth={720}>
              <Table striped highlightOnHover verticalSpacing="xs" opacity={users.isPlaceholderData ? 0.6 : 1}>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Username</Table.Th>
                    <Table.Th>Full name</Table.Th>
                    <Table.Th>Email</Table.Th>
                    <Table.Th>Role</Table.Th>
                    <Table.Th>Status</Table.Th>
                    <Table.Th>Created</Table.Th>
                    {canManage && <Table.Th w={90} aria-label="Actions" />}
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {users.data.items.map((u) => (
                    <Table.Tr key={u.id} data-testid={`user-row-${u.username}`}>
                      <Table.Td fw={600}>{u.username}</Table.Td>
                      <Table.Td>{u.fullName}</Table.Td>
                      <Table.Td>
                        <Text size="sm" truncate="end" maw={240}>
                          {u.email}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <Badge color={ROLE_COLORS[u.role] ?? 'gray'} variant="light">
                          {u.role}
                        </Badge>
                      </Table.Td>
                      <Table.Td>
                        {u.disabled ? <Badge color="red" variant="outline">disabled</Badge> : <Badge color="teal" variant="dot">active</Badge>}
                      </Table.Td>
                      <Table.Td>{formatDateTime(u.createdAt)}</Table.Td>
                      {canManage && (
                        <Table.Td>
                          <Group gap={4} wrap="nowrap">
                            <Tooltip label="Edit">
                              <ActionIcon variant="subtle" aria-label={`Edit user ${u.username}`} onClick={() => setEditing(u)}>
                                <IconPencil size={16} />
                              </ActionIcon>
                            </Tooltip>
                            <Tooltip label={me && String(me.id) === String(u.id) ? 'You cannot delete yourself' : 'Delete'}>
                              <ActionIcon
                                variant="subtle"
                                color="red"
                                aria-label={`Delete user ${u.username}`}
                                disabled={!!me && String(me.id) === String(u.id)}
                                onClick={() => remove(u)}
                              >
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
            <Pager page={page} pageSize={PAGE_SIZE} total={users.data.total} onChange={setPage} />
          </>
        )}
      </Card>
      {editing !== undefined && (
        <UserFormModal key={editing?.id ?? 'new'} opened onClose={() => setEditing(undefined)} user={editing} />
      )}
    </>
  );
}
