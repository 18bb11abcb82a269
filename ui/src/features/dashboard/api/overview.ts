import { useQuery } from '@tanstack/react-query';
import { request, type Page } from '@/lib/api/client';

export type RecentRun = {
  id: string | number;
  jobName?: string;
  status: string;
  trigger?: string;
  requestedBy?: string;
  queuedAt?: string;
  startedAt?: string | null;
  finishedAt?: string | null;
};

export type FailingTarget = { id: string | number; name: string; hostname: string; status: string; lastCheckedAt?: string | null };

const FAILING = new Set(['unreachable', 'auth_failed', 'host_key_mismatch']);

/** Latest runs. A failing request just hides the section (the service may not be deployed). */
export function useRecentRuns() {
  return useQuery({
    queryKey: ['dashboard', 'runs'],
    queryFn: () => request<Page<RecentRun>>('GET', '/api/v1/runs', { query: { page: 1, pageSize: 10 } }),
    retry: false,
    refetchInterval: 15_000,
  });
}

export function useFailingTargets() {
  return useQuery({
    queryKey: ['dashboard', 'failing-targets'],
    queryFn: async () => {
      const page = await request<Page<FailingTarget>>('GET', '/api/v1/targets', { query: { page: 1, pageSize: 500 } });
      return page.items.filter((t) => FAILING.has(t.status));
    },
    retry: false,
  });
}
