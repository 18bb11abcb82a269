import { Group, Text } from '@mantine/core';
import type { ReactNode } from 'react';

/** A label and its value, one per line, on the target page. */
export function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Group gap="xs" wrap="nowrap" align="flex-start">
      <Text size="sm" c="dimmed" w={150} style={{ flexShrink: 0 }}>
        {label}
      </Text>
      <div style={{ minWidth: 0, wordBreak: 'break-all' }}>{children}</div>
    </Group>
  );
}
