import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { api, openStream, unwrap } from '@/lib/api/client';
import { session } from '@/lib/auth/instance';
import { absolute } from '@/lib/auth/session';
import { followRunEvents, type StreamState } from './followRunEvents';
import { runAsText } from './fleetView';
import { initialRunView, reduce, type RunView, type TargetView } from './runView';
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

/** The run's job (GET /jobs/{id}), for Run again…: read here, as features do not import each other. */
export function useRunJob(jobId: number) {
  return useQuery({
    queryKey: ['jobs', 'detail', jobId],
    queryFn: () => unwrap(api.GET('/api/v1/jobs/{id}', byId(jobId))),
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

export type { StreamState } from './followRunEvents';

/**
 * Follows GET /runs/{id}/events (followRunEvents: fetch streaming, since EventSource cannot send the bearer token;
 * resume after a dropped connection or an expired token) and folds every event into a RunView with `reduce`.
 * React sees a new view at most every FLUSH_MS (on an animation frame), so thousands of lines a second are a few
 * renders, and structural sharing lets unchanged rows skip them.
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

    void followRunEvents(id, {
      open: openStream,
      signal: abort.signal,
      onEvent: (e) => {
        current = reduce(current, e);
        return current.lastEventId;
      },
      onBatch: schedule,
      onState: (s) => {
        if (abort.signal.aborted) return;
        setState(s);
        // The history list shows this run's final status; the run document needs nothing the stream did not say.
        if (s === 'ended' || s === 'error') void qc.invalidateQueries({ queryKey: ['runs', 'list'] });
      },
    });
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

/** GET …/output with the session's bearer token (and its silent refresh): a plain link cannot send it. */
async function fetchOutput(scope: OutputScope): Promise<Response> {
  const res = await session.fetch(new Request(absolute(outputPath(scope)), { headers: { Accept: 'text/plain' } }));
  if (!res.ok) throw new Error(`Download failed: ${res.status} ${res.statusText}`);
  return res;
}

/** Hands a blob to the browser as a file download. */
function saveBlob(blob: Blob, name: string) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Saves a target's or step's full output (GET …/output, text/plain) under the server's file name. */
export async function downloadOutput(scope: OutputScope): Promise<void> {
  const res = await fetchOutput(scope);
  const blob = await res.blob();
  const named = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(res.headers.get('Content-Disposition') ?? '')?.[1];
  const fallback = `run-${scope.runId}-target-${scope.targetId}${scope.step === undefined ? '' : `-step-${scope.step + 1}`}.txt`;
  saveBlob(blob, named ? decodeURIComponent(named) : fallback);
}

/** Requests in flight at once while the whole run's output is gathered. */
const RUN_DOWNLOAD_PARALLEL = 6;

/**
 * Saves the whole run as one text file: every target's full output (GET …/targets/{id}/output, a few at a time,
 * as the server keeps it: nothing capped) under a heading with its name and status, in the order given.
 */
export async function downloadRunOutput(runId: number, jobName: string, targets: readonly TargetView[]): Promise<void> {
  const bodies: string[] = new Array(targets.length);
  let next = 0;
  const worker = async () => {
    while (next < targets.length) {
      const i = next++;
      bodies[i] = await (await fetchOutput({ runId, targetId: targets[i].targetId })).text();
    }
  };
  await Promise.all(Array.from({ length: Math.min(RUN_DOWNLOAD_PARALLEL, targets.length) }, worker));
  saveBlob(new Blob([runAsText(runId, jobName, targets, bodies)], { type: 'text/plain' }), `run-${runId}.txt`);
}
