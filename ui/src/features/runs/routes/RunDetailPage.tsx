import { Alert, Anchor, Badge, Button, Card, Code, Group, Menu, SimpleGrid, Skeleton, Stack, Table, Text, Title } from '@mantine/core';
import { IconArrowLeft, IconChevronDown, IconChevronRight, IconPlayerStop, IconRefresh } from '@tabler/icons-react';
import { createContext, memo, useCallback, useContext, useEffect, useMemo, useRef, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { ErrorState } from '@/components/ErrorState';
import { useCan } from '@/lib/auth/useSession';
import { formatDateTime } from '@/lib/format';
import { notifyError, notifySuccess } from '@/lib/notify';
import { MANY_TARGETS, useCancelRun, useRerun, useRun, useRunEvents, type StreamState } from '../api/run';
import { FINAL_STATUSES, mergeTargets, outputBlocks, type MergeCache, type OutputLine, type StepView, type TargetView } from '../api/runState';
import { RunStatusBadge } from '../components/RunStatusBadge';

/** Ticks every second while something is running, for live durations. */
function useNow(active: boolean) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, [active]);
  return now;
}

/**
 * The ticking clock, read only by the live durations: a tick re-renders those few text nodes, not every
 * target card (with 200 targets, re-rendering every card each second took frames of well over 100 ms).
 */
const NowContext = createContext(0);

function Duration({ start, end }: { start: string | null | undefined; end: string | null | undefined }) {
  const now = useContext(NowContext);
  return <>{duration(start, end, now)}</>;
}

function duration(start: string | null | undefined, end: string | null | undefined, now: number): string {
  if (!start) return '—';
  const ms = (end ? new Date(end).getTime() : now) - new Date(start).getTime();
  if (!Number.isFinite(ms) || ms < 0) return '—';
  if (ms < 1000) return `${ms} ms`;
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
}

/** A run of lines of one stream; its bounds never change once complete, so memo skips it. */
const OutputBlockView = memo(function OutputBlockView({ lines, start, end, stream }: { lines: OutputLine[]; start: number; end: number; stream: OutputLine['stream'] }) {
  let text = '';
  for (let i = start; i < end; i++) text += (i > start ? '\n' : '') + lines[i].line;
  // Off-screen blocks skip layout and paint (content-visibility), which is most of the cost of long output.
  const base = { contentVisibility: 'auto', containIntrinsicSize: `auto ${(end - start) * 17}px` } as const;
  return (
    <div
      data-stream={stream}
      style={
        stream === 'stderr'
          ? { ...base, color: 'var(--mantine-color-red-4)', borderLeft: '2px solid var(--mantine-color-red-7)', paddingLeft: 6, marginLeft: -8 }
          : { ...base, color: 'var(--mantine-color-gray-3)' }
      }
    >
      {text}
    </div>
  );
});

/** One step's output. `count` changes when lines are appended to the same array, so memo re-renders then only. */
const StepOutput = memo(function StepOutput({ lines, count, follow }: { lines: OutputLine[]; count: number; follow: boolean }) {
  const box = useRef<HTMLDivElement>(null);
  const pinned = useRef(true);
  useEffect(() => {
    const el = box.current;
    if (el && follow && pinned.current) el.scrollTop = el.scrollHeight;
  }, [count, follow]);
  if (count === 0) return null;
  return (
    <div
      ref={box}
      onScroll={(e) => {
        const el = e.currentTarget;
        pinned.current = el.scrollHeight - el.scrollTop - el.clientHeight < 24;
      }}
      data-testid="step-output"
      style={{
        maxHeight: 320,
        overflow: 'auto',
        background: 'var(--mantine-color-dark-8)',
        borderRadius: 6,
        padding: '6px 10px',
        fontFamily: 'var(--mantine-font-family-monospace)',
        fontSize: 12,
        lineHeight: '17px',
        whiteSpace: 'pre',
      }}
    >
      {outputBlocks(lines, count).map((b) => (
        <OutputBlockView key={b.start} lines={lines} start={b.start} end={b.end} stream={b.stream} />
      ))}
    </div>
  );
});

