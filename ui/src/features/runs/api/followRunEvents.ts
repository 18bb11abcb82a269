import { parseEvent, type RunStreamEvent } from './runView';
import { SseParser } from './sse';

/** Longest stretch of folding events before yielding to the page, while a replay arrives in one piece. */
const SLICE_MS = 8;
/** Reconnect attempts in a row without a successful connection before the stream gives up. */
const MAX_ATTEMPTS = 20;

export type StreamState = 'connecting' | 'live' | 'reconnecting' | 'ended' | 'error';

export type FollowOptions = {
  /** Opens the stream at this path (the session's fetch: it refreshes an expired access token on the 401). */
  open: (path: string, signal: AbortSignal) => Promise<Response>;
  signal: AbortSignal;
  /** Folds one event; returns the id of the last event folded so far (the resume point). */
  onEvent: (e: RunStreamEvent) => number;
  /** Called after each batch of events, and when the state changes. */
  onBatch: () => void;
  onState: (s: StreamState) => void;
  /** Milliseconds to wait before reconnect attempt `n` (1-based). */
  backoff?: (n: number) => number;
};

/**
 * Follows GET /runs/{id}/events until `end`: replays from the start, then resumes with `?after=<last id>` after a
 * dropped connection (with a growing pause) or at once after `expired` (the access token ran out: the next request
 * refreshes it). A 4xx answer other than that ends in 'error'; so do MAX_ATTEMPTS failed attempts in a row.
 */
export async function followRunEvents(runId: number, o: FollowOptions): Promise<StreamState> {
  const backoff = o.backoff ?? ((n) => Math.min(1000 * n, 5000));
  let lastEventId = 0;
  let ended = false;
  let expiredInARow = 0;
  for (let attempt = 0; attempt < MAX_ATTEMPTS && !o.signal.aborted; ) {
    let tokenExpired = false;
    const resumeFrom = lastEventId;
    try {
      const after = lastEventId ? `?after=${lastEventId}` : '';
      const res = await o.open(`/api/v1/runs/${runId}/events${after}`, o.signal);
      o.onState('live');
      attempt = 0;
      const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
      const parser = new SseParser();
      while (!ended && !tokenExpired) {
        const { value, done: eof } = await reader.read();
        if (eof) break;
        const events = parser.push(value);
        let sliceStart = performance.now();
        for (let i = 0; i < events.length; i++) {
          const e = parseEvent(events[i].data, events[i].event);
          if (!e) continue;
          if (e.kind === 'expired') {
            tokenExpired = true;
            break;
          }
          lastEventId = o.onEvent(e);
          if (e.kind === 'end') ended = true;
          // A replay can bring tens of thousands of events at once: let the page breathe every few ms.
          if (i % 64 === 63 && performance.now() - sliceStart > SLICE_MS) {
            o.onBatch();
            await new Promise((r) => setTimeout(r, 0));
            if (o.signal.aborted) return 'error';
            sliceStart = performance.now();
          }
        }
        o.onBatch();
      }
      if (tokenExpired || ended) await reader.cancel().catch(() => undefined);
    } catch (err) {
      if (o.signal.aborted) return 'error';
      const status = (err as { status?: number })?.status;
      if (status && status < 500) {
        o.onState('error');
        return 'error';
      }
    }
    if (ended) break;
    if (o.signal.aborted) return 'error';
    // Straight back with the refreshed token; twice in a row without a new event is a failure like any other.
    expiredInARow = tokenExpired ? (lastEventId === resumeFrom ? expiredInARow + 1 : 1) : 0;
    if (tokenExpired && expiredInARow < 2) continue;
    attempt++;
    o.onState('reconnecting');
    await new Promise((r) => setTimeout(r, backoff(attempt)));
  }
  const final: StreamState = ended ? 'ended' : 'error';
  o.onBatch();
  o.onState(final);
  return final;
}
