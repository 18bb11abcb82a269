import { Alert, Button, Group, Modal, PasswordInput, Select, Stack, Switch, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { ApiError, unmatchedFieldErrors } from '@/lib/api/problem';
import { passwordError } from '@/lib/auth/passwordPolicy';
import { ROLES, type Role } from '@/lib/auth/roles';
import { errorMessage, notifySuccess } from '@/lib/notify';
import { useCreateUser, useUpdateUser, type User } from '../api/users';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const ROLE_OPTIONS = ROLES.map((r) => ({ value: r, label: r[0].toUpperCase() + r.slice(1) }));

type Values = { username: string; email: string; fullName: string; role: Role; password: string; disabled: boolean };

/** Create (no `user`) or edit a user. Server validation errors land on their fields. */
export function UserFormModal({ opened, onClose, user }: { opened: boolean; onClose: () => void; user?: User | null }) {
  const editing = !!user;
  const create = useCreateUser();
  const update = useUpdateUser();
  const mutation = editing ? update : create;
  const form = useForm<Values>({
    initialValues: {
      username: user?.username ?? '',
      email: user?.email ?? '',
      fullName: user?.fullName ?? '',
      role: (user?.role as Role) ?? 'viewer',
      password: '',
      disabled: !!user?.disabled,
    },
    validate: {
      username: (v) => (editing ? null : /^[a-zA-Z0-9._-]{3,64}$/.test(v) ? null : 'Use 3–64 letters, digits, dots, dashes or underscores'),
      email: (v) => (EMAIL.test(v.trim()) ? null : 'Enter a valid email address'),
      fullName: (v) => (v.trim() ? null : 'Full name is required'),
      password: (v) => (editing ? null : passwordError(v)),
    },
  });

  const fields = editing ? ['email', 'fullName', 'role', 'disabled'] : ['username', 'email', 'fullName', 'role', 'password'];
  const leftover =
    mutation.error instanceof ApiError ? unmatchedFieldErrors(mutation.error.fieldErrors, fields) : [];

  const submit = form.onSubmit((v) => {
    const onError = (err: Error) => {
      if (!(err instanceof ApiError)) return;
      // A conflict on create means the username is taken; show it where it can be fixed.
      if (err.status === 409 && !editing) form.setErrors({ username: err.message });
      else form.setErrors(err.fieldErrors);
    };
    const done = (msg: string) => {
      notifySuccess(msg);
      onClose();
    };
    if (editing) {
      update.mutate(
        { id: user.id, body: { email: v.email.trim(), fullName: v.fullName.trim(), role: v.role, disabled: v.disabled } },
        { onSuccess: () => done(`Saved ${user.username}`), onError },
      );
    } else {
      create.mutate(
        { username: v.username.trim(), email: v.email.trim(), fullName: v.fullName.trim(), role: v.role, password: v.password },
        { onSuccess: () => done(`Created ${v.username.trim()}`), onError },
      );
    }
  });

  return (
    <Modal opened={opened} onClose={onClose} title={editing ? `Edit ${user.username}` : 'New user'} centered>
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          {mutation.isError && (
            <Alert color="red" role="alert">
              {errorMessage(mutation.error)}
              {leftover.map((m) => (
                <div key={m}>{m}</div>
              ))}
            </Alert>
          )}
          {!editing && <TextInput label="Username" required {...form.getInputProps('username')} />}
          <TextInput label="Full name" required {...form.getInputProps('fullName')} />
          <TextInput label="Email" type="email" required {...form.getInputProps('email')} />
          <Select label="Role" data={ROLE_OPTIONS} allowDeselect={false} required {...form.getInputProps('role')} />
          {!editing && (
            <PasswordInput
              label="Initial password"
              description="At least 12 characters. The user chooses a new password at first sign-in."
              required
              autoComplete="new-password"
              {...form.getInputProps('password')}
            />
          )}
          {editing && <Switch label="Disabled (cannot sign in)" {...form.getInputProps('disabled', { type: 'checkbox' })} />}
          <Group justify="flex-end" mt="sm">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={mutation.isPending}>
              {editing ? 'Save' : 'Create user'}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