function StepBlock({ step, follow }: { step: StepView; follow: boolean }) {
  return (
    <div data-testid={`step-${step.index}`}>
      <Group gap="xs" mb={4}>
        <Text fw={600} size="sm">
          {step.index + 1}. {step.name}
        </Text>
        <RunStatusBadge status={step.status} />
        <Text size="xs" c="dimmed">
          <Duration start={step.startedAt} end={step.finishedAt} />
          {step.exitCode != null && ` · exit ${step.exitCode}`}
        </Text>
        {step.outputTruncated && (
          <Badge size="xs" color="yellow" variant="light">
            output truncated
          </Badge>
        )}
      </Group>
      {step.error && (
        <Text size="xs" c="red" mb={4}>
          {step.error}
        </Text>
      )}
      <StepOutput lines={step.lines} count={step.lines.length} follow={follow} />
    </div>
  );
}

/** Unchanged targets keep the same view object (see mergeTargets' cache), so identity is enough. */
const TargetCard = memo(TargetCardView);

/** Off-screen cards skip layout and paint; the estimate keeps the scroll bar steady until they are laid out once. */
const CARD_STYLE = { contentVisibility: 'auto', containIntrinsicSize: 'auto 160px' } as const;

function TargetCardView({ target, follow, inRow }: { target: TargetView; follow: boolean; inRow?: boolean }) {
  return (
    <Card withBorder padding="md" data-testid={inRow ? 'target-detail' : `run-target-${target.targetId}`} style={CARD_STYLE}>
      <Group justify="space-between" mb="sm">
        <Group gap="sm">
          <Text fw={700}>{target.targetName}</Text>
          <Text size="sm" c="dimmed" ff="monospace">
            {target.hostname}
          </Text>
          <RunStatusBadge status={target.status} />
        </Group>
        <Text size="xs" c="dimmed">
          {target.attempt && target.attempt > 1 ? `attempt ${target.attempt} · ` : ''}
          <Duration start={target.startedAt} end={target.finishedAt} />
        </Text>
      </Group>
      {target.error && (
        <Alert color="red" py={6} mb="sm">
          {target.error}
        </Alert>
      )}
      <Stack gap="sm">
        {target.steps.length === 0 ? (
          <Text size="sm" c="dimmed">
            Waiting to start…
          </Text>
        ) : (
          target.steps.map((s) => <StepBlock key={s.index} step={s} follow={follow} />)
        )}
      </Stack>
    </Card>
  );
}

/** Above this many targets, each target is a compact row and only the expanded ones render their output. */
const COLLAPSE_ABOVE = MANY_TARGETS;

const STEP_DOT: Record<string, string> = { queued: 'gray', running: 'blue', succeeded: 'teal', failed: 'red', cancelled: 'orange', timed_out: 'grape', skipped: 'gray' };

function lastLine(t: TargetView): OutputLine | undefined {
  for (let i = t.steps.length - 1; i >= 0; i--) {
    const l = t.steps[i].lines;
    if (l.length) return l[l.length - 1];
  }
  return undefined;
}

/** Fixed height and strict containment: a row's new last line re-lays out that row only, never the list. */
const ROW_STYLE = {
  contentVisibility: 'auto',
  contain: 'strict',
  height: 36,
  boxSizing: 'border-box',
  overflow: 'hidden',
  cursor: 'pointer',
  display: 'flex',
  alignItems: 'center',
  gap: 10,
  padding: '6px 10px',
  border: '1px solid var(--mantine-color-default-border)',
  borderRadius: 'var(--mantine-radius-default)',
  background: 'var(--mantine-color-body)',
  fontSize: 'var(--mantine-font-size-sm)',
} as const;
const NAME_STYLE = { fontWeight: 700, whiteSpace: 'nowrap' } as const;
const DIM_STYLE = { color: 'var(--mantine-color-dimmed)', fontSize: 'var(--mantine-font-size-xs)', whiteSpace: 'nowrap' } as const;
const LINE_STYLE = {
  flex: 1,
  minWidth: 0,
  overflow: 'hidden',
  textOverflow: 'ellipsis',
  whiteSpace: 'nowrap',
  fontFamily: 'var(--mantine-font-family-monospace)',
  fontSize: 'var(--mantine-font-size-xs)',
  color: 'var(--mantine-color-dimmed)',
} as const;
const LINE_STYLE_ERR = { ...LINE_STYLE, color: 'var(--mantine-color-red-4)' } as const;

/** The status badge of a row; the same status is not re-rendered when only the output changed. */
const RowBadge = memo(function RowBadge({ status }: { status: string }) {
  return <RunStatusBadge status={status} size="sm" />;
});

