import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { api, openStream, unwrap } from '@/lib/api/client';
import { applyEvent, FINAL_STATUSES, newLiveRun, type LiveRun } from './runState';
import { SseParser } from './sse';

export { FINAL_STATUSES } from './runState';

const byId = (id: number) => ({ params: { path: { id } } });

export function useRun(id: number) {
  return useQuery({
    queryKey: ['runs', 'detail', id],
    queryFn: () => unwrap(api.GET('/api/v1/runs/{id}', byId(id))),
    refetchInterval: (q) => (q.state.data && FINAL_STATUSES.has(q.state.data.status) ? false : 5_000),
  });
}

export function useCancelRun(id: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/runs/{id}/cancel', byId(id))),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['runs'] }),
  });
}

/** POST /runs/{id}/rerun → 202 with the new run (same parameters; all targets or only the failed ones). */
export function useRerun(id: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (onlyFailed: boolean) => unwrap(api.POST('/api/v1/runs/{id}/rerun', { ...byId(id), body: { onlyFailed } })),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['runs'] }),
  });
}

/** Minimum time between two renders of streamed output; FLUSH_MS_MANY for runs on more than MANY_TARGETS targets. */
export const FLUSH_MS = 100;
export const FLUSH_MS_MANY = 200;
export const MANY_TARGETS = 20;

export type StreamState = 'connecting' | 'live' | 'reconnecting' | 'ended' | 'error';

/**
 * Follows GET /runs/{id}/events with fetch streaming (EventSource cannot send the bearer token).
 * The server replays from the start; after a dropped connection we resume with `?after=<last id>`.
 * Events are applied to a mutable LiveRun and React is told at most every FLUSH_MS (on an
 * animation frame), so thousands of lines a second do not mean thousands of renders.
 */
export function useRunEvents(id: number) {
  const qc = useQueryClient();
  const liveRef = useRef<LiveRun>(newLiveRun());
  const [version, setVersion] = useState(0);
  const [state, setState] = useState<StreamState>('connecting');

  useEffect(() => {
    const abort = new AbortController();
    const live = newLiveRun();
    liveRef.current = live;
    setVersion(0);
    setState('connecting');
    let frame = 0;
    let pending: ReturnType<typeof setTimeout> | undefined;
    let lastFlush = 0;
    let refetchTimer: ReturnType<typeof setTimeout> | undefined;
    // Render at most every FLUSH_MS (and on an animation frame): fast output becomes a few renders a second.
    const flush = () => {
      pending = undefined;
      frame = requestAnimationFrame(() => {
        frame = 0;
        lastFlush = performance.now();
        setVersion(live.version);
      });
    };
    const schedule = () => {
      if (frame || pending) return;
      // Many targets streaming at once change most rows on each flush: render less often.
      const interval = live.targets.size > MANY_TARGETS ? FLUSH_MS_MANY : FLUSH_MS;
      pending = setTimeout(flush, Math.max(0, lastFlush + interval - performance.now()));
    };
    // Status changes carry names and times only the run document has: refresh it, at most twice a second.
    const refreshDetail = () => {
      if (refetchTimer) return;
      refetchTimer = setTimeout(() => {
        refetchTimer = undefined;
        void qc.invalidateQueries({ queryKey: ['runs', 'detail', id] });
      }, 500);
    };

    (async () => {
      for (let attempt = 0; attempt < 20 && !abort.signal.aborted && !live.ended; attempt++) {
        try {
          const after = live.lastEventId ? `?after=${encodeURIComponent(live.lastEventId)}` : '';
          const res = await openStream(`/api/v1/runs/${id}/events${after}`, abort.signal);
          setState('live');
          attempt = 0;
          const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
          const parser = new SseParser();
          for (;;) {
            const { value, done } = await reader.read();
            if (done) break;
            const events = parser.push(value);
            for (let i = 0; i < events.length; i++) {
              const e = events[i];
              if (applyEvent(live, e.event, e.data, e.id) && e.event !== 'output') refreshDetail();
              // A replay can bring tens of thousands of events at once: let the page breathe.
              if (i % 1000 === 999) {
                schedule();
                await new Promise((r) => setTimeout(r, 0));
                if (abort.signal.aborted) return;
              }
            }
            schedule();
          }
        } catch (err) {
          if (abort.signal.aborted) return;
          if ((err as { status?: number })?.status && (err as { status: number }).status < 500) {
            setState('error');
            return;
          }
        }
        if (live.ended || abort.signal.aborted) break;
        setState('reconnecting');
        await new Promise((r) => setTimeout(r, Math.min(1000 * (attempt + 1), 5000)));
      }
      if (abort.signal.aborted) return;
      schedule();
      setState(live.ended ? 'ended' : 'error');
      void qc.invalidateQueries({ queryKey: ['runs'] });
    })();
    return () => {
      abort.abort();
      if (frame) cancelAnimationFrame(frame);
      if (pending) clearTimeout(pending);
      if (refetchTimer) clearTimeout(refetchTimer);
    };
  }, [id, qc]);

  return { live: liveRef.current, version, state };
}
