import { describe, expect, it } from 'vitest';
import {
  FINAL,
  MAX_LINES_PER_STEP,
  countByStatus,
  initialRunView,
  isFinal,
  lineAt,
  linesOf,
  parseEvent,
  reduce,
  viewFromDocument,
  type RunDetail,
  type RunStatus,
  type RunStreamEvent,
  type RunView,
} from './runView';

const at = '2026-12-02T05:00:00Z';
let nextId = 1;
const ev = {
  queued: (waitReason: string | null): RunStreamEvent => ({ kind: 'queued', id: nextId++, at, waitReason }),
  targets: (...ids: number[]): RunStreamEvent => ({
    kind: 'targets_resolved',
    id: nextId++,
    at,
    problems: [],
    targets: ids.map((id) => ({ targetId: id, targetName: `web-${id}`, hostname: `10.0.0.${id}`, steps: [{ index: 0, name: 'check' }, { index: 1, name: 'deploy' }] })),
  }),
  status: (scope: 'run' | 'target' | 'step', status: RunStatus, more: Partial<{ targetId: number; step: number; exitCode: number; error: string; attempt: number; startedAt: string; finishedAt: string }> = {}): RunStreamEvent => ({
    kind: 'status_changed',
    id: nextId++,
    at,
    scope,
    status,
    targetId: more.targetId ?? null,
    step: more.step ?? null,
    exitCode: more.exitCode ?? null,
    error: more.error ?? null,
    attempt: more.attempt ?? null,
    startedAt: more.startedAt ?? null,
    finishedAt: more.finishedAt ?? null,
  }),
  output: (targetId: number, step: number, firstLine: number, lines: string[], stream: 'stdout' | 'stderr' = 'stdout'): RunStreamEvent => ({ kind: 'output', id: nextId++, at, targetId, step, firstLine, lines, stream }),
  end: (status: 'succeeded' | 'failed'): RunStreamEvent => ({ kind: 'end', id: 0, at, status }),
  expired: (): RunStreamEvent => ({ kind: 'expired', id: 0, at }),
};
const fold = (events: RunStreamEvent[], from: RunView = initialRunView()) => events.reduce(reduce, from);
const texts = (v: RunView, target: number, step: number) => {
  const t = v.targets[v.positions.get(target)!];
  return linesOf(t.steps.find((s) => s.index === step)!.output).map((l) => l.text);
};

