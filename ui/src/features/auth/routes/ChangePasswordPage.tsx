import { Alert, Box, Button, Center, Group, Paper, PasswordInput, Stack, Text, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconAlertCircle, IconLock } from '@tabler/icons-react';
import { Navigate, useLocation, useNavigate } from 'react-router-dom';
import { ThemeToggle } from '@/components/ThemeToggle';
import { ApiError } from '@/lib/api/problem';
import { session } from '@/lib/auth/instance';
import { MIN_PASSWORD_LENGTH, passwordError } from '@/lib/auth/passwordPolicy';
import { useSession } from '@/lib/auth/useSession';
import { errorMessage } from '@/lib/notify';
import { useChooseFirstPassword } from '../api/changePassword';

/** First sign-in with a generated or admin-set password: choose one of your own, then go where you were going. */
export default function ChangePasswordPage() {
  const { status, user } = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const from = (location.state as { from?: string } | null)?.from ?? '/';
  const mutation = useChooseFirstPassword();
  const form = useForm({
    initialValues: { currentPassword: '', newPassword: '', confirm: '' },
    validate: {
      currentPassword: (v) => (v ? null : 'Enter the password you signed in with'),
      newPassword: (v, values) => passwordError(v) ?? (v === values.currentPassword ? 'Choose a password different from the current one' : null),
      confirm: (v, values) => (v === values.newPassword ? null : 'Passwords do not match'),
    },
  });

  if (status === 'loading') return null;
  if (status === 'signed-out' || !user) return <Navigate to="/login" replace state={{ from }} />;
  if (!user.mustChangePassword && !mutation.isPending) return <Navigate to={from} replace />;

  const submit = form.onSubmit((v) =>
    mutation.mutate(
      { id: user.id, username: user.username, currentPassword: v.currentPassword, newPassword: v.newPassword },
      {
        onSuccess: () => navigate(from, { replace: true }),
        onError: (err) => {
          if (err instanceof ApiError) form.setErrors(err.fieldErrors);
        },
      },
    ),
  );
  const fieldError = mutation.error instanceof ApiError && Object.keys(mutation.error.fieldErrors).length > 0;

  return (
    <Box mih="100vh" bg="var(--mantine-color-body)">
      <Group justify="flex-end" p="md">
        <ThemeToggle />
      </Group>
      <Center px="md" pt="6vh">
        <Paper withBorder shadow="sm" p="xl" w="100%" maw={420} radius="md">
          <Stack gap="md">
            <Group gap="xs" justify="center">
              <IconLock size={28} color="var(--mantine-color-blue-6)" />
              <Title order={2}>Choose a new password</Title>
            </Group>
            <Text c="dimmed" size="sm" ta="center">
              {user.username}, your password was set for you. Choose one only you know before you continue.
            </Text>
            {mutation.isError && !fieldError && (
              <Alert color="red" icon={<IconAlertCircle size={18} />} role="alert">
                {errorMessage(mutation.error)}
              </Alert>
            )}
            <form onSubmit={submit} noValidate>
              <Stack gap="sm">
                <PasswordInput label="Current password" autoComplete="current-password" autoFocus {...form.getInputProps('currentPassword')} />
                <PasswordInput
                  label="New password"
                  description={`At least ${MIN_PASSWORD_LENGTH} characters`}
                  autoComplete="new-password"
                  {...form.getInputProps('newPassword')}
                />
                <PasswordInput label="Repeat new password" autoComplete="new-password" {...form.getInputProps('confirm')} />
                <Button type="submit" loading={mutation.isPending} fullWidth mt="xs">
                  Change password and continue
                </Button>
                <Button variant="subtle" color="gray" onClick={() => void session.logout()}>
                  Sign out
                </Button>
              </Stack>
            </form>
          </Stack>
        </Paper>
      </Center>
    </Box>
  );
}
