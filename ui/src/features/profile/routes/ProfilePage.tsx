import { Badge, Button, Card, Group, PasswordInput, SimpleGrid, Skeleton, Stack, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { ErrorState } from '@/components/ErrorState';
import { PageHeader } from '@/components/PageHeader';
import { passwordError } from '@/lib/auth/passwordPolicy';
import { notifySuccess } from '@/lib/notify';
import { useChangePassword, useMe, useUpdateProfile, type Me } from '../api/profile';
import { FormErrorAlert } from '@/components/FormErrorAlert';
import { setServerErrors } from '@/lib/forms/serverErrors';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function DetailsForm({ me }: { me: Me }) {
  const update = useUpdateProfile();
  const form = useForm({
    initialValues: { fullName: me.fullName ?? '', email: me.email ?? '' },
    validate: {
      fullName: (v) => (v.trim() ? null : 'Full name is required'),
      email: (v) => (EMAIL.test(v.trim()) ? null : 'Enter a valid email address'),
    },
  });
  const submit = form.onSubmit((v) =>
    update.mutate(
      { me, email: v.email.trim(), fullName: v.fullName.trim() },
      {
        onSuccess: () => {
          notifySuccess('Profile saved');
          form.resetDirty();
        },
        onError: setServerErrors(form),
      },
    ),
  );
  return (
    <Card withBorder padding="lg">
      <Title order={4} mb="md">
        Your details
      </Title>
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          {update.isError && <FormErrorAlert error={update.error} values={form.values} />}
          <Group gap="xs">
            <Text size="sm" c="dimmed">
              Username
            </Text>
            <Text fw={600}>{me.username}</Text>
            <Badge variant="light">{me.role}</Badge>
          </Group>
          <TextInput label="Full name" {...form.getInputProps('fullName')} />
          <TextInput label="Email" type="email" {...form.getInputProps('email')} />
          <Group justify="flex-end">
            <Button type="submit" loading={update.isPending} disabled={!form.isDirty()}>
              Save
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}

function PasswordForm({ me }: { me: Me }) {
  const change = useChangePassword();
  const form = useForm({
    initialValues: { currentPassword: '', newPassword: '', confirm: '' },
    validate: {
      currentPassword: (v) => (v ? null : 'Enter your current password'),
      newPassword: (v, values) => passwordError(v) ?? (v === values.currentPassword ? 'Choose a password you have not used now' : null),
      confirm: (v, values) => (v === values.newPassword ? null : 'Passwords do not match'),
    },
  });
  const submit = form.onSubmit((v) =>
    change.mutate(
      { id: me.id, currentPassword: v.currentPassword, newPassword: v.newPassword },
      {
        onSuccess: () => {
          notifySuccess('Password changed');
          form.reset();
        },
        onError: setServerErrors(form),
      },
    ),
  );
  return (
    <Card withBorder padding="lg">
      <Title order={4} mb="md">
        Change password
      </Title>
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          {change.isError && <FormErrorAlert error={change.error} values={form.values} />}
          <PasswordInput label="Current password" autoComplete="current-password" {...form.getInputProps('currentPassword')} />
          <PasswordInput label="New password" description="At least 12 characters" autoComplete="new-password" {...form.getInputProps('newPassword')} />
          <PasswordInput label="Repeat new password" autoComplete="new-password" {...form.getInputProps('confirm')} />
          <Group justify="flex-end">
            <Button type="submit" loading={change.isPending}>
              Change password
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}

export default function ProfilePage() {
  const me = useMe();
  return (
    <>
      <PageHeader title="Profile" description="Your account" />
      {me.isPending ? (
        <SimpleGrid cols={{ base: 1, md: 2 }}>
          <Skeleton height={300} />
          <Skeleton height={300} />
        </SimpleGrid>
      ) : me.isError ? (
        <ErrorState error={me.error} onRetry={() => me.refetch()} />
      ) : (
        <SimpleGrid cols={{ base: 1, md: 2 }}>
          <DetailsForm me={me.data} />
          <PasswordForm me={me.data} />
        </SimpleGrid>
      )}
    </>
  );
}
