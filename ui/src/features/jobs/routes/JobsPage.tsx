import { ActionIcon, Anchor, Badge, Button, Card, Group, Table, Text, TextInput, Tooltip } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconDownload, IconFileImport, IconPencil, IconPlayerPlay, IconPlus, IconSearch, IconTrash } from '@tabler/icons-react';
import { Link, useNavigate } from 'react-router-dom';
import { useState } from 'react';
import { confirmDelete } from '@/components/ConfirmDelete';
import { EmptyState } from '@/components/EmptyState';
import { ErrorState } from '@/components/ErrorState';
import { PageHeader } from '@/components/PageHeader';
import { Pager } from '@/components/Pager';
import { TableSkeleton } from '@/components/TableSkeleton';
import { useCan } from '@/lib/auth/useSession';
import { notifyError, notifySuccess } from '@/lib/notify';
import { downloadText, exportJob, useDeleteJob, useJobs, type Job } from '../api/jobs';
import { ImportJobsModal } from '../components/ImportJobsModal';
import { RunJobModal } from '../components/RunJobModal';

const PAGE_SIZE = 25;

export default function JobsPage() {
  const canWrite = useCan('jobs:write');
  const canRun = useCan('jobs:run');
  const [page, setPage] = useState(1);
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search.trim(), 300);
  const navigate = useNavigate();
  const [importing, setImporting] = useState(false);
  const [running, setRunning] = useState<Job | null>(null);
  const jobs = useJobs({ page, pageSize: PAGE_SIZE, search: debounced || undefined });
  const del = useDeleteJob();

  const remove = (j: Job) =>
    confirmDelete(`job ${j.name}`, () =>
      del.mutate(j.id, { onSuccess: () => notifySuccess(`Deleted ${j.name}`), onError: (e) => notifyError(e, 'Could not delete') }),
    );

  const exportYaml = async (j: Job) => {
    try {
      downloadText(`${j.name.replace(/[^A-Za-z0-9._-]+/g, '-')}.yaml`, await exportJob(j.id));
    } catch (e) {
      notifyError(e, 'Could not export');
    }
  };

  return (
    <>
      <PageHeader
        title="Jobs"
        description="Reusable procedures with typed parameters and steps"
        actions={
          canWrite && (
            <Group gap="xs">
              <Button variant="default" leftSection={<IconFileImport size={16} />} onClick={() => setImporting(true)}>
                Import YAML
              </Button>
              <Button leftSection={<IconPlus size={16} />} onClick={() => navigate('/jobs/new')}>
                New job
              </Button>
            </Group>
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
                    <Table.Th w={150} aria-label="Actions" />
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {jobs.data.items.map((j) => (
                    <Table.Tr key={j.id}>
                      <Table.Td>
                        <Anchor component={Link} to={`/jobs/${j.id}`} fw={600} size="sm">
                          {j.name}
                        </Anchor>
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
                      {(
                        <Table.Td>
                          <Group gap={4} wrap="nowrap">
                            <Tooltip label="Export YAML">
                              <ActionIcon variant="subtle" color="gray" aria-label={`Export job ${j.name}`} onClick={() => exportYaml(j)}>
                                <IconDownload size={16} />
                              </ActionIcon>
                            </Tooltip>
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
                                  <ActionIcon variant="subtle" aria-label={`Edit job ${j.name}`} onClick={() => navigate(`/jobs/${j.id}`)}>
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
      {importing && <ImportJobsModal onClose={() => setImporting(false)} />}
      {running && <RunJobModal job={running} onClose={() => setRunning(null)} />}
    </>
  );
}
