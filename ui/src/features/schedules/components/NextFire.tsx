import { Stack, Text } from '@mantine/core';
import { formatInZone } from '../api/cron';

/** A fire time in UTC with the browser's local time under it. */
export function NextFire({ at }: { at: string | null | undefined }) {
  if (!at) return <Text size="sm">—</Text>;
  return (
    <Stack gap={0}>
      <Text size="sm" ff="monospace">
        {formatInZone(at, 'UTC')} UTC
      </Text>
      <Text size="xs" c="dimmed" ff="monospace">
        {formatInZone(at)} local
      </Text>
    </Stack>
  );
}
