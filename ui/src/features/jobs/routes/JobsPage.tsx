import { Badge, Card, Table, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconSearch } from '@tabler/icons-react';
import { useState } from 'react';
import { EmptyState } from '@/components/EmptyState';
import { ErrorState } from '@/components/ErrorState';
import { PageHeader } from '@/components/PageHeader';
import { Pager } from '@/components/Pager';
import { TableSkeleton } from '@/components/TableSkeleton';
import { useJobs } from '../api/jobs';

const PAGE_SIZE = 25;

export default function JobsPage() {
  const [page, setPage] = useState(1);
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search.trim(), 300);
  const jobs = useJobs({ page, pageSize: PAGE_SIZE, search: debounced || undefined });
  return (
    <>
      <PageHeader title="Jobs" description="Reusable procedures with typed parameters and steps" />
      <Card withBorder padding="md">
        <TextInput
          mb="md"
          placeholder="Search jobs"
          aria-label="Search jobs"
          leftSection={<IconSearch size={16} />}
          value={search}
          onChange={(e) => {
            setSearch(e.currentTarget.value);
            setPage(1);
          }}
        />
        {jobs.isPending ? (
          <TableSkeleton />
        ) : jobs.isError ? (
          <ErrorState error={jobs.error} onRetry={() => jobs.refetch()} />
        ) : jobs.data.items.length === 0 ? (
          <EmptyState title="No jobs yet" description="Jobs define the steps to run on your targets." />
        ) : (
          <>
            <Table.ScrollContainer minWidth={560}>
              <Table striped highlightOnHover>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Name</Table.Th>
                    <Table.Th>Description</Table.Th>
                    <Table.Th>Steps</Table.Th>
                    <Table.Th>Parameters</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {jobs.data.items.map((j) => (
                    <Table.Tr key={j.id}>
                      <Table.Td fw={600}>{j.name}</Table.Td>
                      <Table.Td>
                        <Text size="sm" c="dimmed" lineClamp={1}>
                          {j.description || '—'}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <Badge variant="light">{j.steps?.length ?? 0}</Badge>
                      </Table.Td>
                      <Table.Td>{j.parameters?.map((p) => p.name).join(', ') || '—'}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            <Pager page={page} pageSize={PAGE_SIZE} total={jobs.data.total} onChange={setPage} />
          </>
        )}
      </Card>
    </>
  );
}
