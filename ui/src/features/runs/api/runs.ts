import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { request, type Page } from '@/lib/api/client';

export const RUN_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'cancelled', 'timed_out'] as const;

export type Run = {
  id: string | number;
  jobId?: string | number;
  jobName?: string;
  status: string;
  trigger?: string;
  requestedBy?: string;
  queuedAt?: string;
  startedAt?: string | null;
  finishedAt?: string | null;
};

export function useRuns(q: { page: number; pageSize: number; status?: string }) {
  return useQuery({
    queryKey: ['runs', q],
    queryFn: () => request<Page<Run>>('GET', '/api/v1/runs', { query: q }),
    placeholderData: keepPreviousData,
    refetchInterval: 10_000,
  });
}
