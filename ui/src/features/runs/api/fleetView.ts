import { lineAt, linesOf, type RunStatus, type TargetView } from './runView';

/** Statuses that count as a failure: these targets are listed first. */
const FAILED: ReadonlySet<RunStatus> = new Set<RunStatus>(['failed', 'timed_out']);

export const isFailure = (status: RunStatus): boolean => FAILED.has(status);

/**
 * The targets in the order the list shows them: failed ones first, the rest after; each group keeps the run's
 * order. Returns `targets` itself when nothing moves, so an unchanged list keeps its identity.
 */
export function orderTargets(targets: readonly TargetView[]): readonly TargetView[] {
  const failed = targets.filter((t) => isFailure(t.status));
  // Already in order (none failed, or the failed ones lead): keep the array.
  if (failed.length === 0 || failed.every((t, i) => targets[i] === t)) return targets;
  return [...failed, ...targets.filter((t) => !isFailure(t.status))];
}

/** The targets with `status` (all of them when null). */
export function filterTargets(targets: readonly TargetView[], status: RunStatus | null): readonly TargetView[] {
  return status === null ? targets : targets.filter((t) => t.status === status);
}

/** One occurrence of the search in the kept output: `line` is the index within the step's kept lines. */
export type OutputMatch = { readonly targetId: number; readonly step: number; readonly line: number };

/** Matches are counted up to this many; the search box says "1,000+". */
export const MAX_MATCHES = 1000;

/** Case-insensitive; the query is not trimmed (leading spaces can matter in output). */
const fold = (s: string) => s.toLowerCase();

/**
 * Every line of the kept output (in list order: target by target, step by step) that holds `query`,
 * case-insensitively; at most MAX_MATCHES. An empty query matches nothing.
 */
export function findMatches(targets: readonly TargetView[], query: string): OutputMatch[] {
  const q = fold(query);
  const out: OutputMatch[] = [];
  if (!q) return out;
  for (const t of targets) {
    for (const s of t.steps) {
      const o = s.output;
      for (let i = 0; i < o.count; i++) {
        if (fold(lineAt(o, i).text).includes(q)) {
          out.push({ targetId: t.targetId, step: s.index, line: i });
          if (out.length >= MAX_MATCHES) return out;
        }
      }
    }
  }
  return out;
}

export type TextPart = { readonly text: string; readonly hit: boolean };

/** `text` cut into the parts that match `query` (case-insensitively) and those between; one part when none does. */
export function splitHighlight(text: string, query: string): TextPart[] {
  if (!query) return [{ text, hit: false }];
  const hay = fold(text);
  const q = fold(query);
  const parts: TextPart[] = [];
  let from = 0;
  for (let at = hay.indexOf(q); at >= 0; at = hay.indexOf(q, at + q.length)) {
    if (at > from) parts.push({ text: text.slice(from, at), hit: false });
    parts.push({ text: text.slice(at, at + q.length), hit: true });
    from = at + q.length;
  }
  if (from < text.length || parts.length === 0) parts.push({ text: text.slice(from), hit: false });
  return parts;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** A line's time as `HH:MM:SS.mmm` in the browser's time zone; blank when the line has none. */
export function formatLineTime(at: string | null): string {
  if (!at) return '';
  const d = new Date(at);
  if (Number.isNaN(d.getTime())) return '';
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

/** One target's kept output as text: a `== N. step` header before each step that printed something. */
export function targetAsText(t: TargetView, timestamps = false): string {
  return t.steps
    .filter((s) => s.output.count > 0)
    .map((s) => `== ${s.index + 1}. ${s.name}\n${linesOf(s.output).map((l) => (timestamps && l.at ? `${formatLineTime(l.at)} ${l.text}` : l.text)).join('\n')}`)
    .join('\n');
}

/** A header for one target in the whole run's text: name, host and status. */
export const targetHeading = (t: Pick<TargetView, 'targetName' | 'hostname' | 'status'>) =>
  `==== ${t.targetName}${t.hostname ? ` (${t.hostname})` : ''}: ${t.status.replaceAll('_', ' ')}`;

/** The whole run as one text: each target's heading, then its output (`bodies[i]` for `targets[i]`). */
export function runAsText(runId: number, jobName: string, targets: readonly Pick<TargetView, 'targetName' | 'hostname' | 'status'>[], bodies: readonly string[]): string {
  const parts = [`Run #${runId} of ${jobName}`];
  targets.forEach((t, i) => parts.push(`${targetHeading(t)}\n${bodies[i] ?? ''}`.trimEnd()));
  return parts.join('\n\n') + '\n';
}
