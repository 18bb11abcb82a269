import { Anchor, Text } from '@mantine/core';
import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useLayoutEffect, useRef } from 'react';
import type { OutputScope } from '../api/run';
import { lineAt, type StepOutput as Output } from '../api/runView';
import { saveOutput } from './OutputActions';

export const LINE_HEIGHT = 17;
const MAX_HEIGHT = 320;
const PAD = 6;

/** The box's height for `count` lines: known before rendering, so the target list can size a row without measuring. */
export function outputHeight(count: number): number {
  return count === 0 ? 0 : Math.min(MAX_HEIGHT, count * LINE_HEIGHT + 2 * PAD);
}

const BOX_STYLE = {
  overflow: 'auto',
  background: 'var(--mantine-color-dark-8)',
  borderRadius: 6,
  fontFamily: 'var(--mantine-font-family-monospace)',
  fontSize: 12,
  lineHeight: `${LINE_HEIGHT}px`,
  whiteSpace: 'pre',
  overflowAnchor: 'none',
} as const;
const OUT_STYLE = { height: LINE_HEIGHT, paddingLeft: 10, paddingRight: 10, color: 'var(--mantine-color-gray-3)' } as const;
const ERR_STYLE = { ...OUT_STYLE, paddingLeft: 8, color: 'var(--mantine-color-red-4)', borderLeft: '2px solid var(--mantine-color-red-7)' } as const;

/**
 * One step's output, virtualised: only the lines in view (plus a few) are in the DOM, so 100,000 lines scroll
 * like 100. While the user is at the bottom it follows the tail as lines arrive; scrolling up stops that, and
 * scrolling back to the bottom starts it again. `data-lines` is how many lines the step has loaded.
 */
export const StepOutput = memo(function StepOutput({ output, scope }: { output: Output; scope: OutputScope }) {
  const box = useRef<HTMLDivElement>(null);
  const pinned = useRef(true);
  const { count } = output;
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => box.current,
    estimateSize: () => LINE_HEIGHT,
    overscan: 20,
    paddingStart: PAD,
    paddingEnd: PAD,
    initialRect: { width: 800, height: MAX_HEIGHT },
  });
  useLayoutEffect(() => {
    const el = box.current;
    if (el && pinned.current) el.scrollTop = el.scrollHeight;
  }, [count]);
  if (count === 0) return null;
  const items = virtualizer.getVirtualItems();
  return (
    <>
      {output.dropped > 0 && (
        <Text size="xs" c="dimmed" mb={2} data-testid="lines-dropped">
          {output.dropped.toLocaleString()} earlier lines are not kept here.{' '}
          <Anchor component="button" type="button" size="xs" onClick={() => saveOutput(scope)}>
            Download the whole output
          </Anchor>
        </Text>
      )}
      <div
        ref={box}
        data-testid="step-output"
        data-lines={count}
        onScroll={(e) => {
          const el = e.currentTarget;
          pinned.current = el.scrollHeight - el.scrollTop - el.clientHeight < LINE_HEIGHT;
        }}
        style={{ ...BOX_STYLE, height: outputHeight(count) }}
      >
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative', minWidth: '100%', width: 'max-content' }}>
          <div style={{ position: 'absolute', top: 0, left: 0, right: 0, transform: `translateY(${items[0]?.start ?? 0}px)` }}>
            {items.map((item) => {
              const line = lineAt(output, item.index);
              return (
                <div key={line.n} data-stream={line.stream} style={line.stream === 'stderr' ? ERR_STYLE : OUT_STYLE}>
                  {line.text}
                </div>
              );
            })}
          </div>
        </div>
      </div>
    </>
  );
});
