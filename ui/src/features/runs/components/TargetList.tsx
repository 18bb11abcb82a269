import { ActionIcon, Button, Group, Switch, Text, TextInput, Title, Tooltip, UnstyledButton } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useVirtualizer } from '@tanstack/react-virtual';
import { IconArrowDown, IconArrowUp, IconCopy, IconDownload, IconFold, IconFoldDown, IconSearch } from '@tabler/icons-react';
import { Fragment, memo, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { notifyError, notifySuccess } from '@/lib/notify';
import { statusColor } from '@/lib/statusColors';
import { filterTargets, findMatches, MAX_MATCHES, orderTargets, runAsText, targetAsText, type OutputMatch } from '../api/fleetView';
import { downloadRunOutput } from '../api/run';
import { countByStatus, type RunStatus, type TargetView } from '../api/runView';
import { outputHeight } from './StepOutput';
import { ROW_HEIGHT, TargetRow } from './TargetRow';

/** Runs on at most this many targets show every target expanded; larger ones show rows and expand on demand. */
export const EXPAND_ALL_UP_TO = 20;
const GAP = 4;
const LIST_STYLE = { maxHeight: '75vh', overflowY: 'auto', overflowAnchor: 'none', contain: 'content' } as const;
const COUNT_ORDER: readonly RunStatus[] = ['running', 'queued', 'succeeded', 'failed', 'timed_out', 'cancelled'];
const NO_STEPS: ReadonlySet<number> = new Set();

/** `auto`: all of a small run, else none plus the first failing target; `all` / `none`: the buttons Expand all / Collapse all. */
type ExpandMode = 'auto' | 'all' | 'none';

/**
 * Which targets show their steps (see ExpandMode); the user's clicks on a row override the mode, and which steps of
 * a target are folded away. Kept here, not in the rows: a row is unmounted when it scrolls out of view.
 */
function useExpanded(targets: readonly TargetView[]) {
  const [mode, setMode] = useState<ExpandMode>('auto');
  const [overrides, setOverrides] = useState<ReadonlyMap<number, boolean>>(() => new Map());
  const [collapsedSteps, setCollapsedSteps] = useState<ReadonlyMap<number, ReadonlySet<number>>>(() => new Map());
  const [firstFailed, setFirstFailed] = useState<number | null>(null);
  if (firstFailed === null) {
    const failed = targets.find((t) => t.status === 'failed' || t.status === 'timed_out');
    if (failed) setFirstFailed(failed.targetId);
  }
  const small = targets.length <= EXPAND_ALL_UP_TO;
  const byMode = useCallback((id: number) => mode === 'all' || (mode === 'auto' && (small || id === firstFailed)), [mode, small, firstFailed]);
  const isExpanded = useCallback((id: number) => overrides.get(id) ?? byMode(id), [overrides, byMode]);
  const toggle = useCallback((id: number) => setOverrides((m) => new Map(m).set(id, !(m.get(id) ?? byMode(id)))), [byMode]);
  const toggleStep = useCallback(
    (targetId: number, step: number) =>
      setCollapsedSteps((m) => {
        const steps = new Set(m.get(targetId) ?? NO_STEPS);
        if (!steps.delete(step)) steps.add(step);
        return new Map(m).set(targetId, steps);
      }),
    [],
  );
  const setAll = useCallback((expanded: boolean) => {
    setMode(expanded ? 'all' : 'none');
    setOverrides(new Map());
    setCollapsedSteps(new Map());
  }, []);
  /** Opens a target and its step, e.g. to show a search match. */
  const reveal = useCallback((targetId: number, step: number) => {
    setOverrides((m) => (m.get(targetId) === true ? m : new Map(m).set(targetId, true)));
    setCollapsedSteps((m) => {
      const steps = m.get(targetId);
      if (!steps?.has(step)) return m;
      const next = new Set(steps);
      next.delete(step);
      return new Map(m).set(targetId, next);
    });
  }, []);
  return { isExpanded, toggle, collapsedSteps, toggleStep, setAll, reveal };
}

function estimate(t: TargetView, expanded: boolean, collapsed: ReadonlySet<number> | undefined): number {
  if (!expanded) return ROW_HEIGHT + GAP;
  let h = ROW_HEIGHT + GAP + 50;
  for (const s of t.steps) h += 36 + (collapsed?.has(s.index) ? 0 : outputHeight(s.output.count));
  return h;
}

/** The number of targets per status, each a button that shows only the targets with that status (again: all). */
function StatusCounts({ targets, filter, onFilter }: { targets: readonly TargetView[]; filter: RunStatus | null; onFilter: (s: RunStatus | null) => void }) {
  const counts = useMemo(() => countByStatus(targets), [targets]);
  const shown = COUNT_ORDER.filter((s) => counts[s] > 0);
  return (
    <Group gap="xs" wrap="wrap">
      <Text size="sm" c="dimmed" data-testid="target-counts" component="div">
        {shown.map((s, i) => (
          <Fragment key={s}>
            {i > 0 && ' · '}
            <UnstyledButton
              type="button"
              aria-pressed={filter === s}
              aria-label={`Show only ${s.replaceAll('_', ' ')} targets`}
              data-testid={`count-${s}`}
              onClick={() => onFilter(filter === s ? null : s)}
              style={{
                fontSize: 'inherit',
                color: filter === s ? `var(--mantine-color-${statusColor(s)}-filled)` : 'inherit',
                fontWeight: filter === s ? 700 : undefined,
                textDecoration: filter === s ? 'underline' : undefined,
              }}
            >
              {`${counts[s]} ${s.replaceAll('_', ' ')}`}
            </UnstyledButton>
          </Fragment>
        ))}
      </Text>
      {filter && (
        <Button size="compact-xs" variant="subtle" onClick={() => onFilter(null)}>
          Show all
        </Button>
      )}
    </Group>
  );
}

/**
 * The tools above the list: search in the output (Enter / Shift+Enter step through the matches), timestamps,
 * expand/collapse all, and the whole run's Copy and Download. Memoised with stable callbacks: a streaming run
 * re-renders the list on every flush, not these.
 */
const OutputTools = memo(function OutputTools({
  query,
  onQuery,
  matchLabel,
  canStep,
  onStep,
  timestamps,
  onTimestamps,
  onAll,
  onCopy,
  onDownload,
  downloading,
}: {
  query: string;
  onQuery: (q: string) => void;
  matchLabel: string;
  canStep: boolean;
  onStep: (by: number) => void;
  timestamps: boolean;
  onTimestamps: (on: boolean) => void;
  onAll: (expanded: boolean) => void;
  onCopy: () => void;
  onDownload: () => void;
  downloading: boolean;
}) {
  return (
    <Group gap="sm" wrap="wrap" data-testid="run-output-tools">
      <TextInput
        aria-label="Search output"
        placeholder="Search output"
        size="xs"
        w={260}
        data-page-search
        leftSection={<IconSearch size={14} />}
        value={query}
        onChange={(e) => onQuery(e.currentTarget.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            onStep(e.shiftKey ? -1 : 1);
          } else if (e.key === 'Escape') onQuery('');
        }}
        rightSectionWidth={70}
        rightSection={
          matchLabel ? (
            <Text size="xs" c="dimmed" data-testid="search-count">
              {matchLabel}
            </Text>
          ) : null
        }
      />
      <Group gap={2}>
        <Tooltip label="Previous match (Shift+Enter)" openDelay={400}>
          <ActionIcon variant="default" aria-label="Previous match" disabled={!canStep} onClick={() => onStep(-1)}>
            <IconArrowUp size={14} />
          </ActionIcon>
        </Tooltip>
        <Tooltip label="Next match (Enter)" openDelay={400}>
          <ActionIcon variant="default" aria-label="Next match" disabled={!canStep} onClick={() => onStep(1)}>
            <IconArrowDown size={14} />
          </ActionIcon>
        </Tooltip>
      </Group>
      <Switch size="xs" label="Timestamps" checked={timestamps} onChange={(e) => onTimestamps(e.currentTarget.checked)} />
      <Group gap={4} ml="auto">
        <Button size="compact-sm" variant="default" leftSection={<IconFoldDown size={14} />} onClick={() => onAll(true)}>
          Expand all
        </Button>
        <Button size="compact-sm" variant="default" leftSection={<IconFold size={14} />} onClick={() => onAll(false)}>
          Collapse all
        </Button>
        <Tooltip label="Copy the lines shown of every target" openDelay={400}>
          <Button size="compact-sm" variant="default" leftSection={<IconCopy size={14} />} onClick={onCopy}>
            Copy run output
          </Button>
        </Tooltip>
        <Tooltip label="Download every target's whole output as one text file" openDelay={400}>
          <Button size="compact-sm" variant="default" leftSection={<IconDownload size={14} />} loading={downloading} onClick={onDownload}>
            Download run output
          </Button>
        </Tooltip>
      </Group>
    </Group>
  );
});

