import { describe, expect, it } from 'vitest';
import { filterTargets, findMatches, formatLineTime, MAX_MATCHES, orderTargets, runAsText, splitHighlight, targetAsText } from './fleetView';
import { appendLines, type RunStatus, type StepOutput, type TargetView } from './runView';

const EMPTY: StepOutput = { buffer: [], start: 0, count: 0, dropped: 0, nextLine: 1 };

function target(targetId: number, status: RunStatus, ...steps: string[][]): TargetView {
  return {
    targetId,
    targetName: `web-${targetId}`,
    hostname: `10.0.0.${targetId}`,
    status,
    attempt: 1,
    error: null,
    startedAt: null,
    finishedAt: null,
    lastLine: null,
    steps: steps.map((lines, index) => ({
      index,
      name: `step-${index}`,
      status,
      exitCode: null,
      error: null,
      startedAt: null,
      finishedAt: null,
      output: appendLines(EMPTY, 1, 'stdout', lines, '2026-12-03T10:11:12.345Z'),
    })),
  };
}

describe('orderTargets', () => {
  it('puts failed and timed-out targets first, keeping the run order within each group', () => {
    const list = [target(1, 'succeeded'), target(2, 'failed'), target(3, 'running'), target(4, 'timed_out'), target(5, 'succeeded')];
    expect(orderTargets(list).map((t) => t.targetId)).toEqual([2, 4, 1, 3, 5]);
  });

  it('keeps the same array when nothing moves', () => {
    const none = [target(1, 'succeeded'), target(2, 'running')];
    expect(orderTargets(none)).toBe(none);
    const leading = [target(1, 'failed'), target(2, 'succeeded')];
    expect(orderTargets(leading)).toBe(leading);
  });
});

describe('filterTargets', () => {
  it('shows only the targets with the chosen status, or all of them', () => {
    const list = [target(1, 'succeeded'), target(2, 'failed'), target(3, 'succeeded')];
    expect(filterTargets(list, 'succeeded').map((t) => t.targetId)).toEqual([1, 3]);
    expect(filterTargets(list, 'cancelled')).toEqual([]);
    expect(filterTargets(list, null)).toBe(list);
  });
});

describe('findMatches', () => {
  it('finds every line holding the text, case-insensitively, target by target and step by step', () => {
    const list = [target(1, 'failed', ['all good', 'ERROR: disk full'], ['error again']), target(2, 'succeeded', ['fine', 'no Error here'])];
    expect(findMatches(list, 'error')).toEqual([
      { targetId: 1, step: 0, line: 1 },
      { targetId: 1, step: 1, line: 0 },
      { targetId: 2, step: 0, line: 1 },
    ]);
    expect(findMatches(list, 'nothing like it')).toEqual([]);
    expect(findMatches(list, '')).toEqual([]);
  });

  it('stops counting at MAX_MATCHES', () => {
    const lines = Array.from({ length: MAX_MATCHES + 50 }, (_, i) => `hit ${i}`);
    expect(findMatches([target(1, 'succeeded', lines)], 'hit')).toHaveLength(MAX_MATCHES);
  });
});

describe('splitHighlight', () => {
  it('cuts a line into the matching parts and the rest, keeping the original case', () => {
    expect(splitHighlight('Disk error, ERROR again', 'error')).toEqual([
      { text: 'Disk ', hit: false },
      { text: 'error', hit: true },
      { text: ', ', hit: false },
      { text: 'ERROR', hit: true },
      { text: ' again', hit: false },
    ]);
    expect(splitHighlight('error', 'error')).toEqual([{ text: 'error', hit: true }]);
    expect(splitHighlight('plain', 'x')).toEqual([{ text: 'plain', hit: false }]);
    expect(splitHighlight('plain', '')).toEqual([{ text: 'plain', hit: false }]);
  });
});

describe('formatLineTime', () => {
  it('shows hours to milliseconds in the local time zone, blank without a time', () => {
    const at = '2026-12-03T10:11:12.345Z';
    const d = new Date(at);
    const pad = (n: number) => String(n).padStart(2, '0');
    expect(formatLineTime(at)).toBe(`${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.345`);
    expect(formatLineTime(null)).toBe('');
    expect(formatLineTime('not a date')).toBe('');
  });
});

describe('run as text', () => {
  it('writes each target under a heading with its name, host and status, steps under theirs', () => {
    const a = target(1, 'failed', ['one', 'two']);
    const b = target(2, 'timed_out');
    expect(targetAsText(a)).toBe('== 1. step-0\none\ntwo');
    expect(targetAsText(a, true)).toBe(`== 1. step-0\n${formatLineTime('2026-12-03T10:11:12.345Z')} one\n${formatLineTime('2026-12-03T10:11:12.345Z')} two`);
    expect(runAsText(7, 'deploy', [a, b], [targetAsText(a), targetAsText(b)])).toBe(
      'Run #7 of deploy\n\n==== web-1 (10.0.0.1): failed\n== 1. step-0\none\ntwo\n\n==== web-2 (10.0.0.2): timed out\n',
    );
  });
});
