import { Badge, Text } from '@mantine/core';
import { useState } from 'react';
import { ResourceList, type ResourceColumn } from '@/components/ResourceList';
import { deleteAction, editAction } from '@/components/RowActions';
import { ROLES, type Role } from '@/lib/auth/roles';
import { useCan, useSession } from '@/lib/auth/useSession';
import { formatDateTime } from '@/lib/format';
import { useListState } from '@/lib/list/useListState';
import { useDeleteUser, useUsers, type User } from '../api/users';
import { UserFormModal } from '../components/UserFormModal';

const ROLE_COLORS: Record<string, string> = { admin: 'grape', operator: 'blue', viewer: 'gray' };

const COLUMNS: ResourceColumn<User>[] = [
  {
    key: 'username',
    header: 'Username',
    cell: (u) => (
      <Text fw={600} size="sm">
        {u.username}
      </Text>
    ),
  },
  { key: 'fullName', header: 'Full name', cell: (u) => u.fullName },
  {
    key: 'email',
    header: 'Email',
    cell: (u) => (
      <Text size="sm" truncate="end" maw={240}>
        {u.email}
      </Text>
    ),
  },
  {
    key: 'role',
    header: 'Role',
    cell: (u) => (
      <Badge color={ROLE_COLORS[u.role] ?? 'gray'} variant="light">
        {u.role}
      </Badge>
    ),
  },
  {
    key: 'status',
    header: 'Status',
    cell: (u) =>
      u.disabled ? (
        <Badge color="red" variant="outline">
          disabled
        </Badge>
      ) : (
        <Badge color="teal" variant="dot">
          active
        </Badge>
      ),
  },
  { key: 'created', header: 'Created', cell: (u) => formatDateTime(u.createdAt) },
];

export default function UsersPage() {
  const canManage = useCan('users:manage');
  const me = useSession().user;
  const list = useListState<{ role: Role | null }>({ role: null });
  const [editing, setEditing] = useState<User | null | undefined>(undefined); // undefined = closed, null = new
  const users = useUsers({ page: list.page, pageSize: list.pageSize, search: list.query, role: list.filters.role ?? undefined });
  const del = useDeleteUser();
  const isMe = (u: User) => !!me && String(me.id) === String(u.id);

  return (
    <ResourceList
      title="Users"
      description="Who may sign in, and with which role"
      noun={{ one: 'user', many: 'users' }}
      create={{ permission: 'users:manage', onClick: () => setEditing(null) }}
      list={list}
      query={users}
      search={{ label: 'Search users', placeholder: 'Search username, name or email' }}
      filters={[{ key: 'role', label: 'Filter by role', placeholder: 'All roles', width: 160, data: ROLES.map((r) => ({ value: r, label: r })) }]}
      columns={COLUMNS}
      rowKey={(u) => u.id}
      rowTestId={(u) => `user-row-${u.username}`}
      rowActions={
        canManage
          ? (u) => [
              editAction(`user ${u.username}`, () => setEditing(u)),
              deleteAction(`user ${u.username}`, u.username, (done) => del.mutate(u.id, done), isMe(u) ? 'You cannot delete yourself' : undefined),
            ]
          : undefined
      }
      actionsWidth={90}
      minWidth={720}
      tableProps={{ verticalSpacing: 'xs' }}
      noMatchDescription="Try another search or role."
    >
      {editing !== undefined && <UserFormModal key={editing?.id ?? 'new'} opened onClose={() => setEditing(undefined)} user={editing} />}
    </ResourceList>
  );
}
