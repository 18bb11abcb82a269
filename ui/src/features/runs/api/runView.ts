import type { components } from '@/lib/api/client';

type Schemas = components['schemas'];
export type RunDetail = Schemas['RunDto'];
export type RunStatus = Schemas['RunStatus'];
export type RunStreamEvent = Schemas['RunStreamEvent'];
export type OutputStream = Schemas['OutputStream'];

/** Which statuses are final. A status the server adds fails the typecheck here until it is classified. */
export const FINAL = {
  queued: false,
  running: false,
  succeeded: true,
  failed: true,
  cancelled: true,
  timed_out: true,
  // Steps only (never run); final like the others.
  skipped: true,
} as const satisfies Record<RunStatus, boolean>;

export const isFinal = (status: RunStatus): boolean => FINAL[status];

/** The event kinds this view understands; a kind the server adds fails the typecheck until it is handled. */
const KINDS = {
  queued: true,
  targets_resolved: true,
  status_changed: true,
  output: true,
  end: true,
  expired: true,
} as const satisfies Record<RunStreamEvent['kind'], true>;

/** Lines kept per step; earlier ones are dropped (and counted) and the download has them all. */
export const MAX_LINES_PER_STEP = 20_000;

/**
 * `n` is the 1-based line number within the step (both streams counted), as the server numbers it; `at` is when
 * the chunk holding it was recorded (null for lines read from the run document, which keeps no times).
 */
export type OutputLine = { readonly n: number; readonly stream: OutputStream; readonly text: string; readonly at: string | null };

/**
 * A step's output: `buffer[start, start + count)` are the lines kept. The buffer is append-only and shared
 * between successive views (a view reads only its own range), so appending a chunk costs the chunk, not the
 * step: immutable from every reader's point of view. Use `lineAt` / `linesOf` to read.
 */
export type StepOutput = {
  readonly buffer: OutputLine[];
  readonly start: number;
  readonly count: number;
  /** Lines dropped at the front to stay within MAX_LINES_PER_STEP. */
  readonly dropped: number;
  /** The line number the next chunk is expected to start at; lines before it are duplicates. */
  readonly nextLine: number;
};

export type StepView = {
  readonly index: number;
  readonly name: string;
  readonly status: RunStatus;
  readonly exitCode: number | null;
  readonly error: string | null;
  readonly startedAt: string | null;
  readonly finishedAt: string | null;
  readonly output: StepOutput;
};

export type TargetView = {
  readonly targetId: number;
  readonly targetName: string;
  readonly hostname: string;
  readonly status: RunStatus;
  readonly attempt: number | null;
  readonly error: string | null;
  readonly startedAt: string | null;
  readonly finishedAt: string | null;
  readonly steps: readonly StepView[];
  /** The newest output line of any step, for the collapsed row. */
  readonly lastLine: OutputLine | null;
};

export type RunView = {
  readonly status: RunStatus;
  readonly waitReason: string | null;
  readonly error: string | null;
  readonly startedAt: string | null;
  readonly finishedAt: string | null;
  readonly problems: readonly string[];
  readonly targets: readonly TargetView[];
  /** targetId → position in `targets`. */
  readonly positions: ReadonlyMap<number, number>;
  /** The id of the last event folded in (0: none); a reconnect resumes after it. */
  readonly lastEventId: number;
  /** The stream said `end`: the run is final and nothing more will come. */
  readonly ended: boolean;
};

const EMPTY_OUTPUT: StepOutput = { buffer: [], start: 0, count: 0, dropped: 0, nextLine: 1 };

export function initialRunView(): RunView {
  return {
    status: 'queued',
    waitReason: null,
    error: null,
    startedAt: null,
    finishedAt: null,
    problems: [],
    targets: [],
    positions: new Map(),
    lastEventId: 0,
    ended: false,
  };
}

export function lineAt(o: StepOutput, i: number): OutputLine {
  return o.buffer[o.start + i];
}

export function linesOf(o: StepOutput): OutputLine[] {
  return o.buffer.slice(o.start, o.start + o.count);
}

