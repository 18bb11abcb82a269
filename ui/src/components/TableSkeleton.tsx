import { Skeleton, Stack } from '@mantine/core';

export function TableSkeleton({ rows = 6 }: { rows?: number }) {
  return (
    <Stack gap="xs" data-testid="loading">
      <Skeleton height={34} />
      {Array.from({ length: rows }, (_, i) => (
        <Skeleton key={i} height={28} opacity={1 - i * 0.12} />
      ))}
    </Stack>
  );
}
