import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, unwrap, type components } from '@/lib/api/client';
import { useInvalidating } from '@/lib/api/mutations';
import { byId } from '@/lib/api/paths';

type Schemas = components['schemas'];
export type Schedule = Schemas['ScheduleDto'];
export type ScheduleInput = Schemas['ScheduleRequest'];
export type Occurrence = Schemas['OccurrenceDto'];
export type OccurrenceStatus = NonNullable<Schemas['OccurrenceStatus']>;
export type FireTime = Schemas['FireTimeDto'];
export type Preview = Schemas['SchedulePreview'];
export type BlackoutWindow = Schemas['BlackoutWindowDto'];
export type BlackoutWindowInput = Schemas['BlackoutWindowRequest'];
export type BlackoutCalendar = Schemas['BlackoutCalendar'];
export type ScheduleJob = Schemas['JobDto'];

const key = ['schedules'] as const;

export type ScheduleQuery = { page: number; pageSize: number; search?: string; jobId?: number; enabled?: boolean; tag?: string };

export function useSchedules(q: ScheduleQuery, refetchInterval?: number) {
  return useQuery({
    queryKey: [...key, 'list', q],
    queryFn: () => unwrap(api.GET('/api/v1/schedules', { params: { query: q } })),
    placeholderData: keepPreviousData,
    refetchInterval,
  });
}

export function useSchedule(id: number) {
  return useQuery({ queryKey: [...key, 'detail', id], queryFn: () => unwrap(api.GET('/api/v1/schedules/{id}', byId(id))), refetchInterval: 5_000 });
}

export function useOccurrences(id: number, page: number, pageSize: number) {
  return useQuery({
    queryKey: [...key, 'occurrences', id, page],
    queryFn: () => unwrap(api.GET('/api/v1/schedules/{id}/occurrences', { params: { path: { id }, query: { page, pageSize } } })),
    placeholderData: keepPreviousData,
    refetchInterval: 5_000,
  });
}

export function useSavedPreview(id: number, count = 10) {
  return useQuery({
    queryKey: [...key, 'preview', id, count],
    queryFn: () => unwrap(api.GET('/api/v1/schedules/{id}/preview', { params: { path: { id }, query: { count } } })),
    refetchInterval: 15_000,
  });
}

/** The editor's live preview: POST /schedules/preview for the unsaved input (the caller debounces it). */
export function useUnsavedPreview(body: ScheduleInput | null, count = 5) {
  return useQuery({
    queryKey: [...key, 'unsaved-preview', body, count],
    queryFn: () => unwrap(api.POST('/api/v1/schedules/preview', { params: { query: { count } }, body: body! })),
    enabled: body !== null,
    retry: false,
    placeholderData: keepPreviousData,
  });
}

export const useCreateSchedule = () => useInvalidating(key, (body: ScheduleInput) => unwrap(api.POST('/api/v1/schedules', { body })));
export const useUpdateSchedule = () =>
  useInvalidating(key, ({ id, body }: { id: number; body: ScheduleInput }) => unwrap(api.PUT('/api/v1/schedules/{id}', { ...byId(id), body })));
export const useDeleteSchedule = () => useInvalidating(key, (id: number) => unwrap(api.DELETE('/api/v1/schedules/{id}', byId(id))));
export const usePauseSchedule = () => useInvalidating(key, (id: number) => unwrap(api.POST('/api/v1/schedules/{id}/pause', byId(id))));
export const useResumeSchedule = () => useInvalidating(key, (id: number) => unwrap(api.POST('/api/v1/schedules/{id}/resume', byId(id))));

/** Job names for the picker and the job filter (read here; features do not import each other). */
export function useJobOptions() {
  return useQuery({
    queryKey: [...key, 'job-options'],
    queryFn: async () => {
      const page = await unwrap(api.GET('/api/v1/jobs', { params: { query: { page: 1, pageSize: 500 } } }));
      return page.items.map((j) => ({ value: String(j.id), label: j.name }));
    },
  });
}

/** The picked job, for its parameter form. */
export function useScheduleJob(id: number | null) {
  return useQuery({
    queryKey: [...key, 'job', id],
    queryFn: () => unwrap(api.GET('/api/v1/jobs/{id}', byId(id!))),
    enabled: id != null,
  });
}

const windowsKey = [...key, 'blackout-windows'] as const;

export function useBlackoutWindows(page: number, pageSize: number) {
  return useQuery({
    queryKey: [...windowsKey, page],
    queryFn: () => unwrap(api.GET('/api/v1/schedules/blackout-windows', { params: { query: { page, pageSize } } })),
    placeholderData: keepPreviousData,
  });
}

export function useBlackoutCalendar(days = 30) {
  return useQuery({
    queryKey: [...windowsKey, 'calendar', days],
    queryFn: () => unwrap(api.GET('/api/v1/schedules/blackout-windows/calendar', { params: { query: { days } } })),
  });
}

// Blackout windows change what schedules preview and skip: invalidate everything under schedules.
export const useCreateWindow = () =>
  useInvalidating(key, (body: BlackoutWindowInput) => unwrap(api.POST('/api/v1/schedules/blackout-windows', { body })));
export const useUpdateWindow = () =>
  useInvalidating(key, ({ id, body }: { id: number; body: BlackoutWindowInput }) =>
    unwrap(api.PUT('/api/v1/schedules/blackout-windows/{id}', { ...byId(id), body })),
  );
export const useDeleteWindow = () => useInvalidating(key, (id: number) => unwrap(api.DELETE('/api/v1/schedules/blackout-windows/{id}', byId(id))));