/** Appends lines numbered from `firstLine`; lines numbered before `nextLine` were seen already and are skipped. */
export function appendLines(o: StepOutput, firstLine: number, stream: OutputStream, lines: readonly string[], at: string | null = null): StepOutput {
  const skip = Math.max(0, o.nextLine - firstLine);
  if (skip >= lines.length) return o;
  // A new step gets its own buffer; if another view was extended from this one already, copy our range rather than write into its lines.
  let buffer = o.buffer;
  let start = o.start;
  if (o.count === 0 || buffer.length !== start + o.count) {
    buffer = buffer.slice(start, start + o.count);
    start = 0;
  }
  for (let i = skip; i < lines.length; i++) buffer.push({ n: firstLine + i, stream, text: lines[i], at });
  let count = o.count + lines.length - skip;
  let dropped = o.dropped;
  if (count > MAX_LINES_PER_STEP) {
    const over = count - MAX_LINES_PER_STEP;
    start += over;
    count -= over;
    dropped += over;
    // Compact once the dead front outgrows what is kept: amortised O(1) per line.
    if (start > MAX_LINES_PER_STEP) {
      buffer = buffer.slice(start, start + count);
      start = 0;
    }
  }
  return { buffer, start, count, dropped, nextLine: firstLine + lines.length };
}

function newStep(index: number, name?: string): StepView {
  return { index, name: name ?? `Step ${index + 1}`, status: 'queued', exitCode: null, error: null, startedAt: null, finishedAt: null, output: EMPTY_OUTPUT };
}

function newTarget(targetId: number): TargetView {
  return { targetId, targetName: `Target ${targetId}`, hostname: '', status: 'queued', attempt: null, error: null, startedAt: null, finishedAt: null, steps: [], lastLine: null };
}

/** A final status stays unless a later attempt starts over. */
const accepts = (current: RunStatus, next: RunStatus) => !isFinal(current) || isFinal(next);

function withTarget(state: RunView, targetId: number, update: (t: TargetView) => TargetView): RunView {
  const pos = state.positions.get(targetId);
  const old = pos === undefined ? newTarget(targetId) : state.targets[pos];
  const next = update(old);
  if (next === old && pos !== undefined) return state;
  if (pos === undefined) {
    const positions = new Map(state.positions).set(targetId, state.targets.length);
    return { ...state, targets: [...state.targets, next], positions };
  }
  const targets = state.targets.slice();
  targets[pos] = next;
  return { ...state, targets };
}

function withStep(t: TargetView, index: number, update: (s: StepView) => StepView): TargetView {
  const at = t.steps.findIndex((s) => s.index === index);
  const old = at < 0 ? newStep(index) : t.steps[at];
  const next = update(old);
  if (next === old && at >= 0) return t;
  const steps = t.steps.slice();
  if (at < 0) {
    steps.push(next);
    steps.sort((a, b) => a.index - b.index);
  } else steps[at] = next;
  return { ...t, steps };
}

type StatusChanged = Schemas['RunStreamEventStatusChanged'];

function statusChanged(state: RunView, e: StatusChanged): RunView {
  if (e.scope === 'run') {
    if (!accepts(state.status, e.status)) return state;
    return { ...state, status: e.status, startedAt: e.startedAt ?? state.startedAt, finishedAt: e.finishedAt ?? state.finishedAt, error: e.error ?? state.error };
  }
  if (e.targetId == null) return state;
  if (e.scope === 'target') {
    return withTarget(state, e.targetId, (t) => {
      // A new attempt runs the steps again, numbering their lines from 1: start them over.
      const retry = e.attempt != null && t.attempt != null && e.attempt > t.attempt;
      if (!retry && !accepts(t.status, e.status)) return t;
      return {
        ...t,
        status: e.status,
        attempt: e.attempt ?? t.attempt,
        startedAt: e.startedAt ?? t.startedAt,
        finishedAt: retry ? e.finishedAt : (e.finishedAt ?? t.finishedAt),
        error: retry ? e.error : (e.error ?? t.error),
        steps: retry ? t.steps.map((s) => newStep(s.index, s.name)) : t.steps,
        lastLine: retry ? null : t.lastLine,
      };
    });
  }
  const index = e.step;
  if (index == null) return state;
  return withTarget(state, e.targetId, (t) =>
    withStep(t, index, (s) =>
      accepts(s.status, e.status)
        ? { ...s, status: e.status, exitCode: e.exitCode ?? s.exitCode, error: e.error ?? s.error, startedAt: e.startedAt ?? s.startedAt, finishedAt: e.finishedAt ?? s.finishedAt }
        : s,
    ),
  );
}

