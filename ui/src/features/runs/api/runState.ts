import type { components } from '@/lib/api/client';

type Schemas = components['schemas'];
export type RunDetail = Schemas['RunDto'];
export type RunStatus = Schemas['RunStatus'];

export const FINAL_STATUSES: ReadonlySet<string> = new Set(['succeeded', 'failed', 'cancelled', 'timed_out']);

export type OutputLine = { stream: 'stdout' | 'stderr'; line: string };
export type LiveStep = { index: number; status?: string; exitCode?: number | null; error?: string | null; lines: OutputLine[] };
/** `version` bumps on every change to this target, so views of unchanged targets can be reused. */
export type LiveTarget = { targetId: number; targetName?: string; hostname?: string; status?: string; error?: string | null; steps: Map<number, LiveStep>; version: number };

/** Everything the event stream has told us so far. Mutated in place; `version` bumps on each change. */
export type LiveRun = {
  status?: string;
  error?: string | null;
  ended: boolean;
  lastEventId?: string;
  targets: Map<number, LiveTarget>;
  version: number;
};

export const MAX_LINES_PER_STEP = 20_000;

export function newLiveRun(): LiveRun {
  return { ended: false, targets: new Map(), version: 0 };
}

function target(run: LiveRun, id: number): LiveTarget {
  let t = run.targets.get(id);
  if (!t) {
    t = { targetId: id, steps: new Map(), version: 0 };
    run.targets.set(id, t);
  }
  return t;
}

function step(t: LiveTarget, index: number): LiveStep {
  let s = t.steps.get(index);
  if (!s) {
    s = { index, lines: [] };
    t.steps.set(index, s);
  }
  return s;
}

/**
 * Applies one server-sent event of GET /runs/{id}/events: `targets`, `output`, `status`, `end`.
 * Unknown events and malformed data are ignored. Returns whether anything changed.
 */
export function applyEvent(run: LiveRun, event: string, data: string, id?: string): boolean {
  if (id) run.lastEventId = id;
  let d: unknown;
  try {
    d = JSON.parse(data);
  } catch {
    return false;
  }
  switch (event) {
    case 'targets': {
      if (!Array.isArray(d)) return false;
      for (const item of d as { targetId: number; targetName?: string; hostname?: string }[]) {
        const t = target(run, Number(item.targetId));
        t.targetName = item.targetName;
        t.hostname = item.hostname;
        t.version++;
      }
      break;
    }
    case 'output': {
      const o = d as { targetId: number; step: number; stream?: string; line?: string };
      const t = target(run, Number(o.targetId));
      t.version++;
      const s = step(t, Number(o.step ?? 0));
      s.lines.push({ stream: o.stream === 'stderr' ? 'stderr' : 'stdout', line: String(o.line ?? '') });
      if (s.lines.length > MAX_LINES_PER_STEP) s.lines.splice(0, s.lines.length - MAX_LINES_PER_STEP);
      break;
    }
    case 'status': {
      const st = d as { scope?: string; targetId?: number; step?: number; status?: string; exitCode?: number | null; error?: string | null };
      if (st.scope === 'run') {
        run.status = st.status;
        if (st.error !== undefined) run.error = st.error;
      } else if (st.scope === 'target' && st.targetId != null) {
        const t = target(run, Number(st.targetId));
        t.version++;
        t.status = st.status;
        if (st.error !== undefined) t.error = st.error;
      } else if (st.scope === 'step' && st.targetId != null) {
        const t = target(run, Number(st.targetId));
        t.version++;
        const s = step(t, Number(st.step ?? 0));
        s.status = st.status;
        if (st.exitCode !== undefined) s.exitCode = st.exitCode;
        if (st.error !== undefined) s.error = st.error;
      } else return false;
      break;
    }
    case 'end': {
      run.ended = true;
      const e = d as { status?: string };
      if (e.status) run.status = e.status;
      break;
    }
    default:
      return false;
  }
  run.version++;
  return true;
}

export type StepView = {
  index: number;
  name: string;
  status: string;
  exitCode: number | null;
  error: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  outputTruncated: boolean;
  lines: OutputLine[];
};
export type TargetView = {
  targetId: number;
  targetName: string;
  hostname: string;
  status: string;
  attempt: number | null;
  error: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  steps: StepView[];
};

function linesOf(stdout: string | null | undefined, stderr: string | null | undefined): OutputLine[] {
  const split = (text: string | null | undefined, stream: OutputLine['stream']) =>
    text ? text.replace(/\n$/, '').split('\n').map((line) => ({ stream, line })) : [];
  return [...split(stdout, 'stdout'), ...split(stderr, 'stderr')];
}

type DetailTarget = NonNullable<RunDetail['targets']>[number];

