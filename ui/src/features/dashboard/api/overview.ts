import { useQueries, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, unwrap, type components } from '@/lib/api/client';

type Schemas = components['schemas'];
export type RecentRun = Schemas['RunSummaryDto'];
export type FailingTarget = Schemas['TargetDto'];
export type ExecutorStatus = Schemas['ExecutorStatus'];

export const RUN_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'cancelled', 'timed_out'] as const;
export const FAILING_STATUSES = ['unreachable', 'auth_failed', 'host_key_mismatch', 'host_key_unconfirmed', 'certificate_rejected'] as const;

/** Latest runs. A failing request just hides the section. */
export function useRecentRuns() {
  return useQuery({
    queryKey: ['dashboard', 'runs'],
    queryFn: () => unwrap(api.GET('/api/v1/runs', { params: { query: { page: 1, pageSize: 8 } } })),
    retry: false,
    staleTime: 0,
    refetchInterval: 15_000,
  });
}

/** Failed and timed-out runs of the last 24 h, newest first: what an operator looks at first. */
export function useFailedRuns(since: string) {
  return useQuery({
    queryKey: ['dashboard', 'failed-runs', since],
    queryFn: () => unwrap(api.GET('/api/v1/runs', { params: { query: { status: 'failed,timed_out', from: since, page: 1, pageSize: 5 } } })),
    retry: false,
    staleTime: 0,
    refetchInterval: 15_000,
  });
}

export function useRunningNow() {
  return useQuery({
    queryKey: ['dashboard', 'running'],
    queryFn: () => unwrap(api.GET('/api/v1/runs', { params: { query: { status: 'running', page: 1, pageSize: 20 } } })),
    retry: false,
    staleTime: 0,
    refetchInterval: 5_000,
  });
}

/** The start of the 24 h window, fixed when the dashboard mounts so the query keys stay stable. */
export function useSince24h(): string {
  const [since] = useState(() => new Date(Date.now() - 24 * 3600_000).toISOString());
  return since;
}

/** Runs of the last 24 h per status: one GET /runs?from=…&status=X&pageSize=1 per status, reading `total`. */
export function useRunCounts(since: string) {
  const results = useQueries({
    queries: RUN_STATUSES.map((status) => ({
      queryKey: ['dashboard', 'counts', since, status],
      queryFn: () => unwrap(api.GET('/api/v1/runs', { params: { query: { from: since, status, page: 1, pageSize: 1 } } })).then((p) => p.total),
      retry: false,
      staleTime: 0,
      refetchInterval: 15_000,
    })),
  });
  return {
    isPending: results.some((r) => r.isPending),
    isError: results.some((r) => r.isError),
    counts: RUN_STATUSES.map((status, i) => ({ status, total: results[i].data ?? 0 })),
  };
}

export function useFailingTargets() {
  const results = useQueries({
    queries: FAILING_STATUSES.map((status) => ({
      queryKey: ['dashboard', 'failing-targets', status],
      queryFn: () => unwrap(api.GET('/api/v1/targets', { params: { query: { status, page: 1, pageSize: 100 } } })),
      retry: false,
      staleTime: 0,
      refetchInterval: 30_000,
    })),
  });
  return {
    isPending: results.some((r) => r.isPending),
    isError: results.every((r) => r.isError),
    data: results.flatMap((r) => r.data?.items ?? []).sort((a, b) => a.name.localeCompare(b.name)),
  };
}

export function useExecutorStatus() {
  return useQuery({
    queryKey: ['dashboard', 'executor'],
    queryFn: () => unwrap(api.GET('/api/v1/executor/status')),
    retry: false,
    staleTime: 0,
    // As often as "Running now", so the two cards do not disagree for long.
    refetchInterval: 5_000,
  });
}

export type UpcomingSchedule = Schemas['ScheduleDto'];

/** The next schedules to fire: the list is ordered by next fire time, paused and disabled ones (no next fire) last. */
export function useNextRuns(count = 5) {
  return useQuery({
    queryKey: ['dashboard', 'next-runs', count],
    queryFn: async () => {
      const page = await unwrap(api.GET('/api/v1/schedules', { params: { query: { enabled: true, page: 1, pageSize: count } } }));
      return page.items.filter((s) => s.nextFireAt);
    },
    retry: false,
    staleTime: 0,
    refetchInterval: 15_000,
  });
}
