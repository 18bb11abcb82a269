import { Alert, Group, Stack, Text } from '@mantine/core';
import { IconChevronDown, IconChevronRight } from '@tabler/icons-react';
import { memo, useMemo } from 'react';
import { targetAsText, type OutputMatch } from '../api/fleetView';
import type { TargetView } from '../api/runView';
import { Duration } from './Duration';
import { OutputActions } from './OutputActions';
import { RunStatusBadge } from './RunStatusBadge';
import { StepBlock } from './StepBlock';
import type { OutputDisplay } from './StepOutput';
import { statusColor } from '@/lib/statusColors';

export const ROW_HEIGHT = 36;

/** Fixed height and strict containment: a row's new last line re-lays out that row only, never the list. */
const ROW_STYLE = {
  contain: 'strict',
  height: ROW_HEIGHT,
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
const HOST_STYLE = { color: 'var(--mantine-color-dimmed)', fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 'var(--mantine-font-size-xs)', whiteSpace: 'nowrap' } as const;
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
const DETAIL_STYLE = { padding: '10px 12px 12px 34px' } as const;

/** The status badge of a row; the same status is not re-rendered when only the output changed. */
const RowBadge = memo(function RowBadge({ status }: { status: string }) {
  return <RunStatusBadge status={status} size="sm" />;
});

/**
 * One target: name, status, a dot per step, the last output line and the duration; expanded, its steps and output.
 * Re-renders only when its target's view changes (the reducer keeps unchanged targets by identity) or it is
 * expanded/collapsed, and only while it is in view (the list is virtualised). Plain elements in the row rather than
 * Mantine components: a streaming run re-renders every visible row on each flush.
 */
export const TargetRow = memo(function TargetRow({
  runId,
  target,
  expanded,
  onToggle,
  collapsedSteps,
  onToggleStep,
  query = '',
  current = null,
  timestamps = false,
}: {
  runId: number;
  target: TargetView;
  expanded: boolean;
  onToggle: (id: number) => void;
  /** The steps whose output is folded away. */
  collapsedSteps?: ReadonlySet<number>;
  onToggleStep?: (targetId: number, step: number) => void;
  /** The output search, highlighted in every step. */
  query?: string;
  /** The current search match when it is in this target. */
  current?: OutputMatch | null;
  timestamps?: boolean;
}) {
  const last = target.lastLine;
  // One display for every step but the one holding the current match, so unchanged steps skip the render.
  const display = useMemo<OutputDisplay>(() => ({ query, currentLine: -1, timestamps }), [query, timestamps]);
  const currentDisplay = useMemo<OutputDisplay>(() => ({ query, currentLine: current?.line ?? -1, timestamps }), [query, current, timestamps]);
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
        <span style={HOST_STYLE}>{target.hostname}</span>
        <RowBadge status={target.status} />
        <span data-testid="step-statuses" style={{ display: 'inline-flex', gap: 3 }}>
          {target.steps.map((s) => (
            <span
              key={s.index}
              title={`${s.index + 1}. ${s.name}: ${s.status}${s.exitCode != null ? ` (exit ${s.exitCode})` : ''}`}
              style={{ display: 'inline-block', width: 8, height: 8, borderRadius: 4, background: `var(--mantine-color-${statusColor(s.status)}-6)` }}
            />
          ))}
        </span>
        <span data-testid="target-last-line" style={target.error || last?.stream === 'stderr' ? LINE_STYLE_ERR : LINE_STYLE}>
          {expanded ? '' : (target.error ?? last?.text ?? '')}
        </span>
        <span style={DIM_STYLE}>
          {target.attempt && target.attempt > 1 ? `attempt ${target.attempt} · ` : ''}
          <Duration start={target.startedAt} end={target.finishedAt} />
        </span>
      </div>
      {expanded && (
        <div data-testid="target-detail" style={DETAIL_STYLE}>
          <Group justify="flex-end" mb={4}>
            <Text size="xs" c="dimmed">
              All steps
            </Text>
            <OutputActions scope={{ runId, targetId: target.targetId }} what={target.targetName} text={() => targetAsText(target, timestamps)} />
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
              target.steps.map((s) => (
                <StepBlock
                  key={s.index}
                  runId={runId}
                  targetId={target.targetId}
                  step={s}
                  collapsed={collapsedSteps?.has(s.index) ?? false}
                  onToggle={onToggleStep}
                  display={current?.step === s.index ? currentDisplay : display}
                />
              ))
            )}
          </Stack>
        </div>
      )}
    </div>
  );
});
