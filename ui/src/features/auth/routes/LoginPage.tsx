import { Alert, Box, Button, Center, Group, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconAlertCircle, IconInfoCircle, IconTopologyStar3 } from '@tabler/icons-react';
import { Navigate, useLocation, useNavigate } from 'react-router-dom';
import { ThemeToggle } from '@/components/ThemeToggle';
import { ApiError } from '@/lib/api/problem';
import { session } from '@/lib/auth/instance';
import { useSession } from '@/lib/auth/useSession';
import { errorMessage } from '@/lib/notify';
import { useLogin } from '../api/login';

function loginErrorText(err: unknown): string {
  if (err instanceof ApiError) {
    if (err.status === 401) return err.problem.detail ?? 'Invalid username or password';
    if (err.status === 429) {
      const wait = err.retryAfterSeconds ? ` Try again in ${err.retryAfterSeconds} seconds.` : ' Try again later.';
      return `Too many sign-in attempts.${wait}`;
    }
  }
  return errorMessage(err);
}

export default function LoginPage() {
  const { status, notice } = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const from = (location.state as { from?: string } | null)?.from ?? '/';
  const mutation = useLogin();
  const form = useForm({
    initialValues: { username: '', password: '' },
    validate: {
      username: (v) => (v.trim() ? null : 'Username is required'),
      password: (v) => (v ? null : 'Password is required'),
    },
  });

  if (status === 'signed-in') return <Navigate to={from} replace />;

  const submit = form.onSubmit((values) => {
    session.clearNotice();
    mutation.mutate(
      { username: values.username.trim(), password: values.password },
      {
        onSuccess: () => navigate(from, { replace: true }),
        onError: (err) => {
          if (err instanceof ApiError) form.setErrors(err.fieldErrors);
        },
      },
    );
  });

  return (
    <Box mih="100vh" bg="var(--mantine-color-body)">
      <Group justify="flex-end" p="md">
        <ThemeToggle />
      </Group>
      <Center px="md" pt="6vh">
        <Paper withBorder shadow="sm" p="xl" w="100%" maw={400} radius="md">
          <Stack gap="md">
            <Group gap="xs" justify="center">
              <IconTopologyStar3 size={30} color="var(--mantine-color-blue-6)" />
              <Title order={2}>OpsConductor</Title>
            </Group>
            <Text c="dimmed" size="sm" ta="center">
              Sign in to run operations on your servers
            </Text>
            {notice && !mutation.isError && (
              <Alert color="yellow" icon={<IconInfoCircle size={18} />} data-testid="session-notice">
                {notice}
              </Alert>
            )}
            {mutation.isError && (
              <Alert color="red" icon={<IconAlertCircle size={18} />} role="alert" data-testid="login-error">
                {loginErrorText(mutation.error)}
              </Alert>
            )}
            <form onSubmit={submit} noValidate>
              <Stack gap="sm">
                <TextInput label="Username" autoComplete="username" autoFocus {...form.getInputProps('username')} />
                <PasswordInput label="Password" autoComplete="current-password" {...form.getInputProps('password')} />
                <Button type="submit" loading={mutation.isPending} fullWidth mt="xs">
                  Sign in
                </Button>
              </Stack>
            </form>
          </Stack>
        </Paper>
      </Center>
    </Box>
  );
}
