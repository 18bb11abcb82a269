import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, unwrap, type components } from '@/lib/api/client';

type Schemas = components['schemas'];
export type Run = Schemas['RunSummaryDto'];
export type RunStatus = Schemas['RunStatus'];
export type RunTrigger = Schemas['RunTrigger'];

export const RUN_STATUSES: readonly RunStatus[] = ['queued', 'running', 'succeeded', 'failed', 'cancelled', 'timed_out'];
export const RUN_TRIGGERS: readonly RunTrigger[] = ['manual', 'schedule', 'api'];

export type RunsQuery = {
  page: number;
  pageSize: number;
  /** One status or a comma list. */
  status?: string;
  jobId?: number;
  trigger?: string;
  from?: string;
  to?: string;
};

export function useRuns(q: RunsQuery) {
  return useQuery({
    queryKey: ['runs', 'list', q],
    queryFn: () => unwrap(api.GET('/api/v1/runs', { params: { query: q } })),
    placeholderData: keepPreviousData,
    refetchInterval: 10_000,
  });
}

/** Job names for the history filter (read here; features do not import each other). */
export function useJobOptions() {
  return useQuery({
    queryKey: ['runs', 'job-options'],
    queryFn: async () => {
      const page = await unwrap(api.GET('/api/v1/jobs', { params: { query: { page: 1, pageSize: 500 } } }));
      return page.items.map((j) => ({ value: String(j.id), label: j.name }));
    },
    staleTime: 60_000,
  });
}
