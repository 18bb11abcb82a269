import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { request, type Page } from '@/lib/api/client';

export type Job = {
  id: string | number;
  name: string;
  description?: string | null;
  steps?: { name: string; type: string }[];
  parameters?: { name: string; type: string }[];
  updatedAt?: string;
};

export function useJobs(q: { page: number; pageSize: number; search?: string }) {
  return useQuery({
    queryKey: ['jobs', q],
    queryFn: () => request<Page<Job>>('GET', '/api/v1/jobs', { query: q }),
    placeholderData: keepPreviousData,
  });
}
