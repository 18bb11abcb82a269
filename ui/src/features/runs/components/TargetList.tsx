import { Group, Text, Title } from '@mantine/core';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useMemo, useRef, useState } from 'react';
import { countByStatus, type RunStatus, type TargetView } from '../api/runView';
import { outputHeight } from './StepOutput';
import { ROW_HEIGHT, TargetRow } from './TargetRow';

/** Runs on at most this many targets show every target expanded; larger ones show rows and expand on demand. */
export const EXPAND_ALL_UP_TO = 20;
const GAP = 4;
const LIST_STYLE = { maxHeight: '75vh', overflowY: 'auto', overflowAnchor: 'none', contain: 'content' } as const;
const COUNT_ORDER: readonly RunStatus[] = ['running', 'queued', 'succeeded', 'failed', 'timed_out', 'cancelled'];

/**
 * Which targets show their steps: all of a small run, else none; plus the first failing target (once,
 * automatically); the user's clicks override both.
 */
function useExpanded(targets: readonly TargetView[]) {
  const [overrides, setOverrides] = useState<ReadonlyMap<number, boolean>>(() => new Map());
  const [firstFailed, setFirstFailed] = useState<number | null>(null);
  if (firstFailed === null) {
    const failed = targets.find((t) => t.status === 'failed' || t.status === 'timed_out');
    if (failed) setFirstFailed(failed.targetId);
  }
  const all = targets.length <= EXPAND_ALL_UP_TO;
  const isExpanded = useCallback((id: number) => overrides.get(id) ?? (all || id === firstFailed), [overrides, all, firstFailed]);
  const toggle = useCallback((id: number) => setOverrides((m) => new Map(m).set(id, !(m.get(id) ?? (all || id === firstFailed)))), [all, firstFailed]);
  return { isExpanded, toggle };
}

function estimate(t: TargetView, expanded: boolean): number {
  if (!expanded) return ROW_HEIGHT + GAP;
  let h = ROW_HEIGHT + GAP + 50;
  for (const s of t.steps) h += 36 + outputHeight(s.output.count);
  return h;
}

/**
 * The targets of a run, virtualised (@tanstack/react-virtual): only the rows in view (and a few around) are in
 * the DOM, so a row off screen costs nothing when its output changes. Rows are measured, as an expanded one
 * holds its steps. Above the list, the number of targets per status.
 */
export function TargetList({ runId, targets, finished }: { runId: number; targets: readonly TargetView[]; finished: boolean }) {
  const scroller = useRef<HTMLDivElement>(null);
  const { isExpanded, toggle } = useExpanded(targets);
  const counts = useMemo(() => countByStatus(targets), [targets]);
  const virtualizer = useVirtualizer({
    count: targets.length,
    getScrollElement: () => scroller.current,
    estimateSize: (i) => estimate(targets[i], isExpanded(targets[i].targetId)),
    getItemKey: (i) => targets[i].targetId,
    overscan: 8,
    initialRect: { width: 1000, height: 600 },
  });

  return (
    <>
      <Group justify="space-between" align="baseline">
        <Title order={4}>Targets ({targets.length})</Title>
        {targets.length > 0 && (
          <Text size="sm" c="dimmed" data-testid="target-counts">
            {COUNT_ORDER.filter((s) => counts[s] > 0)
              .map((s) => `${counts[s]} ${s.replaceAll('_', ' ')}`)
              .join(' · ')}
          </Text>
        )}
      </Group>
      {targets.length === 0 ? (
        <Text c="dimmed" size="sm">
          {finished ? 'This run had no targets.' : 'Resolving targets…'}
        </Text>
      ) : (
        <div ref={scroller} style={LIST_STYLE} data-testid="target-rows">
          <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
            {virtualizer.getVirtualItems().map((item) => {
              const t = targets[item.index];
              return (
                <div
                  key={item.key}
                  data-index={item.index}
                  ref={virtualizer.measureElement}
                  style={{ position: 'absolute', top: 0, left: 0, width: '100%', paddingBottom: GAP, transform: `translateY(${item.start}px)` }}
                >
                  <TargetRow runId={runId} target={t} expanded={isExpanded(t.targetId)} onToggle={toggle} />
                </div>
              );
            })}
          </div>
        </div>
      )}
    </>
  );
}