describe('reduce', () => {
  it('folds every event kind of a run into one view', () => {
    const v = fold([
      ev.queued('waiting for a free worker'),
      ev.status('run', 'running', { startedAt: at }),
      ev.targets(7),
      ev.status('target', 'running', { targetId: 7, attempt: 1, startedAt: at }),
      ev.status('step', 'running', { targetId: 7, step: 0 }),
      ev.output(7, 0, 1, ['hello', 'world']),
      ev.output(7, 0, 3, ['oops'], 'stderr'),
      ev.status('step', 'failed', { targetId: 7, step: 0, exitCode: 3, error: 'exit 3' }),
      ev.status('target', 'failed', { targetId: 7, attempt: 1, finishedAt: at }),
      ev.status('run', 'failed', { finishedAt: at }),
    ]);
    expect(v).toMatchObject({ status: 'failed', waitReason: 'waiting for a free worker', startedAt: at, finishedAt: at, ended: false });
    const [t] = v.targets;
    expect(t).toMatchObject({ targetId: 7, targetName: 'web-7', hostname: '10.0.0.7', status: 'failed', attempt: 1 });
    expect(t.steps.map((s) => [s.index, s.name, s.status])).toEqual([
      [0, 'check', 'failed'],
      [1, 'deploy', 'queued'],
    ]);
    expect(t.steps[0]).toMatchObject({ exitCode: 3, error: 'exit 3' });
    expect(linesOf(t.steps[0].output)).toEqual([
      { n: 1, stream: 'stdout', text: 'hello', at },
      { n: 2, stream: 'stdout', text: 'world', at },
      { n: 3, stream: 'stderr', text: 'oops', at },
    ]);
    expect(t.lastLine).toEqual({ n: 3, stream: 'stderr', text: 'oops', at });
    const ended = fold([ev.end('failed')], v);
    expect(ended).toMatchObject({ ended: true, status: 'failed', waitReason: null });
    expect(ended.lastEventId).toBe(v.lastEventId);
    // `expired` is about the caller's token, not the run: the view does not change.
    expect(fold([ev.expired()], v)).toBe(v);
  });

  it('remembers the last event id for a resume, ignoring end and expired (id 0)', () => {
    const first = ev.targets(1);
    const second = ev.output(1, 0, 1, ['x']);
    const v = fold([first, second, ev.end('succeeded')]);
    expect(v.lastEventId).toBe(second.id);
  });

  it('keeps unchanged targets (and steps) by identity and never changes its input', () => {
    const v1 = fold([ev.targets(1, 2, 3), ev.output(2, 0, 1, ['a'])]);
    // What a reader sees (the shared line buffer may hold lines past a view's range: that is the sharing).
    const logical = (v: RunView) => JSON.stringify(v.targets.map((t) => ({ ...t, steps: t.steps.map((s) => ({ ...s, output: linesOf(s.output) })) })));
    const frozen = logical(v1);
    const v2 = reduce(v1, ev.output(2, 0, 2, ['b']));
    expect(v2.targets[0]).toBe(v1.targets[0]);
    expect(v2.targets[2]).toBe(v1.targets[2]);
    expect(v2.targets[1]).not.toBe(v1.targets[1]);
    expect(v2.targets[1].steps[1]).toBe(v1.targets[1].steps[1]);
    expect(logical(v1)).toBe(frozen);
    expect(texts(v1, 2, 0)).toEqual(['a']);
    expect(texts(v2, 2, 0)).toEqual(['a', 'b']);
    // Branching from an older view does not disturb the newer one (they share the line buffer).
    const v2b = reduce(v1, ev.output(2, 0, 2, ['c']));
    expect(texts(v2b, 2, 0)).toEqual(['a', 'c']);
    expect(texts(v2, 2, 0)).toEqual(['a', 'b']);
    // An event that changes nothing returns the same targets.
    const v3 = reduce(v2, ev.output(2, 0, 1, ['a']));
    expect(v3.targets).toBe(v2.targets);
  });

  it('ignores a duplicate chunk and the already-seen part of an overlapping or late one', () => {
    const v = fold([
      ev.targets(1),
      ev.output(1, 0, 1, ['1', '2']),
      ev.output(1, 0, 1, ['1', '2']), // the same firstLine twice (a resume replayed it)
      ev.output(1, 0, 2, ['2', '3']), // overlaps: only line 3 is new
      ev.output(1, 0, 5, ['5']), // ahead of line 4: kept (line 4 went missing)
      ev.output(1, 0, 4, ['4']), // late: already past it
    ]);
    expect(texts(v, 1, 0)).toEqual(['1', '2', '3', '5']);
    expect(v.targets[0].steps[0].output.nextLine).toBe(6);
  });

  it('keeps output per step apart and creates targets and steps it was not told of', () => {
    const v = fold([ev.output(9, 2, 1, ['late']), ev.output(9, 0, 1, ['early'])]);
    expect(v.targets[0]).toMatchObject({ targetId: 9, targetName: 'Target 9' });
    expect(v.targets[0].steps.map((s) => [s.index, s.name])).toEqual([
      [0, 'Step 1'],
      [2, 'Step 3'],
    ]);
    expect(v.targets[0].lastLine?.text).toBe('early');
  });

  it(`keeps the last ${MAX_LINES_PER_STEP} lines of a step and counts the dropped ones`, () => {
    let v = fold([ev.targets(1)]);
    const total = MAX_LINES_PER_STEP * 2 + 500;
    for (let first = 1; first <= total; first += 250) v = reduce(v, ev.output(1, 0, first, Array.from({ length: 250 }, (_, i) => `line ${first + i}`)));
    const o = v.targets[0].steps[0].output;
    expect(o.count).toBe(MAX_LINES_PER_STEP);
    expect(o.dropped).toBe(total - MAX_LINES_PER_STEP);
    expect(lineAt(o, 0)).toMatchObject({ n: total - MAX_LINES_PER_STEP + 1, text: `line ${total - MAX_LINES_PER_STEP + 1}` });
    expect(lineAt(o, o.count - 1).text).toBe(`line ${total}`);
    expect(o.buffer.length).toBeLessThanOrEqual(MAX_LINES_PER_STEP * 2 + 250);
  });

  it('keeps a final status final; a new attempt of a target starts its steps over', () => {
    let v = fold([
      ev.targets(1),
      ev.status('run', 'running'),
      ev.status('target', 'running', { targetId: 1, attempt: 1 }),
      ev.status('step', 'running', { targetId: 1, step: 0 }),
      ev.output(1, 0, 1, ['try 1']),
      ev.status('step', 'failed', { targetId: 1, step: 0, exitCode: 1 }),
      ev.status('target', 'failed', { targetId: 1, attempt: 1 }),
      ev.status('step', 'running', { targetId: 1, step: 0 }), // late, same attempt: ignored
      ev.status('target', 'running', { targetId: 1, attempt: 1 }), // late: ignored
    ]);
    expect(v.targets[0].status).toBe('failed');
    expect(v.targets[0].steps[0].status).toBe('failed');
    v = fold([ev.status('target', 'running', { targetId: 1, attempt: 2 }), ev.output(1, 0, 1, ['try 2'])], v);
    expect(v.targets[0]).toMatchObject({ status: 'running', attempt: 2 });
    expect(v.targets[0].steps[0].status).toBe('queued');
    expect(texts(v, 1, 0)).toEqual(['try 2']);
    v = fold([ev.status('run', 'succeeded'), ev.status('run', 'running')], v);
    expect(v.status).toBe('succeeded');
  });

  it('classifies every status as final or not', () => {
    expect(Object.entries(FINAL).filter(([, f]) => f).map(([s]) => s)).toEqual(['succeeded', 'failed', 'cancelled', 'timed_out', 'skipped']);
    expect(isFinal('running')).toBe(false);
    expect(isFinal('timed_out')).toBe(true);
  });

  it('counts targets by status', () => {
    const v = fold([ev.targets(1, 2, 3), ev.status('target', 'running', { targetId: 2 }), ev.status('target', 'failed', { targetId: 3 })]);
    expect(countByStatus(v.targets)).toEqual({ queued: 1, running: 1, succeeded: 0, failed: 1, cancelled: 0, timed_out: 0, skipped: 0 });
  });
});

