import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { request, type Page } from '@/lib/api/client';

export const PARAMETER_TYPES = ['string', 'int', 'bool', 'choice', 'secret'] as const;
export type ParameterType = (typeof PARAMETER_TYPES)[number];
export const STEP_TYPES = ['command', 'powershell', 'shell_script'] as const;
export type StepType = (typeof STEP_TYPES)[number];

export type JobParameter = { name: string; type: ParameterType; required: boolean; default?: unknown; choices?: string[] | null };
export type JobStep = { name: string; type: StepType; script: string; timeoutSeconds?: number | null; continueOnError?: boolean };

export type Job = {
  id: string | number;
  name: string;
  description?: string | null;
  parameters: JobParameter[];
  steps: JobStep[];
  targets: { targetIds: (string | number)[]; tags: string[] };
  maxParallelTargets?: number | null;
  updatedAt?: string;
};

export type JobInput = Omit<Job, 'id' | 'updatedAt'>;

const key = ['jobs'] as const;
const jobPath = (id: Job['id'], suffix = '') => `/api/v1/jobs/${encodeURIComponent(String(id))}${suffix}`;

export function useJobs(q: { page: number; pageSize: number; search?: string }) {
  return useQuery({
    queryKey: [...key, q],
    queryFn: () => request<Page<Job>>('GET', '/api/v1/jobs', { query: q }),
    placeholderData: keepPreviousData,
  });
}

/** Target names for the job's target picker (read here; features do not import each other). */
export function useTargetOptions() {
  return useQuery({
    queryKey: ['jobs', 'target-options'],
    queryFn: async () => {
      const page = await request<Page<{ id: string | number; name: string; hostname: string }>>('GET', '/api/v1/targets', { query: { page: 1, pageSize: 500 } });
      return page.items.map((t) => ({ value: String(t.id), label: `${t.name} (${t.hostname})` }));
    },
  });
}

function useInvalidating<TVars, TData>(fn: (v: TVars) => Promise<TData>) {
  const qc = useQueryClient();
  return useMutation({ mutationFn: fn, onSuccess: () => qc.invalidateQueries({ queryKey: key }) });
}

export const useCreateJob = () => useInvalidating((body: JobInput) => request<Job>('POST', '/api/v1/jobs', { body }));
export const useUpdateJob = () => useInvalidating(({ id, body }: { id: Job['id']; body: JobInput }) => request<Job>('PUT', jobPath(id), { body }));
export const useDeleteJob = () => useInvalidating((id: Job['id']) => request<void>('DELETE', jobPath(id)));

export function useStartRun() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, parameters }: { id: Job['id']; parameters: Record<string, unknown> }) =>
      request<{ id: string | number; status: string }>('POST', jobPath(id, '/runs'), { body: { parameters } }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['runs'] }),
  });
}

export type ParameterValue = string | number | boolean | null;

/** Initial form values for running a job: each parameter's default, typed. */
export function initialParameterValues(params: JobParameter[]): Record<string, ParameterValue> {
  return Object.fromEntries(
    params.map((p) => {
      if (p.type === 'bool') return [p.name, p.default === true || p.default === 'true'];
      if (p.type === 'int') return [p.name, p.default === undefined || p.default === null || p.default === '' ? '' : Number(p.default)];
      if (p.type === 'secret') return [p.name, ''];
      return [p.name, p.default == null ? (p.type === 'choice' ? null : '') : String(p.default)];
    }),
  );
}

/** Client-side check before POST /jobs/{id}/runs; the server validates again. */
export function parameterErrors(params: JobParameter[], values: Record<string, ParameterValue>): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const p of params) {
    const v = values[p.name];
    const empty = v === '' || v === null || v === undefined;
    if (p.type === 'bool') continue;
    if (empty) {
      if (p.required) errors[p.name] = `${p.name} is required`;
      continue;
    }
    if (p.type === 'int' && !Number.isInteger(Number(v))) errors[p.name] = `${p.name} must be a whole number`;
    if (p.type === 'choice' && p.choices && !p.choices.includes(String(v))) errors[p.name] = `Choose one of ${p.choices.join(', ')}`;
  }
  return errors;
}

/** The body's `parameters`: typed values, empty optional ones left out. */
export function toRunParameters(params: JobParameter[], values: Record<string, ParameterValue>): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const p of params) {
    const v = values[p.name];
    if (p.type === 'bool') out[p.name] = v === true;
    else if (v === '' || v === null || v === undefined) continue;
    else if (p.type === 'int') out[p.name] = Number(v);
    else out[p.name] = String(v);
  }
  return out;
}