/**
 * One target of a large run: name, status, a dot per step, the last output line and the duration.
 * Re-renders only when its target's view object changes (a new live version) or it is expanded/collapsed;
 * plain elements rather than Mantine components, as up to every row re-renders on each flush of output.
 */
const TargetRow = memo(function TargetRow({ target, expanded, follow, onToggle }: { target: TargetView; expanded: boolean; follow: boolean; onToggle: (id: number) => void }) {
  const last = lastLine(target);
  return (
    <div data-testid={`run-target-${target.targetId}`}>
      <div
        style={ROW_STYLE}
        role="button"
        tabIndex={0}
        aria-expanded={expanded}
        aria-label={`${expanded ? 'Collapse' : 'Expand'} ${target.targetName}`}
        onClick={() => onToggle(target.targetId)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' || e.key === ' ') {
            e.preventDefault();
            onToggle(target.targetId);
          }
        }}
      >
        {expanded ? <IconChevronDown size={14} /> : <IconChevronRight size={14} />}
        <span style={NAME_STYLE}>{target.targetName}</span>
        <RowBadge status={target.status} />
        <span data-testid="step-statuses" style={{ display: 'inline-flex', gap: 3 }}>
          {target.steps.map((s) => (
            <span
              key={s.index}
              title={`${s.index + 1}. ${s.name}: ${s.status}${s.exitCode != null ? ` (exit ${s.exitCode})` : ''}`}
              style={{ display: 'inline-block', width: 8, height: 8, borderRadius: 4, background: `var(--mantine-color-${STEP_DOT[s.status] ?? 'gray'}-6)` }}
            />
          ))}
        </span>
        <span data-testid="target-last-line" style={target.error || last?.stream === 'stderr' ? LINE_STYLE_ERR : LINE_STYLE}>
          {target.error ?? last?.line ?? ''}
        </span>
        <span style={DIM_STYLE}>
          <Duration start={target.startedAt} end={target.finishedAt} />
        </span>
      </div>
      {expanded && <TargetCardView target={target} follow={follow} inRow />}
    </div>
  );
});

/**
 * Which targets of a large run show their output: the user's choice, plus the first failing target
 * (expanded once, automatically; collapsing it again is respected).
 */
function useExpanded(targets: TargetView[], collapsed: boolean) {
  const [expanded, setExpanded] = useState<ReadonlySet<number>>(() => new Set());
  const autoDone = useRef(false);
  const failed = collapsed && !autoDone.current ? targets.find((t) => t.status === 'failed' || t.status === 'timed_out')?.targetId : undefined;
  useEffect(() => {
    if (failed === undefined || autoDone.current) return;
    autoDone.current = true;
    setExpanded((s) => new Set(s).add(failed));
  }, [failed]);
  const toggle = useCallback(
    (id: number) =>
      setExpanded((s) => {
        const n = new Set(s);
        if (!n.delete(id)) n.add(id);
        return n;
      }),
    [],
  );
  return { expanded, toggle };
}

const STREAM_COLORS: Record<StreamState, string> = { connecting: 'gray', live: 'blue', reconnecting: 'yellow', ended: 'gray', error: 'red' };