describe('parseEvent', () => {
  it('reads a typed record and skips garbage and unknown kinds', () => {
    expect(parseEvent('{"kind":"end","id":0,"at":"x","status":"succeeded"}')).toEqual({ kind: 'end', id: 0, at: 'x', status: 'succeeded' });
    expect(parseEvent('{"kind":"expired","at":"x"}')).toMatchObject({ kind: 'expired', id: 0 });
    expect(parseEvent('not json')).toBeNull();
    expect(parseEvent('[1]')).toBeNull();
    expect(parseEvent('{"kind":"toString"}')).toBeNull();
    expect(parseEvent('{"kind":"something_new","id":3}')).toBeNull();
    // Without its discriminator, the record takes the kind the frame's `event:` field names.
    expect(parseEvent('{"id":4,"at":"x","status":"failed"}', 'end')).toMatchObject({ kind: 'end', id: 4, status: 'failed' });
    expect(parseEvent('{"id":4}', 'message')).toBeNull();
  });
});

describe('viewFromDocument', () => {
  it('shows the stored output when the stream gave up', () => {
    const doc = {
      id: 1, status: 'succeeded', waitReason: null, error: null, startedAt: at, finishedAt: at,
      targets: [
        {
          targetId: 1, targetName: 'db', hostname: 'db1', status: 'succeeded', attempt: 1, error: null, startedAt: null, finishedAt: null,
          steps: [{ index: 0, name: 'check', status: 'succeeded', exitCode: 0, stdout: 'a\nb\n', stderr: 'warn\n', outputTruncated: false, startedAt: null, finishedAt: null, error: null }],
        },
      ],
    } as unknown as RunDetail;
    const v = viewFromDocument(doc);
    expect(v.status).toBe('succeeded');
    expect(v.targets[0].steps[0].name).toBe('check');
    expect(linesOf(v.targets[0].steps[0].output)).toEqual([
      { n: 1, stream: 'stdout', text: 'a', at: null },
      { n: 2, stream: 'stdout', text: 'b', at: null },
      { n: 3, stream: 'stderr', text: 'warn', at: null },
    ]);
    expect(v.targets[0].lastLine?.text).toBe('warn');
  });
});
