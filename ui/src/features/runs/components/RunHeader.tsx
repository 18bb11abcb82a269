import { Alert, Anchor, Badge, Button, Card, Code, Group, Menu, SimpleGrid, Table, Text, Title } from '@mantine/core';
import { modals } from '@mantine/modals';
import { IconBell, IconChevronDown, IconPlayerStop, IconRefresh } from '@tabler/icons-react';
import { useContext, useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { useCan } from '@/lib/auth/useSession';
import { formatDateTime } from '@/lib/format';
import { notifyError, notifySuccess } from '@/lib/notify';
import { useCancelRun, useRerun, type StreamState } from '../api/run';
import { isFinal, type RunDetail, type RunView } from '../api/runView';
import { formatDuration, NowContext } from './Duration';
import { RunAgainDialog } from './RunAgainDialog';
import { RunStatusBadge } from './RunStatusBadge';

const STREAM_COLORS: Record<StreamState, string> = { connecting: 'gray', live: 'blue', reconnecting: 'yellow', ended: 'gray', error: 'red' };

/**
 * The run's header: job, number, status (the stream's), trigger, requester, re-run link, stream state, Cancel and
 * Re-run, wait reason, error, times and parameters. `doc` gives what the stream does not carry.
 */
export function RunHeader({ doc, view, stream }: { doc: RunDetail; view: RunView; stream: StreamState }) {
  const navigate = useNavigate();
  const now = useContext(NowContext);
  const canCancel = useCan('runs:cancel');
  const canRun = useCan('jobs:run');
  const cancel = useCancelRun(doc.id);
  const rerun = useRerun(doc.id);
  const [again, setAgain] = useState(false);
  const { status } = view;
  const finished = isFinal(status);
  const anyFailed = view.targets.some((t) => t.status !== 'succeeded');
  const waitReason = view.waitReason ?? doc.waitReason;
  const error = view.error ?? doc.error;
  const startedAt = view.startedAt ?? doc.startedAt;
  const finishedAt = view.finishedAt ?? doc.finishedAt;

  const startRerun = (onlyFailed: boolean) =>
    rerun.mutate(onlyFailed, {
      onSuccess: (r) => {
        notifySuccess(onlyFailed ? 'Re-running the failed targets' : 'Re-running on all targets');
        navigate(`/runs/${r.id}`);
      },
      onError: (e) => notifyError(e, 'Could not re-run'),
    });

  const parameters = doc.parameters != null && typeof doc.parameters === 'object' ? Object.entries(doc.parameters as Record<string, unknown>) : [];
  return (
    <>
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={2}>
            <Anchor component={Link} to={`/jobs/${doc.jobId}`} inherit c="inherit">
              {doc.jobName}
            </Anchor>{' '}
            <Text span c="dimmed" inherit fw={400}>
              #{doc.id}
            </Text>
          </Title>
          <Group gap="xs" mt={4}>
            <span data-testid="run-status">
              <RunStatusBadge status={status} size="lg" />
            </span>
            <Text size="sm" c="dimmed">
              {doc.trigger}
              {doc.scheduleName && (
                <>
                  {' by schedule '}
                  {doc.scheduleId != null ? (
                    <Anchor component={Link} to={`/schedules/${doc.scheduleId}`} size="sm" data-testid="run-schedule">
                      {doc.scheduleName}
                    </Anchor>
                  ) : (
                    <span data-testid="run-schedule">{doc.scheduleName}</span>
                  )}
                </>
              )}
              {' · requested by '}
              {doc.requestedBy}
              {doc.cancelledBy && <span data-testid="run-cancelled-by">{` · Cancelled by ${doc.cancelledBy}`}</span>}
              {doc.rerunOf != null && (
                <>
                  {' · re-run of '}
                  <Anchor component={Link} to={`/runs/${doc.rerunOf}`} size="sm">
                    #{doc.rerunOf}
                  </Anchor>
                </>
              )}
            </Text>
            <Badge variant="dot" color={STREAM_COLORS[stream]} data-testid="stream-state">
              {stream}
            </Badge>
          </Group>
        </div>
        <Group gap="xs">
          <Button variant="default" component={Link} to={`/notifications?runId=${doc.id}`} leftSection={<IconBell size={16} />}>
            Notifications
          </Button>
          {canRun && finished && (
            <Menu position="bottom-end">
              <Menu.Target>
                <Button variant="light" leftSection={<IconRefresh size={16} />} rightSection={<IconChevronDown size={14} />} loading={rerun.isPending}>
                  Re-run
                </Button>
              </Menu.Target>
              <Menu.Dropdown>
                <Menu.Item disabled={!anyFailed} onClick={() => startRerun(true)}>
                  Re-run failed targets
                </Menu.Item>
                <Menu.Item onClick={() => startRerun(false)}>Re-run all targets</Menu.Item>
                <Menu.Item onClick={() => setAgain(true)}>Run again…</Menu.Item>
              </Menu.Dropdown>
            </Menu>
          )}
          {canCancel && !finished && (
            <Button
              color="red"
              variant="light"
              leftSection={<IconPlayerStop size={16} />}
              loading={cancel.isPending}
              disabled={doc.cancelRequested}
              onClick={() =>
                modals.openConfirmModal({
                  title: `Cancel run #${doc.id}?`,
                  children: (
                    <Text size="sm">
                      Steps still running on its targets are stopped and their remote processes killed; steps not started yet are skipped.
                    </Text>
                  ),
                  labels: { confirm: 'Cancel run', cancel: 'Keep running' },
                  confirmProps: { color: 'red' },
                  onConfirm: () => cancel.mutate(undefined, { onSuccess: () => notifySuccess('Cancelling the run'), onError: (e) => notifyError(e) }),
                })
              }
            >
              {doc.cancelRequested ? 'Cancelling…' : 'Cancel run'}
            </Button>
          )}
        </Group>
      </Group>
      {again && <RunAgainDialog doc={doc} onClose={() => setAgain(false)} />}
      {status === 'queued' && waitReason && (
        <Alert color="gray" title="Queued" data-testid="wait-reason">
          {waitReason}
        </Alert>
      )}
      {view.problems.length > 0 && (
        <Alert color="yellow" title="Target problems" data-testid="target-problems">
          {view.problems.join('; ')}
        </Alert>
      )}
      {error && (
        <Alert color="red" title="Run error">
          {error}
        </Alert>
      )}
      <SimpleGrid cols={{ base: 2, md: 4 }}>
        {[
          ['Queued', formatDateTime(doc.queuedAt)],
          ['Started', formatDateTime(startedAt)],
          ['Finished', formatDateTime(finishedAt)],
          ['Duration', formatDuration(startedAt, finishedAt, now)],
        ].map(([label, value]) => (
          <Card withBorder padding="sm" key={label}>
            <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
              {label}
            </Text>
            <Text fw={600}>{value}</Text>
          </Card>
        ))}
      </SimpleGrid>
      {parameters.length > 0 && (
        <Card withBorder padding="sm">
          <Text size="xs" c="dimmed" tt="uppercase" fw={600} mb={4}>
            Parameters
          </Text>
          <Table fz="sm" withRowBorders={false} w="auto">
            <Table.Tbody>
              {parameters.map(([k, v]) => (
                <Table.Tr key={k}>
                  <Table.Td fw={600} pl={0}>
                    {k}
                  </Table.Td>
                  <Table.Td>
                    <Code>{typeof v === 'string' ? v : JSON.stringify(v)}</Code>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Card>
      )}
    </>
  );
}
