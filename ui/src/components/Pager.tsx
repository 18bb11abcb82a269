import { Group, Pagination, Text } from '@mantine/core';

/** `total` may be typed `number | string`: .NET's OpenAPI document allows integers as strings. */
export function Pager({ page, pageSize, total: rawTotal, onChange }: { page: number; pageSize: number; total: number | string; onChange: (p: number) => void }) {
  const total = Number(rawTotal) || 0;
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const from = total === 0 ? 0 : (page - 1) * pageSize + 1;
  const to = Math.min(total, page * pageSize);
  return (
    <Group justify="space-between" mt="md">
      <Text size="sm" c="dimmed">
        {from}–{to} of {total}
      </Text>
      {pages > 1 && <Pagination total={pages} value={page} onChange={onChange} size="sm" />}
    </Group>
  );
}