export default function RunDetailPage() {
  const { id: rawId = '' } = useParams();
  const id = Number(rawId);
  const navigate = useNavigate();
  const run = useRun(id);
  const { live, version, state } = useRunEvents(id);
  const canCancel = useCan('runs:cancel');
  const canRun = useCan('jobs:run');
  const cancel = useCancelRun(id);
  const rerun = useRerun(id);

  const detail = run.data;
  const status = detail && FINAL_STATUSES.has(detail.status) ? detail.status : (live.status ?? detail?.status ?? 'queued');
  const finished = FINAL_STATUSES.has(status);
  const now = useNow(!finished);
  // Views of unchanged targets are reused across updates (a new stream starts a new cache).
  // eslint-disable-next-line react-hooks/exhaustive-deps -- a new LiveRun (another run) must not reuse the old views
  const cache = useMemo<MergeCache>(() => new Map(), [live]);
  // eslint-disable-next-line react-hooks/exhaustive-deps -- `version` says when the mutable live state changed
  const targets = useMemo(() => mergeTargets(detail, live, cache), [detail, live, version, cache]);
  const collapsed = targets.length > COLLAPSE_ABOVE;
  const { expanded, toggle } = useExpanded(targets, collapsed);
  const anyFailed = targets.some((t) => t.status !== 'succeeded');

  const startRerun = (onlyFailed: boolean) =>
    rerun.mutate(onlyFailed, {
      onSuccess: (r) => {
        notifySuccess(onlyFailed ? 'Re-running the failed targets' : 'Re-running on all targets');
        navigate(`/runs/${r.id}`);
      },
      onError: (e) => notifyError(e, 'Could not re-run'),
    });

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
          <Group justify="space-between" align="flex-end">
            <div>
              <Title order={2}>
                <Anchor component={Link} to={`/jobs/${run.data.jobId}`} inherit c="inherit">
                  {run.data.jobName}
                </Anchor>{' '}
                <Text span c="dimmed" inherit fw={400}>
                  #{run.data.id}
                </Text>
              </Title>
              <Group gap="xs" mt={4}>
                <span data-testid="run-status">
                  <RunStatusBadge status={status} size="lg" />
                </span>
                <Text size="sm" c="dimmed">
                  {run.data.trigger} · requested by {run.data.requestedBy}
                  {run.data.rerunOf != null && (
                    <>
                      {' · re-run of '}
                      <Anchor component={Link} to={`/runs/${run.data.rerunOf}`} size="sm">
                        #{run.data.rerunOf}
                      </Anchor>
                    </>
                  )}
                </Text>
                <Badge variant="dot" color={STREAM_COLORS[state]} data-testid="stream-state">
                  {state === 'live' ? 'live' : state}
                </Badge>
              </Group>
            </div>
            <Group gap="xs">
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
                  </Menu.Dropdown>
                </Menu>
              )}
              {canCancel && !finished && (
                <Button
                  color="red"
                  variant="light"
                  leftSection={<IconPlayerStop size={16} />}
                  loading={cancel.isPending}
                  disabled={run.data.cancelRequested}
                  onClick={() => cancel.mutate(undefined, { onSuccess: () => notifySuccess('Cancelling the run'), onError: (e) => notifyError(e) })}
                >
                  {run.data.cancelRequested ? 'Cancelling…' : 'Cancel run'}
                </Button>
              )}
            </Group>
          </Group>
          {status === 'queued' && run.data.waitReason && (
            <Alert color="gray" title="Queued" data-testid="wait-reason">
              {run.data.waitReason}
            </Alert>
          )}
          {(run.data.error || live.error) && (
            <Alert color="red" title="Run error">
              {run.data.error ?? live.error}
            </Alert>
          )}
          <SimpleGrid cols={{ base: 2, md: 4 }}>
            {[
              ['Queued', formatDateTime(run.data.queuedAt)],
              ['Started', formatDateTime(run.data.startedAt)],
              ['Finished', formatDateTime(run.data.finishedAt)],
              ['Duration', duration(run.data.startedAt, run.data.finishedAt, now)],
            ].map(([label, value]) => (
              <Card withBorder padding="sm" key={label}>
                <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
                  {label}
                </Text>
                <Text fw={600}>{value}</Text>
              </Card>
            ))}
          </SimpleGrid>
          {run.data.parameters != null && typeof run.data.parameters === 'object' && Object.keys(run.data.parameters).length > 0 && (
            <Card withBorder padding="sm">
              <Text size="xs" c="dimmed" tt="uppercase" fw={600} mb={4}>
                Parameters
              </Text>
              <Table fz="sm" withRowBorders={false} w="auto">
                <Table.Tbody>
                  {Object.entries(run.data.parameters as Record<string, unknown>).map(([k, v]) => (
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
          <Title order={4}>Targets ({targets.length})</Title>
          {targets.length === 0 ? (
            <Text c="dimmed" size="sm">
              {finished ? 'This run had no targets.' : 'Resolving targets…'}
            </Text>
          ) : collapsed ? (
            <Stack gap={4} data-testid="target-rows">
              {targets.map((t) => (
                <TargetRow key={t.targetId} target={t} expanded={expanded.has(t.targetId)} follow={!finished} onToggle={toggle} />
              ))}
            </Stack>
          ) : (
            targets.map((t) => <TargetCard key={t.targetId} target={t} follow={!finished} />)
          )}
        </>
      )}
    </Stack>
    </NowContext.Provider>
  );
}
