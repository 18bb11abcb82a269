import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { api, openStream, unwrap } from '@/lib/api/client';
import { session } from '@/lib/auth/instance';
import { absolute } from '@/lib/auth/session';
import { initialRunView, parseEvent, reduce, type RunView } from './runView';
import { SseParser } from './sse';
import { byId } from '@/lib/api/paths';


/**
 * GET /runs/{id}: only for what the stream does not say (job, parameters, trigger, requested by, re-run of,
 * cancel requested). Read once (and again after this page's own cancel/re-run); polled only while `poll`
 * (the stream is reconnecting or gave up), so a live run costs no requests besides its stream.
 */
export function useRun(id: number, poll = false) {
  return useQuery({
    queryKey: ['runs', 'detail', id],
    queryFn: () => unwrap(api.GET('/api/v1/runs/{id}', byId(id))),
    staleTime: Infinity,
    refetchOnWindowFocus: false,
    refetchInterval: poll ? 5_000 : false,
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

/** Minimum time between two renders of streamed output. */
export const FLUSH_MS = 100;
/** Longest stretch of folding events before yielding to the page, while a replay arrives in one piece. */
const SLICE_MS = 8;

export type StreamState = 'connecting' | 'live' | 'reconnecting' | 'ended' | 'error';

/**
 * Follows GET /runs/{id}/events with fetch streaming (EventSource cannot send the bearer token) and folds every
 * event into a RunView with `reduce`. The server replays from the start; after a dropped connection we resume
 * with `?after=<last id>`. React sees a new view at most every FLUSH_MS (on an animation frame), so thousands of
 * lines a second are a few renders, and structural sharing lets unchanged rows skip them.
 */
export function useRunStream(id: number) {
  const qc = useQueryClient();
  const [view, setView] = useState<RunView>(initialRunView);
  const [state, setState] = useState<StreamState>('connecting');

  useEffect(() => {
    const abort = new AbortController();
    let current = initialRunView();
    setView(current);
    setState('connecting');
    let frame = 0;
    let pending: ReturnType<typeof setTimeout> | undefined;
    let lastFlush = 0;
    const flush = () => {
      pending = undefined;
      frame = requestAnimationFrame(() => {
        frame = 0;
        lastFlush = performance.now();
        setView(current);
      });
    };
    const schedule = () => {
      if (frame || pending) return;
      pending = setTimeout(flush, Math.max(0, lastFlush + FLUSH_MS - performance.now()));
    };
    const done = () => current.ended || current.expired;

    (async () => {
      for (let attempt = 0; attempt < 20 && !abort.signal.aborted && !done(); attempt++) {
        try {
          const after = current.lastEventId ? `?after=${current.lastEventId}` : '';
          const res = await openStream(`/api/v1/runs/${id}/events${after}`, abort.signal);
          setState('live');
          attempt = 0;
          const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
          const parser = new SseParser();
          for (;;) {
            const { value, done: eof } = await reader.read();
            if (eof) break;
            const events = parser.push(value);
            let sliceStart = performance.now();
            for (let i = 0; i < events.length; i++) {
              const e = parseEvent(events[i].data, events[i].event);
              if (e) current = reduce(current, e);
              // A replay can bring tens of thousands of events at once: let the page breathe every few ms.
              if (i % 64 === 63 && performance.now() - sliceStart > SLICE_MS) {
                schedule();
                await new Promise((r) => setTimeout(r, 0));
                if (abort.signal.aborted) return;
                sliceStart = performance.now();
              }
            }
            schedule();
          }
        } catch (err) {
          if (abort.signal.aborted) return;
          const status = (err as { status?: number })?.status;
          if (status && status < 500) {
            setState('error');
            return;
          }
        }
        if (done() || abort.signal.aborted) break;
        setState('reconnecting');
        await new Promise((r) => setTimeout(r, Math.min(1000 * (attempt + 1), 5000)));
      }
      if (abort.signal.aborted) return;
      schedule();
      setState(done() ? 'ended' : 'error');
      // The history list shows this run's final status; the run document needs nothing the stream did not say.
      void qc.invalidateQueries({ queryKey: ['runs', 'list'] });
    })();
    return () => {
      abort.abort();
      if (frame) cancelAnimationFrame(frame);
      if (pending) clearTimeout(pending);
    };
  }, [id, qc]);

  return { view, state };
}

export type OutputScope = { runId: number; targetId: number; step?: number };

/** The text endpoint for one target's (or one step's) whole output, as an attachment. */
export function outputPath({ runId, targetId, step }: OutputScope): string {
  return `/api/v1/runs/${runId}/targets/${targetId}/${step === undefined ? '' : `steps/${step}/`}output`;
}

/**
 * Saves a target's or step's full output (GET …/output, text/plain): fetched with the session's bearer token
 * (and its silent refresh), so a plain link cannot do it; the blob is then saved under the server's file name.
 */
export async function downloadOutput(scope: OutputScope): Promise<void> {
  const res = await session.fetch(new Request(absolute(outputPath(scope)), { headers: { Accept: 'text/plain' } }));
  if (!res.ok) throw new Error(`Download failed: ${res.status} ${res.statusText}`);
  const blob = await res.blob();
  const named = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(res.headers.get('Content-Disposition') ?? '')?.[1];
  const fallback = `run-${scope.runId}-target-${scope.targetId}${scope.step === undefined ? '' : `-step-${scope.step + 1}`}.txt`;
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = named ? decodeURIComponent(named) : fallback;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
