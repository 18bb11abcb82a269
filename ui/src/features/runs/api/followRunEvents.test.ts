import { describe, expect, it } from 'vitest';
import { followRunEvents, type StreamState } from './followRunEvents';
import type { RunStreamEvent } from './runView';

const at = '2026-12-02T10:00:00Z';
const frame = (id: number, kind: string, extra: object = {}) =>
  `${id ? `id: ${id}\n` : ''}event: ${kind}\ndata: ${JSON.stringify({ kind, id, at, ...extra })}\n\n`;
const response = (...frames: string[]) => new Response(frames.join(''), { headers: { 'content-type': 'text/event-stream' } });

/** A server that answers each connection with the next script entry (a response, or an error to throw). */
function follow(script: Array<Response | Error>) {
  const paths: string[] = [];
  const states: StreamState[] = [];
  const kinds: string[] = [];
  let last = 0;
  const done = followRunEvents(7, {
    open: async (path) => {
      paths.push(path);
      const next = script.shift();
      if (!next) throw new Error('no more connections expected');
      if (next instanceof Error) throw next;
      return next;
    },
    signal: new AbortController().signal,
    onEvent: (e: RunStreamEvent) => {
      kinds.push(e.kind);
      if (e.id) last = e.id;
      return last;
    },
    onBatch: () => {},
    onState: (s) => states.push(s),
    backoff: () => 0,
  });
  return { done, paths, states, kinds };
}

describe('followRunEvents', () => {
  it('reconnects at once after an expired token, resuming after the last event, and ends with the run', async () => {
    const f = follow([
      response(frame(1, 'queued'), frame(2, 'status_changed', { scope: 'run', status: 'running' }), frame(0, 'expired')),
      response(frame(3, 'status_changed', { scope: 'run', status: 'succeeded' }), frame(0, 'end', { status: 'succeeded' })),
    ]);
    expect(await f.done).toBe('ended');
    expect(f.paths).toEqual(['/api/v1/runs/7/events', '/api/v1/runs/7/events?after=2']);
    expect(f.kinds).toEqual(['queued', 'status_changed', 'status_changed', 'end']);
    expect(f.states).not.toContain('reconnecting');
    expect(f.states.at(-1)).toBe('ended');
  });

  it('resumes after a dropped connection and gives up on a 4xx answer', async () => {
    const forbidden = Object.assign(new Error('forbidden'), { status: 403 });
    const f = follow([response(frame(1, 'queued')), forbidden]);
    expect(await f.done).toBe('error');
    expect(f.paths).toEqual(['/api/v1/runs/7/events', '/api/v1/runs/7/events?after=1']);
    expect(f.states).toEqual(['live', 'reconnecting', 'error']);
  });

  it('treats a stream that keeps expiring without new events as failing, not as a tight loop', async () => {
    const f = follow([
      response(frame(1, 'queued'), frame(0, 'expired')),
      response(frame(0, 'expired')),
      response(frame(0, 'expired')),
      response(frame(2, 'status_changed', { scope: 'run', status: 'succeeded' }), frame(0, 'end', { status: 'succeeded' })),
    ]);
    expect(await f.done).toBe('ended');
    expect(f.paths.slice(1)).toEqual(Array(3).fill('/api/v1/runs/7/events?after=1'));
    // The first expiry reconnects at once; each one after it without a new event waits like a dropped connection.
    expect(f.states.filter((s) => s === 'reconnecting')).toHaveLength(2);
  });
});
