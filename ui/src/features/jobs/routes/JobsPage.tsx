import { Anchor, Badge, Button, Group, Text } from '@mantine/core';
import { IconDownload, IconFileImport, IconPlayerPlay } from '@tabler/icons-react';
import { Link, useNavigate } from 'react-router-dom';
import { useState } from 'react';
import { ResourceList, type ResourceColumn } from '@/components/ResourceList';
import { RunJobDialog } from '@/components/RunJobDialog';
import { StatusBadge } from '@/components/StatusBadge';
import { deleteAction, editAction, type RowAction } from '@/components/RowActions';
import { useCan } from '@/lib/auth/useSession';
import { useListState } from '@/lib/list/useListState';
import { formatDateTime } from '@/lib/format';
import { notifyError } from '@/lib/notify';
import { formatRelative } from '@/lib/relativeTime';
import { downloadText, exportJob, useDeleteJob, useJobs, type Job } from '../api/jobs';
import { ImportJobsModal } from '../components/ImportJobsModal';

const COLUMNS: ResourceColumn<Job>[] = [
  {
    key: 'name',
    header: 'Name',
    cell: (j) => (
      <>
        <Anchor component={Link} to={`/jobs/${j.id}`} fw={600} size="sm">
          {j.name}
        </Anchor>
        {j.description && (
          <Text size="xs" c="dimmed" lineClamp={1}>
            {j.description}
          </Text>
        )}
      </>
    ),
  },
  {
    key: 'lastRun',
    header: 'Last run',
    // The newest run (the list carries it: one query for the page): its status and when it finished, or was queued.
    cell: (j) => {
      const r = j.lastRun;
      if (!r) return <Text size="sm" c="dimmed">never</Text>;
      const when = r.finishedAt ?? r.queuedAt;
      return (
        <Anchor component={Link} to={`/runs/${r.id}`} underline="never" data-testid="job-last-run" aria-label={`Last run #${r.id}: ${r.status.replaceAll('_', ' ')}, ${formatRelative(when, Date.now())}`}>
          <Group gap={6} wrap="nowrap">
            <StatusBadge status={r.status} size="sm" />
            <Text size="xs" c="dimmed" title={formatDateTime(when)} style={{ whiteSpace: 'nowrap' }}>
              {formatRelative(when, Date.now())}
            </Text>
          </Group>
        </Anchor>
      );
    },
  },
  { key: 'steps', header: 'Steps', cell: (j) => <Badge variant="light">{j.steps?.length ?? 0}</Badge> },
  { key: 'parameters', header: 'Parameters', cell: (j) => j.parameters?.map((p) => p.name).join(', ') || '—' },
  {
    key: 'targets',
    header: 'Targets',
    cell: (j) => (
      <Text size="sm">
        {[
          j.targets?.targetIds?.length ? `${j.targets.targetIds.length} target(s)` : '',
          j.targets?.tags?.length ? `tags: ${j.targets.tags.join(', ')}` : '',
        ]
          .filter(Boolean)
          .join(' · ') || '—'}
      </Text>
    ),
  },
];

export default function JobsPage() {
  const canWrite = useCan('jobs:write');
  const canRun = useCan('jobs:run');
  const list = useListState();
  const navigate = useNavigate();
  const [importing, setImporting] = useState(false);
  const [running, setRunning] = useState<Job | null>(null);
  const jobs = useJobs({ page: list.page, pageSize: list.pageSize, search: list.query || undefined });
  const del = useDeleteJob();

  const exportYaml = async (j: Job) => {
    try {
      downloadText(`${j.name.replace(/[^A-Za-z0-9._-]+/g, '-')}.yaml`, await exportJob(j.id));
    } catch (e) {
      notifyError(e, 'Could not export');
    }
  };

  // Everyone may export; running and changing go by role.
  const actions = (j: Job): RowAction[] => [
    { key: 'export', label: 'Export YAML', ariaLabel: `Export job ${j.name}`, icon: <IconDownload size={16} />, color: 'gray', onClick: () => exportYaml(j) },
    ...(canRun ? [{ key: 'run', label: 'Run', ariaLabel: `Run job ${j.name}`, icon: <IconPlayerPlay size={16} />, color: 'teal', onClick: () => setRunning(j) }] : []),
    ...(canWrite ? [editAction(`job ${j.name}`, () => navigate(`/jobs/${j.id}`)), deleteAction(`job ${j.name}`, j.name, (done) => del.mutate(j.id, done))] : []),
  ];

  return (
    <ResourceList
      title="Jobs"
      description="Reusable procedures with typed parameters and steps"
      noun={{ one: 'job', many: 'jobs' }}
      create={{
        permission: 'jobs:write',
        onClick: () => navigate('/jobs/new'),
        before: (
          <Button variant="default" leftSection={<IconFileImport size={16} />} onClick={() => setImporting(true)}>
            Import YAML
          </Button>
        ),
      }}
      list={list}
      query={jobs}
      search={{ label: 'Search jobs', placeholder: 'Search jobs' }}
      columns={COLUMNS}
      rowKey={(j) => j.id}
      rowActions={actions}
      actionsWidth={150}
      minWidth={760}
      emptyDescription="Jobs define the steps to run on your targets."
    >
      {importing && <ImportJobsModal onClose={() => setImporting(false)} />}
      {running && <RunJobDialog job={running} onClose={() => setRunning(null)} />}
    </ResourceList>
  );
}
