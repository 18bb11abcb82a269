import { Anchor, Text } from '@mantine/core';
import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useEffect, useLayoutEffect, useRef } from 'react';
import { formatLineTime, splitHighlight } from '../api/fleetView';
import type { OutputScope } from '../api/run';
import { lineAt, type OutputLine, type StepOutput as Output } from '../api/runView';
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
const CURRENT_STYLE = { background: 'var(--mantine-color-dark-5)' } as const;
const TIME_STYLE = { color: 'var(--mantine-color-dark-2)', marginRight: 8, userSelect: 'none' } as const;
const MARK_STYLE = { background: 'var(--mantine-color-yellow-7)', color: 'var(--mantine-color-black)', borderRadius: 2 } as const;
const MARK_CURRENT_STYLE = { ...MARK_STYLE, background: 'var(--mantine-color-orange-4)', outline: '1px solid var(--mantine-color-orange-2)' } as const;

/** What the output box shows besides the lines: the search to highlight, the match to bring into view, times. */
export type OutputDisplay = {
  /** Highlighted in every line ('' for none). */
  query: string;
  /** Index (in the kept lines) of the current search match, -1 for none: it is scrolled into view. */
  currentLine: number;
  /** Each line's time before it. */
  timestamps: boolean;
};

export const PLAIN_DISPLAY: OutputDisplay = { query: '', currentLine: -1, timestamps: false };

function LineText({ line, query, current }: { line: OutputLine; query: string; current: boolean }) {
  if (!query) return <>{line.text}</>;
  return (
    <>
      {splitHighlight(line.text, query).map((p, i) =>
        p.hit ? (
          <mark key={i} style={current ? MARK_CURRENT_STYLE : MARK_STYLE} data-testid={current ? 'output-match-current' : 'output-match'}>
            {p.text}
          </mark>
        ) : (
          p.text
        ),
      )}
    </>
  );
}

/**
 * One step's output, virtualised: only the lines in view (plus a few) are in the DOM, so 100,000 lines scroll
 * like 100. While the user is at the bottom it follows the tail as lines arrive; scrolling up stops that, and
 * scrolling back to the bottom starts it again. `data-lines` is how many lines the step has loaded.
 */
export const StepOutput = memo(function StepOutput({ output, scope, display = PLAIN_DISPLAY }: { output: Output; scope: OutputScope; display?: OutputDisplay }) {
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
  const { query, currentLine, timestamps } = display;
  // The current search match: stop following the tail and bring it to the middle of the box.
  useEffect(() => {
    if (currentLine < 0 || currentLine >= count) return;
    pinned.current = false;
    virtualizer.scrollToIndex(currentLine, { align: 'center' });
    // …and the box itself into the list's (and the page's) view.
    const frame = requestAnimationFrame(() => box.current?.querySelector('[data-current]')?.scrollIntoView({ block: 'nearest' }));
    return () => cancelAnimationFrame(frame);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only when the match changes, not on every new line
  }, [currentLine, virtualizer]);
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
              const current = item.index === currentLine;
              const style = line.stream === 'stderr' ? ERR_STYLE : OUT_STYLE;
              return (
                <div key={line.n} data-stream={line.stream} data-current={current || undefined} style={current ? { ...style, ...CURRENT_STYLE } : style}>
                  {timestamps && (
                    <span style={TIME_STYLE} data-testid="line-time">
                      {formatLineTime(line.at) || '--:--:--.---'}
                    </span>
                  )}
                  <LineText line={line} query={query} current={current} />
                </div>
              );
            })}
          </div>
        </div>
      </div>
    </>
  );
});
