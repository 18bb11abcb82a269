import { Accordion, Anchor, Badge, Button, Card, Code, Group, ScrollArea, SimpleGrid, Skeleton, Stack, Text, Title } from '@mantine/core';
import { IconArrowLeft, IconPlayerStop } from '@tabler/icons-react';
import { useEffect, useRef } from 'react';
import { Link, useParams } from 'react-router-dom';
import { ErrorState } from '@/components/ErrorState';
import { useCan } from '@/lib/auth/useSession';
import { formatDateTime, formatDuration } from '@/lib/format';
import { notifyError, notifySuccess } from '@/lib/notify';
import { FINAL_STATUSES, useCancelRun, useRun, useRunEvents } from '../api/run';
import { RunStatusBadge } from '../components/RunStatusBadge';

function LiveLog({ id }: { id: string }) {
  const { lines, state } = useRunEvents(id, true);
  const viewport = useRef<HTMLDivElement>(null);
  useEffect(() => {
    viewport.current?.scrollTo({ top: viewport.current.scrollHeight });
  }, [lines.length]);
  return (
    <Card withBorder padding="md">
      <Group justify="space-between" mb="sm">
        <Title order={4}>Live output</Title>
        <Badge variant="dot" color={state === 'live' ? 'blue' : state === 'error' ? 'red' : 'gray'}>
          {state}
        </Badge>
      </Group>
      <ScrollArea h={360} viewportRef={viewport} type="auto" bg="var(--mantine-color-dark-8)" style={{ borderRadius: 8 }}>
        <Code block bg="transparent" c="gray.3" fz={12} data-testid="run-log">
          {lines.length === 0
            ? state === 'error'
              ? 'The live stream is not available.'
              : 'Waiting for output…'
            : lines.map((l) => (
                <div key={l.key} style={{ color: l.stream === 'stderr' ? 'var(--mantine-color-red-4)' : undefined }}>
                  {l.target ? `[${l.target}] ` : ''}
                  {l.text}
                </div>
              ))}
        </Code>
      </ScrollArea>
    </Card>
  );
}

export default function RunDetailPage() {
  const { id = '' } = useParams();
  const run = useRun(id);
  const canCancel = useCan('runs:cancel');
  const cancel = useCancelRun(id);

  return (
    <Stack gap="lg">
      <Anchor component={Link} to="/runs" size="sm">
        <Group gap={4}>
          <IconArrowLeft size={14} /> All runs
        </Group>
      </Anchor>
      {run.isPending ? (
        <Skeleton height={140} />
      ) : run.isError ? (
        <ErrorState error={run.error} onRetry={() => run.refetch()} />
      ) : (
        <>
          <Group justify="space-between" align="flex-end">
            <div>
              <Title order={2}>{run.data.jobName ?? `Run ${run.data.id}`}</Title>
              <Group gap="xs" mt={4}>
                <RunStatusBadge status={run.data.status} />
                <Text size="sm" c="dimmed">
                  {run.data.trigger} · requested by {run.data.requestedBy ?? '—'}
                </Text>
              </Group>
            </div>
            {canCancel && !FINAL_STATUSES.has(run.data.status) && (
              <Button
                color="red"
                variant="light"
                leftSection={<IconPlayerStop size={16} />}
                loading={cancel.isPending}
                onClick={() => cancel.mutate(undefined, { onSuccess: () => notifySuccess('Cancelling the run'), onError: (e) => notifyError(e) })}
              >
                Cancel run
              </Button>
            )}
          </Group>
          <SimpleGrid cols={{ base: 2, md: 4 }}>
            {[
              ['Queued', formatDateTime(run.data.queuedAt)],
              ['Started', formatDateTime(run.data.startedAt)],
              ['Finished', formatDateTime(run.data.finishedAt)],
              ['Duration', formatDuration(run.data.startedAt, run.data.finishedAt)],
            ].map(([label, value]) => (
              <Card withBorder padding="sm" key={label}>
                <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
                  {label}
                </Text>
                <Text fw={600}>{value}</Text>
              </Card>
            ))}
          </SimpleGrid>
          <LiveLog id={id} />
          {!!run.data.targets?.length && (
            <Card withBorder padding="md">
              <Title order={4} mb="sm">
                Targets
              </Title>
              <Accordion variant="separated">
                {run.data.targets.map((t) => (
                  <Accordion.Item key={String(t.targetId)} value={String(t.targetId)}>
                    <Accordion.Control>
                      <Group gap="sm">
                        <Text fw={600}>{t.targetName ?? t.targetId}</Text>
                        <RunStatusBadge status={t.status} />
                      </Group>
                    </Accordion.Control>
                    <Accordion.Panel>
                      <Stack gap="sm">
                        {(t.steps ?? []).map((s, i) => (
                          <div key={i}>
                            <Group gap="xs" mb={4}>
                              <Text fw={600} size="sm">
                                {s.name}
                              </Text>
                              <RunStatusBadge status={s.status} />
                              {s.exitCode != null && (
                                <Text size="xs" c="dimmed">
                                  exit {s.exitCode}
                                </Text>
                              )}
                            </Group>
                            {s.stdout && <Code block>{s.stdout}</Code>}
                            {s.stderr && (
                              <Code block c="red">
                                {s.stderr}
                              </Code>
                            )}
                          </div>
                        ))}
                      </Stack>
                    </Accordion.Panel>
                  </Accordion.Item>
                ))}
              </Accordion>
            </Card>
          )}
        </>
      )}
    </Stack>
  );
}