function detailView(t: DetailTarget): TargetView {
  return {
    targetId: t.targetId,
    targetName: t.targetName,
    hostname: t.hostname,
    status: t.status,
    attempt: t.attempt,
    error: t.error,
    startedAt: t.startedAt,
    finishedAt: t.finishedAt,
    steps: t.steps.map((s) => ({
      index: s.index,
      name: s.name,
      status: s.status,
      exitCode: s.exitCode,
      error: s.error,
      startedAt: s.startedAt,
      finishedAt: s.finishedAt,
      outputTruncated: s.outputTruncated,
      lines: linesOf(s.stdout, s.stderr),
    })),
  };
}

/** One target's view: the run document's target (if any) overlaid with the live stream's (if any). */
function mergeTarget(dt: DetailTarget | undefined, lt: LiveTarget | undefined, id: number): TargetView {
  const view: TargetView = dt
    ? detailView(dt)
    : {
        targetId: id,
        targetName: lt?.targetName ?? `Target ${id}`,
        hostname: lt?.hostname ?? '',
        status: 'queued',
        attempt: null,
        error: null,
        startedAt: null,
        finishedAt: null,
        steps: [],
      };
  if (!lt) return view;
  // A finished detail is authoritative; otherwise the stream is newer.
  if (lt.status && !FINAL_STATUSES.has(view.status)) view.status = lt.status;
  if (lt.error && !view.error) view.error = lt.error;
  for (const ls of lt.steps.values()) {
    let sv = view.steps.find((s) => s.index === ls.index);
    if (!sv) {
      sv = { index: ls.index, name: `Step ${ls.index + 1}`, status: 'queued', exitCode: null, error: null, startedAt: null, finishedAt: null, outputTruncated: false, lines: [] };
      view.steps.push(sv);
    }
    if (ls.status && !FINAL_STATUSES.has(sv.status)) sv.status = ls.status;
    if (ls.exitCode != null && sv.exitCode == null) sv.exitCode = ls.exitCode;
    if (ls.error && !sv.error) sv.error = ls.error;
    if (ls.lines.length) sv.lines = ls.lines;
  }
  view.steps.sort((a, b) => a.index - b.index);
  return view;
}

/** Per-target views of a previous merge, with what they were made from. */
export type MergeCache = Map<number, { dt: DetailTarget | undefined; version: number; view: TargetView }>;

/**
 * Merges the run document (names, times, stored output) with the live stream (statuses and
 * output as they happen). The stream wins for statuses and output once it has said anything;
 * without a stream (or before it has replayed) the stored stdout/stderr are shown.
 *
 * With a `cache`, a target whose document entry (same object: TanStack Query keeps unchanged parts of
 * a refetched document) and live version did not change keeps the very same view object, so memoised
 * rows skip it by identity and the work per update is proportional to the targets that changed.
 */
export function mergeTargets(detail: RunDetail | undefined, live: LiveRun, cache?: MergeCache): TargetView[] {
  const ids: number[] = [];
  const dts = new Map<number, DetailTarget>();
  for (const t of detail?.targets ?? []) {
    if (!dts.has(t.targetId)) ids.push(t.targetId);
    dts.set(t.targetId, t);
  }
  for (const id of live.targets.keys()) if (!dts.has(id)) ids.push(id);
  const out: TargetView[] = [];
  const seen = new Set<number>();
  for (const id of ids) {
    if (seen.has(id)) continue;
    seen.add(id);
    const dt = dts.get(id);
    const lt = live.targets.get(id);
    const version = lt ? lt.version : -1;
    const hit = cache?.get(id);
    if (hit && hit.dt === dt && hit.version === version) {
      out.push(hit.view);
      continue;
    }
    const view = mergeTarget(dt, lt, id);
    cache?.set(id, { dt, version, view });
    out.push(view);
  }
  return out;
}

export type OutputBlock = { start: number; end: number; stream: OutputLine['stream'] };

/**
 * Splits a step's output into blocks of consecutive lines of the same stream, at most `size`
 * lines each. Blocks only ever grow at the end as lines are appended, so every block but the
 * last keeps its bounds and its rendering can be reused: a few hundred DOM nodes for 20,000 lines.
 */
export function outputBlocks(lines: OutputLine[], count = lines.length, size = 200): OutputBlock[] {
  const blocks: OutputBlock[] = [];
  let cur: OutputBlock | null = null;
  for (let i = 0; i < count; i++) {
    const stream = lines[i].stream;
    if (!cur || cur.stream !== stream || cur.end - cur.start >= size) {
      cur = { start: i, end: i, stream };
      blocks.push(cur);
    }
    cur.end = i + 1;
  }
  return blocks;
}