function targetsResolved(state: RunView, e: Schemas['RunStreamEventTargetsResolved']): RunView {
  let next: RunView = { ...state, problems: e.problems };
  for (const r of e.targets) {
    next = withTarget(next, r.targetId, (t) => {
      let steps = t.steps;
      for (const rs of r.steps) steps = withStep({ ...t, steps }, rs.index, (s) => (s.name === rs.name ? s : { ...s, name: rs.name })).steps;
      return { ...t, targetName: r.targetName, hostname: r.hostname, steps };
    });
  }
  return next;
}

/** Folds one event of GET /runs/{id}/events into the view. Pure: the input is never changed; unchanged targets keep their identity. */
export function reduce(state: RunView, event: RunStreamEvent): RunView {
  const next = apply(state, event);
  return event.id > state.lastEventId ? { ...next, lastEventId: event.id } : next;
}

function apply(state: RunView, e: RunStreamEvent): RunView {
  switch (e.kind) {
    case 'queued':
      return { ...state, waitReason: e.waitReason };
    case 'targets_resolved':
      return targetsResolved(state, e);
    case 'status_changed':
      return statusChanged(state, e);
    case 'output': {
      if (e.lines.length === 0) return state;
      return withTarget(state, e.targetId, (t) => {
        let last: OutputLine | null = t.lastLine;
        const updated = withStep(t, e.step, (s) => {
          const output = appendLines(s.output, e.firstLine, e.stream, e.lines, e.at ?? null);
          if (output === s.output) return s;
          last = lineAt(output, output.count - 1);
          return { ...s, output };
        });
        return updated === t ? t : { ...updated, lastLine: last };
      });
    }
    case 'end':
      return { ...state, status: e.status, ended: true, waitReason: null };
    case 'expired':
      // The caller's access token ran out, not the run: the stream reconnects (followRunEvents).
      return state;
  }
}

/**
 * Reads one server-sent event's data as a RunStreamEvent: JSON whose `kind` is one this view knows
 * (the generated union is the contract; a record of an unknown kind, or garbage, is skipped). A record
 * serialised without its discriminator takes the kind from the frame's `event:` field, which carries the same.
 */
export function parseEvent(data: string, event?: string): RunStreamEvent | null {
  let d: unknown;
  try {
    d = JSON.parse(data);
  } catch {
    return null;
  }
  if (typeof d !== 'object' || d === null) return null;
  const kind = (d as { kind?: unknown }).kind ?? event;
  if (typeof kind !== 'string' || !Object.hasOwn(KINDS, kind)) return null;
  const id = Number((d as { id?: unknown }).id ?? 0);
  return { ...(d as RunStreamEvent), kind: kind as RunStreamEvent['kind'], id: Number.isFinite(id) ? id : 0 } as RunStreamEvent;
}

/**
 * The view of a run whose stream gave up before it said anything: built from the run document's stored
 * output instead. Lines are numbered stdout first, then stderr (the document keeps them apart).
 */
export function viewFromDocument(doc: RunDetail, base: RunView = initialRunView()): RunView {
  const split = (text: string) => (text ? text.replace(/\n$/, '').split('\n') : []);
  const targets: TargetView[] = doc.targets.map((t) => {
    const steps: StepView[] = t.steps.map((s) => {
      const out = split(s.stdout);
      const err = split(s.stderr);
      const output = appendLines(appendLines(EMPTY_OUTPUT, 1, 'stdout', out), out.length + 1, 'stderr', err);
      return { index: s.index, name: s.name, status: s.status, exitCode: s.exitCode, error: s.error, startedAt: s.startedAt, finishedAt: s.finishedAt, output };
    });
    let lastLine: OutputLine | null = null;
    for (const s of steps) if (s.output.count) lastLine = lineAt(s.output, s.output.count - 1);
    return { targetId: t.targetId, targetName: t.targetName, hostname: t.hostname, status: t.status, attempt: t.attempt, error: t.error, startedAt: t.startedAt, finishedAt: t.finishedAt, steps, lastLine };
  });
  return {
    ...base,
    status: doc.status,
    waitReason: doc.waitReason,
    error: doc.error,
    startedAt: doc.startedAt,
    finishedAt: doc.finishedAt,
    targets,
    positions: new Map(targets.map((t, i) => [t.targetId, i])),
  };
}

/** Targets per status, for the counts above the list. */
export function countByStatus(targets: readonly TargetView[]): Record<RunStatus, number> {
  const counts: Record<RunStatus, number> = { queued: 0, running: 0, succeeded: 0, failed: 0, cancelled: 0, timed_out: 0, skipped: 0 };
  for (const t of targets) counts[t.status]++;
  return counts;
}
