import { ActionIcon, Badge, Button, Card, Group, Table, Text, TextInput, Tooltip } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconPencil, IconPlayerPlay, IconPlus, IconSearch, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import { confirmDelete } from '@/components/ConfirmDelete';
import { EmptyState } from '@/components/EmptyState';
import { ErrorState } from '@/components/ErrorState';
import { PageHeader } from '@/components/PageHeader';
import { Pager } from '@/components/Pager';
import { TableSkeleton } from '@/components/TableSkeleton';
import { useCan } from '@/lib/auth/useSession';
import { notifyError, notifySuccess } from '@/lib/notify';
import { useDeleteJob, useJobs, type Job } from '../api/jobs';
import { JobFormModal } from '../components/JobFormModal';
import { RunJobModal } from '../components/RunJobModal';

const PAGE_SIZE = 25;

export default function JobsPage() {
  const canWrite = useCan('jobs:write');
  const canRun = useCan('jobs:run');
  const [page, setPage] = useState(1);
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search.trim(), 300);
  const [editing, setEditing] = useState<Job | null | undefined>(undefined);
  const [running, setRunning] = useState<Job | null>(null);
  const jobs = useJobs({ page, pageSize: PAGE_SIZE, search: debounced || undefined });
  const del = useDeleteJob();

  const remove = (j: Job) =>
    confirmDelete(`job ${j.name}`, () =>
      del.mutate(j.id, { onSuccess: () => notifySuccess(`Deleted ${j.name}`), onError: (e) => notifyError(e, 'Could not delete') }),
    );

  return (
    <>
      <PageHeader
        title="Jobs"
        description="Reusable procedures with typed parameters and steps"
        actions={
          canWrite && (
            <Button leftSection={<IconPlus size={16} />} onClick={() => setEditing(null)}>
              New job
            </Button>
          )
        }
      />
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
          <EmptyState title={debounced ? 'No jobs match' : 'No jobs yet'} description="Jobs define the steps to run on your targets." />
        ) : (
          <>
            <Table.ScrollContainer minWidth={640}>
              <Table striped highlightOnHover>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Name</Table.Th>
                    <Table.Th>Steps</Table.Th>
                    <Table.Th>Parameters</Table.Th>
                    <Table.Th>Targets</Table.Th>
                    {(canWrite || canRun) && <Table.Th w={130} aria-label="Actions" />}
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {jobs.data.items.map((j) => (
                    <Table.Tr key={j.id}>
                      <Table.Td>
                        <Text fw={600} size="sm">
                          {j.name}
                        </Text>
                        {j.description && (
                          <Text size="xs" c="dimmed" lineClamp={1}>
                            {j.description}
                          </Text>
                        )}
                      </Table.Td>
                      <Table.Td>
                        <Badge variant="light">{j.steps?.length ?? 0}</Badge>
                      </Table.Td>
                      <Table.Td>{j.parameters?.map((p) => p.name).join(', ') || '—'}</Table.Td>
                      <Table.Td>
                        <Text size="sm">
                          {[
                            j.targets?.targetIds?.length ? `${j.targets.targetIds.length} target(s)` : '',
                            j.targets?.tags?.length ? `tags: ${j.targets.tags.join(', ')}` : '',
                          ]
                            .filter(Boolean)
                            .join(' · ') || '—'}
                        </Text>
                      </Table.Td>
                      {(canWrite || canRun) && (
                        <Table.Td>
                          <Group gap={4} wrap="nowrap">
                            {canRun && (
                              <Tooltip label="Run">
                                <ActionIcon variant="subtle" color="teal" aria-label={`Run job ${j.name}`} onClick={() => setRunning(j)}>
                                  <IconPlayerPlay size={16} />
                                </ActionIcon>
                              </Tooltip>
                            )}
                            {canWrite && (
                              <>
                                <Tooltip label="Edit">
                                  <ActionIcon variant="subtle" aria-label={`Edit job ${j.name}`} onClick={() => setEditing(j)}>
                                    <IconPencil size={16} />
                                  </ActionIcon>
                                </Tooltip>
                                <Tooltip label="Delete">
                                  <ActionIcon variant="subtle" color="red" aria-label={`Delete job ${j.name}`} onClick={() => remove(j)}>
                                    <IconTrash size={16} />
                                  </ActionIcon>
                                </Tooltip>
                              </>
                            )}
                          </Group>
                        </Table.Td>
                      )}
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            <Pager page={page} pageSize={PAGE_SIZE} total={jobs.data.total} onChange={setPage} />
          </>
        )}
      </Card>
      {editing !== undefined && <JobFormModal key={editing?.id ?? 'new'} job={editing} onClose={() => setEditing(undefined)} />}
      {running && <RunJobModal job={running} onClose={() => setRunning(null)} />}
    </>
  );
}
