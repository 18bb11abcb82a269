import { Anchor, Group, Skeleton, Stack } from '@mantine/core';
import { IconArrowLeft } from '@tabler/icons-react';
import { useMemo } from 'react';
import { Link, useParams } from 'react-router-dom';
import { ErrorState } from '@/components/ErrorState';
import { useRun, useRunStream } from '../api/run';
import { isFinal, viewFromDocument } from '../api/runView';
import { NowContext, useNow } from '../components/Duration';
import { RunHeader } from '../components/RunHeader';
import { TargetList } from '../components/TargetList';

/**
 * A run, live: the fold of its event stream (statuses, targets, output) under a header from the run document.
 * The document is polled only while the stream is down; when the stream gave up before it said anything, the
 * run is shown from the document.
 */
export default function RunDetailPage() {
  const { id: rawId = '' } = useParams();
  const id = Number(rawId);
  const { view: streamed, state } = useRunStream(id);
  const run = useRun(id, state === 'reconnecting' || state === 'error');
  const doc = run.data;
  const view = useMemo(() => {
    if (!doc) return streamed;
    if (state === 'error' && streamed.lastEventId === 0) return viewFromDocument(doc, streamed);
    // Before the stream said anything, or once it gave up, the (polled) document knows the status better.
    const stale = streamed.lastEventId === 0 || state === 'error';
    return stale && doc.status !== streamed.status && !streamed.ended ? { ...streamed, status: doc.status } : streamed;
  }, [doc, streamed, state]);
  const finished = isFinal(view.status);
  const now = useNow(!finished);

  return (
    <NowContext.Provider value={now}>
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
            <RunHeader doc={run.data} view={view} stream={state} />
            <TargetList key={id} runId={id} jobName={run.data.jobName} targets={view.targets} finished={finished} />
          </>
        )}
      </Stack>
    </NowContext.Provider>
  );
}