/**
 * The targets of a run, virtualised (@tanstack/react-virtual): only the rows in view (and a few around) are in
 * the DOM, so a row off screen costs nothing when its output changes. Rows are measured, as an expanded one
 * holds its steps. Failed targets come first. Above the list: the number of targets per status (a filter),
 * expand/collapse all, a search in the output with next/previous, timestamps per line, and the whole run's output
 * to copy (the lines loaded) or download (everything the server kept).
 */
export function TargetList({ runId, jobName, targets, finished }: { runId: number; jobName: string; targets: readonly TargetView[]; finished: boolean }) {
  const scroller = useRef<HTMLDivElement>(null);
  const { isExpanded, toggle, collapsedSteps, toggleStep, setAll, reveal } = useExpanded(targets);
  const [filter, setFilter] = useState<RunStatus | null>(null);
  const [timestamps, setTimestamps] = useState(false);
  const [query, setQuery] = useState('');
  const [debounced] = useDebouncedValue(query, 200);
  const [matchIndex, setMatchIndex] = useState(0);
  const [downloading, setDownloading] = useState(false);
  const ordered = useMemo(() => orderTargets(targets), [targets]);
  const shown = useMemo(() => filterTargets(ordered, filter), [ordered, filter]);
  const matches = useMemo(() => findMatches(shown, debounced), [shown, debounced]);
  const current: OutputMatch | null = matches.length ? matches[Math.min(matchIndex, matches.length - 1)] : null;
  const virtualizer = useVirtualizer({
    count: shown.length,
    getScrollElement: () => scroller.current,
    estimateSize: (i) => estimate(shown[i], isExpanded(shown[i].targetId), collapsedSteps.get(shown[i].targetId)),
    getItemKey: (i) => shown[i].targetId,
    overscan: 8,
    initialRect: { width: 1000, height: 600 },
  });

  // A new search starts at its first match.
  useEffect(() => setMatchIndex(0), [debounced, filter]);
  // Bring the current match into view: open its target and step, scroll the list to the target (the step's box scrolls to the line).
  const [revealed, setRevealed] = useState<OutputMatch | null>(null);
  useEffect(() => {
    if (!current || (revealed && revealed.targetId === current.targetId && revealed.step === current.step && revealed.line === current.line)) return;
    setRevealed(current);
    reveal(current.targetId, current.step);
    const pos = shown.findIndex((t) => t.targetId === current.targetId);
    if (pos >= 0) virtualizer.scrollToIndex(pos, { align: 'start' });
  }, [current, revealed, reveal, shown, virtualizer]);

  // Stable callbacks (the tools are memoised): they read the newest list and matches from refs.
  const latest = useRef({ ordered, count: matches.length });
  latest.current = { ordered, count: matches.length };
  const step = useCallback((by: number) => {
    const n = latest.current.count;
    if (n) setMatchIndex((i) => (Math.min(i, n - 1) + by + n) % n);
  }, []);
  const copyRun = useCallback(async () => {
    const list = latest.current.ordered;
    try {
      await navigator.clipboard.writeText(runAsText(runId, jobName, list, list.map((t) => targetAsText(t, timestamps))));
      notifySuccess('Copied the output of the run');
    } catch (e) {
      notifyError(e, 'Could not copy');
    }
  }, [runId, jobName, timestamps]);
  const downloadRun = useCallback(async () => {
    setDownloading(true);
    try {
      await downloadRunOutput(runId, jobName, latest.current.ordered);
    } catch (e) {
      notifyError(e, 'Could not download the output');
    } finally {
      setDownloading(false);
    }
  }, [runId, jobName]);

  const matchLabel = !debounced ? '' : matches.length === 0 ? 'no match' : `${Math.min(matchIndex, matches.length - 1) + 1} / ${matches.length >= MAX_MATCHES ? `${MAX_MATCHES.toLocaleString()}+` : matches.length}`;
  return (
    <>
      <Group justify="space-between" align="baseline">
        <Title order={4}>Targets ({targets.length})</Title>
        {targets.length > 0 && <StatusCounts targets={targets} filter={filter} onFilter={setFilter} />}
      </Group>
      {targets.length > 0 && (
        <OutputTools
          query={query}
          onQuery={setQuery}
          matchLabel={matchLabel}
          canStep={matches.length > 0}
          onStep={step}
          timestamps={timestamps}
          onTimestamps={setTimestamps}
          onAll={setAll}
          onCopy={copyRun}
          onDownload={downloadRun}
          downloading={downloading}
        />
      )}
      {targets.length === 0 ? (
        <Text c="dimmed" size="sm">
          {finished ? 'This run had no targets.' : 'Resolving targets…'}
        </Text>
      ) : shown.length === 0 ? (
        <Group gap="xs">
          <Text c="dimmed" size="sm" data-testid="no-target-in-filter">
            No target is {filter?.replaceAll('_', ' ')}.
          </Text>
          <Button size="compact-xs" variant="subtle" onClick={() => setFilter(null)}>
            Show all
          </Button>
        </Group>
      ) : (
        <div ref={scroller} style={LIST_STYLE} data-testid="target-rows">
          <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
            {virtualizer.getVirtualItems().map((item) => {
              const t = shown[item.index];
              return (
                <div
                  key={item.key}
                  data-index={item.index}
                  ref={virtualizer.measureElement}
                  style={{ position: 'absolute', top: 0, left: 0, width: '100%', paddingBottom: GAP, transform: `translateY(${item.start}px)` }}
                >
                  <TargetRow
                    runId={runId}
                    target={t}
                    expanded={isExpanded(t.targetId)}
                    onToggle={toggle}
                    collapsedSteps={collapsedSteps.get(t.targetId)}
                    onToggleStep={toggleStep}
                    query={debounced}
                    current={current?.targetId === t.targetId ? current : null}
                    timestamps={timestamps}
                  />
                </div>
              );
            })}
          </div>
        </div>
      )}
    </>
  );
}
