import { Button, Center, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { IconLock } from '@tabler/icons-react';
import { Link } from 'react-router-dom';
import { useSession } from '@/lib/auth/useSession';

/** What a create or edit route shows a role that may not use it, instead of a form that does nothing. */
export function NeedsRole({ what, role = 'operator', back = '/' }: { what: string; role?: string; back?: string }) {
  const current = useSession().user?.role;
  return (
    <Center py="xl" data-testid="needs-role">
      <Stack align="center" gap="xs" maw={460}>
        <ThemeIcon size={48} radius="xl" variant="light" color="gray">
          <IconLock size={26} />
        </ThemeIcon>
        <Title order={3}>You need the {role} role</Title>
        <Text c="dimmed" size="sm" ta="center">
          To {what} you need the {role} role{current ? `; you are signed in as a ${current}` : ''}. Ask an administrator to change your role.
        </Text>
        <Button variant="light" component={Link} to={back}>
          Go back
        </Button>
      </Stack>
    </Center>
  );
}
