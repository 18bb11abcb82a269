import { Button, Stack, Text, Title } from '@mantine/core';
import { Link } from 'react-router-dom';

export function NotFound({ title = 'Page not found', message = 'There is nothing at this address.' }: { title?: string; message?: string }) {
  return (
    <Stack align="center" py="xl" gap="sm">
      <Title order={3}>{title}</Title>
      <Text c="dimmed">{message}</Text>
      <Button component={Link} to="/" variant="light">
        Back to the dashboard
      </Button>
    </Stack>
  );
}
