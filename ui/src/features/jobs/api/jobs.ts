import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, unwrap, type components } from '@/lib/api/client';
import { useInvalidating } from '@/lib/api/mutations';
import { byId } from '@/lib/api/paths';

type Schemas = components['schemas'];
export type ParameterType = NonNullable<Schemas['ParameterType']>;
export type StepType = NonNullable<Schemas['StepType']>;
export const PARAMETER_TYPES: readonly ParameterType[] = ['string', 'int', 'bool', 'choice', 'secret'];
export const STEP_TYPES: readonly StepType[] = ['command', 'shell_script', 'powershell'];

/** The one place step types get their names for people; typed over the API enum, so a new type needs a label. */
export const STEP_TYPE_LABELS: Record<StepType, string> = { command: 'Command', shell_script: 'Shell script', powershell: 'PowerShell' };
export const STEP_TYPE_OPTIONS = STEP_TYPES.map((value) => ({ value, label: STEP_TYPE_LABELS[value] }));

export { NOTIFICATION_EVENT_OPTIONS, type NotificationEvent } from '@/lib/notificationEvents';

export type Job = Schemas['JobDto'];
export type JobInput = Schemas['JobDefinition'];
export type JobParameter = Schemas['JobParameter'];
export type JobStep = Schemas['JobStep'];
export type ImportResult = Schemas['ImportResult'];
export type TargetSummary = Schemas['TargetDto'];

const key = ['jobs'] as const;

export function useJobs(q: { page: number; pageSize: number; search?: string }) {
  return useQuery({
    queryKey: [...key, q],
    queryFn: () => unwrap(api.GET('/api/v1/jobs', { params: { query: q } })),
    placeholderData: keepPreviousData,
  });
}

export function useJob(id: number | null) {
  return useQuery({
    queryKey: [...key, 'detail', id],
    queryFn: () => unwrap(api.GET('/api/v1/jobs/{id}', byId(id!))),
    enabled: id != null,
  });
}

/** Target names for the job's target picker (read here; features do not import each other). */
export function useTargetOptions() {
  return useQuery({
    queryKey: ['jobs', 'target-options'],
    queryFn: async () => {
      const page = await unwrap(api.GET('/api/v1/targets', { params: { query: { page: 1, pageSize: 500 } } }));
      return page.items.map((t) => ({ value: String(t.id), label: `${t.name} (${t.hostname})` }));
    },
  });
}

// The target preview and the run request are shared with the run view's Run again… (src/lib/runJob.ts).
export { mergeTargets, useStartRun, useTargetPreview } from '@/lib/runJob';

export const useCreateJob = () => useInvalidating(key, (body: JobInput) => unwrap(api.POST('/api/v1/jobs', { body })));
export const useUpdateJob = () =>
  useInvalidating(key, ({ id, body }: { id: number; body: JobInput }) => unwrap(api.PUT('/api/v1/jobs/{id}', { ...byId(id), body })));
export const useDeleteJob = () => useInvalidating(key, (id: number) => unwrap(api.DELETE('/api/v1/jobs/{id}', byId(id))));

/** POST /jobs/import with the YAML text as the body (application/yaml). */
export const useImportJobs = () =>
  useInvalidating(key, (yaml: string) =>
    unwrap(
      api.POST('/api/v1/jobs/import', {
        body: yaml,
        headers: { 'Content-Type': 'application/yaml' },
        bodySerializer: (b: string) => b,
      }),
    ),
  );

/** GET /jobs/{id}/export as text (application/yaml). */
export async function exportJob(id: number): Promise<string> {
  return unwrap(api.GET('/api/v1/jobs/{id}/export', { ...byId(id), parseAs: 'text' })) as Promise<string>;
}

/** Hands a text to the browser as a file download. */
export function downloadText(filename: string, text: string, type = 'application/yaml') {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

// The parameter helpers are shared with the schedule editor (src/lib/jobParameters.ts).
export { initialParameterValues, jobParams, parameterErrors, toRunParameters, type Param, type ParameterValue } from '@/lib/jobParameters';

export type JobSchedule = Schemas['ScheduleDto'];

/** The job's schedules (GET /schedules?jobId=), for its page. */
export function useJobSchedules(jobId: number) {
  return useQuery({
    queryKey: ['schedules', 'list', { jobId, page: 1, pageSize: 50 }],
    queryFn: () => unwrap(api.GET('/api/v1/schedules', { params: { query: { jobId, page: 1, pageSize: 50 } } })),
  });
}
