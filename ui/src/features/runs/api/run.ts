import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { openStream, request } from '@/lib/api/client';
import { SseParser } from './sse';
import type { Run } from './runs';

export type StepResult = {
  name: string;
  status: string;
  exitCode?: number | null;
  stdout?: string | null;
  stderr?: string | null;
  startedAt?: string | null;
  finishedAt?: string | null;
};

export type RunDetail = Run & {
  parameters?: Record<string, unknown>;
  targets?: { targetId: string | number; targetName?: string; status: string; steps?: StepResult[] }[];
};

export const FINAL_STATUSES = new Set(['succeeded', 'failed', 'cancelled', 'timed_out']);
const runPath = (id: string) => `/api/v1/runs/${encodeURIComponent(id)}`;

export function useRun(id: string) {
  return useQuery({
    queryKey: ['runs', 'detail', id],
    queryFn: () => request<RunDetail>('GET', runPath(id)),
    refetchInterval: (q) => (q.state.data && FINAL_STATUSES.has(q.state.data.status) ? false : 5_000),
  });
}

export function useCancelRun(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => request<unknown>('POST', `${runPath(id)}/cancel`),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['runs'] }),
  });
}

export type LogLine = { key: number; text: string; stream?: string; target?: string; event: string };

/** Turns one event into a printable line; the event's JSON shape is read leniently. */
export function toLogLine(key: number, event: string, data: string): LogLine {
  try {
    const d = JSON.parse(data) as Record<string, unknown>;
    const text = d.line ?? d.text ?? d.output ?? d.message ?? (d.status ? `status: ${String(d.status)}` : data);
    const target = d.targetName ?? d.target ?? d.targetId;
    return { key, event, text: String(text), stream: typeof d.stream === 'string' ? d.stream : undefined, target: target != null ? String(target) : undefined };
  } catch {
    return { key, event, text: data };
  }
}

/**
 * Follows GET /runs/{id}/events (it replays from the start) and collects lines. Any
 * non-output event refreshes the run so statuses stay current.
 */
export function useRunEvents(id: string, enabled: boolean) {
  const qc = useQueryClient();
  const [lines, setLines] = useState<LogLine[]>([]);
  const [state, setState] = useState<'connecting' | 'live' | 'ended' | 'error'>('connecting');
  const counter = useRef(0);

  useEffect(() => {
    if (!enabled) return;
    const abort = new AbortController();
    setLines([]);
    counter.current = 0;
    setState('connecting');
    (async () => {
      try {
        const res = await openStream(`${runPath(id)}/events`, abort.signal);
        setState('live');
        const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
        const parser = new SseParser();
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          const events = parser.push(value);
          if (!events.length) continue;
          setLines((prev) => [...prev, ...events.map((e) => toLogLine(counter.current++, e.event, e.data))].slice(-5000));
          if (events.some((e) => !/output|line|log|stdout|stderr/i.test(e.event))) {
            void qc.invalidateQueries({ queryKey: ['runs', 'detail', id] });
          }
        }
        setState('ended');
        void qc.invalidateQueries({ queryKey: ['runs', 'detail', id] });
      } catch {
        if (!abort.signal.aborted) setState('error');
      }
    })();
    return () => abort.abort();
  }, [id, enabled, qc]);

  return { lines, state };
}
